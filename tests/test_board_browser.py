"""The coordinators' live board in a real browser (Debian's chromium via Playwright) against the real bot.

The training day of Lebak: the region list, the synthetic roster and the bundled plan (28 venues, the
program, the duties); a few PPS registered who check in through the sandbox while the board is open.
"""

import gzip
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Locator, async_playwright, expect
from sqlalchemy import select, update

from bot.app import build_application, running
from bot.board.init_data import sign_init_data
from bot.board.links import create_link, revoke_links
from bot.checkin.codes import current_code
from bot.cli.plan_sections import plan_sections
from bot.core.clock import ManualClock
from bot.core.config import BoardConfig
from bot.core.db import SessionFactory
from bot.plan.parsing import parse_plan
from bot.plan.sessions import import_plan
from bot.plans import EXAMPLE_PLAN
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from handlers.duties.wording import DUTY_WORDING
from models import Desa, Kecamatan, Member, Position, TelegramAccount, TrainingSession
from tests.board_browser import (
    PROJECTOR,
    BoardPage,
    artifacts_dir,
    chromium_missing_reason,
    open_board,
    start_chromium,
)
from tests.conftest import REPO_ROOT, sandbox_config
from tests.factories import import_lebak_wilayah, import_rows, lebak_roster
from tests.seed import seed_coordinator

CODE_WINDOW_MINUTES = 5
MALINGPING, BAYAH = "36.02.01", "36.02.03"  # kecamatan codes of the region list
# How long the page may take to show a change: the stream looks every 5 s ([board] refresh_seconds), the
# polling fallback every 5 s; the rest is slack for a loaded CI machine.
UPDATE_DEADLINE_MS = 20_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One chromium per test process, shared by every test (each in its own context)."""
    if (reason := chromium_missing_reason()) is not None:
        pytest.skip(reason)
    yield from start_chromium(tmp_path_factory.mktemp("chromium"))


@pytest.fixture
async def browser(chromium: str) -> AsyncIterator[Browser]:
    """The shared chromium, driven by this test's Playwright (one per event loop)."""
    async with async_playwright() as playwright:
        connected = await playwright.chromium.connect_over_cdp(chromium)
        try:
            yield connected
        finally:
            # A connected browser: this closes our contexts and disconnects; chromium stays for the next test.
            await connected.close()


@dataclass(frozen=True)
class Person:
    """A PPS member registered with the bot, and the code on their venue's screen."""

    name: str
    kecamatan: str
    desa: str
    user: SimUser
    code: str
    venue: tuple[float, float]


@dataclass(frozen=True)
class Day:
    """The training day as the board tests need it."""

    url: str
    bot_token: str
    kpu_id: int
    ppk_id: int
    ppk_name: str
    people: list[Person]
    member_user_id: int  # a registered PPS member who is no coordinator


async def _training_day(
    factory: SessionFactory, sandbox: Sandbox, clock: ManualClock
) -> tuple[list[Person], int, int, str]:
    """Region list, roster and the bundled plan (imported the day before); PPS of two desa of Malingping and
    one of Bayah registered; a KPU coordinator and a Malingping PPK who have opened the bot."""
    await import_lebak_wilayah(factory)
    await import_rows(factory, lebak_roster())
    imported_at = clock.now() - timedelta(days=1)
    document = parse_plan(
        EXAMPLE_PLAN.read_text(),
        source=EXAMPLE_PLAN.name,
        sections=plan_sections(lambda: imported_at, duty_wording=DUTY_WORDING),
    )
    async with factory() as session, session.begin():
        await import_plan(session, document, actor="test", source_name=EXAMPLE_PLAN.name)

    async with factory() as session:
        rows = (
            await session.execute(
                select(
                    Member.id,
                    Member.name,
                    Member.phone,
                    Member.position,
                    Kecamatan.code,
                    Desa.name.label("desa"),
                    TrainingSession.secret,
                    TrainingSession.latitude,
                    TrainingSession.longitude,
                )
                .join(Kecamatan, Kecamatan.id == Member.kecamatan_id)
                .outerjoin(Desa, Desa.id == Member.desa_id)
                .join(
                    TrainingSession,
                    # the kecamatan's own session, not a desa's cascade session in the same kecamatan
                    (TrainingSession.kecamatan_id == Member.kecamatan_id) & TrainingSession.desa_id.is_(None),
                )
                .where(Kecamatan.code.in_((MALINGPING, BAYAH)))
                .order_by(Member.id)
            )
        ).all()
    pps = [r for r in rows if r.position is not Position.PPK]
    desa_order = list(dict.fromkeys((r.code, r.desa) for r in pps))
    chosen_desa = [d for d in desa_order if d[0] == MALINGPING][:2] + [
        d for d in desa_order if d[0] == BAYAH
    ][:1]
    chosen = [r for r in pps if (r.code, r.desa) in chosen_desa]
    people = []
    async with factory() as session, session.begin():
        for row in chosen:
            user = sandbox.new_user(row.name.split()[0])
            session.add(TelegramAccount(id=user.id, first_name=user.first_name, reachable=True))
            await session.flush()
            await session.execute(
                update(Member)
                .where(Member.id == row.id)
                .values(telegram_user_id=user.id, registered_at=datetime(2024, 6, 2, 5, 0, tzinfo=UTC))
            )
            people.append(
                Person(
                    row.name,
                    row.code,
                    row.desa,
                    user,
                    current_code(row.secret, CODE_WINDOW_MINUTES, clock.now()),
                    (row.latitude, row.longitude),
                )
            )
    kpu = sandbox.new_user("Ratna")
    await seed_coordinator(factory, "+6281311110000", telegram_user_id=kpu.id)
    ppk_row = next(r for r in rows if r.position is Position.PPK and r.code == MALINGPING)
    ppk = sandbox.new_user(ppk_row.name.split()[0])
    await seed_coordinator(factory, ppk_row.phone, MALINGPING, telegram_user_id=ppk.id)
    async with factory() as session, session.begin():
        await session.execute(
            update(TelegramAccount).where(TelegramAccount.id == kpu.id).values(first_name="Ratna (KPU)")
        )
        await session.execute(update(Member).where(Member.id == ppk_row.id).values(telegram_user_id=ppk.id))
    return people, kpu.id, ppk.id, ppk_row.name


