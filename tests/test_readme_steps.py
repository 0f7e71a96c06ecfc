"""The README's real-bot step 3, run as written: the region list, the roster, the example plan on next Monday."""

import asyncio
import os
import re
import sys
from pathlib import Path

from conftest import REPO_ROOT, WILAYAH_CSV
from openpyxl import Workbook

from bot.roster.synthetic import synthetic_roster
from bot.roster.wilayah import read_wilayah_file

README = REPO_ROOT / "README.md"
COMMAND_DEADLINE = 120.0


def _setup_commands() -> list[str]:
    """The shell lines of the README block marked `setup-steps`, comments dropped."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- setup-steps -->\s*```sh\n(.*?)```", text, re.S)
    assert block is not None, "README lost its step-3 block"
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line]


def _write_roster_xlsx(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["kecamatan", "desa", "nama", "jabatan", "telepon"])
    for row in synthetic_roster(read_wilayah_file(WILAYAH_CSV)):
        sheet.append([row.kecamatan, row.desa, row.name, row.position, row.phone])
    workbook.save(path)


async def _shell(line: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    # `.venv/bin/python` of the README is this test's interpreter; the rest runs as written, in bash.
    command = line.replace(".venv/bin/python", sys.executable)
    process = await asyncio.create_subprocess_exec(
        "bash",
        "-c",
        command,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=COMMAND_DEADLINE)
    return process.returncode or 0, output.decode()


async def test_readme_setup_steps_work_as_written(tmp_path: Path) -> None:
    # A working folder like the repository root: config.toml copied from the example, the example plan at
    # bot/plans/, the operator's roster.xlsx.
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "plans").symlink_to(REPO_ROOT / "bot" / "plans")
    example = (REPO_ROOT / "config.example.toml").read_text(encoding="utf-8")
    (tmp_path / "config.toml").write_text(example, encoding="utf-8")
    _write_roster_xlsx(tmp_path / "roster.xlsx")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")}
    env["PYTHONPATH"] = str(REPO_ROOT)

    outputs = []
    for line in _setup_commands():
        code, output = await _shell(line, tmp_path, env)
        assert code == 0, f"{line}\n{output}"
        assert f"Basis data: sqlite+aiosqlite:///{tmp_path / 'ppsbot.sqlite3'}" in output, output
        outputs.append(output)

    joined = "\n".join(outputs)
    assert "28 kecamatan" in joined and "345 desa/kelurahan" in joined
    assert "+62 812-3456-7890" in outputs[-1] and "Kecamatan Malingping" in outputs[-1]  # coordinator list
    # The plan moved to next Monday: `plan show` lists that day's sessions.
    code, shown = await _shell(".venv/bin/python -m bot plan show", tmp_path, env)
    assert code == 0, shown
    next_monday = (await _shell("date -d 'next monday' +%-d", tmp_path, env))[1].strip()
    assert re.search(rf"Senin, {next_monday} ", shown), shown
