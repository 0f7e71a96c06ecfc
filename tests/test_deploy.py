"""The files for running as a service (deploy/): the systemd units verified by systemd itself, the
environment file and server config loading as the unit passes them, and the container files' references."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from bot.core.config import PLACEHOLDER_TOKEN, PlaceholderToken, load_config, require_real_token

DEPLOY = REPO_ROOT / "deploy"
INSTALLED_AT = "/opt/ppsbot"  # where the units expect the repository (README, "Running in production")
UNITS = (
    "ppsbot.service",
    "ppsbot-backup.service",
    "ppsbot-backup.timer",
    "ppsbot-purge.service",
    "ppsbot-purge.timer",
    "ppsbot-worker@.service",
)


def _directives(unit: Path) -> dict[str, list[str]]:
    """`Key=value` lines of a unit file, every value of a repeated key kept."""
    found: dict[str, list[str]] = {}
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key, []).append(value)
    return found


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    # verify checks that ExecStart's program exists: the units are copied with /opt/ppsbot pointing at a
    # folder whose .venv/bin/python is this interpreter, and nothing else changed.
    installed = tmp_path / "opt-ppsbot"
    (installed / ".venv" / "bin").mkdir(parents=True)
    (installed / ".venv" / "bin" / "python").symlink_to(sys.executable)
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(INSTALLED_AT, str(installed)), encoding="utf-8")
    verified = subprocess.run(
        ["systemd-analyze", "verify", *UNITS], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout + verified.stderr == ""


def test_the_worker_unit_sends_only_after_the_update_process_and_is_hardened_like_it() -> None:
    worker = _directives(DEPLOY / "ppsbot-worker@.service")
    service = _directives(DEPLOY / "ppsbot.service")
    assert worker["ExecStart"] == [f"{INSTALLED_AT}/.venv/bin/python -m bot worker"]
    assert "ExecStartPre" not in worker  # ppsbot.service migrates; a worker only checks the schema
    assert "ppsbot.service" in worker["After"][0].split()
    hardening = {
        key: value
        for key, value in service.items()
        if key not in ("ExecStart", "ExecStartPre", "After", "Description", "SyslogIdentifier")
    }
    assert {key: worker.get(key) for key in hardening} == hardening


def test_the_service_unit_migrates_then_runs_restarts_on_failure_and_is_hardened() -> None:
    unit = _directives(DEPLOY / "ppsbot.service")
    assert unit["ExecStartPre"] == [f"{INSTALLED_AT}/.venv/bin/python -m bot migrate"]
    assert unit["ExecStart"] == [f"{INSTALLED_AT}/.venv/bin/python -m bot run"]
    assert unit["EnvironmentFile"] == ["/etc/ppsbot/ppsbot.env"]
    assert unit["Restart"] == ["on-failure"]
    assert unit["User"] == ["ppsbot"]
    assert unit["StandardError"] == ["journal"]
    assert unit["NoNewPrivileges"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["ReadWritePaths"] == ["/var/lib/ppsbot"]


def test_the_purge_unit_runs_the_purge_as_the_bot_user_from_its_timer() -> None:
    unit = _directives(DEPLOY / "ppsbot-purge.service")
    assert unit["ExecStart"] == [f"{INSTALLED_AT}/.venv/bin/python -m bot purge"]
    assert unit["Type"] == ["oneshot"]
    assert unit["User"] == ["ppsbot"]
    assert unit["EnvironmentFile"] == ["/etc/ppsbot/ppsbot.env"]
    # PostgreSQL may be on another machine: unlike the backup, the purge keeps the network.
    assert "PrivateNetwork" not in unit
    timer = _directives(DEPLOY / "ppsbot-purge.timer")
    assert timer["Persistent"] == ["true"] and timer["WantedBy"] == ["timers.target"]


def test_the_environment_file_and_server_config_load_as_the_unit_passes_them() -> None:
    environment = dict(
        line.split("=", 1)
        for line in (DEPLOY / "ppsbot.env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert environment == {
        "PPSBOT_TELEGRAM_TOKEN": PLACEHOLDER_TOKEN,
        "PPSBOT_CONFIG": "/etc/ppsbot/config.toml",
    }
    config = load_config(DEPLOY / "ppsbot.toml", environ=environment)
    assert config.database.url == "sqlite+aiosqlite:////var/lib/ppsbot/ppsbot.sqlite3"
    assert config.telegram.token == PLACEHOLDER_TOKEN
    with pytest.raises(PlaceholderToken):  # `run` refuses the example until the real token is set
        require_real_token(config)


def test_the_image_copies_what_exists_runs_unprivileged_and_installs_from_the_lock() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) == 2  # build stage, then runtime
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.MULTILINE):
        for path in source.split():
            assert (REPO_ROOT / path).exists(), f"COPY {path}: not in the repository"
    assert "--constraint requirements.lock" in dockerfile
    runtime = dockerfile.split("FROM ${PYTHON_IMAGE}\n", 1)[1]
    user = re.search(r"^USER (\S+)$", runtime, re.MULTILINE)
    assert user is not None and user.group(1) not in ("root", "0")
    assert runtime.rstrip().endswith('CMD ["python", "-m", "bot", "run"]')

    # Every dependency of the bot is pinned by the lock, so the constraint fixes its version.
    lock = (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8").lower()
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in pyproject["project"]["dependencies"]:
        name = re.split(r"[\[=<>]", requirement, maxsplit=1)[0].lower()
        assert f"\n{name}==" in lock, f"{name} is not pinned in requirements.lock"

    compose = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    assert "dockerfile: deploy/Dockerfile" in compose
    for service in ("postgres", "migrate", "bot"):
        assert re.search(rf"^  {service}:$", compose, re.MULTILINE), service
    assert 'command: ["python", "-m", "bot", "migrate"]' in compose
    assert "condition: service_completed_successfully" in compose
