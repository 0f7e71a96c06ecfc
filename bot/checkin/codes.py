"""Rotating check-in codes: six digits from a session's secret and the time window (RFC 6238 style)."""

import base64
import re
from dataclasses import dataclass
from datetime import datetime

import pyotp

CODE_DIGITS = 6
DEEP_LINK_PREFIX = "ci-"
# At most 12 digits: a forged session id can never overflow a database integer (as bot.runtime.callbacks
# parse_id guards button ids); a leading zero or 0 itself finds no session and reads as a wrong code.
_DEEP_LINK = re.compile(r"^ci-(\d{1,12})-(\d{6})$")


def _hotp(secret_hex: str) -> pyotp.HOTP:
    return pyotp.HOTP(base64.b32encode(bytes.fromhex(secret_hex)).decode("ascii"), digits=CODE_DIGITS)


def _window(window_minutes: int, moment: datetime) -> int:
    # pyotp.TOTP refuses intervals over 120 s; the venue's code lasts minutes, so the TOTP counter
    # (time // interval) is computed here and the HOTP of that counter comes from pyotp.
    return int(moment.timestamp()) // (window_minutes * 60)


def current_code(secret_hex: str, window_minutes: int, now: datetime) -> str:
    """The code shown at the venue right now."""
    return _hotp(secret_hex).at(_window(window_minutes, now))


def code_is_valid(secret_hex: str, window_minutes: int, now: datetime, code: str) -> bool:
    """Accept the current window's code and the previous one (a member who read it just before it turned)."""
    hotp = _hotp(secret_hex)
    window = _window(window_minutes, now)
    return any(pyotp.utils.strings_equal(code, hotp.at(w)) for w in (window, window - 1))


def window_ends(window_minutes: int, now: datetime) -> datetime:
    """When the current code stops being the current one."""
    interval = window_minutes * 60
    start = int(now.timestamp()) // interval * interval
    return datetime.fromtimestamp(start + interval, tz=now.tzinfo)


@dataclass(frozen=True)
class CheckInLink:
    """The venue QR's /start payload, `ci-<session id>-<code>` (the format phones open from the screen at the venue)."""

    session_id: int
    code: str

    @property
    def payload(self) -> str:
        """'ci-<session>-<code>', well within Telegram's 64 characters of A-Za-z0-9_-."""
        return f"{DEEP_LINK_PREFIX}{self.session_id}-{self.code}"

    @classmethod
    def parse(cls, payload: str) -> "CheckInLink | None":
        """The link in a /start payload, or None when it is not a check-in link."""
        match = _DEEP_LINK.match(payload)
        if match is None:
            return None
        return cls(int(match.group(1)), match.group(2))


def deep_link_payload(session_id: int, code: str) -> str:
    """The /start payload of a QR code: 'ci-<session>-<code>'."""
    return CheckInLink(session_id, code).payload


def normalize_typed_code(text: str) -> str | None:
    """The six digits a person typed ('123 456', '123-456'), or None when it is not a code."""
    digits = re.sub(r"[\s\-.]", "", text)
    return digits if re.fullmatch(r"\d{6}", digits) else None
