"""Mistakes an operator makes get one line naming the problem and the fix, a non-zero exit, and never the token.

Each expected failure runs the real command (`python -m bot …` with a config file), as an operator would;
the Telegram-side ones (a blocked chat, a channel post) run the real bot against the sandbox.
"""

import asyncio
import logging
import os
import signal
import socket
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic import command
from conftest import POSTGRES_URL, REPO_ROOT, _admin_execute
from helpers import bot_idle
from sqlalchemy import Connection, make_url

from bot.__main__ import _parser
from bot.core.config import PLACEHOLDER_TOKEN
from bot.core.db import alembic_config, head_revision, make_engine
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox

# Well-formed, and known to no Telegram: every test checks it never shows.
TOKEN = "7000001:AAsecretSecretSecretSecretSecret12345"
EXIT_CONFIG, EXIT_DATABASE, EXIT_TELEGRAM = 2, 3, 4

needs_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="PPSBOT_TEST_POSTGRES_URL is not set")


@dataclass(frozen=True)
class Finished:
    code: int
    stdout: str
    stderr: str

    def assert_one_line(self, code: int, *words: str) -> str:
        """Exactly one line on stderr, holding `words`; the exit code; no traceback; no token."""
        lines = self.stderr.splitlines()
        assert len(lines) == 1, self.stderr
        assert self.code == code, self.stderr
        for word in words:
            assert word in lines[0]
        assert "Traceback" not in self.stdout + self.stderr
        assert_no_token(self.stdout + self.stderr)
        return lines[0]


def assert_no_token(output: str, token: str = TOKEN) -> None:
    assert token not in output
    assert token.split(":")[1] not in output


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")}