@pytest.fixture
def tile_url() -> str:
    """[board] tile_url for the test: none (a test that checks failing tiles redefines it)."""
    return ""


@pytest.fixture
async def day(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, tile_url: str
) -> AsyncIterator[Day]:
    """The bot running with the board on its own port, on the training day at 07:30 WIB."""
    people, kpu_id, ppk_id, ppk_name = await _training_day(session_factory, sandbox, clock)
    config = sandbox_config(sandbox, database_url)
    board = BoardConfig(enabled=True, listen="127.0.0.1", port=_free_port(), tile_url=tile_url)
    # A long misfire grace: the 06:30 and 07:00 announcements go out when the bot starts at 07:30, so the
    # program shows sent ones beside missed (the evening before) and scheduled (08:30, 16:00) ones.
    config = replace(config, board=board, scheduler=replace(config.scheduler, misfire_grace_seconds=7200))
    application: BotApplication = build_application(config, clock=clock, per_chat_interval=0.0)
    async with running(application, poll_timeout=5):
        yield Day(board.local_url, sandbox.token, kpu_id, ppk_id, ppk_name, people, people[-1].user.id)


def _init_data(
    day: Day, user_id: int, clock: ManualClock, *, age: timedelta = timedelta(), token: str | None = None
) -> str:
    return sign_init_data(
        token or day.bot_token, user_id=user_id, first_name="Ratna", auth_date=clock.now() - age
    )


async def _check_in(person: Person) -> float:
    """Check in through Telegram (the code, then the location: the plan's venues have a radius); the
    wall-clock time the confirmation arrived."""
    await person.user.send_text(f"/hadir {person.code}")
    await person.user.wait_for(lambda m: "Kirim lokasi" in m.text, timeout=15)
    await person.user.share_location(*person.venue)
    await person.user.wait_for(lambda m: "Presensi tercatat" in m.text, timeout=15)
    return time.time()


async def _watch(board: BoardPage, selector: str) -> None:
    """Record in the page the wall-clock time of every change of this element's text."""
    await board.page.evaluate(
        """selector => {
            window.__changes = window.__changes || {};
            const log = window.__changes[selector] = [];
            const node = document.querySelector(selector);
            new MutationObserver(() => log.push([node.textContent, Date.now()]))
                .observe(node, {childList: true, characterData: true, subtree: true});
        }""",
        selector,
    )


async def _changed_at(board: BoardPage, selector: str, text: str) -> float:
    changes = await board.page.evaluate("s => window.__changes[s]", selector)
    return next(at for shown, at in changes if shown == text) / 1000


def _row(board: BoardPage, code: str) -> Locator:
    return board.page.locator(f'#kec-rows li[data-code="{code}"]')


Report = Callable[[str, object], None]


def _report(record: Report, line: str) -> None:
    """A measurement for the run's summary (tests/conftest.py prints them under "measured")."""
    print(f"[board] {line}")
    record("measured", f"[board] {line}")


