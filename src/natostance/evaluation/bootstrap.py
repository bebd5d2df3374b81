"""Cluster bootstrap over articles, and the paired test between two systems.

Every figure of the scorer is a function of statistics that add up over articles (confusion-matrix cells,
span counts, per-article average precision, ...). An article-by-statistic matrix ``A`` (n_clusters x d)
therefore carries everything: one bootstrap replicate draws n articles with replacement, i.e. a count
vector ``c`` (multinomial, sums to n), and its statistics are ``c @ A``. Counts come from seeded
``rng.integers`` + an offset ``bincount``, in chunks, so 1,000 replicates over 100,000 articles need one
(chunk x n) count matrix at a time and one matrix product per chunk.

CI: percentile interval of the replicates (2.5 %, 97.5 % for 95 %), NaN replicates (an undefined metric in a
resample) left out. Paired test: both systems get the *same* resampled articles; with d = m(A) - m(B),
p = (1 + #{b : |d_b - d_obs| >= |d_obs|}) / (1 + B), the shifted-null two-sided bootstrap p-value
(lm-evaluation-harness ``significance.py``, here on corpus-level metrics recomputed per replicate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20160611
MIN_CLUSTERS = 10  # under this, an extra unit-level CI is reported and labelled optimistic

Metric = Callable[[np.ndarray], np.ndarray]


def cluster_matrix(cluster: np.ndarray, col: np.ndarray, val: np.ndarray | None, n_clusters: int, d: int) -> np.ndarray:
    """Sum (cluster, column, value) triplets into an (n_clusters, d) matrix with one ``bincount``.

    ``val=None`` means every value is 1 (a count), which skips the weighted pass.
    """
    flat = np.asarray(cluster, np.int64) * d + np.asarray(col, np.int64)
    weights = None if val is None else np.asarray(val, float)
    return np.bincount(flat, weights=weights, minlength=n_clusters * d).reshape(n_clusters, d).astype(float)


def resample_counts(n: int, resamples: int, seed: int, chunk: int = 0) -> Iterator[np.ndarray]:
    """Yield (rows, n) float matrices of bootstrap draw counts, ``resamples`` rows in total."""
    rng = np.random.default_rng(seed)
    chunk = chunk or max(1, min(resamples, 10_000_000 // max(n, 1)))
    for start in range(0, resamples, chunk):
        b = min(chunk, resamples - start)
        dtype = np.int32 if b * n < 2**31 else np.int64  # int32 draws are about twice as fast
        idx = rng.integers(0, n, size=(b, n), dtype=dtype)
        idx += (np.arange(b, dtype=dtype) * n)[:, None]
        yield np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(float)


def replicates(
    matrix: np.ndarray, metrics: dict[str, Metric], resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED
) -> dict[str, np.ndarray]:
    """Bootstrap replicates (``resamples`` values) of every metric over the clusters (rows) of ``matrix``."""
    out: dict[str, list[np.ndarray]] = {name: [] for name in metrics}
    if len(matrix) == 0:
        return {name: np.full(resamples, np.nan) for name in metrics}
    for counts in resample_counts(len(matrix), resamples, seed):
        stats = counts @ matrix
        for name, fn in metrics.items():
            out[name].append(np.asarray(fn(stats), float))
    return {name: np.concatenate(v) for name, v in out.items()}


def percentile_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float] | None:
    finite = np.asarray(values, float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return None
    lo, hi = np.percentile(finite, [50 * (1 - level), 50 * (1 + level)])
    return float(lo), float(hi)


def paired_p_value(
    matrix_a: np.ndarray,
    matrix_b: np.ndarray,
    metric: Metric,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict[str, float]:
    """Two-sided paired cluster-bootstrap p-value for metric(A) - metric(B); rows must be the same articles."""
    if matrix_a.shape != matrix_b.shape:
        raise ValueError(f"paired test needs the same clusters, found shapes {matrix_a.shape} and {matrix_b.shape}")
    obs = float(metric(matrix_a.sum(0)) - metric(matrix_b.sum(0)))
    diffs = []
    for counts in resample_counts(len(matrix_a), resamples, seed):
        diffs.append(metric(counts @ matrix_a) - metric(counts @ matrix_b))
    d = np.concatenate(diffs)
    d = d[np.isfinite(d)]
    p = (1 + np.count_nonzero(np.abs(d - obs) >= abs(obs))) / (1 + d.size)
    ci = percentile_ci(d)
    return {
        "difference": obs,
        "p_value": float(p),
        "ci_low": ci[0] if ci else None,
        "ci_high": ci[1] if ci else None,
        "resamples": int(d.size),
    }
