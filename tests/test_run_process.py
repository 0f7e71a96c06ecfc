"""Whole-process check: the command line imports the data, `python -m bot run` serves a member through the sandbox."""

import asyncio
import os
import signal
import sys
from pathlib import Path

from conftest import REPO_ROOT, WILAYAH_CSV

from bot.sandbox import Sandbox


async def _cli(*args: str, env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, output.decode()


async def test_cli_imports_then_run_lets_a_member_register(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "kecamatan;desa;nama;jabatan;telepon\nMalingping;Cilangkahan;Siti Aminah;Ketua;0812-3456-7801\n",
        encoding="utf-8",
    )
    async with Sandbox() as sandbox:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[telegram]\ntoken = "{sandbox.token}"\nbase_url = "{sandbox.base_url}"\n'
            f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.sqlite3"}"\n'
            '[logging]\nlevel = "DEBUG"\n',
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")}
        code, output = await _cli("wilayah", "import", str(WILAYAH_CSV), "--config", str(config), env=env)
        assert code == 0, output
        code, output = await _cli("roster", "import", str(roster), "--config", str(config), env=env)
        assert code == 0, output
        assert "Ketua 1" in output

        bot = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--config",
            str(config),
            cwd=REPO_ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            siti = sandbox.new_user("Siti")
            await siti.send_text("/daftar")
            await siti.next_message(timeout=60)  # the first answer waits for the process to start
            await siti.share_contact("+6281234567801")
            await siti.next_message()
            confirm = await siti.next_message()
            assert "Siti Aminah" in confirm.text
            await siti.press("✅ Ya, benar")
            await siti.wait_for_edit(confirm.message_id, lambda m: "Pendaftaran berhasil" in m.text)
        finally:
            bot.send_signal(signal.SIGTERM)
            output_bytes, _ = await asyncio.wait_for(bot.communicate(), timeout=30)
        assert bot.returncode == 0
        log = output_bytes.decode()
        assert "Application.stop() complete" in log or "stopping" in log.lower()
        # DEBUG logging on, and still the token is nowhere in the output.
        assert sandbox.token not in log
        assert sandbox.token.split(":")[1] not in log
