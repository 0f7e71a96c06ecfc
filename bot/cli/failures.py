"""The expected failures of a command, each turned into one line (problem and fix) and an exit code."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sqlalchemy import make_url
from telegram.error import InvalidToken

from bot.core.config import ConfigError, PlaceholderToken
from bot.core.db import DatabaseUnavailable
from bot.core.locks import LockLost
from bot.core.logs import Secrets
from bot.runtime.processes import SqliteInUse, WorkerNeedsPostgres
from bot.texts import render_plain

EXIT_UNEXPECTED = 1
EXIT_CONFIG = 2
EXIT_DATABASE = 3
EXIT_TELEGRAM = 4
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C


@dataclass(frozen=True)
class Failure:
    """One line of the catalog (`key` with `values`) and the exit code that goes with it."""

    key: str
    exit_code: int
    values: dict[str, object] = field(default_factory=dict)

    def line(self, language: str) -> str:
        """The line in the operator's language."""
        return render_plain(language, self.key, **self.values)


def explain(error: BaseException) -> Failure | None:
    """The Failure `error` amounts to, or None when it is not one we expect (a bug: show the traceback)."""
    if isinstance(error, PlaceholderToken):
        return Failure("cli.fail.placeholder_token", EXIT_CONFIG)
    if isinstance(error, ConfigError):
        return Failure("cli.fail.config", EXIT_CONFIG, {"detail": error})
    if isinstance(error, InvalidToken):
        return Failure("cli.fail.token_rejected", EXIT_TELEGRAM)
    if isinstance(error, KeyboardInterrupt):
        return Failure("cli.fail.interrupted", EXIT_INTERRUPTED)
    if isinstance(error, DatabaseUnavailable):
        return _database_failure(error)
    if isinstance(error, SqliteInUse):
        return Failure(
            "cli.fail.sqlite_in_use", EXIT_DATABASE, {"database": error.database, "lock": error.lock}
        )
    if isinstance(error, WorkerNeedsPostgres):
        return Failure("cli.fail.worker_needs_postgres", EXIT_CONFIG)
    if isinstance(error, LockLost):
        return Failure("cli.fail.lock_lost", EXIT_DATABASE, {"detail": error})
    return None


def _database_failure(problem: DatabaseUnavailable) -> Failure:
    url = make_url(problem.url)
    values: dict[str, object] = {"url": problem.url}
    match problem.problem:
        case "unreachable":
            key = "cli.fail.db_unreachable"
        case "missing":
            key, values["name"] = "cli.fail.db_missing", url.database or ""
        case "folder_missing":
            key, values = "cli.fail.db_folder_missing", {"folder": Path(url.database or ".").parent}
        case "refused_login":
            key = "cli.fail.db_refused_login"
        case "not_migrated" if problem.current is None:
            key = "cli.fail.db_empty"
        case "not_migrated":
            key, values["current"], values["head"] = "cli.fail.db_not_migrated", problem.current, problem.head
    return Failure(key, EXIT_DATABASE, values)


def report(
    error: BaseException,
    *,
    language: str,
    secrets: Secrets,
    debug: bool,
    err: TextIO,
) -> int:
    """Print one line for `error` on `err` (its traceback first with --debug) and return the exit code.

    An error we did not expect is one line too, naming its type, unless --debug asks for the traceback.
    Whatever is printed passes through `secrets.redact`: the bot token never reaches the terminal.
    """
    failure = explain(error)
    if debug:
        err.write(secrets.format_exception(error))
    if failure is None:
        failure = Failure(
            "cli.fail.unexpected", EXIT_UNEXPECTED, {"error": f"{type(error).__name__}: {error}".strip()}
        )
    line = " ".join(secrets.redact(failure.line(language)).split())
    err.write(line + "\n")
    err.flush()
    return failure.exit_code