async def test_numbers_change_without_a_reload_as_members_check_in(
    browser: Browser, day: Day, clock: ManualClock, database_url: str, record_property: Report
) -> None:
    board = await open_board(browser, day.url, init_data=_init_data(day, day.kpu_id, clock))
    page = board.page
    await expect(page.locator("#kec-rows li")).to_have_count(28)
    await expect(page.locator("#total-present")).to_have_text("0")
    await expect(page.locator("#total-roster")).to_have_text("1.035")
    await expect(page.locator("#link")).to_have_attribute("data-state", "live")

    weights = await board.first_load_bytes()
    total = sum(size for _, size in weights)
    _report(
        record_property,
        "first load (transferred: headers + body), " + database_url.split(":")[0].split("+")[0],
    )
    for path, size in weights:
        _report(record_property, f"  {size:>9,} B  {path}")
    _report(record_property, f"  {total:>9,} B  total (goal ≤ ~300 KB)")
    assert total < 300 * 1024

    await page.evaluate("window.__sameDocument = true")
    await _watch(board, "#total-present")
    latencies = []
    malingping = [p for p in day.people if p.kecamatan == MALINGPING]
    bayah = [p for p in day.people if p.kecamatan == BAYAH]

    confirmed = await _check_in(malingping[0])
    await expect(page.locator("#total-present")).to_have_text("1", timeout=UPDATE_DEADLINE_MS)
    latencies.append(await _changed_at(board, "#total-present", "1") - confirmed)
    await expect(_row(board, MALINGPING).locator(".present")).to_have_text("1")

    # Two of the first desa, one of the second, one in Bayah: desa with 2, 1 and 1 present.
    for person in (malingping[1], malingping[3], bayah[0]):
        confirmed = await _check_in(person)
    await expect(page.locator("#total-present")).to_have_text("4", timeout=UPDATE_DEADLINE_MS)
    latencies.append(await _changed_at(board, "#total-present", "4") - confirmed)
    await expect(_row(board, MALINGPING).locator(".present")).to_have_text("3")
    await expect(_row(board, BAYAH).locator(".present")).to_have_text("1")
    await expect(page.locator('#desa-counts li[data-present="2"] b')).to_have_text("1")
    await expect(page.locator('#desa-counts li[data-present="1"] b')).to_have_text("2")
    await expect(page.locator(".tl-bar")).not_to_have_count(0)

    assert await page.evaluate("window.__sameDocument") is True  # no reload
    assert [r.url for r in board.responses if r.request.resource_type == "document"] == [day.url]
    _report(
        record_property,
        "update latency, check-in confirmed → number on the board: "
        + ", ".join(f"{s:.2f} s" for s in latencies),
    )

    shots = artifacts_dir(REPO_ROOT, database_url)
    await page.screenshot(path=shots / "phone.png", full_page=True)
    await page.set_viewport_size(PROJECTOR)
    await page.screenshot(path=shots / "projector-kpu.png")
    _report(record_property, f"screenshots in {shots}")
    await board.close()


async def test_polling_takes_over_when_event_source_is_not_there(
    browser: Browser, day: Day, clock: ManualClock
) -> None:
    board = await open_board(
        browser, day.url, init_data=_init_data(day, day.kpu_id, clock), without_event_source=True
    )
    await expect(board.page.locator("#total-present")).to_have_text("0")
    await expect(board.page.locator("#link")).to_have_attribute("data-state", "polling")
    await _check_in(day.people[0])
    await expect(board.page.locator("#total-present")).to_have_text("1", timeout=UPDATE_DEADLINE_MS)
    assert board.statuses("/api/events") == []
    assert len(board.statuses("/api/board")) >= 2
    await board.close()


async def test_a_ppk_sees_only_their_kecamatan(
    browser: Browser, day: Day, clock: ManualClock, database_url: str
) -> None:
    await _check_in(next(p for p in day.people if p.kecamatan == BAYAH))
    # Opened the way Telegram's apps open a Mini App: initData in the URL fragment, and no
    # telegram-web-app.js (the page does not load it), so the page reads the fragment itself.
    launch = urlencode(
        {
            "tgWebAppData": _init_data(day, day.ppk_id, clock),
            "tgWebAppVersion": "8.0",
            "tgWebAppPlatform": "android",
        }
    )
    board = await open_board(browser, f"{day.url}#{launch}")
    assert await board.page.evaluate("typeof window.Telegram") == "undefined"
    page = board.page
    await expect(page.locator("#kec-rows li")).to_have_count(1)
    await expect(_row(board, MALINGPING)).to_contain_text("Malingping")
    await expect(page.locator("#viewer")).to_contain_text(day.ppk_name)
    await expect(page.locator("#viewer")).to_contain_text("PPK Kec. Malingping")
    await expect(page.locator("#total-present")).to_have_text("0")  # Bayah's check-in is not theirs
    await expect(page.locator(".leaflet-interactive")).to_have_count(1)
    assert "Bayah" not in await page.locator("body").inner_text()

    await _check_in(next(p for p in day.people if p.kecamatan == MALINGPING))
    await expect(page.locator("#total-present")).to_have_text("1", timeout=UPDATE_DEADLINE_MS)
    await page.screenshot(path=artifacts_dir(REPO_ROOT, database_url) / "phone-ppk.png", full_page=True)
    await board.close()


