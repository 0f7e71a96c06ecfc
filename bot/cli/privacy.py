"""Personal data on the command line: `purge [--dry-run]` (retention) and `audit export [--output F]` (CSV)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.core.db import SessionFactory
from bot.privacy.audit import AUDIT_EXPORT, CLI_ACTOR, audit_csv, audit_entries, operator_name, record_access
from bot.privacy.retention import PurgeReport, run_purge
from bot.texts import render_plain
from bot.texts.formatting import number

EXIT_OK = 0
EXIT_FAILED = 1
_KINDS = ("deliveries", "deleted_account_deliveries", "messages", "audit_entries", "registration_attempts")


def _moment(moment: datetime | None, zone: ZoneInfo, language: str) -> str:
    if moment is None:
        return render_plain(language, "cli.purge.no_plan")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def purge_lines(report: PurgeReport, *, retain_days: int, language: str, zone: ZoneInfo) -> list[str]:
    """What a purge did (or would do), one line per kind, in the operator's language."""
    days = number(retain_days, language)
    if report.cutoff is None:
        lines = [
            render_plain(
                language,
                "cli.purge.not_yet",
                plan_end=_moment(report.plan_end, zone, language),
                kept_until=_moment(report.kept_until, zone, language),
                days=days,
            )
        ]
        if report.deleted_account_deliveries:
            lines.append(
                render_plain(
                    language,
                    "cli.purge.line",
                    kind=render_plain(language, "cli.purge.deleted_account_deliveries"),
                    count=number(report.deleted_account_deliveries, language),
                )
            )
        return lines
    key = "cli.purge.cutoff_dry" if report.dry_run else "cli.purge.cutoff"
    lines = [render_plain(language, key, cutoff=_moment(report.cutoff, zone, language), days=days)]
    for kind in _KINDS:
        count = getattr(report, kind)
        lines.append(
            render_plain(
                language,
                "cli.purge.line",
                kind=render_plain(language, f"cli.purge.{kind}"),
                count=number(count, language),
            )
        )
    lines.append(render_plain(language, "cli.purge.locations"))
    total_key = "cli.purge.total_dry" if report.dry_run else "cli.purge.total"
    lines.append(render_plain(language, total_key, count=number(report.total, language)))
    return lines


async def purge_command(
    factory: SessionFactory,
    *,
    retain_days: int,
    dry_run: bool,
    language: str,
    zone: ZoneInfo,
    now: datetime,
    out: TextIO,
) -> int:
    """`python -m bot purge [--dry-run]`: delete personal details past their retention; print what went."""
    report = await run_purge(factory, retain_days=retain_days, dry_run=dry_run, now=now)
    for line in purge_lines(report, retain_days=retain_days, language=language, zone=zone):
        print(line, file=out)
    return EXIT_OK


def default_audit_file(now: datetime, zone: ZoneInfo) -> Path:
    """Where `audit export` writes without --output: audit-log-YYYY-MM-DD.csv in the current folder."""
    return Path(f"audit-log-{now.astimezone(zone):%Y-%m-%d}.csv")


async def audit_export(
    factory: SessionFactory, output: Path, *, language: str, zone: ZoneInfo, out: TextIO
) -> int:
    """`python -m bot audit export [--output F]`: the audit log as CSV (UTF-8, comma-separated) to F."""
    async with factory() as session, session.begin():
        entries = await audit_entries(session)
        # The export of the audit is itself an access to personal data.
        detail: dict[str, object] = {"file": str(output), "os_user": operator_name()}
        await record_access(session, actor=CLI_ACTOR, action=AUDIT_EXPORT, detail=detail)
    data = audit_csv(
        entries,
        header_line=render_plain(language, "audit.personal_data"),
        columns=render_plain(language, "audit.columns").split(","),
        zone=zone,
    )
    try:
        await asyncio.to_thread(output.write_bytes, data)
    except OSError as error:
        reason = error.strerror or str(error)
        print(render_plain(language, "cli.audit.unwritable", file=output, reason=reason), file=out)
        return EXIT_FAILED
    print(
        render_plain(language, "cli.audit.written", path=output, count=number(len(entries), language)),
        file=out,
    )
    return EXIT_OK
