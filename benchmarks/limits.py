"""Peak memory of one build per hostile input file: the builder must stay under 1 GB for any single file.

    python benchmarks/limits.py [--scale 1.0] [--keep]

Each case is a raw folder holding one generated file (and a one-sentence companion article), built with ``--keep-going`` in a
fresh process that reports its own peak RSS (VmHWM) and CPU time: a 200 MB one-line text file and a 200 MB one-line
JSON record (both over the default maximum article size: rejected unread), articles at the maximum size
as plain text, HTML page and JSON line (built), a 1 GB JSON-lines dump streamed record by record (64 KB
records without text, rejected one by one), and a 100 MB dump of 5,000 articles of 20 KB (built).
``--scale`` shrinks every size (0.1 for a quick run). Prints a table; writes benchmarks/out/limits.json.
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
LIMIT_MB = 1024
JOB = r"""
import json, sys, time
from natostance.builder.pipeline import BuildOptions, build
c0 = time.process_time()
report = build(sys.argv[1], sys.argv[2], BuildOptions(keep_going=True))
# VmHWM: this process's own peak (getrusage's ru_maxrss keeps the parent's peak across fork and exec)
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"articles": len(report.articles), "rejected": [str(r)[:160] for r in report.rejected[:3]],
                  "n_rejected": len(report.rejected), "cpu_s": time.process_time() - c0, "peak_rss_mb": hwm / 1024}))
"""
SENTENCE = "NATO ministers said on Monday that the alliance would keep its forces in the east. "


def _write_lines(path: Path, line: bytes, total: int) -> None:
    with path.open("wb") as fh:
        for _ in range(max(1, total // len(line))):
            fh.write(line)


def _write_parts(path: Path, parts) -> None:
    with path.open("wb") as fh:
        for part in parts:
            fh.write(part)


def cases(scale: float, max_bytes: int):
    big = int(200e6 * scale)
    near = int(max_bytes * 0.95)
    para = lambda n: ("\n\n".join(SENTENCE * 8 for _ in range(n // (len(SENTENCE) * 8 + 2)))).encode()  # noqa: E731
    yield "200 MB one-line text file", "big.txt", lambda p: _write_lines(p, (SENTENCE * 1000).encode(), big)
    yield "200 MB one-line JSON record", "big.jsonl", lambda p: _write_parts(
        p, [b'{"text": "', *[(SENTENCE * 1000).encode()] * (big // (len(SENTENCE) * 1000)), b'"}\n'])
    yield "plain article at the maximum size", "max.txt", lambda p: p.write_bytes(b"Headline\n\n" + para(near))
    yield "HTML page at the maximum size", "max.html", lambda p: p.write_bytes(
        b"<html><head><title>T</title></head><body><article><h1>T</h1>"
        + para(near).replace(b"\n\n", b"</p><p>").join((b"<p>", b"</p>")) + b"</article></body></html>")
    yield "JSON line at the maximum size", "max.jsonl", lambda p: p.write_bytes(
        json.dumps({"text": para(near).decode(), "date": "2024-01-01"}).encode() + b"\n")
    record = json.dumps({"title": "x" * 65_000, "url": "https://example.org/"}).encode() + b"\n"  # rejected: no text
    yield "1 GB JSON-lines dump, streamed", "dump.jsonl", lambda p: _write_lines(p, record, int(1e9 * scale))
    articles = (json.dumps({"text": para(20_000).decode(), "date": "2024-01-01", "id": i}).encode() + b"\n"
                for i in range(int(5_000 * scale)))
    yield "100 MB JSON-lines dump of 20 KB articles", "articles.jsonl", lambda p: _write_parts(p, articles)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every generated size (0.1 for a quick run)")
    ap.add_argument("--out", default=str(HERE / "out" / "limits.json"))
    args = ap.parse_args(argv)
    from natostance.builder.sources.rawfile import MAX_ARTICLE_BYTES

    results = []
    with tempfile.TemporaryDirectory(prefix="natostance-limits-") as tmp:
        for label, name, make in cases(args.scale, MAX_ARTICLE_BYTES):
            raw = Path(tmp) / "raw"
            shutil.rmtree(raw, ignore_errors=True)
            raw.mkdir()
            make(raw / name)
            (raw / "companion.txt").write_text("Companion\n\n" + SENTENCE, encoding="utf-8")  # a build needs one article
            size = (raw / name).stat().st_size
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", JOB, str(raw), str(Path(tmp) / "out")],
                                  capture_output=True, text=True)
            if proc.returncode:
                results.append({"case": label, "bytes": size, "error": proc.stderr.strip().splitlines()[-1:]})
                print(f"{label:40} FAILED: {proc.stderr.strip()[-300:]}")
                continue
            row = {"case": label, "bytes": size, "wall_s": time.perf_counter() - t, **json.loads(proc.stdout.splitlines()[-1])}
            results.append(row)
            shutil.rmtree(Path(tmp) / "out", ignore_errors=True)
            (raw / name).unlink()
    print(f"peak RSS per input file (limit {LIMIT_MB} MB), default maximum article size {MAX_ARTICLE_BYTES:,} bytes")
    print(f"{'case':40} {'file MB':>8} {'peak MB':>8} {'CPU s':>7} {'built':>6} {'rejected':>8}")
    for r in results:
        if "error" in r:
            continue
        print(f"{r['case']:40} {r['bytes'] / 1e6:8.1f} {r['peak_rss_mb']:8.0f} {r['cpu_s']:7.1f} {r['articles']:6d} "
              f"{r['n_rejected']:8d}")
    worst = max((r.get("peak_rss_mb", 0) for r in results), default=0)
    ok = all("error" not in r for r in results) and worst < LIMIT_MB
    print(f"largest peak {worst:.0f} MB: {'under' if ok else 'NOT under'} {LIMIT_MB} MB")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                                          "scale": args.scale, "max_article_bytes": MAX_ARTICLE_BYTES,
                                          "limit_mb": LIMIT_MB, "results": results}, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
