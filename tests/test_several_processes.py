"""Several real processes on one PostgreSQL (`run` + `worker`s): each member once, one shared Telegram budget,
a killed process's rows finished by the others, a scheduled broadcast fired once; SQLite refuses a second one."""

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import DATABASES, REPO_ROOT
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.broadcasts.compose import start_broadcast
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.delivery.budget import SharedBudget
from bot.delivery.owner import ClaimOwner
from bot.sandbox import BotMessage, Sandbox, TelegramLimits
from models import BroadcastStatus, Delivery, DeliveryStatus
from tests.helpers import bot_cli
from tests.test_delivery_reliability import (
    all_received,
    broadcast_state,
    claim_window,
    counts_of,
    delivery_statuses,
    lebak_with_linked_pps,
    new_broadcast,
    received_count,
    small_world,
    until,
)

POSTGRESQL = [DATABASES[1]]
WIB = ZoneInfo("Asia/Jakarta")
READY = {"run": "is ready", "worker": "worker: sending from the outbox"}


class Fleet:
    """Real `python -m bot run|worker` processes on one config, each logging to a file of its own."""

    def __init__(self, config: Path, folder: Path) -> None:
        self.config = config
        self.folder = folder
        self.processes: dict[str, asyncio.subprocess.Process] = {}

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def output(self, name: str) -> str:
        return self.log(name).read_text(encoding="utf-8", errors="replace")

    async def start(self, name: str, command: str) -> asyncio.subprocess.Process:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PPSBOT_")}
        with self.log(name).open("ab") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                command,
                "--config",
                str(self.config),
                cwd=REPO_ROOT,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        self.processes[name] = process
        return process

    async def wait_for_line(self, name: str, text: str, timeout: float = 60.0) -> None:
        """Poll the process's log for a line, with a deadline; fail at once if the process ends."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        process = self.processes[name]
        while text not in self.output(name):
            assert process.returncode is None, (
                f"{name} ended ({process.returncode}):\n{self.output(name)[-3000:]}"
            )
            assert loop.time() < deadline, (
                f"{name} did not log {text!r} in {timeout} s:\n{self.output(name)[-3000:]}"
            )
            await asyncio.sleep(0.05)

    async def stop(self, name: str, how: signal.Signals = signal.SIGTERM) -> int:
        process = self.processes[name]
        if process.returncode is None:
            process.send_signal(how)
        return await asyncio.wait_for(process.wait(), timeout=30)

    async def stop_all(self) -> dict[str, int]:
        return {name: await self.stop(name) for name in list(self.processes)}


@asynccontextmanager
async def fleet(tmp_path: Path, sandbox: Sandbox, database_url: str, rate: float) -> AsyncIterator[Fleet]:
    config = tmp_path / "config.toml"
    config.write_text(
        f"[telegram]\ntoken = {json.dumps(sandbox.token)}\nbase_url = {json.dumps(sandbox.base_url)}\n"
        f"[database]\nurl = {json.dumps(database_url)}\n"
        f'[delivery]\nrate_per_second = {rate}\npaid_broadcast = true\n[logging]\nlevel = "INFO"\n',
        encoding="utf-8",
    )
    crew = Fleet(config, tmp_path)
    try:
        yield crew
    finally:
        for name, process in crew.processes.items():
            if process.returncode is None:
                process.kill()
                await process.wait()
            assert sandbox.token.split(":", 1)[1] not in crew.output(name)


def stamps(sandbox: Sandbox, marker: str) -> tuple[list[float], object]:
    """Arrival times (monotonic) of the bot's messages that start with `marker`, and the unsubscribe."""
    times: list[float] = []

    def seen(message: BotMessage) -> None:
        if message.text.startswith(marker):
            times.append(time.monotonic())

    return times, sandbox.on_message(seen)


def busiest_second(times: Iterable[float]) -> int:
    """The most messages in any sliding one-second window."""
    ordered = sorted(times)
    most, start = 0, 0
    for end, moment in enumerate(ordered):
        while ordered[start] <= moment - 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


