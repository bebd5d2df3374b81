"""The records a build rejected, held so that memory stays flat however many there are.

The first ``KEPT`` rejects stay in memory (the report, the manifest and the summary list only those); every
later one is appended to a spill file in the build's work folder, in ``rejects.jsonl``'s own line format. Iterating gives all of them in
the order they were added (``rejects.jsonl`` is written that way); counts are kept as they come. Once the
build is over and its work folder gone, iterating reads the output's ``rejects.jsonl`` (``listing``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from natostance.builder.document import Rejected

KEPT = 1_000  # rejects held in memory and listed in the report and the manifest


class Rejects:
    def __init__(self, spill: Path | None = None, items: Iterable[Rejected] = ()) -> None:
        self.spill = spill  # None: everything stays in memory (small builds, tests)
        self.head: list[Rejected] = []
        self.total = self.bad = 0
        self.bad_head: list[Rejected] = []  # the first KEPT that are not dropped by a policy
        self.dropped: Counter = Counter()  # reason -> records dropped by a chosen policy
        self.listing: Path | None = None  # once built: the output's rejects.jsonl (read when the spill is gone)
        self._fh, self._spilled = None, False
        for r in items:
            self.add(r)

    def add(self, r: Rejected) -> None:
        self.total += 1
        if r.dropped:
            self.dropped[r.reason] += 1
        else:
            self.bad += 1
            if len(self.bad_head) < KEPT:
                self.bad_head.append(r)
        if len(self.head) < KEPT or self.spill is None:
            self.head.append(r)
            return
        if self._fh is None:
            self.spill.parent.mkdir(parents=True, exist_ok=True)
            self._fh, self._spilled = self.spill.open("w", encoding="utf-8"), True
        self._fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[Rejected]:
        if self._spilled and self._fh is None and self.listing is not None:  # after the build: its listing
            yield from read_rejects(self.listing)
            return
        yield from self.head
        if self._spilled:
            if self._fh is not None:
                self._fh.flush()
            yield from read_rejects(self.spill)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def read_rejects(path: Path) -> Iterator[Rejected]:
    """The rejects of a ``rejects.jsonl`` (or a spill in its format), line by line."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield Rejected.from_json(json.loads(line))
