"""[privacy] in the config file: the defaults, the notice file beside the config, and one line for each mistake."""

from pathlib import Path

import pytest

from bot.core.config import ConfigError, load_config


def _write(tmp_path: Path, privacy: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f"[privacy]\n{privacy}\n", encoding="utf-8")
    return config


def _load(tmp_path: Path, privacy: str) -> object:
    return load_config(_write(tmp_path, privacy), environ={}, require_token=False)


def test_defaults_keep_180_days_and_use_the_built_in_notice(tmp_path: Path) -> None:
    config = load_config(None, environ={}, require_token=False)
    assert (config.privacy.retain_days, config.privacy.purge_on_start, config.privacy.notice_file) == (
        180,
        False,
        None,
    )


def test_the_notice_file_is_read_beside_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "pemberitahuan.txt").write_text("Data Anda untuk Bimtek.\n", encoding="utf-8")
    config = load_config(
        _write(tmp_path, 'retain_days = 365\npurge_on_start = true\nnotice_file = "pemberitahuan.txt"'),
        environ={},
        require_token=False,
    )
    assert config.privacy.notice_file == tmp_path / "pemberitahuan.txt"
    assert (config.privacy.retain_days, config.privacy.purge_on_start) == (365, True)


@pytest.mark.parametrize(
    ("privacy", "content", "expected"),
    [
        ('notice_file = "missing.txt"', None, "[privacy] notice_file cannot read"),
        ('notice_file = "notice.txt"', "   \n", "is empty"),
        ('notice_file = "notice.txt"', "x" * 3001, "at most 3000"),
        ('notice_file = "notice.txt"', b"\xff\xfe\x00", "is not UTF-8 text"),
        ("retain_days = 0", None, "[privacy] retain_days must be at least 1, got 0"),
        ('purge_on_start = "yes"', None, "[privacy] purge_on_start must be true or false"),
        ("retain_day = 10", None, "unknown key [privacy] retain_day (did you mean retain_days?)"),
    ],
)
def test_mistakes_are_one_line_naming_the_key(
    tmp_path: Path, privacy: str, content: str | bytes | None, expected: str
) -> None:
    if isinstance(content, bytes):
        (tmp_path / "notice.txt").write_bytes(content)
    elif content is not None:
        (tmp_path / "notice.txt").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, privacy)
    assert expected in str(raised.value)
    assert "\n" not in str(raised.value)
