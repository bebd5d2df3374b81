"""Read a submission: rows from JSONL, CSV or Parquet, plus its metadata file.

The metadata file sits next to the rows as ``<stem>.meta.json`` (``runs/tfidf.jsonl`` ->
``runs/tfidf.meta.json``) unless given explicitly. Reading never validates: ``check.py`` does that, so
the checker can report every problem at once. Each row keeps where it came from (``file:line`` for JSONL
and CSV, ``file row N`` for Parquet) for error messages.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from natostance.errors import InputError
from natostance.jsonlines import object_lines

SUFFIXES = (".jsonl", ".csv", ".parquet")
_INT_FIELDS = ("start", "end")
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


@dataclass(frozen=True)
class Submission:
    path: str
    rows: tuple[tuple[str, dict[str, Any]], ...]  # (where, row)
    meta: Any  # parsed metadata (validated by check.py)
    meta_path: str
    read_errors: tuple[str, ...] = ()


def meta_path_for(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name[: -len(path.suffix)] + ".meta.json") if path.suffix else Path(f"{path}.meta.json")


def _csv_value(key: str, value: str) -> Any:
    if key in _INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value
    if key == "score":
        try:
            return float(value)
        except ValueError:
            return value
    if key == "checkworthy":
        low = value.strip().lower()
        return True if low in _TRUE else False if low in _FALSE else value
    return value


def _read_rows(path: Path) -> tuple[list[tuple[str, dict]], list[str]]:
    rows, errors = [], []
    if path.suffix == ".jsonl":
        rows += [(f"{path}:{n}", row) for n, row in object_lines(path, errors)]
    elif path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            for row in reader:
                clean = {k: _csv_value(k, v) for k, v in row.items() if k is not None and v not in (None, "")}
                if None in row:
                    errors.append(f"{path}:{reader.line_num}: expected {len(reader.fieldnames)} columns, found more")
                rows.append((f"{path}:{reader.line_num}", clean))
    elif path.suffix == ".parquet":
        for n, row in enumerate(pq.read_table(path).to_pylist(), 1):
            rows.append((f"{path} row {n}", {k: v for k, v in row.items() if v is not None}))
    else:
        raise InputError(
            str(path), f"expected a submission ending in {', '.join(SUFFIXES)}, found {path.suffix or 'no suffix'}"
        )
    return rows, errors


def read_submission(path: str | Path, meta: str | Path | None = None) -> Submission:
    """Read rows and metadata; unreadable metadata is recorded as a read error, not raised."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "expected a submission file, found nothing there")
    rows, errors = _read_rows(path)
    mpath = Path(meta) if meta else meta_path_for(path)
    meta_doc: Any = None
    if not mpath.is_file():
        errors.append(f"{mpath}: expected the submission's metadata file, found nothing there")
    else:
        try:
            meta_doc = json.loads(mpath.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            errors.append(f"{mpath}: expected JSON metadata, found invalid JSON ({exc.msg} at line {exc.lineno})")
    return Submission(str(path), tuple(rows), meta_doc, str(mpath), tuple(errors))


def find_submissions(folder: str | Path) -> list[Path]:
    """Submission files in a folder (metadata and result files excluded), sorted by name."""
    folder = Path(folder)
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())
