"""`rehearse --board`: the live board served beside the rehearsed day, opened with a projector link."""

import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.board.links import create_link
from bot.core.config import BoardConfig
from bot.core.db import SessionFactory
from bot.sandbox import Sandbox
from models import Coordinator, TelegramAccount

# The rehearsal's regency coordinator: whose board the printed link shows.
COORDINATOR_PHONE = "+6281100000000"
COORDINATOR_NAME = "Koordinator Gladi"


def board_config(port: int) -> BoardConfig:
    """The board on its own server at 127.0.0.1 (a free port unless one is asked for), updated every 2 s."""
    if port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
    # No tiles: the rehearsal is offline by design (the map draws the venues on a plain background).
    return BoardConfig(enabled=True, port=port, refresh_seconds=2, tile_url="")


async def board_link(
    factory: SessionFactory,
    sandbox: Sandbox,
    board: BoardConfig,
    *,
    now: datetime,
    until: datetime,
    zone: ZoneInfo,
) -> str:
    """A regency coordinator for the rehearsal and their projector link, valid until the day's end."""
    user = sandbox.new_user(COORDINATOR_NAME)
    async with factory() as session, session.begin():
        session.add(TelegramAccount(id=user.id, first_name=COORDINATOR_NAME, reachable=True))
        await session.flush()
        session.add(Coordinator(phone=COORDINATOR_PHONE, kecamatan_id=None, telegram_user_id=user.id))
        token, _ = await create_link(
            session, user.id, now=now, zone=zone, expires_at=until + timedelta(hours=1)
        )
    return f"{board.local_url}?t={token}"
