"""The venue's session as coordinators ask for it: by kecamatan for /qr, and the secret its QR code shows."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.checkin.rules import OutOfScope, session_of_kecamatan
from bot.core.identity import CoordinatorScope
from bot.core.regions import KecamatanNotFound, WilayahEmpty, load_wilayah_index, resolve_kecamatan
from bot.plan.views import SessionView, session_view
from models import TrainingSession


async def session_for_kecamatan(
    session: AsyncSession, scope: CoordinatorScope, kecamatan_name: str | None
) -> SessionView | None:
    """The session of the kecamatan a coordinator names (by code or name; their own when they name none).

    None when that kecamatan has no session. Raises bot.core.regions.KecamatanNotFound (with "did you
    mean" suggestions) for a name no single kecamatan has, and OutOfScope for another coordinator's.
    """
    if kecamatan_name:
        try:
            index = await load_wilayah_index(session, with_desa=False)
        except WilayahEmpty:
            raise KecamatanNotFound(kecamatan_name.strip()) from None
        kecamatan_id = resolve_kecamatan(index, kecamatan_name).id
    elif scope.kecamatan_id is not None:
        kecamatan_id = scope.kecamatan_id
    else:
        return None
    if not scope.covers(kecamatan_id):
        raise OutOfScope()
    training = await session_of_kecamatan(session, kecamatan_id)
    return session_view(training) if training is not None else None


async def session_by_id(session: AsyncSession, session_id: int) -> SessionView | None:
    """A session by its id."""
    row = await session.get(
        TrainingSession,
        session_id,
        options=[joinedload(TrainingSession.kecamatan), joinedload(TrainingSession.desa)],
    )
    return session_view(row) if row is not None else None


async def session_secret(session: AsyncSession, session_id: int) -> str | None:
    """The secret of a session's rotating codes (only for rendering the venue's QR)."""
    return await session.scalar(select(TrainingSession.secret).where(TrainingSession.id == session_id))
