"""Delivery reliability end to end: 1,035 recipients under Telegram's limits, replies during a broadcast,
a killed bot process, restarts with scheduled and missed broadcasts, and late registrants."""

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import REPO_ROOT, sandbox_config
from sqlalchemy import func, insert, select, update

from bot.app import build_application, running
from bot.broadcasts.audience import Audience, AudienceKind
from bot.broadcasts.compose import create_broadcast
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.delivery.scheduling import job_name
from bot.runtime.context import BotApplication
from bot.sandbox import BotMessage, Sandbox, SimUser, TelegramLimits, make_bot
from models import (
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Kecamatan,
    Member,
    Position,
    TelegramAccount,
)
from tests.factories import LEBAK_PPS, import_lebak_wilayah, import_rows, lebak_roster
from tests.helpers import bot_idle
from tests.seed import link_telegram, seed_coordinator, seed_members, seed_session

# Small scenarios run the outbox at a paid-broadcast rate; the 25/s tests say so where they use it.
FAST = {"rate_per_second": 200, "paid_broadcast": True}
TELEGRAM_RATE = {"rate_per_second": 25}
PPS_AUDIENCE = Audience(kind=AudienceKind.PPS)


def claim_window(rate_per_second: float) -> int:
    """How many deliveries the outbox claims ahead of the rate (Outbox's high-water mark: ~2 s of sends)."""
    return max(4, int(rate_per_second * 2))  # unchanged by the senders cap (Outbox._senders)


# -- waiting on the sandbox -------------------------------------------------------------------------


