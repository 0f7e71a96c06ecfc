"""Telegram Mini App initData: checked with the bot token's HMAC exactly as Telegram documents it.

https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app:
secret = HMAC_SHA256(key="WebAppData", msg=bot_token); hash = hex(HMAC_SHA256(key=secret, msg=data_check_string)),
where data_check_string is every field but `hash` (and `signature`, the third-party Ed25519 one), sorted by
key, as "key=value" joined by "\n". Written with the standard library: the maintained package for this
(telegram-webapp-auth) needs `cryptography` for the Ed25519 check we do not use.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

__all__ = ["InitDataRefused", "WebAppUser", "sign_init_data", "validate_init_data"]

_UNSIGNED = frozenset({"hash", "signature"})
# initData is a few hundred bytes; a header this large is no initData.
MAX_INIT_DATA_LENGTH = 8192


class InitDataRefused(Exception):
    """initData that does not prove who opened the board; `reason` is a short English word for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user a valid initData names."""

    id: int
    first_name: str
    last_name: str
    language_code: str | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> bytes:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k not in _UNSIGNED).encode()


def validate_init_data(init_data: str, bot_token: str, *, now: datetime, max_age_seconds: int) -> WebAppUser:
    """The user of a genuine, fresh initData; raise InitDataRefused (forged, stale, malformed)."""
    if not init_data or len(init_data) > MAX_INIT_DATA_LENGTH:
        raise InitDataRefused("missing" if not init_data else "too_long")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataRefused("malformed") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataRefused("malformed")  # a repeated key: which one was signed?
    received = fields.get("hash", "")
    expected = hmac.new(_secret(bot_token), _check_string(fields), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, received.lower()):
        raise InitDataRefused("forged")
    try:
        auth_date = int(fields.get("auth_date", ""))
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (ValueError, KeyError, TypeError):
        raise InitDataRefused("malformed") from None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InitDataRefused("malformed")
    age = now.timestamp() - auth_date
    if age > max_age_seconds:
        raise InitDataRefused("stale")
    if age < -60:
        raise InitDataRefused("from_the_future")  # a minute of clock skew is forgiven
    return WebAppUser(
        id=user_id,
        first_name=str(user.get("first_name") or ""),
        last_name=str(user.get("last_name") or ""),
        language_code=user.get("language_code") if isinstance(user.get("language_code"), str) else None,
    )


def sign_init_data(
    bot_token: str, *, user_id: int, first_name: str, auth_date: datetime, language_code: str = "id"
) -> str:
    """initData as Telegram would give it to the page (for tests and the rehearsal's browser)."""
    user = {"id": user_id, "first_name": first_name, "language_code": language_code}
    fields = {
        "auth_date": str(int(auth_date.timestamp())),
        "query_id": f"AAE{user_id}",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
    }
    fields["hash"] = hmac.new(_secret(bot_token), _check_string(fields), hashlib.sha256).hexdigest()
    return urlencode(fields)
