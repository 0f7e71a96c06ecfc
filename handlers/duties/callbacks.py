"""The callback data of the duty buttons: td: (reminders and /tugas), rt: (/rekap_tugas), tb: (/tugas_baru).

The formats are those already in people's chats: `td:d:12:r`, `rt:l`, `rt:d:12`, `rt:k:12:3`, `tb:k:3`,
`tb:s:save` … Every press is checked again by the rules; anything that does not decode is a stale button.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.runtime.callbacks import CallbackCodec, parse_id
from bot.runtime.wizard import NEXT as NEXT  # the "Lanjut" value of tb:k:ok and tb:r:ok

DUTY_BUTTON = CallbackCodec("td")
RECAP_BUTTON = CallbackCodec("rt")
WIZARD_BUTTON = CallbackCodec("tb")


class DutyAction(StrEnum):
    """What a duty button does."""

    DONE = "d"
    SNOOZE = "s"
    UNDO = "u"


class Origin(StrEnum):
    """Where the duty button sits: under a reminder, or in the /tugas list."""

    REMINDER = "r"
    LIST = "l"


@dataclass(frozen=True)
class DutyPress:
    """A pressed duty button."""

    action: DutyAction
    duty_id: int
    origin: Origin


def duty_button(action: DutyAction, duty_id: int, origin: Origin = Origin.REMINDER) -> str:
    """`td:d:12:r`: the action, the duty and where the button was."""
    return DUTY_BUTTON.encode(action.value, duty_id, origin.value)


def read_duty_button(data: str | None) -> DutyPress | None:
    """The pressed duty button, or None when the data is not one of ours (forged, truncated, id too big)."""
    parts = DUTY_BUTTON.decode(data)
    if parts is None or len(parts) != 3:
        return None
    action = next((a for a in DutyAction if a.value == parts[0]), None)
    origin = next((o for o in Origin if o.value == parts[2]), None)
    duty_id = parse_id(parts[1])
    if action is None or origin is None or duty_id is None:
        return None
    return DutyPress(action, duty_id, origin)


# /rekap_tugas: the list, one duty per kecamatan, one kecamatan's desa.
RECAP_LIST = "l"
RECAP_DUTY = "d"
RECAP_KECAMATAN = "k"


@dataclass(frozen=True)
class RecapPress:
    """A pressed /rekap_tugas button: back to the list (no duty), a duty, or a duty in one kecamatan."""

    duty_id: int | None = None
    kecamatan_id: int | None = None


def recap_list_button() -> str:
    return RECAP_BUTTON.encode(RECAP_LIST)


def recap_duty_button(duty_id: int) -> str:
    return RECAP_BUTTON.encode(RECAP_DUTY, duty_id)


def recap_kecamatan_button(duty_id: int, kecamatan_id: int) -> str:
    return RECAP_BUTTON.encode(RECAP_KECAMATAN, duty_id, kecamatan_id)


def read_recap_button(data: str | None) -> RecapPress | None:
    """The pressed /rekap_tugas button, or None when the data is not one of ours."""
    parts = RECAP_BUTTON.decode(data)
    if parts == (RECAP_LIST,):
        return RecapPress()
    if parts is not None and len(parts) == 2 and parts[0] == RECAP_DUTY:
        duty_id = parse_id(parts[1])
        return RecapPress(duty_id) if duty_id is not None else None
    if parts is not None and len(parts) == 3 and parts[0] == RECAP_KECAMATAN:
        duty_id, kecamatan_id = parse_id(parts[1]), parse_id(parts[2])
        if duty_id is not None and kecamatan_id is not None:
            return RecapPress(duty_id, kecamatan_id)
    return None


class WizardPart(StrEnum):
    """The /tugas_baru steps that take a button: `tb:<part>:<value>` (`tb:k:` is the kecamatan picker's)."""

    COMPLETION = "c"
    AUDIENCE = "a"
    KECAMATAN = "k"
    REMINDERS = "r"
    SAVE = "s"


SAVE, CANCEL = "save", "cancel"


def wizard_button(step: WizardPart, value: str | int) -> str:
    """`tb:k:3`, `tb:r:ok`, `tb:s:save` …"""
    return WIZARD_BUTTON.encode(step.value, value)


def wizard_pattern(step: WizardPart) -> str:
    """The pattern routing one step's buttons."""
    return WIZARD_BUTTON.pattern + re.escape(f"{step.value}:")


def read_wizard_button(step: WizardPart, data: str | None) -> str | None:
    """The value of a button of this step, or None when the data is not one."""
    parts = WIZARD_BUTTON.decode(data)
    if parts is None or len(parts) != 2 or parts[0] != step.value:
        return None
    return parts[1]