async def until(
    sb: Sandbox,
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    process: asyncio.subprocess.Process | None = None,
    log: Path | None = None,
) -> None:
    """Wait until `condition()` holds, re-checking it on every new bot message the sandbox shows.

    With `process`, fail at once if that process exits while we wait (quoting the end of its `log`).
    """

    def tail() -> str:
        return "\n" + log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""

    changed = asyncio.Event()
    unsubscribe = sb.on_message(lambda _message: changed.set())
    watcher = None
    if process is not None:
        watcher = asyncio.create_task(process.wait())
        watcher.add_done_callback(lambda _task: changed.set())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while True:
            changed.clear()
            if condition():
                return
            if process is not None and process.returncode is not None:
                raise AssertionError(f"the bot exited with code {process.returncode} before {what}{tail()}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"not {what} within {timeout} s{tail()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
    finally:
        unsubscribe()
        if watcher is not None:
            watcher.cancel()


def all_received(sb: Sandbox, users: Iterable[SimUser]) -> Callable[[], bool]:
    """A condition: every one of `users` has at least one message from the bot."""
    ids = [user.id for user in users]
    return lambda: all(sb.delivered(user_id) >= 1 for user_id in ids)


def received_count(sb: Sandbox, users: Iterable[SimUser]) -> Callable[[], int]:
    """How many of `users` have at least one message from the bot."""
    ids = [user.id for user in users]
    return lambda: sum(1 for user_id in ids if sb.delivered(user_id) >= 1)


# -- the bot in this process ------------------------------------------------------------------------


@asynccontextmanager
async def bot_running(
    sb: Sandbox,
    database_url: str,
    clock: ManualClock,
    *,
    delivery: dict[str, object] | None = None,
    admins: tuple[int, ...] = (),
) -> AsyncIterator[BotApplication]:
    """The real bot from the composition root, long-polling the sandbox; stopped when the block ends."""
    config = sandbox_config(sb, database_url, delivery or FAST, admins=admins)
    application = build_application(config, clock=clock)
    async with running(application, poll_timeout=5):
        yield application


# -- data -------------------------------------------------------------------------------------------


async def lebak_with_linked_pps(factory: SessionFactory, sb: Sandbox, count: int) -> list[SimUser]:
    """The real Lebak region and roster; the first `count` PPS (by member id) linked to sandbox users.

    Linked in one transaction with two bulk statements, as a registration backlog would never be.
    Returned in delivery order (the outbox sends in member-id order).
    """
    await import_lebak_wilayah(factory)
    await import_rows(factory, lebak_roster())
    registered_at = datetime.now(UTC)
    async with factory() as session, session.begin():
        member_ids = list(
            await session.scalars(
                select(Member.id)
                .where(Member.position.in_([Position.KETUA, Position.ANGGOTA]))
                .order_by(Member.id)
                .limit(count)
            )
        )
        users = [sb.new_user(f"PPS {number}") for number in range(1, len(member_ids) + 1)]
        await session.execute(
            insert(TelegramAccount),
            [{"id": user.id, "first_name": user.first_name, "reachable": True} for user in users],
        )
        await session.execute(
            update(Member),
            [
                {"id": member_id, "telegram_user_id": user.id, "registered_at": registered_at}
                for member_id, user in zip(member_ids, users, strict=True)
            ],
        )
    return users


async def small_world(factory: SessionFactory, sb: Sandbox) -> list[SimUser]:
    """Three registered PPS of Malingping (and their Bimtek session)."""
    members = await seed_members(
        factory,
        [
            ("Siti Aminah", Position.KETUA, "+6281234567801"),
            ("Budi Santoso", Position.ANGGOTA, "+6281234567802"),
            ("Cici Rahmawati", Position.ANGGOTA, "+6281234567803"),
        ],
    )
    await seed_session(factory)
    users = []
    for member in members:
        user = sb.new_user(member.name.split()[0])
        await link_telegram(factory, member.id, user.id)
        users.append(user)
    return users


async def new_broadcast(
    factory: SessionFactory,
    *,
    text: str,
    send_at: datetime,
    now: datetime,
    creator_chat_id: int | None = None,
    include_late: bool = False,
    progress: tuple[int, int] | None = None,
) -> int:
    """Store a broadcast to every PPS through the service the wizard uses."""
    async with factory() as session, session.begin():
        return await create_broadcast(
            session,
            body_html=text,
            media_kind=None,
            media_file_id=None,
            audience=PPS_AUDIENCE,
            send_at=send_at,
            now=now,
            created_by=creator_chat_id,
            creator_chat_id=creator_chat_id,
            language="id",
            include_late=include_late,
            progress=progress,
        )


async def delivery_statuses(factory: SessionFactory, broadcast_id: int) -> dict[DeliveryStatus, int]:
    async with factory() as session:
        rows = await session.execute(
            select(Delivery.status, func.count())
            .where(Delivery.broadcast_id == broadcast_id)
            .group_by(Delivery.status)
        )
        return {status: count for status, count in rows}


async def broadcast_state(factory: SessionFactory, broadcast_id: int) -> tuple[BroadcastStatus, int]:
    """(status, resent_after_crash) of a broadcast."""
    async with factory() as session:
        row = await session.get(Broadcast, broadcast_id)
        assert row is not None
        return row.status, row.resent_after_crash


def counts_of(sb: Sandbox, users: Iterable[SimUser]) -> dict[int, int]:
    return {user.id: sb.delivered(user.id) for user in users}


# -- 1. the whole roster under Telegram's limits ----------------------------------------------------


async def test_all_1035_pps_get_the_announcement_exactly_once_without_flood_errors(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, clock: ManualClock
) -> None:
    # Telegram's limits scaled ×10 overall (the per-chat limit as is) so the run takes seconds, not 35 s;
    # the bot sends at 250/s with paid broadcasts. The benchmark measures the real 25/s.
    sandbox.limits = TelegramLimits(global_rate=300, per_chat_rate=1)
    users = await lebak_with_linked_pps(session_factory, sandbox, LEBAK_PPS)
    assert len(users) == 1035

    async with bot_running(
        sandbox, database_url, clock, delivery={"rate_per_second": 250, "paid_broadcast": True}
    ) as bot:
        broadcast_id = await new_broadcast(
            session_factory,
            text="Yth. {nama}, PPS Desa {desa}: Bimtek dimulai pukul 08.00 WIB.",
            send_at=clock.now(),
            now=clock.now(),
        )
        await bot.bot_data.scheduler.submit(broadcast_id, clock.now())
        await until(sandbox, all_received(sandbox, users), timeout=60, what="every PPS received it")
        await bot.bot_data.outbox.wait_idle(timeout=30)

    assert sandbox.stats.rate_limited == 0
    assert sandbox.stats.too_many_requests == 0
    assert sandbox.delivery_counts() == {user.id: 1 for user in users}
    assert all(user.messages[0].text.startswith("Yth. ") for user in users)
    assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: 1035}
    assert await broadcast_state(session_factory, broadcast_id) == (BroadcastStatus.DONE, 0)


# -- 2. interactive replies go before the bulk --------------------------------------------------------


async def test_a_member_asking_during_a_broadcast_is_answered_before_it_ends(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, clock: ManualClock
) -> None:
    sandbox.limits = TelegramLimits()  # 30/s overall, 1/s per chat
    users = await lebak_with_linked_pps(session_factory, sandbox, 150)
    asker = users[-1]  # last in delivery order: the broadcast reaches them at the very end
    async with session_factory() as session:
        code = await session.scalar(
            select(Kecamatan.code)
            .join(Member, Member.kecamatan_id == Kecamatan.id)
            .where(Member.telegram_user_id == asker.id)
        )
    assert code is not None
    await seed_session(session_factory, code)

    marker = "Pengumuman KPU:"
    bulk_seen = 0
    bulk_seen_at_reply: int | None = None

    def watch(message: BotMessage) -> None:
        nonlocal bulk_seen, bulk_seen_at_reply
        if message.text.startswith(marker):
            bulk_seen += 1
        elif (
            message.chat_id == asker.id
            and message.text.startswith("Bimtek PPS")
            and bulk_seen_at_reply is None
        ):
            bulk_seen_at_reply = bulk_seen

    unsubscribe = sandbox.on_message(watch)
    try:
        async with bot_running(sandbox, database_url, clock, delivery=TELEGRAM_RATE) as bot:
            broadcast_id = await new_broadcast(
                session_factory, text=f"{marker} bawa KTP, {{nama}}.", send_at=clock.now(), now=clock.now()
            )
            await bot.bot_data.scheduler.submit(broadcast_id, clock.now())
            await until(sandbox, lambda: bulk_seen >= 25, timeout=30, what="the broadcast got going")

            await asker.send_text("/jadwal")
            card = await asker.wait_for(lambda m: m.text.startswith("Bimtek PPS"), timeout=10)
            assert "Tempat: Aula Kantor Kecamatan Malingping" in card.text
            assert bulk_seen_at_reply is not None and bulk_seen_at_reply < len(users)

            await until(sandbox, all_received(sandbox, users), timeout=30, what="every PPS received it")
            await bot.bot_data.outbox.wait_idle(timeout=30)
    finally:
        unsubscribe()

    assert sandbox.stats.too_many_requests == 0
    assert bulk_seen == len(users)
    assert [m.text.startswith(marker) for m in asker.messages] == [False, False, True]  # venue, card, bulk
    assert all(sandbox.delivered(user.id) == 1 for user in users[:-1])
    assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: len(users)}