async def _start(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=REPO_ROOT,
        env=_environment(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def bot_command(*args: str) -> Finished:
    process = await _start(*args)
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return Finished(process.returncode, stdout.decode(), stderr.decode())


def write_config(
    tmp_path: Path, database_url: str, *, token: str = TOKEN, base_url: str | None = None
) -> Path:
    config = tmp_path / "config.toml"
    telegram = f'[telegram]\ntoken = "{token}"\n'
    if base_url is not None:
        telegram += f'base_url = "{base_url}"\n'
    config.write_text(telegram + f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    return config


def closed_port() -> int:
    """A port of 127.0.0.1 nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"


# --- the database ----------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("migrate",), ("plan", "show"), ("run",)], ids=["migrate", "plan", "run"])
async def test_an_unreachable_database_server_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    url = f"postgresql+asyncpg://postgres:hunter2secret@127.0.0.1:{closed_port()}/bimtek"
    config = write_config(tmp_path, url, base_url=f"http://127.0.0.1:{closed_port()}/bot")
    finished = await bot_command(*args, "--config", str(config))
    line = finished.assert_one_line(EXIT_DATABASE, "tidak bisa dihubungi", "PostgreSQL")
    masked = url.replace("hunter2secret", "***")
    assert masked in line
    # Every command says which database it used, the password masked.
    assert f"Basis data: {masked}" in finished.stdout
    assert "hunter2secret" not in finished.stdout + finished.stderr


async def test_a_sqlite_file_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    config = write_config(tmp_path, f"sqlite+aiosqlite:///{missing / 'bot.sqlite3'}")
    finished = await bot_command("plan", "show", "--config", str(config))
    finished.assert_one_line(EXIT_DATABASE, str(missing), "Buat folder itu")
    assert not missing.exists()


@needs_postgres
async def test_a_postgresql_database_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    assert POSTGRES_URL
    name = f"ppsbot_absent_{uuid.uuid4().hex[:8]}"
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finished = await bot_command("migrate", "--config", str(write_config(tmp_path, url)))
    finished.assert_one_line(EXIT_DATABASE, "tidak ada", f"createdb {name}", "python -m bot migrate")


@pytest.fixture
async def empty_postgres() -> AsyncIterator[str]:
    """The URL of a new, empty PostgreSQL database (dropped afterwards)."""
    if not POSTGRES_URL:
        pytest.skip("PPSBOT_TEST_POSTGRES_URL is not set")
    name = f"ppsbot_empty_{uuid.uuid4().hex[:8]}"
    await _admin_execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _migrate_to(url: str, revision: str) -> None:
    engine = make_engine(url)
    cfg = alembic_config(url)

    def upgrade(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    try:
        async with engine.begin() as conn:
            await conn.run_sync(upgrade)
    finally:
        await engine.dispose()


async def test_an_empty_postgresql_database_asks_for_migrate_which_says_what_it_did(
    tmp_path: Path, empty_postgres: str
) -> None:
    config = str(write_config(tmp_path, empty_postgres, base_url=f"http://127.0.0.1:{closed_port()}/bot"))
    head = head_revision()
    for args in (("plan", "show"), ("run",)):
        finished = await bot_command(*args, "--config", config)
        finished.assert_one_line(EXIT_DATABASE, "masih kosong", "python -m bot migrate")

    created = await bot_command("migrate", "--config", config)
    assert (created.code, created.stderr) == (0, ""), created.stderr
    assert f"disiapkan dari kosong: skema dipasang sampai revisi {head}" in created.stdout
    again = await bot_command("migrate", "--config", config)
    assert (again.code, again.stderr) == (0, ""), again.stderr
    assert f"sudah terbaru (revisi {head})" in again.stdout


async def test_an_older_postgresql_schema_asks_for_migrate_which_upgrades_it(
    tmp_path: Path, empty_postgres: str
) -> None:
    await _migrate_to(empty_postgres, "0002")
    config = str(write_config(tmp_path, empty_postgres))
    head = head_revision()
    behind = await bot_command("plan", "show", "--config", config)
    behind.assert_one_line(EXIT_DATABASE, f"revisi 0002, program memerlukan {head}", "python -m bot migrate")

    upgraded = await bot_command("migrate", "--config", config)
    assert (upgraded.code, upgraded.stderr) == (0, ""), upgraded.stderr
    assert f"diperbarui dari revisi 0002 ke {head}" in upgraded.stdout


# --- the token and Telegram ------------------------------------------------------------------------


async def test_the_placeholder_token_is_refused_before_anything_starts(tmp_path: Path) -> None:
    config = write_config(tmp_path, sqlite_url(tmp_path), token=PLACEHOLDER_TOKEN)
    finished = await bot_command("run", "--config", str(config))
    finished.assert_one_line(EXIT_CONFIG, "@BotFather", "[telegram] token")
    assert not (tmp_path / "bot.sqlite3").exists()


async def test_a_token_telegram_rejects_is_one_line_without_the_token(tmp_path: Path) -> None:
    async with Sandbox() as sandbox:  # it answers 401 to any token but its own
        config = write_config(tmp_path, sqlite_url(tmp_path), base_url=sandbox.base_url)
        finished = await bot_command("run", "--config", str(config))
    finished.assert_one_line(EXIT_TELEGRAM, "menolak token", "@BotFather")


@pytest.mark.parametrize("where", ["before", "after"])
async def test_with_debug_the_traceback_is_shown_and_the_token_is_not(tmp_path: Path, where: str) -> None:
    async with Sandbox() as sandbox:
        config = write_config(tmp_path, sqlite_url(tmp_path), base_url=sandbox.base_url)
        args = ["--debug", "run"] if where == "before" else ["run", "--debug"]
        finished = await bot_command(*args, "--config", str(config))
    assert finished.code == EXIT_TELEGRAM
    assert "Traceback" in finished.stderr
    assert "InvalidToken" in finished.stderr  # python-telegram-bot puts the token in its message
    assert finished.stderr.splitlines()[-1].startswith("Telegram menolak token bot")
    assert_no_token(finished.stdout + finished.stderr)


def test_debug_is_accepted_before_and_after_the_sub_command() -> None:
    parser = _parser()
    assert parser.parse_args(["--debug", "plan", "show"]).debug is True
    assert parser.parse_args(["plan", "show", "--debug"]).debug is True
    assert parser.parse_args(["plan", "show"]).debug is False


async def test_an_unreachable_telegram_is_retried_one_line_per_attempt_until_sigterm(tmp_path: Path) -> None:
    config = write_config(tmp_path, sqlite_url(tmp_path), base_url=f"http://127.0.0.1:{closed_port()}/bot")
    process = await _start("run", "--config", str(config))
    assert process.stderr is not None
    attempts: list[str] = []
    try:
        while len(attempts) < 2:  # the second attempt comes 1 s after the first
            line = await asyncio.wait_for(process.stderr.readline(), timeout=60)
            assert line, "the bot ended instead of retrying"
            attempts.append(line.decode())
        process.send_signal(signal.SIGTERM)
        stdout, rest = await asyncio.wait_for(process.communicate(), timeout=5)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0
    lines = attempts + rest.decode().splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        assert "Telegram tidak bisa dihubungi di http://127.0.0.1:" in line, line
        assert f"(percobaan {number}): dicoba lagi dalam" in line, line
    assert "dicoba lagi dalam 1 detik" in lines[0] and "dicoba lagi dalam 2 detik" in lines[1]
    assert "Traceback" not in "".join(lines) + stdout.decode()
    assert_no_token("".join(lines) + stdout.decode())


async def test_telegram_going_away_while_running_is_one_line_per_poll_and_sigterm_still_stops(
    tmp_path: Path,
) -> None:
    sandbox = Sandbox()
    await sandbox.start()
    try:
        config = write_config(tmp_path, sqlite_url(tmp_path), token=sandbox.token, base_url=sandbox.base_url)
        process = await _start("run", "--config", str(config))
        await sandbox.wait_polling(timeout=60)
    finally:
        await sandbox.stop()
    assert process.stderr is not None
    failed_polls = 0
    try:
        # The updater's own retries, one line each; by the fifth it sleeps 5 s between polls, and a stop
        # must not wait for that sleep.
        while failed_polls < 5:
            line = (await asyncio.wait_for(process.stderr.readline(), timeout=30)).decode()
            assert line and "Traceback" not in line, line
            failed_polls += "Gagal mengambil pesan baru dari Telegram" in line
        process.send_signal(signal.SIGTERM)
        stdout, rest = await asyncio.wait_for(process.communicate(), timeout=5)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0
    assert "Traceback" not in rest.decode() + stdout.decode()
    assert_no_token(rest.decode() + stdout.decode(), sandbox.token)


# --- Telegram-side routine: a blocked chat, an update without a sender ------------------------------


class _LogWatch(logging.Handler):
    """Sets `seen` once a record whose message contains `words` is logged."""

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.words in record.getMessage():
            self.seen.set()


def _trouble(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_reply_to_someone_who_blocked_the_bot_is_routine(
    sandbox: Sandbox, running_bot: BotApplication, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    watch = _LogWatch("refuses the bot")
    logging.getLogger().addHandler(watch)
    try:
        budi = sandbox.new_user("Budi")
        await budi.send_text("/start")
        budi.block()  # before the bot could answer
        await asyncio.wait_for(watch.seen.wait(), timeout=5)
    finally:
        logging.getLogger().removeHandler(watch)
    await bot_idle(running_bot)
    [refused] = [r for r in caplog.records if "refuses the bot" in r.getMessage()]
    assert refused.levelno in (logging.INFO, logging.WARNING) and refused.exc_info is None
    assert "\n" not in refused.getMessage()
    assert _trouble(caplog) == []
    # The greeting was refused; no apology followed it into the blocked chat.
    assert [c for c in sandbox.calls if c.chat_id == budi.id and c.method == "sendMessage"] == [
        ("sendMessage", budi.id, 403)
    ]


async def test_a_channel_post_of_a_check_in_link_is_ignored(
    sandbox: Sandbox, running_bot: BotApplication, caplog: pytest.LogCaptureFixture
) -> None:
    channel = {"id": -1001234567890, "type": "channel", "title": "Info PPS"}
    text = "/start ci-1-ABC123"
    sandbox.world.updates.push(
        {
            "channel_post": {
                "message_id": 1,
                "sender_chat": channel,
                "chat": channel,
                "date": 1_700_000_000,
                "text": text,
                "entities": [{"type": "bot_command", "offset": 0, "length": len("/start")}],
            }
        }
    )
    # A person writing afterwards is answered, so the bot has taken the channel post too.
    siti = sandbox.new_user("Siti")
    await siti.send_text("/start")
    await siti.next_message()
    await bot_idle(running_bot)
    assert _trouble(caplog) == []
    assert [c for c in sandbox.calls if c.chat_id == channel["id"]] == []


def test_an_uncaught_exception_prints_its_traceback_without_the_token() -> None:
    import io
    import threading

    from bot.core.logs import Secrets, install_redacting_excepthook

    out = io.StringIO()
    saved = sys.excepthook, threading.excepthook
    try:
        install_redacting_excepthook(Secrets([TOKEN]), out)
        try:
            raise RuntimeError(f"the token `{TOKEN}` was rejected; half: {TOKEN.split(':')[1]}")
        except RuntimeError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        sys.excepthook, threading.excepthook = saved
    assert "Traceback" in out.getvalue() and "RuntimeError: the token `***` was rejected" in out.getvalue()
    assert_no_token(out.getvalue())
