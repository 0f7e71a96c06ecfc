"""The /rekap chart drawn in a short-lived child process: the same PNG, the bot never loads matplotlib, and a
dead, stuck or abandoned child is cleaned up without hanging the bot. Not timed (the bench measures memory)."""

import asyncio
import multiprocessing
import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.attendance.chart import ChartFailed, draw_chart_in_child
from bot.attendance.recap import AttendanceRecap, DesaDistribution, KecamatanAttendance, Tally
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox
from models import Position
from tests.seed import link_telegram, seed_coordinator, seed_members, seed_session

REPO_ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEBAK_KECAMATAN = 28
DEADLINE = 60.0


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _recap(kecamatan: int) -> AttendanceRecap:
    lines = tuple(
        KecamatanAttendance(
            kecamatan_id=k + 1,
            code=f"36.02.{k + 1:02d}",
            name=f"Kecamatan {k + 1}",
            has_session=k % 7 != 6,
            pps=Tally(roster=36, registered=30, present=k),
            ppk=Tally(roster=5, registered=5, present=k % 6),
            desa=DesaDistribution(present_3=k % 4, present_2=2, present_1=1, present_0=3),
        )
        for k in range(kecamatan)
    )
    return AttendanceRecap(
        scope_kecamatan_id=None,
        kecamatan=lines,
        pps=sum((line.pps for line in lines), Tally()),
        ppk=sum((line.ppk for line in lines), Tally()),
        desa=sum((line.desa for line in lines), DesaDistribution()),
    )


async def _chart_children(count: int) -> list[multiprocessing.process.BaseProcess]:
    """Wait until exactly ``count`` chart processes of ours are running."""
    deadline = time.monotonic() + DEADLINE
    while True:
        children = [c for c in multiprocessing.active_children() if c.name == "attendance-chart"]
        if len(children) == count or time.monotonic() > deadline:
            return children
        await asyncio.sleep(0.05)


async def test_the_child_draws_a_phone_sized_png_of_28_kecamatan() -> None:
    png = await draw_chart_in_child(_recap(LEBAK_KECAMATAN), language="id")

    assert png.startswith(PNG_SIGNATURE)
    assert _png_size(png) == (1000, 1400)
    assert await _chart_children(0) == []


def test_drawing_in_the_child_leaves_matplotlib_out_of_the_caller() -> None:
    program = (
        "import asyncio, struct, sys\n"
        "from tests.test_chart_process import _recap\n"
        "from bot.attendance.chart import draw_chart_in_child\n"
        "import handlers.attendance, bot.app\n"
        "png = asyncio.run(draw_chart_in_child(_recap(28), language='en'))\n"
        "print(struct.unpack('>II', png[16:24]), 'matplotlib' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.strip() == "(1000, 1400) False"


async def test_a_chart_process_that_dies_gives_chart_failed() -> None:
    # Only the child this test starts: one left by an earlier test in this worker must not be the one killed.
    earlier = {c.pid for c in multiprocessing.active_children() if c.name == "attendance-chart"}
    drawing = asyncio.create_task(
        draw_chart_in_child(_recap(LEBAK_KECAMATAN), language="id", timeout=DEADLINE)
    )
    deadline = time.monotonic() + DEADLINE
    while True:
        started = [c for c in await _chart_children(len(earlier) + 1) if c.pid not in earlier]
        if started or time.monotonic() > deadline:
            break
    [child] = started
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)  # as the kernel's OOM killer would

    with pytest.raises(ChartFailed, match="exit code -9"):
        await drawing
    assert await _chart_children(0) == []


async def test_a_chart_process_that_takes_too_long_is_killed() -> None:
    with pytest.raises(ChartFailed, match="nothing within 0 s; the child process was killed"):
        await draw_chart_in_child(_recap(LEBAK_KECAMATAN), language="id", timeout=0.0)
    assert await _chart_children(0) == []


async def test_cancelling_the_caller_kills_the_chart_process() -> None:
    drawing = asyncio.create_task(draw_chart_in_child(_recap(LEBAK_KECAMATAN), language="id"))
    await _chart_children(1)
    drawing.cancel()

    with pytest.raises(asyncio.CancelledError):
        await drawing
    assert await _chart_children(0) == []


async def test_regency_recap_is_answered_with_the_chart_as_a_photo(
    running_bot: BotApplication, sandbox: Sandbox, session_factory: SessionFactory
) -> None:
    kpu = sandbox.new_user("Bu KPU")
    [siti] = await seed_members(session_factory, [("Siti Aminah", Position.KETUA, "+6281234567801")])
    await seed_session(session_factory)
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=kpu.id)
    await link_telegram(session_factory, siti.id, sandbox.new_user("Siti").id)

    await kpu.send_text("/rekap")
    recap = await kpu.next_message()
    assert "Rekap kehadiran Bimtek" in recap.text
    chart = await kpu.next_message(timeout=DEADLINE)
    assert chart.method == "sendPhoto"
    assert chart.photo is not None and chart.photo.startswith(PNG_SIGNATURE)
    assert _png_size(chart.photo) == (1000, 1400)