async def test_forged_stale_or_foreign_credentials_show_nothing_of_the_board(
    browser: Browser, day: Day, clock: ManualClock, database_url: str
) -> None:
    cases = [
        ("forged", _init_data(day, day.kpu_id, clock, token="123456:not-the-bots-token"), 401),
        ("stale", _init_data(day, day.kpu_id, clock, age=timedelta(hours=2)), 401),
        (
            "tampered",
            _init_data(day, day.ppk_id, clock).replace(
                f"%22id%22%3A{day.ppk_id}", f"%22id%22%3A{day.kpu_id}"
            ),
            401,
        ),
        ("not a coordinator", _init_data(day, day.member_user_id, clock), 403),
    ]
    for name, init_data, status in cases:
        board = await open_board(browser, day.url, init_data=init_data)
        page = board.page
        await expect(page.locator("#notice")).to_be_visible()
        notice = await page.locator("#notice").inner_text()
        assert ("Akses ditolak" if status == 401 else "hanya untuk koordinator") in notice, name
        assert board.statuses("/api/board") == [status], name
        await expect(page.locator("#board")).to_have_count(0)
        text = await page.locator("body").inner_text()
        assert "Malingping" not in text and "Ratna" not in text and "1.035" not in text, name
        if name == "stale":
            await page.screenshot(path=artifacts_dir(REPO_ROOT, database_url) / "phone-refused.png")
        await board.close()

    # Opened outside Telegram without a link: a hint where to open it, and no data asked for.
    board = await open_board(browser, day.url)
    await expect(board.page.locator("#notice")).to_contain_text("/papan")
    assert board.statuses("/api/board") == []
    await board.close()


@pytest.mark.parametrize("tile_url", ["http://127.0.0.1:9/{z}/{x}/{y}.png"])
async def test_the_projector_link_shows_the_venues_without_map_tiles(
    browser: Browser, day: Day, clock: ManualClock, session_factory: SessionFactory, database_url: str
) -> None:
    async with session_factory() as session, session.begin():
        token, _ = await create_link(session, day.kpu_id, now=clock.now(), zone=ZoneInfo("Asia/Jakarta"))
    board = await open_board(browser, f"{day.url}?t={token}", viewport=PROJECTOR)
    page = board.page
    await expect(page.locator("#kec-rows li")).to_have_count(28)
    assert token not in page.url  # kept off the projected address bar
    # Tiles are asked for and fail (no server there): the 28 points and their names stand on the plain map.
    await expect(page.locator(".leaflet-interactive")).to_have_count(28)
    await expect(page.locator(".map-label")).to_have_count(28)
    await expect(page.locator(".map-label").first).to_be_visible()
    # Today's program: 06.30 and 07.00 sent when the bot started, 08.30 and 16.00 still to come.
    await expect(page.locator("#program .status")).to_have_text(
        ["selesai", "selesai", "terjadwal", "terjadwal"], timeout=UPDATE_DEADLINE_MS
    )
    await expect(page.locator("#duties li")).not_to_have_count(0)

    await _check_in(day.people[0])
    await expect(page.locator("#total-present")).to_have_text("1", timeout=UPDATE_DEADLINE_MS)
    await page.screenshot(path=artifacts_dir(REPO_ROOT, database_url) / "projector.png")

    # `/papan cabut` (here its rule): the open projector drops everything it showed.
    async with session_factory() as session, session.begin():
        assert await revoke_links(session, day.kpu_id, now=clock.now()) == 1
    await expect(page.locator("#board")).to_have_count(0, timeout=UPDATE_DEADLINE_MS)
    await expect(page.locator("#notice")).to_contain_text("Akses ditolak")
    assert "Malingping" not in await page.locator("body").inner_text()
    await board.close()


def test_the_compressed_copies_of_leaflet_match_the_files() -> None:
    vendor = REPO_ROOT / "bot" / "board" / "static" / "vendor" / "leaflet"
    for name in ("leaflet.js", "leaflet.css"):
        assert gzip.decompress((vendor / f"{name}.gz").read_bytes()) == (vendor / name).read_bytes(), name
