"""One summary per built article, with the counts a build report prints, in memory flat in corpus size.

The manifest, splits file and card list articles in id order; the report counts them by format, outlet and
split and needs their date range. ``ArticleIndex`` keeps those counts in memory and, given a folder, spills
the summaries to JSON-lines files, one per bucket of article ids. Ids are SHA-256 hex, so bucket order is id
order and reading back sorts one bucket at a time: memory holds at most ``flush_rows`` summaries or one bucket.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from natostance.parquet_io import id_bucket

SUMMARY_KEYS = ("article_id", "source_file", "source_line", "source_format", "outlet", "republisher", "title",
                "split", "split_date", "split_date_source", "n_sentences", "machine_translated")
COUNTED = ("source_format", "outlet", "split")
FLUSH_ROWS = 5_000  # summaries held in memory before they go to their bucket files


def summary(article: dict[str, Any], removals: dict[str, int]) -> dict[str, Any]:
    return {**{k: article[k] for k in SUMMARY_KEYS}, "removals": dict(sorted(removals.items()))}


class ArticleIndex:
    """Article summaries (``summary()`` dicts, any extra keys kept) and their counts; iterate in id order."""

    def __init__(self, folder: Path | None = None, buckets: int = 1, flush_rows: int | None = None) -> None:
        self.folder, self.buckets, self.flush_rows = folder, buckets, flush_rows or FLUSH_ROWS
        self._rows: list[list[dict[str, Any]]] = [[] for _ in range(buckets)]
        self._buffered = self._n = 0
        self.counts: dict[str, Counter] = {k: Counter() for k in COUNTED}
        self.removals: Counter = Counter()
        self.dates: tuple[str, str] | None = None
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def add(self, row: dict[str, Any]) -> None:
        self._rows[id_bucket(row["article_id"], self.buckets)].append(row)
        self._n += 1
        for k in COUNTED:
            self.counts[k][str(row[k]) if row[k] is not None else "(unknown)"] += 1
        self.removals.update(row["removals"])
        if d := row["split_date"]:
            self.dates = (min(d, self.dates[0]), max(d, self.dates[1])) if self.dates else (d, d)
        self._buffered += 1
        if self.folder is not None and self._buffered >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        if self.folder is None:
            return
        for b, rows in enumerate(self._rows):
            if rows:
                with (self.folder / f"{b:05d}.jsonl").open("a", encoding="utf-8") as fh:
                    fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
                rows.clear()
        self._buffered = 0

    def __len__(self) -> int:
        return self._n

    def by(self, key: str) -> dict[str, int]:
        return dict(sorted(self.counts[key].items()))

    def bucket(self, b: int) -> list[dict[str, Any]]:
        """Bucket ``b``'s summaries, in the order they were added."""
        rows = read_bucket(self.folder, b) if self.folder is not None else []
        return rows + self._rows[b]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for b in range(self.buckets):
            yield from sorted(self.bucket(b), key=lambda r: r["article_id"])

    def discard(self) -> None:
        """Delete the spill folder (the counts stay; the summaries are gone)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        self._rows = [[] for _ in range(self.buckets)]


def read_bucket(folder: Path, b: int) -> list[dict[str, Any]]:
    path = folder / f"{b:05d}.jsonl"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]
