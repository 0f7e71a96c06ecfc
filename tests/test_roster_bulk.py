"""The bulk roster write (COPY on PostgreSQL, one executemany on SQLite) stays inside the caller's transaction:
a failure after it leaves nothing behind, and what it stores reads back like any member."""

from __future__ import annotations

from datetime import UTC

import pytest
from factories import LEBAK_MEMBERS, count_rows, import_lebak_wilayah, lebak_roster, members_by_phone
from sqlalchemy import select

from bot.core.db import SessionFactory
from bot.roster.importer import apply_roster, compare_roster, import_roster
from models import ROSTER_POSITIONS, AuditLog, Member


class AfterTheWrite(Exception):
    """Raised inside the transaction once the members are written."""


async def test_a_failure_after_the_bulk_write_leaves_no_member(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    with pytest.raises(AfterTheWrite):
        async with session_factory() as session, session.begin():
            summary = await import_roster(session, lebak_roster(), actor="test", source_name="r.csv")
            assert summary.new == LEBAK_MEMBERS
            raise AfterTheWrite
    assert await count_rows(session_factory, Member) == 0
    assert await count_rows(session_factory, AuditLog) == 1  # the region list's, not the roster's


async def test_a_write_opening_its_transaction_is_still_all_or_nothing(
    session_factory: SessionFactory,
) -> None:
    await import_lebak_wilayah(session_factory)
    async with session_factory() as session:
        diff = await compare_roster(session, lebak_roster())
    # A fresh transaction whose first statement is the bulk write: it must not commit on its own.
    with pytest.raises(AfterTheWrite):
        async with session_factory() as session, session.begin():
            await apply_roster(session, diff, actor="test", source_name="r.csv")
            raise AfterTheWrite
    assert await count_rows(session_factory, Member) == 0


async def test_bulk_written_members_read_back_as_written(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    rows = lebak_roster()
    async with session_factory() as session, session.begin():
        await import_roster(session, rows, actor="test", source_name="r.csv")
    stored = await members_by_phone(session_factory)
    assert len(stored) == LEBAK_MEMBERS
    assert all(state.active for state in stored.values())
    assert {state.position for state in stored.values()} == set(ROSTER_POSITIONS)
    async with session_factory() as session:
        member = (await session.execute(select(Member).order_by(Member.id).limit(1))).scalar_one()
    assert member.created_at.tzinfo is UTC and member.created_at == member.updated_at
    assert member.telegram_user_id is None and member.registered_at is None
