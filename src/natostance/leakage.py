"""Leakage check: near-duplicate sentences (same words, ignoring case, punctuation and spacing) across splits.

Keeps only a 64-bit hash per sentence in a numpy array per split, so memory stays small at scale.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

# every character that is not a letter or digit becomes a space (str.translate runs at C speed)
_PUNCT = {i: " " for i in range(0x2FFF) if not chr(i).isalnum()}
MIN_WORDS = 5  # shorter sentences ("he said.") repeat by nature
MAX_EXAMPLES = 100_000


def _normal(text: str) -> str | None:
    words = text.casefold().translate(_PUNCT).split()
    return " ".join(words) if len(words) >= MIN_WORDS else None


def fingerprint(text: str) -> int | None:
    norm = _normal(text)
    return None if norm is None else hash(norm)  # within one process only: the check compares fingerprints of one build


def stable_fingerprint(text: str) -> int | None:
    """The same across processes and machines (for builds whose sentences are spread over many tasks)."""
    norm = _normal(text)
    if norm is None:
        return None
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


class LeakageCheck:
    def __init__(self, fingerprint: Callable[[str], int | None] = fingerprint) -> None:
        self._fingerprint = fingerprint
        self._hashes: dict[str, list[int]] = defaultdict(list)
        self._parts: dict[str, list[np.ndarray]] = defaultdict(list)
        self._examples: dict[int, str] = {}

    def add(self, split: str, sentence_id: str, text: str) -> None:
        fp = self._fingerprint(text)
        if fp is not None:
            self._hashes[split].append(fp)
            if len(self._examples) < MAX_EXAMPLES:
                self._examples.setdefault(fp, sentence_id)

    def state(self) -> tuple[dict[str, np.ndarray], list[tuple[int, str]]]:
        """What another process needs to merge this check: unique fingerprints per split, examples in order."""
        return self._unique(), list(self._examples.items())

    def absorb(self, hashes: dict[str, np.ndarray], examples: Iterable[tuple[int, str]]) -> None:
        """Merge the ``state()`` of a check that saw the next sentences in build order (same result as one check)."""
        for split, arr in hashes.items():
            self._parts[split].append(np.asarray(arr, dtype=np.int64))
        for fp, sid in examples:
            if len(self._examples) >= MAX_EXAMPLES:
                break
            self._examples.setdefault(int(fp), sid)

    def _unique(self) -> dict[str, np.ndarray]:
        splits = sorted(set(self._hashes) | set(self._parts))
        return {s: np.unique(np.concatenate([np.asarray(self._hashes.get(s, []), dtype=np.int64), *self._parts.get(s, [])]))
                for s in splits}

    def report(self) -> list[dict]:
        """One entry per pair of splits that share near-duplicate sentences: count and example ids."""
        arrays = self._unique()
        out = []
        names = sorted(arrays)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                shared = np.intersect1d(arrays[a], arrays[b], assume_unique=True)
                if len(shared):
                    examples = sorted(self._examples[int(h)] for h in shared if int(h) in self._examples)[:5]
                    out.append({"splits": [a, b], "near_duplicates": int(len(shared)), "examples": examples})
        return out
