"""Entry point of `python -m bot`: the command line's parser and dispatch (the commands live in bot/cli)."""

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cli.failures import report
from bot.core.config import ENV_TELEGRAM_TOKEN, Config, load_config, require_real_token
from bot.core.config_sections import mask_url
from bot.core.db import SessionFactory, ensure_schema, make_engine, make_session_factory, upgrade_to_head
from bot.core.logs import Secrets, configure_logging, install_redacting_excepthook
from bot.data import LEBAK_WILAYAH_CSV
from bot.texts import DEFAULT_LANGUAGE, render_plain

DEBUG_HELP = "on a failure, also print its traceback (the bot token stays hidden)"


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-14") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="PPS Bimtek bot (KPU Kabupaten Lebak)")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    # Also accepted after the sub-command; SUPPRESS keeps a sub-command from resetting the global flag.
    debug_option = argparse.ArgumentParser(add_help=False)
    debug_option.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    config_option = argparse.ArgumentParser(add_help=False, parents=[debug_option])
    config_option.add_argument("--config", help="config file (default: $PPSBOT_CONFIG or ./config.toml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("run", parents=[config_option], help="run the bot (polling or webhook, from config)")
    commands.add_parser("migrate", parents=[config_option], help="upgrade the database schema to the latest")
    commands.add_parser(
        "worker",
        parents=[config_option],
        help="send broadcasts from the outbox beside one `run` (PostgreSQL; no updates, no jobs)",
    )

    wilayah = commands.add_parser("wilayah", help="the official list of kecamatan and desa/kelurahan")
    wilayah_commands = wilayah.add_subparsers(dest="action", required=True, metavar="ACTION")
    wilayah_import = wilayah_commands.add_parser(
        "import", parents=[config_option], help="import the region CSV"
    )
    wilayah_import.add_argument(
        "file",
        type=Path,
        nargs="?",
        default=LEBAK_WILAYAH_CSV,
        help="the region CSV (default: the official Lebak list the bot ships, 28 kecamatan, 345 desa/kelurahan)",
    )

    roster = commands.add_parser("roster", help="the PPS/PPK roster")
    roster_commands = roster.add_subparsers(dest="action", required=True, metavar="ACTION")
    roster_import = roster_commands.add_parser(
        "import", parents=[config_option], help="import the roster (CSV or XLSX), all or nothing"
    )
    roster_import.add_argument(
        "file", type=Path, help="the roster: .csv or .xlsx with kecamatan, desa, nama, jabatan, telepon"
    )
    roster_import.add_argument(
        "--dry-run",
        action="store_true",
        help="print every change (added, changed, deactivated members) and write nothing",
    )
    roster_import.add_argument(
        "--desa",
        metavar="DESA",
        help="import a desa's Pantarlih/KPPS roster instead (nama, jabatan, tps, telepon): the desa's code or name",
    )
    roster_import.add_argument(
        "--kecamatan", metavar="K", help="with --desa given by name: the kecamatan it is in"
    )
    roster_import.add_argument(
        "--yes",
        action="store_true",
        help="confirm an import that deactivates more than 5%% of the active members",
    )

    plan = commands.add_parser("plan", help="the training plan: sessions, program, duties")
    plan_commands = plan.add_subparsers(dest="action", required=True, metavar="ACTION")
    plan_import = plan_commands.add_parser(
        "import",
        parents=[config_option],
        help="import a plan file (TOML); a plan whose day is over needs --on or --past",
    )
    plan_import.add_argument("file", type=Path, help="the plan file, e.g. bot/plans/lebak_bimtek_2024.toml")
    plan_when = plan_import.add_mutually_exclusive_group()
    plan_when.add_argument(
        "--on",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="move the plan to this training day: every time in it moves by whole days "
        "(times of day and zone unchanged)",
    )
    plan_when.add_argument(
        "--past", action="store_true", help="store a plan whose day is over as written (nothing is re-dated)"
    )
    plan_commands.add_parser("show", parents=[config_option], help="print the plan's timeline in WIB")

    rehearse = commands.add_parser(
        "rehearse", help="run the training day offline: the sandbox, the bot and simulated members"
    )
    rehearse.add_argument("--plan", type=Path, help="plan file (default: the example plan for Lebak)")
    rehearse.add_argument("--roster", type=Path, help="roster file (default: a synthetic roster)")
    rehearse.add_argument(
        "--wilayah", type=Path, help="region list CSV (default: the Lebak list the bot ships)"
    )
    rehearse.add_argument(
        "--speed", type=float, default=60.0, help="plan minutes per real minute (default 60)"
    )
    rehearse.add_argument("--out", type=Path, help="folder for the database, the export and the chart")
    rehearse.add_argument("--seed", type=int, default=1, help="seed of the simulated members' behaviour")
    rehearse.add_argument("--language", choices=["id", "en"], default="id")
    rehearse.add_argument(
        "--board",
        action="store_true",
        help="serve the live board while the day runs and print its link (open it in a browser)",
    )
    rehearse.add_argument(
        "--board-port", type=int, default=0, help="port of the board with --board (default: a free one)"
    )
    rehearse.add_argument(
        "--with-duties",
        action="store_true",
        help="go on after the training day through the duty period (its reminders, weeks of plan time)",
    )

    coordinator = commands.add_parser("coordinator", help="coordinator roles")
    coordinator_commands = coordinator.add_subparsers(dest="action", required=True, metavar="ACTION")
    coordinator_add = coordinator_commands.add_parser(
        "add", parents=[config_option], help="grant the coordinator role (regency-wide without --kecamatan)"
    )
    coordinator_add.add_argument("--phone", required=True)
    coordinator_add.add_argument("--kecamatan")
    coordinator_commands.add_parser(
        "list", parents=[config_option], help="list coordinators: phone, name, scope, registered or not"
    )
    coordinator_remove = coordinator_commands.add_parser(
        "remove", parents=[config_option], help="revoke the coordinator role of a phone number"
    )
    coordinator_remove.add_argument(
        "--phone", required=True, help="the number it was granted to (0812…, +62 812-…)"
    )

    backup = commands.add_parser(
        "backup",
        parents=[config_option],
        help="online backup of the SQLite database (safe while the bot runs); PostgreSQL: use pg_dump",
    )
    backup.add_argument("file", type=Path, help="the backup file to write, e.g. /var/backups/ppsbot.sqlite3")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it already exists")

    report = commands.add_parser("report", help="reports for coordinators")
    report_commands = report.add_subparsers(dest="action", required=True, metavar="ACTION")
    report_attendance = report_commands.add_parser(
        "attendance", parents=[config_option], help="attendance export: .csv or .xlsx by the file's extension"
    )
    report_attendance.add_argument("--out", type=Path, required=True, metavar="FILE")

    purge = commands.add_parser(
        "purge",
        parents=[config_option],
        help="delete personal details past [privacy] retain_days (deliveries, message texts, audit entries)",
    )
    purge.add_argument(
        "--dry-run", action="store_true", help="print what would be deleted and change nothing"
    )
    audit = commands.add_parser("audit", help="the audit log: who accessed personal data or changed roles")
    audit_commands = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    audit_export = audit_commands.add_parser(
        "export", parents=[config_option], help="write the audit log as CSV"
    )
    audit_export.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="the CSV to write (default: audit-log-YYYY-MM-DD.csv here)",
    )
    return parser


