"""Leakage check: near-duplicate sentences (same words, ignoring case, punctuation and spacing) across splits.

Keeps only a 64-bit hash per sentence in a numpy array per split, so memory stays small at scale.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

# every character that is not a letter or digit becomes a space (str.translate runs at C speed)
_PUNCT = {i: " " for i in range(0x2FFF) if not chr(i).isalnum()}
MIN_WORDS = 5  # shorter sentences ("he said.") repeat by nature


def fingerprint(text: str) -> int | None:
    words = text.casefold().translate(_PUNCT).split()
    if len(words) < MIN_WORDS:
        return None
    norm = " ".join(words)
    return hash(norm)  # within one process only: the check compares fingerprints of one build


class LeakageCheck:
    def __init__(self) -> None:
        self._hashes: dict[str, list[int]] = defaultdict(list)
        self._examples: dict[int, str] = {}

    def add(self, split: str, sentence_id: str, text: str) -> None:
        fp = fingerprint(text)
        if fp is not None:
            self._hashes[split].append(fp)
            if len(self._examples) < 100_000:
                self._examples.setdefault(fp, sentence_id)

    def report(self) -> list[dict]:
        """One entry per pair of splits that share near-duplicate sentences: count and example ids."""
        arrays = {s: np.unique(np.asarray(v, dtype=np.int64)) for s, v in sorted(self._hashes.items())}
        out = []
        names = sorted(arrays)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                shared = np.intersect1d(arrays[a], arrays[b], assume_unique=True)
                if len(shared):
                    examples = sorted(self._examples[int(h)] for h in shared if int(h) in self._examples)[:5]
                    out.append({"splits": [a, b], "near_duplicates": int(len(shared)), "examples": examples})
        return out
