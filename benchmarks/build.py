"""Builder throughput and memory against the floor pipeline, and the segmenter against pysbd.

    python benchmarks/build.py [--articles 20000] [--small 5000]

Generates synthetic corpora (seed paragraphs recombined, every raw format), then measures in one run,
each job in a fresh process after imports: articles per CPU-second (one core) of `natostance build` and of
the floor (read, SHA-256, write raw text as zstd Parquet), their ratio, peak RSS at two corpus sizes, and
the segmenter against pysbd on the same paragraphs with boundary F1 on the hand-checked seed gold.
Prints a table and writes benchmarks/out/build.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

JOB = r"""
import json, resource, sys, time
sys.path.insert(0, {here!r})
from pathlib import Path
kind, raw, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
import pyarrow as pa; pa.array(["warm"])  # pyarrow imports pandas on first conversion: keep it out of the timing
if kind == "builder":
    from natostance.builder.pipeline import build
    import natostance.builder.sources.html, trafilatura  # noqa: F401
    job = lambda: sum(build(raw, out).rows["articles"].values())
else:
    import floor
    job = lambda: floor.run(raw, out)
c0, w0 = time.process_time(), time.perf_counter()
n = job()
print(json.dumps({{"articles": n, "cpu_s": time.process_time() - c0, "wall_s": time.perf_counter() - w0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_job(kind: str, raw: Path, out: Path) -> dict:
    code = JOB.format(here=str(HERE))
    proc = subprocess.run([sys.executable, "-c", code, kind, str(raw), str(out)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def segmenter_comparison() -> dict:
    sys.path.insert(0, str(HERE.parent / "tests" / "builder"))
    from test_golden import SEEDS, boundaries, read_gold_segmentation

    from natostance.builder.segment import split_paragraph

    gold = [read_gold_segmentation(n) for n in SEEDS]
    paragraphs = [" ".join(p) for g in gold for p in g]
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    ours = lambda p: [p[a:b] for a, b in split_paragraph(p)]  # noqa: E731
    theirs = lambda p: [s.sent.strip() for s in seg.segment(p) if s.sent.strip()]  # noqa: E731
    out = {}
    for name, fn in (("natostance", ours), ("pysbd", theirs)):
        reps = 20 if name == "natostance" else 2
        t = time.process_time()
        for _ in range(reps):
            pred = [fn(p) for p in paragraphs]
        cpu = (time.process_time() - t) / reps
        g = boundaries([[s for s in p] for gg in gold for p in gg])
        s = boundaries(pred)
        tp, fp, fn_ = len(g & s), len(s - g), len(g - s)
        p_, r_ = tp / (tp + fp), tp / (tp + fn_)
        out[name] = {"mb_per_s": sum(len(x) for x in paragraphs) / 1e6 / cpu, "precision": p_, "recall": r_,
                     "f1": 2 * p_ * r_ / (p_ + r_)}
    out["speed_ratio"] = out["natostance"]["mb_per_s"] / out["pysbd"]["mb_per_s"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--small", type=int, default=5_000)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "build.json")
    args = ap.parse_args()
    from synth import make_corpus

    results: dict = {"machine": f"{platform.machine()}, {platform.python_version()}", "runs": {}}
    tmp = Path(tempfile.mkdtemp(prefix="natostance-bench-"))
    try:
        for n in (args.small, args.articles):
            raw = tmp / f"raw-{n}"
            results.setdefault("corpus", {})[str(n)] = make_corpus(raw, n)
            results["runs"][str(n)] = {
                "floor": run_job("floor", raw, tmp / f"floor-{n}.parquet"),
                "builder": run_job("builder", raw, tmp / f"out-{n}"),
            }
            shutil.rmtree(raw)
            shutil.rmtree(tmp / f"out-{n}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["segmenter"] = segmenter_comparison()
    big, small = results["runs"][str(args.articles)], results["runs"][str(args.small)]
    rate = {k: big[k]["articles"] / big[k]["cpu_s"] for k in ("floor", "builder")}
    results["summary"] = {
        "builder_articles_per_cpu_s": rate["builder"],
        "floor_articles_per_cpu_s": rate["floor"],
        "builder_over_floor": rate["builder"] / rate["floor"],
        "builder_peak_rss_growth": big["builder"]["peak_rss_mb"] / small["builder"]["peak_rss_mb"],
        "target_builder_over_floor": 0.30,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results, args)


def print_table(r: dict, args) -> None:
    s = r["summary"]
    print(f"{'job':<10}{'articles':>10}{'cpu s':>9}{'art/cpu-s':>11}{'peak MB':>9}")
    for n, runs in r["runs"].items():
        for kind, x in runs.items():
            print(f"{kind + '@' + n:<10}{x['articles']:>10}{x['cpu_s']:>9.2f}{x['articles'] / x['cpu_s']:>11.0f}"
                  f"{x['peak_rss_mb']:>9.0f}")
    print(f"builder / floor throughput: {s['builder_over_floor']:.2f} (target >= 0.30)")
    print(f"builder peak RSS at {args.articles} vs {args.small} articles: x{s['builder_peak_rss_growth']:.2f}")
    seg = r["segmenter"]
    for name in ("natostance", "pysbd"):
        x = seg[name]
        print(f"segmenter {name:<10} {x['mb_per_s']:7.2f} MB/s  P {x['precision']:.3f} R {x['recall']:.3f} F1 {x['f1']:.3f}")
    print(f"segmenter speed, natostance / pysbd: x{seg['speed_ratio']:.0f}")


if __name__ == "__main__":
    main()
