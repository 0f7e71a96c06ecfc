"""The bot's HTTP transport (bot.runtime.transport) against the sandbox: everything the bot asks of Telegram
arrives as python-telegram-bot's own httpx transport sends it, and failures keep their meaning."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.runtime.transport import AiohttpTransport
from bot.sandbox import Sandbox
from tests.helpers import eventually

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x20\x00\x00\x00\x10" + b"\x00" * 16
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def transport_bot(sb: Sandbox, *, base_url: str | None = None, **options: float) -> Bot:
    """A plain Bot on our transport, as bot.app builds the bot's (pool sizes aside)."""
    return Bot(
        sb.token,
        base_url=base_url or sb.base_url,
        base_file_url=sb.base_file_url,
        request=AiohttpTransport(pool_size=8, **options),
        get_updates_request=AiohttpTransport(pool_size=1, **options),
    )


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
async def bot(sb: Sandbox) -> AsyncIterator[Bot]:
    async with transport_bot(sb) as client:
        yield client


async def test_a_message_with_html_and_buttons_arrives_as_sent(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti Aminah")
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Sudah dibaca", callback_data="ack:7")]])
    sent = await bot.send_message(
        user.id,
        "<b>Bimtek</b> di Aula Kecamatan Rangkasbitung &amp; Cibadak",
        parse_mode="HTML",
        reply_markup=buttons,
    )
    received = await user.next_message()
    assert received.text == "Bimtek di Aula Kecamatan Rangkasbitung & Cibadak"
    assert [(b.text, b.callback_data) for row in received.buttons for b in row] == [
        ("✅ Sudah dibaca", "ack:7")
    ]
    assert sent.message_id == received.message_id


async def test_uploads_and_downloads_keep_the_name_and_the_bytes(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    document = await bot.send_document(
        user.id, b"nama,desa\nSiti,Pasir Tanjung\n", filename="rekap.csv", caption="Rekap"
    )
    photo = await bot.send_photo(user.id, PNG, caption="<i>Denah</i>", parse_mode="HTML")
    assert document.document is not None and document.document.file_name == "rekap.csv"
    assert [(await user.next_message()).caption, (await user.next_message()).caption] == ["Rekap", "Denah"]
    await user.send_document(b"%PDF-1.4 surat tugas", filename="sk.pdf", caption="SK")
    (update,) = [u for u in await bot.get_updates(timeout=0) if u.message and u.message.document]
    assert update.message is not None and update.message.document is not None
    file = await bot.get_file(update.message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 surat tugas"
    photo_file = await bot.get_file(photo.photo[-1].file_id)
    assert bytes(await photo_file.download_as_bytearray()) == PNG


async def test_telegram_s_answers_keep_their_meaning(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    sb.faults.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
        await bot.send_message(user.id, "a")
    sb.faults.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
        await bot.send_message(user.id, "b")
    sb.faults.fail_next("sendMessage", status=403, chat_id=user.id)
    with pytest.raises(Forbidden):
        await bot.send_message(user.id, "c")
    with pytest.raises(BadRequest):
        await bot.send_message(user.id, "<b>unclosed", parse_mode="HTML")
    await bot.send_message(user.id, "d")
    assert [m.text for m in user.messages] == ["d"]


async def test_a_silent_telegram_is_a_timeout_and_the_next_send_goes_through() -> None:
    async with Sandbox(hang_seconds=5.0) as sandbox, transport_bot(sandbox) as bot:
        user = sandbox.new_user("Siti")
        sandbox.faults.timeout_next("sendMessage")
        with pytest.raises(TimedOut):
            await bot.send_message(user.id, "lost", read_timeout=0.1)
        await bot.send_message(user.id, "after")
        assert [m.text for m in user.messages] == ["after"]


async def test_a_request_that_finds_no_free_connection_times_out_unsent() -> None:
    async with Sandbox(hang_seconds=5.0) as sandbox:
        user = sandbox.new_user("Siti")
        request = AiohttpTransport(pool_size=1, pool_timeout=0.05, connect_timeout=0.1)
        async with Bot(sandbox.token, base_url=sandbox.base_url, request=request) as bot:
            sandbox.faults.timeout_next("sendMessage")  # holds the only connection
            hanging = asyncio.ensure_future(bot.send_message(user.id, "lost", read_timeout=1.0))
            await eventually(
                lambda: sandbox.stats.injected_timeouts == 1, "the first send to hang at Telegram"
            )
            with pytest.raises(TimedOut, match="not sent"):
                await bot.send_message(user.id, "waits for a connection")
            with pytest.raises(TimedOut):
                await hanging
        assert user.messages == []


async def test_long_polling_waits_past_the_read_timeout(sb: Sandbox) -> None:
    async with transport_bot(sb, read_timeout=0.2) as bot:
        waiting = asyncio.ensure_future(bot.get_updates(timeout=2))
        user = sb.new_user("Siti")
        await user.send_text("/start")
        updates = await waiting  # read_timeout 0.2 s would have cut a 2 s long poll off
    assert [u.message.text for u in updates if u.message] == ["/start"]


async def test_an_unreachable_telegram_is_a_network_error_that_does_not_name_the_token(sb: Sandbox) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(NetworkError) as caught:
        async with transport_bot(sb, base_url=f"http://127.0.0.1:{port}/bot") as bot:  # initialize: getMe
            await bot.send_message(1, "halo")
    assert "aiohttp.ClientConnectorError" in str(caught.value)
    assert sb.token not in str(caught.value) and sb.token.split(":")[1] not in str(caught.value)


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A key and a certificate for 127.0.0.1 that no authority signed (made with the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, certificate


async def test_a_certificate_no_authority_vouches_for_is_refused(
    sb: Sandbox, self_signed: tuple[Path, Path]
) -> None:
    key, certificate = self_signed
    served: list[str] = []

    async def impostor(request: web.Request) -> web.Response:
        served.append(request.path)
        return web.json_response({"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "Palsu"}})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", impostor)
    runner = web.AppRunner(app)
    await runner.setup()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    try:
        port = runner.addresses[0][1]
        with pytest.raises(NetworkError, match=r"(?i)certificate"):
            async with transport_bot(sb, base_url=f"https://127.0.0.1:{port}/bot"):
                pass
        assert served == []  # nothing was sent to a server that could not prove who it is
    finally:
        await runner.cleanup()


async def test_a_redirect_is_not_followed_so_the_token_goes_nowhere_else(sb: Sandbox) -> None:
    elsewhere: list[str] = []

    async def record(request: web.Request) -> web.Response:
        elsewhere.append(request.path)
        return web.json_response({"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "Lain"}})

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect(f"http://127.0.0.1:{ports[1]}{request.path}")

    runners = []
    for handler in (redirect, record):
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
    ports = [runner.addresses[0][1] for runner in runners]
    try:
        with pytest.raises(NetworkError) as caught:
            async with transport_bot(sb, base_url=f"http://127.0.0.1:{ports[0]}/bot"):
                pass
        assert elsewhere == []
        assert sb.token.split(":")[1] not in str(caught.value)
    finally:
        for runner in runners:
            await runner.cleanup()


async def test_a_transport_shut_down_and_initialized_again_sends_again(sb: Sandbox) -> None:
    user = sb.new_user("Siti")
    transport = AiohttpTransport(pool_size=2)
    bot = Bot(sb.token, base_url=sb.base_url, request=transport)
    for text in ("pertama", "kedua"):
        async with bot:
            await bot.send_message(user.id, text)
    assert [m.text for m in user.messages] == ["pertama", "kedua"]
    with pytest.raises(RuntimeError, match="not initialized"):
        await transport.do_request(f"{sb.base_url}{sb.token}/getMe", "POST")


async def test_more_concurrent_sends_than_connections_all_arrive_once(sb: Sandbox) -> None:
    users = [sb.new_user(f"PPS {k}") for k in range(60)]
    async with Bot(
        sb.token, base_url=sb.base_url, request=AiohttpTransport(pool_size=4, pool_timeout=30)
    ) as bot:
        await asyncio.gather(*(bot.send_message(user.id, f"halo {k}") for k, user in enumerate(users)))
    assert [[m.text for m in user.messages] for user in users] == [[f"halo {k}"] for k in range(60)]


async def test_the_proxy_in_the_environment_is_used_unless_no_proxy_names_the_host(
    sb: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    async def answer_as_telegram(request: web.Request) -> web.Response:
        seen.append(request.path)
        me = {"id": 1, "is_bot": True, "first_name": "Lewat proxy", "username": "proxy_bot"}
        return web.json_response({"ok": True, "result": me})

    proxy = web.Application()
    proxy.router.add_route("*", "/{tail:.*}", answer_as_telegram)
    runner = web.AppRunner(proxy)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{port}")
        async with transport_bot(sb) as bot:  # initialize asks getMe once, then caches it
            assert bot.bot.first_name == "Lewat proxy"
        assert seen == [f"/bot{sb.token}/getMe"]
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        async with transport_bot(sb) as bot:
            assert bot.bot.first_name == "PPS Bimtek"
        assert seen == [f"/bot{sb.token}/getMe"]
    finally:
        await runner.cleanup()
