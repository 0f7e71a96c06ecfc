"""Helpers shared by handlers: who is talking, replying from the catalog, place and role lines."""

from telegram import Message, Update
from telegram.constants import ParseMode

from bot.core.identity import (
    CoordinatorScope,
    Identity,
    MemberView,
    account_is_current,
    identify,
    touch_account,
)
from bot.runtime.context import BotContext
from bot.texts import render


async def current_identity(update: Update, context: BotContext) -> Identity:
    """The person behind the update (resolved once per update), creating their account row on first contact."""
    if context.identity is not None:
        return context.identity
    context.identity = await _resolve_identity(update, context)
    return context.identity


async def _resolve_identity(update: Update, context: BotContext) -> Identity:
    user = update.effective_user
    assert user is not None  # handlers are registered for updates that have a sender
    admins = frozenset(context.config.bot.admins)
    default_language = context.config.bot.default_language
    # Most updates come from people the bot already knows: a read, which on SQLite takes no write lock.
    async with context.read() as session:
        if await account_is_current(session, user.id):
            return await identify(session, user.id, admins=admins, default_language=default_language)
    async with context.transaction() as session:
        await touch_account(session, user.id, user.first_name, user.language_code)
        return await identify(session, user.id, admins=admins, default_language=default_language)


async def reply(update: Update, text: str, **kwargs: object) -> Message:
    """Answer in the chat the update came from, as Telegram HTML."""
    message = update.effective_message
    assert message is not None
    return await message.reply_html(text, **kwargs)  # type: ignore[arg-type]


def position_label(language: str, member: MemberView) -> str:
    """'Ketua PPS', 'Anggota PPK', … in the person's language."""
    return render(language, f"position.{member.position.value}")


def place_lines(language: str, member: MemberView) -> str:
    """The desa and kecamatan lines of a member (only the kecamatan for PPK)."""
    if member.desa is not None:
        return render(language, "place.desa", desa=member.desa, kecamatan=member.kecamatan)
    return render(language, "place.kecamatan", kecamatan=member.kecamatan)


def place_short(language: str, member: MemberView) -> str:
    """'Sukamaju, Kec. Malingping' or 'Kec. Malingping'."""
    if member.desa is not None:
        return render(language, "place.short_desa", desa=member.desa, kecamatan=member.kecamatan)
    return render(language, "place.short_kecamatan", kecamatan=member.kecamatan)


def scope_label(language: str, scope: CoordinatorScope) -> str:
    """'Kabupaten Lebak' or 'Kecamatan X'."""
    if scope.kecamatan is None:
        return render(language, "scope.regency")
    return render(language, "scope.kecamatan", kecamatan=scope.kecamatan)


PARSE_MODE = ParseMode.HTML
