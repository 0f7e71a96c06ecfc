"""Logging set-up: text or JSON lines, quiet HTTP client loggers, and secrets (the bot token) kept out of logs
and tracebacks."""

import json
import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import TextIO

from bot.core.config_sections import LogFormat

# Anything shaped like a bot token (id, colon, 30+ secret characters) is scrubbed even when not configured,
# e.g. a token from the environment in a config error raised before the configuration is known.
_TOKEN_LIKE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_MIN_SECRET_LENGTH = 8  # shorter "secrets" would mangle ordinary words


class Secrets:
    """The values that must never be printed; `redact` replaces each (and anything token-shaped) by '***'."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: list[str] = []
        self.add(*values)

    def add(self, *values: str) -> None:
        """Add values to hide; a bot token's secret half is hidden on its own too."""
        for value in values:
            parts = [value, value.partition(":")[2]] if ":" in value else [value]
            self._values.extend(p for p in parts if len(p) >= _MIN_SECRET_LENGTH and p not in self._values)
        self._values.sort(key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secret replaced by '***'."""
        for value in self._values:
            text = text.replace(value, "***")
        return _TOKEN_LIKE.sub("***", text)

    def format_exception(self, error: BaseException) -> str:
        """The traceback of `error`, redacted."""
        return self.redact("".join(traceback.format_exception(error)))


def install_redacting_excepthook(secrets: Secrets, stream: TextIO | None = None) -> None:
    """Any exception nobody caught (main thread or another) prints its traceback with the secrets hidden."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        out = stream or sys.stderr
        out.write(secrets.redact("".join(traceback.format_exception(kind, error, tb))))
        out.flush()

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


class RedactSecrets(logging.Filter):
    """Replaces each secret (the bot token, the webhook secret) by '***' in a record's final message."""

    def __init__(self, secrets: list[str] | Secrets) -> None:
        super().__init__()
        self._secrets = secrets if isinstance(secrets, Secrets) else Secrets(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._secrets.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._secrets.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._secrets.redact(record.stack_info)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class JsonLines(logging.Formatter):
    """One JSON object per record, on one line: time (UTC, ISO 8601), level, logger, message, and for an
    error exc_info, the whole traceback in one string (so a log shipper never splits an event)."""

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # RedactSecrets (a filter of the same handler, so it ran first) has already rendered and redacted
        # exc_text; rendering exc_info again here would bring the secrets back.
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            event["exc_info"] = record.exc_text
        if record.stack_info:
            event["stack_info"] = record.stack_info
        return json.dumps(event, ensure_ascii=False)


def configure_logging(level: str, secrets: list[str] | Secrets, log_format: LogFormat = "text") -> None:
    """Log to stderr at `level`, as text lines or JSON lines; the secrets are redacted either way.

    httpx/httpcore stay at WARNING because they log request URLs (with the token)."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
