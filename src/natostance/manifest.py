"""The manifest (every file's SHA-256, rows, removals per article) and the versioned splits file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from natostance import _version
from natostance.report import BuildReport
from natostance.sourcesfile import SplitRule

MANIFEST = "manifest.json"


def dump_json(path: Path, doc: Any) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def file_entry(path: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {"bytes": path.stat().st_size,
                             "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    if path.suffix == ".parquet":
        entry["rows"] = pq.read_metadata(path).num_rows
    return entry


def write_splits(path: Path, report: BuildReport, rule: SplitRule) -> None:
    doc = {
        "dataset_version": report.dataset_version,
        "rule": {**rule.to_dict(), "unit": "article",
                 "by": "split_date = published, else posted, else the curated estimate in raw/sources.yaml"},
        "articles": sorted(
            ({k: a[k] for k in ("article_id", "source_file", "split", "split_date", "split_date_source")}
             for a in report.articles), key=lambda a: a["article_id"]),
    }
    dump_json(path, doc)


def write_manifest(root: Path, report: BuildReport, meta: dict[str, str], raw_hashes: dict[str, str] | None = None) -> None:
    """``raw_files``: SHA-256 of every raw file built from, also when a text-free build leaves them out."""
    files = {p.relative_to(root).as_posix(): file_entry(p)
             for p in sorted(root.rglob("*")) if p.is_file() and p.name != MANIFEST}
    doc = {
        **meta,
        "text_free": meta.get("text_free") == "true",
        "raw_files": dict(sorted((raw_hashes or {}).items())),
        "builder": f"natostance {_version.__version__}",
        "pyarrow": pa.__version__,
        "files": files,
        "rows": report.rows,
        "removals_total": dict(sorted(report.removals.items())),
        "removals_by_article": {a["article_id"]: {"source_file": a["source_file"], "removals": a["removals"]}
                                for a in sorted(report.articles, key=lambda a: a["article_id"])},
        "rejected": [{"where": r.where, "reason": r.reason} for r in report.rejected],
        "leakage": report.leakage,
    }
    dump_json(root / MANIFEST, doc)


def load_manifest(dataset_dir: Path) -> dict[str, Any]:
    return json.loads((dataset_dir / MANIFEST).read_text(encoding="utf-8"))
