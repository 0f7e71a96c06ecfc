"""The benchmarks' worlds: a database filled once and copied per run, the Lebak roster and plan, and the
members registered to the sandbox's simulated people."""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, make_url, select, text, update
from sqlalchemy.ext.asyncio import create_async_engine

from bench.host import SandboxHost
from bot.core.config import Config, DatabaseConfig, DeliveryConfig, LoggingConfig, TelegramConfig
from bot.core.db import SessionFactory, make_engine, make_session_factory, upgrade_to_head
from bot.data import LEBAK_WILAYAH_CSV
from bot.plan.parsing import parse_plan, read_plan_file
from bot.plan.sessions import import_plan
from bot.roster.importer import import_roster
from bot.roster.synthetic import synthetic_roster
from bot.roster.wilayah import import_wilayah, read_wilayah_file
from models import CheckIn, Member, Position, TelegramAccount, TrainingSession

REPO_ROOT = Path(__file__).resolve().parent.parent
WILAYAH_CSV = LEBAK_WILAYAH_CSV
LEBAK_PLAN = REPO_ROOT / "bot" / "plans" / "lebak_bimtek_2024.toml"
WIB = ZoneInfo("Asia/Jakarta")
TRAINING_MORNING = datetime(2024, 6, 3, 7, 30, tzinfo=WIB)
"""The bot's (manual) clock in every run: the training day, check-in open (07.00–09.00 WIB)."""
FIRST_SIM_USER_ID = 700_000_001
"""The sandbox numbers its simulated people from here, in creation order."""
ACTOR = "bench"


