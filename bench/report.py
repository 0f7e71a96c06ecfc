"""The figures the benchmarks report: one catalogue of rows with their goals, the table, the JSON, the machine."""

from __future__ import annotations

import json
import math
import os
import platform
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIGURES = ("broadcast", "interactive", "checkin", "cpu", "scale", "processes")
"""Benchmark names, in the order they run (`--only NAME`)."""

DATABASES = ("sqlite", "postgresql")
OURS = "ours"
NAIVE_I = "naive_i"
NAIVE_II = "naive_ii"
COLUMNS = (OURS, NAIVE_I, NAIVE_II)
COLUMN_TITLES = {
    OURS: "ours",
    NAIVE_I: "naive (i)",
    NAIVE_II: "naive (ii)",
}
LEGEND = (
    "ours = the real bot (build_application + running: scheduler, outbox, PriorityRateLimiter); "
    "naive (i) = a sequential loop of send_message on a plain telegram.Bot; "
    "naive (ii) = asyncio.gather of send_message behind PTB's AIORateLimiter (defaults)."
)


@dataclass(frozen=True)
class Goal:
    """A goal of DESIGN §6: ``ours <op> value`` (× the ``relative_to`` column when set)."""

    op: str
    value: float
    text: str
    relative_to: str | None = None

    def met(self, values: dict[str, float | None]) -> bool | None:
        """Whether the ours column meets the goal; None when there is nothing to judge."""
        ours = values.get(OURS)
        if ours is None:
            return None
        bound = self.value
        if self.relative_to is not None:
            base = values.get(self.relative_to)
            if base is None:
                return None
            bound *= base
        if self.op == "<=":
            return ours <= bound
        if self.op == "==":
            return ours == bound
        raise ValueError(f"unknown goal operator {self.op!r}")


@dataclass(frozen=True)
class RowSpec:
    """One row of the table: what is measured, in which unit, against which goal."""

    key: str
    figure: str
    name: str
    unit: str
    goal: Goal | None = None
    digits: int = 1


ZERO = Goal("==", 0, "0")


def _checkin_rows() -> list[RowSpec]:
    rows = []
    for db in DATABASES:
        for mode, label, p95, p99 in (
            ("spread", "spread over the window", Goal("<=", 150, "≤ 150 ms"), Goal("<=", 300, "≤ 300 ms")),
            ("burst", "all at once", None, None),
        ):
            prefix = f"checkin.{db}.{mode}"
            title = f"3 Check-ins {label}, {db}"
            rows += [
                RowSpec(f"{prefix}.p50", "checkin", f"{title}: p50", "ms", None, 0),
                RowSpec(f"{prefix}.p95", "checkin", f"{title}: p95", "ms", p95, 0),
                RowSpec(f"{prefix}.p99", "checkin", f"{title}: p99", "ms", p99, 0),
                RowSpec(f"{prefix}.throughput", "checkin", f"{title}: throughput", "answers/s", None, 1),
                RowSpec(f"{prefix}.errors", "checkin", f"{title}: errors", "", ZERO, 0),
            ]
    return rows


def _scale_rows() -> list[RowSpec]:
    rows = []
    for db in DATABASES:
        title = f"5 Scale, {db}"
        rows += [
            RowSpec(
                f"scale.{db}.roster_import",
                "scale",
                f"{title}: roster import",
                "s",
                Goal("<=", 10, "≤ 10 s"),
                2,
            ),
            RowSpec(
                f"scale.{db}.plan_import", "scale", f"{title}: plan import", "s", Goal("<=", 10, "≤ 10 s"), 2
            ),
            RowSpec(
                f"scale.{db}.rekap",
                "scale",
                f"{title}: /rekap (whole scope)",
                "s",
                Goal("<=", 0.5, "≤ 0.5 s"),
                3,
            ),
            *(
                [
                    RowSpec(
                        f"scale.{db}.bytes_per_member",
                        "scale",
                        f"{title}: storage per member",
                        "bytes",
                        None,
                        0,
                    ),
                    RowSpec(
                        f"scale.{db}.bytes_per_delivery",
                        "scale",
                        f"{title}: storage per delivery",
                        "bytes",
                        None,
                        0,
                    ),
                ]
                if db == "postgresql"
                else []
            ),
            RowSpec(
                f"scale.{db}.idle_rss",
                "scale",
                f"{title}: idle memory (RSS)",
                "MB",
                Goal("<=", 150, "≤ 150 MB"),
                0,
            ),
            RowSpec(
                f"scale.{db}.idle_rss_after_chart",
                "scale",
                f"{title}: idle memory after the first /rekap chart (RSS)",
                "MB",
                Goal("<=", 150, "≤ 150 MB"),
                0,
            ),
        ]
    return rows


