"""Indonesian texts of the command line (roster and region imports, coordinator grants)."""

TEXTS: dict[str, str] = {
    # Shared by the imports
    "cli.row": "Baris {row}: {message}",
    "cli.rejected": "Tidak ada data yang disimpan: perbaiki {count} kesalahan lalu impor ulang.",
    "cli.nothing_saved": "Tidak ada data yang disimpan.",
    "cli.wilayah_empty": (
        "Daftar wilayah (kecamatan dan desa/kelurahan) masih kosong. Impor dulu dengan perintah:\n"
        "  python -m bot wilayah import FILE"
    ),
    # Every command: the database it used, what `migrate` did, and the one line for each expected failure
    "cli.database": "Basis data: {url}",
    "cli.migrate.created": "Basis data disiapkan dari kosong: skema dipasang sampai revisi {after}.",
    "cli.migrate.upgraded": "Skema basis data diperbarui dari revisi {before} ke {after}.",
    "cli.migrate.current": "Skema basis data sudah terbaru (revisi {after}); tidak ada yang diubah.",
    "cli.fail.config": "Konfigurasi belum benar: {detail}",
    "cli.fail.placeholder_token": (
        "Token bot masih contoh dari config.example.toml. Minta token asli ke @BotFather di Telegram, "
        "lalu isi [telegram] token atau PPSBOT_TELEGRAM_TOKEN."
    ),
    "cli.fail.token_rejected": (
        "Telegram menolak token bot (401 Unauthorized). Minta token yang benar ke @BotFather, "
        "lalu isi [telegram] token atau PPSBOT_TELEGRAM_TOKEN."
    ),
    "cli.fail.telegram_unreachable": (
        "Telegram tidak bisa dihubungi di {url} (percobaan {attempt}): dicoba lagi dalam {seconds} detik. "
        "Periksa koneksi internet atau [telegram] base_url."
    ),
    "cli.fail.polling": "Gagal mengambil pesan baru dari Telegram ({error}); dicoba lagi otomatis.",
    # The webhook endpoint (bot/runtime/webhook.py): one line per refused request, never its body
    "cli.webhook.listening": "Webhook siap menerima pembaruan dari Telegram di {address}.",
    "cli.webhook.refused": "Permintaan webhook dari {peer} ditolak ({status}): {reason}.",
    "cli.webhook.no_secret": "tanpa secret token, jadi bukan dari Telegram",
    "cli.webhook.wrong_secret": "secret token salah, jadi bukan dari Telegram",
    "cli.webhook.too_large": "isinya terlalu besar untuk sebuah pembaruan",
    "cli.webhook.not_utf8": "isinya bukan teks UTF-8",
    "cli.webhook.not_json": "isinya bukan JSON",
    "cli.webhook.not_update": "isinya bukan pembaruan (Update) Telegram",
    "cli.fail.db_unreachable": (
        "Server basis data {url} tidak bisa dihubungi. Pastikan PostgreSQL berjalan, "
        "dan periksa alamat di [database] url atau PPSBOT_DATABASE_URL."
    ),
    "cli.fail.db_missing": (
        "Basis data {url} tidak ada. Buat dulu (misalnya: createdb {name}), "
        "lalu jalankan: python -m bot migrate"
    ),
    "cli.fail.db_folder_missing": (
        "Folder {folder} untuk berkas basis data tidak ada. Buat folder itu, atau perbaiki [database] url."
    ),
    "cli.fail.db_refused_login": (
        "Server basis data {url} menolak login. Periksa nama pengguna dan kata sandi di [database] url."
    ),
    "cli.fail.db_empty": "Basis data {url} masih kosong. Jalankan dulu: python -m bot migrate",
    "cli.fail.db_not_migrated": (
        "Skema basis data {url} masih revisi {current}, program memerlukan {head}. "
        "Jalankan dulu: python -m bot migrate"
    ),
    "cli.fail.unexpected": (
        "Kesalahan tak terduga: {error}. Jalankan lagi dengan --debug untuk melihat rinciannya."
    ),
    "cli.fail.interrupted": "Dihentikan (Ctrl-C).",
    # backup
    "cli.backup.written": (
        "Cadangan ditulis: {file} ({size}); salinannya bisa dibuka dan berada di revisi skema {revision}."
    ),
    "cli.backup.exists": (
        "Berkas {file} sudah ada dan tidak ditimpa. Pilih nama lain, atau tambahkan --force untuk menimpanya."
    ),
    "cli.backup.no_folder": "Folder {folder} untuk berkas cadangan tidak ada. Buat folder itu dulu.",
    "cli.backup.no_file": (
        "Berkas basis data {file} tidak ada, jadi tidak ada yang dicadangkan. Periksa [database] url."
    ),
    "cli.backup.unusable": (
        "Salinan {file} tidak bisa dipakai ({reason}); cadangan lama (kalau ada) tidak diubah. Coba lagi."
    ),
    "cli.backup.postgres": (
        "Basis data ini PostgreSQL: perintah backup hanya untuk SQLite. Cadangkan dengan pg_dump: {command}"
    ),
    "cli.backup.postgres_password": (
        "(*** adalah kata sandi dari [database] url: berikan lewat PGPASSWORD atau ~/.pgpass, "
        "dan hapus :*** dari alamatnya.)"
    ),
    # wilayah import
    "cli.wilayah.imported": (
        "Wilayah diimpor: {kecamatan} kecamatan (baru {kecamatan_new}, diperbarui {kecamatan_updated}, "
        "tidak berubah {kecamatan_unchanged}); {desa} desa/kelurahan, di antaranya {kelurahan} kelurahan "
        "(baru {desa_new}, diperbarui {desa_updated}, tidak berubah {desa_unchanged})."
    ),
    "cli.wilayah.not_in_file": (
        "Perhatian: {kecamatan} kecamatan dan {desa} desa/kelurahan di basis data tidak ada di berkas ini; "
        "data itu tetap disimpan."
    ),
    "cli.wilayah.error.unreadable": "Berkas {file} tidak bisa dibaca: {reason}",
    "cli.wilayah.error.unsupported_file": (
        "Berkas {file} bukan CSV. Daftar wilayah diimpor dari berkas .csv dengan kolom "
        "kode_kecamatan, kecamatan, kode_desa, desa, jenis."
    ),
    "cli.wilayah.error.no_rows": "Berkas tidak berisi data wilayah.",
    "cli.wilayah.error.missing_columns": (
        "kolom {columns} tidak ada di baris judul (yang diperlukan: kode_kecamatan, kecamatan, kode_desa, "
        "desa, jenis)"
    ),
    "cli.wilayah.error.missing_value": "kolom {column} kosong",
    "cli.wilayah.error.bad_kind": "jenis '{value}' tidak dikenal (desa atau kelurahan)",
    "cli.wilayah.error.code_outside_kecamatan": (
        "kode desa {desa_code} tidak berada di bawah kode kecamatan {kecamatan_code}"
    ),
    "cli.wilayah.error.duplicate_desa_code": "kode desa {code} sudah dipakai di baris {first_row}",
    "cli.wilayah.error.kecamatan_name_conflict": (
        "kecamatan {code} ditulis '{name}', padahal di baris {first_row} ditulis '{first_name}'"
    ),
    # roster import: the file as a whole
    "cli.roster.error.unsupported_file": (
        "Berkas {file} tidak didukung: gunakan CSV (.csv) atau Excel (.xlsx)."
    ),
    "cli.roster.error.unreadable": "Berkas {file} tidak bisa dibaca: {reason}",
    "cli.roster.error.invalid_xlsx": (
        "Berkas {file} bukan berkas Excel .xlsx yang sah. Simpan ulang dari Excel sebagai .xlsx atau CSV."
    ),
    "cli.roster.error.no_header": (
        "Berkas kosong: baris judul kolom (kecamatan, desa, nama, jabatan, telepon) tidak ditemukan."
    ),
    "cli.roster.error.missing_columns": (
        "Kolom {columns} tidak ditemukan di baris judul. "
        "Kolom yang diperlukan: kecamatan, desa, nama, jabatan, telepon."
    ),
    "cli.roster.error.duplicate_columns": "Kolom {columns} muncul lebih dari sekali di baris judul.",
    "cli.roster.error.no_rows": "Berkas tidak berisi satu pun anggota.",
    # roster import: one row
    "cli.roster.error.empty_name": "nama kosong",
    "cli.roster.error.name_too_long": "nama lebih dari {max} karakter",
    "cli.roster.error.unknown_position": "jabatan '{value}' tidak dikenal (Ketua, Anggota atau PPK)",
    "cli.roster.error.missing_phone": "nomor telepon kosong",
    "cli.roster.error.invalid_phone": "nomor telepon '{value}' tidak bisa dibaca sebagai nomor HP Indonesia",
    "cli.roster.error.duplicate_phone": "nomor telepon {phone} sudah dipakai di baris {first_row}",
    "cli.roster.error.missing_kecamatan": "kecamatan kosong",
    "cli.roster.error.unknown_kecamatan": "kecamatan '{kecamatan}' tidak ada di daftar wilayah",
    "cli.roster.error.unknown_kecamatan_similar": (
        "kecamatan '{kecamatan}' tidak ada di daftar wilayah; mungkin maksud Anda: {suggestions}"
    ),
    "cli.roster.error.ambiguous_kecamatan": (
        "nama kecamatan '{kecamatan}' dipakai oleh lebih dari satu kecamatan ({codes})"
    ),
    "cli.roster.error.missing_desa": (
        "desa/kelurahan kosong; Ketua dan Anggota PPS harus punya desa/kelurahan"
    ),
    "cli.roster.error.ppk_with_desa": (
        "baris PPK berisi desa/kelurahan '{desa}'; PPK bertugas di tingkat kecamatan: kosongkan kolom desa, "
        "atau perbaiki jabatan jika ini anggota PPS"
    ),
    "cli.roster.error.unknown_desa": "desa/kelurahan '{desa}' tidak ada di Kecamatan {kecamatan}",
    "cli.roster.error.desa_in_other_kecamatan": (
        "desa/kelurahan '{desa}' tidak ada di Kecamatan {kecamatan}, melainkan di Kecamatan {actual}"
    ),
    "cli.roster.error.ambiguous_desa": (
        "ada lebih dari satu desa/kelurahan bernama '{desa}' di Kecamatan {kecamatan} ({codes})"
    ),
    "cli.roster.error.second_ketua": "desa/kelurahan {desa} sudah punya Ketua di baris {first_row}",
    "cli.roster.error.desa_full": "desa/kelurahan {desa} sudah punya {limit} anggota PPS (baris {rows})",
    # roster import: the summary
    "cli.roster.imported": (
        "Roster diimpor: {kecamatan} kecamatan, {desa} desa/kelurahan; Ketua {ketua}, Anggota {anggota}, "
        "PPK {ppk}; baru {new}, diperbarui {updated}, tidak berubah {unchanged}, dinonaktifkan {deactivated}."
    ),
    "cli.roster.reactivated": "Diaktifkan kembali: {count} anggota yang sebelumnya dinonaktifkan.",
    "cli.roster.understaffed": (
        "Perhatian: menurut berkas ini, {understaffed} desa/kelurahan punya kurang dari {limit} anggota PPS "
        "dan {without_ketua} desa/kelurahan belum punya Ketua."
    ),
    "cli.roster.member": "{name} — {position}, {place}, {phone}",
    "cli.roster.place_desa": "{desa}, Kecamatan {kecamatan}",
    "cli.roster.place_kecamatan": "Kecamatan {kecamatan}",
    "cli.roster.item": "  - {member}",
    "cli.roster.item_registered": "  - {member} (sudah terdaftar di bot)",
    "cli.roster.more": "  … dan {count} lainnya (--dry-run menampilkan semuanya)",
    "cli.roster.deactivated_header": "Dinonaktifkan karena tidak ada lagi di berkas ({count}):",
    "cli.roster.added_header": "Ditambahkan ({count}):",
    "cli.roster.changed_header": "Diubah ({count}):",
    "cli.roster.changed": "{member}: {changes}",
    "cli.roster.change.name": "nama {before} → {after}",
    "cli.roster.change.position": "jabatan {before} → {after}",
    "cli.roster.change.place": "tempat {before} → {after}",
    "cli.roster.change.reactivated": "diaktifkan kembali",
    "cli.roster.confirm": (
        "Impor ini akan menonaktifkan {count} dari {active} anggota aktif (lebih dari {limit}%); "
        "tidak ada yang disimpan. Periksa daftarnya (--dry-run menampilkan semua perubahan); "
        "jika memang benar, ulangi dengan --yes."
    ),
    "cli.roster.dry_run": (
        "Uji coba (--dry-run), tidak ada yang disimpan: baru {new}, diperbarui {updated}, "
        "diaktifkan kembali {reactivated}, dinonaktifkan {deactivated}, tidak berubah {unchanged}."
    ),
    "cli.roster.dry_run_confirm": (
        "Impor sebenarnya perlu --yes: menonaktifkan {count} dari {active} anggota aktif "
        "(lebih dari {limit}%)."
    ),
    # coordinator add
    "cli.scope.regency": "Kabupaten Lebak",
    "cli.scope.kecamatan": "Kecamatan {kecamatan}",
    "cli.coordinator.added": "Koordinator ditambahkan: {phone}, cakupan {scope}.",
    "cli.coordinator.changed": "Cakupan koordinator {phone} diubah: {previous} → {scope}.",
    "cli.coordinator.unchanged": "{phone} sudah menjadi koordinator dengan cakupan {scope}; tidak ada yang diubah.",
    "cli.coordinator.next_step": (
        "Pemilik nomor itu lalu membuka bot dan mengetik /daftar untuk masuk sebagai koordinator."
    ),
    "cli.coordinator.none": (
        "Belum ada koordinator. Tambahkan dengan: python -m bot coordinator add --phone NOMOR [--kecamatan K]"
    ),
    "cli.coordinator.list_header": "Koordinator ({count}):",
    "cli.coordinator.list_item": "  - {phone} · {name} · {scope} · {status}",
    "cli.coordinator.no_name": "(tidak ada di roster)",
    "cli.coordinator.registered": "sudah masuk ke bot (id Telegram {user_id})",
    "cli.coordinator.not_registered": "belum masuk ke bot (/daftar)",
    "cli.coordinator.removed": "Peran koordinator {phone} (cakupan {scope}) dicabut.",
    "cli.coordinator.not_found": (
        "Tidak ada koordinator dengan nomor {phone}; tidak ada yang diubah. "
        "Lihat daftarnya: python -m bot coordinator list"
    ),
    "cli.coordinator.invalid_phone": "Nomor '{phone}' tidak bisa dibaca sebagai nomor telepon.",
    "cli.coordinator.unknown_kecamatan": "Kecamatan '{kecamatan}' tidak ada di daftar wilayah.",
    "cli.coordinator.ambiguous_kecamatan": (
        "Nama kecamatan '{kecamatan}' dipakai oleh lebih dari satu kecamatan: {candidates}."
    ),
    "cli.coordinator.suggestions": "Mungkin maksud Anda: {names}",
    # python -m bot rehearse
    "rh.title": "Gladi Bimtek (tanpa internet, tanpa token): sandbox Telegram + bot di basis data sementara",
    "rh.folder": "Folder hasil: {path}",
    "rh.step": "• {text}",
    "rh.wilayah_fallback": "Daftar wilayah resmi tidak ditemukan ({path}); memakai wilayah buatan dari kecamatan di rencana.",
    "rh.people": (
        "Peserta simulasi: {registered} sudah mendaftar sebelumnya, {late} mendaftar belakangan lewat bot, "
        "{never} tidak pernah mendaftar, {blocked} memblokir bot."
    ),
    "rh.checkin_plan": (
        "Rencana presensi: {qr} lewat QR/kode, {far} dari lokasi yang terlalu jauh, {expired} dengan kode "
        "kedaluwarsa, {absent} tidak hadir."
    ),
    "rh.clock": "Waktu rencana dimulai {start}; kecepatan {speed}× (1 menit nyata = {speed} menit rencana).",
    "rh.jump": "… lompat ke {time} (tidak ada kegiatan sebelum itu)",
    "rh.broadcast_start": "▶ {plan_time} | nyata +{real} | «{first_line}» → {recipients} penerima",
    "rh.broadcast_done": "✔ {plan_time} | nyata +{real} | #{id} terkirim {sent}, tak terjangkau {blocked}, gagal {failed}",
    "rh.progress": "Presensi {bar} {done}/{total}",
    "rh.recap_title": "Rekap kehadiran",
    "rh.recap_line": "{kecamatan}: hadir {present}/{roster} ({percent})",
    "rh.recap_total": "Total: hadir {present} dari {roster} PPS ({percent}); desa lengkap 3/3: {full}, 0/3: {empty}",
    "rh.outcomes": (
        "Hasil presensi simulasi: tercatat {ok}, ditolak karena jauh {far}, kode kedaluwarsa {expired}, "
        "pendaftar belakangan berhasil {late}"
    ),
    "rh.delivery_title": "Laporan pengiriman",
    "rh.delivery_line": "#{id} {plan_time} «{first_line}»: terkirim {sent}/{total}, tak terjangkau {blocked}, gagal {failed}",
    "rh.files": "Ekspor XLSX: {xlsx}\nGrafik kehadiran: {chart}",
    "rh.no_program": "Rencana ini tidak memuat pengumuman terjadwal ([[announcement]]); hanya presensi yang disimulasikan.",
    "rh.plan_failed": "Rencana ditolak; perbaiki kesalahan di atas lalu ulangi gladi.",
    "rh.checkin_plan_ppk": "PPK: {coming} dari {total} juga melakukan presensi di sesi kecamatannya.",
    "rh.limits": (
        "Batas Telegram (30 pesan/detik, pengumuman 25/detik, 1 pesan/detik per chat) berlaku pada waktu "
        "rencana: lamanya pengiriman ikut berjalan di jam rencana. Sandbox sendiri tidak membatasi."
    ),
    "rh.sample_note": "Baris pertama pengumuman ditampilkan terisi untuk satu penerima contoh (tanda «contoh: …»).",
    "rh.sample": "contoh: {name}",
    "rh.placeholders": "tempat isian, tanpa penerima",
    "rh.duties_skipped": (
        "{count} pengingat tugas setelah hari Bimtek tidak digladikan (tambahkan --with-duties untuk masa tugas)."
    ),
    "rh.interrupted": "Dihentikan (Ctrl-C): menutup gladi dan menulis ringkasan sejauh ini…",
    # Several processes on one database (bot/runtime/processes.py)
    "cli.fail.sqlite_in_use": (
        "Basis data SQLite {database} sedang dipakai proses bot lain (kunci {lock}). SQLite hanya untuk satu "
        "proses bot: hentikan proses yang lain, atau pakai PostgreSQL untuk menjalankan beberapa proses."
    ),
    "cli.fail.worker_needs_postgres": (
        "`python -m bot worker` butuh PostgreSQL ([database] url). Dengan SQLite, `python -m bot run` sudah "
        "mengirim siaran sendiri: jalankan itu saja."
    ),
    "cli.fail.lock_lost": (
        "Koneksi basis data yang memegang kunci proses ini terputus ({detail}); proses berhenti agar proses "
        "lain dapat mengambil alih. Jalankan lagi (systemd menyalakannya lagi sendiri)."
    ),
    "cli.processes.standby": (
        "Proses `run` lain sudah menerima pesan Telegram untuk basis data ini; proses ini menunggu sebagai "
        "cadangan dan mengambil alih bila proses itu berhenti."
    ),
    "cli.processes.leader": "Proses ini menerima pesan Telegram dan menjalankan jadwal (proses pembaruan).",
}
