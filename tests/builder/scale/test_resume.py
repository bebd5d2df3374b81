"""Kill a datatrove build half-way (the whole process group, SIGKILL), rerun the same command: finished
tasks are not redone (their files are the very ones the dataset links), the interrupted one is, and the
dataset has no duplicate or missing rows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from dataset_copies import tree

from natostance.parquet_io import read_config
from natostance.builder.scale import plan as P
from natostance.publish.validation import validate

TASKS = 8


def cli(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "natostance", "build", str(raw), "--out", str(out), "--engine", "datatrove",
            "--tasks", str(TASKS), "--workers", "1", "--keep-going", "--json", "--no-progress"]


def test_killed_build_resumes_without_redoing_finished_tasks(corpus, local_build, tmp_path):
    out = tmp_path / "out"
    work = P.work_dir(out)
    proc = subprocess.Popen(cli(corpus, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while len(P.completed(work, TASKS)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = P.completed(work, TASKS)
    assert 2 <= len(done) < TASKS and not out.exists(), "the kill came too late to test resuming"
    inodes = {r: {p.relative_to(P.task_dir(work, r)).as_posix(): p.stat().st_ino
                  for p in (P.task_dir(work, r) / "data").rglob("*.parquet")} for r in done}

    res = subprocess.run(cli(corpus, out), capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    engine = json.loads(res.stdout)["engine"]
    assert engine["tasks_skipped"] == len(done) and engine["tasks_run"] == TASKS - len(done)
    linked = {p.stat().st_ino for p in (out / "data").rglob("*.parquet")}
    # finished tasks' files are linked, not rewritten; the one exception is the task that read the corpus' later
    # byte-for-byte copy of an article, whose rows are rewritten without that duplicate (finish._drop_rows)
    kept = [all(ino in linked for ino in files.values()) for files in inodes.values()]
    assert sum(kept) >= len(kept) - 1, kept
    for config in ("articles", "sentences"):
        assert read_config(out, config) == read_config(local_build, config)
    validate(out)
    assert not work.exists()
    again = tmp_path / "fresh"
    assert subprocess.run(cli(corpus, again), capture_output=True).returncode == 0
    assert tree(out) == tree(again)  # a resumed build is byte for byte an uninterrupted one


def test_failed_finish_leaves_no_output_and_a_rerun_with_keep_going_reuses_every_task(corpus, local_build, tmp_path):
    import pytest

    from natostance.builder import scale
    from natostance.builder.pipeline import BuildOptions
    from natostance.errors import ManyErrors

    out = tmp_path / "out"
    with pytest.raises(ManyErrors, match="file is empty"):
        scale.build(corpus, out, BuildOptions(), scale.ScaleOptions(tasks=3, workers=2))
    assert not out.exists() and len(P.completed(P.work_dir(out), 3)) == 3
    report = scale.build(corpus, out, BuildOptions(keep_going=True), scale.ScaleOptions(tasks=3, workers=2))
    assert report.engine["tasks_skipped"] == 3 and report.engine["tasks_run"] == 0
    assert read_config(out, "sentences") == read_config(local_build, "sentences")
