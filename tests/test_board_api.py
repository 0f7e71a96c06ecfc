"""The live board's server side, end to end: the real bot on the sandbox, its /board/ API over real HTTP.

Lebak's 28 kecamatan and a 1,175-person synthetic roster; members check in through the sandbox and the
board's JSON and event stream follow. No browser here (the page's own tests drive Chromium).
"""

import asyncio
import dataclasses
import io
import json
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import build_application, running
from bot.board.init_data import sign_init_data
from bot.checkin.codes import current_code
from bot.core.clock import ManualClock
from bot.core.config import BoardConfig, Config, ConfigError, HealthConfig, load_config
from bot.core.db import SessionFactory
from bot.plans import EXAMPLE_PLAN
from bot.rehearsal.day import RehearsalOptions, rehearse
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from models import (
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Duty,
    DutyCompletion,
    DutyStatus,
    Kecamatan,
    Member,
    Position,
    TrainingSession,
)
from tests.conftest import WILAYAH_CSV, sandbox_config
from tests.factories import LEBAK_KECAMATAN, import_lebak_wilayah, import_rows, lebak_roster
from tests.helpers import eventually
from tests.seed import link_telegram, seed_coordinator, seed_session
from tests.test_rehearse import _small_roster

MALINGPING, BAYAH = "36.02.01", "36.02.03"
DEADLINE = 15.0
PUBLIC_URL = "https://kpu-lebak.example/board/"


def free_port() -> int:
    """A port nobody listens on now (the OS picks it; tests run in parallel)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Day:
    """The training day's people: two Malingping PPS and one in Bayah, the KPU and a Malingping PPK."""

    bot: BotApplication
    url: str
    sandbox: Sandbox
    clock: ManualClock
    factory: SessionFactory
    members: list[SimUser]
    kpu: SimUser
    ppk: SimUser
    secrets: dict[str, str]

    def init_data(self, user: SimUser, *, age: timedelta = timedelta()) -> str:
        return sign_init_data(
            self.sandbox.token, user_id=user.id, first_name=user.first_name, auth_date=self.clock.now() - age
        )

    async def get(self, path: str, auth: str | None) -> tuple[int, Any]:
        headers = {"Authorization": auth} if auth is not None else {}
        async with aiohttp.ClientSession() as http, http.get(self.url + path, headers=headers) as response:
            return response.status, await response.json()

    async def board(self, user: SimUser) -> dict[str, Any]:
        status, body = await self.get("/board/api/board", f"tma {self.init_data(user)}")
        assert status == 200, body
        return body  # type: ignore[no-any-return]

    async def check_in(self, user: SimUser, kecamatan_code: str) -> None:
        code = current_code(self.secrets[kecamatan_code], 5, self.clock.now())
        await user.send_text(f"/hadir {code}")
        assert "Presensi tercatat" in (await user.next_message()).text


async def _pps(factory: SessionFactory, kecamatan_code: str, count: int) -> list[int]:
    async with factory() as session:
        rows = await session.scalars(
            select(Member.id)
            .join(Kecamatan, Kecamatan.id == Member.kecamatan_id)
            .where(Kecamatan.code == kecamatan_code, Member.position != Position.PPK)
            .order_by(Member.id)
            .limit(count)
        )
        return list(rows)


async def _secrets(factory: SessionFactory) -> dict[str, str]:
    async with factory() as session:
        rows = await session.execute(
            select(Kecamatan.code, TrainingSession.secret).join(
                TrainingSession, TrainingSession.kecamatan_id == Kecamatan.id
            )
        )
        return dict(rows.tuples().all())


