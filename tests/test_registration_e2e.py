"""Registration through Telegram, end to end: the real bot, the sandbox's HTTP, a real database."""

import pytest
from sqlalchemy import func, select

from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox
from models import Member, Position, RegistrationAttempt, RegistrationFailure, TelegramAccount
from tests.seed import seed_coordinator, seed_members

SITI_PHONE = "+6281234567801"


@pytest.fixture
async def siti(session_factory: SessionFactory) -> int:
    """Siti Aminah, Ketua PPS of Sukamanah (Malingping), on the roster but not registered."""
    [member] = await seed_members(session_factory, [("Siti Aminah", Position.KETUA, SITI_PHONE)])
    return member.id


async def _linked_user(factory: SessionFactory, member_id: int) -> int | None:
    async with factory() as session:
        return await session.scalar(select(Member.telegram_user_id).where(Member.id == member_id))


async def _attempts(factory: SessionFactory) -> list[tuple[int, str, RegistrationFailure]]:
    async with factory() as session:
        rows = await session.execute(
            select(
                RegistrationAttempt.telegram_user_id, RegistrationAttempt.phone, RegistrationAttempt.reason
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_member_registers_with_own_contact(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int
) -> None:
    user = sandbox.new_user("Siti")

    await user.send_text("/start")
    greeting = await user.next_message()
    assert "Selamat datang" in greeting.text
    assert "/daftar" in greeting.text

    await user.send_text("/daftar")
    ask = await user.next_message()
    assert [button.request_contact for row in ask.keyboard for button in row] == [True]

    await user.share_contact("0812-3456-7801")
    await user.next_message()  # "Terima kasih…" (removes the contact keyboard)
    confirm = await user.next_message()
    assert "Siti Aminah" in confirm.text
    assert "Ketua PPS" in confirm.text
    assert "Sukamanah" in confirm.text and "Malingping" in confirm.text
    assert await _linked_user(session_factory, siti) is None  # nothing linked before the confirmation

    query_id = await user.press("✅ Ya, benar")
    await user.wait_callback_answered(query_id)
    done = await user.wait_for_edit(confirm.message_id, lambda m: "Pendaftaran berhasil" in m.text)
    assert done.buttons == []
    assert await _linked_user(session_factory, siti) == user.id

    await user.send_text("/profil")
    profile = await user.next_message()
    assert "Siti Aminah" in profile.text
    assert "+62 812-3456-7801" in profile.text
    assert "Sukamanah" in profile.text
    assert profile.text.endswith(f"\nID Telegram: {user.id}")  # what [bot] admins would list


async def test_someone_elses_contact_is_refused(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int
) -> None:
    user = sandbox.new_user("Budi")
    await user.share_contact(SITI_PHONE, user_id=user.id + 1000)
    refusal = await user.next_message()
    assert "bukan nomor Anda sendiri" in refusal.text
    assert await _linked_user(session_factory, siti) is None


async def test_contact_card_without_user_id_is_refused(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int
) -> None:
    user = sandbox.new_user("Budi")
    await user.share_contact(SITI_PHONE, user_id=None)
    refusal = await user.next_message()
    assert "tidak terhubung ke akun Telegram" in refusal.text
    assert await _linked_user(session_factory, siti) is None


async def test_phone_not_on_roster_is_refused_and_recorded(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int
) -> None:
    user = sandbox.new_user("Rudi")
    await user.share_contact("+6285711112222")
    refusal = await user.next_message()
    assert "tidak ada di daftar" in refusal.text
    assert "PPK" in refusal.text
    assert await _attempts(session_factory) == [
        (user.id, "+6285711112222", RegistrationFailure.NOT_ON_ROSTER)
    ]


async def test_number_linked_to_another_account_is_refused_and_recorded(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int
) -> None:
    first = sandbox.new_user("Siti")
    await first.share_contact(SITI_PHONE)
    await first.next_message()
    await first.next_message()
    await first.press("✅ Ya, benar")
    await first.wait_for(lambda m: "Pendaftaran berhasil" in m.text)

    second = sandbox.new_user("Siti (HP baru)")
    await second.share_contact(SITI_PHONE)
    refusal = await second.next_message()
    assert "sudah terhubung dengan akun Telegram lain" in refusal.text
    assert await _linked_user(session_factory, siti) == first.id
    assert await _attempts(session_factory) == [
        (second.id, SITI_PHONE, RegistrationFailure.LINKED_TO_OTHER_ACCOUNT)
    ]


async def test_registering_twice_says_already_registered(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int
) -> None:
    user = sandbox.new_user("Siti")
    await user.share_contact(SITI_PHONE)
    await user.next_message()
    await user.next_message()
    await user.press("✅ Ya, benar")
    await user.wait_for(lambda m: "Pendaftaran berhasil" in m.text)

    await user.send_text("/daftar")
    again = await user.next_message()
    assert "sudah terdaftar" in again.text and "Siti Aminah" in again.text
    await user.share_contact(SITI_PHONE)
    again = await user.next_message()
    assert "sudah terdaftar" in again.text
    async with session_factory() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(Member).where(Member.telegram_user_id == user.id)
            )
            == 1
        )


