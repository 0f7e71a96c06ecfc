"""The sandbox console: piped and typed commands, edits shown, loose button names, and the README walkthrough."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import sys
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest import REPO_ROOT
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.data import LEBAK_WILAYAH_CSV
from bot.sandbox import Sandbox, make_bot
from bot.sandbox.buttons import AmbiguousButton, ButtonNotFound, button_key
from bot.sandbox.console import Console, read_lines

README = REPO_ROOT / "README.md"


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
async def bot(sb: Sandbox) -> AsyncIterator[Bot]:
    client = make_bot(sb)
    await client.initialize()
    yield client
    await client.shutdown()


def _confirm_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ Ya, benar", callback_data="reg:y:1"),
                InlineKeyboardButton("❌ Bukan saya", callback_data="reg:n"),
            ]
        ]
    )


# -- button names ------------------------------------------------------------------------------------


def test_button_key_drops_emoji_case_and_spacing() -> None:
    assert button_key("✅ Ya, benar") == button_key("ya,   BENAR ") == "ya, benar"
    assert button_key("📱 Bagikan nomor HP saya") == "bagikan nomor hp saya"
    assert button_key("1️⃣ Satu") == "1 satu"  # the keycap's glue goes, the digit stays
    assert button_key("👍🏽 Oke") == "oke"  # a skin-tone modifier goes with its emoji


@pytest.mark.parametrize("typed", ["✅ Ya, benar", "Ya, benar", "ya, benar", "  YA,   benar ", "ya"])
async def test_press_finds_a_button_however_its_text_is_typed(sb: Sandbox, bot: Bot, typed: str) -> None:
    user = sb.new_user("Siti")
    await bot.send_message(user.id, "Apakah ini benar Anda?", reply_markup=_confirm_keyboard())
    query_id = await user.press(typed)
    assert sb.world.callback_queries[query_id].data == "reg:y:1"


async def test_press_names_the_buttons_when_nothing_or_several_match(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    with pytest.raises(ButtonNotFound, match="the bot shows no inline buttons"):
        await user.press("Ya")
    await bot.send_message(user.id, "Apakah ini benar Anda?", reply_markup=_confirm_keyboard())
    with pytest.raises(ButtonNotFound, match=r"no inline button 'Tidak'.*\[✅ Ya, benar\] \[❌ Bukan saya\]"):
        await user.press("Tidak")
    with pytest.raises(ButtonNotFound):
        await user.press("Y")  # first words must be whole words: "Y" is not "Ya"
    sessions = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Hadir pagi", callback_data="p"),
                InlineKeyboardButton("Hadir siang", callback_data="s"),
            ]
        ]
    )
    await bot.send_message(user.id, "Sesi?", reply_markup=sessions)
    with pytest.raises(AmbiguousButton, match=r"matches 2 buttons .*\[Hadir pagi\] \[Hadir siang\]"):
        await user.press("hadir")
    assert sb.world.callback_queries[await user.press("hadir SIANG")].data == "s"


async def test_tap_finds_a_reply_button_without_its_emoji(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti", phone_number="081234567801")
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("📱 Bagikan nomor HP saya", request_contact=True)]])
    await bot.send_message(user.id, "Bagikan nomor Anda", reply_markup=keyboard)
    sent = await user.tap("bagikan nomor hp saya")
    assert sent["contact"]["phone_number"] == "081234567801"


# -- the console ----------------------------------------------------------------------------------------


async def test_console_shows_new_and_edited_messages_and_answers(sb: Sandbox, bot: Bot) -> None:
    output: list[str] = []
    console = Console(sb, output.append)
    console.show_chats()
    await console.execute("user Siti 081234567801")
    user = sb.users[0]
    question = await bot.send_message(user.id, "Apakah ini benar Anda?", reply_markup=_confirm_keyboard())
    assert output[-1] == (
        f"[bot -> Siti {user.id} #{question.message_id} sendMessage] Apakah ini benar Anda?\n"
        "    [✅ Ya, benar] | [❌ Bukan saya]"
    )
    await bot.edit_message_text("Pendaftaran berhasil.", chat_id=user.id, message_id=question.message_id)
    assert (
        output[-1]
        == f"[edited] [bot -> Siti {user.id} #{question.message_id} sendMessage] Pendaftaran berhasil."
    )

    photo = await bot.send_document(user.id, b"%PDF-1.4 jadwal", filename="jadwal.pdf", caption="Jadwal")
    await bot.edit_message_caption(chat_id=user.id, message_id=photo.message_id, caption="Jadwal baru")
    assert output[-1].startswith("[edited] ") and "Jadwal baru" in output[-1]
    await bot.edit_message_media(
        InputMediaDocument(b"%PDF-1.4 v2", filename="jadwal-v2.pdf", caption="Jadwal v2"),
        chat_id=user.id,
        message_id=photo.message_id,
    )
    assert output[-1].startswith("[edited] ") and "jadwal-v2.pdf" in output[-1]
    await bot.edit_message_reply_markup(
        chat_id=user.id, message_id=photo.message_id, reply_markup=_confirm_keyboard()
    )
    assert output[-1].startswith("[edited] ") and output[-1].endswith("[✅ Ya, benar] | [❌ Bukan saya]")

    query_id = await user.press("ya")
    await bot.answer_callback_query(query_id, text="Tersimpan")
    assert output[-1] == f"[answer -> Siti {user.id}] Tersimpan"
    await bot.delete_message(user.id, photo.message_id)
    assert output[-1] == f"[deleted] [bot -> Siti {user.id} #{photo.message_id}]"


async def test_console_press_waits_for_the_bot_and_then_says_what_is_shown(sb: Sandbox, bot: Bot) -> None:
    output: list[str] = []
    console = Console(sb, output.append, wait=5.0)
    await console.execute("user Siti")
    user = sb.users[0]
    # The press is under way before the bot has shown the button (a script typing ahead of the bot).
    pressing = asyncio.create_task(console.execute("press Siti Ya, benar"))
    await bot.send_message(user.id, "Apakah ini benar Anda?", reply_markup=_confirm_keyboard())
    await asyncio.wait_for(pressing, 5)
    assert output == [f"user Siti has id {user.id}"]  # no error
    assert [query.data for query in sb.world.callback_queries.values()] == ["reg:y:1"]

    console.wait = 0.0
    await console.execute("press Siti Tidak")
    assert (
        output[-1]
        == "error: Siti sees no inline button 'Tidak'; buttons shown: #1 [✅ Ya, benar] [❌ Bukan saya]"
    )
    await console.execute("press Nobody Ya")
    assert output[-1].startswith("error: no user 'Nobody'")
    await console.execute("frobnicate")
    assert output[-1].startswith("error: unknown command 'frobnicate'")


async def test_read_lines_takes_a_pipe_and_a_file_to_their_end(tmp_path: Path) -> None:
    read_fd, write_fd = os.pipe()
    lines = read_lines(read_fd)
    os.write(write_fd, "say Siti halo ✅\nsay Siti ".encode())
    assert await asyncio.wait_for(lines.get(), 5) == "say Siti halo ✅"
    os.write(write_fd, b"lagi")
    os.close(write_fd)  # the end of a pipe: the unfinished last line still counts
    assert await asyncio.wait_for(lines.get(), 5) == "say Siti lagi"
    assert await asyncio.wait_for(lines.get(), 5) is None
    os.close(read_fd)

    script = tmp_path / "walkthrough.txt"
    script.write_text("user Siti\nusers\n", encoding="utf-8")
    with script.open("rb") as file:
        lines = read_lines(file.fileno())
        assert [await asyncio.wait_for(lines.get(), 5) for _ in range(3)] == ["user Siti", "users", None]


def test_help_and_readme_document_the_token_option() -> None:
    from bot.sandbox.__main__ import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--token", "not-a-token"])
    assert parse_args(["--token", "7000000001:AAsandbox-try-it"]).token == "7000000001:AAsandbox-try-it"
    readme = README.read_text(encoding="utf-8")
    assert "--token" in _block(readme, "sandbox-start")


async def test_piped_commands_run_then_exit_on_eof_or_keep_serving(tmp_path: Path) -> None:
    async def sandbox(*options: str, stdin: int) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.sandbox",
            "--port",
            "0",
            *options,
            cwd=REPO_ROOT,
            stdin=stdin,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )

    script = tmp_path / "commands.txt"
    script.write_text("# two people\nuser Siti 081234567801\nuser Budi\nusers\n", encoding="utf-8")
    with script.open("rb") as commands:
        finite = await sandbox("--exit-on-eof", stdin=commands.fileno())
        output, _ = await asyncio.wait_for(finite.communicate(), timeout=30)
    assert finite.returncode == 0, output.decode()
    assert "> user Budi" in output.decode() and "700000001 Siti 081234567801" in output.decode()

    serving = await sandbox("--token", "7000000001:AAstable", stdin=asyncio.subprocess.DEVNULL)
    assert serving.stdout is not None
    lines = _Output(serving.stdout)
    assert (await lines.until("token:", 30)).split()[-1] == "7000000001:AAstable"
    await lines.until("(end of input: still serving", 30)
    assert serving.returncode is None
    assert await _stop(serving, signal.SIGTERM) == 0


# -- the README walkthrough, end to end -------------------------------------------------------------------


def _block(readme: str, marker: str) -> str:
    """The fenced code block right after ``<!-- marker -->`` in the README."""
    found = re.search(rf"<!-- {marker} -->\n```\w*\n(.*?)\n```", readme, re.DOTALL)
    assert found is not None, f"README.md has no code block marked <!-- {marker} -->"
    return found.group(1)


class _Output:
    """Lines a process prints, read with a deadline."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.stream = stream
        self.lines: list[str] = []

    async def until(self, predicate_text: str, timeout: float) -> str:
        deadline = asyncio.get_running_loop().time() + timeout
        while not any(predicate_text in line for line in self.lines):
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(
                    f"no {predicate_text!r} within {timeout} s; output:\n" + "\n".join(self.lines)
                )
            try:
                raw = await asyncio.wait_for(self.stream.readline(), remaining)
            except TimeoutError:
                continue
            if not raw:
                raise AssertionError(f"output ended before {predicate_text!r}:\n" + "\n".join(self.lines))
            self.lines.append(raw.decode().rstrip("\n"))
        return next(line for line in self.lines if predicate_text in line)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


