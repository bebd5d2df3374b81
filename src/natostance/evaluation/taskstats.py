"""Turn gold + checked predictions of one task into additive statistics per article.

Each task yields ``TaskStats``: (article, column, value) triplets and the metric functions over summed
statistics. ``bootstrap.py`` resamples articles; the same triplets, grouped per unit instead, give the
optimistic unit-level CI. Metric names say their averaging (``macro_f1``, ``f_avg``, ``positive_f1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from natostance.evaluation import metrics as M
from natostance.evaluation.check import Predictions
from natostance.evaluation.gold import Gold, checkworthy_sentences
from natostance.labels import labels

TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class TaskStats:
    task: str
    columns: tuple[str, ...]
    cluster: np.ndarray  # per triplet: index into ``articles``
    unit: np.ndarray  # per triplet: unit index (optimistic level), meaningful for ``unit_metrics`` only
    col: np.ndarray
    val: np.ndarray
    target: np.ndarray  # per triplet: index into labels("target"), -1 when not per target
    articles: tuple[str, ...]
    n_units: int
    unit_name: str | None
    metrics: dict[str, Any]
    unit_metrics: tuple[str, ...]
    headline: str
    undefined: dict[str, str]  # metric -> why it has no value when its statistics give NaN

    def matrix(self, by_unit: bool = False, mask: np.ndarray | None = None) -> np.ndarray:
        from natostance.evaluation.bootstrap import cluster_matrix

        keys = self.unit if by_unit else self.cluster
        n = self.n_units if by_unit else len(self.articles)
        m = slice(None) if mask is None else mask
        return cluster_matrix(keys[m], self.col[m], self.val[m], n, len(self.columns))


_ratio = M.ratio


def _span_f1(p_num, r_num, n_pred, n_gold):
    """(F1, P, R) with P = p_num/|S|, R = r_num/|T|: P undefined with no predicted span, R with no gold span,
    F1 undefined with neither (metrics.py, zero-division policy)."""
    p, r = M.ratio(p_num, n_pred), M.ratio(r_num, n_gold)
    return M.f1_from_pr(p, r), p, r


class _Triplets:
    def __init__(self, columns):
        self.columns = tuple(columns)
        self.c, self.u, self.k, self.v, self.t = [], [], [], [], []

    def add(self, cluster, unit, column, value=1.0, target=-1):
        (
            self.c.append(cluster),
            self.u.append(unit),
            self.k.append(self.columns.index(column) if isinstance(column, str) else column),
        )
        self.v.append(value), self.t.append(target)

    def build(self, task, articles, n_units, unit_name, metrics, unit_metrics, headline, undefined):
        arr = lambda x, dt: np.asarray(x, dt)  # noqa: E731
        return TaskStats(
            task,
            self.columns,
            arr(self.c, np.int64),
            arr(self.u, np.int64),
            arr(self.k, np.int64),
            arr(self.v, float),
            arr(self.t, np.int64),
            tuple(articles),
            n_units,
            unit_name,
            metrics,
            unit_metrics,
            headline,
            undefined,
        )


def stance_stats(gold: Gold, preds: Predictions, task: str) -> TaskStats:
    classes, targets = labels("stance"), labels("target")
    k = len(classes)
    unit_type = task.split("_")[0]
    rows = sorted(
        (r for r in gold.stance if r["unit_type"] == unit_type and (preds.split == "all" or r["split"] == preds.split)),
        key=lambda r: (r["unit_id"], r["target"]),
    )
    arts = sorted({r["article_id"] for r in rows})
    a_idx = {a: i for i, a in enumerate(arts)}
    with_holder = task == "sentence_stance" and any(p.get("holder") for p in preds.by_task.get(task, {}).values())
    cols = [f"cm_{g}_{p}" for g in classes for p in classes] + ["holder_correct", "holder_total"]
    tr = _Triplets(cols)
    units: dict[str, int] = {}
    for i, r in enumerate(rows):
        pred = preds.by_task[task][(r["unit_id"], r["target"])]
        unit = units.setdefault(r["unit_id"], len(units)) if unit_type == "sentence" else i
        t = targets.index(r["target"])
        tr.add(a_idx[r["article_id"]], unit, classes.index(r["label"]) * k + classes.index(pred["label"]), 1.0, t)
        if with_holder and r.get("holder") is not None:
            tr.add(a_idx[r["article_id"]], unit, "holder_total", 1.0, t)
            tr.add(a_idx[r["article_id"]], unit, "holder_correct", float(pred.get("holder") == r["holder"]), t)
    cm = lambda s: np.asarray(s)[..., : k * k].reshape(*np.shape(s)[:-1], k, k)  # noqa: E731
    fav, ag = classes.index("favor"), classes.index("against")
    mets: dict[str, Any] = {
        "macro_f1": lambda s: M.macro_f1(cm(s)),
        "f_avg": lambda s: M.f_avg(cm(s), fav, ag),
        "accuracy": lambda s: M.accuracy(cm(s)),
    }
    why = {
        "macro_f1": "no units to score",
        "f_avg": "neither favor nor against occurs in gold or predictions",
        "accuracy": "no units to score",
        "holder_accuracy": "no gold unit with a holder",
    }
    for j, c in enumerate(classes):
        for n, part in (("precision", 0), ("recall", 1), ("f1", 2)):
            mets[f"{n}_{c}"] = lambda s, j=j, part=part: M.per_class_prf(cm(s))[part][..., j]
        why |= {
            f"precision_{c}": f"no unit predicted {c}",
            f"recall_{c}": f"no gold unit is {c}",
            f"f1_{c}": f"{c} occurs in neither gold nor predictions",
        }
    if with_holder:
        mets["holder_accuracy"] = lambda s: _ratio(np.asarray(s)[..., -2], np.asarray(s)[..., -1])
    return tr.build(
        task,
        arts,
        len(units) if unit_type == "sentence" else len(rows),
        "sentence" if unit_type == "sentence" else "article x target row",
        mets,
        tuple(mets),
        "macro_f1",
        why,
    )


def detection_stats(gold: Gold, preds: Predictions) -> TaskStats:
    cw = checkworthy_sentences(gold)
    arts = gold.gold_articles(preds.split)
    cols = ["tp", "fp", "fn", "tn", "ap_sum", "ap_n", "articles", "rp_sum"]
    tr = _Triplets(cols)
    n_units = 0
    for ai, a in enumerate(arts):
        sids = gold.sentences_of.get(a, ())
        for sid in sids:
            g, p = sid in cw, bool(preds.by_task["claim_detection"][(sid,)]["checkworthy"])
            tr.add(ai, n_units, ("tn", "fp", "fn", "tp")[2 * g + p])
            n_units += 1
        scores = [preds.by_task["claim_detection"][(s,)]["score"] for s in sids]
        ranked = [sids[i] in cw for i in M.rank_order(scores, sids)]
        ap = M.average_precision(ranked)
        last = max(n_units - 1, 0)  # article-level columns ride on its last sentence (unused at unit level)
        tr.add(ai, last, "articles")
        if ap is not None:
            tr.add(ai, last, "ap_sum", ap), tr.add(ai, last, "ap_n")
            tr.add(ai, last, "rp_sum", M.r_precision(ranked))
    s_ = lambda s, c: np.asarray(s)[..., cols.index(c)]  # noqa: E731
    mets: dict[str, Any] = {
        "positive_f1": lambda s: M.binary_f1(s_(s, "tp"), s_(s, "fp"), s_(s, "fn")),
        "positive_precision": lambda s: M.ratio(s_(s, "tp"), s_(s, "tp") + s_(s, "fp")),
        "positive_recall": lambda s: M.ratio(s_(s, "tp"), s_(s, "tp") + s_(s, "fn")),
        "map": lambda s: _ratio(s_(s, "ap_sum"), s_(s, "ap_n")),
        "r_precision": lambda s: _ratio(s_(s, "rp_sum"), s_(s, "ap_n")),
    }
    no_cw = "no article has a check-worthy sentence in the gold"
    why = {
        "positive_f1": "no sentence is check-worthy in gold or predictions",
        "positive_precision": "no sentence predicted check-worthy",
        "positive_recall": "no check-worthy sentence in the gold",
        "map": no_cw,
        "r_precision": no_cw,
    }
    return tr.build(
        "claim_detection",
        arts,
        n_units,
        "sentence",
        mets,
        ("positive_f1", "positive_precision", "positive_recall"),
        "positive_f1",
        why,
    )


def span_stats(gold: Gold, preds: Predictions) -> TaskStats:
    arts = gold.gold_articles(preds.split)
    cols = [
        "exact_tp",
        "n_pred",
        "n_gold",
        "overlap_p",
        "overlap_r",
        "n_pred_merged",
        "n_gold_merged",
        "token_tp",
        "token_fp",
        "token_fn",
        "speaker_correct",
        "speaker_matched",
    ]
    tr = _Triplets(cols)
    by_art: dict[str, list] = {}
    for c in gold.claims:
        by_art.setdefault(c["article_id"], []).append((c["start"], c["end"], c["speaker"]))
    for ai, a in enumerate(arts):
        g, p = by_art.get(a, []), list(preds.spans.get(a, ()))
        gm, pm = M.merge_spans(g), M.merge_spans(p)
        tokens = [m.span() for m in TOKEN.finditer(gold.articles[a]["text"])]
        values = (
            M.exact_matches(g, p),
            len(p),
            len(g),
            *M.overlap_sums(gm, pm),
            len(pm),
            len(gm),
            *M.token_counts(tokens, g, p),
            *M.speaker_matches(g, p),
        )
        for c, v in zip(cols, values, strict=True):
            tr.add(ai, ai, c, float(v))
    s_ = lambda s, c: np.asarray(s)[..., cols.index(c)]  # noqa: E731
    mets: dict[str, Any] = {
        "exact_f1": lambda s: _span_f1(s_(s, "exact_tp"), s_(s, "exact_tp"), s_(s, "n_pred"), s_(s, "n_gold"))[0],
        "exact_precision": lambda s: _span_f1(s_(s, "exact_tp"), s_(s, "exact_tp"), s_(s, "n_pred"), s_(s, "n_gold"))[
            1
        ],
        "exact_recall": lambda s: _span_f1(s_(s, "exact_tp"), s_(s, "exact_tp"), s_(s, "n_pred"), s_(s, "n_gold"))[2],
        "overlap_f1": lambda s: _span_f1(
            s_(s, "overlap_p"), s_(s, "overlap_r"), s_(s, "n_pred_merged"), s_(s, "n_gold_merged")
        )[0],
        "token_f1": lambda s: M.binary_f1(s_(s, "token_tp"), s_(s, "token_fp"), s_(s, "token_fn")),
        "speaker_accuracy": lambda s: _ratio(s_(s, "speaker_correct"), s_(s, "speaker_matched")),
    }
    neither = "no claim span in gold or predictions"
    why = {
        "exact_f1": neither,
        "exact_precision": "no predicted claim span",
        "exact_recall": "no gold claim span",
        "overlap_f1": neither,
        "token_f1": "no token inside a claim span in gold or predictions",
        "speaker_accuracy": "no gold span with a speaker is overlapped by a predicted span",
    }
    return tr.build("claim_spans", arts, len(arts), None, mets, (), "exact_f1", why)


def task_stats(gold: Gold, preds: Predictions, task: str) -> TaskStats:
    if task in ("sentence_stance", "article_stance"):
        return stance_stats(gold, preds, task)
    return detection_stats(gold, preds) if task == "claim_detection" else span_stats(gold, preds)
