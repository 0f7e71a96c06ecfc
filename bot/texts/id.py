"""Indonesian texts shared by every feature (errors, greetings, roles and places, /profil, /bantuan, /bahasa, the menu)."""

TEXTS: dict[str, str] = {
    # General
    "error.generic": (
        "Maaf, terjadi gangguan saat memproses permintaan Anda. Silakan coba lagi sebentar lagi. "
        "Jika masih gagal, hubungi PPK atau KPU Lebak."
    ),
    "error.not_registered": (
        "Anda belum terdaftar. Ketik /daftar untuk mendaftar dengan nomor HP yang tercatat di daftar PPS."
    ),
    "error.not_coordinator": "Perintah ini hanya untuk koordinator KPU Lebak dan PPK.",
    "error.stale_button": "Tombol ini sudah tidak berlaku. Silakan ulangi perintahnya.",
    "unknown_command": "Perintah tidak dikenal. Ketik /bantuan untuk melihat daftar perintah.",
    "unknown_text": "Maaf, saya tidak mengerti pesan ini. Ketik /bantuan untuk melihat daftar perintah.",
    # /start
    "start.unregistered": (
        "Selamat datang di <b>Bot Bimtek PPS KPU Kabupaten Lebak</b>, {first_name}!\n\n"
        "Bot ini membantu anggota PPS: pendaftaran, jadwal dan kehadiran Bimtek, serta pengingat tugas.\n\n"
        "Untuk mulai, ketik /daftar lalu bagikan nomor HP Anda. Nomor itu harus sama dengan nomor "
        "yang tercatat di daftar PPS/PPK."
    ),
    "start.registered": (
        "Selamat datang kembali, <b>{name}</b>!\n{role_line}\n\nKetik /bantuan untuk melihat perintah."
    ),
    "start.coordinator": (
        "Selamat datang, koordinator <b>{scope}</b>!\n\nKetik /bantuan untuk melihat perintah koordinator."
    ),
    # Roles and places
    "position.ketua": "Ketua PPS",
    "position.anggota": "Anggota PPS",
    "position.ppk": "Anggota PPK",
    "place.desa": "Desa/Kelurahan: {desa}\nKecamatan: {kecamatan}",
    "place.kecamatan": "Kecamatan: {kecamatan}",
    "place.short_desa": "{desa}, Kec. {kecamatan}",
    "place.short_kecamatan": "Kec. {kecamatan}",
    "scope.regency": "Kabupaten Lebak",
    "scope.kecamatan": "Kecamatan {kecamatan}",
    # /profil
    "profile.member": (
        "<b>Profil Anda</b>\n\nNama: {name}\nJabatan: {position}\n{place}\nNomor HP: {phone}\n"
        "Terdaftar: {registered_at}"
    ),
    "profile.coordinator_line": "\nKoordinator: {scope}",
    "profile.coordinator_only": "<b>Profil Anda</b>\n\nKoordinator: {scope}",
    "profile.telegram_id": "\nID Telegram: <code>{user_id}</code>",
    "profile.unregistered_id": (
        "\n\nID Telegram Anda: <code>{user_id}</code> (petugas KPU yang tidak ada di daftar PPS dapat dijadikan "
        "koordinator dengan menaruh ID ini di [bot] admins pada berkas config bot)."
    ),
    # /bantuan
    "help.unregistered": (
        "<b>Bantuan</b>\n\n/daftar — daftar dengan nomor HP Anda\n/bahasa — ganti bahasa\n"
        "/bantuan — bantuan ini\n\nMasalah pendaftaran? Hubungi PPK di kecamatan Anda atau KPU Lebak."
    ),
    "help.basic": "<b>Bantuan</b>\n\n/profil — data diri Anda\n/bahasa — ganti bahasa\n/bantuan — bantuan ini",
    "help.member": (
        "<b>Bantuan untuk anggota PPS/PPK</b>\n\n"
        "/jadwal — jadwal dan tempat Bimtek Anda\n/hadir — presensi Bimtek (kode, QR atau lokasi)\n"
        "/tugas — tugas Anda dan tenggatnya\n/profil — data diri Anda\n/bahasa — ganti bahasa\n"
        "/bantuan — bantuan ini"
    ),
    "help.coordinator": (
        "\n\n<b>Perintah koordinator</b>\n\n"
        "/umumkan — kirim pengumuman (sekarang atau terjadwal)\n/terjadwal — pengumuman terjadwal\n"
        "/rekap — rekap kehadiran\n/qr — kode QR presensi\n/ekspor — unduh rekap (XLSX)\n"
        "/tugas_baru — buat tugas baru\n/rekap_tugas — rekap penyelesaian tugas\n/papan — tautan papan kehadiran langsung untuk layar proyektor"
    ),
    # /bahasa
    "language.ask": "Pilih bahasa:",
    "language.set": "Bahasa diganti ke Bahasa Indonesia.",
    # Command menu (setMyCommands)
    "cmd.start": "Mulai",
    "cmd.daftar": "Daftar dengan nomor HP",
    "cmd.jadwal": "Jadwal dan tempat Bimtek",
    "cmd.hadir": "Presensi Bimtek",
    "cmd.tugas": "Tugas dan tenggat",
    "cmd.profil": "Data diri saya",
    "cmd.bantuan": "Bantuan",
    "cmd.bahasa": "Ganti bahasa",
}
