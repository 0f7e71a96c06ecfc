"""English texts of the attendance feature: /rekap, /ekspor and `report attendance`."""

TEXTS: dict[str, str] = {
    # /rekap: the numbers
    "attendance.recap_title": "<b>Bimtek attendance — {scope}</b>\nAs of {when}",
    "attendance.recap_columns": "PPS present / registered with the bot / on the roster (% present):",
    "attendance.recap_line": "• {kecamatan}: {present} / {registered} / {roster} ({percent})",
    "attendance.recap_line_no_session": (
        "• {kecamatan}: {present} / {registered} / {roster} ({percent}) — no Bimtek session yet"
    ),
    "attendance.recap_total": "<b>PPS total: {present} / {registered} / {roster} ({percent})</b>",
    "attendance.recap_ppk": "PPK: {present} of {roster} present ({percent}), {registered} registered with the bot",
    "attendance.recap_desa": (
        "Desa/kelurahan by number of PPS present (of {total}):\n"
        "3 present: {present_3} · 2 present: {present_2} · 1 present: {present_1} · 0 present: {present_0}"
    ),
    "attendance.recap_hint_regency": (
        "Who is absent: <code>/rekap kecamatan name</code>, e.g. <code>/rekap {example}</code>. "
        "Download XLSX: /ekspor"
    ),
    "attendance.recap_hint_kecamatan": "Who is absent: <code>/rekap {kecamatan}</code>. Download XLSX: /ekspor",
    "attendance.no_regions": (
        "There are no kecamatan yet. Import the region list and the roster first (python -m bot wilayah "
        "import, python -m bot roster import)."
    ),
    "attendance.chart_caption": "PPS attendance per kecamatan, as of {when}",
    # /rekap <kecamatan>: who is absent
    "attendance.absent_title": (
        "<b>Not checked in — Kecamatan {kecamatan}</b>\nAs of {when}\n"
        "PPS present: {present} of {roster} ({percent}). Not checked in: {count} people."
    ),
    "attendance.absent_desa": "<b>{desa}</b>",
    "attendance.absent_ppk": "<b>PPK of Kecamatan {kecamatan}</b>",
    "attendance.absent_line": "• {name} — {position}, {status}, {phone}",
    "attendance.status_registered": "registered with the bot",
    "attendance.status_unregistered": "not registered with the bot",
    "attendance.none_absent": "✅ Every PPS and PPK member of Kecamatan {kecamatan} has checked in.",
    "attendance.no_session": "⚠️ Kecamatan {kecamatan} has no Bimtek session yet.",
    "attendance.unknown_kecamatan": "No kecamatan called «{name}». Check the spelling.",
    "attendance.suggestions": "Did you mean: {names}",
    "attendance.ambiguous_kecamatan": (
        "More than one kecamatan is called «{name}»: {candidates}. Give its code, "
        "e.g. <code>/rekap {code}</code>"
    ),
    # Anything longer than one message goes as a file
    "attendance.as_file": "{title}\nThe list is too long for one Telegram message; it is in this file.",
    "attendance.recap_file_title": "Bimtek attendance — {scope}",
    "attendance.absent_file_title": "Not checked in — Kecamatan {kecamatan}",
    "attendance.recap_filename": "attendance-{stamp}.txt",
    "attendance.absent_filename": "not-checked-in-{kecamatan}-{stamp}.txt",
    # /ekspor
    "attendance.export_filename": "attendance-{stamp}.xlsx",
    "attendance.export_filename_kecamatan": "attendance-{kecamatan}-{stamp}.xlsx",
    "attendance.export_preparing": (
        "⏳ Preparing the attendance file ({members} people)… It is sent as soon as it is ready; the bot keeps working meanwhile."
    ),
    "attendance.export_failed": "Sorry, the attendance file could not be made. Try /ekspor again in a moment.",
    "attendance.export_caption": (
        "📊 Bimtek attendance — {scope}\nAs of {when}\nPPS present: {present} of {roster} ({percent})"
    ),
    # python -m bot report attendance --out FILE
    "cli.report.written": (
        "Attendance written to {path}: {members} members; PPS present {present} of {roster} ({percent}), "
        "PPK present {ppk_present} of {ppk_roster}."
    ),
    "cli.report.bad_extension": "File {file} is not supported: the file name must end in .csv or .xlsx.",
    "cli.report.unwritable": "File {file} cannot be written: {reason}",
}
