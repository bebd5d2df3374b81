"""Leakage check: near-duplicate sentences (same words, ignoring case, punctuation and spacing) across splits.

Keeps a 64-bit fingerprint per sentence: 8 bytes each in memory up to ``RUN_SIZE``, then sorted, made unique
and saved as one run per split (``<split>-NNNNN.npy``). The report walks the fingerprint space in ranges of
its top bits, so at most about ``RUN_SIZE`` fingerprints per split are in memory at once, whatever the
corpus size. Runs saved by other processes (the tasks of a scale-out build) merge in with ``absorb``.

A sentence's normal form is its words, casefolded, with every character that is not a letter or digit taken
as a space (``_normal``). ``add_article`` finds the same normal forms for all sentences of an article at once:
one table look-up over the whole text replaces a casefold and a translation per sentence.
"""

from __future__ import annotations

import hashlib
import heapq
from array import array
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path

import numpy as np

# every character that is not a letter or digit becomes a space (str.translate runs at C speed)
_PUNCT = {i: " " for i in range(0x2FFF) if not chr(i).isalnum()}
MIN_WORDS = 5  # shorter sentences ("he said.") repeat by nature
MAX_EXAMPLES = 100_000
RUN_SIZE = 4_000_000  # fingerprints (32 MB) held before a run goes to disk; also the report's range size
_MASK = (1 << 64) - 1
_SLOW = 0xD800  # in the folding table: a character it cannot fold to one (a lone surrogate: nothing folds to it)


def _normal(text: str) -> str | None:
    words = text.casefold().translate(_PUNCT).split()
    return " ".join(words) if len(words) >= MIN_WORDS else None


def _in_process(norm: str) -> int:
    return hash(norm) & _MASK  # within one process only: one build's own comparisons


def _stable(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


def fingerprint(text: str) -> int | None:
    norm = _normal(text)
    return None if norm is None else _in_process(norm)


def stable_fingerprint(text: str) -> int | None:
    """The same across processes and machines (for builds whose sentences are spread over many tasks)."""
    norm = _normal(text)
    return None if norm is None else _stable(norm)


_HASH_OF_NORMAL: dict[Callable, Callable[[str], int]] = {fingerprint: _in_process, stable_fingerprint: _stable}


@cache
def _folding() -> np.ndarray:
    """UTF-16 code unit -> what ``_normal`` makes of it before splitting: its casefold, or a space where
    ``_PUNCT`` puts one; ``_SLOW`` for surrogates (characters beyond U+FFFF) and characters whose casefold
    is not one character, which the table cannot handle."""
    table = np.full(0x10000, _SLOW, dtype=np.uint16)
    for i in range(0x10000):
        folded = chr(i).casefold()
        if len(folded) == 1 and not 0xD800 <= i < 0xE000:
            table[i] = ord(folded.translate(_PUNCT))
    return table


def normal_text(text: str) -> str | None:
    """``text`` casefolded and translated as ``_normal`` does, character for character (so a sentence's
    slice of it, split and joined, is that sentence's normal form); None when the table cannot do it."""
    fold = _folding().take(np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16))
    if (fold == _SLOW).any():
        return None
    return fold.tobytes().decode("utf-16-le")


