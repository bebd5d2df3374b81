"""The published shape manifest: every unit id and target to predict, per split, with no labels.

A participant runs ``natostance check SUBMISSION --shape shape.json`` offline; the scorer derives the same
``Shape`` from the gold and runs the same checks, so "incomplete" is found before submitting.

Manifest (JSON)::

    {"format": "natostance-shape/1", "dataset_version": "0.1.0",
     "articles": [{"article_id": "a1", "split": "test", "length": 5120,
                   "sentences": ["a1-0000", "a1-0001", ...]}],
     "stance_units": [{"unit_id": "a1-0000", "unit_type": "sentence", "targets": ["nato", "russia"]},
                      {"unit_id": "a1", "unit_type": "article", "targets": ["nato"]}]}

``articles`` are the gold articles (see ``gold.py``); their sentences are the claim-detection units and
``length`` bounds claim-span offsets. ``stance_units`` are the (unit, target) pairs that have a gold label.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natostance.errors import InputError
from natostance.evaluation.gold import Gold
from natostance.guard import read_json_file, shown

FORMAT = "natostance-shape/1"
UNIT_TASK = {"sentence": "sentence_stance", "article": "article_stance"}


@dataclass(frozen=True)
class Shape:
    dataset_version: str
    articles: dict[str, dict[str, Any]]  # article_id -> {"split", "length", "sentences": tuple}
    stance_units: dict[tuple[str, str], tuple[str, ...]]  # (task, unit_id) -> targets

    def split_of(self, task: str, unit_id: str) -> str | None:
        """The split of a unit, or None when the dataset has no such unit for this task."""
        if task == "article_stance" or task == "claim_spans":
            art = self.articles.get(unit_id)
            return art["split"] if art else None
        art = self.sentence_article().get(unit_id)
        return self.articles[art]["split"] if art else None

    def sentence_article(self) -> dict[str, str]:
        cache = self.__dict__.get("_sent")
        if cache is None:
            cache = {s: a for a, v in self.articles.items() for s in v["sentences"]}
            object.__setattr__(self, "_sent", cache)
        return cache

    def expected(self, task: str, split: str) -> set[tuple]:
        """Every key a complete submission must hold for one task and split ('all' = every split)."""
        keep = lambda a: split == "all" or self.articles[a]["split"] == split  # noqa: E731
        if task == "claim_detection":
            return {(s,) for a, v in self.articles.items() if keep(a) for s in v["sentences"]}
        if task == "claim_spans":
            return set()
        sent = self.sentence_article()
        out = set()
        for (t, unit), targets in self.stance_units.items():
            if t == task and keep(unit if t == "article_stance" else sent[unit]):
                out.update((unit, tg) for tg in targets)
        return out


def restrict_shape(shape: Shape, article_ids) -> Shape:
    """The shape limited to some articles (see ``gold.restrict``)."""
    keep = set(article_ids)
    sent = shape.sentence_article()
    units = {
        k: v for k, v in shape.stance_units.items() if (k[1] if k[0] == "article_stance" else sent.get(k[1])) in keep
    }
    return Shape(shape.dataset_version, {a: v for a, v in shape.articles.items() if a in keep}, units)


def shape_from_gold(gold: Gold) -> Shape:
    articles = {
        a: {
            "split": gold.articles[a]["split"],
            "length": len(gold.articles[a]["text"]),
            "sentences": tuple(gold.sentences_of.get(a, ())),
        }
        for a in gold.gold_articles()
    }
    units: dict[tuple[str, str], list[str]] = {}
    for r in gold.stance:
        units.setdefault((UNIT_TASK[r["unit_type"]], r["unit_id"]), []).append(r["target"])
    return Shape(gold.dataset_version, articles, {k: tuple(sorted(v)) for k, v in sorted(units.items())})


def to_json(shape: Shape) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "dataset_version": shape.dataset_version,
        "articles": [
            {"article_id": a, "split": v["split"], "length": v["length"], "sentences": list(v["sentences"])}
            for a, v in sorted(shape.articles.items())
        ],
        "stance_units": [
            {"unit_id": u, "unit_type": t.split("_")[0], "targets": list(tg)}
            for (t, u), tg in sorted(shape.stance_units.items())
        ],
    }


def write_shape(shape: Shape, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(to_json(shape), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_format_file(path: str | Path, fmt: str, what: str) -> dict[str, Any]:
    """A JSON object tagged ``"format": fmt`` (shape manifest, folds file), or an ``InputError`` naming the file
    (read with ``guard.read_json_file``: UTF-8, nesting and numbers bounded)."""
    doc = read_json_file(path, f"{what} (JSON)", max_bytes=None)
    if not isinstance(doc, dict) or doc.get("format") != fmt:
        found = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(str(path), f"expected format {fmt!r}, found {shown(found)}")
    return doc


def read_shape(path: str | Path) -> Shape:
    """A shape manifest, checked against ``schemas/shape.schema.json`` (every problem named, the first
    ``guard.MAX_PER_KIND`` in full) and for units whose sentence or article it does not list."""
    from natostance.evaluation import schemas

    doc = read_format_file(path, FORMAT, "a shape manifest")
    problems = schemas.problems(schemas.SHAPE, doc)
    if not problems:
        listed = {a["article_id"] for a in doc["articles"]}
        sentences = {s for a in doc["articles"] for s in a["sentences"]}
        problems = [f"stance_units.{i}: unit_id: expected a{' sentence' if u['unit_type'] == 'sentence' else 'n article'} "
                    f"the manifest lists, found {shown(u['unit_id'])}"
                    for i, u in enumerate(doc["stance_units"])
                    if u["unit_id"] not in (sentences if u["unit_type"] == "sentence" else listed)]
    schemas.raise_problems(path, problems)
    articles = {
        a["article_id"]: {"split": a["split"], "length": a["length"], "sentences": tuple(a["sentences"])}
        for a in doc["articles"]
    }
    units = {(UNIT_TASK[u["unit_type"]], u["unit_id"]): tuple(u["targets"]) for u in doc["stance_units"]}
    return Shape(doc["dataset_version"], articles, units)
