"""Rotating check-in codes: six digits from a session's secret and the time window (RFC 6238 style)."""

import base64
import re
from datetime import datetime

import pyotp

CODE_DIGITS = 6
DEEP_LINK_PREFIX = "ci-"
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


def deep_link_payload(session_id: int, code: str) -> str:
    """The /start payload of a QR code: 'ci-<session>-<code>' (well within Telegram's 64 characters)."""
    return f"{DEEP_LINK_PREFIX}{session_id}-{code}"


def parse_deep_link(payload: str) -> tuple[int, str] | None:
    """(session id, code) from a check-in payload, or None when it is not one."""
    match = _DEEP_LINK.match(payload)
    if match is None:
        return None
    return int(match.group(1)), match.group(2)


def normalize_typed_code(text: str) -> str | None:
    """The six digits a person typed ('123 456', '123-456'), or None when it is not a code."""
    digits = re.sub(r"[\s\-.]", "", text)
    return digits if re.fullmatch(r"\d{6}", digits) else None
