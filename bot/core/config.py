"""Loading the bot configuration: the TOML file and a few environment variables, validated into a Config.

One job, hence the length: every key's check with a one-line error naming the key and the file.

Where the SQLite file lives: a relative SQLite path in ``[database] url`` (or ``$PPSBOT_DATABASE_URL``), the
default ``ppsbot.sqlite3`` included, is relative to the config file's folder; with no config file, to the
data folder ``$XDG_DATA_HOME/ppsbot`` (``~/.local/share/ppsbot``). Never to the current directory."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any, Final, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.choices import UnknownChoice, parse_choice
from bot.core.config_sections import (
    BoardConfig,
    BotConfig,
    CheckinConfig,
    Config,
    DatabaseConfig,
    DeliveryConfig,
    HealthConfig,
    Language,
    LogFormat,
    LoggingConfig,
    LogLevel,
    Mode,
    PrivacyConfig,
    SchedulerConfig,
    TelegramConfig,
    mask_url,
)

__all__ = [
    "DEFAULT_CONFIG_FILENAME",
    "ENV_CONFIG",
    "ENV_DATABASE_URL",
    "ENV_TELEGRAM_TOKEN",
    "PLACEHOLDER_TOKEN",
    "BoardConfig",
    "BotConfig",
    "CheckinConfig",
    "Config",
    "ConfigError",
    "DatabaseConfig",
    "DeliveryConfig",
    "HealthConfig",
    "LoggingConfig",
    "PlaceholderToken",
    "PrivacyConfig",
    "SchedulerConfig",
    "TelegramConfig",
    "default_data_dir",
    "load_config",
    "require_real_token",
]

ENV_CONFIG: Final = "PPSBOT_CONFIG"
ENV_TELEGRAM_TOKEN: Final = "PPSBOT_TELEGRAM_TOKEN"
ENV_DATABASE_URL: Final = "PPSBOT_DATABASE_URL"
DEFAULT_CONFIG_FILENAME: Final = "config.toml"
DATA_DIR_NAME: Final = "ppsbot"  # the data folder's name under $XDG_DATA_HOME (or ~/.local/share)
# The token written in config.example.toml: well-formed, so only this check stops a copied example.
PLACEHOLDER_TOKEN: Final = "123456789:replace-with-token-from-BotFather"


_MODES: Final[tuple[str, ...]] = ("polling", "webhook")
_LANGUAGES: Final[tuple[str, ...]] = ("id", "en")
_LOG_LEVELS: Final[tuple[str, ...]] = ("DEBUG", "INFO", "WARNING", "ERROR")
_LOG_FORMATS: Final[tuple[str, ...]] = ("text", "json")

_TOKEN_RE: Final = re.compile(r"\d+:[A-Za-z0-9_-]+")
_SECRET_TOKEN_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")
# A URL path: no query, fragment or spaces (the leading "/" may be left out).
_URL_PATH_RE: Final = re.compile(r"/?[A-Za-z0-9._~!$&'()*+,;=:@%/-]+")
# Anything shaped like a real bot token (id, colon, 30+ secret characters) is scrubbed from messages.
_TOKEN_LIKE_RE: Final = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")

# The notice shares one Telegram message (4,096 characters) with the roster match and its question.
_MAX_NOTICE_CHARACTERS: Final = 3000
_MAX_RATE: Final = 30.0  # Telegram's documented broadcast limit, messages per second
_MAX_PAID_RATE: Final = 1000.0  # with allow_paid_broadcast (costs Telegram Stars)

# Accepted URL schemes → the async driver scheme stored in DatabaseConfig.url.
_DB_SCHEMES: Final[Mapping[str, str]] = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class ConfigError(Exception):
    """A configuration problem; ``str(error)`` is one line naming the key and (if any) the file."""

    def __init__(self, detail: str, source: Path | None = None) -> None:
        self.detail = " ".join(_redact(detail).split())
        self.source = source
        prefix = "config error" if source is None else f"config error in {source}"
        super().__init__(f"{prefix}: {self.detail}")


class PlaceholderToken(ConfigError):
    """The bot token is still the placeholder of config.example.toml."""


def require_real_token(config: Config) -> None:
    """Refuse config.example.toml's placeholder token, before anything talks to Telegram with it."""
    if config.telegram.token == PLACEHOLDER_TOKEN:
        raise PlaceholderToken(
            "[telegram] token is still the placeholder of config.example.toml: "
            "set the real token from @BotFather",
            config.source,
        )


