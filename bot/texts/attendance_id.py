"""Indonesian texts of the attendance feature: /rekap, /ekspor and `report attendance`."""

TEXTS: dict[str, str] = {
    # /rekap: the numbers
    "attendance.recap_title": "<b>Rekap kehadiran Bimtek — {scope}</b>\nData per {when}",
    "attendance.recap_columns": "PPS hadir / terdaftar di bot / jumlah PPS (% hadir):",
    "attendance.recap_line": "• {kecamatan}: {present} / {registered} / {roster} ({percent})",
    "attendance.recap_line_no_session": (
        "• {kecamatan}: {present} / {registered} / {roster} ({percent}) — belum ada jadwal Bimtek"
    ),
    "attendance.recap_total": "<b>Jumlah PPS: {present} / {registered} / {roster} ({percent})</b>",
    "attendance.recap_ppk": "PPK: hadir {present} dari {roster} ({percent}), terdaftar di bot {registered}",
    "attendance.recap_desa": (
        "Desa/kelurahan menurut jumlah PPS yang hadir (dari {total}):\n"
        "3 hadir: {present_3} · 2 hadir: {present_2} · 1 hadir: {present_1} · 0 hadir: {present_0}"
    ),
    "attendance.recap_hint_regency": (
        "Siapa yang belum hadir: <code>/rekap nama kecamatan</code>, contoh <code>/rekap {example}</code>. "
        "Unduh XLSX: /ekspor"
    ),
    "attendance.recap_hint_kecamatan": (
        "Siapa yang belum hadir: <code>/rekap {kecamatan}</code>. Unduh XLSX: /ekspor"
    ),
    "attendance.no_regions": (
        "Belum ada data kecamatan. Impor daftar wilayah dan roster dulu (python -m bot wilayah import, "
        "python -m bot roster import)."
    ),
    "attendance.chart_caption": "Grafik kehadiran PPS per kecamatan, data per {when}",
    # /rekap <kecamatan>: who is absent
    "attendance.absent_title": (
        "<b>Belum presensi — Kecamatan {kecamatan}</b>\nData per {when}\n"
        "PPS hadir {present} dari {roster} ({percent}). Belum presensi: {count} orang."
    ),
    "attendance.absent_desa": "<b>{desa}</b>",
    "attendance.absent_ppk": "<b>PPK Kecamatan {kecamatan}</b>",
    "attendance.absent_line": "• {name} — {position}, {status}, {phone}",
    "attendance.status_registered": "terdaftar di bot",
    "attendance.status_unregistered": "belum terdaftar di bot",
    "attendance.none_absent": "✅ Semua anggota PPS dan PPK Kecamatan {kecamatan} sudah presensi.",
    "attendance.no_session": "⚠️ Belum ada jadwal Bimtek untuk Kecamatan {kecamatan}.",
    "attendance.unknown_kecamatan": "Kecamatan «{name}» tidak ditemukan. Periksa ejaannya.",
    "attendance.suggestions": "Mungkin maksud Anda: {names}",
    "attendance.ambiguous_kecamatan": (
        "Ada lebih dari satu kecamatan bernama «{name}»: {candidates}. Sebutkan kodenya, "
        "contoh: <code>/rekap {code}</code>"
    ),
    # Anything longer than one message goes as a file
    "attendance.as_file": "{title}\nDaftarnya terlalu panjang untuk satu pesan Telegram; isinya ada di berkas ini.",
    "attendance.recap_file_title": "Rekap kehadiran Bimtek — {scope}",
    "attendance.absent_file_title": "Belum presensi — Kecamatan {kecamatan}",
    "attendance.recap_filename": "rekap-kehadiran-{stamp}.txt",
    "attendance.absent_filename": "belum-presensi-{kecamatan}-{stamp}.txt",
    # /ekspor
    "attendance.export_filename": "rekap-presensi-{stamp}.xlsx",
    "attendance.export_filename_kecamatan": "rekap-presensi-{kecamatan}-{stamp}.xlsx",
    "attendance.export_preparing": (
        "⏳ Menyiapkan berkas rekap presensi ({members} orang)… Berkas dikirim begitu selesai; sementara itu bot tetap bisa dipakai."
    ),
    "attendance.export_failed": "Maaf, berkas rekap presensi gagal dibuat. Coba /ekspor lagi sebentar lagi.",
    "attendance.export_caption": (
        "📊 Rekap kehadiran Bimtek — {scope}\nData per {when}\nPPS hadir {present} dari {roster} ({percent})"
    ),
    # python -m bot report attendance --out FILE
    "cli.report.written": (
        "Rekap kehadiran ditulis ke {path}: {members} anggota; PPS hadir {present} dari {roster} ({percent}), "
        "PPK hadir {ppk_present} dari {ppk_roster}."
    ),
    "cli.report.bad_extension": (
        "Berkas {file} tidak didukung: nama berkas harus berakhiran .csv atau .xlsx."
    ),
    "cli.report.unwritable": "Berkas {file} tidak bisa ditulis: {reason}",
}
