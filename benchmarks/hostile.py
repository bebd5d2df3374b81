"""Hostile inputs (issue #16): time, peak memory and error output of `natostance`, this version against a
reference revision (default a10ec61, the last commit before the hardening), in the same run.

Cases, each run as its own process (peak RSS of that process, from ``wait4``):

* ``bad-lines``: a submission of 200,000 rows that break the schema (wrong label);
* ``huge-id``: a submission whose one bad row has a 30 MB unit id;
* ``1gb``: a 1 GB submission of well-formed rows (written to a temporary folder, then removed; the reference
  runs on it only with ``--reference-1gb``: it held 19.6 GB resident here);
* ``streamed``: a 60 MB submission of well-formed rows for ids the gold does not have (under the size limit:
  read to the end, one line at a time);
* ``alias-bomb``: a 412-byte ``sources.yaml`` whose aliases expand to 9**9 strings, 9**8 of them where the
  builder reads a date.

Writes ``benchmarks/out/hostile.json`` and prints a table. The reference's source is taken with
``git archive`` into a temporary folder and run with this virtualenv's Python (``PYTHONPATH``).

    python benchmarks/hostile.py [--reference a10ec61] [--cases bad-lines,huge-id,1gb,streamed,alias-bomb]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "evaluation" / "fixtures" / "gold"
META = REPO / "tests" / "evaluation" / "fixtures" / "submissions" / "ok.meta.json"
OUT = REPO / "benchmarks" / "out"
ROW = '{"task": "sentence_stance", "unit_id": "u%09d", "target": "nato", "label": "%s"}\n'


def rows_file(path: Path, n: int | None = None, size: int | None = None, label: str = "none") -> Path:
    """JSON lines of stance rows: ``n`` of them, or as many as fill ``size`` bytes."""
    with path.open("w", encoding="utf-8") as fh:
        i, written = 0, 0
        while (n is not None and i < n) or (size is not None and written < size):
            chunk = "".join(ROW % (i + k, label) for k in range(10_000))
            fh.write(chunk)
            i, written = i + 10_000, written + len(chunk)
    shutil.copyfile(META, path.with_name(path.stem + ".meta.json"))
    return path


def make_case(case: str, tmp: Path) -> list[str]:
    """Write the inputs of one case; return the natostance arguments that read them."""
    if case == "bad-lines":
        return ["check", str(rows_file(tmp / "bad.jsonl", n=200_000, label="bad")), "--gold", str(GOLD)]
    if case == "huge-id":
        path = rows_file(tmp / "id.jsonl", n=0)
        path.write_text('{"task": "sentence_stance", "unit_id": "' + "i" * 30_000_000 + '", "target": "x"}\n')
        return ["check", str(path), "--gold", str(GOLD)]
    if case == "1gb":
        return ["check", str(rows_file(tmp / "huge.jsonl", size=1 << 30)), "--gold", str(GOLD)]
    if case == "streamed":
        return ["check", str(rows_file(tmp / "streamed.jsonl", size=60 << 20)), "--gold", str(GOLD)]
    if case == "alias-bomb":
        raw = tmp / "raw"
        shutil.copytree(REPO / "dataset" / "raw", raw)
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for prev, name in zip("abcdefgh", "bcdefghi"):
            lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
        lines.append("split_rule: {validation_from: *h}")  # a value the builder reads (9**8 strings)
        (raw / "sources.yaml").write_text("\n".join(lines) + "\n")
        return ["build", str(raw), "--out", str(tmp / "out")]
    raise SystemExit(f"unknown case {case}")


def run(pythonpath: Path, args: list[str]) -> dict:
    """One process: exit code, seconds, peak RSS, stderr size and lines, traceback or not. Stderr is counted
    in chunks, never held whole (the reference writes up to 2 GB of it): a big benchmark process would also
    raise the peak RSS that the next child inherits at fork."""
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "natostance", *args], stdout=subprocess.DEVNULL, stderr=err,
                                env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        err.seek(0)
        size = lines = 0
        traceback, first = False, b""
        while chunk := err.read(1 << 20):
            first = first or chunk.split(b"\n", 1)[0][:160]
            size, lines = size + len(chunk), lines + chunk.count(b"\n")
            traceback = traceback or b"Traceback" in chunk
    return {"exit": os.waitstatus_to_exitcode(status), "seconds": round(seconds, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "stderr_bytes": size, "stderr_lines": lines,
            "traceback": traceback, "first_line": first.decode(errors="replace")}


def reference_src(rev: str, tmp: Path) -> Path:
    tar = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev, "src", "schemas"], check=True,
                         capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(tmp / "ref", filter="data")
    return tmp / "ref" / "src"  # it finds ../schemas as a checkout does


def _cells(r: dict | None) -> str:
    if r is None:
        return "not run (--reference-1gb)"
    return (f"exit {r['exit']} {r['seconds']:7.2f} s {r['peak_rss_mb']:8.1f} MB {r['stderr_lines']:>8,} lines "
            f"{r['stderr_bytes']:>13,} B" + (" traceback" if r["traceback"] else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", default="a10ec61")
    ap.add_argument("--cases", default="bad-lines,huge-id,1gb,streamed,alias-bomb")
    ap.add_argument("--reference-1gb", action="store_true",
                    help="also run the reference on the 1 GB file (it held 19.6 GB resident here: mind the machine)")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="natostance-hostile-") as name:
        tmp = Path(name)
        sides = {"this": REPO / "src", "reference": reference_src(args.reference, tmp)}
        for case in args.cases.split(","):
            work = tmp / case
            work.mkdir()
            argv = make_case(case, work)
            row = {"case": case}
            for side, path in sides.items():
                shutil.rmtree(work / "out", ignore_errors=True)
                skip = side == "reference" and case == "1gb" and not args.reference_1gb
                row[side] = None if skip else run(path, argv)
            results.append(row)
            shutil.rmtree(work)
            print(f"{case:11} this: {_cells(row['this'])} | reference: {_cells(row['reference'])}", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {"reference": args.reference, "python": platform.python_version(), "machine": platform.machine(),
           "cpus": os.cpu_count(), "results": results}
    (OUT / "hostile.json").write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT / 'hostile.json'}")


if __name__ == "__main__":
    main()