_SECTION_CLASSES: Final[Mapping[str, type]] = {
    "telegram": TelegramConfig,
    "database": DatabaseConfig,
    "scheduler": SchedulerConfig,
    "delivery": DeliveryConfig,
    "checkin": CheckinConfig,
    "bot": BotConfig,
    "logging": LoggingConfig,
    "health": HealthConfig,
    "privacy": PrivacyConfig,
    "board": BoardConfig,
}


def load_config(
    path: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    require_token: bool = True,
) -> Config:
    """Load, validate and return the configuration.

    The file is ``path``, else ``$PPSBOT_CONFIG``, else ``./config.toml`` if it exists, else none (all
    defaults). ``$PPSBOT_TELEGRAM_TOKEN`` and ``$PPSBOT_DATABASE_URL`` override the file. Empty environment
    variables count as unset. Raises ConfigError, whose message never contains the bot token.
    """
    env: Mapping[str, str] = os.environ if environ is None else environ
    source = _resolve_path(path, env)
    data = _read_toml(source) if source is not None else {}
    try:
        return _build(data, source, env, require_token)
    except ConfigError as exc:
        error = exc
    # Raised outside the except block so the unredacted error is not kept as __context__.
    message = error.detail
    for secret in _secret_candidates(data, env):
        message = message.replace(secret, "***")
    raise ConfigError(message, error.source)


# --- file handling ---------------------------------------------------------------------------------


def _resolve_path(path: str | Path | None, env: Mapping[str, str]) -> Path | None:
    if path is not None and str(path) != "":
        chosen = Path(path)
    elif env.get(ENV_CONFIG, ""):
        chosen = Path(env[ENV_CONFIG])
    else:
        default = Path.cwd() / DEFAULT_CONFIG_FILENAME
        return default if default.is_file() else None
    return chosen.expanduser().absolute()


def _read_toml(source: Path) -> dict[str, Any]:
    try:
        with source.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"cannot read config file {source}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"cannot read config file {source}: it is a directory") from None
    except PermissionError:
        raise ConfigError(f"cannot read config file {source}: permission denied") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError("invalid TOML: the file is not UTF-8 text", source) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", source) from None


# --- validation ------------------------------------------------------------------------------------


def _build(
    data: Mapping[str, Any], source: Path | None, env: Mapping[str, str], require_token: bool
) -> Config:
    sections: dict[str, Mapping[str, Any]] = {}
    for name, value in data.items():
        if name not in _SECTION_CLASSES:
            if not isinstance(value, dict):
                raise ConfigError(
                    f"unknown top-level key {name} (every key belongs in a [section] such as [telegram])",
                    source,
                )
            raise ConfigError(f"unknown section [{name}]{_suggest(name, _SECTION_CLASSES)}", source)
        if not isinstance(value, dict):
            raise ConfigError(
                f"[{name}] must be a table (a [{name}] section), got {_type_name(value)}", source
            )
        sections[name] = value
        _check_unknown_keys(name, value, source)

    def reader(name: str) -> _Reader:
        return _Reader(name, sections.get(name, {}), source)

    config = Config(
        telegram=_telegram(reader("telegram"), env, require_token),
        database=_database(reader("database"), env),
        scheduler=_scheduler(reader("scheduler")),
        delivery=_delivery(reader("delivery")),
        checkin=CheckinConfig(
            code_window_minutes=reader("checkin").integer("code_window_minutes", minimum=1, maximum=60),
        ),
        bot=_bot(reader("bot")),
        logging=LoggingConfig(
            level=cast(LogLevel, reader("logging").choice("level", _LOG_LEVELS, upper=True)),
            format=cast(LogFormat, reader("logging").choice("format", _LOG_FORMATS)),
        ),
        health=_health(reader("health")),
        privacy=_privacy(reader("privacy")),
        board=_board(reader("board")),
        source=source,
    )
    board = config.board
    if board.enabled and board.port == 0 and config.telegram.mode != "webhook" and not config.health.enabled:
        raise reader("board").error(
            "port",
            "must be set when the board is enabled in polling mode without a [health] port "
            "(the board needs a web server: its own, the webhook's or the health endpoint's)",
        )
    return config


