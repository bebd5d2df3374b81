"""The floor pipeline: read each raw file, SHA-256 it, write the raw text as zstd Parquet (the builder's
writer settings), one row per article (a JSONL file holds one article per line). Nothing else."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def run(raw: Path, out: Path, batch: int = 2000) -> int:
    schema = pa.schema([("file", pa.string()), ("sha256", pa.string()), ("text", pa.large_string())])
    n = 0
    from natostance.parquet_io import WRITE_OPTIONS

    with pq.ParquetWriter(out, schema, **WRITE_OPTIONS) as w:
        buf: dict[str, list] = {"file": [], "sha256": [], "text": []}
        for p in sorted(raw.iterdir()):
            data = p.read_bytes()
            for record in data.splitlines() if p.suffix == ".jsonl" else [data]:
                buf["file"].append(p.name)
                buf["sha256"].append(hashlib.sha256(record).hexdigest())
                buf["text"].append(record.decode("utf-8"))
                n += 1
            if len(buf["file"]) >= batch:
                w.write_table(pa.table(buf, schema=schema))
                buf = {k: [] for k in buf}
        if buf["file"]:
            w.write_table(pa.table(buf, schema=schema))
    return n


if __name__ == "__main__":
    print(run(Path(sys.argv[1]), Path(sys.argv[2])))
