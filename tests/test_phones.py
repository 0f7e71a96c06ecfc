"""Phone numbers: every local spelling to E.164, and the fast path agrees with phonenumbers."""

import random

import phonenumbers
import pytest

from bot.core.phones import InvalidPhoneNumber, display, to_e164


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "6281234567890",
        "+62 812-3456-7890",
        "62 812 3456 7890",
        "0812.3456.7890",
        " +6281234567890 ",
    ],
)
def test_local_spellings_become_e164(raw: str) -> None:
    assert to_e164(raw) == "+6281234567890"
    assert display(to_e164(raw)) == "+62 812-3456-7890"


@pytest.mark.parametrize("raw", ["", "abc", "0812", "08123456789012345", "+1 202 555 01"])
def test_unreadable_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        to_e164(raw)


def test_landline_goes_through_phonenumbers() -> None:
    assert to_e164("0252 201234") == "+62252201234"


def test_fast_path_gives_phonenumbers_verdict_for_random_mobile_numbers() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        national = "8" + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(8, 11)))
        parsed = phonenumbers.parse("+62" + national, None)
        expected = "+62" + national if phonenumbers.is_valid_number(parsed) else None
        try:
            got: str | None = to_e164("0" + national)
        except InvalidPhoneNumber:
            got = None
        assert got == expected, national
