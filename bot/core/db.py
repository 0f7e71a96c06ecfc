"""Database engine, session factory and schema migrations (Alembic is the only way the schema changes)."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.core.config import default_data_dir

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A server that does not answer should be reported in seconds, not after asyncpg's default minute.
POSTGRES_CONNECT_TIMEOUT_S = 10

SessionFactory = async_sessionmaker[AsyncSession]

# Execution option of the read path: on SQLite its transactions BEGIN deferred and never take the write lock.
READ_ONLY_OPTION = "ppsbot_readonly"


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE transactions."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and Path(database).parent == default_data_dir():
            # The default file lives in the data folder, which may not exist yet on a first run. A folder
            # named in the config must exist: a typo there should fail, not start an empty database.
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _tune_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("connect_args", {"timeout": POSTGRES_CONNECT_TIMEOUT_S})
    return create_async_engine(url, **kwargs)


def _tune_sqlite(engine: AsyncEngine) -> None:
    # pysqlite's own implicit BEGIN is deferred: two writers then both hold a read lock and one fails
    # with "database is locked" when it upgrades. Taking the write lock at BEGIN makes writers queue
    # on the busy timeout instead (the recipe in SQLAlchemy's SQLite dialect docs).
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # Reads (make_read_session_factory) are the exception: a deferred BEGIN only takes a snapshot, and in
    # WAL mode a reader never blocks a writer, so a long recap does not hold up check-ins.
    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions for one unit of work each; objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions for reads only (recaps, exports): on SQLite they never hold the write lock, so never write."""
    return async_sessionmaker(engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False)


def alembic_config(url: str) -> AlembicConfig:
    """Alembic configuration pointing at the project's migrations and the given database."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@dataclass(frozen=True)
class Migration:
    """What `upgrade_to_head` did: from `before` (None: an empty database) to `after` (the head)."""

    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        """True when at least one migration was applied."""
        return self.before != self.after


async def upgrade_to_head(engine: AsyncEngine) -> Migration:
    """Apply every migration not yet applied, on the engine's database; says from which revision to which."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))

    def _upgrade(connection: Connection) -> Migration:
        before = _revision_of(connection)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
        after = _revision_of(connection)
        assert after is not None
        return Migration(before, after)

    await check_reachable(engine)
    async with engine.begin() as conn:
        return await conn.run_sync(_upgrade)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    await check_reachable(engine)
    async with engine.connect() as conn:
        return await conn.run_sync(_revision_of)


def head_revision() -> str:
    """The newest migration of the code."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


async def ensure_schema(engine: AsyncEngine, *, auto_migrate: bool) -> None:
    """Make sure the schema is the code's: migrate when allowed (SQLite), else raise DatabaseUnavailable."""
    if auto_migrate:
        await upgrade_to_head(engine)
        return
    current, head = await current_revision(engine), head_revision()
    if current != head:
        raise DatabaseUnavailable(
            "not_migrated", engine.url.render_as_string(hide_password=True), current=current, head=head
        )


def _revision_of(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


# --- why a database cannot be used ---------------------------------------------------------------------

Problem = Literal["unreachable", "missing", "folder_missing", "refused_login", "not_migrated"]

# PostgreSQL's SQLSTATE codes for "no such database" and "who are you" (class 28: authorization).
_MISSING_DATABASE_STATE = "3D000"
_LOGIN_STATES = ("28000", "28P01")


class DatabaseUnavailable(Exception):
    """The configured database cannot be used; `problem` says why, for the command line to explain.

    `url` has its password masked; `current`/`head` are the revisions of a database that is not migrated.
    """

    def __init__(
        self, problem: Problem, url: str, *, current: str | None = None, head: str | None = None
    ) -> None:
        self.problem = problem
        self.url = url
        self.current = current
        self.head = head
        super().__init__(
            f"{problem}: {url}" + (f" (at {current or 'none'}, code needs {head})" if head else "")
        )


async def check_reachable(engine: AsyncEngine) -> None:
    """Connect once; raise DatabaseUnavailable when the database is not there to be used (folder, server,
    database or login), so a command can say which, in one line."""
    await _require_sqlite_folder(engine)
    try:
        async with engine.connect():
            pass
    except Exception as error:
        problem = _diagnose(error, engine.url.render_as_string(hide_password=True))
        if problem is None:
            raise
        raise problem from error


def _diagnose(error: BaseException, masked: str) -> DatabaseUnavailable | None:
    """The DatabaseUnavailable that `error`, raised while connecting, amounts to (None: something else)."""
    for cause in _chain(error):
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if state == _MISSING_DATABASE_STATE:
            return DatabaseUnavailable("missing", masked)
        if state in _LOGIN_STATES:
            return DatabaseUnavailable("refused_login", masked)
        if isinstance(cause, OSError):  # refused, unknown host, timed out: nothing answers at that address
            return DatabaseUnavailable("unreachable", masked)
    return None


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


async def _require_sqlite_folder(engine: AsyncEngine) -> None:
    # Checked before connecting: a failed aiosqlite connect leaves a thread behind that prints its own
    # traceback once the event loop is closed.
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if not Path(database).parent.is_dir():
        raise DatabaseUnavailable("folder_missing", engine.url.render_as_string(hide_password=True))


async def refresh_statistics(factory: SessionFactory, *tables: str) -> None:
    """After a bulk load on PostgreSQL, ANALYZE the tables it filled, as PostgreSQL's documentation advises.

    Until autovacuum gets to them the planner has no statistics, and the first regency /rekap after importing
    150,000 members took 6.2 s instead of 0.3 s (bench figure 5). SQLite needs nothing. ``tables`` are the
    models' own table names, never input."""
    async with factory() as session:
        bind = session.get_bind()
        if bind.dialect.name != "postgresql":
            return
        for table in tables:
            await session.execute(text(f"ANALYZE {table}"))
        await session.commit()