async def _cli(*args: str, env: dict[str, str]) -> str:
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
    assert process.returncode == 0, output.decode()
    return output.decode()


async def _stop(process: asyncio.subprocess.Process, signum: int) -> int:
    if process.returncode is None:
        process.send_signal(signum)
    return await asyncio.wait_for(process.wait(), timeout=30)


async def test_readme_walkthrough_registers_siti_through_the_console(tmp_path: Path) -> None:
    readme = README.read_text(encoding="utf-8")
    start_line = _block(readme, "sandbox-start")
    readme_config = tomllib.loads(_block(readme, "sandbox-config"))["telegram"]
    walkthrough = _block(readme, "sandbox-walkthrough")

    # The README's command, as written, but on a free port: tests run side by side.
    argv = shlex.split(start_line)
    assert argv[:3] == [".venv/bin/python", "-m", "bot.sandbox"]
    argv[argv.index("--port") + 1] = "0"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")}
    sandbox = await asyncio.create_subprocess_exec(
        sys.executable,
        *argv[1:],
        cwd=REPO_ROOT,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert sandbox.stdin is not None and sandbox.stdout is not None
    console = _Output(sandbox.stdout)
    bot: asyncio.subprocess.Process | None = None
    bot_log = tmp_path / "bot.log"
    try:
        base_url = (await console.until("base_url:", 30)).split()[-1]
        token = (await console.until("token:", 30)).split()[-1]
        assert token == readme_config["token"]  # --token made the README's config valid
        assert readme_config["base_url"] == "http://127.0.0.1:8081/bot"

        roster = tmp_path / "roster.csv"
        roster.write_text(
            "kecamatan,desa,nama,jabatan,telepon\nMalingping,Cilangkahan,Siti Aminah,Ketua,0812-3456-7801\n",
            encoding="utf-8",
        )
        config = tmp_path / "config.toml"
        config.write_text(
            f'[telegram]\ntoken = "{token}"\nbase_url = "{base_url}"\n'
            f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.sqlite3"}"\n',
            encoding="utf-8",
        )
        await _cli("wilayah", "import", str(LEBAK_WILAYAH_CSV), "--config", str(config), env=env)
        await _cli("roster", "import", str(roster), "--config", str(config), env=env)
        with bot_log.open("wb") as log:
            bot = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                "--config",
                str(config),
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )

        # Piped in all at once and closed, as `… < walkthrough.txt` would: the console keeps up with the bot.
        sandbox.stdin.write(walkthrough.encode() + b"\n")
        await sandbox.stdin.drain()
        sandbox.stdin.close()

        done = await console.until("Pendaftaran berhasil", 90)
        assert done.startswith("[edited] [bot -> Siti ")
        assert "Selamat bergabung, Siti Aminah!" in console.text
        await console.until("(end of input: still serving", 30)
        transcript = console.text
        assert "Selamat datang di Bot Bimtek PPS KPU Kabupaten Lebak, Siti!" in transcript  # /start
        assert "<📱 Bagikan nomor HP saya>" in transcript  # /daftar
        assert "Nama: Siti Aminah" in transcript and "[✅ Ya, benar] | [❌ Bukan saya]" in transcript
        for command in walkthrough.splitlines():
            assert f"> {command}" in transcript
        assert "error:" not in transcript
        assert sandbox.returncode is None  # the end of the pipe did not stop the sandbox
    finally:
        bot_code = await _stop(bot, signal.SIGTERM) if bot is not None else 0
        sandbox_code = await _stop(sandbox, signal.SIGINT)
    assert bot_code == 0, bot_log.read_text(encoding="utf-8")
    assert sandbox_code == 0, console.text
