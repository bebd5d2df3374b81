"""The cluster bootstrap: counts, equivalence with explicit resampling, CIs, paired p-values."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score

from natostance.evaluation import bootstrap as B
from natostance.evaluation import metrics as M


def test_counts_are_seeded_multinomial_draws():
    a = np.concatenate(list(B.resample_counts(50, 120, seed=3, chunk=32)))
    b = np.concatenate(list(B.resample_counts(50, 120, seed=3, chunk=32)))
    c = np.concatenate(list(B.resample_counts(50, 120, seed=4, chunk=32)))
    assert a.shape == (120, 50) and (a.sum(1) == 50).all() and (a >= 0).all()
    assert (a == b).all() and not (a == c).all()


def test_count_product_equals_explicit_article_resampling():
    rng = np.random.default_rng(0)
    k, n_art = 4, 12
    art = rng.integers(0, n_art, 300)
    gold, pred = rng.integers(0, k, 300), rng.integers(0, k, 300)
    A = B.cluster_matrix(art, gold * k + pred, np.ones(300), n_art, k * k)
    for counts in next(B.resample_counts(n_art, 5, seed=1)):
        chosen = np.repeat(np.arange(n_art), counts.astype(int))  # the articles drawn, with repeats
        rows = np.concatenate([np.flatnonzero(art == a) for a in chosen])
        expected = f1_score(gold[rows], pred[rows], average="macro", zero_division=0)  # classes present
        assert M.macro_f1((counts @ A).reshape(k, k)) == pytest.approx(expected, abs=1e-9)


def test_percentile_ci_and_nan_replicates():
    assert B.percentile_ci(np.arange(101.0)) == pytest.approx((2.5, 97.5))
    assert B.percentile_ci(np.array([np.nan, np.nan])) is None
    assert B.percentile_ci(np.array([1.0, np.nan, 3.0])) == pytest.approx((1.05, 2.95))


def _system(rng, gold, accuracy, k):
    return np.where(rng.random(gold.size) < accuracy, gold, rng.integers(0, k, gold.size))


def test_paired_p_value_is_one_for_identical_systems_and_small_for_clear_differences():
    rng = np.random.default_rng(7)
    k, n_art = 4, 40
    art = np.repeat(np.arange(n_art), 25)
    gold = rng.integers(0, k, art.size)
    good, bad = _system(rng, gold, 0.9, k), _system(rng, gold, 0.3, k)
    mat = lambda p: B.cluster_matrix(art, gold * k + p, np.ones(art.size), n_art, k * k)  # noqa: E731
    metric = lambda s: M.macro_f1(np.asarray(s).reshape(*np.shape(s)[:-1], k, k))  # noqa: E731
    same = B.paired_p_value(mat(good), mat(good), metric, 500, 1)
    assert same["difference"] == 0 and same["p_value"] == 1.0
    diff = B.paired_p_value(mat(good), mat(bad), metric, 500, 1)
    assert diff["difference"] > 0.4 and diff["p_value"] < 0.01 and diff["ci_low"] > 0
    with pytest.raises(ValueError, match="same clusters"):
        B.paired_p_value(mat(good)[:-1], mat(bad), metric)


def test_replicates_on_no_clusters_are_nan():
    reps = B.replicates(np.zeros((0, 3)), {"m": lambda s: s[..., 0]}, resamples=10)
    assert np.isnan(reps["m"]).all()
