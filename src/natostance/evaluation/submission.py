"""Read a submission: rows from JSONL, CSV or Parquet, plus its metadata file.

The metadata file sits next to the rows as ``<stem>.meta.json`` (``runs/tfidf.jsonl`` ->
``runs/tfidf.meta.json``) unless given explicitly. Reading never validates: ``check.py`` does that, so
the checker can report every problem at once. Each row keeps where it came from (``file:line`` for JSONL
and CSV, ``file row N`` for Parquet) for error messages.

Rows are streamed (``Submission.rows``): one capped line (JSONL, CSV) or one bounded row group (Parquet)
in memory at a time, whatever the file's size. A file that cannot be what it claims (binary bytes in a
JSONL file, a CSV with unknown columns, a Parquet file with nested columns) is one error, not one per row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from natostance.errors import InputError
from natostance.guard import ErrorLog, escape, read_json_file, shown, text_lines
from natostance.jsonlines import object_lines

SUFFIXES = (".jsonl", ".csv", ".parquet")
META_MAX_BYTES = 1 << 20
MAX_ROW_GROUP_BYTES = 64 << 20  # uncompressed bytes of one Parquet row group read at once
_INT_FIELDS = ("start", "end")
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


@dataclass(frozen=True)
class Submission:
    path: str
    meta: Any  # parsed metadata (validated by check.py)
    meta_path: str
    read_errors: tuple[str, ...] = ()
    size: int = 0  # bytes of the rows file

    def rows(self, log: ErrorLog) -> Iterator[tuple[str, dict[str, Any]]]:
        """(where, row) of every row, streamed; what cannot be read goes to ``log``."""
        return read_rows(Path(self.path), log)


@lru_cache(maxsize=1)
def fields() -> tuple[str, ...]:
    """Every field a submission row may have, from ``schemas/submission.schema.json`` (columns of CSV/Parquet)."""
    from natostance.evaluation import schemas

    doc = schemas.registry().contents(schemas.SUBMISSION)
    names = dict.fromkeys(doc["properties"])
    for branch in doc.get("allOf", ()):
        names.update(dict.fromkeys(branch.get("then", {}).get("properties", {})))
    return tuple(names)


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


def read_rows(path: Path, log: ErrorLog) -> Iterator[tuple[str, dict]]:
    if path.suffix == ".jsonl":
        for n, row in object_lines(path, log):
            yield f"{path}:{n}", row
    elif path.suffix == ".csv":
        yield from _csv_rows(path, log)
    elif path.suffix == ".parquet":
        yield from _parquet_rows(path, log)
    else:
        raise InputError(
            str(path), f"expected a submission ending in {', '.join(SUFFIXES)}, found {path.suffix or 'no suffix'}"
        )


def _header_problem(header: list[str]) -> str | None:
    known = fields()
    if len(header) == 1 and ";" in header[0]:
        return f"expected comma-separated columns ({', '.join(known)}), found a header separated by ';'"
    unknown = [h for h in header if h not in known]
    if unknown or "task" not in header or len(set(header)) < len(header):
        what = (f"unknown column(s) {', '.join(shown(h, 30) for h in unknown[:5])}" if unknown
                else "no 'task' column" if "task" not in header else "a column named twice")
        return f"expected a header of columns among {', '.join(known)} (with 'task'), found {what}"
    return None


def _csv_rows(path: Path, log: ErrorLog) -> Iterator[tuple[str, dict]]:
    kind = f"{escape(path)}: rows that are not CSV"
    line = [0]

    def lines():
        for n, text in text_lines(path, log):
            line[0] = n
            yield text

    reader = csv.reader(lines())
    header = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            log.add(kind, f"{path}:{line[0]}: expected CSV, found {exc}")
            continue
        if not row:
            continue
        if header is None:
            header = [h.strip() for h in row]
            problem = _header_problem(header)
            if problem:
                log.add(f"{escape(path)}: header", f"{path}:{line[0]}: {problem}")
                return
            continue
        if len(row) > len(header):
            log.add(kind, f"{path}:{line[0]}: expected {len(header)} columns, found {len(row)}")
            continue
        yield f"{path}:{line[0]}", {k: _csv_value(k, v) for k, v in zip(header, row) if v != ""}


def _flat(t) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(t):
        t = t.value_type
    return any(f(t) for f in (pa.types.is_string, pa.types.is_large_string, pa.types.is_integer,
                                  pa.types.is_floating, pa.types.is_boolean, pa.types.is_null))


def _parquet_rows(path: Path, log: ErrorLog) -> Iterator[tuple[str, dict]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kind = f"{escape(path)}: file"
    try:
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as exc:
        log.add(kind, f"{path}: expected a Parquet file, found one that cannot be read ({shown(str(exc), 120)})")
        return
    bad = [f"{shown(f.name, 30)} ({f.type})" for f in schema if f.name not in fields() or not _flat(f.type)]
    if bad:
        log.add(kind, f"{path}: expected flat columns among {', '.join(fields())}, found {', '.join(bad[:5])}")
        return
    n = 0
    for i in range(pf.num_row_groups):
        size = pf.metadata.row_group(i).total_byte_size
        if size > MAX_ROW_GROUP_BYTES:
            log.add(kind, f"{path}: row group {i}: expected at most {MAX_ROW_GROUP_BYTES:,} bytes, found {size:,}")
            return
        try:
            rows = pf.read_row_group(i).to_pylist()
        except (pa.ArrowException, OSError, ValueError) as exc:
            log.add(kind, f"{path}: row group {i}: expected Parquet data, found a damaged row group "
                          f"({shown(str(exc), 120)})")
            return
        for row in rows:
            n += 1
            yield f"{path} row {n}", {k: v for k, v in row.items() if v is not None}


def read_submission(path: str | Path, meta: str | Path | None = None) -> Submission:
    """Open a submission: its metadata is read now (problems recorded as read errors, not raised), its rows
    when ``rows`` is iterated."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "expected a submission file, found nothing there")
    if path.suffix not in SUFFIXES:
        raise InputError(
            str(path), f"expected a submission ending in {', '.join(SUFFIXES)}, found {path.suffix or 'no suffix'}"
        )
    errors = []
    mpath = Path(meta) if meta else meta_path_for(path)
    meta_doc: Any = None
    if not mpath.is_file():
        errors.append(f"{mpath}: expected the submission's metadata file, found nothing there")
    else:
        try:
            meta_doc = read_json_file(mpath, "JSON metadata", META_MAX_BYTES)
        except InputError as exc:
            errors.append(str(exc))
    return Submission(str(path), meta_doc, str(mpath), tuple(errors), path.stat().st_size)


def find_submissions(folder: str | Path) -> list[Path]:
    """Submission files in a folder (metadata and result files excluded), sorted by name."""
    folder = Path(folder)
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())
