"""Indonesian texts of the live board: /papan, the 📊 Papan buttons and the menu button."""

TEXTS: dict[str, str] = {
    # rehearse --board
    "rh.board": "Papan kehadiran langsung (buka di peramban selama gladi berjalan): {url}",
    "board.button": "📊 Papan",
    "board.menu_button": "Papan",
    "board.disabled": (
        "Papan kehadiran belum diaktifkan di bot ini. Minta operator mengisi bagian <code>[board]</code> "
        "di berkas konfigurasi (enabled = true)."
    ),
    "board.link": (
        "<b>Tautan papan kehadiran — {scope}</b>\n{url}\n\n"
        "Buka di peramban komputer proyektor. Berlaku sampai {until}. Siapa pun yang memegang tautan ini "
        "dapat melihat papan, jadi jangan dibagikan ke grup.\nCabut semua tautan Anda: <code>/papan cabut</code>"
    ),
    "board.link_mini_app": "Di Telegram, buka papan dengan tombol di bawah atau tombol menu ☰ Papan.",
    "board.revoked": "Tautan papan dicabut: {count}. Layar yang memakainya berhenti diperbarui.",
    "board.revoked_none": "Tidak ada tautan papan Anda yang masih berlaku.",
    "board.unknown_argument": (
        "Perintah tidak dikenal: <code>/papan {argument}</code>. Ketik <code>/papan</code> untuk tautan baru "
        "atau <code>/papan cabut</code> untuk mencabut tautan Anda."
    ),
}
