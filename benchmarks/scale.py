"""Scale-out throughput: the local builder against datatrove's local executor with 1 and 2 workers.

    python benchmarks/scale.py [--sizes 10000 100000] [--articles-per-task 2500 | --tasks 8]

Generates synthetic corpora (seed paragraphs recombined, every raw format, a share of HTML pages), then
runs each job in a fresh process and watches its whole process tree through /proc: wall time, CPU time of
every process, peak RSS (largest process, and all processes together). Prints articles/s, articles per
CPU-second, per-core efficiency (throughput per worker over the local builder's single-core throughput),
datatrove's overhead over the local builder, the 1→2 worker speed-up and peak memory against corpus size.
Writes benchmarks/out/scale.json. Wall times on a shared machine are noisy: run it when the machine is idle.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
TICK, PAGE = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")


def _stat(pid: str) -> tuple[float, int] | None:
    """(CPU seconds, RSS bytes) of one process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE


def _tree(pid: str) -> list[str]:
    """``pid`` and its descendants, from the kernel's children lists (cheaper than scanning all of /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += fh.read().split()
        except OSError:
            continue
    return out


def watch(cmd: list[str]) -> dict:
    """Run ``cmd``; sample its process tree every 0.2 s. CPU counts each process's own time once."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    cpu: dict[str, float] = {}
    peak_total = peak_one = 0
    while proc.poll() is None:
        live = {p: s for p in _tree(str(proc.pid)) if (s := _stat(p))}
        for p, s in live.items():
            cpu[p] = s[0]
        peak_total = max(peak_total, sum(s[1] for s in live.values()))
        peak_one = max(peak_one, max((s[1] for s in live.values()), default=0))
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    out = proc.stdout.read()
    if proc.returncode:
        raise SystemExit(f"{cmd} failed ({proc.returncode})")
    return {"articles": json.loads(out.strip().splitlines()[-1])["articles"], "wall_s": wall,
            "cpu_s": sum(cpu.values()), "processes": len(cpu),
            "peak_rss_mb": peak_one / 2**20, "peak_rss_tree_mb": peak_total / 2**20}


def job(kind: str, raw: str, out: str, workers: int, tasks: int) -> None:
    """One build in this (fresh) process; prints the number of articles built."""
    from natostance.builder.pipeline import BuildOptions, build

    if kind == "local":
        report = build(raw, out, BuildOptions())
    else:
        from natostance.builder import scale

        report = scale.build(raw, out, BuildOptions(), scale.ScaleOptions(tasks=tasks, workers=workers))
    print(json.dumps({"articles": sum(report.rows["articles"].values())}))


def run(kind: str, raw: Path, out: Path, workers: int, tasks: int) -> dict:
    result = watch([sys.executable, __file__, "--job", kind, str(raw), str(out), str(workers), str(tasks)])
    shutil.rmtree(out, ignore_errors=True)
    result["articles_per_s"] = result["articles"] / result["wall_s"]
    result["articles_per_cpu_s"] = result["articles"] / result["cpu_s"]
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--tasks", type=int, help="a fixed task count (default: one task per --articles-per-task)")
    ap.add_argument("--articles-per-task", type=int, default=2_500)
    ap.add_argument("--mix", choices=("files", "crawl"), default="files",
                    help="files: 80%% one file per article (every format); crawl: 95%% JSON lines in dumps of "
                         "1,000, 5%% HTML pages")
    ap.add_argument("--out", type=Path, help="default benchmarks/out/scale.json (scale-crawl.json for --mix crawl)")
    ap.add_argument("--job", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.job:
        kind, raw, out, workers, tasks = args.job
        return job(kind, raw, out, int(workers), int(tasks))
    from synth import CRAWL, make_corpus

    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                     "load_average_at_start": os.getloadavg(), "mix": args.mix, "runs": {}, "corpus": {}, "tasks": {}}
    tmp = Path(tempfile.mkdtemp(prefix="natostance-scale-"))
    try:
        for n in args.sizes:
            raw = tmp / f"raw-{n}"
            results["corpus"][str(n)] = (make_corpus(raw, n) if args.mix == "files"
                                         else make_corpus(raw, n, mix=CRAWL, per_dump=1_000))
            runs = results["runs"][str(n)] = {}
            tasks = results["tasks"][str(n)] = args.tasks or -(-n // args.articles_per_task)
            runs["local"] = run("local", raw, tmp / "out", 1, tasks)
            for w in (1, 2):
                runs[f"datatrove-{w}w"] = run("datatrove", raw, tmp / "out", w, tasks)
            shutil.rmtree(raw)
            print_size(n, runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["load_average_at_end"] = os.getloadavg()
    results["summary"] = summarise(results["runs"])
    args.out = args.out or HERE / "out" / ("scale.json" if args.mix == "files" else "scale-crawl.json")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["summary"], indent=2))


def summarise(runs: dict) -> dict:
    out = {}
    for n, r in runs.items():
        loc, one, two = r["local"], r["datatrove-1w"], r["datatrove-2w"]
        out[n] = {
            "datatrove_1w_overhead_wall": one["wall_s"] / loc["wall_s"] - 1,
            "datatrove_1w_overhead_cpu": one["cpu_s"] / loc["cpu_s"] - 1,
            "speedup_1_to_2_workers": one["wall_s"] / two["wall_s"],
            "per_core_efficiency_2w": two["articles_per_s"] / 2 / loc["articles_per_s"],
            "cpu_hours_per_1e8_articles": 1e8 / two["articles_per_cpu_s"] / 3600,
        }
    sizes = sorted(runs, key=int)
    if len(sizes) > 1:
        small, big = runs[sizes[0]], runs[sizes[-1]]
        out["peak_rss_growth"] = {k: big[k]["peak_rss_mb"] / small[k]["peak_rss_mb"] for k in big}
        out["peak_rss_tree_growth"] = {k: big[k]["peak_rss_tree_mb"] / small[k]["peak_rss_tree_mb"] for k in big}
    return out


def print_size(n: int, runs: dict) -> None:
    print(f"{'job @ ' + str(n):<22}{'wall s':>8}{'cpu s':>8}{'art/s':>8}{'art/cpu-s':>10}{'peak MB':>9}{'tree MB':>9}")
    for kind, x in runs.items():
        print(f"{kind:<22}{x['wall_s']:>8.1f}{x['cpu_s']:>8.1f}{x['articles_per_s']:>8.0f}"
              f"{x['articles_per_cpu_s']:>10.0f}{x['peak_rss_mb']:>9.0f}{x['peak_rss_tree_mb']:>9.0f}")


if __name__ == "__main__":
    main()