@pytest.fixture
async def day(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock
) -> AsyncIterator[Day]:
    """The bot with the board on its own port (Mini App URL https), Lebak's roster and two venues."""
    await import_lebak_wilayah(session_factory)
    await import_rows(session_factory, lebak_roster())
    await seed_session(session_factory, MALINGPING)
    await seed_session(session_factory, BAYAH, venue="Aula Kecamatan Bayah", latitude=-6.93, longitude=106.25)
    members = [sandbox.new_user(name) for name in ("Siti", "Dewi", "Asep")]
    for user, member_id in zip(
        members,
        [*await _pps(session_factory, MALINGPING, 2), *await _pps(session_factory, BAYAH, 1)],
        strict=True,
    ):
        await link_telegram(session_factory, member_id, user.id)
    kpu, ppk = sandbox.new_user("Kepala KPU"), sandbox.new_user("Pak PPK")
    await seed_coordinator(session_factory, "+6281299990001", telegram_user_id=kpu.id)
    await seed_coordinator(session_factory, "+6281299990002", MALINGPING, telegram_user_id=ppk.id)
    port = free_port()
    config = dataclasses.replace(
        sandbox_config(sandbox, database_url),
        board=BoardConfig(enabled=True, port=port, refresh_seconds=1, public_url=PUBLIC_URL),
    )
    application = build_application(config, clock=clock, per_chat_interval=0.0)
    async with running(application, poll_timeout=5):
        yield Day(
            application,
            f"http://127.0.0.1:{port}",
            sandbox,
            clock,
            session_factory,
            members,
            kpu,
            ppk,
            await _secrets(session_factory),
        )


async def test_kpu_sees_all_kecamatan_and_a_ppk_only_theirs(day: Day) -> None:
    kpu = await day.board(day.kpu)
    assert kpu["viewer"] == {"name": "Kepala KPU", "role": "kpu", "kecamatan": None}
    assert len(kpu["kecamatan"]) == LEBAK_KECAMATAN
    assert kpu["totals"] == {"present": 0, "registered": 3, "roster": 1035}
    assert kpu["date"] == "2024-06-03" and kpu["zone"] == "Asia/Jakarta"
    assert kpu["generated_at"] == "2024-06-03T07:30:00+07:00"
    by_code = {line["code"]: line for line in kpu["kecamatan"]}
    venue = by_code[MALINGPING]["venue"]
    assert venue["window"] == "open" and venue["opens_at"] == "2024-06-03T07:00:00+07:00"
    assert venue["place"] == "Aula Kantor Kecamatan Malingping"
    assert by_code["36.02.02"]["venue"] is None  # no session there
    assert sum(kpu["desa_present"].values()) == 345 and kpu["desa_present"]["0"] == 345

    ppk = await day.board(day.ppk)
    assert ppk["viewer"]["role"] == "ppk" and ppk["viewer"]["kecamatan"] == "Malingping"
    assert [line["code"] for line in ppk["kecamatan"]] == [MALINGPING]
    assert ppk["totals"]["registered"] == 2 and ppk["totals"]["roster"] == by_code[MALINGPING]["roster"]


async def test_refusals_missing_forged_stale_and_not_a_coordinator(day: Day) -> None:
    assert (await day.get("/board/api/board", None))[0] == 401
    genuine = day.init_data(day.kpu)
    forged = re.sub(r"hash=([0-9a-f])", lambda m: "hash=" + ("0" if m[1] != "0" else "1"), genuine)
    status, body = await day.get("/board/api/board", f"tma {forged}")
    assert (status, body["error"]) == (401, "forged") and "Akses ditolak" in body["message"]
    # Someone else's id in a genuine initData: the hash no longer fits.
    tampered = genuine.replace(str(day.kpu.id), str(day.members[0].id))
    assert (await day.get("/board/api/board", f"tma {tampered}"))[1]["error"] == "forged"
    stale = day.init_data(day.kpu, age=timedelta(hours=2))
    status, body = await day.get("/board/api/board", f"tma {stale}")
    assert (status, body["error"]) == (401, "stale")
    assert (await day.get("/board/api/board", "Bearer x"))[1]["error"] == "malformed"

    status, body = await day.get("/board/api/board", f"tma {day.init_data(day.members[0])}")
    assert (status, body["error"]) == (403, "not_coordinator")
    stranger = day.sandbox.new_user("Orang Lain")
    assert (await day.get("/board/api/board", f"tma {day.init_data(stranger)}"))[0] == 403
    # The event stream refuses the same way, before it starts.
    status, body = await day.get(f"/board/api/events?auth=tma%20{forged}", None)
    assert (status, body["error"]) == (401, "forged")


