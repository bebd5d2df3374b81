"""The Slurm executor on a real one-node cluster against the local builder and datatrove's local executor.

    python benchmarks/slurm.py [--sizes 10000] [--articles-per-task 2500] [--workers 2]

Starts the tests' one-node Slurm cluster on loopback (tests/builder/scale/slurmcluster.py: Debian's slurm-wlm
and munge, ``make slurm``), builds a synthetic corpus (benchmarks/synth.py, the files mix), then per size:
the local builder, datatrove's local executor and datatrove on Slurm with the same tasks and workers. The
local runs are watched as in benchmarks/scale.py; the Slurm run from the submitting command's start to the
end of the finish job, with the CPU time of every process that carries this cluster's ``SLURM_CONF`` (the
submitting command, batch scripts, srun, the tasks) and the controller's times per job (queue wait, array
span, finish job). Ratios are within one run, against the local builder and against the local executor.
Writes benchmarks/out/slurm.json. Wall times on a shared machine are noisy: run it when the machine is idle.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests" / "builder" / "scale")]
from scale import _stat, run  # noqa: E402
from slurmcluster import Cluster, missing_programs  # noqa: E402


def _ours(pid: str, marker: bytes, before: set[str]) -> bool:
    """A process of this run: started after the submission, carries this cluster's SLURM_CONF (not the
    daemons, which ran before; not the squeue this script polls with)."""
    if pid in before:
        return False
    try:
        with open(f"/proc/{pid}/stat") as fh:
            if int(fh.read().rsplit(")", 1)[1].split()[1]) == os.getpid():
                return False
        with open(f"/proc/{pid}/environ", "rb") as fh:
            return marker in fh.read().split(b"\0")
    except OSError:
        return False


def slurm_run(cluster: Cluster, raw: Path, out: Path, tasks: int, workers: int) -> dict:
    """Submit, wait for the finish job, sum the CPU of the submitting command and every job process."""
    marker = f"SLURM_CONF={cluster.conf}".encode()
    cmd = [sys.executable, "-m", "natostance", "build", str(raw), "--out", str(out), "--engine", "datatrove",
           "--executor", "slurm", "--tasks", str(tasks), "--workers", str(workers), "--json"]
    before = {pid for pid in os.listdir("/proc") if pid.isdigit()}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=cluster.env)
    cpu: dict[str, float] = {}
    seen: dict[str, bool] = {}
    peak = 0
    while proc.poll() is None or cluster.queue():
        for pid in os.listdir("/proc"):
            if pid.isdigit() and pid not in seen:
                seen[pid] = pid == str(proc.pid) or _ours(pid, marker, before)
            if seen.get(pid) and (s := _stat(pid)):
                cpu[pid] = s[0]
                peak = max(peak, s[1])
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{cmd} failed ({proc.returncode})")
    sub = json.loads(proc.stdout.read())["submitted"]
    report = json.loads(Path(sub["logs"]["report"]).read_text())
    jobs = {"tasks": _times(cluster, sub["arrays"]), "finish": _times(cluster, [sub["finish_job"]])}
    submitted = min(t["submit"] for t in jobs.values())
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(Path(sub["work"]), ignore_errors=True)
    return {"articles": sum(report["rows"]["articles"].values()), "wall_s": wall, "cpu_s": sum(cpu.values()),
            "processes": len(cpu), "peak_rss_mb": peak / 2**20,
            "queue_wait_s": jobs["tasks"]["first_start"] - submitted,
            "array_span_s": jobs["tasks"]["last_end"] - jobs["tasks"]["first_start"],
            "finish_wait_s": jobs["finish"]["first_start"] - jobs["tasks"]["last_end"],
            "finish_s": jobs["finish"]["last_end"] - jobs["finish"]["first_start"]}


def _times(cluster: Cluster, jobs: list[str]) -> dict[str, float]:
    """Submit, first start and last end of the jobs' elements, from the controller (1 s resolution)."""
    rows = [dict(f.split("=", 1) for f in line.split() if "=" in f)
            for job in jobs for line in cluster.run("scontrol", "-o", "show", "job", job).splitlines()]
    ts = lambda key: [datetime.fromisoformat(r[key]).timestamp() for r in rows]  # noqa: E731
    return {"submit": min(ts("SubmitTime")), "first_start": min(ts("StartTime")), "last_end": max(ts("EndTime"))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    ap.add_argument("--articles-per-task", type=int, default=2_500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "slurm.json")
    args = ap.parse_args()
    if missing := missing_programs():
        raise SystemExit(f"Debian's Slurm and munge are not installed (make slurm, as root): no {', '.join(missing)}")
    from synth import make_corpus

    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                     "load_average_at_start": os.getloadavg(), "workers": args.workers, "runs": {}, "tasks": {}}
    tmp = Path(tempfile.mkdtemp(prefix="natostance-slurm-bench-"))
    cluster = Cluster(tmp / "cluster")
    try:
        cluster.start()
        for n in args.sizes:
            raw = tmp / f"raw-{n}"
            make_corpus(raw, n)
            tasks = results["tasks"][str(n)] = -(-n // args.articles_per_task)
            runs = results["runs"][str(n)] = {}
            runs["local"] = run("local", raw, tmp / "out", 1, tasks)
            runs["datatrove-local"] = run("datatrove", raw, tmp / "out", args.workers, tasks)
            runs["datatrove-slurm"] = slurm_run(cluster, raw, tmp / "out", tasks, args.workers)
            shutil.rmtree(raw)
            print_size(n, tasks, runs)
    finally:
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    results["load_average_at_end"] = os.getloadavg()
    results["summary"] = {n: summarise(r) for n, r in results["runs"].items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["summary"], indent=2))


def summarise(r: dict) -> dict:
    loc, dtl, slu = r["local"], r["datatrove-local"], r["datatrove-slurm"]
    return {"slurm_over_local_executor_wall": slu["wall_s"] / dtl["wall_s"] - 1,
            "slurm_over_local_executor_cpu": slu["cpu_s"] / dtl["cpu_s"] - 1,
            "slurm_over_local_builder_wall": slu["wall_s"] / loc["wall_s"] - 1,
            "slurm_over_local_builder_cpu": slu["cpu_s"] / loc["cpu_s"] - 1,
            "slurm_wall_share_outside_jobs": (slu["queue_wait_s"] + slu["finish_wait_s"]) / slu["wall_s"]}


def print_size(n: int, tasks: int, runs: dict) -> None:
    print(f"{f'{n} articles, {tasks} tasks':<26}{'wall s':>8}{'cpu s':>8}{'art/s':>8}{'peak MB':>9}")
    for kind, x in runs.items():
        print(f"{kind:<26}{x['wall_s']:>8.1f}{x['cpu_s']:>8.1f}{x['articles'] / x['wall_s']:>8.0f}"
              f"{x['peak_rss_mb']:>9.0f}")
    s = runs["datatrove-slurm"]
    print(f"  slurm: queue wait {s['queue_wait_s']:.0f} s, array {s['array_span_s']:.0f} s, "
          f"finish waited {s['finish_wait_s']:.0f} s and ran {s['finish_s']:.0f} s (controller times, 1 s resolution)")


if __name__ == "__main__":
    main()
