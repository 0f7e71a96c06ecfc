"""The browser side of the board tests: one Debian chromium per test process, and a board page opened in it.

Playwright drives the system browser (/usr/bin/chromium), never a browser of its own. The browser process is
started once per test process (per xdist worker) and every test connects to it over the DevTools protocol,
in its own browser context, so a test pays for a context, not for a browser start.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, Response

CHROMIUM = Path("/usr/bin/chromium")
# As on this machine and CI's: no sandbox (we run as root), nothing that reaches for the network on its own.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
START_TIMEOUT = 30.0


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"Debian's chromium is not installed ({CHROMIUM}): apt-get install chromium (.ci/run does)"
    return None


def start_chromium(profile: Path) -> Iterator[str]:
    """Run chromium with a DevTools port until the generator is closed; yields the endpoint to connect to."""
    log = (profile / "chromium.log").open("wb")
    process = subprocess.Popen(
        [
            str(CHROMIUM),
            *CHROMIUM_ARGS,
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # Chromium writes the port it chose into the profile once it listens: poll for it with a deadline.
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            if process.poll() is not None:
                raise RuntimeError(
                    f"chromium exited with {process.returncode}; see {profile / 'chromium.log'}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"chromium did not open its DevTools port in {START_TIMEOUT:.0f} s")
            time.sleep(0.05)  # polling a file with a deadline: chromium offers no event to wait on
        port = port_file.read_text().splitlines()[0]
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)


def telegram_stub(init_data: str) -> str:
    """A script standing in for telegram-web-app.js: only what the page reads (initData, ready, expand)."""
    web_app = "{initData: " + json.dumps(init_data) + ", ready: function () {}, expand: function () {}}"
    return f"window.Telegram = {{WebApp: {web_app}}};"


@dataclass
class BoardPage:
    """One board in its own browser context, with every response it received (for the page weight)."""

    context: BrowserContext
    page: Page
    responses: list[Response] = field(default_factory=list)

    async def first_load_bytes(self) -> list[tuple[str, int]]:
        """(path, bytes on the wire: headers + body as transferred) of each response but the event stream."""
        sizes = []
        for response in self.responses:
            if response.url.split("?")[0].endswith("/api/events"):
                continue  # the update stream stays open: not part of the first load
            measured = await response.request.sizes()
            size = measured["responseHeadersSize"] + measured["responseBodySize"]
            sizes.append((response.url.split("?")[0].split("/board/", 1)[-1] or "(page)", size))
        return sizes

    def record(self, response: Response) -> None:
        self.responses.append(response)

    def statuses(self, path: str) -> list[int]:
        """The HTTP statuses of the responses whose URL path ends with `path`."""
        return [r.status for r in self.responses if r.url.split("?")[0].endswith(path)]

    async def close(self) -> None:
        await self.context.close()


async def open_board(
    browser: Browser,
    url: str,
    *,
    init_data: str | None = None,
    viewport: dict[str, int] = PHONE,
    without_event_source: bool = False,
) -> BoardPage:
    """Open the board at `url` in a fresh context (as a Mini App when `init_data` is given)."""
    context = await browser.new_context(
        viewport=viewport,
        is_mobile=viewport["width"] < 800,  # a phone: mobile viewport rules, overlay scrollbars
        has_touch=viewport["width"] < 800,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(15_000)
    if init_data is not None:
        await context.add_init_script(telegram_stub(init_data))
    if without_event_source:
        await context.add_init_script("delete window.EventSource;")
    page = await context.new_page()
    board = BoardPage(context, page)
    page.on("response", board.record)
    await page.goto(url)
    return board


def artifacts_dir(repo_root: Path, database_url: str) -> Path:
    """Where a run keeps the board's screenshots: artifacts/board/<database kind>/ (git-ignored)."""
    kind = database_url.split(":", 1)[0].split("+", 1)[0]
    path = Path(os.environ.get("PPSBOT_BOARD_ARTIFACTS", repo_root / "artifacts" / "board")) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path
