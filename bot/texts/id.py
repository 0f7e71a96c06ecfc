"""Indonesian texts (the default language)."""

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
        "/tugas_baru — buat tugas baru\n/rekap_tugas — rekap penyelesaian tugas"
    ),
    # /bahasa
    "language.ask": "Pilih bahasa:",
    "language.set": "Bahasa diganti ke Bahasa Indonesia.",
    # /jadwal
    "schedule.none": "Belum ada jadwal Bimtek untuk Kecamatan {kecamatan}. Pantau pengumuman dari PPK atau KPU Lebak.",
    "schedule.card": (
        "<b>Bimtek PPS — Kecamatan {kecamatan}</b>\n\n"
        "Tempat: {venue}\nAlamat: {address}\nTanggal: {date}\nWaktu: {times}\nPresensi dibuka: {checkin_times}\n\n"
        "{status}"
    ),
    "schedule.status_present": "✅ Anda sudah presensi pukul {time}.",
    "schedule.status_absent": "⏳ Anda belum presensi. Di lokasi, pindai kode QR atau ketik /hadir dan kodenya.",
    # /hadir and check-in
    "checkin.ask_code": (
        "Untuk presensi, pindai kode QR di lokasi Bimtek dengan kamera HP, atau ketik /hadir diikuti "
        "6 angka kode yang tampil di layar, contoh: <code>/hadir 123456</code>."
    ),
    "checkin.ask_location": (
        "Kode benar. Satu langkah lagi: tekan tombol <b>Kirim lokasi saya</b> agar presensi tercatat "
        "dari lokasi Bimtek ({venue}, radius {radius})."
    ),
    "checkin.ask_location_only": (
        "Presensi Bimtek di {venue}: tekan tombol <b>Kirim lokasi saya</b> (harus dalam radius {radius}), "
        "atau ketik /hadir diikuti 6 angka kode di layar."
    ),
    "checkin.button_location": "📍 Kirim lokasi saya",
    "checkin.done": "✅ Presensi tercatat, <b>{name}</b>!\n{venue}, Kec. {kecamatan}\nWaktu: {time}",
    "checkin.already": "Anda sudah presensi pukul {time}. Tidak perlu presensi lagi.",
    "checkin.no_session": "Belum ada jadwal Bimtek untuk kecamatan Anda. Hubungi PPK atau KPU Lebak.",
    "checkin.not_today": "Bimtek Anda bukan hari ini, melainkan {date}. Ketik /jadwal untuk detailnya.",
    "checkin.not_open": "Presensi belum dibuka. Presensi dibuka pukul {time}.",
    "checkin.closed": (
        "Presensi sudah ditutup pukul {time}. Jika Anda hadir tetapi belum tercatat, minta PPK atau "
        "petugas KPU di lokasi mencatat kehadiran Anda."
    ),
    "checkin.wrong_code": (
        "Kode salah atau sudah kedaluwarsa (kode berganti setiap {minutes} menit). Lihat kode terbaru di "
        "lokasi Bimtek, lalu ketik /hadir diikuti 6 angka kode, atau pindai ulang kode QR."
    ),
    "checkin.other_kecamatan": (
        "Kode ini untuk Bimtek Kecamatan {kecamatan}, bukan kecamatan Anda. Presensi di lokasi Bimtek "
        "kecamatan Anda."
    ),
    "checkin.too_far": (
        "Lokasi Anda berjarak {distance} dari {venue}; presensi hanya bisa dalam radius {radius}. "
        "Pastikan GPS aktif lalu kirim lokasi lagi dari lokasi Bimtek."
    ),
    "checkin.forwarded_location": (
        "Lokasi yang diteruskan dari orang lain tidak bisa dipakai untuk presensi. Tekan tombol "
        "<b>Kirim lokasi saya</b>."
    ),
    "checkin.location_expired": "Langkah presensi sudah kedaluwarsa. Ketik /hadir dan kodenya lagi.",
    # Coordinators: /qr and manual check-in
    "qr.caption": (
        "<b>Presensi Bimtek — Kecamatan {kecamatan}</b>\n{venue}\n\n"
        "Pindai kode QR ini dengan kamera HP, atau ketik:\n<code>/hadir {code}</code>\n\n"
        "Kode berganti pukul {until}. Presensi ditutup pukul {closes}."
    ),
    "qr.closed": "<b>Presensi Bimtek — Kecamatan {kecamatan}</b>\n\nPresensi sudah ditutup pukul {closes}.",
    "qr.ask_kecamatan": "Sebutkan kecamatannya, contoh: <code>/qr Malingping</code>.",
    "qr.unknown_kecamatan": "Tidak ada sesi Bimtek untuk kecamatan «{name}». Periksa ejaannya (lihat /rekap).",
    "coordinator.out_of_scope": "Anda hanya dapat mengelola Kecamatan {kecamatan}.",
    "manual.usage": (
        "Catat kehadiran secara manual (misalnya HP peserta bermasalah):\n"
        "<code>/hadirkan 081234567890 alasan</code>\nAlasan wajib diisi."
    ),
    "manual.done": "✅ Kehadiran <b>{name}</b> dicatat pukul {time} (manual: {reason}).",
    "manual.already": "<b>{name}</b> sudah presensi pukul {time}.",
    "manual.not_found": "Nomor {phone} tidak ada di daftar PPS/PPK.",
    "manual.no_session": "Belum ada sesi Bimtek untuk kecamatan anggota ini.",
    # /umumkan wizard
    "bc.ask_message": (
        "<b>Pengumuman baru</b>\n\nKirim isi pengumumannya: teks, atau foto/dokumen dengan keterangan.\n"
        "Penanda yang diisi otomatis untuk tiap penerima: {placeholders}\n\nKetik /batal untuk membatalkan."
    ),
    "bc.unknown_placeholders": "Penanda tidak dikenal: {names}. Yang bisa dipakai: {placeholders}. Kirim ulang pesannya.",
    "bc.empty_message": "Pesannya kosong. Kirim teks, atau foto/dokumen dengan keterangan.",
    "bc.too_long": "Pesan terlalu panjang untuk Telegram: {length} karakter setelah penanda diisi (batas {limit}). Perpendek lalu kirim ulang.",
    "bc.ask_audience": "Kepada siapa pengumuman ini dikirim?",
    "bc.audience.all": "Semua PPS dan PPK",
    "bc.audience.pps": "Semua PPS",
    "bc.audience.ketua": "Ketua PPS saja",
    "bc.audience.ppk": "PPK saja",
    "bc.audience.not_checked_in": "Belum presensi hari ini",
    "bc.ask_kecamatan": "Pilih kecamatan (boleh lebih dari satu), lalu tekan <b>Lanjut</b>. Tanpa pilihan = semua kecamatan.",
    "bc.button_next": "Lanjut ➡️",
    "bc.ask_when": (
        "Kapan dikirim? Tekan <b>Kirim sekarang</b>, atau ketik waktunya dalam WIB, misalnya: {examples}"
    ),
    "bc.button_now": "Kirim sekarang",
    "bc.time_error": "Waktu tidak dapat dibaca: «{text}». Contoh yang benar: {examples}",
    "bc.time_in_past": "Waktu itu sudah lewat ({time}). Pilih waktu yang akan datang.",
    "bc.time_too_far": "Waktu itu terlalu jauh ke depan. Pilih waktu dalam 400 hari ke depan.",
    "bc.preview_intro": "Pratinjau — begini pesan akan terlihat oleh penerima (contoh: {name}):",
    "bc.summary": (
        "<b>Siap dikirim</b>\nPenerima: <b>{recipients}</b> orang\n"
        "Tidak menerima: {not_registered} belum terdaftar, {unreachable} tidak dapat dihubungi\n"
        "Waktu: {when}\nJuga untuk yang mendaftar belakangan: {late}"
    ),
    "bc.when_now": "sekarang",
    "bc.yes": "ya",
    "bc.no": "tidak",
    "bc.button_send": "✅ Kirim",
    "bc.button_schedule": "✅ Jadwalkan",
    "bc.button_cancel": "❌ Batal",
    "bc.button_late": "Pendaftar belakangan: {late}",
    "bc.nobody": "Tidak ada penerima yang dapat dihubungi untuk pilihan ini. Pilih penerima lain atau /batal.",
    "bc.cancelled": "Pengumuman dibatalkan. Tidak ada yang dikirim.",
    "bc.scheduled": "🕒 Pengumuman #{id} dijadwalkan {when} untuk {recipients} orang. Lihat /terjadwal untuk membatalkan.",
    "bc.progress": "📤 Mengirim pengumuman #{id}… terkirim {sent} dari {total}",
    "bc.report": (
        "✅ Pengumuman #{id} selesai.\nTerkirim: {sent} dari {total}\n"
        "Tidak dapat dihubungi (memblokir bot): {blocked}\nGagal: {failed}"
    ),
    "bc.report_resent": "\nDikirim ulang setelah gangguan (mungkin terima dua kali): {resent}",
    "bc.stopped": (
        "⛔ Pengumuman #{id} dihentikan: Telegram menolak format pesannya ({error}). "
        "Terkirim {sent} dari {total}. Perbaiki pesannya lalu kirim ulang dengan /umumkan."
    ),
    "bc.button_undelivered": "Daftar yang tidak menerima",
    "bc.undelivered_none": "Semua penerima pengumuman #{id} sudah menerima pesannya.",
    "bc.undelivered_title": "Tidak menerima pengumuman #{id}:",
    "bc.undelivered_line": "{kecamatan} — {name} ({phone}): {status}",
    "bc.missed": (
        "⚠️ Pengumuman #{id} yang dijadwalkan {when} tidak terkirim: bot tidak berjalan pada waktunya "
        "dan batas toleransi sudah lewat. Kirim ulang dengan /umumkan bila masih perlu:\n«{first_line}»"
    ),
    "bc.conversation_cancelled": "Dibatalkan.",
    "bc.conversation_timeout": "Pengumuman tidak dilanjutkan selama 30 menit dan dibatalkan.",
    # /terjadwal
    "sched.none": "Tidak ada pengumuman terjadwal.",
    "sched.title": "<b>Pengumuman terjadwal</b>",
    "sched.line": "#{id} · {when} · {audience}\n«{first_line}»",
    "sched.button_cancel": "Batalkan #{id}",
    "sched.confirm": "Batalkan pengumuman #{id} ({when})?\n«{first_line}»",
    "sched.button_yes": "Ya, batalkan",
    "sched.button_no": "Tidak",
    "sched.cancelled": "Pengumuman #{id} dibatalkan.",
    "sched.not_cancellable": "Pengumuman ini sudah tidak terjadwal (sudah dikirim atau dibatalkan).",
    "sched.kept": "Tidak jadi dibatalkan.",
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
