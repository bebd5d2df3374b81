"""The result of scoring one submission: a JSON-able document plus, in memory, the statistics that a paired
comparison needs. Tables convert to pandas for notebooks::

    r = natostance.score("dataset", "runs/tfidf.jsonl")
    r.to_pandas("metrics")     # task, metric, value (None = undefined, with the reason), CI, clusters
    r.to_pandas("per_class")   # stance tasks: class, precision, recall, f1 (+ CIs)
    r.to_pandas("per_target")  # stance tasks: target, macro_f1, f_avg, support, low_support
    r.to_pandas("per_outlet")  # also per_year, per_translation (original vs machine-translated)
    r.to_pandas("per_fold")    # protocol cv: one row per fold (one article under leave-one-article-out)
    r.to_pandas("breakdown")   # every breakdown (target, outlet, year, translation, fold)
    r.to_pandas("confusion")   # stance tasks: gold x predicted counts
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from natostance.errors import InputError
from natostance.files import atomic_write
from natostance.guard import read_json_file

BY = {
    "per_target": "target",
    "per_outlet": "outlet",
    "per_year": "year",
    "per_translation": "translation",
    "per_fold": "fold",
}
TABLES = ("metrics", "per_class", *BY, "breakdown", "confusion")
MAX_RESULT_BYTES = 256 << 20


class ScoreResult:
    def __init__(self, doc: dict[str, Any], stats: dict[str, Any] | None = None):
        self.doc = doc
        self.stats = stats or {}

    # -- plain data --
    @property
    def system(self) -> str:
        return self.doc["system"]

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(self.doc))

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.doc, indent=indent, ensure_ascii=False, allow_nan=False)

    def save(self, path: str | Path) -> Path:
        """Write the result as JSON; the submission and metadata paths it names become relative to ``path``'s
        folder, so the leaderboard finds (and checks) them wherever the folder is moved."""
        from natostance.evaluation.verify import relative_to

        path = Path(path)
        doc = dict(self.doc)
        if isinstance(doc.get("submission"), dict):
            doc["submission"] = relative_to(doc["submission"], path.parent)
        atomic_write(path, [ScoreResult(doc).to_json() + "\n"])
        return path

    @classmethod
    def load(cls, path: str | Path) -> ScoreResult:
        """A stored result: a JSON object, read bounded (``guard.read_json_file``: UTF-8, size, nesting and
        numbers checked). What it claims is verified against a re-score by ``verify.py``."""
        doc = read_json_file(path, "a score result (JSON)", MAX_RESULT_BYTES)
        if not isinstance(doc, dict):
            raise InputError(str(path), f"expected a score result (a JSON object), found {type(doc).__name__}")
        return cls(doc)

    def headline(self, task: str) -> dict[str, Any] | None:
        t = self.doc["tasks"].get(task)
        return t["metrics"][t["headline"]] if t else None

    # -- tables --
    def rows(self, table: str) -> list[dict[str, Any]]:
        if table not in TABLES:
            raise KeyError(f"no table {table!r}; known: {', '.join(TABLES)}")
        out = []
        for task, t in self.doc["tasks"].items():
            if table == "metrics":
                out += [dict(task=task, metric=m, **_flat(f)) for m, f in t["metrics"].items()]
            elif table == "per_class" and "confusion_matrix" in t:
                for c in t["confusion_matrix"]["labels"]:
                    row = {"task": task, "class": c}
                    for part in ("precision", "recall", "f1"):
                        f = t["metrics"][f"{part}_{c}"]
                        row |= {part: f["value"], f"{part}_ci_low": f["ci_low"], f"{part}_ci_high": f["ci_high"],
                                f"{part}_undefined": f.get("undefined")}
                    out.append(row)
            elif table in BY or table == "breakdown":
                for b in t.get("breakdowns", []):
                    if table in BY and b["by"] != BY[table]:
                        continue
                    row = {
                        "task": task,
                        "by": b["by"],
                        "group": b["group"],
                        "support_units": b["support_units"],
                        "support_articles": b["support_articles"],
                        "low_support": b["low_support"],
                    }
                    for m, f in b["metrics"].items():
                        row |= {m: f["value"], f"{m}_ci_low": f["ci_low"], f"{m}_ci_high": f["ci_high"]}
                    out.append(row)
            elif table == "confusion" and "confusion_matrix" in t:
                cm = t["confusion_matrix"]
                for g, counts in zip(cm["labels"], cm["matrix"], strict=True):
                    out.append({"task": task, "gold": g, **dict(zip(cm["labels"], counts, strict=True))})
        return out

    def to_pandas(self, table: str = "metrics"):
        import pandas as pd

        return pd.DataFrame(self.rows(table))

    def model_index(self) -> dict[str, Any]:
        from natostance.evaluation.model_index import model_index

        return model_index(self)


def _flat(f: dict[str, Any]) -> dict[str, Any]:
    opt = f.get("optimistic_ci") or [None, None]
    return {
        "value": f["value"],
        "ci_low": f["ci_low"],
        "ci_high": f["ci_high"],
        "clusters": f["clusters"],
        "optimistic_ci_low": opt[0],
        "optimistic_ci_high": opt[1],
        "optimistic_level": f.get("optimistic_level"),
        "undefined": f.get("undefined"),
    }
