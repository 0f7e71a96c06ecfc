"""Tests for bot.core.config: defaults, environment overrides, the example file and one-line errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.config import (
    BotConfig,
    Config,
    ConfigError,
    DatabaseConfig,
    TelegramConfig,
    load_config,
)

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
OTHER_TOKEN = "987654321:ZZy-_otherTokenValueFromTheEnvironment42"
SECRET = "webhook-secret_0123456789abcdef"
EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str, **kwargs: object) -> Config:
    environ = kwargs.pop("environ", {})
    assert isinstance(environ, dict)
    require_token = kwargs.pop("require_token", True)
    assert isinstance(require_token, bool)
    return load_config(write(tmp_path, text), environ=environ, require_token=require_token)


def config_error(tmp_path: Path, text: str, *needles: str, env_token: bool = True) -> str:
    """Load ``text`` expecting a ConfigError; check it is one line naming the file and ``needles``.

    The token comes from the environment unless ``env_token`` is false, so files need not repeat it.
    """
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={"PPSBOT_TELEGRAM_TOKEN": TOKEN} if env_token else {})
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"config error in {path}: ")
    for needle in needles:
        assert needle in message
    assert TOKEN not in message
    assert SECRET not in message
    return message


WEBHOOK = f"""
[telegram]
token = "{TOKEN}"
mode = "webhook"
webhook_url = "https://bot.example.org/telegram"
secret_token = "{SECRET}"
"""


# --- defaults and resolution -----------------------------------------------------------------------


def test_defaults_without_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={"PPSBOT_TELEGRAM_TOKEN": TOKEN})
    assert config.source is None
    assert config.telegram == TelegramConfig(token=TOKEN)
    assert config.telegram.base_url == "https://api.telegram.org/bot"
    assert config.telegram.base_file_url == "https://api.telegram.org/file/bot"
    assert config.telegram.mode == "polling"
    assert config.telegram.webhook_url is None
    assert config.telegram.webhook_listen == "127.0.0.1"
    assert config.telegram.webhook_port == 8443
    assert config.telegram.secret_token is None
    # Without a config file the SQLite file is in the data folder, whatever the current directory.
    assert config.database.url == f"sqlite+aiosqlite:///{Path.home()}/.local/share/ppsbot/ppsbot.sqlite3"
    assert config.database.is_sqlite
    assert config.scheduler.timezone == ZoneInfo("Asia/Jakarta")
    assert config.scheduler.misfire_grace_seconds == 900
    assert config.delivery.rate_per_second == 30  # Telegram's whole budget: a ceiling, not a brake
    assert config.delivery.paid_broadcast is False
    assert config.delivery.max_attempts == 5
    assert config.checkin.code_window_minutes == 5
    assert config.bot.default_language == "id"
    assert config.bot.admins == ()
    assert config.logging.level == "INFO"
    # The dataclass defaults are the documented defaults (the database's, anchored to the data folder).
    assert dataclasses.replace(config, telegram=TelegramConfig(), database=DatabaseConfig()) == Config()
    assert DatabaseConfig().url == "sqlite+aiosqlite:///ppsbot.sqlite3"


def test_no_token_allowed_for_maintenance_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={}, require_token=False)
    assert config.telegram.token == ""
    assert dataclasses.replace(config, database=DatabaseConfig()) == Config()
    assert config.database.url == f"sqlite+aiosqlite:///{Path.home()}/.local/share/ppsbot/ppsbot.sqlite3"


def test_config_toml_in_working_directory_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n[checkin]\ncode_window_minutes = 7\n')
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={})
    assert config.source == path
    assert config.checkin.code_window_minutes == 7


def test_ppsbot_config_env_selects_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "[checkin]\ncode_window_minutes = 7\n")  # ./config.toml, must be ignored
    other = write(tmp_path, "[checkin]\ncode_window_minutes = 9\n", name="other.toml")
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={"PPSBOT_CONFIG": str(other)}, require_token=False)
    assert config.source == other
    assert config.checkin.code_window_minutes == 9


def test_explicit_path_beats_ppsbot_config(tmp_path: Path) -> None:
    first = write(tmp_path, "[checkin]\ncode_window_minutes = 7\n", name="first.toml")
    second = write(tmp_path, "[checkin]\ncode_window_minutes = 9\n", name="second.toml")
    config = load_config(first, environ={"PPSBOT_CONFIG": str(second)}, require_token=False)
    assert config.checkin.code_window_minutes == 7


def test_example_file_loads() -> None:
    config = load_config(EXAMPLE, environ={})
    assert config.source == EXAMPLE
    assert config.telegram.token == "123456789:replace-with-token-from-BotFather"
    # Apart from the placeholder token, the example holds exactly the defaults; its SQLite file is beside it.
    assert config.database.url == f"sqlite+aiosqlite:///{EXAMPLE.parent}/ppsbot.sqlite3"
    assert (
        dataclasses.replace(config, source=None, telegram=TelegramConfig(), database=DatabaseConfig())
        == Config()
    )


def test_example_file_documents_every_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for section in dataclasses.fields(Config):
        if section.name == "source":
            continue
        assert f"[{section.name}]" in text
        section_type = type(getattr(Config(), section.name))
        for key in dataclasses.fields(section_type):
            assert f"\n{key.name} = " in text, key.name
    for variable in ("PPSBOT_TELEGRAM_TOKEN", "PPSBOT_DATABASE_URL", "PPSBOT_CONFIG"):
        assert variable in text


def test_full_file(tmp_path: Path) -> None:
    config = load_text(
        tmp_path,
        f"""