async def test_confirmation_for_another_member_is_not_trusted(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int
) -> None:
    [other] = await seed_members(
        session_factory,
        [("Ahmad", Position.ANGGOTA, "+6281234567802")],
        desa_name="Lain",
        kecamatan_code="36.02.02",
    )
    user = sandbox.new_user("Siti")
    await user.share_contact(SITI_PHONE)
    await user.next_message()
    confirm = await user.next_message()
    # A hand-made callback naming another member: the proven phone decides, not the button's data.
    query_id = await user.press_raw(confirm.message_id, f"reg:y:{other.id}")
    await user.wait_callback_answered(query_id)
    expired = await user.wait_for_edit(confirm.message_id, lambda m: "kedaluwarsa" in m.text)
    assert "/daftar" in expired.text
    assert await _linked_user(session_factory, other.id) is None
    assert await _linked_user(session_factory, siti) is None


@pytest.mark.parametrize(
    "forged", ["reg:y:99999999999999999999", "reg:y:9223372036854775808", "reg:y:-5", "reg:y:abc", "reg:x"]
)
async def test_forged_confirmation_gets_the_stale_button_answer(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int, forged: str
) -> None:
    user = sandbox.new_user("Siti")
    await user.share_contact(SITI_PHONE)
    await user.next_message()
    confirm = await user.next_message()
    # A modified client sends an id no database integer holds (or no id at all).
    query_id = await user.press_raw(confirm.message_id, forged)
    answer = await user.wait_callback_answered(query_id)
    assert answer.show_alert and answer.text is not None and "sudah tidak berlaku" in answer.text
    assert await _linked_user(session_factory, siti) is None
    # The real button still works afterwards: the forged press changed nothing.
    await user.press("✅ Ya, benar")
    await user.wait_for_edit(confirm.message_id, lambda m: "Pendaftaran berhasil" in m.text)
    assert await _linked_user(session_factory, siti) == user.id


async def test_forged_language_button_gets_the_stale_button_answer(
    sandbox: Sandbox, running_bot: BotApplication
) -> None:
    user = sandbox.new_user("Siti")
    await user.send_text("/bahasa")
    ask = await user.next_message()
    query_id = await user.press_raw(ask.message_id, "lang:xx")
    answer = await user.wait_callback_answered(query_id)
    assert answer.show_alert and answer.text is not None and "sudah tidak berlaku" in answer.text


async def test_language_switch_is_remembered(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int
) -> None:
    user = sandbox.new_user("Siti")
    await user.send_text("/bahasa")
    await user.next_message()
    await user.press("🇬🇧 English")
    await user.wait_for(lambda m: m.text == "Language changed to English.")
    await user.send_text("/bantuan")
    help_text = await user.next_message()
    assert "/daftar — register" in help_text.text
    async with session_factory() as session:
        account = await session.get(TelegramAccount, user.id)
        assert account is not None and account.language == "en"

    await user.send_text("/profil")  # not registered: the usual answer, and the id in English
    profile = await user.next_message()
    assert profile.text.startswith("You are not registered yet.")
    assert f"Your Telegram user id: {user.id} (" in profile.text and "[bot] admins" in profile.text

    await user.send_text("/bahasa")
    await user.next_message()
    await user.press("🇮🇩 Bahasa Indonesia")
    await user.wait_for(lambda m: m.text == "Bahasa diganti ke Bahasa Indonesia.")
    await user.send_text("/profil")
    profile = await user.next_message()
    assert profile.text.startswith("Anda belum terdaftar. Ketik /daftar")
    assert f"ID Telegram Anda: {user.id} (" in profile.text


async def test_names_with_html_characters_and_emoji_are_shown_as_written(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory
) -> None:
    name = "Dewi <Sri> & Putri 🌸"
    await seed_members(
        session_factory, [(name, Position.ANGGOTA, "+6281298765432")], desa_name="Cibeber & <Raya>"
    )
    user = sandbox.new_user("Dewi")
    await user.share_contact("6281298765432")
    await user.next_message()
    confirm = await user.next_message()
    assert name in confirm.text
    assert "Cibeber & <Raya>" in confirm.text
    await user.press("✅ Ya, benar")
    done = await user.wait_for(lambda m: "Pendaftaran berhasil" in m.text)
    assert name in done.text


async def test_coordinator_registers_and_sees_coordinator_help(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, siti: int
) -> None:
    await seed_coordinator(session_factory, "+6281311110000")
    user = sandbox.new_user("Pak Koordinator")
    await user.share_contact("081311110000")
    await user.next_message()
    confirm = await user.next_message()
    assert "koordinator" in confirm.text and "Kabupaten Lebak" in confirm.text
    await user.press("✅ Ya, benar")
    await user.wait_for(lambda m: "koordinator" in m.text and "berhasil" in m.text)
    await user.send_text("/bantuan")
    help_text = await user.next_message()
    assert "/umumkan" in help_text.text
    await user.send_text("/profil")
    profile = await user.next_message()
    assert profile.text == f"Profil Anda\n\nKoordinator: Kabupaten Lebak\nID Telegram: {user.id}"


async def test_commands_are_published_in_both_languages(
    sandbox: Sandbox, running_bot: BotApplication
) -> None:
    indonesian = sandbox.commands(language_code="")
    english = sandbox.commands(language_code="en")
    assert [c["command"] for c in indonesian] == [c["command"] for c in english]
    assert {"start", "daftar", "profil", "bantuan", "bahasa"} <= {c["command"] for c in indonesian}
    assert dict((c["command"], c["description"]) for c in english)["bahasa"] == "Change language"


async def test_unknown_command_and_text_get_a_helpful_answer(
    sandbox: Sandbox, running_bot: BotApplication
) -> None:
    user = sandbox.new_user("Rina")
    await user.send_text("/entahlah")
    assert "Perintah tidak dikenal" in (await user.next_message()).text
    await user.send_text("halo bot")
    assert "/bantuan" in (await user.next_message()).text
