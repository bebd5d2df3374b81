"""What the builder's output alone costs: a lower bound on any builder that writes the same bytes in Python.

    python benchmarks/budget.py [--articles 5000] [--repeats 3] [--out benchmarks/out/budget.json]

On one synthetic text-format corpus (benchmarks/synth.py, the mix of benchmarks/build.py) this times, in one
process and back to back (median of ``--repeats``): the floor pipeline (benchmarks/floor.py), the whole
builder, and the parts of the builder's work that its output makes unavoidable whatever cleaning and
segmentation cost:

- read and SHA-256 every raw file (``sources.yaml`` lists each file's hash);
- copy every raw file into the output (``raw/``, byte for byte);
- write the built ``articles`` and ``sentences`` tables (read back from the build) as Parquet with the
  builder's writer settings: the bytes the dataset holds, already sorted and converted;
- one SHA-256 per sentence text (sentence ids carry one), as bare ``hashlib`` calls.

Their sum, against the CPU time the target (builder >= 0.20x the floor's articles per CPU-second) allows,
says whether the target can be met by faster Python cleaning and segmentation at all. Prints a table and
writes JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
TARGET = 0.20


def timed(job, repeats: int) -> float:
    """Median CPU seconds of ``job()`` over ``repeats`` runs."""
    runs = []
    for _ in range(repeats):
        t = time.process_time()
        job()
        runs.append(time.process_time() - t)
    return statistics.median(runs)


def parts(raw: Path, built: Path, tmp: Path) -> dict:
    """The unavoidable parts as jobs (each leaves nothing behind)."""
    import pyarrow.parquet as pq

    from natostance.builder.pipeline import raw_files
    from natostance.parquet_io import WRITE_OPTIONS

    files = raw_files(raw)
    tables = {c: pq.read_table(built / "data" / c) for c in ("articles", "sentences")}
    texts = [t.encode("utf-8") for t in tables["sentences"].column("text").to_pylist()]

    def read_hash():
        for p in files:
            hashlib.sha256(p.read_bytes()).hexdigest()

    def copy_raw():
        dest = tmp / "copies"
        dest.mkdir()
        for p in files:
            shutil.copyfile(p, dest / p.name)
        shutil.rmtree(dest)

    def write_parquet():
        for config, table in tables.items():
            pq.write_table(table, tmp / f"{config}.parquet", **WRITE_OPTIONS)
            (tmp / f"{config}.parquet").unlink()

    def sentence_hashes():
        for t in texts:
            hashlib.sha256(t).hexdigest()

    return {"read and hash raw files": read_hash, "copy raw files": copy_raw,
            "write articles + sentences Parquet": write_parquet, "one SHA-256 per sentence": sentence_hashes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=5_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "budget.json")
    args = ap.parse_args()
    import pyarrow as pa

    pa.array(["warm"])  # pyarrow loads pandas at its first conversion: keep that out of the timings
    import floor
    from synth import TEXT, make_corpus

    from natostance.builder.pipeline import BuildOptions, build

    tmp = Path(tempfile.mkdtemp(prefix="natostance-budget-"))
    try:
        raw, built = tmp / "raw", tmp / "built"
        counts = make_corpus(raw, args.articles, mix=TEXT)
        n = sum(counts.values())
        build(raw, built, BuildOptions(keep_going=True))  # once for the tables, and to warm every import
        cpu = {"floor": timed(lambda: floor.run(raw, tmp / "floor.parquet"), args.repeats),
               "builder": timed(lambda: build(raw, tmp / "again", BuildOptions(keep_going=True)), args.repeats)}
        for name, job in parts(raw, built, tmp).items():
            cpu[name] = timed(job, args.repeats)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    unavoidable = sum(v for k, v in cpu.items() if k not in ("floor", "builder"))
    allowed = cpu["floor"] / TARGET
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "load_average": os.getloadavg(), "articles": n, "corpus": counts, "repeats": args.repeats,
              "cpu_s": cpu, "unavoidable_cpu_s": unavoidable, "allowed_cpu_s_at_target": allowed,
              "best_ratio_if_all_else_were_free": cpu["floor"] / unavoidable,
              "builder_ratio": cpu["floor"] / cpu["builder"], "target": TARGET}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{n} text-format articles, median CPU of {args.repeats} runs, load {result['load_average'][0]:.1f}")
    print(f"{'part':<38}{'CPU-s':>8}{'us/article':>12}")
    for name, s in cpu.items():
        print(f"{name:<38}{s:>8.3f}{s / n * 1e6:>12.1f}")
    print(f"{'unavoidable parts together':<38}{unavoidable:>8.3f}{unavoidable / n * 1e6:>12.1f}")
    print(f"{f'allowed at {TARGET:.2f}x the floor':<38}{allowed:>8.3f}{allowed / n * 1e6:>12.1f}")
    print(f"builder / floor {result['builder_ratio']:.3f}; with everything but the unavoidable parts free: "
          f"{result['best_ratio_if_all_else_were_free']:.3f} (target >= {TARGET:.2f})")


if __name__ == "__main__":
    main()
