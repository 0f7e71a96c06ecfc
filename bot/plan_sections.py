"""The parts of the plan file beyond the sessions: the synchronized program and the duties."""

from typing import Any

from bot.duty_plan import DutyPlanSection
from bot.plan import PlanSection
from bot.program import ProgramSection


def plan_sections() -> list[PlanSection[Any]]:
    """Every section parser `plan import` applies after the sessions, in this order."""
    return [ProgramSection(), DutyPlanSection()]
