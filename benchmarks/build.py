"""Builder throughput by input format against named references, memory, start-up, and the segmenter.

    python benchmarks/build.py [--articles 20000] [--small 5000] [--per-format 4000] [--repeats 3] [--pages DIR]

Text formats (plain, markdown, WordPress JSON, JSON lines; synthetic corpora of seed paragraphs recombined,
benchmarks/synth.py): the builder's articles per CPU-second against the floor pipeline (benchmarks/floor.py:
read, SHA-256, write the raw text as zstd Parquet) on the same files, for the mix and for each format alone.
HTML pages: the builder's CPU time against trafilatura alone (each page read from disk and given to the
extraction call the builder makes, sources/html.py) on the same pages: the extraction benchmark's real pages
(``--pages``, default ../shared/extraction-benchmark/pages, decompressed into a temporary folder, measurement
only) when present, else synthetic pages. Every job runs in a fresh process and is timed after its imports;
each pair runs back to back ``--repeats`` times and each ratio is taken within one repeat (the machine is
shared: ranges are reported). Also: the builder's peak RSS at two corpus sizes, the wall and CPU time of a
whole ``natostance build`` process on one file (imports included), and the segmenter against pysbd with
boundary F1 on the hand-checked seed gold. With ``--instructions`` (needs valgrind; slow) the builder and
the floor also run under callgrind on 200 and 600 text-format articles: instructions per article (the
difference of the two, so fixed costs drop out) do not depend on what else the machine runs.
Prints a table and writes benchmarks/out/build.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
PAGES = REPO.parent.parent / "shared" / "extraction-benchmark" / "pages"  # /work/shared/... next to the checkouts
TEXT_TARGET, HTML_TARGET = 0.20, 0.15  # builder >= 0.20x the floor; HTML CPU within 15 % of trafilatura alone

JOB = r"""
import json, resource, sys, time
sys.path.insert(0, {here!r})
from pathlib import Path
kind, raw, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
import pyarrow as pa; pa.array(["warm"])  # pyarrow imports pandas on first conversion: keep it out of the timing
if kind == "builder":
    from natostance.builder.pipeline import BuildOptions, build
    import natostance.builder.sources.html, trafilatura  # noqa: F401
    job = lambda: sum(build(raw, out, BuildOptions(keep_going=True)).rows["articles"].values())
elif kind == "trafilatura":
    import trafilatura
    def job():  # the call sources/html.py makes, on each page as read from disk
        n = 0
        for p in sorted(raw.iterdir()):
            found = trafilatura.bare_extraction(p.read_bytes().decode("utf-8"), with_metadata=True,
                                                include_comments=False, include_tables=False, favor_precision=True)
            n += found is not None and bool((found.as_dict().get("text") or "").strip())
        return n
else:
    import floor
    job = lambda: floor.run(raw, out)
