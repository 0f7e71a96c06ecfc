"""`python -m bench`: run the benchmarks, print the table, write the same figures as JSON."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.report import FIGURES, Results, load_line, machine, machine_line, table, write_json
from bench.settings import FULL_LATENCY, SCALE_MEMBERS, Settings
from bench.world import DatabaseTemplate, Person, build_lebak

ENV_POSTGRES = "PPSBOT_TEST_POSTGRES_URL"
LEBAK_FIGURES = frozenset({"broadcast", "interactive", "checkin", "cpu"})


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of DESIGN §6: the figures beside their goals (a table, and JSON).",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds (CI's smoke test)")
    parser.add_argument(
        "--only",
        action="append",
        choices=FIGURES,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(FIGURES)}",
    )
    parser.add_argument(
        "--json", type=Path, default=Path("bench-results.json"), help="where to write the figures (JSON)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(ENV_POSTGRES) or None,
        metavar="URL",
        help=f"PostgreSQL server for the PostgreSQL parts (default: ${ENV_POSTGRES}; skipped when absent)",
    )
    parser.add_argument(
        "--members", type=int, help=f"members in the scale benchmark (default {SCALE_MEMBERS:,})"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="repetitions of figure 1, alternating (default 1)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the random choices (default 1)")
    parser.add_argument(
        "--verbose", action="store_true", help="print the bot's warnings and errors as they come"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.members is not None and args.members < 99:
        parser.error("--members must be at least 99 (one kecamatan of 33 desa)")
    return args


class LogCounter(logging.Handler):
    """Counts warnings and errors per logger (the naive ways provoke many); keeps a few for the JSON."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()
        self.samples: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[f"{record.levelname} {record.name}"] += 1
        if len(self.samples) < 20:
            self.samples.append(f"{record.levelname} {record.name}: {record.getMessage()[:200]}")


def _configure_logging(verbose: bool) -> LogCounter:
    counter = LogCounter()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(counter)
    if verbose:
        stderr = logging.StreamHandler()
        stderr.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(stderr)
    root.setLevel(logging.WARNING)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return counter


NOTES = [
    f"Network model: the sandbox adds its latency once per request, before handling it, and answers at "
    f"once, so latency={FULL_LATENCY} is a {FULL_LATENCY * 1000:.0f} ms round trip as the bot sees it "
    "(figures 1 and 2); figures 3 and 4 run without added latency, so they show the bot's own time.",
    "Telegram's limits (figures 1-3): TelegramLimits(), 30 messages/s overall and 1/s per chat, sliding "
    "windows; exceeding them answers 429 with retry_after.",
    "CPU: the sandbox runs on its own thread and event loop in this process; CPU = process CPU time minus "
    "the sandbox thread's (time.thread_time on that thread), so the bot, its aiosqlite threads and the "
    "naive senders count and the emulated Telegram and the simulated members do not.",
    "Naive (ii) uses AIORateLimiter() with its defaults (max_retries=0: a 429 reaches the caller and that "
    "message is lost); in figure 2 it is our bot with its limiter swapped for AIORateLimiter and the "
    "broadcast a gather.",
    "Each run gets a fresh copy of the database and a fresh sandbox; the bot's clock stands at 07.30 WIB "
    "on the training day (check-in open).",
]


async def _lebak_templates(
    settings: Settings, databases: list[str]
) -> dict[str, tuple[DatabaseTemplate, list[Person]]]:
    templates: dict[str, tuple[DatabaseTemplate, list[Person]]] = {}
    for db in databases:
        settings.progress(f"building the Lebak world on {db} ({settings.broadcast_members:,} registered)")
        template = await DatabaseTemplate.create(
            db, "lebak", workdir=settings.workdir, postgres_url=settings.postgres_url
        )
        try:
            people = await build_lebak(template.url, settings.broadcast_members)
        except BaseException:
            await template.drop()
            raise
        templates[db] = (template, people)
    return templates


