"""`[logging] format = "json"`: one JSON object per line for journald or a log shipper, secrets redacted."""

import asyncio
import io
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from bot.core.config import ConfigError, load_config
from bot.core.logs import Secrets, configure_logging

TOKEN = "7000002:AAjsonSecretSecretSecretSecretSecret678"
WEBHOOK_SECRET = "webhook-secret-never-logged-42"
FIELDS = {"time", "level", "logger", "message"}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _assert_secret_free(text: str) -> None:
    for secret in (TOKEN, TOKEN.split(":")[1], WEBHOOK_SECRET):
        assert secret not in text


def _events(output: str) -> list[dict[str, str]]:
    events = []
    for line in output.splitlines():
        event = json.loads(line)  # every line is one JSON object: nothing else is written
        assert isinstance(event, dict) and event.keys() >= FIELDS, line
        events.append(event)
    return events


async def test_run_with_json_logs_writes_only_json_lines_without_the_token(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\nbase_url = "http://127.0.0.1:{_closed_port()}/bot"\nsecret_token = "{WEBHOOK_SECRET}"\n'
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.sqlite3"}"\n'
        '[logging]\nlevel = "DEBUG"\nformat = "json"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")}
    env |= {"PPSBOT_TELEGRAM_TOKEN": TOKEN, "PPSBOT_CONFIG": str(config)}  # as the systemd unit passes them
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    seen: list[bytes] = []
    try:
        while not any(b"percobaan 2" in line for line in seen):  # two retries: Telegram is unreachable
            line = await asyncio.wait_for(process.stderr.readline(), timeout=60)
            assert line, b"the bot ended instead of retrying: " + b"".join(seen)
            seen.append(line)
        process.send_signal(signal.SIGTERM)
        stdout, rest = await asyncio.wait_for(process.communicate(), timeout=10)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0
    stderr = b"".join(seen).decode() + rest.decode()
    _assert_secret_free(stdout.decode() + stderr)

    events = _events(stdout.decode()) + _events(stderr)
    retries = [e for e in events if "Telegram tidak bisa dihubungi" in e["message"]]
    assert [e["level"] for e in retries[:2]] == ["WARNING", "WARNING"]
    assert "(percobaan 1): dicoba lagi dalam 1 detik" in retries[0]["message"]
    assert retries[0]["logger"] == "bot.runtime.running"
    # The database the bot uses is said as an event too (password masked), not as a bare line.
    assert any(e["message"].startswith("Basis data: sqlite+aiosqlite:///") for e in events)


@pytest.fixture
def captured_json_log() -> Iterator[io.StringIO]:
    """The root logger configured as `run` does with format = "json", its output captured."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    configure_logging("INFO", Secrets([TOKEN, WEBHOOK_SECRET]), "json")
    captured = io.StringIO()
    for handler in root.handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(captured)
    try:
        yield captured
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in before:
            root.addHandler(handler)
        root.setLevel(level)


def test_an_error_with_its_traceback_is_one_json_line_with_the_secrets_redacted(
    captured_json_log: io.StringIO,
) -> None:
    log = logging.getLogger("bot.test")
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed\nsecond line")
    except RuntimeError:
        log.exception("request with secret %s failed", WEBHOOK_SECRET)

    output = captured_json_log.getvalue()
    _assert_secret_free(output)
    [event] = _events(output)
    assert event["level"] == "ERROR" and event["logger"] == "bot.test"
    assert event["message"] == "request with secret *** failed"
    assert event["exc_info"].startswith("Traceback (most recent call last):")
    assert "RuntimeError: POST https://api.telegram.org/bot***/getMe failed\nsecond line" in event["exc_info"]
    assert event["time"].endswith("+00:00")


def test_the_log_format_is_text_by_default_and_checked(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    assert load_config(config, require_token=False).logging.format == "text"
    config.write_text('[logging]\nformat = "json"\n', encoding="utf-8")
    assert load_config(config, require_token=False).logging.format == "json"
    config.write_text('[logging]\nformat = "xml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[logging\] format must be 'text' or 'json', got 'xml'"):
        load_config(config, require_token=False)
