"""Retention and the audit on the real command line: `purge [--dry-run]` removes only what is past the retention,
`audit export` writes who accessed personal data; and the retention rule waits for the plan to be over."""

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import bot_cli
from sqlalchemy import func, select

from bot.app import build_application, running
from bot.core.clock import ManualClock
from bot.core.config import PrivacyConfig
from bot.core.db import SessionFactory
from bot.privacy.retention import PURGED_TEXT, purge, retention_cutoff
from bot.sandbox import Sandbox
from models import (
    AuditLog,
    Broadcast,
    BroadcastStatus,
    CheckIn,
    CheckInMethod,
    Delivery,
    DeliveryStatus,
    Duty,
    DutyCompletion,
    Member,
    Position,
    RegistrationAttempt,
    RegistrationFailure,
)
from tests.conftest import sandbox_config
from tests.seed import seed_members, seed_session

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=200)  # past the default 180 days
RECENT = NOW - timedelta(days=10)


def _config(tmp_path: Path, database_url: str, extra: str = "") -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{database_url}"\n{extra}', encoding="utf-8")
    return config


async def _seed_old_and_recent(factory: SessionFactory) -> tuple[int, int]:
    """For each kind, one record from 200 days ago and one from 10 days ago; a roster and a check-in."""
    siti, budi = await seed_members(
        factory, [("Siti", Position.KETUA, "+6281234567801"), ("Budi", Position.ANGGOTA, "+6281234567802")]
    )
    session_id = await seed_session(factory)  # the plan's day is 3 June 2024: long over
    async with factory() as session, session.begin():
        session.add(
            CheckIn(
                session_id=session_id, member_id=siti.id, at=OLD, method=CheckInMethod.CODE, distance_m=None
            )
        )
        for when, label in ((OLD, "lama"), (RECENT, "baru")):
            broadcast = Broadcast(
                body_html=f"Pengumuman {label}",
                audience={"kind": "all", "kecamatan_ids": []},
                send_at=when,
                finished_at=when,
                status=BroadcastStatus.DONE,
            )
            session.add(broadcast)
            await session.flush()
            for member in (siti, budi):
                session.add(
                    Delivery(
                        broadcast_id=broadcast.id,
                        member_id=member.id,
                        chat_id=1000 + member.id,
                        status=DeliveryStatus.SENT,
                        updated_at=when,
                    )
                )
            session.add(
                AuditLog(at=when, actor="tg:42", action=f"access.export_attendance.{label}", detail={})
            )
            session.add(
                RegistrationAttempt(
                    telegram_user_id=7,
                    phone="+6285700000000",
                    reason=RegistrationFailure.NOT_ON_ROSTER,
                    created_at=when,
                )
            )
    return siti.id, budi.id


async def _counts(factory: SessionFactory) -> dict[str, int]:
    async with factory() as session:

        async def count(model: type, *where: object) -> int:
            return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]

        return {
            "deliveries": await count(Delivery),
            "texts": await count(Broadcast, Broadcast.body_html != PURGED_TEXT),
            "audit": await count(AuditLog, AuditLog.action.like("access.export_attendance.%")),
            "attempts": await count(RegistrationAttempt),
            "members": await count(Member),
            "check_ins": await count(CheckIn),
        }


async def test_purge_removes_only_what_is_past_the_retention_and_dry_run_changes_nothing(
    database_url: str, session_factory: SessionFactory, tmp_path: Path
) -> None:
    await _seed_old_and_recent(session_factory)
    config = _config(tmp_path, database_url)
    before = await _counts(session_factory)
    assert before == {"deliveries": 4, "texts": 2, "audit": 2, "attempts": 2, "members": 2, "check_ins": 1}

    code, output = await bot_cli("purge", "--dry-run", config=config)
    assert code == 0, output
    lines = output.strip().splitlines()[1:]  # after "Basis data: …"
    assert lines[0].startswith("Uji coba (--dry-run), tidak ada yang diubah.")
    assert lines[1:] == [
        "  catatan pengiriman pesan: 2",
        "  catatan pengiriman akun yang dihapus: 0",
        "  isi pengumuman yang sudah selesai: 1",
        "  catatan audit: 1",
        "  percobaan pendaftaran yang ditolak: 1",
        "  lokasi: 0 (presensi hanya menyimpan jarak, tidak pernah titik lokasi)",
        "Jumlah yang akan dihapus: 5. Jalankan tanpa --dry-run untuk menghapus.",
    ]
    assert await _counts(session_factory) == before

    code, output = await bot_cli("purge", config=config)
    assert code == 0, output
    assert output.strip().splitlines()[-1] == "Jumlah: 5."
    assert await _counts(session_factory) == {
        "deliveries": 2,
        "texts": 1,
        "audit": 1,
        "attempts": 1,
        "members": 2,  # the roster and the attendance are the official record: never purged
        "check_ins": 1,
    }
    async with session_factory() as session:
        kept = set(await session.scalars(select(Broadcast.body_html)))
        assert kept == {PURGED_TEXT, "Pengumuman baru"}
        assert set(await session.scalars(select(Delivery.updated_at))) == {RECENT}

    code, output = await bot_cli("purge", config=config)  # nothing left to do the second time
    assert output.strip().splitlines()[-1] == "Jumlah: 0."