async def test_check_ins_through_the_sandbox_move_the_numbers(day: Day) -> None:
    before = await day.board(day.kpu)
    await day.check_in(day.members[0], MALINGPING)
    await day.check_in(day.members[2], BAYAH)
    # The board is cached for up to a second: poll with a deadline for the new numbers.
    board = await _until(day, day.kpu, lambda b: b["totals"]["present"] == 2)
    assert board["version"] != before["version"]
    by_code = {line["code"]: line for line in board["kecamatan"]}
    assert by_code[MALINGPING]["present"] == 1 and by_code[BAYAH]["present"] == 1
    assert board["desa_present"]["1"] == 2
    assert board["timeline"][-1] == {"at": "2024-06-03T07:30:00+07:00", "check_ins": 2}
    assert board["timeline"][0] == {"at": "2024-06-03T07:00:00+07:00", "check_ins": 0}
    ppk = await day.board(day.ppk)
    assert ppk["totals"]["present"] == 1  # Bayah's check-in is not Malingping's
    # Once every window has closed (09.00), the timeline stops at the check-in part of the day.
    day.clock.advance(timedelta(hours=3))
    later = await _until(day, day.kpu, lambda b: b["generated_at"].startswith("2024-06-03T10:30"))
    assert later["timeline"][-1]["at"] == "2024-06-03T08:55:00+07:00" and len(later["timeline"]) == 24
    assert {line["venue"]["window"] for line in later["kecamatan"] if line["venue"]} == {"closed"}


async def _until(day: Day, user: SimUser, predicate: Any) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while True:
        board = await day.board(user)
        if predicate(board):
            return board
        assert loop.time() < deadline, f"the board never changed: {board['totals']}"
        await asyncio.sleep(0.1)


async def _events(response: aiohttp.ClientResponse) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """Server-sent events as (event, data), comments skipped."""
    event, data = "message", ""
    while line := (await response.content.readline()).decode():
        line = line.rstrip("\n")
        if line.startswith("event: "):
            event = line[len("event: ") :]
        elif line.startswith("data: "):
            data += line[len("data: ") :]
        elif not line and data:
            yield event, json.loads(data)
            event, data = "message", ""


async def test_the_event_stream_sends_a_new_board_after_a_check_in(day: Day) -> None:
    auth = f"tma {day.init_data(day.ppk)}"
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{day.url}/board/api/events", params={"auth": auth}) as response,
    ):
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        events = _events(response)
        async with asyncio.timeout(DEADLINE):
            event, first = await anext(events)
        assert event == "board" and first["totals"]["present"] == 0
        await day.check_in(day.members[1], MALINGPING)
        async with asyncio.timeout(DEADLINE):
            event, second = await anext(events)
        assert event == "board" and second["totals"]["present"] == 1
        assert second["version"] != first["version"]


async def _link(user: SimUser) -> str:
    await user.send_text("/papan")
    message = await user.next_message()
    match = re.search(r"\?t=([A-Za-z0-9_-]+)", message.text)
    assert match, message.text
    return match[1]