def async_database_url(url: str) -> str:
    """``postgresql://…`` (as people write it) → ``postgresql+asyncpg://…`` (what the bot's engine takes)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+asyncpg://" + url.removeprefix(plain)
    return url


async def _admin(admin_url: str, statement: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


class DatabaseTemplate:
    """A migrated database, filled once by the caller; every run gets a copy of its own."""

    def __init__(self, kind: str, url: str, *, workdir: Path, admin_url: str | None, name: str) -> None:
        self.kind = kind
        self.url = url
        self._workdir = workdir
        self._admin_url = admin_url
        self._name = name
        self._copies: list[str] = []

    @classmethod
    async def create(
        cls, kind: str, label: str, *, workdir: Path, postgres_url: str | None
    ) -> DatabaseTemplate:
        """A new, migrated, empty database: a SQLite file in ``workdir`` or a PostgreSQL database."""
        if kind == "sqlite":
            path = workdir / f"{label}.sqlite3"
            template = cls(kind, f"sqlite+aiosqlite:///{path}", workdir=workdir, admin_url=None, name=label)
        else:
            if postgres_url is None:
                raise ValueError("a PostgreSQL URL is needed")
            admin_url = async_database_url(postgres_url)
            name = f"ppsbench_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
            await _admin(admin_url, f'CREATE DATABASE "{name}"')
            url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
            template = cls(kind, url, workdir=workdir, admin_url=admin_url, name=name)
        engine = make_engine(template.url)
        try:
            await upgrade_to_head(engine)
        finally:
            await engine.dispose()
        return template

    async def copy(self) -> str:
        """The URL of a fresh copy (every engine on the template must be disposed of first)."""
        number = len(self._copies) + 1
        if self._admin_url is None:
            source = Path(make_url(self.url).database or "")
            target = self._workdir / f"{self._name}-{number}.sqlite3"
            shutil.copyfile(source, target)
            url = f"sqlite+aiosqlite:///{target}"
        else:
            name = f"{self._name}_{number}"
            await _admin(self._admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{self._name}"')
            url = make_url(self._admin_url).set(database=name).render_as_string(hide_password=False)
        self._copies.append(url)
        return url

    async def drop(self) -> None:
        """Remove the PostgreSQL databases (SQLite files go with the work folder)."""
        if self._admin_url is None:
            return
        for url in [*self._copies, self.url]:
            name = make_url(url).database
            await _admin(self._admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._copies.clear()


@dataclass(frozen=True)
class Person:
    """A registered PPS member: roster id, Telegram id (a simulated person's) and their venue."""

    member_id: int
    telegram_id: int
    latitude: float
    longitude: float


async def build_lebak(url: str, registered: int) -> list[Person]:
    """Lebak's 28 kecamatan and 345 desa, a synthetic roster (1,035 PPS + 140 PPK), the example plan
    (a session per kecamatan, check-in radius 300 m), and the first ``registered`` PPS on Telegram."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        wilayah = read_wilayah_file(WILAYAH_CSV)
        async with factory() as session, session.begin():
            await import_wilayah(session, wilayah, actor=ACTOR, source_name=WILAYAH_CSV.name)
        async with factory() as session, session.begin():
            await import_roster(
                session, synthetic_roster(wilayah, seed=1), actor=ACTOR, source_name="synthetic"
            )
        document = parse_plan(read_plan_file(LEBAK_PLAN), source=LEBAK_PLAN.name, default_zone=WIB)
        async with factory() as session, session.begin():
            await import_plan(session, document, actor=ACTOR, source_name=LEBAK_PLAN.name)
        return await register(factory, registered)
    finally:
        await engine.dispose()


async def register(factory: SessionFactory, count: int) -> list[Person]:
    """Link the first ``count`` PPS members (by id) to Telegram ids 700000001, 700000002, … as /daftar would;
    those are the ids a new sandbox gives the people it creates, in order."""
    async with factory() as session, session.begin():
        rows = (
            await session.execute(
                select(Member.id, TrainingSession.latitude, TrainingSession.longitude)
                .outerjoin(
                    TrainingSession,
                    (TrainingSession.kecamatan_id == Member.kecamatan_id) & TrainingSession.desa_id.is_(None),
                )
                .where(Member.active.is_(True), Member.position != Position.PPK)
                .order_by(Member.id)
                .limit(count)
            )
        ).all()
        people = [
            Person(member_id, FIRST_SIM_USER_ID + k, latitude or 0.0, longitude or 0.0)
            for k, (member_id, latitude, longitude) in enumerate(rows)
        ]
        now = datetime.now(UTC)
        if people:
            await session.execute(
                insert(TelegramAccount),
                [
                    {"id": p.telegram_id, "first_name": f"PPS {k + 1}", "reachable": True, "created_at": now}
                    for k, p in enumerate(people)
                ],
            )
            await session.execute(
                update(Member),
                [
                    {"id": p.member_id, "telegram_user_id": p.telegram_id, "registered_at": now}
                    for p in people
                ],
            )
    return people


async def count_check_ins(url: str) -> int:
    """Check-ins recorded in a run's database."""
    engine = make_engine(url)
    try:
        async with make_session_factory(engine)() as session:
            return await session.scalar(select(func.count()).select_from(CheckIn)) or 0
    finally:
        await engine.dispose()


def bot_config(host: SandboxHost, database_url: str, *, rate: float = 25.0, paid: bool = False) -> Config:
    """The bot's config for a run: the sandbox, the run's database, the delivery rate (default: 25/s)."""
    sandbox = host.sandbox
    return Config(
        telegram=TelegramConfig(
            token=sandbox.token, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url
        ),
        database=DatabaseConfig(url=database_url),
        delivery=DeliveryConfig(rate_per_second=rate, paid_broadcast=paid),
        logging=LoggingConfig(level="WARNING"),
    )


def config_toml(host: SandboxHost, database_url: str) -> str:
    """The same config as a file, for `python -m bot run --config FILE` in a child process."""
    sandbox = host.sandbox
    return (
        "[telegram]\n"
        f'token = "{sandbox.token}"\n'
        f'base_url = "{sandbox.base_url}"\n'
        f'base_file_url = "{sandbox.base_file_url}"\n'
        "[database]\n"
        f'url = "{database_url}"\n'
        "[logging]\n"
        'level = "WARNING"\n'
    )
