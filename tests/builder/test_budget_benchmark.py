"""The output-cost benchmark runs end to end on a small corpus and its figures add up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "budget.py"
PARTS = ("read and hash raw files", "copy raw files", "write articles + sentences Parquet", "one SHA-256 per sentence")


def test_budget_small_run(tmp_path):
    out = tmp_path / "budget.json"
    proc = subprocess.run([sys.executable, str(SCRIPT), "--articles", "150", "--repeats", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    res = json.loads(out.read_text())
    assert res["articles"] == 150 == sum(res["corpus"].values())
    cpu = res["cpu_s"]
    assert set(cpu) == {"floor", "builder", *PARTS} and all(v > 0 for v in cpu.values())
    assert abs(res["unavoidable_cpu_s"] - sum(cpu[p] for p in PARTS)) < 1e-9
    assert abs(res["allowed_cpu_s_at_target"] - cpu["floor"] / res["target"]) < 1e-9
    assert res["builder_ratio"] == cpu["floor"] / cpu["builder"] < 1  # the builder does more than the floor
    assert "unavoidable parts together" in proc.stdout and "target >= 0.20" in proc.stdout