async def test_papan_gives_a_projector_link_for_the_day_that_can_be_revoked(day: Day) -> None:
    await day.ppk.send_text("/papan")
    message = await day.ppk.next_message()
    assert "Kecamatan Malingping" in message.text and PUBLIC_URL + "?t=" in message.text
    assert "23.59" in message.text
    assert message.buttons[0][0].web_app_url == PUBLIC_URL
    assert day.sandbox.world.menu_buttons[day.ppk.id]["type"] == "web_app"
    token = re.search(r"\?t=([A-Za-z0-9_-]+)", message.text)[1]  # type: ignore[index]

    status, board = await day.get("/board/api/board", f"link {token}")
    assert status == 200 and [line["code"] for line in board["kecamatan"]] == [MALINGPING]
    assert board["viewer"]["role"] == "ppk"

    await day.ppk.send_text("/papan cabut")
    assert "dicabut: 1" in (await day.ppk.next_message()).text
    status, body = await day.get("/board/api/board", f"link {token}")
    assert (status, body["error"]) == (401, "link_not_valid")

    tomorrow = await _link(day.kpu)
    assert (await day.get("/board/api/board", f"link {tomorrow}"))[0] == 200
    day.clock.advance(timedelta(hours=17))  # 00.30 the next day
    status, body = await day.get("/board/api/board", f"link {tomorrow}")
    assert (status, body["error"]) == (401, "link_not_valid")
    assert (await day.get("/board/api/board", "link not-a-link"))[0] == 401


async def test_papan_and_the_board_button_are_for_coordinators_only(day: Day) -> None:
    await day.members[0].send_text("/papan")
    assert "hanya untuk koordinator" in (await day.members[0].next_message()).text
    # At start-up every registered coordinator's menu button was made to open the board; no member's.
    menus = day.sandbox.world.menu_buttons
    await eventually(lambda: {day.kpu.id, day.ppk.id} <= set(menus), "the coordinators' menu buttons")
    assert menus[day.kpu.id]["web_app"] == {"url": PUBLIC_URL} and day.members[0].id not in menus
    await day.kpu.send_text("/rekap")
    recap = await day.kpu.wait_for(lambda m: "Rekap kehadiran" in m.text)
    assert recap.buttons[0][0].text == "📊 Papan" and recap.buttons[0][0].web_app_url == PUBLIC_URL


async def test_the_page_and_its_assets_are_served_without_auth_and_nothing_outside(day: Day) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{day.url}/board/static/../../app.py") as response:
            assert response.status == 404
        async with http.get(f"{day.url}/board?t=abc", allow_redirects=False) as response:
            assert response.status == 308 and response.headers["Location"] == "/board/?t=abc"


async def test_rehearse_with_board_prints_a_link_that_serves_the_day_while_it_runs(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    _small_roster(roster)
    out = io.StringIO()
    options = RehearsalOptions(
        plan=EXAMPLE_PLAN,
        roster=roster,
        wilayah=WILAYAH_CSV,
        speed=240,
        out=tmp_path / "gladi",
        seed=3,
        language="id",
        zone=ZoneInfo("Asia/Jakarta"),
        board=True,
    )
    day = asyncio.create_task(rehearse(options, out))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while (found := re.search(r"Papan kehadiran langsung .*: (http://\S+)\?t=(\S+)", out.getvalue())) is None:
        assert not day.done() and loop.time() < deadline, out.getvalue()
        await asyncio.sleep(0.05)
    url, token = found[1], found[2]
    headers = {"Authorization": f"link {token}"}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}api/board", headers=headers) as response:
            assert response.status == 200
            board = await response.json()
        assert board["viewer"]["role"] == "kpu" and len(board["kecamatan"]) == LEBAK_KECAMATAN
        assert board["tile_url"] == ""  # offline by design
        # Check-ins of the rehearsed day reach the board while it runs.
        while board["totals"]["present"] == 0:
            assert not day.done() and loop.time() < deadline + 120, "no check-in reached the board"
            await asyncio.sleep(0.2)
            async with http.get(f"{url}api/board", headers=headers) as response:
                board = await response.json()
        assert await day == 0
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(f"{url}api/board", headers=headers)