# -- 3. a killed process resumes --------------------------------------------------------------------


async def _start_bot_process(config: Path, log: Path) -> asyncio.subprocess.Process:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PPSBOT_")}
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--config",
            str(config),
            cwd=REPO_ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
        )


async def _stop(process: asyncio.subprocess.Process, how: signal.Signals) -> int:
    if process.returncode is None:
        process.send_signal(how)
    return await asyncio.wait_for(process.wait(), timeout=30)


async def test_killed_bot_process_resumes_the_broadcast_with_counted_duplicates(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, tmp_path: Path
) -> None:
    sandbox.limits = TelegramLimits()
    users = await lebak_with_linked_pps(session_factory, sandbox, 300)
    coordinator = sandbox.new_user("Bu KPU")
    async with make_bot(sandbox) as telegram:
        preview = await telegram.send_message(coordinator.id, "📤 Mengirim pengumuman…")
    now = datetime.now(UTC)  # the processes run on the system clock
    broadcast_id = await new_broadcast(
        session_factory,
        text="Rapat evaluasi Bimtek untuk {nama}, Desa {desa}.",
        send_at=now,
        now=now,
        creator_chat_id=coordinator.id,
        progress=(coordinator.id, preview.message_id),
    )
    config = tmp_path / "config.toml"
    config.write_text(
        f"[telegram]\ntoken = {json.dumps(sandbox.token)}\nbase_url = {json.dumps(sandbox.base_url)}\n"
        f"[database]\nurl = {json.dumps(database_url)}\n"
        '[delivery]\nrate_per_second = 25\n[logging]\nlevel = "INFO"\n',
        encoding="utf-8",
    )
    log = tmp_path / "bot.log"
    reached = received_count(sandbox, users)

    first = await _start_bot_process(config, log)
    try:
        await until(
            sandbox, lambda: reached() >= 80, timeout=60, what="80 PPS reached", process=first, log=log
        )
    finally:
        first_exit = await _stop(first, signal.SIGKILL)
    assert first_exit == -signal.SIGKILL
    reached_before_restart = reached()
    assert reached_before_restart < len(users)

    second = await _start_bot_process(config, log)
    try:
        await until(
            sandbox,
            all_received(sandbox, users),
            timeout=90,
            what="every PPS reached",
            process=second,
            log=log,
        )
        report = await coordinator.wait_for_edit(
            preview.message_id, lambda m: "selesai" in m.text, timeout=30
        )
    finally:
        exit_code = await _stop(second, signal.SIGTERM)
    assert exit_code == 0

    status, resent = await broadcast_state(session_factory, broadcast_id)
    duplicates = sum(count - 1 for count in counts_of(sandbox, users).values())
    print(
        f"crash test: reached before kill {reached_before_restart}, duplicates {duplicates}, counter {resent}"
    )
    assert status is BroadcastStatus.DONE
    assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: len(users)}
    assert duplicates <= resent <= claim_window(25)
    assert "Terkirim: 300 dari 300" in report.text
    if resent:
        assert f"(mungkin terima dua kali): {resent}" in report.text
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "recovered" in output  # the second process found the first one's claimed rows
    assert sandbox.token not in output
    assert sandbox.token.split(":", 1)[1] not in output


