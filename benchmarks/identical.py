"""Byte-identity check for builder changes: build fixed inputs, record every output file's SHA-256, compare.

    python benchmarks/identical.py record before.json [--articles 3000]
    python benchmarks/identical.py compare before.json [--articles 3000]

``record`` builds (1) the committed dataset (dataset/raw, with its annotations), (2) the same text-free,
(3) a synthetic corpus (benchmarks/synth.py, every raw format; seeded from the committed articles, so the
same commit of dataset/ gives the same corpus), (4) that corpus with the datatrove engine (3 tasks), and
writes ``{build: {file: sha256}}``. ``compare`` builds them again with the code now checked out and lists
every file that differs, is missing or is new; exit 1 if any. Run ``record`` on the code before a change
(e.g. ``git stash`` or a checkout of main on PYTHONPATH) and ``compare`` after it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_all(tmp: Path, articles: int) -> dict[str, dict[str, str]]:
    from synth import make_corpus

    from natostance.builder import scale
    from natostance.builder.pipeline import BuildOptions, build

    synth = tmp / "synth-raw"
    make_corpus(synth, articles)
    jobs = {
        "committed": lambda out: build(REPO / "dataset" / "raw", out),
        "committed-text-free": lambda out: build(REPO / "dataset" / "raw", out, BuildOptions(text_free=True)),
        "synthetic": lambda out: build(synth, out),
        "synthetic-datatrove": lambda out: scale.build(synth, out, BuildOptions(), scale.ScaleOptions(tasks=3, workers=1)),
    }
    result = {}
    for name, job in jobs.items():
        job(tmp / name)
        result[name] = tree(tmp / name)
        print(f"{name}: {len(result[name])} files", file=sys.stderr)
    return result


def differences(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> list[str]:
    out = []
    for name in sorted(before.keys() | after.keys()):
        a, b = before.get(name, {}), after.get(name, {})
        out += [f"{name}/{f}: " + ("missing" if f not in b else "new" if f not in a else "bytes differ")
                for f in sorted(a.keys() | b.keys()) if a.get(f) != b.get(f)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("record", "compare"))
    ap.add_argument("file", type=Path)
    ap.add_argument("--articles", type=int, default=3_000, help="synthetic corpus size")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="natostance-identical-") as tmp:
        now = build_all(Path(tmp), args.articles)
    if args.mode == "record":
        args.file.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"recorded {sum(map(len, now.values()))} files in {args.file}")
        return 0
    diff = differences(json.loads(args.file.read_text()), now)
    for line in diff:
        print(line)
    total = sum(map(len, now.values()))
    print(f"{total - len(diff)} of {total} files identical" + (f"; {len(diff)} differ" if diff else ""))
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main())