[telegram]
token = "{TOKEN}"
base_url = "http://127.0.0.1:8081/bot"
mode = "webhook"
webhook_url = "https://bot.example.org/telegram"
webhook_listen = "0.0.0.0"
webhook_port = 8080
secret_token = "{SECRET}"
[database]
url = "sqlite:////var/lib/ppsbot/db.sqlite3"
[scheduler]
timezone = "Asia/Makassar"
misfire_grace_seconds = 0
[delivery]
rate_per_second = 100.5
paid_broadcast = true
max_attempts = 1
[checkin]
code_window_minutes = 60
[bot]
default_language = "en"
admins = [111, 222, 111]
[logging]
level = "debug"
""",
    )
    assert config.telegram.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert config.telegram.mode == "webhook"
    assert config.telegram.webhook_url == "https://bot.example.org/telegram"
    assert config.telegram.webhook_listen == "0.0.0.0"
    assert config.telegram.webhook_port == 8080
    assert config.telegram.secret_token == SECRET
    assert config.database.url == "sqlite+aiosqlite:////var/lib/ppsbot/db.sqlite3"
    assert config.scheduler.timezone == ZoneInfo("Asia/Makassar")
    assert config.scheduler.misfire_grace_seconds == 0
    assert config.delivery == dataclasses.replace(
        config.delivery, rate_per_second=100.5, paid_broadcast=True, max_attempts=1
    )
    assert config.checkin.code_window_minutes == 60
    assert config.bot == BotConfig(default_language="en", admins=(111, 222))
    assert config.logging.level == "DEBUG"


def test_explicit_base_file_url(tmp_path: Path) -> None:
    config = load_text(
        tmp_path,
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "http://api.local/b/"\n'
        'base_file_url = "http://api.local/files/"\n',
    )
    assert config.telegram.base_file_url == "http://api.local/files/"


def test_config_is_frozen() -> None:
    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.telegram.mode = "webhook"  # type: ignore[misc]


# --- environment overrides -------------------------------------------------------------------------


def test_env_token_wins_over_file(tmp_path: Path) -> None:
    config = load_text(
        tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n', environ={"PPSBOT_TELEGRAM_TOKEN": OTHER_TOKEN}
    )
    assert config.telegram.token == OTHER_TOKEN


def test_env_database_url_wins_over_file(tmp_path: Path) -> None:
    config = load_text(
        tmp_path,
        '[database]\nurl = "sqlite:///file.db"\n',
        environ={"PPSBOT_DATABASE_URL": "postgresql://bimtek:pw@db:5432/ppsbot"},
        require_token=False,
    )
    assert config.database.url == "postgresql+asyncpg://bimtek:pw@db:5432/ppsbot"
    assert not config.database.is_sqlite


def test_empty_env_values_are_ignored(tmp_path: Path) -> None:
    config = load_text(
        tmp_path,
        f'[telegram]\ntoken = "{TOKEN}"\n',
        environ={"PPSBOT_TELEGRAM_TOKEN": "", "PPSBOT_DATABASE_URL": "", "PPSBOT_CONFIG": ""},
    )
    assert config.telegram.token == TOKEN
    assert config.database.url == f"sqlite+aiosqlite:///{tmp_path}/ppsbot.sqlite3"  # beside the config file


def test_env_token_whitespace_is_stripped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={"PPSBOT_TELEGRAM_TOKEN": f" {TOKEN}\n"})
    assert config.telegram.token == TOKEN


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@host/db", "postgresql+asyncpg://u:p@host/db"),
        ("postgres://u:p@host:5433/db?ssl=require", "postgresql+asyncpg://u:p@host:5433/db?ssl=require"),
        ("postgresql+asyncpg://u@host/db", "postgresql+asyncpg://u@host/db"),
        # A relative SQLite file is anchored to the config file's folder, or the data folder without one.
        ("sqlite:///ppsbot.sqlite3", "sqlite+aiosqlite:///{base}/ppsbot.sqlite3"),
        ("sqlite:///data/bot.db?mode=rwc", "sqlite+aiosqlite:///{base}/data/bot.db?mode=rwc"),
        ("sqlite+aiosqlite:////abs/path.db", "sqlite+aiosqlite:////abs/path.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("sqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
    ],
)
def test_database_url_conversion(tmp_path: Path, given: str, expected: str) -> None:
    config = load_text(tmp_path, f'[database]\nurl = "{given}"\n', require_token=False)
    assert config.database.url == expected.format(base=tmp_path)
    data = tmp_path / "xdg"
    env_config = load_config(
        environ={"PPSBOT_DATABASE_URL": given, "XDG_DATA_HOME": str(data)}, require_token=False
    )
    assert env_config.database.url == expected.format(base=data / "ppsbot")


# --- errors ----------------------------------------------------------------------------------------


def test_missing_token_without_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_config(environ={})
    assert str(info.value) == (
        "config error: [telegram] token is missing (set it in config.toml or PPSBOT_TELEGRAM_TOKEN)"
    )


def test_missing_token_in_file(tmp_path: Path) -> None:
    config_error(
        tmp_path,
        "[telegram]\nmode = 'polling'\n",
        "[telegram] token is missing",
        "PPSBOT_TELEGRAM_TOKEN",
        env_token=False,
    )


def test_malformed_token_is_not_echoed(tmp_path: Path) -> None:
    bad = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    message = config_error(tmp_path, f'[telegram]\ntoken = "{bad}"\n', "[telegram] token", env_token=False)
    assert bad not in message


def test_malformed_env_token_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bad = "123456789 AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    with pytest.raises(ConfigError) as info:
        load_config(environ={"PPSBOT_TELEGRAM_TOKEN": bad})
    assert "PPSBOT_TELEGRAM_TOKEN" in str(info.value)
    assert bad not in str(info.value)
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in str(info.value)


def test_unknown_key(tmp_path: Path) -> None:
    message = config_error(tmp_path, f'[telegram]\ntokn = "{TOKEN}"\n', "unknown key [telegram] tokn")
    assert "did you mean token" in message


def test_key_in_wrong_section(tmp_path: Path) -> None:
    config_error(tmp_path, "[bot]\nmode = 'polling'\n", "unknown key [bot] mode", "[telegram]")


def test_unknown_section(tmp_path: Path) -> None:
    config_error(tmp_path, "[telgram]\nmode = 'polling'\n", "unknown section [telgram]", "telegram")


def test_top_level_key_outside_section(tmp_path: Path) -> None:
    config_error(tmp_path, f'token = "{TOKEN}"\n', "unknown top-level key token")


def test_section_that_is_not_a_table(tmp_path: Path) -> None:
    config_error(tmp_path, 'logging = "INFO"\n', "[logging] must be a table")


def test_bad_mode(tmp_path: Path) -> None:
    message = config_error(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\nmode = "poll"\n')
    assert message.endswith("[telegram] mode must be 'polling' or 'webhook', got 'poll'")


def test_webhook_mode_valid(tmp_path: Path) -> None:
    config = load_text(tmp_path, WEBHOOK)
    assert config.telegram.mode == "webhook"


def test_webhook_without_url(tmp_path: Path) -> None:
    text = WEBHOOK.replace('webhook_url = "https://bot.example.org/telegram"\n', "")
    config_error(tmp_path, text, "[telegram] webhook_url is required when mode = 'webhook'")


def test_webhook_empty_url_counts_as_missing(tmp_path: Path) -> None:
    text = WEBHOOK.replace("https://bot.example.org/telegram", "")
    config_error(tmp_path, text, "[telegram] webhook_url is required")


def test_webhook_url_must_be_https(tmp_path: Path) -> None:
    text = WEBHOOK.replace("https://", "http://")
    config_error(tmp_path, text, "[telegram] webhook_url must be an https:// URL")


def test_webhook_without_secret(tmp_path: Path) -> None:
    text = WEBHOOK.replace(f'secret_token = "{SECRET}"\n', "")
    config_error(tmp_path, text, "[telegram] secret_token is required when mode = 'webhook'")


def test_bad_secret_token_is_not_echoed(tmp_path: Path) -> None:
    bad = "not allowed: spaces and colons!"
    message = config_error(tmp_path, WEBHOOK.replace(SECRET, bad), "[telegram] secret_token")
    assert bad not in message


def test_bad_base_url(tmp_path: Path) -> None:
    config_error(
        tmp_path, f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "127.0.0.1:8081/bot"\n', "[telegram] base_url"
    )


def test_base_file_url_needed_for_unusual_base_url(tmp_path: Path) -> None:
    text = f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "http://127.0.0.1:8081/api/"\n'
    config_error(tmp_path, text, "[telegram] base_file_url must be set")


def test_token_inside_base_url_is_rejected_and_hidden(tmp_path: Path) -> None:
    text = f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "https://api.telegram.org/bot{TOKEN}"\n'
    config_error(tmp_path, text, "[telegram] base_url must not contain the bot token")


def test_token_in_echoed_value_is_redacted(tmp_path: Path) -> None:
    # An old-style webhook path containing the token, wrong scheme: the URL is echoed, the token is not.
    text = WEBHOOK.replace("https://bot.example.org/telegram", f"http://bot.example.org/{TOKEN}")
    message = config_error(tmp_path, text, "[telegram] webhook_url", "***")
    assert TOKEN not in message


@pytest.mark.parametrize("timezone", ["Asia/Jakart", "WIB", "", "../etc/passwd"])
def test_bad_timezone(tmp_path: Path, timezone: str) -> None:
    config_error(tmp_path, f'[scheduler]\ntimezone = "{timezone}"\n', "[scheduler] timezone", "Asia/Jakarta")


@pytest.mark.parametrize("port", [0, 65536, -1])
def test_bad_port(tmp_path: Path, port: int) -> None:
    text = f'[telegram]\ntoken = "{TOKEN}"\nwebhook_port = {port}\n'
    message = config_error(tmp_path, text, "[telegram] webhook_port")
    assert message.endswith(f"must be between 1 and 65535, got {port}")


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("telegram", "webhook_port"),
        ("scheduler", "misfire_grace_seconds"),
        ("delivery", "max_attempts"),
        ("delivery", "rate_per_second"),
        ("checkin", "code_window_minutes"),
    ],
)
def test_bool_is_not_an_int(tmp_path: Path, section: str, key: str) -> None:
    text = f"[{section}]\n{key} = true\n"
    config_error(tmp_path, text, f"[{section}] {key} must be", "got boolean true")


def test_bool_is_not_an_admin_id(tmp_path: Path) -> None:
    config_error(tmp_path, "[bot]\nadmins = [123, true]\n", "[bot] admins[1] must be a positive integer")


@pytest.mark.parametrize(
    "text",
    [
        "[bot]\nadmins = 123\n",
        "[bot]\nadmins = [0]\n",
        '[bot]\nadmins = ["123"]\n',
    ],
)
def test_bad_admins(tmp_path: Path, text: str) -> None:
    config_error(tmp_path, text, "[bot] admins")


def test_string_where_int_expected(tmp_path: Path) -> None:
    config_error(
        tmp_path, '[checkin]\ncode_window_minutes = "5"\n', "[checkin] code_window_minutes", "string '5'"
    )


def test_wrong_type_for_token_is_not_echoed(tmp_path: Path) -> None:
    message = config_error(
        tmp_path, "[telegram]\ntoken = 123456789\n", "[telegram] token must be a string", env_token=False
    )
    assert "123456789" not in message


@pytest.mark.parametrize("minutes", [0, 61])
def test_code_window_range(tmp_path: Path, minutes: int) -> None:
    config_error(tmp_path, f"[checkin]\ncode_window_minutes = {minutes}\n", "[checkin] code_window_minutes")


def test_negative_misfire_grace(tmp_path: Path) -> None:
    config_error(
        tmp_path, "[scheduler]\nmisfire_grace_seconds = -1\n", "misfire_grace_seconds must be at least 0"
    )


@pytest.mark.parametrize(
    "url", ["mysql://u:hunter2pass@h/db", "postgresql+psycopg2://u@h/db", "ppsbot.sqlite3"]
)
def test_bad_database_url(tmp_path: Path, url: str) -> None:
    message = config_error(tmp_path, f'[database]\nurl = "{url}"\n', "[database] url", "postgresql+asyncpg")
    assert "hunter2pass" not in message


def test_bad_env_database_url_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_config(environ={"PPSBOT_DATABASE_URL": "mysql://root:hunter2pass@db/x"}, require_token=False)
    message = str(info.value)
    assert message.startswith("config error: [database] url from PPSBOT_DATABASE_URL")
    assert "hunter2pass" not in message


def test_rate_over_30(tmp_path: Path) -> None:
    message = config_error(tmp_path, "[delivery]\nrate_per_second = 31\n", "[delivery] rate_per_second")
    assert "paid_broadcast" in message
    assert message.endswith("got 31")


def test_paid_broadcast_limits(tmp_path: Path) -> None:
    ok = load_text(
        tmp_path, "[delivery]\nrate_per_second = 1000\npaid_broadcast = true\n", require_token=False
    )
    assert ok.delivery.rate_per_second == 1000
    config_error(
        tmp_path, "[delivery]\nrate_per_second = 1001\npaid_broadcast = true\n", "[delivery] rate_per_second"
    )


def test_paid_broadcast_without_a_rate_uses_the_paid_budget(tmp_path: Path) -> None:
    paid = load_text(tmp_path, "[delivery]\npaid_broadcast = true\n", require_token=False)
    assert paid.delivery.rate_per_second == 1000
    slower = load_text(
        tmp_path, "[delivery]\npaid_broadcast = true\nrate_per_second = 200\n", require_token=False
    )
    assert slower.delivery.rate_per_second == 200


@pytest.mark.parametrize("rate", ["0", "-1.5", "nan"])
def test_rate_must_be_positive(tmp_path: Path, rate: str) -> None:
    config_error(tmp_path, f"[delivery]\nrate_per_second = {rate}\n", "[delivery] rate_per_second")


def test_max_attempts_at_least_one(tmp_path: Path) -> None:
    config_error(tmp_path, "[delivery]\nmax_attempts = 0\n", "[delivery] max_attempts must be at least 1")


def test_bad_language_and_log_level(tmp_path: Path) -> None:
    config_error(tmp_path, '[bot]\ndefault_language = "jv"\n', "[bot] default_language must be 'id' or 'en'")
    config_error(tmp_path, '[logging]\nlevel = "TRACE"\n', "[logging] level must be")


def test_nonexistent_explicit_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_config(missing, environ={"PPSBOT_TELEGRAM_TOKEN": TOKEN})
    assert str(info.value) == f"config error: cannot read config file {missing}: file not found"


def test_nonexistent_ppsbot_config_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_config(environ={"PPSBOT_CONFIG": str(missing), "PPSBOT_TELEGRAM_TOKEN": TOKEN})
    assert str(info.value) == f"config error: cannot read config file {missing}: file not found"


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, environ={})
    assert str(info.value) == f"config error: cannot read config file {tmp_path}: it is a directory"


def test_invalid_toml(tmp_path: Path) -> None:
    message = config_error(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\nmode = polling\n', "invalid TOML")
    assert "line 3" in message


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[bot]\ndefault_language = "\xff"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    assert str(info.value).startswith(f"config error in {path}: invalid TOML")


# --- secrecy ---------------------------------------------------------------------------------------


def test_token_and_secrets_not_in_repr(tmp_path: Path) -> None:
    text = WEBHOOK + '[database]\nurl = "postgresql://bimtek:hunter2pass@db/ppsbot"\n'
    config = load_text(tmp_path, text)
    assert config.telegram.token == TOKEN
    assert config.telegram.secret_token == SECRET
    assert config.database.url == "postgresql+asyncpg://bimtek:hunter2pass@db/ppsbot"
    for shown in (repr(config), str(config), repr(config.telegram), repr(config.database)):
        assert TOKEN not in shown
        assert SECRET not in shown
        assert "hunter2pass" not in shown
    assert "bimtek:***@db" in repr(config.database)


@pytest.mark.parametrize(
    "text",
    [
        '[telegram]\ntoken = "{t}"\nmode = "poll"\n',
        '[telegram]\ntoken = "{t}"\ntokn = "{t}"\n',
        '[telegram]\ntoken = "{t}"\n[nope]\nx = 1\n',
        '[telegram]\ntoken = "{t}"\nwebhook_port = true\n',
        '[telegram]\ntoken = "{t}"\nmode = "webhook"\n',
        '[telegram]\ntoken = "{t}"\nwebhook_url = "ftp://x/{t}"\n',
        '[telegram]\ntoken = "{t}"\nbase_url = "nope{t}"\n',
        '[telegram]\ntoken = "{t}"\n[scheduler]\ntimezone = "{t}"\n',
        '[telegram]\ntoken = "{t}"\n[database]\nurl = "{t}"\n',
        '[telegram]\ntoken = "{t}"\n[bot]\ndefault_language = "{t}"\n',
        '[telegram]\ntoken = "{t}"\n[logging]\nlevel = "{t}"\n',
        '[telegram]\ntoken = "{t}" x\n',
        '[telegram]\ntoken = "{t}"\n[telegram]\n',
        '"{t}" = 1\n',
    ],
)
def test_token_never_in_error_messages(tmp_path: Path, text: str) -> None:
    for token_source in ("file", "env"):
        body = text.format(t=TOKEN)
        environ = {"PPSBOT_TELEGRAM_TOKEN": TOKEN} if token_source == "env" else {}
        path = write(tmp_path, body)
        with pytest.raises(ConfigError) as info:
            load_config(path, environ=environ)
        assert TOKEN not in str(info.value)
        assert TOKEN not in repr(info.value)
        assert "\n" not in str(info.value)


def test_env_token_not_in_error_messages(tmp_path: Path) -> None:
    # A value that echoes back is shown, but the environment token inside it is not.
    path = write(tmp_path, f'[scheduler]\ntimezone = "Asia/{OTHER_TOKEN}"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={"PPSBOT_TELEGRAM_TOKEN": OTHER_TOKEN})
    assert OTHER_TOKEN not in str(info.value)
    assert "[scheduler] timezone" in str(info.value)


def test_database_config_repr_without_password() -> None:
    assert repr(DatabaseConfig(url="postgresql+asyncpg://u:p%40ss@h/db")) == (
        "DatabaseConfig(url='postgresql+asyncpg://u:***@h/db')"
    )