async def test_a_planned_stop_mid_broadcast_records_what_was_sent_and_resends_none_of_it(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, clock: ManualClock
) -> None:
    users = await lebak_with_linked_pps(session_factory, sandbox, 120)
    reached = received_count(sandbox, users)
    async with bot_running(sandbox, database_url, clock, delivery=TELEGRAM_RATE) as bot:
        broadcast_id = await new_broadcast(
            session_factory, text="Info {nama}.", send_at=clock.now(), now=clock.now()
        )
        await bot.bot_data.scheduler.submit(broadcast_id, clock.now())
        await until(sandbox, lambda: reached() >= 30, timeout=30, what="30 PPS reached")
        answered = {user.id for user in users if sandbox.delivered(user.id)}  # the stop begins now
    async with session_factory() as session:
        recorded = set(
            await session.scalars(
                select(Delivery.chat_id).where(
                    Delivery.broadcast_id == broadcast_id, Delivery.status == DeliveryStatus.SENT
                )
            )
        )
    assert answered <= recorded  # nothing Telegram confirmed is left 'sending' for the next start
    assert len(answered) < len(users)

    async with bot_running(sandbox, database_url, clock, delivery=TELEGRAM_RATE) as bot:
        await until(sandbox, all_received(sandbox, users), timeout=30, what="every PPS received it")
        await bot.bot_data.outbox.wait_idle(timeout=30)

    counts = counts_of(sandbox, users)
    assert all(counts[chat_id] == 1 for chat_id in answered)
    status, resent = await broadcast_state(session_factory, broadcast_id)
    assert sum(count - 1 for count in counts.values()) <= resent <= claim_window(25)
    assert status is BroadcastStatus.DONE
    assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: len(users)}