@asynccontextmanager
async def _database(config: Config, *, say_in_log: bool = False) -> AsyncIterator[AsyncEngine]:
    """The configured database's engine, after saying which database it is (password masked).

    `say_in_log`: said as a log event rather than printed, so that `run` with JSON logs writes only JSON."""
    line = render_plain(config.bot.default_language, "cli.database", url=mask_url(config.database.url))
    if say_in_log:
        logging.getLogger("bot").info(line)
    else:
        print(line)
    engine = make_engine(config.database.url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _with_database(
    config: Config, action: Callable[[SessionFactory], Awaitable[int]], *, say_in_log: bool = False
) -> int:
    """Run an offline action on the configured database: SQLite is migrated, others must already be."""
    async with _database(config, say_in_log=say_in_log) as engine:
        await ensure_schema(engine, auto_migrate=config.database.is_sqlite)
        return await action(make_session_factory(engine))


async def _migrate(config: Config) -> int:
    async with _database(config) as engine:
        migration = await upgrade_to_head(engine)
    if migration.before is None:
        key = "cli.migrate.created"
    else:
        key = "cli.migrate.upgraded" if migration.changed else "cli.migrate.current"
    print(render_plain(config.bot.default_language, key, before=migration.before, after=migration.after))
    return 0


async def _nothing(_factory: SessionFactory) -> int:
    return 0


def _rehearse(args: argparse.Namespace) -> int:
    """The rehearsal needs no config file and no token: it brings its own sandbox and database."""
    from zoneinfo import ZoneInfo

    from bot.plans import EXAMPLE_PLAN
    from bot.rehearsal.day import RehearsalOptions, rehearse

    if args.speed <= 0:
        print("--speed must be greater than 0", file=sys.stderr)
        return 2
    configure_logging("WARNING", [])
    options = RehearsalOptions(
        plan=args.plan or EXAMPLE_PLAN,
        roster=args.roster,
        wilayah=args.wilayah,
        speed=args.speed,
        out=args.out,
        seed=args.seed,
        language=args.language,
        zone=ZoneInfo("Asia/Jakarta"),
        with_duties=args.with_duties,
        board=args.board,
        board_port=args.board_port,
    )
    return asyncio.run(rehearse(options, sys.stdout))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the command; returns the process exit code.

    An expected failure (configuration, database, token) is one line on stderr in the operator's language,
    with a non-zero exit code; `--debug` adds the traceback. No output ever shows the bot token.
    """
    args = _parser().parse_args(argv)
    secrets = Secrets([os.environ.get(ENV_TELEGRAM_TOKEN, "").strip()])
    install_redacting_excepthook(secrets)
    language = DEFAULT_LANGUAGE
    try:
        if args.command == "rehearse":
            return _rehearse(args)
        serving = args.command in ("run", "worker")
        config = load_config(args.config, require_token=serving)
        language = config.bot.default_language
        secrets.add(config.telegram.token, config.telegram.secret_token or "")
        secrets.add(make_url(config.database.url).password or "")
        if serving:
            require_real_token(config)
        configure_logging(config.logging.level, secrets, config.logging.format)
        return _dispatch(args, config)
    except (Exception, KeyboardInterrupt) as error:
        sys.stdout.flush()
        return report(
            error,
            language=language,
            secrets=secrets,
            debug=args.debug,
            err=sys.stderr,
        )


def _dispatch(args: argparse.Namespace, config: Config) -> int:
    language = config.bot.default_language

    if args.command == "run":
        from bot.app import run
        from bot.runtime.processes import sqlite_lock

        # SQLite is one process: the lock file before anything touches the file (SqliteInUse otherwise).
        with sqlite_lock(config.database.url):
            # The database first: a problem there is not retried.
            asyncio.run(_with_database(config, _nothing, say_in_log=config.logging.format == "json"))
            run(config)
        return 0
    if args.command == "worker":
        from bot.app import work
        from bot.runtime.processes import WorkerNeedsPostgres

        if config.database.is_sqlite:
            raise WorkerNeedsPostgres(config.database.url)
        asyncio.run(_with_database(config, _nothing, say_in_log=config.logging.format == "json"))
        work(config)
        return 0
    if args.command == "migrate":
        return asyncio.run(_migrate(config))
    if args.command == "backup":
        from bot.cli.backup import backup

        return backup(
            config.database.url,
            args.file,
            force=args.force,
            language=language,
            out=sys.stdout,
            err=sys.stderr,
        )

    from bot.cli import admin as cli_admin

    if args.command == "wilayah":
        return asyncio.run(
            _with_database(
                config, lambda f: cli_admin.wilayah_import(f, args.file, language=language, out=sys.stdout)
            )
        )
    if args.command == "roster" and args.desa:
        from bot.cli.cascade import cascade_roster_import

        return asyncio.run(
            _with_database(
                config,
                lambda f: cascade_roster_import(
                    f, args.file, desa=args.desa, kecamatan=args.kecamatan, language=language, out=sys.stdout
                ),
            )
        )
    if args.command == "roster":
        return asyncio.run(
            _with_database(
                config,
                lambda f: cli_admin.roster_import(
                    f, args.file, language=language, out=sys.stdout, dry_run=args.dry_run, confirmed=args.yes
                ),
            )
        )
    if args.command == "plan":
        from datetime import UTC, datetime

        from bot.cli import plan
        from bot.cli.plan_sections import plan_sections
        from handlers.duties.wording import DUTY_WORDING

        zone = config.scheduler.timezone
        if args.action == "import":
            return asyncio.run(
                _with_database(
                    config,
                    lambda f: plan.plan_import(
                        f,
                        args.file,
                        language=language,
                        zone=zone,
                        out=sys.stdout,
                        sections=plan_sections(duty_wording=DUTY_WORDING),
                        on=args.on,
                        past=args.past,
                        now=datetime.now(UTC),
                    ),
                )
            )
        return asyncio.run(
            _with_database(
                config,
                lambda f: plan.plan_show(
                    f,
                    language=language,
                    zone=zone,
                    out=sys.stdout,
                    sections=plan_sections(duty_wording=DUTY_WORDING),
                ),
            )
        )
    if args.command == "coordinator":
        if args.action == "list":
            return asyncio.run(
                _with_database(
                    config, lambda f: cli_admin.coordinator_list(f, language=language, out=sys.stdout)
                )
            )
        if args.action == "remove":
            return asyncio.run(
                _with_database(
                    config,
                    lambda f: cli_admin.coordinator_remove(f, args.phone, language=language, out=sys.stdout),
                )
            )
        return asyncio.run(
            _with_database(
                config,
                lambda f: cli_admin.coordinator_add(
                    f, args.phone, args.kecamatan, language=language, out=sys.stdout
                ),
            )
        )
    if args.command == "report":
        from datetime import UTC, datetime

        from bot.cli.reports import report_attendance

        return asyncio.run(
            _with_database(
                config,
                lambda f: report_attendance(
                    f,
                    args.out,
                    language=language,
                    zone=config.scheduler.timezone,
                    now=datetime.now(UTC),
                    stdout=sys.stdout,
                ),
            )
        )
    if args.command in ("purge", "audit"):
        return _privacy_command(args, config)
    raise AssertionError(f"unhandled command {args.command}")


def _privacy_command(args: argparse.Namespace, config: Config) -> int:
    """`purge [--dry-run]` and `audit export [--output F]` (bot/cli/privacy.py)."""
    from datetime import UTC, datetime

    from bot.cli import privacy

    language = config.bot.default_language
    zone = config.scheduler.timezone
    now = datetime.now(UTC)
    if args.command == "purge":
        return asyncio.run(
            _with_database(
                config,
                lambda f: privacy.purge_command(
                    f,
                    retain_days=config.privacy.retain_days,
                    dry_run=args.dry_run,
                    language=language,
                    zone=zone,
                    now=now,
                    out=sys.stdout,
                ),
            )
        )
    output = args.output or privacy.default_audit_file(now, zone)
    return asyncio.run(
        _with_database(
            config, lambda f: privacy.audit_export(f, output, language=language, zone=zone, out=sys.stdout)
        )
    )


if __name__ == "__main__":
    sys.exit(main())
