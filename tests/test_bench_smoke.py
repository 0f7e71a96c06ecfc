"""Smoke test of `python -m bench --quick`: it runs, exits 0, and its JSON holds every figure that has a goal.

It checks the benchmarks work, not what they measure (benchmarks are not timed tests)."""

import json
import subprocess
import sys
from pathlib import Path

from bench.report import goal_keys

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_quick_bench_writes_every_figure_with_its_goal(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "machine:" in completed.stdout and "met?" in completed.stdout

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["crashed"] == []
    assert document["machine"]["cores"] and document["machine"]["python"]
    rows = {row["key"]: row for row in document["figures"]}
    for key in goal_keys():
        row = rows.get(key)
        assert row is not None, f"{key} is missing from the JSON"
        assert row["goal"], f"{key} has no goal"
        if row["note"].startswith("skipped"):  # PostgreSQL parts without a server, several processes
            assert ("postgresql" in key or key.startswith("processes.")) and row["met"] is None
        else:
            assert isinstance(row["ours"], int | float), f"{key} was not measured: {row['note']}"
            assert isinstance(row["met"], bool), key
