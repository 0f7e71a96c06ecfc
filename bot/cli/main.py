"""The command line: `python -m bot run | migrate | wilayah | roster | plan | coordinator | report | rehearse`."""

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot.core.config import Config, ConfigError, load_config
from bot.core.db import SessionFactory, make_engine, make_session_factory, upgrade_to_head
from bot.core.logs import configure_logging


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="PPS Bimtek bot (KPU Kabupaten Lebak)")
    config_option = argparse.ArgumentParser(add_help=False)
    config_option.add_argument("--config", help="config file (default: $PPSBOT_CONFIG or ./config.toml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("run", parents=[config_option], help="run the bot (polling or webhook, from config)")
    commands.add_parser("migrate", parents=[config_option], help="upgrade the database schema to the latest")

    wilayah = commands.add_parser("wilayah", help="the official list of kecamatan and desa/kelurahan")
    wilayah_commands = wilayah.add_subparsers(dest="action", required=True, metavar="ACTION")
    wilayah_import = wilayah_commands.add_parser(
        "import", parents=[config_option], help="import the region CSV"
    )
    wilayah_import.add_argument("file", type=Path)

    roster = commands.add_parser("roster", help="the PPS/PPK roster")
    roster_commands = roster.add_subparsers(dest="action", required=True, metavar="ACTION")
    roster_import = roster_commands.add_parser(
        "import", parents=[config_option], help="import the roster (CSV or XLSX), all or nothing"
    )
    roster_import.add_argument("file", type=Path)

    plan = commands.add_parser("plan", help="the training plan: sessions, program, duties")
    plan_commands = plan.add_subparsers(dest="action", required=True, metavar="ACTION")
    plan_import = plan_commands.add_parser(
        "import", parents=[config_option], help="import a plan file (TOML)"
    )
    plan_import.add_argument("file", type=Path)
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

    report = commands.add_parser("report", help="reports for coordinators")
    report_commands = report.add_subparsers(dest="action", required=True, metavar="ACTION")
    report_attendance = report_commands.add_parser(
        "attendance", parents=[config_option], help="attendance export: .csv or .xlsx by the file's extension"
    )
    report_attendance.add_argument("--out", type=Path, required=True, metavar="FILE")
    return parser


async def _with_database(config: Config, action: Callable[[SessionFactory], Awaitable[int]]) -> int:
    """Run an offline action on the configured (migrated) database."""
    engine = make_engine(config.database.url)
    try:
        if config.database.is_sqlite:
            await upgrade_to_head(engine)
        return await action(make_session_factory(engine))
    finally:
        await engine.dispose()


async def _migrate(config: Config) -> int:
    engine = make_engine(config.database.url)
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()
    print("Basis data sudah versi terbaru (database is up to date).")
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
    )
    return asyncio.run(rehearse(options, sys.stdout))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the command; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "rehearse":
        return _rehearse(args)
    try:
        config = load_config(args.config, require_token=args.command == "run")
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    configure_logging(config.logging.level, [config.telegram.token, config.telegram.secret_token or ""])
    language = config.bot.default_language

    if args.command == "run":
        from bot.app import run

        run(config)
        return 0
    if args.command == "migrate":
        return asyncio.run(_migrate(config))

    from bot.cli import admin as cli_admin

    if args.command == "wilayah":
        return asyncio.run(
            _with_database(
                config, lambda f: cli_admin.wilayah_import(f, args.file, language=language, out=sys.stdout)
            )
        )
    if args.command == "roster":
        return asyncio.run(
            _with_database(
                config, lambda f: cli_admin.roster_import(f, args.file, language=language, out=sys.stdout)
            )
        )
    if args.command == "plan":
        from bot.cli import plan
        from bot.plan.sections import plan_sections
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
    raise AssertionError(f"unhandled command {args.command}")
