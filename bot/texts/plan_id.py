"""Indonesian texts of the training plan: `plan import` errors, warnings and summary, and `plan show`."""

TEXTS: dict[str, str] = {
    # Babel patterns (https://babel.pocoo.org/en/latest/dates.html), not sentences.
    "plan.format.date": "EEEE, d MMMM y",
    "plan.format.time": "HH.mm",
    # Where a problem is; table names stay as written in the file.
    "plan.place.line": "baris {line}",
    "plan.place.line_column": "baris {line}, kolom {column}",
    "plan.place.table": "[{table}]",
    "plan.place.entry": "{table} #{number}",
    "plan.place.entry_named": "{table} #{number} ({name})",
    "plan.place.key": "{place} {key}",
    "plan.issue": "{place}: {message}",
    "plan.warning": "Peringatan: {issue}",
    "plan.rejected": (
        "Rencana ditolak: {count} kesalahan. Tidak ada yang disimpan; perbaiki berkasnya lalu impor lagi."
    ),
    # Errors: the whole file is refused.
    "plan.error.unreadable": "Berkas {file} tidak bisa dibaca: {reason}",
    "plan.error.not_utf8": "berkas ini bukan teks UTF-8; simpan ulang sebagai UTF-8",
    "plan.error.syntax": "bukan TOML yang sah ({reason})",
    "plan.error.time_without_seconds": (
        "tulis waktu lengkap dengan detik, misalnya 08:00:00 (tertulis {value}; TOML mewajibkan detiknya)"
    ),
    "plan.error.unknown_table": "tabel [{table}] tidak dikenal; yang dikenal: {known}",
    "plan.error.unknown_table_similar": "tabel [{table}] tidak dikenal; maksudnya [{suggestion}]?",
    "plan.error.missing_table": "tabel [{table}] wajib ada, tetapi tidak ditemukan",
    "plan.error.not_a_table": "harus berupa satu tabel, ditulis [{table}]",
    "plan.error.not_an_array": "tulis setiap entri sebagai [[{table}]] (kurung siku ganda)",
    "plan.error.entry_not_a_table": "setiap entri harus berupa tabel",
    "plan.error.unknown_key": "kunci ini tidak dikenal; yang dikenal di sini: {known}",
    "plan.error.unknown_key_similar": "kunci ini tidak dikenal; maksudnya {suggestion}?",
    "plan.error.missing_key": "wajib diisi",
    "plan.error.missing_time": "wajib diisi, di entri ini atau di [session_defaults]",
    "plan.error.not_text": "harus teks dalam tanda kutip, tertulis {value}",
    "plan.error.empty_text": "tidak boleh kosong",
    "plan.error.too_long": "terlalu panjang: {length} karakter, paling banyak {limit}",
    "plan.error.not_number": "harus angka, tertulis {value}",
    "plan.error.not_integer": "harus bilangan bulat, tertulis {value}",
    "plan.error.not_date": "harus tanggal tanpa tanda kutip, misalnya 2024-06-03; tertulis {value}",
    "plan.error.not_time": (
        "harus waktu tanpa tanda kutip, misalnya 08:00:00, 2024-06-03T08:00:00 atau "
        "2024-06-03T08:00:00+07:00; tertulis {value}"
    ),
    "plan.error.bad_timezone": 'zona waktu {value} tidak dikenal; tulis nama IANA, misalnya "Asia/Jakarta"',
    "plan.error.latitude_range": "harus antara -90 dan 90, tertulis {value}",
    "plan.error.longitude_range": "harus antara -180 dan 180, tertulis {value}",
    "plan.error.coordinates_swapped": (
        "latitude {latitude} dan longitude {longitude} tampaknya tertukar; "
        "di Lebak latitude sekitar -6,x dan longitude sekitar 106,x"
    ),
    "plan.error.radius_range": "harus antara 0 dan {limit} meter (0 = tanpa cek lokasi), tertulis {value}",
    "plan.error.ends_not_after_starts": "ends ({ends}) harus setelah starts ({starts})",
    "plan.error.checkin_closes_not_after_opens": (
        "checkin_closes ({closes}) harus setelah checkin_opens ({opens})"
    ),
    "plan.error.checkin_closes_before_starts": (
        "checkin_closes ({closes}) sebelum sesi dimulai (starts {starts}); "
        "check-in harus masih buka saat sesi dimulai"
    ),
    "plan.error.checkin_closes_after_ends": (
        "checkin_closes ({closes}) setelah sesi selesai (ends {ends}); check-in harus tutup paling lambat saat sesi selesai"
    ),
    "plan.error.duplicate_kecamatan": "kecamatan {name} sudah punya sesi di session #{first}",
    "plan.error.no_sessions": "rencana belum berisi satu pun [[session]]",
    "plan.error.unknown_kecamatan": "kecamatan {name} tidak ada di daftar wilayah",
    "plan.error.unknown_kecamatan_similar": (
        "kecamatan {name} tidak ada di daftar wilayah; maksudnya {suggestions}?"
    ),
    "plan.error.ambiguous_kecamatan": "ada beberapa kecamatan bernama {name}: {candidates}",
    "plan.error.wilayah_empty": (
        "Daftar wilayah (kecamatan dan desa) masih kosong. Impor dulu: python -m bot wilayah import FILE"
    ),
    # Warnings: the plan is imported anyway.
    "plan.warning.outside_area": (
        "lokasi ({latitude}, {longitude}) di luar Kabupaten Lebak; periksa koordinatnya (tertukar atau salah ketik?)"
    ),
    "plan.warning.outside_area_sign": (
        "lokasi ({latitude}, {longitude}) di luar Kabupaten Lebak; tanda minus latitude hilang? "
        "(mungkin {fixed})"
    ),
    "plan.warning.offset_differs": (
        "waktu {value} memakai selisih {offset}, padahal zona rencana {zone} ({zone_offset}); "
        "artinya {local} waktu {zone}"
    ),
    "plan.warning.checkin_opens_early": (
        "check-in dibuka {opens}, {hours} jam sebelum sesi dimulai ({starts}); benar?"
    ),
    "plan.warning.other_day": "sesi dimulai pada {date}, bukan pada tanggal rencana {plan_date}",
    "plan.warning.long_session": "sesi berlangsung {hours} jam; benar?",
    "plan.warning.not_applied": (
        "{count} entri [[{table}]] terbaca tetapi belum diterapkan: versi bot ini belum mengolahnya"
    ),
    "plan.warning.missing_session": (
        "kecamatan {kecamatan} tidak punya sesi; {members} anggotanya di daftar tidak akan mendapat jadwal Bimtek"
    ),
    "plan.warning.missing_session_no_members": (
        "kecamatan {kecamatan} tidak punya sesi (belum ada anggotanya di daftar)"
    ),
    "plan.warning.kept_with_checkins": (
        "sesi {kecamatan} tidak ada lagi di rencana, tetapi tetap disimpan karena sudah ada {checkins} check-in"
    ),
    "plan.warning.changed_with_checkins": ("sesi {kecamatan} diubah padahal sudah ada {checkins} check-in"),
    # plan import
    "plan.past": (
        "Rencana di {file} untuk hari {date}, yang sudah lewat; tidak ada yang disimpan. Pindahkan ke hari "
        "Bimtek yang baru dengan --on TANGGAL (mis. --on {example}), atau simpan apa adanya dengan --past."
    ),
    "plan.imported": (
        "Rencana „{name}” ({file}) diimpor: Bimtek {date}, {sessions} sesi — "
        "{new} baru, {updated} diubah, {unchanged} tidak berubah."
    ),
    "plan.moved": "Rencana dipindahkan dari {written} ke {date} ({days} hari); jam dan zonanya tetap.",
    "plan.removed": "{count} sesi dihapus karena kecamatannya tidak ada lagi di rencana.",
    # plan show
    "plan.show.empty": "Belum ada sesi Bimtek. Impor rencananya dulu: python -m bot plan import FILE",
    "plan.show.header": "Jadwal Bimtek: {sessions} sesi (waktu {zone})",
    "plan.show.day": "\n{date}",
    "plan.show.event": "  {time} {zone}  {event}: {sessions} sesi, {members} anggota",
    "plan.show.event_some": "  {time} {zone}  {event}: {sessions} sesi ({names}), {members} anggota",
    "plan.show.more": "{names} dan {more} lainnya",
    "plan.event.checkin_opens": "Check-in dibuka",
    "plan.event.starts": "Bimtek dimulai",
    "plan.event.checkin_closes": "Check-in ditutup",
    "plan.event.ends": "Bimtek selesai",
    "plan.show.venues": "\nTempat per kecamatan:",
    "plan.show.venue_address": "{venue}, {address}",
    "plan.show.session": (
        "  {kecamatan}: {place}\n"
        "      {date} {starts}–{ends} {zone}; check-in {opens}–{closes}; {check}; "
        "lokasi {latitude}, {longitude}; {members} anggota"
    ),
    "plan.show.radius": "radius {radius} m",
    "plan.show.no_radius": "tanpa cek lokasi",
}
