"""Helpers shared by handlers: who is talking, replying from the catalog, place, role and kecamatan lines."""

from telegram import Message, Update
from telegram.constants import MessageLimit, ParseMode

from bot.core.identity import CoordinatorScope, MemberView
from bot.core.regions import KecamatanNotFound
from bot.runtime.guards import current_identity
from bot.texts import render

__all__ = [
    "PARSE_MODE",
    "current_identity",
    "kecamatan_not_found_text",
    "place_lines",
    "place_short",
    "position_label",
    "reply",
    "scope_label",
]


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


def kecamatan_not_found_text(language: str, error: KecamatanNotFound) -> str:
    """The answer to a kecamatan name no single kecamatan has: the ones sharing it, or the look-alikes."""
    if error.candidates:
        return render(
            language,
            "attendance.ambiguous_kecamatan",
            name=error.written,
            candidates=", ".join(f"{k.name} ({k.code})" for k in error.candidates),
            code=error.candidates[0].code,
        )
    text = render(language, "attendance.unknown_kecamatan", name=error.written)
    if error.suggestions:
        names = ", ".join(k.name for k in error.suggestions)
        text += "\n" + render(language, "attendance.suggestions", names=names)
    return text


def fits_one_message(text: str) -> bool:
    """Whether Telegram takes the text as one message: it counts UTF-16 code units, and the HTML (tags and
    entities included) is never shorter than what is shown."""
    return len(text.encode("utf-16-le")) // 2 <= MessageLimit.MAX_TEXT_LENGTH
