"""The scoring benchmark runs end to end on a small size and records equality with scikit-learn."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "score.py"


def test_benchmark_small_run(tmp_path):
    out = tmp_path / "score.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--rows",
            "20000",
            "--articles",
            "300",
            "--resamples",
            "50",
            "--sklearn-loop",
            "1",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    res = json.loads(out.read_text())
    assert abs(res["macro_f1"] - res["sklearn_macro_f1"]) < 1e-9
    assert res["ci"][0] <= res["macro_f1"] <= res["ci"][1]
    assert "point estimate" in proc.stdout and set(res["targets"]) == {
        "point_10x_faster",
        "bootstrap_under_5s",
        "memory_under_2gb",
    }
