"""Indonesian texts of the Bimtek day for members and venues: /jadwal, /hadir, /qr and manual check-in."""

TEXTS: dict[str, str] = {
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
}