# -- 4–6. scheduled and missed broadcasts across restarts -------------------------------------------


async def test_a_scheduled_broadcast_survives_a_restart(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, clock: ManualClock
) -> None:
    users = await small_world(session_factory, sandbox)
    evening = clock.now() + timedelta(hours=10, minutes=30)  # 18.00 WIB
    async with bot_running(sandbox, database_url, clock) as bot:
        broadcast_id = await new_broadcast(
            session_factory, text="Selamat sore {nama}.", send_at=evening, now=clock.now()
        )
        await bot.bot_data.scheduler.submit(broadcast_id, evening)
        assert bot.bot_data.scheduler.scheduled_job_names() == [job_name(broadcast_id)]

    async with bot_running(sandbox, database_url, clock) as bot:
        scheduler = bot.bot_data.scheduler
        assert scheduler.scheduled_job_names() == [f"broadcast:{broadcast_id}"]
        assert await scheduler.fire_due() == []  # still 07.30
        clock.set(evening)
        assert await scheduler.fire_due() == [broadcast_id]
        await until(sandbox, all_received(sandbox, users), timeout=10, what="every PPS received it")
        await bot.bot_data.outbox.wait_idle(timeout=10)
        assert await scheduler.fire_due() == []
        assert scheduler.scheduled_job_names() == []

    assert counts_of(sandbox, users) == {user.id: 1 for user in users}
    assert users[0].messages[0].text == "Selamat sore Siti Aminah."
    assert await broadcast_state(session_factory, broadcast_id) == (BroadcastStatus.DONE, 0)


async def test_a_broadcast_missed_within_the_grace_is_sent_once_at_start_up(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, clock: ManualClock
) -> None:
    users = await small_world(session_factory, sandbox)
    due = clock.now() - timedelta(minutes=5)  # the bot was down at its time; grace is 900 s
    broadcast_id = await new_broadcast(
        session_factory, text="Apel pagi dimulai.", send_at=due, now=due - timedelta(hours=1)
    )

    async with bot_running(sandbox, database_url, clock) as bot:
        await until(sandbox, all_received(sandbox, users), timeout=10, what="every PPS received it")
        await bot.bot_data.outbox.wait_idle(timeout=10)
    assert counts_of(sandbox, users) == {user.id: 1 for user in users}
    assert await broadcast_state(session_factory, broadcast_id) == (BroadcastStatus.DONE, 0)
    assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: 3}

    sends_before = sandbox.stats.requests["sendMessage"]
    async with bot_running(sandbox, database_url, clock) as bot:
        await bot.bot_data.outbox.wait_idle(timeout=10)  # start-up (reconcile included) is over
        assert bot.bot_data.scheduler.scheduled_job_names() == []
    assert sandbox.stats.requests["sendMessage"] == sends_before
    assert counts_of(sandbox, users) == {user.id: 1 for user in users}
    assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: 3}


