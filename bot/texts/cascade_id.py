"""Indonesian texts of the cascade: the PPS's own Bimtek for their Pantarlih and KPPS, its roster, /kaskade."""

TEXTS: dict[str, str] = {
    "position.pantarlih": "Pantarlih",
    "position.kpps": "Anggota KPPS",
    "cascade.level.pantarlih": "Pantarlih",
    "cascade.level.kpps": "KPPS",
    "cascade.not_pps": (
        "Perintah ini untuk anggota PPS yang menyelenggarakan Bimtek Pantarlih/KPPS di desanya sendiri."
    ),
    # The session card
    "cascade.card": (
        "<b>Bimtek {level} — {desa}</b>\n"
        "Tanggal: {date}\nWaktu: {times}\nTempat: {place}\nPresensi: {checkin}\n{radius}"
    ),
    "cascade.card_radius": "Presensi dengan lokasi: dalam {radius} m dari tempat",
    "cascade.card_no_radius": "Presensi dengan kode/QR (tanpa cek lokasi)",
    # /bimtek_baru
    "cascade.ask_level": "<b>Bimtek desa {desa}</b>\n\nBimtek ini untuk siapa?",
    "cascade.level_chosen": "Bimtek untuk: <b>{level}</b>",
    "cascade.exists": "Desa Anda sudah punya Bimtek ini. Ubah atau batalkan?",
    "cascade.button_edit": "✏️ Ubah",
    "cascade.button_cancel_session": "🗑 Batalkan Bimtek",
    "cascade.button_close": "Tutup",
    "cascade.closed": "Baik, tidak ada yang diubah.",
    "cascade.ask_cancel": "Yakin membatalkan Bimtek {level}? Jadwalnya dihapus.",
    "cascade.button_yes_cancel": "Ya, batalkan",
    "cascade.button_no_keep": "Tidak",
    "cascade.kept": "Baik, Bimtek tetap seperti semula.",
    "cascade.cancel_has_checkins": (
        "Bimtek ini tidak bisa dibatalkan: {count} orang sudah presensi. Ubah jadwalnya bila perlu."
    ),
    "cascade.cancel_gone": "Bimtek ini sudah tidak ada (mungkin sudah dibatalkan).",
    "cascade.cancelled": "🗑 Bimtek {level} desa {desa} dibatalkan.",
    "cascade.ask_start": (
        "Kapan Bimtek dimulai? Ketik tanggal dan jam (WIB), misalnya: {examples}.\nKetik /batal untuk berhenti."
    ),
    "cascade.start_in_past": "Waktu itu sudah lewat. Ketik tanggal dan jam yang akan datang.",
    "cascade.start_error": 'Waktu "{text}" tidak bisa dibaca. Contoh: {examples}.',
    "cascade.ask_end": "Bimtek tanggal {date}. Selesai jam berapa? Misalnya: 12:00",
    "cascade.end_error": 'Jam "{text}" tidak bisa dibaca. Ketik misalnya 12:00.',
    "cascade.end_before_start": "Jam selesai harus sesudah jam mulai (di hari yang sama). Ketik lagi.",
    "cascade.ask_place": (
        "Di mana tempatnya? Kirim <b>lokasi</b> (📎 → Lokasi) agar peserta bisa presensi dengan lokasi, "
        "atau ketik alamatnya."
    ),
    "cascade.ask_venue_name": "Apa nama tempatnya? Misalnya: Balai Desa Sukamaju",
    "cascade.ask_window": "Kapan presensi dibuka?",
    "cascade.window.a": "30 menit sebelum mulai sampai selesai",
    "cascade.window.b": "1 jam sebelum sampai 1 jam sesudah mulai",
    "cascade.window.c": "30 menit sebelum sampai 30 menit sesudah mulai",
    "cascade.ask_radius": "Presensi dengan lokasi: berapa jarak terjauh dari tempat?",
    "cascade.radius_none": "Tanpa cek lokasi",
    "cascade.ask_confirm": "Simpan Bimtek ini?",
    "cascade.button_save": "✅ Simpan",
    "cascade.button_discard": "❌ Batal",
    "cascade.discarded": "Dibatalkan. Tidak ada yang disimpan.",
    "cascade.saved_new": (
        "✅ Bimtek {level} desa {desa} tersimpan.\n\nKirim daftar {level} (XLSX/CSV) ke sini bila belum, "
        "lalu /umumkan jadwalnya. Di hari Bimtek, tampilkan /qr untuk presensi."
    ),
    "cascade.saved_changed": "✅ Bimtek {level} desa {desa} diperbarui.",
    "cascade.no_session": "Desa {desa} belum punya Bimtek Pantarlih/KPPS. Buat dengan /bimtek_baru.",
    "cascade.sessions_hint": "Ubah atau batalkan dengan /bimtek_baru.",
    # /rekap of a PPS
    "cascade.recap_empty": (
        "Desa {desa} belum punya Bimtek maupun daftar Pantarlih/KPPS.\n"
        "Buat Bimtek dengan /bimtek_baru dan kirim daftarnya (XLSX/CSV) ke sini."
    ),
    "cascade.recap_title": "<b>Rekap Bimtek desa {desa}</b>",
    "cascade.recap_when": "{date}, {time} — {venue}",
    "cascade.recap_no_session": "belum dijadwalkan (/bimtek_baru)",
    "cascade.recap_level": (
        "<b>{level}</b>: {when}\nDaftar: {roster} · terdaftar di bot: {registered} · hadir: {present}"
    ),
    "cascade.recap_absent_title": "Belum hadir:",
    "cascade.recap_absent": "• {name} (TPS {tps})",
    "cascade.recap_absent_unregistered": "• {name} (TPS {tps}) — belum daftar di bot",
    # /hadirkan of a PPS
    "cascade.manual_usage": (
        "Catat kehadiran Pantarlih/KPPS desa Anda secara manual:\n"
        "<code>/hadirkan 081234567890 alasan</code>\nAlasan wajib diisi."
    ),
    "cascade.manual_not_found": "Nomor {phone} tidak ada di daftar Pantarlih/KPPS desa {desa}.",
    # The roster document
    "cascade.roster_not_a_table": (
        "Kirim daftar Pantarlih/KPPS sebagai berkas XLSX atau CSV (kolom: nama, jabatan, tps, telepon)."
    ),
    "cascade.roster_too_big": "Berkasnya terlalu besar untuk daftar satu desa (maksimal 2 MB).",
    "cascade.roster_rejected": (
        "❌ Daftar <b>tidak disimpan</b>: ada {count} kesalahan. Perbaiki lalu kirim ulang berkasnya."
    ),
    "cascade.roster_row": "Baris {row}: {problem}",
    "cascade.roster_more": "… dan {count} kesalahan lainnya",
    "cascade.roster_format": (
        "Kolom: <b>nama, jabatan, tps, telepon</b>. Jabatan: Pantarlih atau KPPS; TPS wajib untuk KPPS."
    ),
    "cascade.roster_imported": (
        "✅ Daftar desa {desa} tersimpan: {pantarlih} Pantarlih, {kpps} KPPS "
        "({added} baru, {removed} dihapus; {registered} sudah terdaftar di bot).\n\n"
        "Minta mereka membuka bot ini dan mengetik /daftar dengan nomor HP yang ada di daftar."
    ),
    "cascade.roster.error.empty_name": "nama kosong",
    "cascade.roster.error.name_too_long": "nama lebih dari {max} karakter",
    "cascade.roster.error.unknown_role": "jabatan '{value}' tidak dikenal (Pantarlih atau KPPS)",
    "cascade.roster.error.missing_tps": "TPS kosong (wajib untuk KPPS)",
    "cascade.roster.error.invalid_tps": "TPS '{value}' bukan nomor TPS",
    "cascade.roster.error.missing_phone": "nomor telepon kosong",
    "cascade.roster.error.invalid_phone": "nomor telepon '{value}' tidak bisa dibaca sebagai nomor HP Indonesia",
    "cascade.roster.error.duplicate_phone": "nomor telepon {phone} sudah dipakai di baris {first_row}",
    "cascade.roster.error.other_desa": "nomor {phone} sudah terdaftar dengan jabatan ini di desa {desa}",
    # /umumkan of a PPS
    "cascade.announce_ask": (
        "Tulis pengumuman untuk Pantarlih/KPPS desa {desa}. Ketik /batal untuk berhenti."
    ),
    "cascade.announce_no_placeholders": "Pengumuman desa tidak memakai penanda {…}. Tulis teksnya apa adanya.",
    "cascade.announce_ask_who": "Kirim ke siapa?",
    "cascade.announce_who.pantarlih": "Pantarlih desa saya",
    "cascade.announce_who.kpps": "KPPS desa saya",
    "cascade.announce_who.both": "Pantarlih dan KPPS desa saya",
    "cascade.announce_summary": (
        "Kepada: {roles} desa {desa}\nPenerima: <b>{recipients}</b> "
        "(belum terdaftar: {not_registered}, tidak bisa dihubungi: {unreachable})\n\nKirim sekarang?"
    ),
    # /kaskade
    "cascade.progress_title": (
        "<b>Bimtek {level} di desa — {scope}</b>\n"
        "{scheduled} dari {total} desa sudah menjadwalkan, {held} sudah terlaksana."
    ),
    "cascade.progress_kecamatan": "{kecamatan}: {scheduled}/{total} desa terjadwal · hadir {present}/{roster}",
    "cascade.progress_desa": "{desa}: {when} · hadir {present}/{roster}",
    "cascade.progress_more": "… dan {count} lainnya",
    "cascade.progress_late_deadline": "<b>Belum menjadwalkan sebelum {deadline}</b> ({count} desa):",
    "cascade.progress_late": "<b>Belum menjadwalkan</b> ({count} desa):",
    "cascade.progress_late_item": "• {desa} (Kec. {kecamatan})",
    # /bantuan for a PPS
    "help.cascade": (
        "\n\n<b>Bimtek Pantarlih/KPPS desa Anda</b>\n\n"
        "/bimtek_baru — buat, ubah atau batalkan Bimtek desa\n/bimtek — jadwal Bimtek desa\n"
        "Kirim berkas XLSX/CSV — daftar Pantarlih/KPPS desa\n"
        "/umumkan — pengumuman ke Pantarlih/KPPS desa\n/qr — kode QR presensi\n"
        "/rekap — rekap kehadiran\n/hadirkan — catat kehadiran manual"
    ),
    "help.cascade_coordinator": "\n/kaskade — kemajuan Bimtek Pantarlih/KPPS di desa",
    # The command line
    "cascade.cli_unknown_desa": "Desa/kelurahan '{desa}' tidak ditemukan. Tulis kodenya (mis. 36.02.01.2001) atau namanya dengan --kecamatan.",
    "cascade.cli_desa_candidates": "Ada beberapa dengan nama itu: {candidates}",
    "cascade.cli_imported": "Daftar Pantarlih/KPPS desa {desa} tersimpan: {pantarlih} Pantarlih, {kpps} KPPS ({added} baru, {removed} dihapus).",
    # plan import: [[desa_bimtek]]
    "plan.desa_bimtek.imported": "Bimtek desa (kaskade): {count} ({new} baru).",
    "plan.error.desa_bimtek_level": 'level harus "pantarlih" atau "kpps", tertulis {value}',
    "plan.error.desa_bimtek_end_before_start": "end harus sesudah start",
    "plan.error.desa_bimtek_half_location": "latitude dan longitude harus diisi keduanya atau tidak sama sekali",
    "plan.error.desa_bimtek_radius": "radius_m harus bilangan bulat positif dan perlu latitude/longitude, tertulis {value}",
    "plan.error.desa_bimtek_unknown_desa": "{desa} tidak ada di daftar wilayah (atau tidak satu-satunya)",
    # rehearse: the cascade
    "rh.cascade_title": "Kaskade: Bimtek Pantarlih desa {desa}, diselenggarakan PPS {name}",
    "rh.cascade_no_pps": "Kaskade: desa {desa} tidak punya PPS terdaftar untuk gladi; dilewati.",
    "rh.cascade_scheduled": "  /bimtek_baru: dipindah ke {start} WIB di {venue}",
    "rh.cascade_registered": "  daftar Pantarlih dikirim sebagai dokumen; {count} Pantarlih mendaftar lewat /daftar",
    "rh.cascade_done": "  /qr: {present} dari {total} Pantarlih presensi; /rekap: {recap}",
    "checkin.other_desa": "Kode ini untuk Bimtek desa {desa}, bukan Bimtek Anda. Presensi di lokasi Bimtek Anda sendiri.",
    "cascade.progress_none_late": "✅ Semua desa sudah menjadwalkan.",
}
