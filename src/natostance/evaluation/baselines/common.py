"""Shared helpers of the baselines: folds (which gold articles a model may learn from, which it predicts),
what to predict, training rows, writing a submission."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natostance._version import __version__
from natostance.evaluation.gold import Gold, checkworthy_sentences
from natostance.evaluation.shape import shape_from_gold
from natostance.evaluation.submission import meta_path_for
from natostance.files import atomic_write
from natostance.labels import labels


@dataclass(frozen=True)
class Fold:
    """One model's view: the gold articles whose labels it may learn from, and the articles it predicts."""

    train: frozenset[str]
    predict: frozenset[str]


def temporal_fold(gold: Gold, split: str) -> Fold:
    """Learn from the train split, predict ``split`` (every gold article for 'all')."""
    return Fold(frozenset(gold.gold_articles("train")), frozenset(gold.gold_articles(split)))


def cv_folds(gold: Gold) -> list[Fold]:
    """One fold per held-out group of ``folds.json`` (evaluation/folds.py): learn from every other gold article."""
    from natostance.evaluation.folds import gold_folds

    every = frozenset(gold.gold_articles())
    return [Fold(every - set(held), frozenset(held)) for held in gold_folds(gold).folds]


def split_order(split: str) -> int:
    return labels("split").index(split)


def trained_on(gold: Gold, fold: Fold) -> list[str]:
    """The splits whose labels a model learning from ``fold.train`` saw, in label-file order."""
    return sorted({gold.articles[a]["split"] for a in fold.train}, key=split_order)


def units(gold: Gold, fold: Fold) -> dict[str, Any]:
    """Everything to predict in a fold's articles: stance (unit_id, target) keys, sentences, articles."""
    shape = shape_from_gold(gold)
    sent = shape.sentence_article()
    return {
        "stance": sorted(k for k in shape.expected("sentence_stance", "all") if sent[k[0]] in fold.predict),
        "article_stance": sorted(k for k in shape.expected("article_stance", "all") if k[0] in fold.predict),
        "sentences": sorted(k[0] for k in shape.expected("claim_detection", "all") if sent[k[0]] in fold.predict),
        "articles": sorted(a for a in shape.articles if a in fold.predict),
    }


def text_of(gold: Gold, unit_id: str) -> str:
    if unit_id in gold.sentences:
        s = gold.sentences[unit_id]
        return s.get("text") or gold.articles[s["article_id"]]["text"][s["start"] : s["end"]]
    return gold.articles[unit_id]["text"]


def train_stance(gold: Gold, unit_type: str, fold: Fold) -> list[dict[str, Any]]:
    return [r for r in gold.stance if r["article_id"] in fold.train and r["unit_type"] == unit_type]


def train_sentences(gold: Gold, fold: Fold) -> tuple[list[str], list[bool]]:
    cw = checkworthy_sentences(gold)
    ids = [s for a in gold.gold_articles() if a in fold.train for s in gold.sentences_of.get(a, ())]
    return ids, [s in cw for s in ids]


def most_common(values, order) -> Any:
    """Most frequent value; ties broken by the label file's order (deterministic)."""
    counts = Counter(values)
    return max(order, key=lambda v: (counts[v], -list(order).index(v))) if counts else order[0]


def meta(
    gold: Gold, system: str, description: str, trained_on: list[str], parameters: dict | None = None
) -> dict[str, Any]:
    return {
        "system": system,
        "authors": ["NATO-Stance maintainers"],
        "url": None,
        "kind": "baseline",
        "description": description,
        "parameters": dict(parameters or {}, natostance=__version__),
        "training_cutoff": None,
        "dataset_version": gold.dataset_version,
        "trained_on": trained_on,
        "tuned_on": [],
    }


def write_submission(rows: list[dict[str, Any]], meta_doc: dict[str, Any], out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, (json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    atomic_write(meta_path_for(out), [json.dumps(meta_doc, indent=1, ensure_ascii=False) + "\n"])
    return out
