"""Benchmark the scorer: 10 million stance predictions over 100,000 articles.

Times (one core: BLAS and OpenMP pinned to one thread) the macro-F1 point estimate and 1,000 article-cluster
bootstrap resamples, next to scikit-learn's ``f1_score`` on the same arrays, once and in a bootstrap loop
(the loop is timed on a few resamples and extrapolated, as stated in the output). Writes
``benchmarks/out/score.json`` and prints a table of times, ratios and peak memory.

    python benchmarks/score.py [--rows 10000000] [--articles 100000] [--resamples 1000] [--sklearn-loop 3]
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from natostance.evaluation import bootstrap as B  # noqa: E402
from natostance.evaluation import metrics as M  # noqa: E402
from natostance.labels import labels  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def best_of(fn, repeat=3):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--sklearn-loop", type=int, default=3, help="sklearn bootstrap replicates actually timed")
    ap.add_argument("--out", default=str(Path(__file__).parent / "out" / "score.json"))
    args = ap.parse_args()
    from sklearn.metrics import f1_score

    k = len(labels("stance"))
    rng = np.random.default_rng(0)
    article = np.sort(rng.integers(0, args.articles, args.rows)).astype(np.int32)
    gold = rng.integers(0, k, args.rows).astype(np.int8)
    pred = np.where(rng.random(args.rows) < 0.6, gold, rng.integers(0, k, args.rows)).astype(np.int8)
    mem_data = peak_mb()
    res: dict = {
        "rows": args.rows,
        "articles": args.articles,
        "classes": k,
        "resamples": args.resamples,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
    }
    with threadpool_limits(1):
        t_ours, ours = best_of(lambda: float(M.macro_f1(M.confusion_matrix(gold, pred, k))))
        t_matrix, matrix = best_of(
            lambda: B.cluster_matrix(article, gold.astype(np.int64) * k + pred, None, args.articles, k * k),
            1,
        )
        metric = lambda s: M.macro_f1(np.asarray(s).reshape(*np.shape(s)[:-1], k, k))  # noqa: E731
        t_boot, reps = best_of(lambda: B.replicates(matrix, {"macro_f1": metric}, args.resamples, 1)["macro_f1"], 1)
        mem_ours = peak_mb()
        t_sk, sk = best_of(lambda: f1_score(gold, pred, labels=list(range(k)), average="macro"), 1)
        order = np.argsort(article, kind="stable")
        starts = np.searchsorted(article[order], np.arange(args.articles + 1))
        t0 = time.perf_counter()
        srng = np.random.default_rng(1)
        for _ in range(args.sklearn_loop):
            drawn = srng.integers(0, args.articles, args.articles)
            rows = np.concatenate([order[starts[a] : starts[a + 1]] for a in drawn])
            f1_score(gold[rows], pred[rows], labels=list(range(k)), average="macro")
        t_sk_loop = (time.perf_counter() - t0) / args.sklearn_loop * args.resamples
    assert abs(ours - sk) < 1e-9, (ours, sk)
    ci = B.percentile_ci(reps)
    res |= {
        "macro_f1": ours,
        "ci": ci,
        "sklearn_macro_f1": float(sk),
        "seconds": {
            "point_ours": t_ours,
            "point_sklearn": t_sk,
            "cluster_matrix": t_matrix,
            "bootstrap_ours": t_boot,
            "bootstrap_ours_total": t_matrix + t_boot,
            "bootstrap_sklearn_loop_extrapolated": t_sk_loop,
        },
        "sklearn_loop_timed_replicates": args.sklearn_loop,
        "ratios": {"point": t_sk / t_ours, "bootstrap": t_sk_loop / (t_matrix + t_boot)},
        "peak_mb": {"after_data": mem_data, "after_ours": mem_ours, "after_sklearn": peak_mb()},
        "targets": {
            "point_10x_faster": t_sk / t_ours >= 10,
            "bootstrap_under_5s": t_matrix + t_boot < 5,
            "memory_under_2gb": mem_ours < 2048,
        },
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=1) + "\n")
    s = res["seconds"]
    print(
        f"{args.rows:,} predictions, {args.articles:,} articles, {k} classes, one core; macro-F1 {ours:.4f} "
        f"[{ci[0]:.4f}, {ci[1]:.4f}] (= sklearn to 1e-9)"
    )
    print(f"{'':34}{'natostance':>12}{'scikit-learn':>14}{'ratio':>9}")
    print(f"{'point estimate (s)':34}{s['point_ours']:12.3f}{s['point_sklearn']:14.3f}{res['ratios']['point']:9.1f}")
    print(f"{'article matrix (s)':34}{s['cluster_matrix']:12.3f}")
    print(
        f"{f'{args.resamples} cluster resamples (s)':34}{s['bootstrap_ours_total']:12.3f}"
        f"{s['bootstrap_sklearn_loop_extrapolated']:14.1f}{res['ratios']['bootstrap']:9.1f}"
        f"   (sklearn: {args.sklearn_loop} timed, extrapolated)"
    )
    print(
        f"{'peak memory (MB)':34}{mem_ours:12.0f}{res['peak_mb']['after_sklearn']:14.0f}   (process peak; data alone "
        f"{mem_data:.0f})"
    )
    print("targets: " + ", ".join(f"{k}={'met' if v else 'MISSED'}" for k, v in res["targets"].items()))


if __name__ == "__main__":
    main()
