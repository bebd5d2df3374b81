"""Conformance: every metric equals scikit-learn and an independent re-implementation of the official formula
(SemEval-2016 eval.pl, CheckThat! 2018-20 scorer, SemEval-2020 T11 SI scorer) to 1e-9 on random cases, and
departs from them exactly where metrics.py says (an absent class is undefined, not 0)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, average_precision_score, f1_score, precision_recall_fscore_support

from natostance.evaluation import metrics as M
from natostance.evaluation.taskstats import _span_f1
from natostance.labels import labels

K = len(labels("stance"))
FAV, AG = labels("stance").index("favor"), labels("stance").index("against")
pairs = st.lists(st.tuples(st.integers(0, K - 1), st.integers(0, K - 1)), min_size=1, max_size=60)
few = settings(max_examples=150, deadline=None)


def eval_pl_f_avg(gold, pred):
    """Port of SemEval-2016 eval.pl: per class P, R, F over the pooled file; F_avg of favor and against."""
    f = {}
    for c in (FAV, AG):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        n_pred, n_gold = sum(1 for p in pred if p == c), sum(1 for g in gold if g == c)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f[c] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return (f[FAV] + f[AG]) / 2


@few
@given(pairs)
def test_stance_metrics_equal_sklearn_and_eval_pl(data):
    gold, pred = [g for g, _ in data], [p for _, p in data]
    before = (list(gold), list(pred))
    cm = M.confusion_matrix(np.array(gold), np.array(pred), K)
    every = list(range(K))
    # macro over the classes present in gold or predictions: scikit-learn's default (labels=None)
    assert M.macro_f1(cm) == pytest.approx(f1_score(gold, pred, average="macro", zero_division=0), abs=1e-9)
    present = [c for c in (FAV, AG) if c in gold or c in pred]
    if present:
        assert M.f_avg(cm, FAV, AG) == pytest.approx(
            f1_score(gold, pred, labels=present, average="macro", zero_division=0), abs=1e-9
        )
        # eval.pl counts an absent favor/against as F = 0: equal with both present, half with one
        assert M.f_avg(cm, FAV, AG) == pytest.approx(eval_pl_f_avg(gold, pred) * 2 / len(present), abs=1e-9)
    else:
        assert np.isnan(M.f_avg(cm, FAV, AG)) and eval_pl_f_avg(gold, pred) == 0.0
    assert M.accuracy(cm) == pytest.approx(accuracy_score(gold, pred), abs=1e-9)
    p, r, f = M.per_class_prf(cm)
    sp, sr, sf, _ = precision_recall_fscore_support(gold, pred, labels=every, zero_division=np.nan)
    np.testing.assert_allclose(np.stack([p, r, f]), np.stack([sp, sr, sf]), atol=1e-9, equal_nan=True)
    assert (gold, pred) == before


@few
@given(st.lists(st.integers(0, K - 1), min_size=1, max_size=60))
def test_a_perfect_prediction_scores_one_on_every_defined_stance_figure(gold):
    cm = M.confusion_matrix(np.array(gold), np.array(gold), K)
    p, r, f = M.per_class_prf(cm)
    for values in (p, r, f):
        assert all(v == 1.0 for v, c in zip(values, range(K)) if c in gold)
        assert all(np.isnan(v) for v, c in zip(values, range(K)) if c not in gold)
    assert M.macro_f1(cm) == 1.0 and M.accuracy(cm) == 1.0
    assert M.f_avg(cm, FAV, AG) == 1.0 if {FAV, AG} & set(gold) else np.isnan(M.f_avg(cm, FAV, AG))


@few
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=60))
def test_positive_f1_equals_sklearn(data):
    g, p = np.array([x for x, _ in data]), np.array([y for _, y in data])
    tp, fp, fn = (g & p).sum(), (~g & p).sum(), (g & ~p).sum()
    ours, theirs = M.binary_f1(tp, fp, fn), f1_score(g, p, pos_label=True, zero_division=np.nan)
    assert (np.isnan(ours) and np.isnan(theirs)) if not (g | p).any() else ours == pytest.approx(theirs, abs=1e-9)


def checkthat_ap(gold, ranked):
    """Port of CheckThat! 2020 scorer/main.py _compute_average_precision (R > 0 cases)."""
    precisions, correct = [], 0
    for i, line in enumerate(ranked):
        if gold[line]:
            correct += 1
            precisions.append(correct / (i + 1))
    return sum(precisions) / sum(gold) if precisions else 0.0


@few
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 5)), min_size=1, max_size=40))
def test_average_precision_equals_checkthat_and_sklearn(data):
    gold = [g for g, _ in data]
    scores = [s for _, s in data]  # few distinct values: ties on purpose
    ids = [f"s{i:03d}" for i in range(len(data))]
    order = M.rank_order(scores, ids)
    ap = M.average_precision([gold[i] for i in order])
    if not any(gold):
        assert ap is None
        return
    assert ap == pytest.approx(checkthat_ap(gold, order), abs=1e-9)
    if len(set(scores)) == len(scores):  # sklearn's AP agrees once no ties remain
        assert ap == pytest.approx(average_precision_score(gold, scores), abs=1e-9)
    r = sum(gold)
    assert M.r_precision([gold[i] for i in order]) == pytest.approx(sum(gold[i] for i in order[:r]) / r)
    perfect = sorted(gold, reverse=True)
    assert M.average_precision(perfect) == 1.0 and M.r_precision(perfect) == 1.0


@few
@given(st.lists(st.booleans(), min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_average_precision_equals_sklearn_without_ties(gold, rnd):
    scores = rnd.sample(range(1000), len(gold))
    order = M.rank_order(scores, [str(i) for i in range(len(gold))])
    ap = M.average_precision([gold[i] for i in order])
    assert (ap is None) if not any(gold) else ap == pytest.approx(average_precision_score(gold, scores), abs=1e-9)


def test_ranking_ties_are_broken_by_id_not_by_file_order():
    assert M.rank_order([0.5, 0.9, 0.5], ["b", "a", "a2"]) == [1, 2, 0]
    assert M.rank_order([0.5, 0.5], ["z", "y"]) == [1, 0]


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15)).map(lambda t: (t[0], t[0] + t[1])), max_size=6)


def chars(span_list):
    return [set(range(s, e)) for s, e in span_list]


def runs(charset):
    """Merged spans from a character set (independent of merge_spans)."""
    out, cur = [], None
    for c in sorted(charset):
        if cur and c == cur[1]:
            cur[1] += 1
        else:
            cur = [c, c + 1]
            out.append(cur)
    return [tuple(x) for x in out]


def s20_t11(gold, pred):
    """SemEval-2020 T11 SI: P = 1/|S| sum_s sum_t |s&t|/|s|, R = 1/|T| sum_s sum_t |s&t|/|t|, on merged spans
    (1.0 when both are empty)."""
    S, T = chars(runs(set().union(*chars(pred)))), chars(runs(set().union(*chars(gold))))
    if not S and not T:
        return 1.0
    p = sum(len(s & t) / len(s) for s in S for t in T) / len(S) if S else 0.0
    r = sum(len(s & t) / len(t) for s in S for t in T) / len(T) if T else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


@few
@given(spans, spans)
def test_span_metrics_equal_independent_formulas(gold, pred):
    gm, pm = M.merge_spans(gold), M.merge_spans(pred)
    sp, sr = M.overlap_sums(gm, pm)
    ours = float(_span_f1(sp, sr, len(pm), len(gm))[0])
    if gold or pred:
        assert ours == pytest.approx(s20_t11(gold, pred), abs=1e-9)
    else:  # the one departure: nothing in gold or predictions is undefined here, 1.0 in S20-T11
        assert np.isnan(ours) and s20_t11(gold, pred) == 1.0
    if gold:
        assert float(_span_f1(*M.overlap_sums(gm, gm), len(gm), len(gm))[0]) == pytest.approx(1.0)
    g, p = set(gold), set(pred)
    tp = M.exact_matches(sorted(g), sorted(p))
    assert tp == len(g & p)
    tokens = [(i, i + 1) for i in range(0, 80)]
    ig = [any(s <= i < e for s, e in gold) for i in range(80)]
    ip = [any(s <= i < e for s, e in pred) for i in range(80)]
    tp_, fp_, fn_ = M.token_counts(tokens, gold, pred)
    np.testing.assert_allclose(M.binary_f1(tp_, fp_, fn_), f1_score(ig, ip, zero_division=np.nan), atol=1e-9)


def test_zero_division_policy():
    assert np.isnan(M.macro_f1(np.zeros((K, K))))  # nothing to score: undefined, not 0
    assert np.isnan(_span_f1(0, 0, 0, 0)).all()  # no gold, no predicted spans: undefined (S20-T11 gives 1)
    f, p, r = (float(x) for x in _span_f1(0, 0, 3, 0))
    assert f == 0.0 and p == 0.0 and np.isnan(r)  # spans predicted where there are none: P 0, R undefined
    f, p, r = (float(x) for x in _span_f1(0, 0, 0, 2))
    assert f == 0.0 and np.isnan(p) and r == 0.0  # gold spans, none predicted: R 0, P undefined
    assert np.isnan(M.binary_f1(0, 0, 0)) and M.binary_f1(0, 1, 0) == 0.0 and M.binary_f1(0, 0, 1) == 0.0
    # one class present in gold only, another predicted only: macro over exactly those two, both 0
    cm = np.zeros((K, K))
    cm[FAV, AG] = 3
    assert M.macro_f1(cm) == 0.0 and M.f_avg(cm, FAV, AG) == 0.0
    with np.errstate(all="raise"):  # no division warnings anywhere in the batch path
        M.macro_f1(np.zeros((5, K, K))), M.f_avg(np.zeros((5, K, K)), FAV, AG), M.per_class_prf(np.zeros((K, K)))


def test_speaker_accuracy_uses_the_best_overlapping_prediction():
    gold = [(0, 10, "Lavrov"), (20, 30, "Kremlin"), (40, 50, None), (60, 70, "Nobody")]
    pred = [(0, 4, "Putin"), (2, 12, " lavrov "), (22, 28, "Peskov"), (40, 50, "x")]
    assert M.speaker_matches(gold, pred) == (1, 2)
    nested = [(0, 30, "Stoltenberg"), (5, 10, "Lavrov")]  # a gold span inside another, different speakers
    assert M.speaker_matches(nested, nested) == (2, 2)  # the identical span wins the tie on overlap
