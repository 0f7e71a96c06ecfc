"""The configuration's shape: one typed, frozen dataclass per config section, with its defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

Mode = Literal["polling", "webhook"]
Language = Literal["id", "en"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
LogFormat = Literal["text", "json"]


@dataclass(frozen=True, kw_only=True)
class TelegramConfig:
    """``[telegram]``: how to reach the Bot API and how to receive updates."""

    # Empty only when loaded with require_token=False and no token was configured.
    token: str = field(default="", repr=False)
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: Mode = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    # The path the webhook server answers on; "" = the path of webhook_url (a proxy passing it on as is).
    url_path: str = ""
    secret_token: str | None = field(default=None, repr=False)

    @property
    def webhook_path(self) -> str:
        """The path the built-in webhook server answers on: ``url_path``, else webhook_url's path, else "/"."""
        path = self.url_path or (urlsplit(self.webhook_url).path if self.webhook_url else "")
        return "/" + path.lstrip("/")


@dataclass(frozen=True, kw_only=True)
class DatabaseConfig:
    """``[database]``: an async SQLAlchemy URL (sqlite+aiosqlite or postgresql+asyncpg)."""

    url: str = "sqlite+aiosqlite:///ppsbot.sqlite3"

    def __repr__(self) -> str:
        return f"DatabaseConfig(url={mask_url(self.url)!r})"

    @property
    def is_sqlite(self) -> bool:
        """True for SQLite (the default), False for PostgreSQL."""
        return self.url.startswith("sqlite")


@dataclass(frozen=True, kw_only=True)
class SchedulerConfig:
    """``[scheduler]``: the zone all session times are in, and how late a missed job may still run."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    misfire_grace_seconds: int = 900


@dataclass(frozen=True, kw_only=True)
class DeliveryConfig:
    """``[delivery]``: outgoing message throttle and retry policy."""

    rate_per_second: float = 30.0
    """A ceiling on broadcasts; the default (30, or 1,000 with paid_broadcast) is Telegram's whole budget."""
    paid_broadcast: bool = False
    max_attempts: int = 5


@dataclass(frozen=True, kw_only=True)
class CheckinConfig:
    """``[checkin]``: attendance check-in codes."""

    code_window_minutes: int = 5


@dataclass(frozen=True, kw_only=True)
class BotConfig:
    """``[bot]``: language and administrators."""

    default_language: Language = "id"
    admins: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LoggingConfig:
    """``[logging]``: log verbosity, and one line of text or one JSON object per event."""

    level: LogLevel = "INFO"
    format: LogFormat = "text"


@dataclass(frozen=True, kw_only=True)
class HealthConfig:
    """``[health]``: the operators' HTTP endpoint (/healthz, /readyz, /metrics); port 0 = off."""

    listen: str = "127.0.0.1"
    port: int = 0

    @property
    def enabled(self) -> bool:
        """True when a port is set."""
        return self.port != 0


@dataclass(frozen=True, kw_only=True)
class PrivacyConfig:
    """``[privacy]``: how long personal data is kept, when it is purged, and the registration notice."""

    # Days personal details are kept: once the plan's last date is this long past, `purge` deletes what is
    # older than this many days (deliveries, message texts, audit entries, refused registrations).
    retain_days: int = 180
    # Also purge when the bot starts (besides `python -m bot purge` from a timer).
    purge_on_start: bool = False
    # A UTF-8 plain-text file whose text replaces the catalog's privacy notice at registration; None = catalog.
    notice_file: Path | None = None


@dataclass(frozen=True, kw_only=True)
class BoardConfig:
    """``[board]``: the coordinators' live board (a Telegram Mini App and a projector page) under /board/."""

    enabled: bool = False
    # Where people open the board, e.g. "https://kpu-lebak.example/board/"; Telegram's Mini App buttons need
    # https. "" = http://listen:port/board/ (links on the office network only, no Mini App buttons).
    public_url: str = ""
    listen: str = "127.0.0.1"
    # 0 = no server of its own: the board is served by the webhook server (webhook mode) or the health server.
    port: int = 0
    max_age_seconds: int = 3600
    refresh_seconds: int = 5
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

    @property
    def local_url(self) -> str:
        """The board's address on its own server: http://listen:port/board/."""
        host = f"[{self.listen}]" if ":" in self.listen else self.listen
        return f"http://{host}:{self.port}/board/"

    @property
    def mini_app(self) -> bool:
        """Whether Telegram may open the board as a Mini App (its buttons need an https:// URL)."""
        return self.enabled and self.public_url.startswith("https://")


@dataclass(frozen=True, kw_only=True)
class Config:
    """The whole configuration; ``source`` is the file it came from (None if only defaults/env)."""

    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    checkin: CheckinConfig = field(default_factory=CheckinConfig)
    bot: BotConfig = field(default_factory=BotConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    health: HealthConfig = field(default_factory=HealthConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    board: BoardConfig = field(default_factory=BoardConfig)
    source: Path | None = None


def mask_url(url: str) -> str:
    """Hide the password in ``scheme://user:password@host/...``."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, path = rest.partition("/")
    if "@" not in authority:
        return url
    userinfo, host = authority.rsplit("@", 1)
    if ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    return f"{scheme}://{userinfo}@{host}{slash}{path}"