async def test_a_broadcast_missed_past_the_grace_is_marked_and_reported(
    sandbox: Sandbox, session_factory: SessionFactory, database_url: str, clock: ManualClock
) -> None:
    users = await small_world(session_factory, sandbox)
    coordinator = sandbox.new_user("Bu KPU")
    admin = sandbox.new_user("Admin KPU")
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=coordinator.id)
    due = clock.now() - timedelta(hours=2)
    by_coordinator = await new_broadcast(
        session_factory,
        text="Rapat koordinasi PPS pukul 05.30.",
        send_at=due,
        now=due - timedelta(hours=1),
        creator_chat_id=coordinator.id,
    )
    program = await new_broadcast(
        session_factory, text="Program: pengingat subuh.", send_at=due, now=due - timedelta(days=1)
    )

    async with bot_running(sandbox, database_url, clock, admins=(admin.id,)) as bot:
        notice = await coordinator.wait_for(lambda m: "tidak terkirim" in m.text)
        admin_notice = await admin.wait_for(lambda m: "tidak terkirim" in m.text)
        await bot.bot_data.outbox.wait_idle(timeout=10)
        assert bot.bot_data.scheduler.scheduled_job_names() == []

    assert f"#{by_coordinator}" in notice.text and "Rapat koordinasi PPS" in notice.text
    assert f"#{program}" in admin_notice.text and "Program: pengingat subuh." in admin_notice.text
    assert [m.text for m in coordinator.messages] == [notice.text]  # not told about the program
    assert [m.text for m in admin.messages] == [admin_notice.text]
    assert counts_of(sandbox, users) == {user.id: 0 for user in users}
    for broadcast_id in (by_coordinator, program):
        assert await broadcast_state(session_factory, broadcast_id) == (BroadcastStatus.MISSED, 0)
        assert await delivery_statuses(session_factory, broadcast_id) == {}


# -- 7. late registrants ----------------------------------------------------------------------------


@pytest.mark.parametrize("include_late", [True, False], ids=["include_late", "not_for_late"])
async def test_a_late_registrant_gets_only_announcements_marked_for_them(
    sandbox: Sandbox,
    session_factory: SessionFactory,
    database_url: str,
    clock: ManualClock,
    include_late: bool,
) -> None:
    users = await small_world(session_factory, sandbox)
    [late_member] = await seed_members(
        session_factory, [("Dedi Terlambat", Position.ANGGOTA, "+6281234567804")], desa_name="Cilangkahan"
    )
    async with bot_running(sandbox, database_url, clock) as bot:
        broadcast_id = await new_broadcast(
            session_factory,
            text="Materi Bimtek untuk {nama} ada di KPU.",
            send_at=clock.now(),
            now=clock.now(),
            include_late=include_late,
        )
        await bot.bot_data.scheduler.submit(broadcast_id, clock.now())
        await until(sandbox, all_received(sandbox, users), timeout=10, what="every PPS received it")
        await bot.bot_data.outbox.wait_idle(timeout=10)
        assert await broadcast_state(session_factory, broadcast_id) == (BroadcastStatus.DONE, 0)

        newcomer = sandbox.new_user("Dedi", phone_number=late_member.phone)
        await newcomer.send_text("/daftar")
        await newcomer.next_message()
        await newcomer.share_contact()
        confirm = await newcomer.wait_for(lambda m: "Dedi Terlambat" in m.text)
        await newcomer.press("✅ Ya, benar", message_id=confirm.message_id)
        await newcomer.wait_for_edit(confirm.message_id, lambda m: "Pendaftaran berhasil" in m.text)
        if include_late:
            late = await newcomer.wait_for(lambda m: m.text.startswith("Materi Bimtek"), timeout=10)
            assert late.text == "Materi Bimtek untuk Dedi Terlambat ada di KPU."
        await bot_idle(bot)  # the confirmation handler (and the late-registrant hook) has finished
        await bot.bot_data.outbox.wait_idle(timeout=10)

    received = [m.text for m in newcomer.messages if m.text.startswith("Materi Bimtek")]
    assert len(received) == (1 if include_late else 0)
    assert counts_of(sandbox, users) == {user.id: 1 for user in users}
    expected = len(users) + (1 if include_late else 0)
    assert await delivery_statuses(session_factory, broadcast_id) == {DeliveryStatus.SENT: expected}
    assert await broadcast_state(session_factory, broadcast_id) == (BroadcastStatus.DONE, 0)
