"""Figure 4: CPU per delivered message, our outbox vs python-telegram-bot's bare send_message, same run."""

from __future__ import annotations

from collections.abc import Sequence

from bench.broadcast import ours, send_loop
from bench.report import Results
from bench.settings import Settings
from bench.world import DatabaseTemplate, Person


async def figure_cpu(
    results: Results, settings: Settings, template: DatabaseTemplate, people: Sequence[Person]
) -> None:
    """The sandbox adds no latency and enforces no limits (the bare loop would be flood-limited otherwise).

    Order: bare, ours, bare, ours at the paid-broadcast rate; the bare figure is the mean of its two runs,
    so drift during the run cancels out. CPU is the process's minus the sandbox thread's (bench.host)."""
    n = len(people)
    settings.progress("figure 4: bare send_message loop")
    bare_first = await send_loop(people, latency=0.0, limits=None)
    settings.progress("figure 4: ours at the default rate (paced at 29/s)")
    mine = await ours(template, people, latency=0.0, limits=None)
    settings.progress("figure 4: bare send_message loop again")
    bare_second = await send_loop(people, latency=0.0, limits=None)
    settings.progress("figure 4: ours at the paid-broadcast rate (1,000/s)")
    fast = await ours(template, people, latency=0.0, limits=None, rate=1000.0, paid=True)

    bare_ms = (bare_first.cpu + bare_second.cpu) / 2 * 1000 / n
    ours_ms = mine.cpu * 1000 / n
    fast_ms = fast.cpu * 1000 / n
    results.set(
        "cpu.per_message",
        ours=ours_ms,
        naive_i=bare_ms,
        note=f"{n:,} messages; ours at the default rate (the whole budget, paced at 29/s), from firing the broadcast to the outbox "
        "being idle (the idle bot itself costs ~0.2 ms CPU per second, negligible); bare = a send_message loop "
        "on a plain Bot, mean of a run before and after ours",
        details={
            "ours": mine.summary(),
            "bare_runs": [bare_first.summary(), bare_second.summary()],
            "ours_paid_rate": fast.summary(),
        },
    )
    results.set("cpu.ratio", ours=ours_ms / bare_ms if bare_ms else None)
    results.set("cpu.per_message_fast", ours=fast_ms, naive_i=bare_ms)
