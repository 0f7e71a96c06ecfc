"""The text catalog: every sentence a person reads, per language, rendered with escaped values."""

import html
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.texts import (
    attendance_en,
    attendance_id,
    board_en,
    board_id,
    broadcast_en,
    broadcast_id,
    cascade_en,
    cascade_id,
    checkin_en,
    checkin_id,
    cli_en,
    cli_id,
    duty_en,
    duty_id,
    en,
    id,
    plan_en,
    plan_id,
    privacy_en,
    privacy_id,
    program_en,
    program_id,
    registration_en,
    registration_id,
    report_en,
    report_id,
)

# Chat texts and command-line texts are kept in separate modules; one catalog per language joins them.
LANGUAGES: Mapping[str, Mapping[str, str]] = {
    "id": (
        id.TEXTS
        | registration_id.TEXTS
        | checkin_id.TEXTS
        | broadcast_id.TEXTS
        | cli_id.TEXTS
        | plan_id.TEXTS
        | report_id.TEXTS
        | attendance_id.TEXTS
        | program_id.TEXTS
        | duty_id.TEXTS
        | privacy_id.TEXTS
        | board_id.TEXTS
        | cascade_id.TEXTS
    ),
    "en": (
        en.TEXTS
        | registration_en.TEXTS
        | checkin_en.TEXTS
        | broadcast_en.TEXTS
        | cli_en.TEXTS
        | plan_en.TEXTS
        | report_en.TEXTS
        | attendance_en.TEXTS
        | program_en.TEXTS
        | duty_en.TEXTS
        | privacy_en.TEXTS
        | board_en.TEXTS
        | cascade_en.TEXTS
    ),
}
DEFAULT_LANGUAGE = "id"


@dataclass(frozen=True)
class Safe:
    """A value that is already valid Telegram HTML (e.g. a rendered list) and must not be escaped again."""

    html: str


@dataclass(frozen=True)
class Phrase:
    """A catalog entry named by a rule and rendered later, in the reader's language (rules never render)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


def placeholders(template: str) -> set[str]:
    """Names of the {placeholders} in a catalog entry."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def normalize_language(code: str | None) -> str:
    """Map a Telegram language_code (e.g. 'en-US') to a catalog language, falling back to Indonesian."""
    if code:
        short = code.split("-")[0].lower()
        if short in LANGUAGES:
            return short
    return DEFAULT_LANGUAGE


def render(language: str, key: str, /, **values: object) -> str:
    """The catalog entry `key` in `language`, with every value HTML-escaped unless wrapped in Safe."""
    template = LANGUAGES[normalize_language(language)][key]
    escaped = {
        name: value.html if isinstance(value, Safe) else html.escape(str(value), quote=False)
        for name, value in values.items()
    }
    return template.format(**escaped)


def render_plain(language: str, key: str, /, **values: object) -> str:
    """The catalog entry `key` for a terminal (the command line): values inserted as they are."""
    filled = {
        k: render_plain(language, v.key, **v.values) if isinstance(v, Phrase) else str(v)
        for k, v in values.items()
    }
    return LANGUAGES[normalize_language(language)][key].format(**filled)
