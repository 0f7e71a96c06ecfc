"""Whole-process checks of the rehearsal: Ctrl-C ends it cleanly, and a fresh clone runs on its own."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO_ROOT
from test_rehearse import _small_roster

DEADLINE = 60.0


def _env(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")}
    env["PYTHONPATH"] = str(project)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _read_until(process: subprocess.Popen[str], wanted: str, deadline: float) -> str:
    """Lines of stdout up to and including the first that contains `wanted` (fails at the deadline)."""
    assert process.stdout is not None
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if wanted in line:
            return "".join(seen)
    raise AssertionError(f"{wanted!r} did not appear in time; output so far:\n{''.join(seen)}")


def test_ctrl_c_ends_with_the_summary_so_far_and_the_files(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    _small_roster(roster)
    out = tmp_path / "gladi"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "rehearse",
            "--roster",
            str(roster),
            "--speed",
            "30",
            "--out",
            str(out),
        ],
        cwd=REPO_ROOT,
        env=_env(REPO_ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The first announcement (18.00 the evening before) has gone out: the day is under way.
        before = _read_until(process, "✔", time.monotonic() + DEADLINE)
        process.send_signal(signal.SIGINT)
        rest, errors = process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = before + rest
    assert process.returncode == 130, text + errors
    assert "Dihentikan (Ctrl-C)" in text
    assert "Rekap kehadiran" in text and "Total: hadir" in text
    assert "Laporan pengiriman" in text
    assert (out / "rekap-presensi.xlsx").read_bytes()[:2] == b"PK"
    assert (out / "grafik-presensi.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Traceback" not in errors and "Traceback" not in text


def test_a_fresh_clone_stands_alone(tmp_path: Path) -> None:
    """The tracked files copied as a clone has them, with no `shared` folder beside: it rehearses, imports
    the region list it ships and loads the sandbox's Bot API description, and nothing names the old folder."""
    project = tmp_path / "clone" / "project"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():  # a file deleted in the worktree but not yet committed is not in a clone
            target = project / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    assert not (project.parent / "shared").exists()
    env = _env(project)

    where = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(project), where.stdout

    roster = tmp_path / "roster.csv"
    _small_roster(roster)
    rehearsal = subprocess.run(
        [sys.executable, "-m", "bot", "rehearse", "--roster", str(roster), "--speed", "600"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rehearsal.returncode == 0, rehearsal.stdout + rehearsal.stderr
    assert "Total: hadir" in rehearsal.stdout and "Ekspor XLSX" in rehearsal.stdout

    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.sqlite3"}"\n', encoding="utf-8"
    )
    wilayah = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "wilayah",
            "import",
            "bot/data/lebak_wilayah.csv",
            "--config",
            str(config),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert wilayah.returncode == 0, wilayah.stdout + wilayah.stderr
    assert "28 kecamatan" in wilayah.stdout and "345 desa/kelurahan" in wilayah.stdout

    spec = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.sandbox.spec import ApiSpec; spec = ApiSpec.load_or_none(None); "
            "assert spec is not None; print(len(spec.methods))",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert spec.returncode == 0, spec.stdout + spec.stderr
    assert int(spec.stdout) > 100

    # Nothing in the project reads the old folder beside it (bot/data/SOURCES.md tells that history).
    old_names = ("../" + "shared", "shared" + "/data")
    for name in filter(None, tracked.split("\0")):
        path = project / name
        if name == "bot/data/SOURCES.md" or not path.is_file():
            continue
        content = path.read_bytes().decode("utf-8", errors="replace")
        assert not any(old in content for old in old_names), name
