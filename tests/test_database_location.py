"""Where the SQLite file lives: beside the config file (relative paths too), or in the data folder without one;
never in the directory a command happens to run from. Checked through the real command line."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from conftest import REPO_ROOT, WILAYAH_CSV


async def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env={**base, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, output.decode()


def _sqlite_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.sqlite3"))


async def test_commands_from_two_folders_use_the_file_beside_the_config(tmp_path: Path) -> None:
    settings, first, second = tmp_path / "settings", tmp_path / "first", tmp_path / "second"
    for folder in (settings, settings / "data", first, second):
        folder.mkdir()  # a folder named in the config must exist (only the default data folder is made)
    config = settings / "config.toml"
    config.write_text('[database]\nurl = "sqlite+aiosqlite:///data/bimtek.sqlite3"\n', encoding="utf-8")

    code, output = await _cli("wilayah", "import", str(WILAYAH_CSV), "--config", str(config), cwd=first)
    assert code == 0, output
    code, output = await _cli(
        "coordinator", "add", "--phone", "081234567890", "--config", "../settings/config.toml", cwd=second
    )
    assert code == 0, output
    code, output = await _cli("coordinator", "list", cwd=second, env={"PPSBOT_CONFIG": str(config)})
    assert code == 0, output
    assert "+62 812-3456-7890" in output  # the grant made from the other folder, in the same file
    code, output = await _cli(
        "coordinator", "remove", "--phone", "0812 3456 7890", "--config", str(config), cwd=first
    )
    assert (code, output.splitlines()[-1]) == (
        0,
        "Peran koordinator +62 812-3456-7890 (cakupan Kabupaten Lebak) dicabut.",
    )
    code, output = await _cli(
        "coordinator", "remove", "--phone", "0812 3456 7890", "--config", str(config), cwd=first
    )
    assert code == 1 and output.splitlines()[-1].startswith(
        "Tidak ada koordinator dengan nomor +62 812-3456-7890;"
    )

    assert _sqlite_files(tmp_path) == [settings / "data" / "bimtek.sqlite3"]


async def test_without_a_config_file_the_data_folder_holds_the_file(tmp_path: Path) -> None:
    data, first, second = tmp_path / "xdg", tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    env = {"XDG_DATA_HOME": str(data)}
    code, output = await _cli("coordinator", "add", "--phone", "081234567890", cwd=first, env=env)
    assert code == 0, output
    code, output = await _cli("coordinator", "list", cwd=second, env=env)
    assert code == 0, output
    assert "+62 812-3456-7890" in output
    assert _sqlite_files(tmp_path) == [data / "ppsbot" / "ppsbot.sqlite3"]
