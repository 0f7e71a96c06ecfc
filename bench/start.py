"""Figure 1b: how fast a small broadcast starts: 40 registered recipients, Telegram's limits, 100 ms round trip."""

from __future__ import annotations

import statistics

from bench.broadcast import OUR_RATE, ours
from bench.report import Results
from bench.settings import Settings
from bench.world import DatabaseTemplate, build_lebak
from bot.sandbox import TelegramLimits

SMALL = 40
REPEATS = 3
START_ALLOWANCE = 0.5
"""Seconds the goal allows on top of 1.2 × N / rate (DESIGN §6): the first send, one round trip, the claim."""


async def figure_start(results: Results, settings: Settings) -> None:
    """A world of its own with only 40 registered PPS, so the broadcast to all PPS reaches exactly 40."""
    small = min(SMALL, settings.broadcast_members)
    settings.progress(f"figure 1b: a {small}-recipient broadcast, {REPEATS} times")
    template = await DatabaseTemplate.create(
        "sqlite", "small", workdir=settings.workdir, postgres_url=settings.postgres_url
    )
    try:
        people = await build_lebak(template.url, small)
        runs = [
            await ours(template, people, latency=settings.latency, limits=TelegramLimits())
            for _ in range(REPEATS)
        ]
    finally:
        await template.drop()
    wall = statistics.median(run.wall for run in runs)
    ideal = small / OUR_RATE
    results.set(
        "start.wall",
        ours=wall,
        note=f"{small} registered PPS, the bot at its default {OUR_RATE:g}/s; median of {REPEATS} runs, from "
        f"firing the broadcast to the outbox being idle; the goal is 1.2 × N / rate + {START_ALLOWANCE} s = "
        f"{1.2 * ideal + START_ALLOWANCE:.2f} s",
        details={"runs": [run.summary() for run in runs]},
    )
    results.set("start.ratio", ours=(wall - START_ALLOWANCE) / ideal)
    results.set(
        "start.problems",
        ours=max(run.too_many + run.missing + run.duplicates for run in runs),
        note="429s provoked + missing + twice, the worst run",
    )