async def _run_figure(
    name: str,
    results: Results,
    settings: Settings,
    lebak: dict[str, tuple[DatabaseTemplate, list[Person]]],
    databases: list[str],
) -> None:
    from bench.broadcast import figure_broadcast, figure_interactive
    from bench.checkin import figure_checkin
    from bench.cpu import figure_cpu
    from bench.scale import figure_scale

    if name in ("broadcast", "interactive", "cpu"):
        template, people = lebak["sqlite"]
        figure = {"broadcast": figure_broadcast, "interactive": figure_interactive, "cpu": figure_cpu}[name]
        await figure(results, settings, template, people)
    elif name == "checkin":
        await figure_checkin(results, settings, lebak)
    elif name == "scale":
        await figure_scale(results, settings, databases)
    elif name == "processes":
        from bench.processes import figure_processes

        await figure_processes(results, settings)


async def run(figures: list[str], settings: Settings, results: Results) -> None:
    """Build the worlds, run each selected benchmark; a crash is recorded and the others still run."""
    databases = ["sqlite", "postgresql"] if settings.postgres_url else ["sqlite"]
    if not settings.postgres_url:
        results.mark(
            "checkin.postgresql", "skipped: no PostgreSQL (set PPSBOT_TEST_POSTGRES_URL or --postgres)"
        )
        results.mark(
            "scale.postgresql", "skipped: no PostgreSQL (set PPSBOT_TEST_POSTGRES_URL or --postgres)"
        )
    lebak: dict[str, tuple[DatabaseTemplate, list[Person]]] = {}
    try:
        if LEBAK_FIGURES & set(figures):
            lebak = await _lebak_templates(settings, databases if "checkin" in figures else ["sqlite"])
        for name in figures:
            try:
                await _run_figure(name, results, settings, lebak, databases)
            except Exception as error:
                settings.progress(f"{name} crashed: {type(error).__name__}: {error}")
                results.crashes.append(
                    {"benchmark": name, "error": repr(error), "traceback": traceback.format_exc()}
                )
                results.mark(f"{name}.", f"crashed: {type(error).__name__}: {error}"[:200])
    finally:
        for template, _ in lebak.values():
            await template.drop()


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0 when every benchmark ran (missed goals are information), 1 when one crashed."""
    args = parse_args(argv)
    counter = _configure_logging(args.verbose)
    info = machine()
    print(machine_line(info), flush=True)
    print(load_line("at the start"), flush=True)
    figures = [name for name in FIGURES if not args.only or name in args.only]
    results = Results(figures)
    results.notes.extend(NOTES)
    with tempfile.TemporaryDirectory(prefix="ppsbench-") as workdir:
        settings = Settings.make(
            quick=args.quick,
            workdir=Path(workdir),
            postgres_url=args.postgres,
            members=args.members,
            repeat=args.repeat,
            seed=args.seed,
            verbose=args.verbose,
        )
        try:
            asyncio.run(run(figures, settings, results))
        except Exception as error:  # setting up the worlds failed: nothing could be measured
            results.crashes.append(
                {"benchmark": "setup", "error": repr(error), "traceback": traceback.format_exc()}
            )
            print(traceback.format_exc(), file=sys.stderr)
    results.details["load_average_at_end"] = machine()["load_average"]
    results.details["log_records"] = dict(counter.counts)
    results.details["log_samples"] = counter.samples
    options: dict[str, Any] = {
        "argv": list(sys.argv[1:] if argv is None else argv),
        "quick": args.quick,
        "only": figures,
        "postgres": bool(args.postgres),
        "broadcast_members": settings.broadcast_members,
        "latency_s": settings.latency,
        "interactive_members": settings.interactive,
        "checkin_spread_s": settings.checkin_spread,
        "scale_members": settings.scale_members,
        "repeat": settings.repeat,
        "seed": settings.seed,
    }
    print()
    print(table(results))
    print()
    for note in results.notes:
        print(f"* {note}")
    if results.crashes:
        print(f"\ncrashed: {', '.join(c['benchmark'] for c in results.crashes)} (tracebacks in the JSON)")
    write_json(args.json, results.to_json(info, options))
    print(load_line("at the end"))
    print(f"figures written to {args.json}")
    return 1 if results.crashes else 0
