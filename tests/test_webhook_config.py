"""Webhook configuration: url_path and how a proxy path maps to it; `run` refuses webhook mode without a secret."""

import asyncio
import os
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT
from test_config import SECRET, TOKEN, config_error, load_text

from bot.core.config import TelegramConfig

PROXIED = f"""
[telegram]
token = "{TOKEN}"
mode = "webhook"
webhook_url = "https://kpu-lebak.example/telegram/pps-bimtek"
secret_token = "{SECRET}"
"""


def test_url_path_defaults_to_the_path_of_webhook_url(tmp_path: Path) -> None:
    # A proxy passing the path on as is: the bot answers on the public path (it answered only on "/").
    telegram = load_text(tmp_path, PROXIED).telegram
    assert telegram.url_path == ""
    assert telegram.webhook_path == "/telegram/pps-bimtek"


def test_a_webhook_url_without_a_path_is_served_at_the_root() -> None:
    assert TelegramConfig(webhook_url="https://kpu-lebak.example").webhook_path == "/"
    assert TelegramConfig(webhook_url="https://kpu-lebak.example/").webhook_path == "/"


@pytest.mark.parametrize(("written", "path"), [("/pps-bimtek", "/pps-bimtek"), ("pps-bimtek", "/pps-bimtek")])
def test_url_path_for_a_proxy_that_strips_a_prefix(tmp_path: Path, written: str, path: str) -> None:
    telegram = load_text(tmp_path, PROXIED + f'url_path = "{written}"\n').telegram
    assert telegram.url_path == path and telegram.webhook_path == path


@pytest.mark.parametrize(
    "written", ["/hook?x=1", "/hook#top", "/two words", "https://kpu-lebak.example/hook"]
)
def test_url_path_must_be_a_path(tmp_path: Path, written: str) -> None:
    config_error(tmp_path, PROXIED + f'url_path = "{written}"\n', "[telegram] url_path must be a URL path")


def test_url_path_must_not_carry_the_token(tmp_path: Path) -> None:
    # The old habit (url_path = the token) would put the token in every proxy log.
    message = config_error(tmp_path, PROXIED + f'url_path = "/{TOKEN}"\n', "[telegram] url_path")
    assert "must not contain the bot token" in message


async def test_run_refuses_webhook_mode_without_a_secret_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(PROXIED.replace(f'secret_token = "{SECRET}"\n', ""), encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        cwd=REPO_ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode != 0
    lines = (stdout + stderr).decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert "[telegram] secret_token is required when mode = 'webhook'" in lines[0]
    assert TOKEN not in lines[0]
