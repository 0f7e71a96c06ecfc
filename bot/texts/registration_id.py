"""Indonesian texts of registration: /start's contact button, the roster match and the confirmation."""

TEXTS: dict[str, str] = {
    # Registration
    "register.ask_contact": (
        "Untuk mendaftar, tekan tombol <b>Bagikan nomor HP saya</b> di bawah.\n\n"
        "Nomor Anda dicocokkan dengan daftar resmi PPS/PPK KPU Lebak."
    ),
    "register.button_share": "📱 Bagikan nomor HP saya",
    "register.foreign_contact": (
        "Kontak yang Anda kirim bukan nomor Anda sendiri. Demi keamanan, pendaftaran hanya bisa dengan "
        "nomor akun Telegram Anda. Tekan tombol <b>Bagikan nomor HP saya</b>."
    ),
    "register.no_user_id": (
        "Kartu kontak ini tidak bisa dipakai untuk mendaftar karena tidak terhubung ke akun Telegram. "
        "Tekan tombol <b>Bagikan nomor HP saya</b> untuk membagikan nomor Anda sendiri."
    ),
    "register.invalid_phone": (
        "Nomor {phone} tidak bisa dibaca sebagai nomor HP Indonesia. Hubungi PPK atau KPU Lebak."
    ),
    "register.not_on_roster": (
        "Nomor {phone} tidak ada di daftar PPS/PPK KPU Lebak.\n\n"
        "Jika Anda anggota PPS, hubungi PPK di kecamatan Anda atau KPU Lebak agar nomor Anda "
        "dicatat, lalu ketik /daftar lagi. Percobaan ini sudah dicatat untuk diperiksa koordinator."
    ),
    "register.linked_elsewhere": (
        "Nomor {phone} sudah terhubung dengan akun Telegram lain. Jika itu bukan Anda atau Anda "
        "berganti akun, hubungi PPK atau KPU Lebak. Percobaan ini sudah dicatat."
    ),
    "register.confirm": (
        "Nomor Anda cocok dengan data berikut:\n\n"
        "Nama: <b>{name}</b>\nJabatan: {position}\n{place}\n\nApakah ini benar Anda?"
    ),
    "register.button_yes": "✅ Ya, benar",
    "register.button_no": "❌ Bukan saya",
    "register.thanks": "Terima kasih. Nomor Anda sedang dicocokkan dengan daftar PPS/PPK.",
    "register.confirm_coordinator": (
        "Nomor Anda terdaftar sebagai koordinator <b>{scope}</b>.\n\nHubungkan akun Telegram ini?"
    ),
    "register.done": (
        "Pendaftaran berhasil. Selamat bergabung, <b>{name}</b>!\n\n"
        "Ketik /jadwal untuk melihat jadwal Bimtek, atau /bantuan untuk melihat semua perintah."
    ),
    "register.coordinator_done": (
        "Pendaftaran berhasil. Anda terdaftar sebagai koordinator <b>{scope}</b>.\n\n"
        "Ketik /bantuan untuk melihat perintah koordinator."
    ),
    "register.declined": (
        "Baik, akun Anda tidak dihubungkan. Jika data di daftar keliru, hubungi PPK atau KPU Lebak."
    ),
    "register.expired": "Konfirmasi ini sudah kedaluwarsa. Ketik /daftar untuk mengulang.",
    "register.already": "Anda sudah terdaftar sebagai <b>{name}</b> ({position}, {place_short}).",
}
