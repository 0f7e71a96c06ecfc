"""`python -m bot backup FILE`: an online copy of the SQLite database (safe while the bot writes); PostgreSQL
is pointed to pg_dump."""

import os
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import make_url

from bot.cli.failures import EXIT_CONFIG, EXIT_DATABASE, EXIT_UNEXPECTED
from bot.core.config_sections import mask_url
from bot.core.db import SQLITE_BUSY_TIMEOUT_MS
from bot.texts import render_plain
from bot.texts.formatting import number


@dataclass(frozen=True)
class Copy:
    """What a backup wrote: the file, its size in bytes and the schema revision found in the copy."""

    path: Path
    size: int
    revision: str | None


class CopyUnusable(Exception):
    """The copy did not open, or failed SQLite's quick_check; the previous file (if any) is left alone."""


def backup(database_url: str, target: Path, *, force: bool, language: str, out: TextIO, err: TextIO) -> int:
    """Back up the configured database to `target`; one line on `out` when done, one on `err` when not.

    Returns the exit code. SQLite only: for PostgreSQL the line gives the pg_dump command instead."""
    out.write(render_plain(language, "cli.database", url=mask_url(database_url)) + "\n")
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        err.write(_pg_dump_advice(database_url, target, language) + "\n")
        return EXIT_CONFIG
    source = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source.is_file():
        err.write(render_plain(language, "cli.backup.no_file", file=url.database or ":memory:") + "\n")
        return EXIT_DATABASE
    if target.exists() and not force:
        err.write(render_plain(language, "cli.backup.exists", file=target) + "\n")
        return EXIT_CONFIG
    if not target.parent.is_dir():
        err.write(render_plain(language, "cli.backup.no_folder", folder=target.parent.absolute()) + "\n")
        return EXIT_CONFIG
    try:
        copy = copy_sqlite(source, target)
    except CopyUnusable as problem:
        err.write(render_plain(language, "cli.backup.unusable", file=target, reason=problem) + "\n")
        return EXIT_UNEXPECTED
    out.write(
        render_plain(
            language,
            "cli.backup.written",
            file=copy.path,
            size=_size(copy.size, language),
            revision=copy.revision or "-",
        )
        + "\n"
    )
    return 0


def copy_sqlite(source: Path, target: Path) -> Copy:
    """Copy the SQLite database `source` to `target` with SQLite's backup API, then check the copy.

    The backup API reads one consistent snapshot: in WAL mode writers go on meanwhile, and the copy holds
    every transaction committed before it started (those in the -wal file too, which a plain file copy
    would miss). The copy is written beside `target` and renamed over it only once it opened and passed
    quick_check, so a failed backup never destroys the previous one."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        reader = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            writer = sqlite3.connect(partial)
            try:
                reader.backup(writer)
                # One self-contained file: no -wal beside the copy to forget when it is moved.
                writer.execute("PRAGMA journal_mode=DELETE")
            finally:
                writer.close()
        finally:
            reader.close()
        revision = _check(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Copy(path=target.absolute(), size=target.stat().st_size, revision=revision)


def _check(path: Path) -> str | None:
    """Open the copy read-only, run quick_check and read the schema revision (None: never migrated)."""
    try:
        copy = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise CopyUnusable(f"quick_check: {verdict}")
            has_version = copy.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if has_version is None:
                return None
            row = copy.execute("SELECT version_num FROM alembic_version").fetchone()
            return None if row is None else str(row[0])
        finally:
            copy.close()
    except sqlite3.Error as error:
        raise CopyUnusable(str(error)) from None


def _pg_dump_advice(database_url: str, target: Path, language: str) -> str:
    """The one line for PostgreSQL: pg_dump with the configured server and database, the password masked."""
    url = make_url(database_url).set(drivername="postgresql")  # libpq's scheme, not SQLAlchemy's driver
    command = f"pg_dump --format=custom --file={shlex.quote(str(target))} "
    command += shlex.quote(url.render_as_string(hide_password=True))
    line = render_plain(language, "cli.backup.postgres", command=command)
    if url.password:
        line += " " + render_plain(language, "cli.backup.postgres_password")
    return line


def _size(size: int, language: str) -> str:
    """'512 B', '36 KB', '1,2 MB' (powers of 1024, as `ls -lh` counts)."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{number(round(size / scale, 1), language)} {unit}"
    return f"{number(size, language)} B"
