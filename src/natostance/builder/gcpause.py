"""The cyclic garbage collector run less often during a build.

A build makes millions of small, short-lived lists (an article's blocks, words, spans), almost none of them in
a reference cycle; at the default threshold (700 allocations) the collector scans young objects every few
sentences. A higher first threshold for the build's duration costs about 4 % less CPU; collection still
runs (cycles are freed, memory stays flat) and the thresholds are restored afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

GEN0 = 50_000  # allocations between young-generation collections during a build (Python's default: 700)


@contextmanager
def fewer_collections(gen0: int = GEN0) -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(max(gen0, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
