"""Simulated members who talk to the bot at set moments (/jadwal or a check-in), timed from their message
to the bot's answer arriving at the sandbox. Runs on the sandbox's loop (see bench.host)."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bench.world import Person
from bot.sandbox import BotMessage, Sandbox, SandboxTimeout
from bot.texts import LANGUAGES

BROADCAST_MARK = "[Bimtek]"
"""Every benchmark broadcast starts with this, so answers and announcements can be told apart."""

JADWAL = "jadwal"
HADIR = "hadir"
REKAP = "rekap"


def _checked_in_prefix() -> str:
    # The constant start of the catalog's check-in confirmation ("✅ Presensi tercatat, "), without markup.
    template = LANGUAGES["id"]["checkin.done"]
    return re.sub(r"<[^>]*>", "", template.split("{", 1)[0])


CHECKED_IN = _checked_in_prefix()


@dataclass(frozen=True)
class Interaction:
    """One member doing one thing ``offset`` seconds after the start."""

    person: Person
    kind: str
    offset: float


@dataclass(frozen=True)
class Answer:
    """What came back: ``latency`` from the member's message to the answer (None: no right answer)."""

    kind: str
    sent_at: float
    latency: float | None
    problem: str | None = None

    @property
    def answered_at(self) -> float | None:
        return None if self.latency is None else self.sent_at + self.latency


def during(people: Sequence[Person], count: int, span: float, seed: int) -> list[Interaction]:
    """``count`` members chosen at random, each sending /jadwal or checking in at a random moment in
    [0.5 s, span)."""
    rng = random.Random(seed)
    chosen = rng.sample(list(people), min(count, len(people)))
    moments = [(rng.choice((JADWAL, HADIR)), rng.uniform(0.5, max(0.5, span))) for _ in chosen]
    return sorted(
        (Interaction(person, kind, offset) for person, (kind, offset) in zip(chosen, moments, strict=True)),
        key=lambda i: i.offset,
    )


def check_ins(people: Sequence[Person], spread: float, seed: int) -> list[Interaction]:
    """Every member checks in once, at a uniformly random moment within ``spread`` seconds (0: all at once)."""
    rng = random.Random(seed)
    return sorted(
        (Interaction(person, HADIR, rng.uniform(0.0, spread) if spread > 0 else 0.0) for person in people),
        key=lambda i: i.offset,
    )


def drive(
    interactions: Sequence[Interaction], timeout: float
) -> Callable[[Sandbox], Awaitable[list[Answer]]]:
    """The action for SandboxHost.call: play the interactions from now on and collect the answers."""

    async def play(sandbox: Sandbox) -> list[Answer]:
        start = time.monotonic()
        return list(await asyncio.gather(*(_one(sandbox, i, start, timeout) for i in interactions)))

    return play


def _is_answer(kind: str, message: BotMessage) -> bool:
    return message.kind == "venue" if kind == JADWAL else message.text.startswith(CHECKED_IN)


async def _one(sandbox: Sandbox, interaction: Interaction, start: float, timeout: float) -> Answer:
    await asyncio.sleep(max(0.0, start + interaction.offset - time.monotonic()))
    user = sandbox.user(interaction.person.telegram_id)
    sent = time.monotonic()
    if interaction.kind == JADWAL:
        await user.send_text("/jadwal")
    else:
        await user.share_location(interaction.person.latitude, interaction.person.longitude)
    try:
        # The first thing the bot sends this member afterwards that is not the broadcast is the answer.
        reply = await user.wait_for(
            lambda m: m.sent_at >= sent and not m.text.startswith(BROADCAST_MARK), timeout
        )
    except SandboxTimeout:
        return Answer(interaction.kind, sent, None, f"no answer within {timeout:.0f} s")
    if not _is_answer(interaction.kind, reply):
        return Answer(interaction.kind, sent, None, f"unexpected answer: {reply.text[:80]!r}")
    return Answer(interaction.kind, sent, reply.sent_at - sent)


def rekap_chart(person: Person, timeout: float) -> Callable[[Sandbox], Awaitable[Answer]]:
    """The action for SandboxHost.call: ``person`` (a regency coordinator) sends /rekap; the answer is the
    chart, a photo, timed from the command."""

    async def ask(sandbox: Sandbox) -> Answer:
        user = sandbox.user(person.telegram_id)
        sent = time.monotonic()
        await user.send_text("/rekap")
        try:
            chart = await user.wait_for(lambda m: m.sent_at >= sent and m.method == "sendPhoto", timeout)
        except SandboxTimeout:
            return Answer(REKAP, sent, None, f"no chart within {timeout:.0f} s")
        return Answer(REKAP, sent, chart.sent_at - sent)

    return ask


def broadcast_counts(chats: Sequence[int]) -> Callable[[Sandbox], Awaitable[tuple[int, int]]]:
    """The action for SandboxHost.call: (members without the broadcast, extra copies delivered)."""

    async def count(sandbox: Sandbox) -> tuple[int, int]:
        missing = duplicates = 0
        for chat in chats:
            got = sum(1 for m in sandbox.user(chat).messages if m.text.startswith(BROADCAST_MARK))
            missing += got == 0
            duplicates += max(0, got - 1)
        return missing, duplicates

    return count


async def too_many_requests(sandbox: Sandbox) -> int:
    """429s the sandbox answered since its stats were reset."""
    return sandbox.stats.too_many_requests


async def failed_sends(sandbox: Sandbox) -> int:
    """Message-producing calls the sandbox answered with an error since its stats were reset."""
    return sum(1 for call in sandbox.calls if call.method.startswith("send") and call.status != 200)


async def wait_polling(sandbox: Sandbox) -> None:
    """Wait until the bot long-polls (it has started)."""
    await sandbox.wait_polling(timeout=30)
