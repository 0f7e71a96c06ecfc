"""What one `python -m bench` run measures: sizes and the network model, full or --quick."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

LEBAK_PPS = 1035
SCALE_MEMBERS = 150_000
"""A large regency with its KPPS (DESIGN §6, issue 12): the scale benchmark's default size."""
FULL_LATENCY = 0.1
"""Seconds the sandbox adds to every request. The sandbox sleeps once per request, before handling it and
with the response sent straight after, so this is the whole round trip as the bot sees it: 0.1 = 100 ms.
(0.05 would model a 50 ms round trip, not a 50 ms one-way trip.)"""


@dataclass(frozen=True)
class Settings:
    """Sizes of the benchmarks (full: DESIGN §6; quick: a few seconds for CI's smoke test)."""

    quick: bool
    workdir: Path
    postgres_url: str | None
    broadcast_members: int
    latency: float
    interactive: int
    checkin_spread: float
    scale_members: int
    repeat: int
    seed: int
    verbose: bool = False
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def make(
        cls,
        *,
        quick: bool,
        workdir: Path,
        postgres_url: str | None,
        members: int | None,
        repeat: int,
        seed: int,
        verbose: bool,
    ) -> Settings:
        if quick:
            return cls(
                quick=True,
                workdir=workdir,
                postgres_url=postgres_url,
                broadcast_members=20,
                latency=0.02,
                interactive=6,
                checkin_spread=1.0,
                scale_members=members or 2000,
                repeat=repeat,
                seed=seed,
                verbose=verbose,
            )
        return cls(
            quick=False,
            workdir=workdir,
            postgres_url=postgres_url,
            broadcast_members=LEBAK_PPS,
            latency=FULL_LATENCY,
            interactive=50,
            checkin_spread=60.0,
            scale_members=members or SCALE_MEMBERS,
            repeat=repeat,
            seed=seed,
            verbose=verbose,
        )

    def answer_timeout(self, recipients: int, rate: float) -> float:
        """How long a simulated member waits for an answer before counting it as never answered: a reply
        may queue behind a whole broadcast (N / rate), plus a margin."""
        return recipients / rate + (2.0 if self.quick else 10.0)

    def progress(self, message: str) -> None:
        """One line on stderr, with the time since the start."""
        elapsed = int(time.monotonic() - self.started)
        print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {message}", file=sys.stderr, flush=True)