c0, w0 = time.process_time(), time.perf_counter()
n = job()
print(json.dumps({{"articles": n, "cpu_s": time.process_time() - c0, "wall_s": time.perf_counter() - w0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_job(kind: str, raw: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", JOB.format(here=str(HERE)), kind, str(raw), str(out)],
                          capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{kind} on {raw} failed:\n{proc.stderr[-3000:]}")
    shutil.rmtree(out, ignore_errors=True) if out.is_dir() else out.unlink(missing_ok=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["articles_per_cpu_s"] = result["articles"] / result["cpu_s"]
    return result


def pairs(reference: str, raw: Path, tmp: Path, repeats: int) -> dict:
    """``reference`` and the builder on ``raw``, back to back, ``repeats`` times; ratios within each repeat."""
    runs = [{k: run_job(k, raw, tmp / f"out-{k}") for k in (reference, "builder")} for _ in range(repeats)]
    if reference == "floor":  # throughput ratio
        ratios = [r["builder"]["articles_per_cpu_s"] / r["floor"]["articles_per_cpu_s"] for r in runs]
    else:  # CPU time over the same pages, minus one: the builder's extra cost
        ratios = [r["builder"]["cpu_s"] / r[reference]["cpu_s"] - 1 for r in runs]
    return {"runs": runs, "ratios": ratios, "median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}


def page_corpus(source: Path, dest: Path) -> dict:
    """The real pages that are UTF-8 (the builder's input contract), decompressed; else synthetic pages."""
    dest.mkdir(parents=True)
    files = sorted(source.glob("*.html.gz")) if source.is_dir() else []
    kept = 0
    for f in files:
        data = gzip.decompress(f.read_bytes())
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        (dest / f.name[:-3]).write_bytes(data)
        kept += 1
    if kept:
        return {"source": str(source), "pages": len(files), "utf8_pages_used": kept}
    from synth import make_corpus

    make_corpus(dest, 500, mix={"html": 1.0})
    return {"source": "synthetic (benchmarks/synth.py)", "pages": 500, "utf8_pages_used": 500}


def one_file_build(tmp: Path) -> dict:
    """A whole `natostance build` process on one committed raw file: what a user waits for."""
    raw = tmp / "one"
    raw.mkdir()
    shutil.copy(sorted((REPO / "dataset" / "raw").glob("*.txt"))[0], raw)
    out = []
    for _ in range(3):
        before, w0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([sys.executable, "-m", "natostance", "build", str(raw), "--out", str(tmp / "one-out")],
                       check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.append({"wall_s": time.perf_counter() - w0,
                    "cpu_s": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime})
    return {"runs": out, "wall_s_min": min(r["wall_s"] for r in out), "cpu_s_min": min(r["cpu_s"] for r in out)}


def instructions(tmp: Path) -> dict:
    """Instructions per text-format article of the builder and the floor, counted by valgrind's callgrind."""
    from synth import TEXT, make_corpus

    count: dict[tuple[str, int], int] = {}
    for n in (200, 600):
        raw = tmp / f"raw-ir-{n}"
        make_corpus(raw, n, mix=TEXT)
        for kind in ("floor", "builder"):
            out = tmp / f"out-ir-{kind}"
            proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp / 'callgrind.out'}",
                                   sys.executable, "-c", JOB.format(here=str(HERE)), kind, str(raw), str(out)],
                                  capture_output=True, text=True)
            found = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
            if proc.returncode or not found:
                raise SystemExit(f"callgrind run of {kind} failed:\n{proc.stderr[-2000:]}")
            count[kind, n] = int(found.group(1).replace(",", ""))
            shutil.rmtree(out, ignore_errors=True) if out.is_dir() else out.unlink(missing_ok=True)
        shutil.rmtree(raw)
    per = {k: (count[k, 600] - count[k, 200]) / 400 for k in ("floor", "builder")}
    return {"per_article": per, "builder_over_floor": per["floor"] / per["builder"]}


def segmenter_comparison() -> dict:
    sys.path.insert(0, str(REPO / "tests" / "builder"))
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
    ap.add_argument("--articles", type=int, default=20_000, help="text-format mix, the headline corpus")
    ap.add_argument("--small", type=int, default=5_000, help="a smaller mix, for peak memory against corpus size")
    ap.add_argument("--per-format", type=int, default=4_000, help="articles of each text format alone")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pages", type=Path, default=PAGES, help="folder of *.html.gz pages")
    ap.add_argument("--instructions", action="store_true", help="also count instructions per article (valgrind)")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "build.json")
    args = ap.parse_args()
    from synth import TEXT, make_corpus

    r: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
               "load_average_at_start": os.getloadavg(), "corpus": {}, "text": {}, "html": {}}
    tmp = Path(tempfile.mkdtemp(prefix="natostance-bench-"))
    try:
        for name, n, mix in [("mix", args.articles, TEXT), *((f, args.per_format, {f: 1.0}) for f in TEXT)]:
            raw = tmp / f"raw-{name}"
            r["corpus"][name] = make_corpus(raw, n, mix=mix)
            r["text"][name] = pairs("floor", raw, tmp, args.repeats)
            shutil.rmtree(raw)
        raw = tmp / "raw-small"
        r["corpus"]["small"] = make_corpus(raw, args.small, mix=TEXT)
        small = run_job("builder", raw, tmp / "out-small")
        big = max((x["builder"] for x in r["text"]["mix"]["runs"]), key=lambda x: x["peak_rss_mb"])
        r["memory"] = {"small": small, "big_peak_rss_mb": big["peak_rss_mb"],
                       "growth": big["peak_rss_mb"] / small["peak_rss_mb"]}
        shutil.rmtree(raw)
        r["corpus"]["pages"] = page_corpus(args.pages, tmp / "pages")
        r["html"] = pairs("trafilatura", tmp / "pages", tmp, args.repeats)
        r["one_file_build"] = one_file_build(tmp)
        if args.instructions:
            r["instructions"] = instructions(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r["segmenter"] = segmenter_comparison()
    r["load_average_at_end"] = os.getloadavg()
    r["targets"] = {"text_builder_over_floor": TEXT_TARGET, "html_overhead_over_trafilatura": HTML_TARGET}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(r, indent=2) + "\n")
    print_table(r, args)


def _range(x: dict, fmt: str) -> str:
    return f"{fmt.format(x['median'])} ({fmt.format(x['min'])}–{fmt.format(x['max'])})"


def print_table(r: dict, args) -> None:
    print(f"load average {r['load_average_at_start'][0]:.1f} at start, {r['load_average_at_end'][0]:.1f} at end; "
          f"median (min–max) of {args.repeats} repeats")
    print(f"{'corpus':<28}{'builder art/cpu-s':>18}{'floor art/cpu-s':>16}  builder / floor (target >= {TEXT_TARGET:.2f})")
    for name, x in r["text"].items():
        b = statistics.median(y["builder"]["articles_per_cpu_s"] for y in x["runs"])
        f = statistics.median(y["floor"]["articles_per_cpu_s"] for y in x["runs"])
        n = x["runs"][0]["builder"]["articles"]
        print(f"{f'text {name} ({n})':<28}{b:>18.0f}{f:>16.0f}  {_range(x, '{:.3f}')}")
    h, pages = r["html"], r["corpus"]["pages"]
    b = statistics.median(y["builder"]["cpu_s"] for y in h["runs"])
    t = statistics.median(y["trafilatura"]["cpu_s"] for y in h["runs"])
    print(f"HTML, {pages['utf8_pages_used']} pages ({pages['source']}): builder {b:.2f} CPU-s, trafilatura alone "
          f"{t:.2f}: builder extra {_range(h, '{:+.1%}')} (target <= +{HTML_TARGET:.0%})")
    m = r["memory"]
    print(f"builder peak RSS {m['big_peak_rss_mb']:.0f} MB at {args.articles} vs {m['small']['peak_rss_mb']:.0f} MB at "
          f"{args.small} articles: x{m['growth']:.2f}")
    o = r["one_file_build"]
    print(f"natostance build, one file, whole process: {o['wall_s_min']:.2f} s wall, {o['cpu_s_min']:.2f} CPU-s (best of 3)")
    if ins := r.get("instructions"):
        per = ins["per_article"]
        print(f"instructions per text-format article (callgrind): builder {per['builder'] / 1e6:.2f} M, floor "
              f"{per['floor'] / 1e6:.2f} M: builder / floor {ins['builder_over_floor']:.3f}")
    seg = r["segmenter"]
    for name in ("natostance", "pysbd"):
        x = seg[name]
        print(f"segmenter {name:<10} {x['mb_per_s']:7.2f} MB/s  P {x['precision']:.3f} R {x['recall']:.3f} F1 {x['f1']:.3f}")
    print(f"segmenter speed, natostance / pysbd: x{seg['speed_ratio']:.0f}")


if __name__ == "__main__":
    main()