async def start_now(factory: SessionFactory, text: str) -> int:
    """A broadcast to every PPS, started as the coordinator's 'send now' starts one (rows written, sending)."""
    now = datetime.now(UTC)
    broadcast_id = await new_broadcast(factory, text=text, send_at=now, now=now)
    async with factory() as session, session.begin():
        assert await start_broadcast(session, broadcast_id, now=now, zone=WIB) is not None
    return broadcast_id


async def done(factory: SessionFactory, broadcast_id: int, timeout: float = 30.0) -> None:
    """Wait (polling, with a deadline) until the broadcast is marked done: every send recorded."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (await broadcast_state(factory, broadcast_id))[0] is not BroadcastStatus.DONE:
        assert asyncio.get_running_loop().time() < deadline, "the broadcast was not marked done"
        await asyncio.sleep(0.1)


async def senders(factory: SessionFactory, broadcast_id: int) -> int:
    """How many processes sent some of the broadcast (the distinct owners of its rows)."""
    async with factory() as session:
        return (
            await session.scalar(
                select(func.count(func.distinct(Delivery.claimed_by))).where(
                    Delivery.broadcast_id == broadcast_id
                )
            )
            or 0
        )


# Bot: a shared budget of RATE/s (paid broadcasts, so that each process alone could go far faster); the
# sandbox: Telegram's limit 20 % above it (three processes each at the full rate would send 3 ×). The margin
# absorbs what happens between a slot and the request's arrival: each process maps the database's slots to
# its own clock to within half a round trip, and a process waiting for the CPU sends late; on this 2-core
# machine at a load average of 10-15 that reached 10 % (2 × 429 in one run of four at 132).
RATE = 120
TELEGRAM_LIMIT = 144


@pytest.mark.parametrize("database_url", POSTGRESQL, indirect=True)
async def test_three_processes_send_each_member_once_within_one_shared_budget(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, tmp_path: Path
) -> None:
    sandbox.limits = TelegramLimits(global_rate=TELEGRAM_LIMIT)
    users = await lebak_with_linked_pps(session_factory, sandbox, 1035)
    async with fleet(tmp_path, sandbox, database_url, RATE) as crew:
        await crew.start("run", "run")
        await crew.start("worker-1", "worker")
        await crew.start("worker-2", "worker")
        for name in crew.processes:
            await crew.wait_for_line(name, READY[name.split("-")[0]])
        times, unsubscribe = stamps(sandbox, "[3P]")
        broadcast_id = await start_now(session_factory, "[3P] Rapat koordinasi untuk {nama}.")
        await until(sandbox, all_received(sandbox, users), timeout=120, what="every PPS reached")
        unsubscribe()  # type: ignore[operator]
        exits = await crew.stop_all()

    busiest = busiest_second(times)
    span = max(times) - min(times)
    print(
        f"3 processes: {len(times)} messages in {span:.2f} s, busiest second {busiest}, budget {RATE}/s, "
        f"429s {sandbox.stats.too_many_requests}"
    )
    assert exits == {"run": 0, "worker-1": 0, "worker-2": 0}
    assert sandbox.stats.too_many_requests == 0
    assert set(counts_of(sandbox, users).values()) == {1}  # each member exactly once
    assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: len(users)}
    assert await senders(session_factory, broadcast_id) == 3  # all three took part
    assert busiest <= TELEGRAM_LIMIT
    assert len(times) / span <= RATE * 1.02  # together, not three times the rate


@pytest.mark.parametrize("database_url", POSTGRESQL, indirect=True)
async def test_a_killed_worker_leaves_its_rows_to_the_others_with_bounded_duplicates(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, tmp_path: Path
) -> None:
    rate = 60
    sandbox.limits = TelegramLimits(global_rate=round(rate * TELEGRAM_LIMIT / RATE))
    users = await lebak_with_linked_pps(session_factory, sandbox, 600)
    reached = received_count(sandbox, users)
    async with fleet(tmp_path, sandbox, database_url, rate) as crew:
        for name, command in (("run", "run"), ("worker-1", "worker"), ("worker-2", "worker")):
            await crew.start(name, command)
        for name in crew.processes:
            await crew.wait_for_line(name, READY[name.split("-")[0]])
        broadcast_id = await start_now(session_factory, "Evaluasi Bimtek untuk {nama}.")
        await until(sandbox, lambda: reached() >= 150, timeout=60, what="150 PPS reached")
        assert await crew.stop("worker-1", signal.SIGKILL) == -signal.SIGKILL
        before = reached()
        assert before < len(users)
        await until(sandbox, all_received(sandbox, users), timeout=120, what="every PPS reached")
        await done(session_factory, broadcast_id)
        exits = {name: await crew.stop(name) for name in ("run", "worker-2")}
        logs = crew.output("run") + crew.output("worker-2")

    assert exits == {"run": 0, "worker-2": 0}
    status, resent = await broadcast_state(session_factory, broadcast_id)
    duplicates = sum(count - 1 for count in counts_of(sandbox, users).values())
    print(f"kill -9 of a worker at {before} reached: duplicates {duplicates}, counted as resent {resent}")
    assert status is BroadcastStatus.DONE
    assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: len(users)}
    assert 0 < resent <= claim_window(rate)  # the killed worker held rows; no more than its claim window
    assert duplicates <= resent
    assert "recovered" in logs  # a live process found the dead one's rows
    assert sandbox.stats.too_many_requests == 0


@pytest.mark.parametrize("database_url", POSTGRESQL, indirect=True)
async def test_a_scheduled_broadcast_fires_once_with_a_standby_and_after_a_takeover(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, tmp_path: Path
) -> None:
    users = await lebak_with_linked_pps(session_factory, sandbox, 60)
    now = datetime.now(UTC)
    first = await new_broadcast(
        session_factory, text="[S1] Pengingat untuk {nama}.", send_at=now + timedelta(seconds=12), now=now
    )
    async with fleet(tmp_path, sandbox, database_url, 200) as crew:
        await crew.start("run-a", "run")
        await crew.wait_for_line("run-a", READY["run"])
        await crew.start("run-b", "run")
        await crew.start("worker", "worker")
        await crew.wait_for_line("run-b", "cadangan")  # "waits as a standby"
        await crew.wait_for_line("worker", READY["worker"])
        await until(sandbox, all_received(sandbox, users), timeout=60, what="the scheduled broadcast")
        await done(session_factory, first)  # every send recorded: the kill below leaves nothing in flight
        # A second one is scheduled, then the update process dies; the standby takes over, schedules the
        # second from the database and fires it once (and must not fire the first one again).
        later = datetime.now(UTC)
        second = await new_broadcast(
            session_factory, text="[S2] Rapat untuk {nama}.", send_at=later + timedelta(seconds=8), now=later
        )
        assert await crew.stop("run-a", signal.SIGKILL) == -signal.SIGKILL
        await crew.wait_for_line("run-b", READY["run"], timeout=60)
        await until(sandbox, lambda: all(sandbox.delivered(u.id) >= 2 for u in users), timeout=90, what="S2")
        await done(session_factory, second)
        exits = {name: await crew.stop(name) for name in ("run-b", "worker")}

    assert exits == {"run-b": 0, "worker": 0}
    assert set(counts_of(sandbox, users).values()) == {2}  # S1 once and S2 once, for everyone
    for broadcast_id in (first, second):
        assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: len(users)}
        assert (await broadcast_state(session_factory, broadcast_id))[0] is BroadcastStatus.DONE


async def test_sqlite_refuses_a_second_process_in_one_line(sandbox: Sandbox, tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(
        f"[telegram]\ntoken = {json.dumps(sandbox.token)}\nbase_url = {json.dumps(sandbox.base_url)}\n"
        f'[database]\nurl = "sqlite+aiosqlite:///{database}"\n',
        encoding="utf-8",
    )
    crew = Fleet(config, tmp_path)
    await crew.start("first", "run")
    try:
        await crew.wait_for_line("first", READY["run"])
        code, output = await bot_cli("run", config=config, timeout=60)
        worker_code, worker_output = await bot_cli("worker", config=config, timeout=60)
    finally:
        assert await crew.stop("first") == 0
    lines = [line for line in output.splitlines() if line.strip()]
    assert code == 3, output
    assert "sedang dipakai proses bot lain" in lines[-1] and "PostgreSQL" in lines[-1]
    assert "Traceback" not in output
    assert worker_code == 2, worker_output
    assert "butuh PostgreSQL" in worker_output.splitlines()[-1]
    assert sandbox.token not in output + worker_output


# -- the parts, on PostgreSQL, without processes -------------------------------------------------------


@pytest.mark.parametrize("database_url", POSTGRESQL, indirect=True)
async def test_two_budgets_on_one_database_hand_out_slots_that_never_come_closer_than_the_rate(
    session_factory: SessionFactory,
) -> None:
    rate = 200.0
    first, second = (
        SharedBudget(session_factory, per_second=rate),
        SharedBudget(session_factory, per_second=rate),
    )
    moments: list[float] = []

    async def send(budget: SharedBudget, count: int) -> None:
        for _ in range(count):
            await budget.acquire()
            moments.append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(send(first, 100), send(second, 100))
    took = time.monotonic() - started
    assert took >= 199 / rate * 0.97  # together at the shared rate, not each at it (that would be 0.5 s)
    assert busiest_second(moments) <= rate + rate * 0.01 + 1
    assert first.reservations + second.reservations <= 2 * (100 / 20 + 2)  # slots come in batches of 0.1 s
    assert await first.take(50) >= 1
    # Replies sent at once are paid for afterwards, together: they push the next slot back for everyone.
    before = time.monotonic()
    for _ in range(20):
        first.debit()
    await first.settle()
    assert first.debits == 20
    third = SharedBudget(
        session_factory, per_second=rate
    )  # a process that starts now: no slots of its own yet
    await third.acquire()  # its first slot comes after the 20 replies' slots (0.1 s at 200/s)
    assert time.monotonic() - before >= 20 / rate * 0.9


@pytest.mark.parametrize("database_url", POSTGRESQL, indirect=True)
async def test_only_a_dead_owners_sending_rows_go_back_to_pending(
    sandbox: Sandbox, session_factory: SessionFactory, engine: AsyncEngine
) -> None:
    users = await small_world(session_factory, sandbox)
    broadcast_id = await start_now(session_factory, "Halo {nama}.")
    clock = ManualClock(datetime.now(UTC))
    alive, looking = ClaimOwner(engine, session_factory, clock), ClaimOwner(engine, session_factory, clock)
    await alive.start()
    await looking.start()
    try:
        async with session_factory() as session, session.begin():
            ids = list(await session.scalars(select(Delivery.id).order_by(Delivery.id)))
            assert len(ids) == len(users)
            for delivery_id, owner in zip(ids, (alive.key, 424242, None), strict=True):
                await session.execute(
                    update(Delivery)
                    .where(Delivery.id == delivery_id)
                    .values(status=DeliveryStatus.SENDING, claimed_by=owner)
                )
        async with session_factory() as session, session.begin():
            assert await looking.reap(session, clock.now()) == 2  # the dead key's row and the unowned one
        assert await delivery_statuses(session_factory, broadcast_id) == {
            DeliveryStatus.SENDING: 1,
            DeliveryStatus.PENDING: 2,
        }
        async with session_factory() as session:
            due = await session.scalar(
                select(func.min(Delivery.next_attempt_at)).where(Delivery.id.in_(ids[1:]))
            )
        assert due == clock.now() + timedelta(seconds=1)  # not at once: the dead one may just have sent them
        await alive.stop()  # a stop (or a kill) frees its key: now its row is a dead owner's
        async with session_factory() as session, session.begin():
            assert await looking.reap(session, clock.now()) == 1
        assert (await broadcast_state(session_factory, broadcast_id))[1] == 3  # counted as possibly twice
    finally:
        await alive.stop()
        await looking.stop()
