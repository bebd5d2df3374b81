"""The manifest (every file's SHA-256, rows, removals per article) and the versioned splits file."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from natostance import _version
from natostance.files import sha256_file
from natostance.builder.report import BuildReport
from natostance.builder.sourcesfile import SplitRule

MANIFEST = "manifest.json"
SCHEMA = "urn:natostance:schemas:manifest"  # schemas/manifest.schema.json


class Streamed:
    """A top-level value of ``dump_json`` written item by item: a list, or a dict from sorted (key, value) pairs."""

    def __init__(self, items: Iterable[Any], pairs: bool = False) -> None:
        self.items, self.pairs = items, pairs


_encode_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes a string as (C speed)
_SCALARS = {None: "null", True: "true", False: "false"}


def _dumps(value: Any, pad: str = "\n") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)`` with ``pad`` in place of each newline
    (a value nested in an indented document), byte for byte. Strings, integers, lists and dicts with string keys
    are laid out here, a few times faster than json's own indenting encoder (pure Python); the rest goes to it."""
    if isinstance(value, str):
        return _encode_str(value)
    if value is None or value is True or value is False:
        return _SCALARS[value]
    if isinstance(value, int):
        return int.__repr__(value)
    inner = pad + "  "
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        items = (f"{_encode_str(k)}: {_dumps(v, inner)}" for k, v in sorted(value.items()))
        return "{" + inner + ("," + inner).join(items) + pad + "}"
    if isinstance(value, (list, tuple)) and value:
        return "[" + inner + ("," + inner).join(_dumps(v, inner) for v in value) + pad + "]"
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True).replace("\n", pad)


def dump_json(path: Path, doc: dict[str, Any]) -> None:
    """``json.dumps(doc, indent=2, sort_keys=True)`` plus a newline, byte for byte, with ``Streamed`` top-level
    values written as they are produced, so a list of every article never has to be in memory at once."""
    streams = {k: v for k, v in doc.items() if isinstance(v, Streamed)}
    marks = {k: f"\x00{i}\x00" for i, k in enumerate(streams)}
    text = _dumps({k: marks.get(k, v) for k, v in doc.items()}) + "\n"
    with path.open("w", encoding="utf-8") as fh:
        for key in sorted(streams):  # the order sort_keys lays them out in
            head, text = text.split(json.dumps(marks[key]), 1)
            fh.write(head)
            _write_stream(fh, streams[key])
        fh.write(text)


def _write_stream(fh: IO[str], stream: Streamed) -> None:
    """Items of a value at depth 1 of an indent-2 document, as ``json.dumps`` would lay them out."""
    sep, pad = "\n    ", "\n  "
    opening, closing = "{}" if stream.pairs else "[]"
    fh.write(opening)
    empty = True
    for item in stream.items:
        fh.write(sep if empty else "," + sep)
        empty = False
        if stream.pairs:
            key, item = item
            fh.write(_encode_str(key) + ": ")
        fh.write(_dumps(item, sep))
    fh.write(closing if empty else pad + closing)


def file_entry(path: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {"bytes": path.stat().st_size,
                             "sha256": sha256_file(path)}  # streamed: rejects.jsonl may be large
    if path.suffix == ".parquet":
        entry["rows"] = pq.read_metadata(path).num_rows
    return entry


def write_splits(path: Path, report: BuildReport, rule: SplitRule) -> None:
    doc = {
        "dataset_version": report.dataset_version,
        "rule": {**rule.to_dict(), "unit": "article",
                 "by": "split_date = published, else posted, else the curated estimate in raw/sources.yaml"},
        "articles": Streamed({k: a[k] for k in ("article_id", "source_file", "split", "split_date", "split_date_source")}
                             for a in report.articles),
    }
    dump_json(path, doc)


def write_manifest(root: Path, report: BuildReport, meta: dict[str, str], raw_hashes: dict[str, str] | None = None) -> None:
    """``raw_files``: SHA-256 of every raw file built from, also when a text-free build leaves them out."""
    raw_hashes = raw_hashes or {}
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)

    def entries():
        for rel in names:  # raw files were hashed when read: not read again
            sha = raw_hashes.get(rel[4:]) if rel.startswith("raw/") else None
            yield rel, {"bytes": (root / rel).stat().st_size, "sha256": sha} if sha else file_entry(root / rel)

    doc = {
        **meta,
        "text_free": meta.get("text_free") == "true",
        "raw_files": Streamed(sorted(raw_hashes.items()), pairs=True),
        "builder": f"natostance {_version.__version__}",
        "pyarrow": pa.__version__,
        "files": Streamed(entries(), pairs=True),
        "rows": report.rows,
        "removals_total": dict(sorted(report.removals.items())),
        "removals_by_article": Streamed(((a["article_id"], {"source_file": a["source_file"], "removals": a["removals"]})
                                         for a in report.articles), pairs=True),
        "rejected": [{"where": r.where, "reason": r.reason} for r in report.rejected.head],  # rejects.jsonl: all
        **({"rejected_total": len(report.rejected)} if len(report.rejected) > len(report.rejected.head) else {}),
        "leakage": report.leakage,
    }
    dump_json(root / MANIFEST, doc)


def load_manifest(dataset_dir: Path, complete: bool = False) -> dict[str, Any]:
    """A dataset folder's manifest, checked against ``schemas/manifest.schema.json`` (also a downloaded one:
    file names in it are plain relative names); ``complete``: every field this version writes."""
    from natostance.evaluation import schemas

    return schemas.read_checked(Path(dataset_dir) / MANIFEST, "the dataset manifest (JSON)",
                                SCHEMA + ("#/$defs/complete" if complete else ""))


def listed_files(root: Path, expected: dict[str, str], where: str) -> tuple[list[str], list[str], dict[str, str]]:
    """Check files a manifest lists (name -> SHA-256) under ``root``: (problems with the names themselves — not a
    plain relative name, or a link out of ``root`` —, names missing, names whose bytes changed -> their SHA-256)."""
    from natostance.errors import InputError
    from natostance.guard import confined

    bad, missing, changed = [], [], {}
    for name, sha in sorted(expected.items()):
        try:
            path = confined(root, name, where)
        except InputError as exc:
            bad.append(str(exc))
            continue
        if not path.is_file():
            missing.append(name)
        elif (found := sha256_file(path)) != sha:
            changed[name] = found
    return bad, missing, changed
