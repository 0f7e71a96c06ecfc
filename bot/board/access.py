"""Who may see the board: a Telegram Mini App's initData or a projector link, then the bot's own role check."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.board.init_data import InitDataRefused, validate_init_data
from bot.board.links import link_owner
from bot.board.snapshot import Viewer
from bot.core.identity import identify
from models import Coordinator, TelegramAccount

__all__ = [
    "BoardDenied",
    "BoardUnauthorized",
    "Credentials",
    "board_viewer",
    "coordinator_user_ids",
    "parse_authorization",
]


class BoardUnauthorized(Exception):
    """No proof of who is asking (HTTP 401); `reason` is a short English word for the log and the JSON."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BoardDenied(Exception):
    """A genuine person who is no coordinator (HTTP 403)."""


@dataclass(frozen=True)
class Credentials:
    """What the page sent: `tma <initData>` or `link <token>`."""

    scheme: str
    value: str


def parse_authorization(value: str | None) -> Credentials:
    """Read an Authorization value (or the `auth=` parameter of the event stream); raise BoardUnauthorized."""
    if not value:
        raise BoardUnauthorized("missing")
    scheme, _, rest = value.strip().partition(" ")
    scheme = scheme.lower()
    if scheme not in ("tma", "link") or not rest.strip():
        raise BoardUnauthorized("malformed")
    return Credentials(scheme, rest.strip())


async def _name(session: AsyncSession, telegram_user_id: int) -> str:
    account = await session.get(TelegramAccount, telegram_user_id)
    return account.first_name if account is not None else ""


async def board_viewer(
    session: AsyncSession,
    credentials: Credentials,
    *,
    bot_token: str,
    admins: frozenset[int],
    now: datetime,
    max_age_seconds: int,
) -> Viewer:
    """The coordinator behind the credentials with their scope, checked now (a role taken away ends it)."""
    if credentials.scheme == "tma":
        try:
            user = validate_init_data(credentials.value, bot_token, now=now, max_age_seconds=max_age_seconds)
        except InitDataRefused as refused:
            raise BoardUnauthorized(refused.reason) from None
        user_id, name = user.id, user.full_name
    else:
        owner = await link_owner(session, credentials.value, now=now)
        if owner is None:
            raise BoardUnauthorized("link_not_valid")
        user_id, name = owner, ""
    identity = await identify(session, user_id, admins=admins, default_language="id")
    if identity.coordinator is None:
        raise BoardDenied
    if identity.member is not None:
        name = identity.member.name
    return Viewer(name=name or await _name(session, user_id), scope=identity.coordinator)


async def coordinator_user_ids(session: AsyncSession) -> list[int]:
    """The Telegram ids of every coordinator who has registered with the bot (admins from the config aside)."""
    ids = await session.scalars(
        select(Coordinator.telegram_user_id).where(Coordinator.telegram_user_id.is_not(None))
    )
    return [i for i in ids if i is not None]