def _processes_rows() -> list[RowSpec]:
    """Figure 6 (bench/processes.py): sending processes on one PostgreSQL, paid rate, one shared budget."""
    rows = []
    for n in (1, 2, 3):
        title = f"6 {n} sending process{'es' if n > 1 else ''}, paid rate"
        rows += [
            RowSpec(f"processes.postgresql.{n}.rate", "processes", f"{title}: throughput", "msg/s", None, 0),
            RowSpec(f"processes.postgresql.{n}.429", "processes", f"{title}: 429s provoked", "", ZERO, 0),
            RowSpec(
                f"processes.postgresql.{n}.twice", "processes", f"{title}: missing or twice", "", ZERO, 0
            ),
        ]
    return rows


CATALOGUE: tuple[RowSpec, ...] = (
    RowSpec("broadcast.wall", "broadcast", "1 Broadcast: wall time", "s", None, 1),
    RowSpec("broadcast.ratio", "broadcast", "1 Broadcast: wall / (N / 30 per s)", "×", Goal("<=", 1.05, "≤ 1.05"), 3),
    RowSpec("broadcast.rate", "broadcast", "1 Broadcast: achieved rate", "msg/s", None, 1),
    RowSpec("broadcast.429", "broadcast", "1 Broadcast: 429s provoked", "", ZERO, 0),
    RowSpec("broadcast.missing", "broadcast", "1 Broadcast: missing", "", ZERO, 0),
    RowSpec("broadcast.duplicates", "broadcast", "1 Broadcast: twice or more", "", ZERO, 0),
    RowSpec("broadcast.cpu", "broadcast", "1 Broadcast: CPU per message", "ms", None, 2),
    RowSpec("broadcast.memory", "broadcast", "1 Broadcast: peak memory (traced)", "MB", None, 1),
    RowSpec("broadcast.small", "broadcast", "1 Broadcast to 40: wall time", "s", Goal("<=", 1.2 * 40 / 29 + 0.5, "≤ 1.2 × 40/29 + 0.5"), 2),
    RowSpec("interactive.p50", "interactive", "2 Answers during broadcast: p50", "ms", None, 0),
    RowSpec("interactive.p95", "interactive", "2 Answers during broadcast: p95", "ms", Goal("<=", 1000, "≤ 1000 ms"), 0),
    RowSpec("interactive.p99", "interactive", "2 Answers during broadcast: p99", "ms", None, 0),
    RowSpec("interactive.failed", "interactive", "2 Answers during broadcast: not answered", "", None, 0),
    RowSpec("interactive.broadcast_wall", "interactive", "2 Broadcast wall time meanwhile", "s", None, 1),
    *_checkin_rows(),
    RowSpec("cpu.per_message", "cpu", "4 CPU per delivered message (no latency)", "ms", Goal("<=", 1.3, "≤ 1.3 × (i)", NAIVE_I), 3),
    RowSpec("cpu.ratio", "cpu", "4 CPU per message, ours / bare send_message", "×", None, 2),
    RowSpec("cpu.paced", "cpu", "4 CPU per message, both paced at 29/s", "ms", None, 3),
    RowSpec("cpu.per_message_fast", "cpu", "4 CPU per message, ours at 1,000/s (paid)", "ms", Goal("<=", 1.0, "≤ 1.0 ms"), 3),
    RowSpec("cpu.transport", "cpu", "4 CPU per message, bare loop on the bot's transport", "ms", None, 3),
    *_scale_rows(),
    *_processes_rows(),
)  # fmt: skip
SPECS = {spec.key: spec for spec in CATALOGUE}


def goal_keys() -> list[str]:
    """Keys of every row that has a goal (what the smoke test expects in the JSON)."""
    return [spec.key for spec in CATALOGUE if spec.goal is not None]


@dataclass
class Row:
    """A measured row: values per column, a note, and details that only go to the JSON."""

    spec: RowSpec
    values: dict[str, float | None] = field(default_factory=dict)
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool | None:
        return self.spec.goal.met(self.values) if self.spec.goal is not None else None

    def to_json(self) -> dict[str, Any]:
        goal = self.spec.goal
        return {
            "key": self.spec.key,
            "figure": self.spec.figure,
            "name": self.spec.name,
            "unit": self.spec.unit,
            **{column: _finite(self.values.get(column)) for column in COLUMNS},
            "goal": goal.text if goal is not None else None,
            "goal_op": goal.op if goal is not None else None,
            "goal_value": goal.value if goal is not None else None,
            "goal_relative_to": goal.relative_to if goal is not None else None,
            "met": self.met,
            "note": self.note,
            "details": self.details,
        }


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


