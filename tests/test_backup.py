"""`python -m bot backup FILE`: an online SQLite copy taken while the bot writes, and the one-line refusals."""

import asyncio
import os
import shutil
import sqlite3
import sys
import threading
import time
from pathlib import Path

from conftest import REPO_ROOT

from bot.cli.backup import copy_sqlite
from bot.core.db import head_revision

DEADLINE_S = 30


class Writer(threading.Thread):
    """Another connection inserting rows one committed transaction at a time, as the running bot does."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.committed = 0  # the highest n committed so far
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            writer = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            writer.execute("PRAGMA journal_mode=WAL")
            # No checkpoint: the committed rows stay in the -wal file, which a plain file copy would miss.
            writer.execute("PRAGMA wal_autocheckpoint=0")
            n = 0
            while not self.stop.is_set():
                n += 1
                writer.execute("BEGIN IMMEDIATE")
                writer.execute("INSERT INTO probe (n, note) VALUES (?, ?)", (n, "x" * 200))
                writer.execute("COMMIT")
                self.committed = n
            writer.close()
        except BaseException as error:  # reported by the test
            self.error = error


def _wait_until(condition: object, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def _database(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "bot.sqlite3"
    shutil.copy(sqlite_template, path)
    with sqlite3.connect(path, isolation_level=None) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE probe (n INTEGER PRIMARY KEY, note TEXT NOT NULL)")
    return path


def _rows(path: Path) -> list[int]:
    copy = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [n for (n,) in copy.execute("SELECT n FROM probe ORDER BY n")]
    finally:
        copy.close()


def test_a_backup_taken_while_another_connection_writes_holds_every_row_committed_before_it(
    sqlite_template: Path, tmp_path: Path
) -> None:
    source = _database(sqlite_template, tmp_path)
    writer = Writer(source)
    writer.start()
    try:
        _wait_until(lambda: writer.committed >= 300 or writer.error, "the writer's first rows")
        committed_before = writer.committed
        copy = copy_sqlite(source, tmp_path / "backup.sqlite3")
        written_during = writer.committed
        _wait_until(lambda: writer.committed > written_during or writer.error, "the writer to go on")
    finally:
        writer.stop.set()
        writer.join(timeout=DEADLINE_S)
    assert writer.error is None
    assert Path(str(source) + "-wal").stat().st_size > 0  # the rows were still in the WAL, not checkpointed

    rows = _rows(copy.path)
    # Every row committed before the backup, and one consistent snapshot: no gap, nothing half-written.
    assert len(rows) >= committed_before
    assert rows == list(range(1, len(rows) + 1))
    assert copy.revision == head_revision()
    assert copy.size == copy.path.stat().st_size > 0
    # One self-contained file: no -wal beside the copy, and it opens in rollback-journal mode.
    assert not Path(str(copy.path) + "-wal").exists()
    with sqlite3.connect(copy.path) as check:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_transaction_open_during_the_backup_neither_blocks_it_nor_gets_into_it(
    sqlite_template: Path, tmp_path: Path
) -> None:
    source = _database(sqlite_template, tmp_path)
    writer = sqlite3.connect(source, isolation_level=None)
    writer.execute("INSERT INTO probe (n, note) VALUES (1, 'committed')")
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock through the backup
    writer.execute("INSERT INTO probe (n, note) VALUES (2, 'not committed')")
    try:
        copy = copy_sqlite(source, tmp_path / "backup.sqlite3")
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert _rows(copy.path) == [1]
    assert _rows(source) == [1, 2]


async def _backup(*args: str, env_extra: dict[str, str] | None = None) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")} | (env_extra or {})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "backup",
        *args,
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, stdout.decode(), stderr.decode()


async def test_the_command_writes_one_line_and_refuses_to_overwrite_without_force(
    sqlite_template: Path, tmp_path: Path
) -> None:
    source = _database(sqlite_template, tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{source}"\n', encoding="utf-8")
    target = tmp_path / "backups" / "ppsbot.sqlite3"
    target.parent.mkdir()

    code, stdout, stderr = await _backup(str(target), "--config", str(config))
    assert (code, stderr) == (0, "")
    database_line, written = stdout.splitlines()
    assert database_line == f"Basis data: sqlite+aiosqlite:///{source}"
    assert written.startswith(f"Cadangan ditulis: {target} (")
    assert f"revisi skema {head_revision()}." in written

    target.write_bytes(b"an older backup")
    code, stdout, stderr = await _backup(str(target), "--config", str(config))
    assert code == 2
    assert stderr.splitlines() == [
        f"Berkas {target} sudah ada dan tidak ditimpa. Pilih nama lain, atau tambahkan --force untuk menimpanya."
    ]
    assert target.read_bytes() == b"an older backup"

    code, stdout, stderr = await _backup(str(target), "--force", "--config", str(config))
    assert (code, stderr) == (0, "")
    assert _rows(target) == []  # a real database again, with the probe table


async def test_postgresql_is_told_the_pg_dump_command_in_one_line_with_the_password_masked(
    tmp_path: Path,
) -> None:
    url = "postgresql://bimtek:hunter2secret@db.internal:5433/ppsbot"
    code, stdout, stderr = await _backup(
        str(tmp_path / "ppsbot.dump"), env_extra={"PPSBOT_DATABASE_URL": url}
    )
    assert code != 0
    [line] = stderr.splitlines()
    assert (
        f"pg_dump --format=custom --file={tmp_path / 'ppsbot.dump'} "
        "'postgresql://bimtek:***@db.internal:5433/ppsbot'" in line
    )
    assert "hunter2secret" not in stdout + stderr
    assert not (tmp_path / "ppsbot.dump").exists()


async def test_a_missing_database_file_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[database]\nurl = "sqlite+aiosqlite:///nothing-here.sqlite3"\n', encoding="utf-8")
    code, _stdout, stderr = await _backup(str(tmp_path / "b.sqlite3"), "--config", str(config))
    assert code == 3
    assert stderr.splitlines() == [
        f"Berkas basis data {tmp_path / 'nothing-here.sqlite3'} tidak ada, jadi tidak ada yang dicadangkan. "
        "Periksa [database] url."
    ]
    assert not (tmp_path / "nothing-here.sqlite3").exists()
