"""Reading a word into one of a fixed set of values (an enum member, a config choice), with the known words."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


class UnknownChoice(ValueError):
    """The word names none of the choices; `known` are the words that would have been accepted."""

    def __init__(self, written: str, known: tuple[str, ...]) -> None:
        super().__init__(f"{written!r} is not one of {', '.join(known)}")
        self.written = written
        self.known = known


def words(text: str) -> str:
    """The default comparison: case ignored, spaces collapsed ('Ketua  PPS' == 'ketua pps')."""
    return " ".join(text.casefold().split())


def by_value(kind: type[E]) -> dict[str, E]:
    """An enum's members by their value, as choices for parse_choice."""
    return {str(member.value): member for member in kind}


def parse_choice(written: str, choices: Mapping[str, T], *, fold: Callable[[str], str] = words) -> T:
    """The value `written` names: `fold(written)` looked up in `choices`. Raises UnknownChoice."""
    try:
        return choices[fold(written)]
    except KeyError:
        raise UnknownChoice(written, tuple(choices)) from None
