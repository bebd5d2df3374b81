"""The CLI mirrors the API: same results, --json for machines, one line per error and exit code 1."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from natostance.cli import cli

DATASET = Path(__file__).resolve().parents[2] / "dataset"


def test_build_and_validate_json(tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["build", str(DATASET / "raw"), "--out", str(tmp_path / "out"), "--json", "--no-progress"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["rows"]["sentences"] == {"train": 114, "validation": 39, "test": 45}
    assert report["removals"]["machine_translation_notice"] == 1 and report["rejected"] == []
    res = runner.invoke(cli, ["validate", str(tmp_path / "out"), "--json"])
    rows = json.loads(res.output)["rows"]
    assert res.exit_code == 0 and (rows["articles"], rows["sentences"]) == (5, 198) and rows["stance"] > 0


def test_human_summary_names_splits_sources_and_removals(tmp_path):
    res = CliRunner().invoke(cli, ["build", str(DATASET / "raw"), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0
    assert "articles         5  (train 2, validation 1, test 2)" in res.output
    assert "by outlet: (unknown) 2, Atlantico Quotidiano 1, ZeroHedge 1, cnn.com 1" in res.output
    assert "publisher_trailer" in res.output and "leakage: 0 near-duplicate" in res.output


def test_errors_are_lines_on_stderr_with_exit_1_not_tracebacks(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DATASET / "raw", raw)
    (raw / "bad.json").write_text("{oops", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "natostance", "build", str(raw), "--out", str(tmp_path / "o"),
                           "--no-annotations"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [  # one error: one line, without the count
        "error: bad.json: malformed JSON at line 1, column 2: Expecting property name enclosed in double quotes",
    ]
    assert "Traceback" not in proc.stderr and not (tmp_path / "o").exists()
    proc = subprocess.run([sys.executable, "-m", "natostance", "validate", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 1 and "no manifest.json: not a built dataset folder" in proc.stderr


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name, command in cli.commands.items():
        res = runner.invoke(cli, [name, "--help"])
        assert res.exit_code == 0, name
        if not hasattr(command, "commands"):
            assert "Example: natostance" in res.output, name
