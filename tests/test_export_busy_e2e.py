"""/ekspor of a large regency runs off the event loop: another person is answered before the file.

20,000 members keep the child process busy for seconds, long enough to show the loop is free, at a cost CI can
carry every run; `python -m bench --members 150000` measures the full size (figure 5)."""

import io
import zipfile
from datetime import UTC, datetime

from sqlalchemy import Integer, String, cast, func, insert, literal, select, true

from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox
from models import Desa, Member, Position
from tests.seed import link_telegram, seed_coordinator, seed_members, seed_session

MEMBERS = 20_000
EXPORT_TIMEOUT = 300.0
"""A deadline, not a wait: the rows are read, pickled and written by a child process on a loaded machine."""
XLSX_SIGNATURE = b"PK\x03\x04"


async def _bulk_members(factory: SessionFactory, desa_name: str, count: int) -> None:
    """`count` PPS members in the desa, made by the database itself (a recursive row generator): fast."""
    now = datetime(2024, 6, 1, tzinfo=UTC)
    async with factory() as session, session.begin():
        desa = (await session.execute(select(Desa.id, Desa.kecamatan_id).where(Desa.name == desa_name))).one()
        n = select(literal(1, Integer).label("i")).cte("n", recursive=True)
        n = n.union_all(select(n.c.i + 1).where(n.c.i < count))
        rows = select(
            literal("Anggota ", String) + cast(n.c.i, String),
            literal(Position.ANGGOTA, Member.position.type),
            literal(desa.kecamatan_id, Integer),
            literal(desa.id, Integer),
            literal("+628", String) + cast(n.c.i + 1_000_000_000, String),
            true(),
            literal(now, Member.created_at.type),
            literal(now, Member.updated_at.type),
        )
        columns = [
            "name",
            "position",
            "kecamatan_id",
            "desa_id",
            "phone",
            "active",
            "created_at",
            "updated_at",
        ]
        await session.execute(insert(Member).from_select(columns, rows))
        assert await session.scalar(select(func.count(Member.id))) == count + 1


async def test_a_member_is_answered_while_a_large_export_is_built(
    running_bot: BotApplication, sandbox: Sandbox, session_factory: SessionFactory
) -> None:
    [siti] = await seed_members(session_factory, [("Siti Aminah", Position.KETUA, "+6281234567801")])
    await seed_session(session_factory)
    await _bulk_members(session_factory, "Sukamanah", MEMBERS - 1)
    kpu = sandbox.new_user("Bu KPU")
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=kpu.id)
    member = sandbox.new_user("Siti Aminah")
    await link_telegram(session_factory, siti.id, member.id)

    await kpu.send_text("/ekspor")
    preparing = await kpu.next_message(timeout=30)
    assert "Menyiapkan" in preparing.text and "20.000" in preparing.text

    # The export is being built now. Someone else asks for their schedule: the answer comes first.
    await member.send_text("/jadwal")
    place = await member.next_message(timeout=30)
    assert place.method == "sendVenue"
    assert kpu.unread == [], "the export arrived before the other person's answer"

    sent = await kpu.next_message(timeout=EXPORT_TIMEOUT)
    assert sent.method == "sendDocument"
    assert sent.document is not None and sent.document.startswith(XLSX_SIGNATURE)
    assert "PPS hadir 0 dari 20.000" in sent.text
    # The kecamatan's sheet (the second, after the summary) holds the header and a row per member. Counted in
    # the XML itself: parsing 1.35 million cells back with openpyxl would cost as much as writing them.
    with zipfile.ZipFile(io.BytesIO(sent.document)) as workbook:
        assert "Malingping" in workbook.read("xl/workbook.xml").decode()
        sheet = workbook.read("xl/worksheets/sheet2.xml")
    assert sheet.count(b"<row ") == MEMBERS + 1
    assert b">Siti Aminah<" in sheet  # write-only sheets keep their strings inline
