"""Figure 3: every registered member checks in (location at the venue), spread over a window and all at
once, on SQLite and PostgreSQL: answer times, throughput, errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.host import SandboxHost
from bench.people import Answer, check_ins, drive, failed_sends, too_many_requests, wait_polling
from bench.report import Results, ms, percentile
from bench.settings import Settings
from bench.world import TRAINING_MORNING, DatabaseTemplate, Person, bot_config, count_check_ins
from bot.app import TELEGRAM_OVERALL_PER_SECOND, build_application, running
from bot.core.clock import ManualClock
from bot.sandbox import TelegramLimits


@dataclass
class CheckInRun:
    """One burst, measured."""

    members: int
    spread: float
    answers: list[Answer] = field(default_factory=list)
    failed_sends: int = 0
    too_many: int = 0
    recorded: int = 0

    @property
    def wrong(self) -> int:
        return sum(1 for a in self.answers if a.latency is None)

    @property
    def errors(self) -> int:
        return self.wrong + self.failed_sends

    @property
    def throughput(self) -> float | None:
        done = [a.answered_at for a in self.answers if a.answered_at is not None]
        if not done:
            return None
        span = max(done) - min(a.sent_at for a in self.answers)
        return len(done) / span if span > 0 else None

    def summary(self) -> dict[str, Any]:
        return {
            "members": self.members,
            "spread_s": self.spread,
            "answered": len(self.answers) - self.wrong,
            "wrong_or_missing_answers": self.wrong,
            "failed_sends": self.failed_sends,
            "429": self.too_many,
            "check_ins_recorded": self.recorded,
            "problems": sorted({a.problem for a in self.answers if a.problem})[:5],
        }


async def burst(
    template: DatabaseTemplate, people: Sequence[Person], spread: float, seed: int, timeout: float
) -> CheckInRun:
    """The real bot with a fresh copy of the database; the sandbox enforces Telegram's limits, adds no latency."""
    url = await template.copy()
    run = CheckInRun(len(people), spread)
    async with SandboxHost(latency=0.0, limits=TelegramLimits(), people=len(people)) as host:
        application = build_application(bot_config(host, url), clock=ManualClock(TRAINING_MORNING))
        async with running(application):
            await host.call(wait_polling)
            await host.reset()
            run.answers = await host.call(drive(check_ins(people, spread, seed), timeout))
        run.failed_sends = await host.call(failed_sends)
        run.too_many = await host.call(too_many_requests)
    run.recorded = await count_check_ins(url)
    return run


async def figure_checkin(
    results: Results,
    settings: Settings,
    templates: dict[str, tuple[DatabaseTemplate, list[Person]]],
) -> None:
    """Spread (the goal's case) then all at once, per database."""
    for db, (template, people) in templates.items():
        for mode, spread in (("spread", settings.checkin_spread), ("burst", 0.0)):
            settings.progress(f"figure 3: {len(people):,} check-ins on {db}, {mode} ({spread:.0f} s)")
            timeout = spread + settings.answer_timeout(len(people), TELEGRAM_OVERALL_PER_SECOND)
            run = await burst(template, people, spread, settings.seed, timeout)
            prefix = f"checkin.{db}.{mode}"
            latencies = [a.latency for a in run.answers]
            for p in (50, 95, 99):
                results.set(f"{prefix}.p{p}", ours=ms(percentile(latencies, p)))
            results.set(f"{prefix}.throughput", ours=run.throughput)
            note = (
                f"{len(people):,} location check-ins at random moments over {spread:.0f} s "
                f"(≈ {len(people) / spread:.0f}/s); "
                if spread > 0
                else f"{len(people):,} location check-ins sent at once: the bot's limiter answers at most "
                f"{TELEGRAM_OVERALL_PER_SECOND}/s (Telegram's 30/s), so answer times grow with the queue by "
                "design and have no goal; "
            )
            results.set(
                f"{prefix}.errors",
                ours=run.errors,
                note=note + "sandbox without added latency (the bot's own time); errors = wrong or missing "
                "answers + failed sends",
                details=run.summary(),
            )
