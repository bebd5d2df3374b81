"""Shared helpers of the baselines: what to predict, training rows, writing a submission."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from natostance._version import __version__
from natostance.evaluation.gold import Gold, checkworthy_sentences
from natostance.evaluation.shape import shape_from_gold
from natostance.evaluation.submission import meta_path_for


def units(gold: Gold, split: str) -> dict[str, Any]:
    """Everything to predict in a split: stance (task, unit_id, target) keys, sentences, articles."""
    shape = shape_from_gold(gold)
    return {
        "stance": sorted(shape.expected("sentence_stance", split)),
        "article_stance": sorted(shape.expected("article_stance", split)),
        "sentences": sorted(k[0] for k in shape.expected("claim_detection", split)),
        "articles": sorted(a for a, v in shape.articles.items() if split == "all" or v["split"] == split),
    }


def text_of(gold: Gold, unit_id: str) -> str:
    if unit_id in gold.sentences:
        s = gold.sentences[unit_id]
        return s.get("text") or gold.articles[s["article_id"]]["text"][s["start"] : s["end"]]
    return gold.articles[unit_id]["text"]


def train_stance(gold: Gold, unit_type: str) -> list[dict[str, Any]]:
    return [r for r in gold.stance if r["split"] == "train" and r["unit_type"] == unit_type]


def train_sentences(gold: Gold) -> tuple[list[str], list[bool]]:
    cw = checkworthy_sentences(gold)
    ids = [s for a in gold.gold_articles("train") for s in gold.sentences_of.get(a, ())]
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
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    meta_path_for(out).write_text(json.dumps(meta_doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out
