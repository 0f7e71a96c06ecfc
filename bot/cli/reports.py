"""Command-line reports of the operator: `python -m bot report attendance --out FILE` (CSV or XLSX)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.attendance.exports import attendance_csv, attendance_xlsx
from bot.attendance.recap import attendance_recap, attendance_rows
from bot.core.db import READ_ONLY_OPTION, SessionFactory
from bot.privacy.audit import CLI_ACTOR, REPORT_ATTENDANCE, operator_name, record_access
from bot.texts import normalize_language, render_plain
from bot.texts.formatting import number, percent

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
REPORT_FORMATS = (".csv", ".xlsx")


async def report_attendance(
    factory: SessionFactory, out: Path, *, language: str, zone: ZoneInfo, now: datetime, stdout: TextIO
) -> int:
    """Write the whole regency's attendance to `out`, as CSV or XLSX by its extension; print one summary line.

    A bad extension prints one line and returns 2 without reading anything; the read never holds SQLite's
    write lock, so it can run next to the live bot.
    """
    language = normalize_language(language)
    suffix = out.suffix.lower()
    if suffix not in REPORT_FORMATS:
        print(render_plain(language, "cli.report.bad_extension", file=out.name), file=stdout)
        return EXIT_USAGE
    async with factory() as session:
        await session.connection(execution_options={READ_ONLY_OPTION: True})
        recap = await attendance_recap(session, None)
        rows = await attendance_rows(session, None)
    if suffix == ".csv":
        data = await asyncio.to_thread(attendance_csv, rows, language=language, zone=zone)
    else:
        data = await asyncio.to_thread(
            attendance_xlsx, recap, rows, language=language, zone=zone, generated_at=now
        )
    try:
        await asyncio.to_thread(out.write_bytes, data)
    except OSError as error:
        reason = error.strerror or str(error)
        print(render_plain(language, "cli.report.unwritable", file=out, reason=reason), file=stdout)
        return EXIT_FAILED

    # UU PDP: who took the whole roster's personal data out, and when.
    async with factory() as session, session.begin():
        detail: dict[str, object] = {"file": str(out), "members": len(rows), "os_user": operator_name()}
        await record_access(session, actor=CLI_ACTOR, action=REPORT_ATTENDANCE, detail=detail)

    ratio = recap.pps.present_ratio
    print(
        render_plain(
            language,
            "cli.report.written",
            path=out,
            members=number(len(rows), language),
            present=number(recap.pps.present, language),
            roster=number(recap.pps.roster, language),
            percent="–" if ratio is None else percent(ratio, language),
            ppk_present=number(recap.ppk.present, language),
            ppk_roster=number(recap.ppk.roster, language),
        ),
        file=stdout,
    )
    return EXIT_OK
