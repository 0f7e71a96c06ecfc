"""Finding a button by what a person would type: its exact text, or the text without emoji, case or spacing."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.sandbox.models import BotMessage, InlineButton, ReplyButton

__all__ = [
    "AmbiguousButton",
    "ButtonNotFound",
    "button_key",
    "find_inline_button",
    "find_reply_button",
    "shown_buttons",
]

B = TypeVar("B", InlineButton, ReplyButton)

# Emoji and their glue: symbols (✅ 📱), modifiers (skin tones), joiners, keycaps, variation selectors.
_DECORATION_CATEGORIES = frozenset({"So", "Sk", "Cf", "Cs", "Me"})


class ButtonNotFound(AssertionError):
    """No button matches what was asked for (an AssertionError, so tests read it as a failed expectation)."""


class AmbiguousButton(AssertionError):
    """Several buttons of one message match equally well."""


def _decoration(char: str) -> bool:
    return unicodedata.category(char) in _DECORATION_CATEGORIES or "\ufe00" <= char <= "\ufe0f"


def button_key(text: str) -> str:
    """``text`` as compared loosely: emoji dropped, case folded, runs of spaces made one."""
    kept = "".join(char for char in unicodedata.normalize("NFC", text) if not _decoration(char))
    return " ".join(kept.split()).casefold()


def _tiers(wanted: str) -> list[Callable[[str], bool]]:
    """Ways a button text can match ``wanted``, strictest first; the first way that matches anything wins."""
    key = button_key(wanted)

    def exact(text: str) -> bool:
        return text == wanted

    def loose(text: str) -> bool:
        return button_key(text) == key

    def leading_words(text: str) -> bool:
        # "Ya" picks "✅ Ya, benar"; it must end on a word boundary, so "Ya" does not pick "Yakin".
        candidate = button_key(text)
        return (
            bool(key)
            and candidate.startswith(key)
            and (len(candidate) == len(key) or not candidate[len(key)].isalnum())
        )

    return [exact, loose, leading_words]


def _labels(buttons: Sequence[InlineButton | ReplyButton]) -> str:
    return " ".join(f"[{button.text}]" for button in buttons)


def shown_buttons(messages: Sequence[BotMessage], limit: int = 3) -> str:
    """The inline buttons of the newest ``limit`` messages that have any, for an error message."""
    shown = [m for m in reversed(messages) if m.buttons and not m.deleted][:limit]
    if not shown:
        return "the bot shows no inline buttons"
    return "buttons shown: " + "; ".join(
        f"#{m.message_id} {_labels([b for row in m.buttons for b in row])}" for m in shown
    )


def find_inline_button(
    messages: Sequence[BotMessage],
    text: str | None,
    callback_data: str | None = None,
    message_id: int | None = None,
) -> tuple[BotMessage, InlineButton] | None:
    """The button to press: the newest message with a match at the strictest tier that matches at all.

    Raises :class:`AmbiguousButton` when a loose match picks several buttons of one message; exact
    duplicates keep the first, as Telegram clients show them side by side and either would do."""
    candidates = [
        m
        for m in reversed(messages)
        if not m.deleted and m.buttons and (message_id is None or m.message_id == message_id)
    ]
    tiers = _tiers(text) if text is not None else [lambda _text: True]
    for strict, matches_text in enumerate(tiers):
        for message in candidates:
            matches = [
                button
                for row in message.buttons
                for button in row
                if matches_text(button.text)
                and (callback_data is None or button.callback_data == callback_data)
            ]
            if len(matches) > 1 and strict > 0:
                raise AmbiguousButton(
                    f"{text!r} matches {len(matches)} buttons of message #{message.message_id}: "
                    f"{_labels(matches)}; write more of the button's text"
                )
            if matches:
                return message, matches[0]
    return None


def find_reply_button(keyboard: Sequence[Sequence[ReplyButton]], text: str) -> ReplyButton | None:
    """The reply keyboard button ``text`` names (same tiers as inline buttons)."""
    buttons = [button for row in keyboard for button in row]
    for strict, matches_text in enumerate(_tiers(text)):
        matches = [button for button in buttons if matches_text(button.text)]
        if len(matches) > 1 and strict > 0:
            raise AmbiguousButton(
                f"{text!r} matches {len(matches)} keyboard buttons: {_labels(matches)}; "
                "write more of the button's text"
            )
        if matches:
            return matches[0]
    return None
