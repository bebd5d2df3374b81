"""Dataset rows -> Label Studio tasks (pure functions, no server).

Every task's ``data`` carries the stable unit id (``sentence_id`` or ``article_id``): that is how
``push`` knows what the server already has and how ``pull`` joins annotations back to the dataset.
Texts are sent exactly as they are in the dataset (no stripping, no newline or Unicode
normalisation), because Label Studio's span offsets are code-point indices into that exact string.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from natostance.annotate.labelstudio import config as C
from natostance.errors import InputError

UNIT_KEY = {"sentences": "sentence_id", "articles": "article_id"}
CONTEXT = 2  # sentences of read-only context on each side


def unit_key(kind: str) -> str:
    if kind not in UNIT_KEY:
        raise KeyError(f"no project kind {kind!r}; known: {', '.join(UNIT_KEY)}")
    return UNIT_KEY[kind]


def _join(rows: list[Mapping[str, Any]]) -> str:
    """Neighbouring sentences as one string: a blank line between paragraphs, a space within one."""
    out: list[str] = []
    for i, row in enumerate(rows):
        if i:
            out.append("\n\n" if row["paragraph"] != rows[i - 1]["paragraph"] else " ")
        out.append(row["text"])
    return "".join(out)


def sentence_tasks(sentences: Iterable[Mapping[str, Any]], context: int = CONTEXT) -> list[dict]:
    """One task per sentence row, with ``context`` sentences of the same article before and after."""
    by_article: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in sentences:
        by_article[row["article_id"]].append(row)
    tasks = []
    for article_id in sorted(by_article):
        rows = sorted(by_article[article_id], key=lambda r: r["index"])
        for i, row in enumerate(rows):
            tasks.append({"data": {
                "sentence_id": row["sentence_id"],
                "article_id": article_id,
                "split": row.get("split", ""),
                "start": row["start"],
                "end": row["end"],
                "sentence": row["text"],
                "context_before": _join(rows[max(0, i - context):i]),
                "context_after": _join(rows[i + 1:i + 1 + context]),
            }})
    return tasks


def article_tasks(articles: Iterable[Mapping[str, Any]]) -> list[dict]:
    """One task per article row: its full text (offsets of claim spans index into it)."""
    tasks = []
    for row in sorted(articles, key=lambda r: r["article_id"]):
        tasks.append({"data": {
            "article_id": row["article_id"],
            "split": row.get("split", ""),
            "title": row.get("title") or "",
            "outlet": row.get("outlet") or "",
            "published": str(row.get("published") or ""),
            "url": row.get("url") or "",
            "text": row["text"],
        }})
    return tasks


def prediction_results(kind: str, labels: Mapping[str, str]) -> list[dict]:
    """Label Studio results for one unit's predicted stance per target (``{target: stance}``)."""
    to_name = "sentence" if kind == "sentences" else "text"
    return [{"id": f"pred-{target}", "from_name": C.stance_name(target), "to_name": to_name,
             "type": "choices", "value": {"choices": [stance]}}
            for target, stance in sorted(labels.items())]


def attach_predictions(kind: str, tasks: list[dict], predictions: Mapping[str, Mapping[str, Any]],
                       where: str = "predictions") -> int:
    """Add a pre-annotation to every task whose unit has a prediction; return how many got one.

    ``predictions`` maps unit id -> ``{"labels": {target: stance}, "model_version": str, "score": float}``.
    A prediction for a unit that is not among the tasks is an error (wrong file or wrong kind).
    """
    key = unit_key(kind)
    known = {t["data"][key] for t in tasks}
    unknown = sorted(set(predictions) - known)
    if unknown:
        raise InputError(where, f"{len(unknown)} prediction(s) for {key}s that are not in the "
                                f"dataset, e.g. {unknown[0]!r}")
    for task in tasks:
        pred = predictions.get(task["data"][key])
        if pred:
            task["predictions"] = [{"model_version": pred["model_version"],
                                    "score": pred.get("score"),
                                    "result": prediction_results(kind, pred["labels"])}]
    return sum(1 for t in tasks if t.get("predictions"))
