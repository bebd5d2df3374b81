"""Pure metric functions. Every one takes plain arrays or tuples, never mutates them, and broadcasts over
leading batch axes so the bootstrap can evaluate 1,000 replicates in one call.

Zero-division policy (one rule, everywhere): a precision with no predictions, a recall with no gold items
and an F1 with P + R = 0 are **0** (scikit-learn ``zero_division=0``), with one exception taken from the
official SemEval-2020 Task 11 scorer: for claim *spans*, when a split has neither gold nor predicted spans,
P = R = F1 = **1**. A class absent from both gold and predictions still enters a macro average (as 0), as
in SemEval-2016 ``eval.pl``; scikit-learn matches when called with ``labels=`` the full class list.
"""

from __future__ import annotations

import numpy as np

# ---------- classification (stance, check-worthiness) ----------


def confusion_matrix(gold: np.ndarray, pred: np.ndarray, k: int) -> np.ndarray:
    """K x K counts, rows = gold class index, columns = predicted class index (one ``bincount``)."""
    return np.bincount(np.asarray(gold, np.int64) * k + np.asarray(pred, np.int64), minlength=k * k).reshape(k, k)


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, float), np.asarray(den, float)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den != 0)


def f1_from_pr(p: np.ndarray, r: np.ndarray) -> np.ndarray:
    return _div(2 * np.asarray(p) * r, np.asarray(p) + r)


def per_class_prf(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-class precision, recall, F1 of a (..., K, K) confusion matrix; each (..., K)."""
    cm = np.asarray(cm, float)
    tp = np.diagonal(cm, axis1=-2, axis2=-1)
    p = _div(tp, cm.sum(axis=-2))
    r = _div(tp, cm.sum(axis=-1))
    return p, r, f1_from_pr(p, r)


def macro_f1(cm: np.ndarray) -> np.ndarray:
    """Unweighted mean of per-class F1 over **all** K classes (scikit-learn ``average='macro'``, ``labels`` = all)."""
    return per_class_prf(cm)[2].mean(axis=-1)


def f_avg(cm: np.ndarray, favor: int, against: int) -> np.ndarray:
    """SemEval-2016 Task 6 F_avg = (F1_favor + F1_against) / 2 over the pooled matrix (``eval.pl`` "Macro F").

    The other classes are real classes (they lower P and R of favor/against) but are not averaged.
    """
    f = per_class_prf(cm)[2]
    return (f[..., favor] + f[..., against]) / 2


def accuracy(cm: np.ndarray) -> np.ndarray:
    cm = np.asarray(cm, float)
    return _div(np.trace(cm, axis1=-2, axis2=-1), cm.sum(axis=(-2, -1)))


def binary_f1(tp, fp, fn) -> np.ndarray:
    """Positive-class F1 (CheckThat! 2023 style) from counts; zero-division 0."""
    return f1_from_pr(_div(tp, np.asarray(tp, float) + fp), _div(tp, np.asarray(tp, float) + fn))


# ---------- ranking (claim detection) ----------


def rank_order(scores, ids) -> list[int]:
    """Positions sorted by score descending; **ties broken by id ascending** (never by file order)."""
    return sorted(range(len(scores)), key=lambda i: (-float(scores[i]), ids[i]))


def average_precision(relevant_ranked) -> float | None:
    """AP of one ranked list (CheckThat! 2018–20): mean of P@k over the ranks k of relevant items.

    None when the list has no relevant item (such articles are left out of MAP; the official scorer
    counts them as AP = 0, which punishes systems for articles where nothing can be found).
    """
    rel = np.asarray(relevant_ranked, bool)
    if not rel.any():
        return None
    hits = np.cumsum(rel)
    return float((hits[rel] / (np.flatnonzero(rel) + 1)).mean())


def precision_at_k(relevant_ranked, k: int) -> float:
    """Relevant items among the first k, divided by k (lists shorter than k count missing ranks as misses)."""
    return float(np.asarray(relevant_ranked[:k], bool).sum() / k)


# ---------- spans (claim spans); spans are (start, end) character offsets, end exclusive ----------


def merge_spans(spans) -> list[tuple[int, int]]:
    """Union of overlapping or touching spans, sorted (the S20-T11 scorer merges gold spans, ``-m`` submitted)."""
    out: list[list[int]] = []
    for s, e in sorted((int(s), int(e)) for s, e, *_ in spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def exact_matches(gold, pred) -> int:
    """Number of predicted spans with identical (start, end) to a gold span, each gold span used once."""
    from collections import Counter

    g = Counter((int(s), int(e)) for s, e, *_ in gold)
    p = Counter((int(s), int(e)) for s, e, *_ in pred)
    return sum(min(c, g[k]) for k, c in p.items())


def overlap_sums(gold, pred) -> tuple[float, float]:
    """SemEval-2020 Task 11 SI sums: (Σ_s Σ_t |s∩t|/|s|, Σ_t Σ_s |s∩t|/|t|) over one article.

    P = first / |S|, R = second / |T|, F1 = 2PR/(P+R); both lists should already be merged.
    """
    sp = sr = 0.0
    for ps, pe in pred:
        for gs, ge in gold:
            inter = min(pe, ge) - max(ps, gs)
            if inter > 0:
                sp += inter / (pe - ps)
                sr += inter / (ge - gs)
    return sp, sr


def token_counts(tokens, gold, pred) -> tuple[int, int, int]:
    """Token-level (tp, fp, fn): a token is 'in a claim' when it overlaps any span; tokens are (start, end)."""

    def inside(spans):
        return [any(s < te and ts < e for s, e, *_ in spans) for ts, te in tokens]

    g, p = np.array(inside(gold), bool), np.array(inside(pred), bool)
    return int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum())


def speaker_matches(gold, pred) -> tuple[int, int]:
    """(correct, matched) speakers: each gold span (start, end, speaker) with a non-null speaker is matched to the
    predicted span of largest overlap (ties: earliest start, then shortest); speakers compare after
    ``casefold`` and whitespace normalisation. Gold spans that no prediction overlaps are not counted."""
    norm = lambda x: " ".join(str(x).casefold().split()) if x is not None else None  # noqa: E731
    correct = matched = 0
    for gs, ge, gsp in gold:
        if gsp is None:
            continue
        best = max(((min(pe, ge) - max(ps, gs), -ps, -(pe - ps), psp) for ps, pe, psp in pred), default=None)
        if best is None or best[0] <= 0:
            continue
        matched += 1
        correct += norm(best[3]) == norm(gsp)
    return correct, matched
