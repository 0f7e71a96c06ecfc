"""The duty buttons' callback data: the formats already in people's chats, and what is refused."""

import pytest

from handlers.duties.callbacks import (
    DutyAction,
    DutyPress,
    Origin,
    RecapPress,
    WizardPart,
    duty_button,
    read_duty_button,
    read_recap_button,
    read_wizard_button,
    recap_duty_button,
    recap_kecamatan_button,
    recap_list_button,
    wizard_button,
)


def test_the_formats_stay_as_they_are_in_peoples_chats() -> None:
    assert duty_button(DutyAction.DONE, 12) == "td:d:12:r"
    assert duty_button(DutyAction.SNOOZE, 12) == "td:s:12:r"
    assert duty_button(DutyAction.UNDO, 7, Origin.LIST) == "td:u:7:l"
    assert (recap_list_button(), recap_duty_button(3), recap_kecamatan_button(3, 28)) == (
        "rt:l",
        "rt:d:3",
        "rt:k:3:28",
    )
    assert wizard_button(WizardPart.KECAMATAN, 5) == "tb:k:5"
    assert wizard_button(WizardPart.REMINDERS, "ok") == "tb:r:ok"
    assert wizard_button(WizardPart.SAVE, "save") == "tb:s:save"


def test_buttons_read_back() -> None:
    assert read_duty_button("td:d:12:r") == DutyPress(DutyAction.DONE, 12, Origin.REMINDER)
    assert read_duty_button("td:u:7:l") == DutyPress(DutyAction.UNDO, 7, Origin.LIST)
    assert read_recap_button("rt:l") == RecapPress()
    assert read_recap_button("rt:d:3") == RecapPress(3)
    assert read_recap_button("rt:k:3:28") == RecapPress(3, 28)
    assert read_wizard_button(WizardPart.COMPLETION, "tb:c:desa") == "desa"
    assert read_wizard_button(WizardPart.COMPLETION, "tb:a:pps") is None


@pytest.mark.parametrize(
    "data",
    [
        "td:d:12345678901234567890:r",
        "td:d:9223372036854775808:r",
        "td:d:0:r",
        "td:d:-1:r",
        "td:x:1:r",
        "td:d:1:z",
        "td:d:1",
        "td:d:1:r:extra",
        "rt:d:1",  # not a td: button
        None,
    ],
)
def test_a_forged_or_truncated_duty_button_is_refused(data: str | None) -> None:
    assert read_duty_button(data) is None


@pytest.mark.parametrize(
    "data", ["rt:d:12345678901234567890", "rt:k:1:12345678901234567890", "rt:x", "rt:d", "rt:k:1", "td:d:1:r"]
)
def test_a_forged_recap_button_is_refused(data: str) -> None:
    assert read_recap_button(data) is None
