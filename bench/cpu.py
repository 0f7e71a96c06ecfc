"""Figure 4: CPU per delivered message, our outbox vs python-telegram-bot's bare send_message, same run."""

from __future__ import annotations

from collections.abc import Sequence

from bench.broadcast import PACE, ours, send_loop
from bench.report import Results
from bench.settings import Settings
from bench.world import DatabaseTemplate, Person


async def figure_cpu(
    results: Results, settings: Settings, template: DatabaseTemplate, people: Sequence[Person]
) -> None:
    """The sandbox adds no latency and enforces no limits (the bare loop would be flood-limited otherwise).

    The goal's reference is the bare loop as fast as it goes, on python-telegram-bot's default (httpx)
    transport: the mean of a run before and one after ours, so drift during the run cancels out. Ours is
    measured at the default rate (paced at 29/s) and at the paid rate (as fast as it goes). Two more bare
    loops say what the figures are made of: one paced at 29/s like ours (a paced sender wakes cold for
    every message, which costs about twice the CPU of a back-to-back loop on this kind of machine), and
    one on the bot's own transport (bot.runtime.transport). CPU is the process's minus the sandbox
    thread's (bench.host)."""
    n = len(people)
    settings.progress("figure 4: bare send_message loop")
    bare_first = await send_loop(people, latency=0.0, limits=None)
    settings.progress("figure 4: ours at the default rate (paced at 29/s)")
    mine = await ours(template, people, latency=0.0, limits=None)
    settings.progress("figure 4: bare send_message loop paced at 29/s")
    bare_paced = await send_loop(people, latency=0.0, limits=None, pace=PACE)
    settings.progress("figure 4: bare send_message loop on the bot's transport")
    bare_ours = await send_loop(people, latency=0.0, limits=None, our_transport=True)
    settings.progress("figure 4: bare send_message loop again")
    bare_second = await send_loop(people, latency=0.0, limits=None)
    settings.progress("figure 4: ours at the paid-broadcast rate (1,000/s)")
    fast = await ours(template, people, latency=0.0, limits=None, rate=1000.0, paid=True)

    def per_message(seconds: float) -> float:
        return seconds * 1000 / n

    bare_ms = per_message((bare_first.cpu + bare_second.cpu) / 2)
    ours_ms, fast_ms = per_message(mine.cpu), per_message(fast.cpu)
    paced_ms, transport_ms = per_message(bare_paced.cpu), per_message(bare_ours.cpu)
    results.set(
        "cpu.per_message",
        ours=ours_ms,
        naive_i=bare_ms,
        note=f"{n:,} messages; ours at the default rate (the whole budget, paced at 29/s), from firing the broadcast to the outbox "
        "being idle (the idle bot itself costs ~0.2 ms CPU per second, negligible); bare = a send_message loop "
        "on a plain Bot with python-telegram-bot's default transport, as fast as it goes, mean of a run before and after ours",
        details={
            "ours": mine.summary(),
            "bare_runs": [bare_first.summary(), bare_second.summary()],
            "bare_paced": bare_paced.summary(),
            "bare_on_our_transport": bare_ours.summary(),
            "ours_paid_rate": fast.summary(),
        },
    )
    results.set("cpu.ratio", ours=ours_ms / bare_ms if bare_ms else None)
    results.set(
        "cpu.paced",
        ours=ours_ms,
        naive_i=paced_ms,
        note="both paced at 29/s: ours through the outbox and the limiter, the bare loop sleeping to its next slot",
    )
    results.set("cpu.per_message_fast", ours=fast_ms, naive_i=bare_ms)
    results.set(
        "cpu.transport",
        naive_i=transport_ms,
        note="the bare loop as fast as it goes on the bot's transport (aiohttp's client) instead of httpx",
    )
