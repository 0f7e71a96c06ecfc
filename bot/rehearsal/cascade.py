"""The rehearsal's cascade: after the day, the first [[desa_bimtek]] desa runs its Pantarlih Bimtek end to end.

Its PPS (a simulated member who registered) moves the desa's session to this evening with /bimtek_baru,
sends the desa's Pantarlih list as a CSV document, three Pantarlih register through the contact button,
the PPS shows /qr and two of them check in by its deep link; the PPS's /rekap closes it. Every step goes
through the bot and the sandbox, as the people would do it.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.clock import ScaledClock
from bot.core.db import SessionFactory
from bot.rehearsal.people import Person, Registration
from bot.rehearsal.report import Printer
from bot.sandbox import Sandbox, SimUser
from models import PPS_POSITIONS, Desa, Member, TrainingSession

PANTARLIH = ("Agus Pantarlih", "Rina Pantarlih", "Yayan Pantarlih")
CODE = re.compile(r"\b(\d{6})\b")


@dataclass(frozen=True)
class _Target:
    session_id: int
    desa_id: int
    desa: str
    venue: str


async def _target(factory: SessionFactory) -> _Target | None:
    async with factory() as session:
        row = (
            await session.execute(
                select(TrainingSession.id, TrainingSession.desa_id, Desa.name, TrainingSession.venue)
                .join(Desa, Desa.id == TrainingSession.desa_id)
                .order_by(TrainingSession.starts_at, TrainingSession.id)
                .limit(1)
            )
        ).first()
    if row is None or row[1] is None:
        return None
    return _Target(row[0], row[1], row[2], row[3])


async def _pps_of(factory: SessionFactory, desa_id: int, people: list[Person]) -> Person | None:
    async with factory() as session:
        ids = set(
            await session.scalars(
                select(Member.id).where(
                    Member.desa_id == desa_id,
                    Member.position.in_(PPS_POSITIONS),
                    Member.telegram_user_id.is_not(None),
                    Member.active.is_(True),
                )
            )
        )
    return next(
        (p for p in people if p.member_id in ids and p.registration is not Registration.BLOCKED and p.user),
        None,
    )


async def _answer(user: SimUser, text: str, timeout: float) -> str:
    """Wait for a new bot message containing `text`; its text."""
    seen = len(user.messages)
    message = await user.wait_for(lambda m: text in m.text and user.messages.index(m) >= seen - 1, timeout)
    return message.text


async def rehearse_cascade(
    sandbox: Sandbox,
    factory: SessionFactory,
    people: list[Person],
    clock: ScaledClock,
    printer: Printer,
    zone: ZoneInfo,
    timeout: float,
) -> None:
    """Run one desa's Pantarlih Bimtek through the bot; print what happened (nothing when the plan has none)."""
    target = await _target(factory)
    if target is None:
        return
    pps = await _pps_of(factory, target.desa_id, people)
    if pps is None or pps.user is None:
        printer.say("rh.cascade_no_pps", desa=target.desa)
        return
    user = pps.user
    printer.say("rh.cascade_title", desa=target.desa, name=pps.name)

    # The PPS moves the desa's Bimtek to this evening (the plan's date is weeks away).
    start = (clock.now() + timedelta(minutes=40)).astimezone(zone)
    end = start + timedelta(hours=3)
    await user.send_text("/bimtek_baru")
    await user.press("Pantarlih", timeout=timeout)
    await user.press("Ubah", timeout=timeout)
    await user.wait_for(lambda m: "Kapan Bimtek dimulai" in m.text, timeout)
    await user.send_text(f"{start:%d/%m/%Y %H:%M}")
    await user.wait_for(lambda m: "Selesai jam berapa" in m.text, timeout)
    await user.send_text(f"{end:%H:%M}")
    await user.wait_for(lambda m: "Di mana tempatnya" in m.text, timeout)
    await user.send_text(target.venue)
    await user.press("1 jam sebelum", timeout=timeout)
    await user.press("Simpan", timeout=timeout)
    await user.wait_for(lambda m: "diperbarui" in m.text, timeout)
    printer.say("rh.cascade_scheduled", start=f"{start:%d/%m/%Y %H.%M}", venue=target.venue)

    # The desa's Pantarlih list, as a document; then they register with the contact button.
    phones = [f"0819{target.desa_id % 10000:04d}{n:04d}" for n in range(1, len(PANTARLIH) + 1)]
    roster = "nama;jabatan;tps;telepon\n" + "".join(
        f"{name};Pantarlih;{n};{phone}\n"
        for n, (name, phone) in enumerate(zip(PANTARLIH, phones, strict=True), 1)
    )
    await user.send_document(roster.encode(), "pantarlih.csv", mime_type="text/csv")
    await user.wait_for(lambda m: "Daftar desa" in m.text, timeout)
    pantarlih = [
        sandbox.new_user(name.split()[0], phone_number=phone)
        for name, phone in zip(PANTARLIH, phones, strict=True)
    ]
    for person in pantarlih:
        await person.send_text("/daftar")
        await person.wait_for(lambda m: bool(m.keyboard), timeout)
        await person.share_contact()
        await person.press("Ya, benar", timeout=timeout)
        await person.wait_for(lambda m: "Pendaftaran berhasil" in m.text, timeout)
    printer.say("rh.cascade_registered", count=len(pantarlih))

    # At the venue: the PPS shows the QR, two of the three scan it.
    await user.send_text("/qr")
    photo = await user.wait_for(lambda m: m.kind == "photo" and bool(CODE.search(m.text)), timeout)
    found = CODE.search(photo.text)
    assert found is not None
    code = found.group(1)
    present = 0
    for person in pantarlih[:2]:
        await person.send_text(f"/start ci-{target.session_id}-{code}")
        answer = await person.wait_for(lambda m: "Presensi" in m.text or "presensi" in m.text, timeout)
        present += "Presensi tercatat" in answer.text
    await user.send_text("/rekap")
    recap = await user.wait_for(lambda m: "Rekap Bimtek desa" in m.text, timeout)
    printer.say(
        "rh.cascade_done",
        present=present,
        total=len(pantarlih),
        recap=" | ".join(line for line in recap.text.splitlines() if line.strip()),
    )
