"""The Slurm executor against a real one-node cluster (Debian's slurm-wlm and munge, started on loopback by
the fixture): ``natostance build --engine datatrove --executor slurm`` submits job arrays and a finish job,
they run under slurmctld/slurmd (first as two arrays: ``--slurm-max-array`` below the task count), and the
dataset is byte for byte the one datatrove's local executor writes (rows equal the local builder's). A task
cancelled with ``scancel`` while it runs is reported by the finish job; rerunning the same command runs
only that task and finishes the same dataset."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from dataset_copies import tree
from slurmcluster import Cluster, missing_programs

from natostance.builder.scale import plan as P
from natostance.builder.scale.slurm import FINISH_LOGS, REPORT
from natostance.parquet_io import read_config

TASKS, WORKERS = 4, 2
WAIT = 240  # seconds: the longest any one wait for jobs may take (a run takes about 30 s on 2 cores)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster(fail_or_skip):
    missing = missing_programs()
    if missing:
        fail_or_skip(f"Debian's Slurm and munge are not installed (make slurm, as root): no {', '.join(missing)}")
    folder = Path(tempfile.mkdtemp(prefix="natostance-slurm-"))  # short: the munge socket's path is limited
    cluster = Cluster(folder)
    try:
        yield cluster.start()  # raises with the daemons' logs if it cannot start
    finally:
        cluster.stop()  # cancels what is left of this cluster's jobs, then stops the daemons
        shutil.rmtree(folder, ignore_errors=True)


def build(cluster: Cluster, raw: Path, out: Path, *more: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "natostance", "build", str(raw), "--out", str(out), "--engine", "datatrove",
           "--executor", "slurm", "--tasks", str(TASKS), "--workers", str(WORKERS), "--keep-going", "--json", *more]
    return subprocess.run(cmd, capture_output=True, text=True, env=cluster.env, timeout=120)


def submit(cluster: Cluster, raw: Path, out: Path, *more: str) -> dict:
    res = build(cluster, raw, out, *more)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout)["submitted"]


def finish_log(sub: dict) -> str:
    return Path(sub["logs"]["finish"]).read_text(errors="replace")


def test_job_array_and_finish_job_write_the_local_executors_dataset(cluster, corpus, datatrove_build,
                                                                      local_build, tmp_path):
    out = tmp_path / "out"
    sub = submit(cluster, corpus, out, "--slurm-max-array", "3")
    assert sub["ranks"] == list(range(TASKS)) and sub["skipped"] == 0 and len(sub["arrays"]) == 2
    cluster.wait_empty(WAIT)
    for job in sub["arrays"]:  # datatrove sizes every array alike: the second's last two elements have no task
        assert cluster.states(job) == {f"{job}_{i}": "COMPLETED" for i in range(3)}, cluster.tail()
    assert cluster.states(sub["finish_job"]) == {f"{sub['finish_job']}_0": "COMPLETED"}, finish_log(sub)
    assert tree(out) == tree(datatrove_build[0])  # every file, byte for byte
    for config in ("articles", "sentences"):
        assert read_config(out, config) == read_config(local_build, config)
    report = json.loads((P.work_dir(out) / FINISH_LOGS / REPORT).read_text())
    assert report["engine"]["executor"] == "slurm" and report["engine"]["tasks_run"] == TASKS
    assert "engine: datatrove 0.10.1 (slurm), 4 task(s), 2 worker(s); ran 4, skipped 0" in finish_log(sub)
    assert sorted(p.name for p in P.work_dir(out).iterdir()) == [FINISH_LOGS]


def test_a_cancelled_task_is_reported_and_the_rerun_runs_only_the_unfinished_task(cluster, corpus,
                                                                                  datatrove_build, tmp_path):
    out, victim = tmp_path / "out", 1
    work = P.work_dir(out)
    sub = submit(cluster, corpus, out)
    element = f"{sub['arrays'][0]}_{sub['ranks'].index(victim)}"

    again = build(cluster, corpus, out)  # while the jobs are queued: refused, nothing touched
    assert again.returncode == 1 and "still queued or running" in again.stderr, again.stderr
    log = P.work_dir(out) / "logs" / "slurm_logs" / f"{element}.out"
    deadline = time.monotonic() + WAIT
    while not (cluster.queue().get(element) == "RUNNING" and log.is_file()):  # its batch script has started
        assert time.monotonic() < deadline and element in cluster.queue(), cluster.queue()
        time.sleep(0.1)
    cluster.run("scancel", element)
    cluster.wait_empty(WAIT)

    assert P.completed(work, TASKS) == [r for r in range(TASKS) if r != victim], "the cancel came too late"
    assert cluster.states(sub["arrays"][0])[element] == "CANCELLED"
    assert cluster.states(sub["finish_job"]) == {f"{sub['finish_job']}_0": "FAILED"}
    assert f"error: task {victim} did not finish (Slurm job {element}; log {log})" in finish_log(sub)
    assert not out.exists()
    inodes = {r: {p.relative_to(P.task_dir(work, r)).as_posix(): p.stat().st_ino
                  for p in (P.task_dir(work, r) / "data").rglob("*.parquet")} for r in P.completed(work, TASKS)}

    res = build(cluster, corpus, out)
    assert res.returncode == 0, res.stderr[-3000:]
    rerun = json.loads(res.stdout)["submitted"]
    assert rerun["ranks"] == [victim] and rerun["skipped"] == TASKS - 1
    cluster.wait_empty(WAIT)
    assert cluster.states(rerun["arrays"][0]) == {f"{rerun['arrays'][0]}_0": "COMPLETED"}
    assert cluster.states(rerun["finish_job"]) == {f"{rerun['finish_job']}_0": "COMPLETED"}, finish_log(rerun)
    engine = json.loads((work / FINISH_LOGS / REPORT).read_text())["engine"]
    assert engine["tasks_run"] == 1 and engine["tasks_skipped"] == TASKS - 1
    # the finished tasks' files are linked into the dataset, not rewritten (but for the task that read the
    # corpus' late byte-for-byte copy of an article: its rows are rewritten without it, finish._drop_rows)
    linked = {p.stat().st_ino for p in (out / "data").rglob("*.parquet")}
    kept = [all(ino in linked for ino in files.values()) for files in inodes.values()]
    assert sum(kept) >= len(kept) - 1, kept
    assert tree(out) == tree(datatrove_build[0])