async def test_program_and_duties_are_counted_within_the_scope(day: Day) -> None:
    siti, dewi, asep = await _pps(day.factory, MALINGPING, 2) + await _pps(day.factory, BAYAH, 1)
    at = day.clock.now()
    async with day.factory() as session, session.begin():
        malingping = await session.scalar(select(Kecamatan.id).where(Kecamatan.code == MALINGPING))
        announcement = Broadcast(
            body_html="<b>Check-in dibuka</b>\nSilakan presensi.",
            audience={"kind": "all", "kecamatan_ids": []},
            send_at=at,
            status=BroadcastStatus.SENDING,
        )
        bayah_only = Broadcast(
            body_html="Kecamatan lain saja",
            audience={"kind": "all", "kecamatan_ids": [malingping + 99]},
            send_at=at,
            status=BroadcastStatus.SCHEDULED,
        )
        yesterday = Broadcast(
            body_html="Kemarin",
            audience={"kind": "all", "kecamatan_ids": []},
            send_at=at - timedelta(days=1),
            status=BroadcastStatus.DONE,
        )
        session.add_all([announcement, bayah_only, yesterday])
        await session.flush()
        for member_id, status in (
            (siti, DeliveryStatus.SENT),
            (dewi, DeliveryStatus.BLOCKED),
            (asep, DeliveryStatus.SENT),
        ):
            session.add(
                Delivery(broadcast_id=announcement.id, member_id=member_id, chat_id=member_id, status=status)
            )
        per_desa = Duty(
            title="Bentuk KPPS",
            due_at=at + timedelta(days=7),
            audience={"kind": "pps", "kecamatan_ids": []},
            completion=DutyCompletion.DESA,
        )
        per_member = Duty(
            title="Baca modul",
            due_at=at + timedelta(days=3),
            audience={"kind": "pps", "kecamatan_ids": []},
            completion=DutyCompletion.MEMBER,
        )
        session.add_all([per_desa, per_member])
        await session.flush()
        # Siti and Dewi share a desa: the per-desa duty is done there once; the per-member one needs all three.
        for duty in (per_desa, per_member):
            for member_id in (siti, dewi):
                session.add(DutyStatus(duty_id=duty.id, member_id=member_id, done_at=at))
        session.add(DutyStatus(duty_id=per_desa.id, member_id=asep, done_at=at))

    kpu = await day.board(day.kpu)
    assert [(p["title"], p["status"], p["sent"], p["total"], p["unreachable"]) for p in kpu["program"]] == [
        ("Check-in dibuka", "sending", 2, 3, 1),
        ("Kecamatan lain saja", "scheduled", 0, 0, 0),
    ]
    assert [(d["title"], d["done_desa"], d["total_desa"]) for d in kpu["duties"]] == [
        ("Baca modul", 0, 345),
        ("Bentuk KPPS", 2, 345),
    ]
    ppk = await day.board(day.ppk)
    malingping_desa = sum(ppk["desa_present"].values())
    assert [(p["title"], p["sent"], p["total"], p["unreachable"]) for p in ppk["program"]] == [
        ("Check-in dibuka", 1, 2, 1)  # Asep's delivery is Bayah's; the other kecamatan's is not theirs
    ]
    assert [(d["title"], d["done_desa"], d["total_desa"]) for d in ppk["duties"]] == [
        ("Baca modul", 0, malingping_desa),
        ("Bentuk KPPS", 1, malingping_desa),
    ]


def _board_config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ={}, require_token=False)


def test_board_config_defaults_and_checks(tmp_path: Path) -> None:
    board = _board_config(tmp_path, "").board
    assert (board.enabled, board.port, board.max_age_seconds, board.refresh_seconds) == (False, 0, 3600, 5)
    assert board.tile_url.startswith("https://tile.openstreetmap.org/")
    on = _board_config(
        tmp_path,
        '[board]\nenabled = true\nport = 8790\npublic_url = "https://kpu.example/board/"\ntile_url = ""\n',
    ).board
    assert on.mini_app and on.local_url == "http://127.0.0.1:8790/board/" and on.tile_url == ""
    assert not _board_config(
        tmp_path, '[board]\nenabled = true\nport = 8790\npublic_url = "http://x/board/"\n'
    ).board.mini_app
    for text, needle in (
        ("[board]\nenabled = true\n", "[board] port must be set"),
        ('[board]\npublic_url = "ftp://x"\n', "[board] public_url must be an http:// or https:// URL"),
        ('[board]\ntile_url = "https://tiles.example/a.png"\n', "[board] tile_url must contain {z}"),
        ("[board]\nrefresh_seconds = 0\n", "[board] refresh_seconds must be between 1 and 60"),
        ("[board]\nmax_age = 10\n", "unknown key [board] max_age (did you mean max_age_seconds?)"),
    ):
        with pytest.raises(ConfigError) as error:
            _board_config(tmp_path, text)
        assert needle in str(error.value), str(error.value)
    # In polling mode the health endpoint's server may carry the board.
    assert _board_config(tmp_path, "[board]\nenabled = true\n[health]\nport = 9100\n").board.enabled


