"""Typed callback data: one codec per button prefix, so no handler splits strings or trusts their numbers.

The formats are the ones already sitting in people's chats (`reg:y:12`, `um:k:ok`, `td:…`, `lang:id` …):
`<prefix>:<part>:<part>…`, at most 64 bytes. A codec builds them and reads them back; anything that does
not parse (a forged or truncated button, an id too large for a database integer) decodes to None, which the
handler answers as a stale button.
"""

import re
from dataclasses import dataclass

MAX_CALLBACK_BYTES = 64
# Ids are database integers: a forged 20-digit number must not reach a query (OverflowError on PostgreSQL).
_MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(text: str) -> int | None:
    """A database id written in a button, or None when it is not a plain positive integer that fits."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= _MAX_ID else None


@dataclass(frozen=True)
class CallbackCodec:
    """The callback data of one prefix: `encode('y', 12)` -> 'reg:y:12'; `decode` gives the parts back."""

    prefix: str

    @property
    def head(self) -> str:
        return f"{self.prefix}:"

    @property
    def pattern(self) -> str:
        """The regular expression a CallbackQueryHandler uses to route this prefix."""
        return f"^{re.escape(self.head)}"

    def encode(self, *parts: str | int) -> str:
        data = self.head + ":".join(str(p) for p in parts)
        if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
        return data

    def decode(self, data: str | None) -> tuple[str, ...] | None:
        """The parts after the prefix, or None when the data is not of this prefix."""
        if data is None or not data.startswith(self.head):
            return None
        rest = data[len(self.head) :]
        return tuple(rest.split(":")) if rest else ()