class LeakageCheck:
    def __init__(self, fingerprint: Callable[[str], int | None] = fingerprint, folder: Path | None = None,
                 run_size: int | None = None) -> None:
        self._fingerprint, self.folder, self.run_size = fingerprint, folder, run_size or RUN_SIZE
        self._buffers: dict[str, array] = {}
        self._buffered = 0
        self._runs: list[tuple[str, Path]] = []  # (split, sorted unique uint64 .npy)
        self.examples: dict[int, str] = {}  # the first sentence id of each of the first MAX_EXAMPLES fingerprints

    def add(self, split: str, sentence_id: str, text: str) -> None:
        fp = self._fingerprint(text)
        if fp is None:
            return
        self._buffers.setdefault(split, array("Q")).append(fp)
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.setdefault(fp, sentence_id)
        self._buffered += 1
        if self.folder is not None and self._buffered >= self.run_size:
            self.flush()

    def add_article(self, split: str, sentence_ids: Sequence[str], text: str, starts: Sequence[int],
                    ends: Sequence[int]) -> None:
        """The sentences ``text[start:end]`` of one article: the same fingerprints and examples as ``add`` of each."""
        hash_normal = _HASH_OF_NORMAL.get(self._fingerprint)
        norm = normal_text(text) if hash_normal else None
        if norm is None:
            for sid, a, b in zip(sentence_ids, starts, ends):
                self.add(split, sid, text[a:b])
            return
        words = [norm[a:b].split() for a, b in zip(starts, ends)]
        if hash_normal is _in_process:
            fps = [hash(" ".join(w)) & _MASK for w in words if len(w) >= MIN_WORDS]
        else:
            fps = [hash_normal(" ".join(w)) for w in words if len(w) >= MIN_WORDS]
        if not fps:
            return
        self._buffers.setdefault(split, array("Q")).extend(fps)
        if len(self.examples) < MAX_EXAMPLES:  # the kept sentences' ids only while examples are still taken
            kept = [sid for sid, w in zip(sentence_ids, words) if len(w) >= MIN_WORDS]
            for fp, sid in zip(fps, kept):
                if len(self.examples) >= MAX_EXAMPLES:
                    break
                self.examples.setdefault(fp, sid)
        self._buffered += len(fps)
        if self.folder is not None and self._buffered >= self.run_size:
            self.flush()

    def flush(self) -> None:
        """Save what is in memory as one sorted run per split into the check's folder."""
        if self.folder is None:
            raise ValueError("LeakageCheck.flush needs the check to have a folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        for split, buf in sorted(self._buffers.items()):
            path = self.folder / f"{split}-{sum(1 for s, _ in self._runs if s == split):05d}.npy"
            np.save(path, np.unique(np.frombuffer(buf, dtype=np.uint64)))
            self._runs.append((split, path))
        self._buffers, self._buffered = {}, 0

    def absorb(self, folder: Path, examples: Iterable[tuple[int, str]]) -> None:
        """Add the runs another check saved into ``folder`` (it saw the next sentences in build order)."""
        self._runs += [(p.name.rsplit("-", 1)[0], p) for p in sorted(folder.glob("*.npy"))]
        for fp, sid in examples:
            if len(self.examples) >= MAX_EXAMPLES:
                break
            self.examples.setdefault(int(fp), sid)

    def report(self) -> list[dict]:
        """One entry per pair of splits that share near-duplicate sentences: count and up to 5 example ids."""
        runs: dict[str, list[np.ndarray]] = {}
        for split, path in self._runs:
            runs.setdefault(split, []).append(np.load(path, mmap_mode="r"))
        for split, buf in self._buffers.items():
            runs.setdefault(split, []).append(np.unique(np.frombuffer(buf, dtype=np.uint64)))
        total = sum(len(r) for parts in runs.values() for r in parts)
        bits = 0
        while total >> bits > self.run_size and bits < 16:
            bits += 1
        names = sorted(runs)
        shared: dict[tuple[str, str], list] = {}  # pair -> [count, the 5 smallest example ids]
        for b in range(1 << bits):
            lo = np.uint64(b << (64 - bits))
            end = np.uint64((b + 1) << (64 - bits)) if b + 1 < 1 << bits else None
            arrays = {s: np.unique(np.concatenate([_range(r, lo, end) for r in runs[s]])) for s in names}
            for i, a in enumerate(names):
                for c in names[i + 1:]:
                    both = np.intersect1d(arrays[a], arrays[c], assume_unique=True)
                    if len(both):
                        entry = shared.setdefault((a, c), [0, []])
                        entry[0] += len(both)
                        ids = [self.examples[int(h)] for h in both if int(h) in self.examples]
                        entry[1] = heapq.nsmallest(5, entry[1] + ids)
        return [{"splits": [a, c], "near_duplicates": int(n), "examples": ex} for (a, c), (n, ex) in sorted(shared.items())]


def _range(run: np.ndarray, lo: np.uint64, end: np.uint64 | None) -> np.ndarray:
    """The part of a sorted run in [lo, end) (end None: to the top of the range)."""
    i = int(np.searchsorted(run, lo, side="left"))
    j = len(run) if end is None else int(np.searchsorted(run, end, side="left"))
    return np.asarray(run[i:j])