def _check_unknown_keys(section: str, table: Mapping[str, Any], source: Path | None) -> None:
    known = _field_names(_SECTION_CLASSES[section])
    for key in table:
        if key in known:
            continue
        hint = _suggest(key, known)
        if not hint:
            homes = [name for name, cls in _SECTION_CLASSES.items() if key in _field_names(cls)]
            if homes:
                hint = f" (it belongs in [{homes[0]}])"
        raise ConfigError(f"unknown key [{section}] {key}{hint}", source)


def _telegram(r: _Reader, env: Mapping[str, str], require_token: bool) -> TelegramConfig:
    file_token = r.string("token", secret=True).strip()
    env_token = env.get(ENV_TELEGRAM_TOKEN, "").strip()
    token = env_token or file_token
    if not token:
        if require_token:
            where = "config.toml" if r.source is None else "the config file"
            raise ConfigError(
                f"[telegram] token is missing (set it in {where} or {ENV_TELEGRAM_TOKEN})", r.source
            )
    elif not _TOKEN_RE.fullmatch(token):
        origin = f" from {ENV_TELEGRAM_TOKEN}" if env_token else ""
        raise ConfigError(
            f"[telegram] token{origin} does not look like a bot token from @BotFather "
            "(expected digits, ':', then letters, digits, '_' or '-'; the value is not shown)",
            None if env_token else r.source,
        )

    base_url = r.http_url("base_url")
    if token and token in base_url:
        raise r.error("base_url", "must not contain the bot token (it is appended automatically)")
    # Not the dataclass default: when absent (or ""), it is derived from base_url.
    base_file_url = r.string("base_file_url") if "base_file_url" in r.table else ""
    if base_file_url:
        base_file_url = r.http_url("base_file_url")
    elif base_url.endswith("/bot"):
        base_file_url = base_url[: -len("/bot")] + "/file/bot"
    else:
        raise r.error("base_file_url", "must be set when base_url does not end with '/bot'")
    if token and token in base_file_url:
        raise r.error("base_file_url", "must not contain the bot token (it is appended automatically)")

    mode = cast(Mode, r.choice("mode", _MODES))
    webhook_url = r.string("webhook_url") or None
    if webhook_url is not None:
        webhook_url = r.http_url("webhook_url", https_only=True)
    webhook_listen = r.string("webhook_listen")
    if not webhook_listen.strip():
        raise r.error("webhook_listen", "must not be empty (e.g. '127.0.0.1' or '0.0.0.0')")
    webhook_port = r.integer("webhook_port", minimum=1, maximum=65535)
    url_path = r.string("url_path").strip()
    if token and token in url_path:
        raise r.error("url_path", "must not contain the bot token (secret_token authenticates Telegram)")
    if url_path and (not _URL_PATH_RE.fullmatch(url_path) or "://" in url_path):
        raise r.error(
            "url_path", f"must be a URL path such as '/telegram/pps-bimtek', got {_describe(url_path)}"
        )
    secret_token = r.string("secret_token", secret=True) or None
    if secret_token is not None and not _SECRET_TOKEN_RE.fullmatch(secret_token):
        raise r.error(
            "secret_token", "must be 1-256 characters of A-Z, a-z, 0-9, '_' and '-' (the value is not shown)"
        )
    if mode == "webhook":
        if webhook_url is None:
            raise r.error("webhook_url", "is required when mode = 'webhook' (an https:// URL)")
        if secret_token is None:
            raise r.error(
                "secret_token",
                "is required when mode = 'webhook' (1-256 characters of A-Z, a-z, 0-9, _ and -)",
            )
    return TelegramConfig(
        token=token,
        base_url=base_url,
        base_file_url=base_file_url,
        mode=mode,
        webhook_url=webhook_url,
        webhook_listen=webhook_listen.strip(),
        webhook_port=webhook_port,
        url_path="/" + url_path.lstrip("/") if url_path else "",
        secret_token=secret_token,
    )


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the SQLite file lives when no config file is used: ``$XDG_DATA_HOME/ppsbot``, by default
    ``~/.local/share/ppsbot`` (the XDG base-directory convention for an application's own data)."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME", "").strip()
    root = Path(base).expanduser() if base and Path(base).expanduser().is_absolute() else None
    return (root or Path.home() / ".local" / "share") / DATA_DIR_NAME


def _database(r: _Reader, env: Mapping[str, str]) -> DatabaseConfig:
    # A relative SQLite path (the default "ppsbot.sqlite3" included) is taken relative to the config file's
    # folder, or to the data folder when there is no config file, and never to the directory a command runs
    # from: `roster import` from one folder and `run` from another must use the same file.
    base = r.source.parent if r.source is not None else default_data_dir(env)
    env_url = env.get(ENV_DATABASE_URL, "").strip()
    if env_url:
        url = _async_db_url(env_url, f"[database] url from {ENV_DATABASE_URL}", None)
    else:
        url = _async_db_url(r.string("url").strip(), "[database] url", r.source)
    return DatabaseConfig(url=_anchored_sqlite_url(url, base))


def _anchored_sqlite_url(url: str, base: Path) -> str:
    """A SQLite URL with a relative file made absolute against `base`; other URLs unchanged."""
    scheme, _, rest = url.partition("://")
    if not scheme.startswith("sqlite") or not rest.startswith("/") or rest.startswith("//"):
        return url  # PostgreSQL, in-memory `sqlite://`, or already absolute (`sqlite:////abs`)
    path, question, query = rest[1:].partition("?")
    if not path or path == ":memory:" or path.startswith("file:"):
        return url
    return f"{scheme}:///{(base / path).absolute()}{question}{query}"


def _async_db_url(url: str, what: str, source: Path | None) -> str:
    scheme, sep, rest = url.partition("://")
    allowed = "sqlite+aiosqlite:// or postgresql+asyncpg:// (plain sqlite:// and postgresql:// are converted)"
    if not sep or not scheme:
        raise ConfigError(f"{what} must be a URL like {allowed}, got {mask_url(url)!r}", source)
    driver = _DB_SCHEMES.get(scheme.lower())
    if driver is None:
        raise ConfigError(f"{what} must use {allowed}, got scheme {scheme!r}", source)
    if driver == "sqlite+aiosqlite" and rest and not rest.startswith("/"):
        raise ConfigError(
            f"{what} for SQLite must look like sqlite+aiosqlite:///relative/file.sqlite3 "
            f"or sqlite+aiosqlite:////absolute/path, got {mask_url(url)!r}",
            source,
        )
    if driver == "postgresql+asyncpg" and not rest:
        raise ConfigError(f"{what} for PostgreSQL needs a host and database, got {mask_url(url)!r}", source)
    return f"{driver}://{rest}"


def _scheduler(r: _Reader) -> SchedulerConfig:
    name = r.string("timezone").strip()
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise r.error("timezone", f"must be an IANA time zone such as 'Asia/Jakarta', got {name!r}") from None
    return SchedulerConfig(timezone=zone, misfire_grace_seconds=r.integer("misfire_grace_seconds", minimum=0))


def _delivery(r: _Reader) -> DeliveryConfig:
    paid = r.boolean("paid_broadcast")
    # Left out, the rate is Telegram's whole budget: the free one, or the paid one with paid_broadcast.
    rate = r.number("rate_per_second") if "rate_per_second" in r.table or not paid else _MAX_PAID_RATE
    if rate <= 0:
        raise r.error("rate_per_second", f"must be greater than 0, got {_show(rate)}")
    if not paid and rate > _MAX_RATE:
        raise r.error(
            "rate_per_second",
            f"must be at most {_MAX_RATE:g} (Telegram's broadcast limit) "
            f"unless [delivery] paid_broadcast = true, got {_show(rate)}",
        )
    if paid and rate > _MAX_PAID_RATE:
        raise r.error(
            "rate_per_second", f"must be at most {_MAX_PAID_RATE:g} with paid broadcasts, got {_show(rate)}"
        )
    return DeliveryConfig(
        rate_per_second=rate, paid_broadcast=paid, max_attempts=r.integer("max_attempts", minimum=1)
    )


def _health(r: _Reader) -> HealthConfig:
    listen = r.string("listen").strip()
    if not listen:
        raise r.error("listen", "must not be empty (e.g. '127.0.0.1')")
    return HealthConfig(listen=listen, port=r.integer("port", minimum=0, maximum=65535))


def _privacy(r: _Reader) -> PrivacyConfig:
    written = r.string("notice_file").strip()
    notice_file: Path | None = None
    if written:
        # Like the SQLite file: relative to the config file's folder, never to the working directory.
        base = r.source.parent if r.source is not None else Path.cwd()
        notice_file = (base / Path(written).expanduser()).absolute()
        try:
            text = notice_file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise r.error("notice_file", f"{notice_file} is not UTF-8 text") from None
        except OSError as exc:
            raise r.error("notice_file", f"cannot read {notice_file}: {exc.strerror or exc}") from None
        if len(text.strip()) > _MAX_NOTICE_CHARACTERS:
            raise r.error(
                "notice_file",
                f"{notice_file} has {len(text.strip())} characters; at most {_MAX_NOTICE_CHARACTERS} fit in "
                "the confirmation message with the roster match",
            )
        if not text.strip():
            raise r.error(
                "notice_file", f"{notice_file} is empty (leave the key out to use the built-in notice)"
            )
    return PrivacyConfig(
        retain_days=r.integer("retain_days", minimum=1),
        purge_on_start=r.boolean("purge_on_start"),
        notice_file=notice_file,
    )


def _board(r: _Reader) -> BoardConfig:
    public_url = r.string("public_url").strip()
    if public_url:
        public_url = r.http_url("public_url")
    listen = r.string("listen").strip()
    if not listen:
        raise r.error("listen", "must not be empty (e.g. '127.0.0.1')")
    tile_url = r.string("tile_url").strip()
    if tile_url and not all(part in tile_url for part in ("{z}", "{x}", "{y}")):
        raise r.error(
            "tile_url", f'must contain {{z}}, {{x}} and {{y}} (or be "" for no tiles), got {_show(tile_url)}'
        )
    if tile_url:
        r.http_url("tile_url")
    return BoardConfig(
        enabled=r.boolean("enabled"),
        public_url=public_url,
        listen=listen,
        port=r.integer("port", minimum=0, maximum=65535),
        max_age_seconds=r.integer("max_age_seconds", minimum=60, maximum=7 * 86400),
        refresh_seconds=r.integer("refresh_seconds", minimum=1, maximum=60),
        tile_url=tile_url,
    )


def _bot(r: _Reader) -> BotConfig:
    language = cast(Language, r.choice("default_language", _LANGUAGES))
    raw = r.get("admins")
    if not isinstance(raw, list):
        raise r.error("admins", f"must be an array of Telegram user ids, got {_describe(raw)}")
    admins: list[int] = []
    for index, item in enumerate(raw):
        if isinstance(item, bool) or not isinstance(item, int) or item <= 0:
            raise r.error(
                f"admins[{index}]", f"must be a positive integer Telegram user id, got {_describe(item)}"
            )
        admins.append(item)
    return BotConfig(default_language=language, admins=tuple(dict.fromkeys(admins)))


class _Reader:
    """Typed access to one section's table; a missing key yields the dataclass default."""

    def __init__(self, name: str, table: Mapping[str, Any], source: Path | None) -> None:
        self.name = name
        self.table = table
        self.source = source
        cls = _SECTION_CLASSES[name]
        self.defaults = {f.name: f for f in fields(cls)}

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"[{self.name}] {key} {message}", self.source)

    def get(self, key: str) -> Any:
        if key in self.table:
            return self.table[key]
        spec = self.defaults[key]
        default = spec.default_factory() if callable(spec.default_factory) else spec.default
        # Express the dataclass default as the TOML value that would produce it.
        if isinstance(default, ZoneInfo):
            return default.key
        if isinstance(default, tuple):
            return list(default)
        return default

    def string(self, key: str, *, secret: bool = False) -> str:
        value = self.get(key)
        if value is None:  # only as a dataclass default (TOML has no null): "unset"
            return ""
        if not isinstance(value, str):
            shown = _type_name(value) if secret else _describe(value)
            raise self.error(key, f"must be a string, got {shown}")
        return value

    def integer(self, key: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"must be an integer, got {_describe(value)}")
        _check_range(self, key, value, minimum, maximum)
        return value

    def number(self, key: str) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise self.error(key, f"must be a number, got {_describe(value)}")
        return float(value)

    def boolean(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {_describe(value)}")
        return value

    def choice(self, key: str, choices: tuple[str, ...], *, upper: bool = False) -> str:
        value = self.string(key)
        try:
            return parse_choice(value, {c: c for c in choices}, fold=_upper_stripped if upper else str.strip)
        except UnknownChoice:
            options = ", ".join(f"'{c}'" for c in choices[:-1]) + f" or '{choices[-1]}'"
            raise self.error(key, f"must be {options}, got {value!r}") from None

    def http_url(self, key: str, *, https_only: bool = False) -> str:
        value = self.string(key).strip()
        scheme, sep, rest = value.partition("://")
        schemes = ("https",) if https_only else ("http", "https")
        host = rest.split("/", 1)[0]
        if not sep or scheme.lower() not in schemes or not host or any(c.isspace() for c in value):
            expected = "an https:// URL" if https_only else "an http:// or https:// URL"
            raise self.error(key, f"must be {expected}, got {_show(value)}")
        return value


def _upper_stripped(value: str) -> str:
    return value.strip().upper()


def _check_range(r: _Reader, key: str, value: int, minimum: int | None, maximum: int | None) -> None:
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise r.error(key, f"must be between {minimum} and {maximum}, got {value}")
    if minimum is not None and value < minimum:
        raise r.error(key, f"must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise r.error(key, f"must be at most {maximum}, got {value}")


# --- small helpers ---------------------------------------------------------------------------------


def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _suggest(word: str, candidates: Mapping[str, Any] | tuple[str, ...]) -> str:
    matches = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean {matches[0]}?)" if matches else ""


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    return "date/time"


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and len(value) > 80:
        return repr(value[:77] + "...")
    return repr(value)


def _describe(value: object) -> str:
    if isinstance(value, list | dict):
        return _type_name(value)
    return f"{_type_name(value)} {_show(value)}"


def _redact(text: str) -> str:
    return _TOKEN_LIKE_RE.sub("***", text)


def _secret_candidates(data: Mapping[str, Any], env: Mapping[str, str]) -> list[str]:
    """Token and secret values (from file and env) to scrub from error messages, longest first."""
    tokens = [env.get(ENV_TELEGRAM_TOKEN, "")]
    secrets: list[object] = []
    telegram = data.get("telegram")
    if isinstance(telegram, dict):
        tokens.append(telegram.get("token", ""))
        secrets.append(telegram.get("secret_token", ""))
    found = {t.strip() for t in tokens if isinstance(t, str) and _TOKEN_RE.fullmatch(t.strip())}
    # Short secrets would mangle ordinary words in the message; secret_token is never echoed anyway.
    found |= {s.strip() for s in secrets if isinstance(s, str) and len(s.strip()) >= 16}
    return sorted(found, key=len, reverse=True)