async def test_one_server_for_the_health_endpoint_and_the_board(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock
) -> None:
    await import_lebak_wilayah(session_factory)
    kpu = sandbox.new_user("Kepala KPU")
    await seed_coordinator(session_factory, "+6281299990001", telegram_user_id=kpu.id)
    port = free_port()
    config = dataclasses.replace(
        sandbox_config(sandbox, database_url),
        health=HealthConfig(port=port),
        board=BoardConfig(enabled=True),  # port 0: on the health endpoint's server
    )
    application = build_application(config, clock=clock, per_chat_interval=0.0)
    init_data = sign_init_data(sandbox.token, user_id=kpu.id, first_name="Kepala KPU", auth_date=clock.now())
    async with running(application, poll_timeout=5), aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200
        headers = {"Authorization": f"tma {init_data}"}
        async with http.get(f"http://127.0.0.1:{port}/board/api/board", headers=headers) as response:
            assert response.status == 200
            assert len((await response.json())["kecamatan"]) == LEBAK_KECAMATAN


async def test_a_revoked_link_ends_its_event_stream(day: Day) -> None:
    token = await _link(day.kpu)
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{day.url}/board/api/events", params={"auth": f"link {token}"}) as response,
    ):
        events = _events(response)
        async with asyncio.timeout(DEADLINE):
            event, first = await anext(events)
        assert event == "board" and first["viewer"]["role"] == "kpu"
        await day.kpu.send_text("/papan cabut")
        async with asyncio.timeout(DEADLINE):
            event, refusal = await anext(events)
            assert (event, refusal["error"]) == ("error", "link_not_valid")
            assert await response.content.read() == b""  # and the stream ends


async def test_in_webhook_mode_the_webhook_server_carries_the_board(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock
) -> None:
    from bot.runtime.running import serve

    await import_lebak_wilayah(session_factory)
    kpu = sandbox.new_user("Kepala KPU")
    await seed_coordinator(session_factory, "+6281299990001", telegram_user_id=kpu.id)
    port = free_port()
    config = sandbox_config(sandbox, database_url)
    config = dataclasses.replace(
        config,
        telegram=dataclasses.replace(
            config.telegram,
            mode="webhook",
            webhook_url="https://bot.example/hook",
            webhook_port=port,
            secret_token="s3cret-0123456789",
        ),
        board=BoardConfig(enabled=True),
    )
    sandbox.route_webhook("https://bot.example", f"http://127.0.0.1:{port}")
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(config, lambda: build_application(config, clock=clock, per_chat_interval=0.0), stop)
    )
    try:
        await eventually(lambda: sandbox.call_counts()[("setWebhook", 200)] > 0, "setWebhook", timeout=30)
        init_data = sign_init_data(
            sandbox.token, user_id=kpu.id, first_name="Kepala KPU", auth_date=clock.now()
        )
        async with (
            aiohttp.ClientSession() as http,
            http.get(
                f"http://127.0.0.1:{port}/board/api/board", headers={"Authorization": f"tma {init_data}"}
            ) as response,
        ):
            assert response.status == 200
            assert (await response.json())["viewer"]["role"] == "kpu"
        # And Telegram's updates still arrive on the same server.
        await kpu.send_text("/papan")
        assert f"http://127.0.0.1:{port}/board/?t=" in (await kpu.next_message()).text
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
