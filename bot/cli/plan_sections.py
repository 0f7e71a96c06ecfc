"""The plan file's sections beyond the sessions (the program, the duties), composed for `plan import` and `rehearse`."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.cascade.plan_section import DesaBimtekSection
from bot.duties.plan_section import DutyPlanSection, DutyWording
from bot.plan.document import PlanSection
from bot.program.announcements import ProgramSection


def plan_sections(
    now: Callable[[], datetime] | None = None, *, duty_wording: DutyWording | None = None
) -> list[PlanSection[Any]]:
    """Every section parser `plan import` applies after the sessions, in this order.

    `now` is the import moment (what counts as "already past"); a rehearsal passes its own plan time.
    `duty_wording` (handlers.duties.wording.DUTY_WORDING) words the duties' reminders and `plan show` lines.
    An announcement's "Sudah dibaca" button and reminder are worded by handlers.broadcasts.acks.
    """
    from handlers.broadcasts.acks import compose_ack  # the Telegram side owns texts and callback formats

    return [
        ProgramSection(now, ack_wording=compose_ack),
        DutyPlanSection(now, wording=duty_wording),
        DesaBimtekSection(),
    ]
