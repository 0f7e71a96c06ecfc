"""Figure 6: the throughput of 1, 2 and 3 sending processes on one PostgreSQL at the paid rate, against the
sandbox (real `python -m bot run` and `python -m bot worker` processes sharing one Telegram budget)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bench.host import SandboxHost
from bench.people import BROADCAST_MARK, broadcast_counts, too_many_requests
from bench.report import Results
from bench.settings import Settings
from bench.world import REPO_ROOT, DatabaseTemplate, Person, build_lebak
from bot.broadcasts.audience import Audience, AudienceKind
from bot.broadcasts.compose import create_broadcast, start_broadcast
from bot.core.db import make_engine, make_session_factory
from bot.sandbox import Sandbox, TelegramLimits
from models import Delivery

PAID_RATE = 1000
"""Telegram's limit with allow_paid_broadcast, enforced by the sandbox; the bot's budget is 999/s."""
PROCESSES = (1, 2, 3)
READY = {"run": "is ready", "worker": "worker: sending from the outbox"}
BODY = f"{BROADCAST_MARK} Yth. {{nama}} (PPS {{desa}}): rapat evaluasi Bimtek di {{venue}}."
WIB = ZoneInfo("Asia/Jakarta")


@dataclass
class Run:
    """One broadcast sent by `processes` processes."""

    processes: int
    recipients: int
    rate: float = 0.0
    wall: float = 0.0
    too_many: int = 0
    missing: int = 0
    duplicates: int = 0
    senders: int = 0


def _config(path: Path, sandbox: Sandbox, url: str) -> Path:
    path.write_text(
        f"[telegram]\ntoken = {json.dumps(sandbox.token)}\nbase_url = {json.dumps(sandbox.base_url)}\n"
        f"[database]\nurl = {json.dumps(url)}\n"
        f'[delivery]\nrate_per_second = {PAID_RATE}\npaid_broadcast = true\n[logging]\nlevel = "INFO"\n',
        encoding="utf-8",
    )
    return path


async def _start(command: str, config: Path, log: Path) -> asyncio.subprocess.Process:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PPSBOT_")}
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            command,
            "--config",
            str(config),
            cwd=REPO_ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
        )


def _text(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


async def _ready(process: asyncio.subprocess.Process, log: Path, line: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while line not in _text(log):
        if process.returncode is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{log.name}: no {line!r}:\n{_text(log)[-2000:]}")
        await asyncio.sleep(0.05)


async def _start_broadcast(url: str) -> int:
    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        now = datetime.now(UTC)
        async with factory() as session, session.begin():
            broadcast_id = await create_broadcast(
                session,
                body_html=BODY,
                media_kind=None,
                media_file_id=None,
                audience=Audience(kind=AudienceKind.PPS),
                send_at=now,
                now=now,
                created_by=None,
                creator_chat_id=None,
                language="id",
                include_late=False,
                progress=None,
            )
        async with factory() as session, session.begin():
            await start_broadcast(session, broadcast_id, now=now, zone=WIB)
        return broadcast_id
    finally:
        await engine.dispose()


async def _senders(url: str, broadcast_id: int) -> int:
    engine = make_engine(url)
    try:
        async with make_session_factory(engine)() as session:
            query = select(func.count(func.distinct(Delivery.claimed_by))).where(
                Delivery.broadcast_id == broadcast_id
            )
            return await session.scalar(query) or 0
    finally:
        await engine.dispose()


async def measure(
    template: DatabaseTemplate, people: list[Person], processes: int, settings: Settings
) -> Run:
    """One `run` plus processes-1 `worker`s on a fresh copy; a broadcast to every registered PPS."""
    url = await template.copy()
    run = Run(processes, len(people))
    folder = settings.workdir / f"processes-{processes}"
    folder.mkdir(exist_ok=True)
    limits = TelegramLimits(global_rate=PAID_RATE)
    async with SandboxHost(latency=settings.latency, limits=limits, people=len(people)) as host:
        stamps: list[float] = []

        async def listen(sandbox: Sandbox) -> None:
            sandbox.on_message(
                lambda m: stamps.append(time.monotonic()) if m.text.startswith(BROADCAST_MARK) else None
            )

        await host.call(listen)
        config = _config(folder / "config.toml", host.sandbox, url)
        commands = ["run"] + ["worker"] * (processes - 1)
        started = []
        try:
            for number, command in enumerate(commands):
                log = folder / f"{command}-{number}.log"
                started.append((await _start(command, config, log), log, READY[command]))
            for process, log, line in started:
                await _ready(process, log, line)
            await host.reset()
            begin = time.monotonic()
            broadcast_id = await _start_broadcast(url)
            deadline = begin + len(people) / 10 + 60
            while len(stamps) < len(people):
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{processes} processes: {len(stamps)} of {len(people)} after the deadline"
                    )
                await asyncio.sleep(0.05)
            run.wall = stamps[-1] - begin
            span = stamps[-1] - stamps[0]
            run.rate = (len(stamps) - 1) / span if span > 0 else 0.0
        finally:
            for process, _, _ in started:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            for process, _, _ in started:
                try:
                    await asyncio.wait_for(process.wait(), 30)
                except TimeoutError:
                    process.kill()
        run.too_many = await host.call(too_many_requests)
        run.missing, run.duplicates = await host.call(broadcast_counts(host.people))
    run.senders = await _senders(url, broadcast_id)
    return run


async def figure_processes(results: Results, settings: Settings) -> None:
    """Figure 6 on PostgreSQL (skipped without one)."""
    if not settings.postgres_url:
        results.mark("processes.", "skipped: no PostgreSQL (set PPSBOT_TEST_POSTGRES_URL or --postgres)")
        return
    settings.progress(f"figure 6: building the Lebak world on postgresql ({settings.broadcast_members:,})")
    template = await DatabaseTemplate.create(
        "postgresql", "procs", workdir=settings.workdir, postgres_url=settings.postgres_url
    )
    try:
        people = await build_lebak(template.url, settings.broadcast_members)
        for processes in PROCESSES:
            settings.progress(f"figure 6: {processes} sending process(es), paid rate")
            run = await measure(template, people, processes, settings)
            prefix = f"processes.postgresql.{processes}"
            results.set(
                f"{prefix}.rate",
                ours=run.rate,
                note=f"{run.recipients:,} messages, first to last at the sandbox; {run.senders} process(es) sent; "
                f"wall from start {run.wall:.2f} s (workers find new work within 1 s)",
                **run.__dict__,
            )
            results.set(f"{prefix}.429", ours=run.too_many)
            results.set(f"{prefix}.twice", ours=run.duplicates + run.missing, note="missing + duplicates")
    finally:
        await template.drop()
