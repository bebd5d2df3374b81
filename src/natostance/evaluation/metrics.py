"""Pure metric functions. Every one takes plain arrays or tuples, never mutates them, and broadcasts over
leading batch axes so the bootstrap can evaluate 1,000 replicates in one call.

**Perfect means 1.0; nothing to measure means undefined (NaN, reported as ``null`` with the reason).**
One zero-division policy, everywhere:

* precision of a class with no predictions of it, recall of a class with no gold items of it: undefined;
* F1 = 2·TP / (2·TP + FP + FN): undefined only when the class is in neither gold nor predictions, 0 when
  it is in one of them and never matched (scikit-learn ``zero_division=np.nan`` gives the same three);
* macro-F1 averages over the classes present in gold **or** predictions (scikit-learn's default,
  ``labels=None``), so a class that nothing is and nothing predicts neither helps nor hurts;
* F_avg (SemEval-2016 Task 6) averages F1 of ``favor`` and ``against`` over those of the two that are
  present in gold or predictions; with neither present it is undefined.

Where this departs from SemEval-2016 ``eval.pl``: there a class absent from both gold and predictions counts
as F = 0 in F_avg, so a split without ``favor`` items caps a perfect system at 0.5. Both agree whenever
favor and against each occur in gold or predictions (tests/evaluation/test_eval_metrics.py checks both).
Spans follow the same rule: with neither gold nor predicted spans, span F1 is undefined (the SemEval-2020
Task 11 scorer returns 1 there).
"""

from __future__ import annotations

import numpy as np

# ---------- classification (stance, check-worthiness) ----------


def confusion_matrix(gold: np.ndarray, pred: np.ndarray, k: int) -> np.ndarray:
    """K x K counts, rows = gold class index, columns = predicted class index (one ``bincount``)."""
    return np.bincount(np.asarray(gold, np.int64) * k + np.asarray(pred, np.int64), minlength=k * k).reshape(k, k)


def ratio(num, den) -> np.ndarray:
    """num / den, NaN (undefined) where den == 0; no warnings."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan), where=den != 0)


def f1_from_counts(tp, fp, fn) -> np.ndarray:
    """2·TP / (2·TP + FP + FN): NaN when there is nothing in gold or predictions, else the usual F1."""
    tp = np.asarray(tp, float)
    return ratio(2 * tp, 2 * tp + np.asarray(fp, float) + fn)


def f1_from_pr(p, r) -> np.ndarray:
    """Harmonic mean of ratio-based P and R (span overlap): NaN when both are undefined (nothing in gold or
    predictions); 0 when one is undefined (nothing predicted, or nothing to find) or P + R = 0."""
    p, r = np.asarray(p, float), np.asarray(r, float)
    both = np.isfinite(p) & np.isfinite(r)
    p0, r0 = np.where(both, p, 0.0), np.where(both, r, 0.0)
    f = np.nan_to_num(ratio(2 * p0 * r0, p0 + r0), nan=0.0)
    return np.where(both, f, np.where(np.isnan(p) & np.isnan(r), np.nan, 0.0))


def nanmean_last(x) -> np.ndarray:
    """Mean over the last axis ignoring NaN; NaN where every entry is NaN (no RuntimeWarning)."""
    x = np.asarray(x, float)
    ok = np.isfinite(x)
    return ratio(np.where(ok, x, 0.0).sum(axis=-1), ok.sum(axis=-1))


def per_class_prf(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-class precision, recall, F1 of a (..., K, K) confusion matrix; each (..., K), NaN where undefined."""
    cm = np.asarray(cm, float)
    tp = np.diagonal(cm, axis1=-2, axis2=-1)
    n_pred, n_gold = cm.sum(axis=-2), cm.sum(axis=-1)
    return ratio(tp, n_pred), ratio(tp, n_gold), ratio(2 * tp, n_pred + n_gold)


def macro_f1(cm: np.ndarray) -> np.ndarray:
    """Unweighted mean of per-class F1 over the classes present in gold or predictions (scikit-learn's
    ``average='macro'`` with ``labels=None``); NaN for an empty matrix."""
    return nanmean_last(per_class_prf(cm)[2])


def f_avg(cm: np.ndarray, favor: int, against: int) -> np.ndarray:
    """SemEval-2016 Task 6 F_avg: mean F1 of favor and against over those present in gold or predictions.

    The other classes are real classes (they lower P and R of favor/against) but are not averaged.
    """
    f = per_class_prf(cm)[2]
    return nanmean_last(np.stack([f[..., favor], f[..., against]], axis=-1))


def accuracy(cm: np.ndarray) -> np.ndarray:
    cm = np.asarray(cm, float)
    return ratio(np.trace(cm, axis1=-2, axis2=-1), cm.sum(axis=(-2, -1)))


def binary_f1(tp, fp, fn) -> np.ndarray:
    """Positive-class F1 (CheckThat! 2023 style) from counts; NaN with no positives in gold or predictions."""
    return f1_from_counts(tp, fp, fn)


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


def r_precision(relevant_ranked) -> float | None:
    """Precision among the first R ranked items, R = number of relevant items (CheckThat! 2018–20 "R-P");
    1 for a perfect ranking, None when the list has no relevant item."""
    rel = np.asarray(relevant_ranked, bool)
    r = int(rel.sum())
    return float(rel[:r].sum() / r) if r else None


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
    predicted span of largest overlap (ties: the one closest in extent, i.e. fewest characters in one span but
    not the other, so an identical span wins over one that contains it; then earliest start, then shortest);
    speakers compare after ``casefold`` and whitespace normalisation. Gold spans that no prediction overlaps
    are not counted."""
    norm = lambda x: " ".join(str(x).casefold().split()) if x is not None else None  # noqa: E731
    correct = matched = 0
    for gs, ge, gsp in gold:
        if gsp is None:
            continue
        best = max(
            ((min(pe, ge) - max(ps, gs), -(abs(ps - gs) + abs(pe - ge)), -ps, -(pe - ps), psp) for ps, pe, psp in pred),
            default=None,
        )
        if best is None or best[0] <= 0:
            continue
        matched += 1
        correct += norm(best[-1]) == norm(gsp)
    return correct, matched