class Results:
    """Rows of the selected figures, filled in by the benchmarks as they finish."""

    def __init__(self, figures: Iterable[str]) -> None:
        selected = set(figures)
        self.rows = {spec.key: Row(spec) for spec in CATALOGUE if spec.figure in selected}
        self.notes: list[str] = []
        self.crashes: list[dict[str, str]] = []
        self.details: dict[str, Any] = {}

    def set(
        self,
        key: str,
        *,
        ours: float | None = None,
        naive_i: float | None = None,
        naive_ii: float | None = None,
        note: str = "",
        **details: Any,
    ) -> None:
        """Record a row's values (a column left at None prints as a dash)."""
        row = self.rows[key]
        row.values = {OURS: ours, NAIVE_I: naive_i, NAIVE_II: naive_ii}
        if note:
            row.note = note
        row.details.update(details)

    def mark(self, prefix: str, note: str) -> None:
        """Note every row whose key starts with ``prefix`` (e.g. skipped, or crashed) that has no values."""
        for key, row in self.rows.items():
            if key.startswith(prefix) and not any(v is not None for v in row.values.values()):
                row.note = note

    def to_json(self, machine: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        return {
            "machine": machine,
            "options": options,
            "legend": LEGEND,
            "notes": self.notes,
            "figures": [row.to_json() for row in self.rows.values()],
            "details": self.details,
            "crashed": self.crashes,
        }


# --- presentation ------------------------------------------------------------------------------------


def format_value(value: float | None, digits: int) -> str:
    """A number as the table shows it ('—' when not measured, '∞' for 'never answered')."""
    if value is None:
        return "—"
    if math.isinf(value):
        return "∞"
    return f"{value:,.{digits}f}"


def table(results: Results) -> str:
    """The table: one row per measured quantity, grouped by figure, each beside its goal."""
    header = ["figure", *(COLUMN_TITLES[c] for c in COLUMNS), "goal", "met?"]
    lines: list[list[str]] = []
    footnotes: list[str] = []
    for row in results.rows.values():
        spec = row.spec
        name = f"{spec.name} ({spec.unit})" if spec.unit and spec.unit != "×" else spec.name
        met = {True: "✓", False: "✗", None: "–" if spec.goal is not None else ""}[row.met]
        if row.note:
            if row.note not in footnotes:
                footnotes.append(row.note)
            name += f" [{footnotes.index(row.note) + 1}]"
        lines.append(
            [
                name,
                *(format_value(row.values.get(c), spec.digits) for c in COLUMNS),
                spec.goal.text if spec.goal is not None else "",
                met,
            ]
        )
    widths = [
        max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(header)
    ]

    def render(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(widths[i + 1]) for i, cell in enumerate(cells[1:-2])]
        return " | ".join([first, *rest, cells[-2].ljust(widths[-2]), cells[-1]])

    out = [render(header), "-+-".join("-" * w for w in widths)]
    out += [render(line) for line in lines]
    out += [f"[{i}] {note}" for i, note in enumerate(footnotes, start=1)]
    return "\n".join(out)


def machine() -> dict[str, Any]:
    """Cores, CPU model (from /proc/cpuinfo), memory and the Python that ran the benchmarks."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_mb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_mb = int(line.split()[1]) // 1024
                break
    except OSError:
        pass
    return {
        "load_average": _load_average(),
        "cores": os.cpu_count(),
        "cpu_model": model,
        "memory_mb": memory_mb,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }


def _load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def load_line(label: str) -> str:
    """The 1/5/15-minute load average now (other work on the machine skews every timing)."""
    load = _load_average()
    return f"load average {label}: {' / '.join(f'{v:.2f}' for v in load)}" if load else ""


def machine_line(info: dict[str, Any]) -> str:
    """One line describing the machine, printed above the table."""
    memory = f", {info['memory_mb']:,} MB RAM" if info.get("memory_mb") else ""
    return (
        f"machine: {info['cores']} cores, {info['cpu_model']}{memory}; "
        f"{info['implementation']} {info['python']} on {info['platform']}"
    )


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write the figures as JSON (the same numbers as the table)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


# --- statistics --------------------------------------------------------------------------------------


def percentile(values: Sequence[float | None], p: float) -> float | None:
    """Nearest-rank percentile; a None (never answered) counts as infinitely late. None when empty."""
    if not values:
        return None
    ordered = sorted(math.inf if v is None else v for v in values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float | None) -> float | None:
    """Seconds to milliseconds (None and ∞ kept)."""
    return None if seconds is None else seconds * 1000
