"""Tests of bot.sandbox, the local Telegram Bot API emulator, driven by PTB's real HTTP stack."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.sandbox import Sandbox, SandboxTimeout, TelegramLimits, make_bot, parse_html, sandbox_request
from bot.sandbox.console import Console, format_bot_message
from bot.sandbox.faults import FloodControl
from bot.sandbox.html import HtmlParseError

_SSL = ssl.create_default_context()  # shared: httpx would load the CA bundle for every client
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x20\x00\x00\x00\x10" + b"\x00" * 16


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


@pytest.fixture
async def http(sb: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sb.url, verify=_SSL) as client:
        yield client


async def raw_call(
    http: httpx.AsyncClient, sb: Sandbox, method: str, **kwargs: Any
) -> tuple[int, dict[str, Any]]:
    """POST to the sandbox without PTB; returns (status, JSON body)."""
    response = await http.post(f"/bot{sb.token}/{method}", **kwargs)
    return response.status_code, response.json()


# -- basics ----------------------------------------------------------------------------------------


async def test_get_me(sb: Sandbox, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == sb.bot_id
    assert me.is_bot
    assert me.first_name == "PPS Bimtek"
    assert me.username == "pps_bimtek_bot"
    assert sb.base_url == f"http://127.0.0.1:{sb.port}/bot"
    assert sb.base_file_url == f"http://127.0.0.1:{sb.port}/file/bot"


async def test_wrong_token_is_unauthorized(sb: Sandbox, http: httpx.AsyncClient) -> None:
    response = await http.post("/bot123:wrong/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    other = Bot(
        "123:wrong",
        base_url=sb.base_url,
        base_file_url=sb.base_file_url,
        request=sandbox_request(),
        get_updates_request=sandbox_request(),
    )
    with pytest.raises(InvalidToken):
        await other.initialize()
    await other.shutdown()


async def test_unknown_method_404_and_case_insensitive_names(sb: Sandbox, http: httpx.AsyncClient) -> None:
    assert await raw_call(http, sb, "fooBar") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    status, body = await raw_call(http, sb, "GETME")
    assert status == 200
    assert body["result"]["username"] == "pps_bimtek_bot"


async def test_unimplemented_method_is_loud(sb: Sandbox, http: httpx.AsyncClient) -> None:
    user = sb.new_user("Siti")
    status, body = await raw_call(http, sb, "sendPoll", data={"chat_id": user.id, "question": "q"})
    assert status == 501
    assert body["description"] == "Not Implemented in sandbox: sendPoll"


async def test_json_body_and_query_string_are_accepted(sb: Sandbox, http: httpx.AsyncClient) -> None:
    user = sb.new_user("Siti")
    status, body = await raw_call(http, sb, "sendMessage", json={"chat_id": user.id, "text": "json"})
    assert status == 200
    assert body["result"]["text"] == "json"
    response = await http.get(f"/bot{sb.token}/sendMessage", params={"chat_id": user.id, "text": "get"})
    assert response.status_code == 200
    assert [m.text for m in user.messages] == ["json", "get"]


# -- validation ------------------------------------------------------------------------------------


async def test_parameter_validation(sb: Sandbox, http: httpx.AsyncClient) -> None:
    user = sb.new_user("Siti")
    status, body = await raw_call(
        http, sb, "sendMessage", data={"chat_id": user.id, "text": "x", "colour": "red"}
    )
    assert (status, body["description"]) == (
        400,
        'Bad Request: unknown parameter "colour" for method sendMessage',
    )
    status, body = await raw_call(http, sb, "sendMessage", data={"chat_id": user.id})
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await raw_call(
        http, sb, "sendMessage", data={"chat_id": user.id, "text": "x", "disable_notification": "maybe"}
    )
    assert status == 400
    assert body["description"] == 'Bad Request: field "disable_notification" must be of type Boolean'
    status, body = await raw_call(
        http, sb, "sendMessage", data={"chat_id": user.id, "text": "x", "reply_markup": "{not json"}
    )
    assert status == 400
    assert body["description"].startswith("Bad Request: can't parse reply keyboard markup JSON object")
    markup = json.dumps({"inline_keyboard": [[{"text": "a", "callback_date": "typo"}]]})
    status, body = await raw_call(
        http, sb, "sendMessage", data={"chat_id": user.id, "text": "x", "reply_markup": markup}
    )
    assert status == 400
    assert 'unknown field "callback_date"' in body["description"]
    assert user.messages == []


async def test_inline_button_needs_exactly_one_action(sb: Sandbox, http: httpx.AsyncClient) -> None:
    user = sb.new_user("Siti")
    for button in ({"text": "a"}, {"text": "a", "callback_data": "x", "url": "https://kpu.go.id"}):
        markup = json.dumps({"inline_keyboard": [[button]]})
        status, body = await raw_call(
            http, sb, "sendMessage", data={"chat_id": user.id, "text": "x", "reply_markup": markup}
        )
        assert status == 400, button
        assert body["description"].startswith("Bad Request: can't parse inline keyboard button")


async def test_callback_data_limit_is_64_bytes(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="é" * 32)]])
    await bot.send_message(user.id, "64 bytes", reply_markup=ok)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "65 bytes", reply_markup=too_long)
    assert [m.text for m in user.messages] == ["64 bytes"]


async def test_text_length_counts_after_entity_parsing(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    await bot.send_message(user.id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(user.id, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(user.id, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(user.id, PNG, caption="c" * 1025)
    assert len(user.messages) == 1


@pytest.mark.parametrize(
    "html",
    ["<b>bold</i>", "<div>x</div>", "AT&T", "<b>open", "1 < 2", '<span class="red">x</span>', "x</b>"],
)
async def test_bad_html_is_refused(sb: Sandbox, bot: Bot, html: str) -> None:
    user = sb.new_user("Siti")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(user.id, html, parse_mode="HTML")


async def test_blocked_user_and_unknown_chat(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    user.block()
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(user.id, "halo")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(user.id, "typing")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(123456, "halo")
    user.unblock()
    await bot.send_message(user.id, "halo")
    assert [("sendMessage", user.id, 403), ("sendMessage", 123456, 400), ("sendMessage", user.id, 200)] == [
        call for call in sb.calls if call.method == "sendMessage"
    ]
    updates = await bot.get_updates()
    statuses = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status) for u in updates
    ]
    assert statuses == [("member", "kicked"), ("kicked", "member")]


# -- messages --------------------------------------------------------------------------------------


async def test_send_message_html_is_recorded_with_plain_text(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti", username="siti")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Ya, benar", callback_data="yes")],
            [InlineKeyboardButton("KPU", url="https://kpu.go.id")],
        ]
    )
    sent = await bot.send_message(
        user.id, "<b>Halo</b> Siti &amp; <i>kawan</i> 👋", parse_mode="HTML", reply_markup=keyboard
    )
    assert sent.text == "Halo Siti & kawan 👋"
    assert sent.chat.id == user.id and sent.from_user is not None and sent.from_user.id == sb.bot_id
    assert sent.reply_markup == keyboard
    message = await user.next_message()
    assert message.message_id == sent.message_id
    assert message.text == "Halo Siti & kawan 👋"
    assert message.html == "<b>Halo</b> Siti &amp; <i>kawan</i> 👋"
    assert message.parse_mode == "HTML"
    assert message.button_texts == ["Ya, benar", "KPU"]
    assert message.buttons[0][0].callback_data == "yes"
    assert message.buttons[1][0].url == "https://kpu.go.id"
    second = await bot.send_message(user.id, "lagi")
    assert second.message_id == sent.message_id + 1
    assert (await user.next_message()).text == "lagi"
    assert sb.delivered(user.id) == 2


async def test_reply_keyboard_and_tap(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti", phone_number="+6281234567890")
    markup = ReplyKeyboardMarkup([[KeyboardButton("Bagikan nomor", request_contact=True)], ["Batal"]])
    sent = await bot.send_message(user.id, "Nomor HP?", reply_markup=markup)
    assert sent.reply_markup is None  # Telegram echoes only inline keyboards
    message = await user.next_message()
    assert message.keyboard[0][0].request_contact
    assert message.keyboard_texts == ["Bagikan nomor", "Batal"]
    await user.tap("Bagikan nomor")
    await bot.send_message(user.id, "Terima kasih", reply_markup=ReplyKeyboardRemove())
    assert (await user.next_message()).remove_keyboard
    assert user.current_keyboard == []
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.contact is not None
    assert update.message.contact.phone_number == "+6281234567890"


async def test_next_message_timeout_lists_what_arrived(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    await bot.send_message(user.id, "satu")
    await user.next_message()
    with pytest.raises(SandboxTimeout, match=r"(?i)satu") as info:
        await user.next_message(timeout=0.05)
    assert isinstance(info.value, AssertionError) and isinstance(info.value, TimeoutError)


async def test_edit_message_text_updates_the_record(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Lanjut", callback_data="next")]])
    sent = await bot.send_message(user.id, "Memproses…", reply_markup=keyboard)
    edited = await bot.edit_message_text(
        "<b>Selesai</b>", chat_id=user.id, message_id=sent.message_id, parse_mode="HTML"
    )
    assert not isinstance(edited, bool) and edited.text == "Selesai"
    message = await user.wait_for_edit(sent.message_id, lambda m: m.text == "Selesai")
    assert message.edits == 1 and message.html == "<b>Selesai</b>"
    assert message.buttons == []  # editMessageText without reply_markup removes the inline keyboard
    assert await user.wait_for(lambda m: "Selesai" in m.text) is message
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "<b>Selesai</b>", chat_id=user.id, message_id=sent.message_id, parse_mode="HTML"
        )
    await bot.edit_message_reply_markup(user.id, sent.message_id, reply_markup=keyboard)
    assert message.button_texts == ["Lanjut"] and message.edits == 2
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=user.id, message_id=999)
    assert await bot.delete_message(user.id, sent.message_id)
    assert message.deleted
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(user.id, sent.message_id)


async def test_photo_upload_is_stored_and_reusable(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    sent = await bot.send_photo(user.id, PNG, caption="<i>Formulir</i>", parse_mode="HTML")
    message = await user.next_message()
    assert message.photo == PNG and message.text == "Formulir" and message.caption == "Formulir"
    assert message.kind == "photo" and message.mime_type == "image/png"
    assert (sent.photo[-1].width, sent.photo[-1].height) == (32, 16)
    again = await bot.send_photo(user.id, sent.photo[-1].file_id)
    assert (await user.next_message()).photo == PNG
    assert again.photo[-1].file_id == sent.photo[-1].file_id
    document = await bot.send_document(user.id, b"a,b\n1,2\n", filename="rekap.csv", caption="Rekap")
    doc_message = await user.next_message()
    assert (doc_message.document, doc_message.filename, doc_message.mime_type) == (
        b"a,b\n1,2\n",
        "rekap.csv",
        "text/csv",
    )
    with pytest.raises(BadRequest, match=r"(?i)can't use file of type Document as Photo"):
        await bot.send_photo(user.id, document.document.file_id if document.document else "")
    await bot.edit_message_media(
        InputMediaDocument(b"v2", filename="rekap-v2.csv", caption="Rekap v2"),
        chat_id=user.id,
        message_id=document.message_id,
    )
    assert (doc_message.document, doc_message.filename, doc_message.text) == (
        b"v2",
        "rekap-v2.csv",
        "Rekap v2",
    )
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(user.id, "no-such-file-id")


async def test_user_files_can_be_downloaded(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    await user.send_document(b"%PDF-1.4 fake", filename="sk.pdf", caption="SK")
    await user.send_photo(PNG, caption="C1")
    doc_update, photo_update = await bot.get_updates()
    assert doc_update.message is not None and doc_update.message.document is not None
    assert doc_update.message.document.file_name == "sk.pdf"
    assert doc_update.message.caption == "SK"
    file = await bot.get_file(doc_update.message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 fake"
    assert photo_update.message is not None
    photo_file = await photo_update.message.photo[-1].get_file()
    assert bytes(await photo_file.download_as_bytearray()) == PNG
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_venue_location_and_chat_action(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    venue = await bot.send_venue(user.id, -6.35, 106.25, "Aula Kecamatan", "Jl. Multatuli 1")
    assert venue.venue is not None and venue.venue.title == "Aula Kecamatan"
    await bot.send_location(user.id, -6.35, 106.25)
    assert await bot.send_chat_action(user.id, "typing")
    first, second = user.messages
    assert first.kind == "venue" and first.venue is not None and first.venue["address"] == "Jl. Multatuli 1"
    assert second.kind == "location" and second.location == {"latitude": -6.35, "longitude": 106.25}
    assert user.chat_actions == ["typing"]


async def test_commands_are_stored_per_scope_and_language(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    await bot.set_my_commands([BotCommand("start", "Mulai"), BotCommand("bantuan", "Bantuan")])
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    await bot.set_my_commands([BotCommand("admin", "Admin")], scope=BotCommandScopeChat(user.id))
    assert [c["command"] for c in sb.commands()] == ["start", "bantuan"]
    assert sb.commands(language_code="en") == [{"command": "start", "description": "Start"}]
    assert sb.commands("chat", chat_id=user.id) == [{"command": "admin", "description": "Admin"}]
    assert [c.command for c in await bot.get_my_commands()] == ["start", "bantuan"]
    await bot.delete_my_commands(language_code="en")
    assert sb.commands(language_code="en") == []
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start!", "x")])


# -- updates ---------------------------------------------------------------------------------------


async def test_long_polling_returns_promptly_and_offset_acknowledges(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await sb.wait_polling()
    started = loop.time()
    await user.send_text("/start@pps_bimtek_bot")
    (update,) = await poll
    assert loop.time() - started < 1.0
    assert update.message is not None and update.message.text == "/start@pps_bimtek_bot"
    assert update.message.entities[0].type == "bot_command" and update.message.entities[0].length == 21
    await sb.wait_updates_consumed(timeout=1.0)
    assert sb.pending_updates == 1
    assert await bot.get_updates(offset=update.update_id + 1) == ()
    assert sb.pending_updates == 0


async def test_contact_and_callback_updates_deserialise(
    sb: Sandbox, bot: Bot, http: httpx.AsyncClient
) -> None:
    user = sb.new_user("Siti", last_name="Aminah")
    await user.share_contact("+6281234567890")
    await user.share_contact("+6289999", user_id=None, first_name="Budi")
    await user.share_location(-6.35, 106.25)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya, benar", callback_data="confirm:1")]])
    await bot.send_message(user.id, "Benar?", reply_markup=keyboard)
    query_id = await user.press("Ya, benar")
    status, body = await raw_call(http, sb, "getUpdates", data={"timeout": 0})
    assert status == 200
    updates = [Update.de_json(item, bot) for item in body["result"]]
    own, other, located, pressed = updates
    assert own.message is not None and own.message.contact is not None
    assert own.message.contact.user_id == user.id and own.message.contact.last_name == "Aminah"
    assert other.message is not None and other.message.contact is not None
    assert other.message.contact.user_id is None and other.message.contact.first_name == "Budi"
    assert located.message is not None and located.message.location is not None
    assert located.message.location.latitude == -6.35
    query = pressed.callback_query
    assert query is not None and query.id == query_id and query.data == "confirm:1"
    assert query.message is not None and query.message.message_id == user.messages[0].message_id
    assert await bot.answer_callback_query(query_id, text="Tersimpan", show_alert=True)
    answer = await user.wait_callback_answered(query_id)
    assert (answer.text, answer.show_alert) == ("Tersimpan", True)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(AssertionError, match=r"(?i)no inline button"):
        await user.press("Tidak")


async def test_webhook_is_recorded_and_blocks_get_updates(sb: Sandbox, bot: Bot) -> None:
    await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
    assert sb.webhook["url"] == "https://example.org/hook"
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Exception, match=r"(?i)webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook(drop_pending_updates=True)
    assert sb.webhook == {} and (await bot.get_webhook_info()).url == ""


# -- limits & faults -------------------------------------------------------------------------------


async def test_per_chat_flood_limit_returns_429() -> None:
    async with Sandbox(limits=TelegramLimits(per_chat_rate=1, per_chat_window=1.0)) as sandbox:
        first, second = sandbox.new_user("Siti"), sandbox.new_user("Budi")
        async with make_bot(sandbox) as bot:
            await bot.send_message(first.id, "1")
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(first.id, "2")
            with pytest.raises(RetryAfter):
                await bot.send_message(first.id, "3")
            await bot.send_message(second.id, "other chat is fine")
            await bot.send_chat_action(first.id, "typing")  # not a message: not limited
        assert "Retry in 1 seconds" in str(info.value)  # avoids the deprecated int retry_after property
        assert sandbox.stats.rate_limited == 2 and sandbox.stats.too_many_requests == 2
        assert sandbox.delivered(first.id) == 1 and sandbox.delivered(second.id) == 1
        assert [m.text for m in first.messages] == ["1"]


async def test_injected_faults_are_seen_by_ptb(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    sb.faults.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
        await bot.send_message(user.id, "a")
    sb.faults.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(user.id, "b")
    assert "Retry in 3 seconds" in str(info.value)
    sb.faults.fail_next("sendMessage", status=403, chat_id=user.id)
    with pytest.raises(Forbidden):
        await bot.send_message(user.id, "c")
    await bot.send_message(user.id, "d")
    assert [m.text for m in user.messages] == ["d"]
    assert sb.stats.injected_5xx == 1 and sb.stats.too_many_requests == 1
    assert sb.calls[-4:] == [
        ("sendMessage", user.id, 502),
        ("sendMessage", user.id, 429),
        ("sendMessage", user.id, 403),
        ("sendMessage", user.id, 200),
    ]


async def test_injected_timeouts_before_and_after_delivery() -> None:
    async with Sandbox(hang_seconds=5.0) as sandbox:
        user = sandbox.new_user("Siti")
        async with make_bot(sandbox) as bot:
            sandbox.faults.timeout_next("sendMessage")
            with pytest.raises(TimedOut):
                await bot.send_message(user.id, "lost", read_timeout=0.1)
            sandbox.faults.timeout_next("sendMessage", delivered=True)
            with pytest.raises(TimedOut):
                await bot.send_message(user.id, "delivered", read_timeout=0.1)
            assert (await user.next_message()).text == "delivered"
        assert sandbox.delivered(user.id) == 1
        assert sandbox.stats.injected_timeouts == 2


async def test_random_faults_are_seeded() -> None:
    outcomes: list[list[int]] = []
    for _ in range(2):
        async with Sandbox() as sandbox:
            user = sandbox.new_user("Siti")
            sandbox.faults.random(rate=0.5, kinds=("5xx", "429"), seed=7)
            async with make_bot(sandbox) as bot:
                for index in range(12):
                    with contextlib.suppress(NetworkError, RetryAfter):
                        await bot.send_message(user.id, str(index))
            outcomes.append([call.status for call in sandbox.calls if call.method == "sendMessage"])
            assert sandbox.delivered(user.id) == outcomes[-1].count(200)
    assert outcomes[0] == outcomes[1]
    assert {200, 502, 429} == set(outcomes[0])


async def test_missing_spec_disables_validation(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.sandbox.spec"):
        sandbox = Sandbox(spec_path=tmp_path / "missing.json")
    assert "validation is disabled" in caplog.text
    async with sandbox, httpx.AsyncClient(base_url=sandbox.url, verify=_SSL) as http:
        user = sandbox.new_user("Siti")
        status, _ = await raw_call(
            http, sandbox, "sendMessage", data={"chat_id": user.id, "text": "x", "extra": 1}
        )
        assert status == 200
        status, _ = await raw_call(http, sandbox, "sendPoll", data={"chat_id": user.id})
        assert status == 404


# -- HTML parser -----------------------------------------------------------------------------------


def test_html_entities_use_utf16_offsets() -> None:
    parsed = parse_html('👋 <b>Halo <i>Siti</i></b> <a href="https://kpu.go.id?a=1&amp;b=2">KPU</a>')
    assert parsed.text == "👋 Halo Siti KPU"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "offset": 13, "length": 3, "url": "https://kpu.go.id?a=1&b=2"},
    ]


def test_html_special_tags() -> None:
    parsed = parse_html(
        '<pre><code class="language-python">x = 1</code></pre><tg-spoiler>s</tg-spoiler>'
        '<span class="tg-spoiler">t</span><blockquote expandable>q</blockquote>&#128075;&#x41;&lt;&gt;&quot;'
    )
    assert parsed.text == 'x = 1stq👋A<>"'
    types = [(e["type"], e.get("language")) for e in parsed.entities]
    assert types == [("pre", "python"), ("spoiler", None), ("spoiler", None), ("expandable_blockquote", None)]


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>x</i>", 'expected "</b>", found "</i>"'),
        ("<br>", 'Unsupported start tag "br"'),
        ("&nbsp;", "Unsupported HTML entity"),
        ("<i>x", 'start tag "i"'),
    ],
)
def test_html_errors(html: str, detail: str) -> None:
    with pytest.raises(HtmlParseError, match=detail):
        parse_html(html)


# -- end to end with a PTB Application -----------------------------------------------------------------


async def test_ptb_application_polls_the_sandbox(sb: Sandbox) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya, benar", callback_data="yes")]])
        await context.bot.send_message(
            update.effective_chat.id, "<b>Selamat datang</b>", "HTML", reply_markup=keyboard
        )

    async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Oke")
        await query.edit_message_text(f"Terkonfirmasi: {query.data}")

    app = (
        ApplicationBuilder()
        .token(sb.token)
        .base_url(sb.base_url)
        .base_file_url(sb.base_file_url)
        .request(sandbox_request())
        .get_updates_request(sandbox_request())
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(confirm))
    user = sb.new_user("Siti")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=10)
        await user.send_text("/start")
        welcome = await user.next_message()
        assert welcome.text == "Selamat datang" and welcome.button_texts == ["Ya, benar"]
        query_id = await user.press("Ya, benar")
        assert (await user.wait_callback_answered(query_id)).text == "Oke"
        edited = await user.wait_for_edit(welcome.message_id)
        assert edited.text == "Terkonfirmasi: yes"
        await app.updater.stop()
        await app.stop()
    assert sb.pending_updates == 0


def test_flood_control_sliding_windows() -> None:
    now = [100.0]
    flood = FloodControl(
        TelegramLimits(global_rate=3, per_chat_rate=2, per_chat_window=2.0), clock=lambda: now[0]
    )
    for chat in (1, 1):
        assert flood.check(chat) is None
        flood.record(chat)
    assert flood.check(1) == 2  # two messages in the last 2 s: wait for the oldest to leave the window
    assert flood.check(2) is None
    flood.record(2)
    assert flood.check(3) == 1  # 3 messages/s for the whole bot
    now[0] += 1.0
    assert flood.check(3) is None and flood.check(1) == 1
    now[0] += 1.0
    assert flood.check(1) is None


async def test_console_drives_users(sb: Sandbox, bot: Bot) -> None:
    output: list[str] = []
    console = Console(sb, output.append)
    await console.execute("user Siti +628111")
    user = sb.users[0]
    await console.execute("say Siti /start")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya, benar", callback_data="yes")]])
    await bot.send_message(user.id, "Benar?", reply_markup=keyboard)
    await console.execute("press Siti Ya, benar")
    await console.execute("contact Siti")
    await console.execute("press Siti Tidak ada")
    kinds = [next(k for k in ("message", "callback_query") if getattr(u, k)) for u in await bot.get_updates()]
    assert kinds == ["message", "callback_query", "message"]
    assert output[0] == f"user Siti has id {user.id}" and output[-1].startswith("error: ")
    assert "[Ya, benar]" in format_bot_message(user.messages[0])


async def test_press_raw_sends_hand_made_callback_data(sb: Sandbox, bot: Bot) -> None:
    user = sb.new_user("Siti")
    sent = await bot.send_message(user.id, "Benar?")
    query_id = await user.press_raw(sent.message_id, "reg:y:42")
    (update,) = await bot.get_updates()
    assert update.callback_query is not None
    assert (update.callback_query.id, update.callback_query.data) == (query_id, "reg:y:42")
    with pytest.raises(AssertionError, match=r"no bot message #99"):
        await user.press_raw(99, "x")
