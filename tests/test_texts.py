"""The text catalogs: both languages complete, the same placeholders, values escaped."""

import pytest

from bot.texts import LANGUAGES, Safe, normalize_language, placeholders, render, render_plain


def test_both_languages_have_the_same_keys() -> None:
    assert set(LANGUAGES["id"]) == set(LANGUAGES["en"])


@pytest.mark.parametrize("key", sorted(LANGUAGES["id"]))
def test_each_entry_has_the_same_placeholders_in_both_languages(key: str) -> None:
    assert placeholders(LANGUAGES["id"][key]) == placeholders(LANGUAGES["en"][key])


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_no_entry_is_empty(language: str) -> None:
    assert [key for key, text in LANGUAGES[language].items() if not text.strip()] == []


def test_values_are_html_escaped_but_safe_fragments_are_not() -> None:
    text = render(
        "id", "register.confirm", name="<b>Ani</b> & Co", position="Ketua PPS", place=Safe("<i>x</i>")
    )
    assert "&lt;b&gt;Ani&lt;/b&gt; &amp; Co" in text
    assert "<i>x</i>" in text


def test_plain_rendering_for_the_terminal_keeps_values_as_written() -> None:
    assert "<Ani>" in render_plain("id", "register.done", name="<Ani>")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "en"), ("en-US", "en"), ("id", "id"), ("jv", "id"), (None, "id"), ("", "id")],
)
def test_telegram_language_codes_map_to_a_catalog(code: str | None, expected: str) -> None:
    assert normalize_language(code) == expected
