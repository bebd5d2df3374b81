"""``score(gold, submission, split, protocol=...)``: check the submission (same code as ``natostance check``),
compute every figure with a cluster-bootstrap CI over articles, and break results down by target, outlet,
year, original vs machine-translated text and (under ``cv``) fold.

A figure with nothing to measure has ``value: null`` and ``undefined``: the reason (``metrics.py``). The
result names the SHA-256 of the submission and metadata files it was computed from and the scorer
version, so a stored result can be checked against them (``verify.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from natostance._version import SCORER_VERSION, __version__
from natostance.evaluation import bootstrap as B
from natostance.evaluation.check import Predictions, check
from natostance.evaluation.folds import FOLDS_FILE, gold_folds
from natostance.evaluation.protocol import resolve
from natostance.evaluation.gold import Gold, load_gold, restrict, split_hashes
from natostance.evaluation.result import ScoreResult
from natostance.evaluation.shape import shape_from_gold
from natostance.evaluation.submission import Submission, read_submission
from natostance.evaluation.taskstats import TaskStats, task_stats
from natostance.evaluation.verify import submission_files
from natostance.labels import labels

MIN_SUPPORT = 30  # breakdown cells with fewer gold units are flagged low_support
BREAKDOWN_METRICS = {
    "sentence_stance": ("macro_f1", "f_avg"),
    "article_stance": ("macro_f1", "f_avg"),
    "claim_detection": ("positive_f1", "map"),
    "claim_spans": ("exact_f1", "overlap_f1"),
}


def definitions() -> dict[str, str]:
    classes = ", ".join(labels("stance"))
    return {
        "macro_f1": f"unweighted mean of per-class F1 over the stance classes ({classes}) present in gold or "
        "predictions, pooled over targets (scikit-learn's macro average)",
        "f_avg": "SemEval-2016 Task 6 F_avg: mean F1 of favor and against over those of the two present in gold "
        "or predictions, on the matrix pooled over targets (eval.pl counts an absent one as 0)",
        "accuracy": "share of (unit, target) rows with the gold label",
        "holder_accuracy": "share of gold rows with a holder whose predicted holder equals it",
        "positive_f1": "F1 of the check-worthy class; a sentence is check-worthy iff a gold claim span overlaps it",
        "map": "mean over articles with >= 1 check-worthy sentence of average precision; sentences ranked by "
        "score descending, ties broken by sentence_id ascending",
        "r_precision": "precision among the first R ranked sentences of an article, R = its check-worthy sentences, "
        "averaged like MAP (CheckThat! R-P)",
        "exact_f1": "span F1, a predicted span counts only with identical start and end",
        "overlap_f1": "SemEval-2020 Task 11 character-overlap F1 over merged spans",
        "token_f1": "F1 over word tokens (\\w+ or one punctuation mark) labelled 'inside a claim span'",
        "speaker_accuracy": "share of gold spans with a speaker whose best-overlapping predicted span names the "
        "same speaker (casefolded); gold spans with no overlapping prediction not counted",
        "zero_division": "nothing to measure gives null with the reason, never 0: precision with no predictions, "
        "recall with no gold, F1 with neither; F1 = 0 when only one side has items; macro averages skip "
        "classes absent from gold and predictions. A perfect submission scores 1 on every defined figure",
    }


def figures(stats: TaskStats, names, resamples: int, seed: int, mask=None) -> dict[str, dict[str, Any]]:
    """Point value, article-cluster percentile CI and, under MIN_CLUSTERS clusters, the optimistic unit-level CI."""
    present = np.unique(stats.cluster if mask is None else stats.cluster[mask])
    matrix = stats.matrix(mask=mask)[present]
    fns = {n: stats.metrics[n] for n in names}
    reps = B.replicates(matrix, fns, resamples, seed)
    unit_reps = {}
    if len(present) < B.MIN_CLUSTERS and stats.unit_name:
        units = np.unique(stats.unit if mask is None else stats.unit[mask])
        unit_fns = {n: f for n, f in fns.items() if n in stats.unit_metrics}
        unit_reps = B.replicates(stats.matrix(by_unit=True, mask=mask)[units], unit_fns, resamples, seed)
    out = {}
    total = matrix.sum(0)
    for n, fn in fns.items():
        v = float(fn(total)) if len(present) else float("nan")
        defined = bool(np.isfinite(v))
        ci = B.percentile_ci(reps[n]) if defined else None
        opt = B.percentile_ci(unit_reps[n]) if defined and n in unit_reps else None
        out[n] = {
            "value": v if defined else None,
            "ci_low": ci[0] if ci else None,
            "ci_high": ci[1] if ci else None,
            "clusters": int(len(present)),
            "optimistic_ci": list(opt) if opt else None,
            "optimistic_level": stats.unit_name if opt else None,
            "resamples_undefined": int(np.count_nonzero(~np.isfinite(reps[n]))) if defined else None,
        }
        if not defined:
            out[n]["undefined"] = stats.undefined.get(n, "nothing to measure") if len(present) else "no units"
    return out


def _article_groups(gold: Gold, article_ids, fold_of: dict[str, int] | None) -> dict[str, list[str]]:
    def year(a):
        p = gold.articles[a].get("published")
        return str(p)[:4] if p else "unknown"

    def mt(a):
        m = gold.articles[a].get("machine_translated")
        return "unknown" if m is None else ("machine-translated" if m else "original")

    getters = {"outlet": lambda a: gold.articles[a].get("outlet") or "unknown", "year": year, "translation": mt}
    if fold_of:
        width = len(str(max(fold_of.values())))
        getters["fold"] = lambda a: f"fold {fold_of[a]:0{width}d}"
    return {by: [get(a) for a in article_ids] for by, get in getters.items()}


def breakdowns(
    gold: Gold, stats: TaskStats, resamples: int, seed: int, min_support: int, fold_of: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    rows = []
    names = BREAKDOWN_METRICS[stats.task]
    groups: list[tuple[str, str, np.ndarray]] = []
    if stats.task.endswith("_stance"):
        for t, name in enumerate(labels("target")):
            groups.append(("target", name, stats.target == t))
    for by, values in _article_groups(gold, stats.articles, fold_of).items():
        values = np.asarray(values, dtype=object)
        for g in sorted(set(values)):
            groups.append((by, g, (values == g)[stats.cluster]))
    for by, g, mask in groups:
        if not mask.any():
            continue
        units = len(np.unique(stats.unit[mask])) if stats.unit_name else len(np.unique(stats.cluster[mask]))
        clusters = len(np.unique(stats.cluster[mask]))
        rows.append(
            {
                "by": by,
                "group": g,
                "support_units": units,
                "support_articles": clusters,
                "low_support": units < min_support or clusters < B.MIN_CLUSTERS,
                "metrics": figures(stats, names, resamples, seed, mask),
            }
        )
    return rows


def score(
    gold: Gold | str | Path,
    submission: Submission | str | Path,
    split: str | None = None,
    *,
    protocol: str = "temporal",
    resamples: int = B.DEFAULT_RESAMPLES,
    seed: int = B.DEFAULT_SEED,
    min_support: int = MIN_SUPPORT,
    with_breakdowns: bool = True,
) -> ScoreResult:
    """Score one submission against the gold: under ``temporal`` one split (default test; 'all' only for
    systems trained on no split), under ``cv`` every gold article (``protocol.py``)."""
    proto = resolve(protocol, split)
    gold = gold if isinstance(gold, Gold) else load_gold(gold)
    sub = submission if isinstance(submission, Submission) else read_submission(submission)
    preds: Predictions = check(sub, shape_from_gold(gold), proto.split, proto.name)
    full_gold, scope = gold, preds.meta.get("articles")
    folds = gold_folds(full_gold) if proto.name == "cv" else None
    if scope:
        gold = restrict(gold, scope)
    tasks, stats = {}, {}
    for task in preds.tasks:
        st = task_stats(gold, preds, task)
        stats[task] = st
        entry: dict[str, Any] = {
            "headline": st.headline,
            "clusters": len(st.articles),
            "units": st.n_units,
            "unit_level": st.unit_name,
            "metrics": figures(st, st.metrics, resamples, seed),
        }
        if task.endswith("_stance"):
            cm = st.matrix().sum(0)[: len(labels("stance")) ** 2].reshape(len(labels("stance")), -1)
            entry["confusion_matrix"] = {
                "labels": list(labels("stance")),
                "rows": "gold",
                "columns": "predicted",
                "matrix": cm.astype(int).tolist(),
            }
        if with_breakdowns:
            entry["breakdowns"] = breakdowns(gold, st, resamples, seed, min_support, folds.fold_of() if folds else None)
        tasks[task] = entry
    meta = {k: v for k, v in preds.meta.items()}
    doc = {
        "system": preds.system,
        "kind": meta.get("kind", "system"),
        "meta": meta,
        "protocol": proto.name,
        "split": proto.split,
        "folds": {"scheme": folds.scheme, "k": len(folds), "seed": folds.seed, "file": FOLDS_FILE} if folds else None,
        "submission": submission_files(sub),
        "dataset_version": gold.dataset_version,
        "split_hashes": split_hashes(full_gold),
        "scope_articles": sorted(scope) if scope else None,
        "scorer_version": SCORER_VERSION,
        "package_version": __version__,
        "set_aside_rows": preds.set_aside,
        "bootstrap": {
            "resamples": resamples,
            "seed": seed,
            "cluster": "article",
            "level": 0.95,
            "ci": "percentile",
            "min_clusters": B.MIN_CLUSTERS,
            "min_support": min_support,
        },
        "definitions": definitions(),
        "tasks": tasks,
    }
    return ScoreResult(doc, stats)