async def test_nothing_is_purged_until_the_plan_is_retain_days_over(session_factory: SessionFactory) -> None:
    await _seed_old_and_recent(session_factory)
    async with session_factory() as session, session.begin():
        session.add(
            Duty(
                title="Coklit",
                due_at=NOW + timedelta(days=30),  # the plan goes on: its last date is still ahead
                audience={"kind": "pps", "kecamatan_ids": []},
                completion=DutyCompletion.MEMBER,
            )
        )
    before = await _counts(session_factory)
    async with session_factory() as session, session.begin():
        report = await purge(session, now=NOW, retain_days=180, dry_run=False)
    assert report.cutoff is None and report.total == 0
    assert report.kept_until == NOW + timedelta(days=30 + 180)
    assert await _counts(session_factory) == before


def test_the_cutoff_is_retain_days_ago_once_the_plan_is_that_long_over() -> None:
    end = datetime(2024, 11, 27, tzinfo=UTC)
    assert retention_cutoff(end + timedelta(days=179), 180, end) == (None, end + timedelta(days=180))
    assert retention_cutoff(end + timedelta(days=181), 180, end) == (end + timedelta(days=1), None)
    assert retention_cutoff(end, 180, None) == (end - timedelta(days=180), None)


async def test_audit_export_lists_who_accessed_personal_data_and_changed_roles(
    database_url: str, session_factory: SessionFactory, tmp_path: Path
) -> None:
    await seed_members(session_factory, [("Siti", Position.KETUA, "+6281234567801")])
    config = _config(tmp_path, database_url)
    for args in (
        ("coordinator", "add", "--phone", "081311110001", "--kecamatan", "Malingping"),
        ("report", "attendance", "--out", str(tmp_path / "hadir.csv")),
        ("coordinator", "remove", "--phone", "081311110001"),
    ):
        code, output = await bot_cli(*args, config=config)
        assert code == 0, output

    out = tmp_path / "audit.csv"
    code, output = await bot_cli("audit", "export", "--output", str(out), config=config)
    assert code == 0, output
    assert output.strip().splitlines()[-1] == f"Log audit ditulis ke {out}: 3 catatan."
    notice, header, *rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert notice[0].startswith("BERISI DATA PRIBADI")
    assert header == [
        "waktu",
        "pelaku",
        "nama pelaku (sekarang)",
        "koordinator (sekarang)",
        "tindakan",
        "rincian",
        "catatan",
    ]
    assert [(row[1], row[4]) for row in rows] == [
        ("cli", "coordinator.grant"),
        ("cli", "access.report_attendance"),
        ("cli", "coordinator.remove"),
    ]
    assert '"members": 1' in rows[1][5] and "hadir.csv" in rows[1][5] and "os_user" in rows[1][5]
    assert datetime.fromisoformat(rows[0][0]).utcoffset() == timedelta(hours=7)  # shown in WIB

    # The export itself is recorded, so the next export shows who took the audit out.
    code, output = await bot_cli("audit", "export", "--output", str(out), config=config)
    assert code == 0, output
    assert list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))[-1][4] == "access.audit_export"


@pytest.mark.parametrize("retain_days", ["0", '"180"'])
async def test_a_bad_retention_is_one_line(tmp_path: Path, retain_days: str) -> None:
    config = _config(
        tmp_path,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        f"[privacy]\nretain_days = {retain_days}\n",
    )
    code, output = await bot_cli("purge", config=config)
    assert code == 2
    [line] = output.strip().splitlines()
    assert "[privacy] retain_days" in line


async def test_purge_on_start_purges_when_the_bot_starts(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock
) -> None:
    await _seed_old_and_recent(session_factory)
    # The bot's clock decides: put it at the real now, as in production.
    clock.set(NOW)
    config = replace(sandbox_config(sandbox, database_url), privacy=PrivacyConfig(purge_on_start=True))
    async with running(build_application(config, clock=clock, per_chat_interval=0.0), poll_timeout=5):
        counts = await _counts(session_factory)
    assert counts == {"deliveries": 2, "texts": 1, "audit": 1, "attempts": 1, "members": 2, "check_ins": 1}
