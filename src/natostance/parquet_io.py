"""Parquet written with pyarrow directly, deterministically, and read back.

Rows are sorted by the config's key, chunks combined, key-value metadata sorted, zstd with content-defined
chunking and a page index, row groups sized for the Hub viewer. Large builds stream through hash
buckets spilled to Arrow IPC files, so memory stays flat: ids are hashes, so bucket order is id order.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from natostance import records
from natostance.errors import InputError, NatoStanceError
from natostance.guard import shown

BUCKET_BYTES = 32_000_000  # ~6,000 articles of 5 KB per bucket, in memory when the bucket is sorted
ROW_GROUP_BYTES = 64_000_000  # uncompressed; the Hub viewer wants <= ~100 MB per row group
WRITE_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_content_defined_chunking": True,
    "write_page_index": True,
    "write_statistics": True,
    "store_schema": True,
}


def id_bucket(key: str, buckets: int) -> int:
    """The bucket of a hex id among ``buckets`` equal ranges of its first 16 bits (bucket order = id order)."""
    return 0 if buckets == 1 else int(key[:4], 16) * buckets >> 16


def columns_table(schema: pa.Schema, columns: dict[str, list[Any]]) -> pa.Table:
    """Columns (field name → values) → table with exactly ``schema`` (ISO date strings become dates)."""
    arrays = []
    for f in schema:
        values = columns[f.name]
        if pa.types.is_date32(f.type):
            values = [date.fromisoformat(v) if v else None for v in values]
        arrays.append(pa.array(values, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _row_group_rows(table: pa.Table) -> int:
    return max(1, min(len(table), int(len(table) * ROW_GROUP_BYTES / max(table.nbytes, 1))))


def buckets_for(total_bytes: int) -> int:
    """Hash buckets for a build of this much raw input (a power of 16, ``BUCKET_BYTES`` of input per bucket)."""
    buckets = 1
    while total_bytes / buckets > BUCKET_BYTES:
        buckets *= 16
    return buckets


def shard_name(split: str, index: int = 0, total: int = 1) -> str:
    return f"{split}-{index:05d}-of-{total:05d}.parquet"


class SortedSpill:
    """Collect rows of one config in any order; write one Parquet file per split, sorted by key.

    Rows are held as columns, one set per id bucket. ``check`` sees each table before it goes to disk (the
    build's vectorised schema checks) and raises to stop the build."""

    def __init__(self, config: str, tmp: Path, schema: pa.Schema, buckets: int = 1, flush_rows: int | None = None,
                 check: Callable[[pa.Table], None] | None = None):
        # rows held in memory before they go to disk: few for configs whose rows carry a whole article's text
        large = any(pa.types.is_large_string(f.type) for f in schema)
        self.config, self.schema, self.buckets, self.check = config, schema, buckets, check
        self.flush_rows = flush_rows or (2_000 if large else 50_000)
        self.key = records.key(config)
        self.dir = tmp / f"spill-{config}"
        self.dir.mkdir(parents=True)
        self._buffers: list[dict[str, list[Any]]] = [{f.name: [] for f in schema} for _ in range(buckets)]
        self._buffered = 0
        self._flushes = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            for name, values in self._buffers[id_bucket(row[self.key[0]], self.buckets)].items():  # keys start with hex ids
                values.append(row[name])
        self._buffered += len(rows)
        if self._buffered >= self.flush_rows:
            self.flush()

    def add_columns(self, columns: dict[str, list[Any]], bucket_key: str) -> None:
        """Rows as columns (field name → values) whose keys all start with ``bucket_key`` (one article's rows)."""
        for name, values in self._buffers[id_bucket(bucket_key, self.buckets)].items():
            values.extend(columns[name])
        self._buffered += len(columns[self.key[0]])
        if self._buffered >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        for b, columns in enumerate(self._buffers):
            if columns[self.key[0]]:
                try:
                    table = columns_table(self.schema, columns)
                except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:  # a value of the wrong type
                    raise NatoStanceError(f"build failed: {self.config} rows do not fit their schema (a builder "
                                          f"bug): {exc}") from None
                if self.check is not None:
                    self.check(table)
                with pa.ipc.new_file(self.dir / f"{b:05d}-{self._flushes:05d}.arrow", self.schema) as w:
                    w.write_table(table)
                for values in columns.values():
                    values.clear()
        self._buffered = 0
        self._flushes += 1

    def _bucket_tables(self):
        for b in range(self.buckets):
            parts = sorted(self.dir.glob(f"{b:05d}-*.arrow"))
            if parts:
                t = pa.concat_tables(pa.ipc.open_file(p).read_all() for p in parts)
                yield t.sort_by([(k, "ascending") for k in self.key])

    def write(self, out_dir: Path, splits: tuple[str, ...], metadata: dict[str, str]) -> dict[str, int]:
        """Write ``out_dir/<split>-00000-of-00001.parquet`` per non-empty split; return rows per split."""
        self.flush()
        schema = self.schema.with_metadata(dict(sorted(metadata.items())))
        writers: dict[str, pq.ParquetWriter] = {}
        counts = dict.fromkeys(splits, 0)
        try:
            for table in self._bucket_tables():
                for split in splits:
                    part = table.filter(pc.equal(table["split"], split)).combine_chunks()
                    if not len(part):
                        continue
                    if split not in writers:
                        out_dir.mkdir(parents=True, exist_ok=True)
                        writers[split] = pq.ParquetWriter(out_dir / shard_name(split), schema, **WRITE_OPTIONS)
                    writers[split].write_table(part.cast(schema), row_group_size=_row_group_rows(part))
                    counts[split] += len(part)
        finally:
            for w in writers.values():
                w.close()
        shutil.rmtree(self.dir)
        return {s: n for s, n in counts.items() if n}


def read_table(dataset_dir: Path | str, config: str, split: str | None = None) -> pa.Table:
    """All rows of a config (or one split) as one table, in key order."""
    folder = Path(dataset_dir) / "data" / config
    files = sorted(folder.glob(f"{split or '*'}-*.parquet"))
    if not files:
        raise FileNotFoundError(f"{folder}: no Parquet files for config {config!r}" + (f", split {split!r}" if split else ""))
    tables = []
    for f in files:
        try:
            tables.append(pq.read_table(f))
        except (pa.ArrowException, OSError) as exc:
            raise InputError(str(f), f"expected a Parquet file of config {config!r}, found one that cannot be read "
                                     f"({shown(str(exc), 160)})") from None
    try:
        return pa.concat_tables(tables).sort_by([(k, "ascending") for k in records.key(config)])
    except (pa.ArrowException, KeyError) as exc:
        raise InputError(str(folder), f"expected Parquet files with the columns of config {config!r}, found "
                                      f"others ({shown(str(exc), 160)})") from None


def read_config(dataset_dir: Path | str, config: str, split: str | None = None) -> list[dict[str, Any]]:
    """All rows of a config (or one split) as dicts, in key order; dates as ISO strings."""
    return rows_of(read_table(dataset_dir, config, split))


def rows_of(table: pa.Table) -> list[dict[str, Any]]:
    """Table rows as JSON-ready dicts (dates as ISO strings), the shape the row schemas validate."""
    rows = table.to_pylist()
    for row in rows:
        for k, v in row.items():
            if isinstance(v, date):
                row[k] = v.isoformat()
    return rows
