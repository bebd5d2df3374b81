"""Cross-validation folds by article: the ``cv`` protocol's assignment, published as ``folds.json``.

Only articles with gold labels (a ``stance`` row, the rule of ``gold.py``) are assigned. Up to
``MAX_FOLDS`` such articles: **leave one article out** (one fold per article, in article-id order). More:
**grouped k-fold** with k = ``MAX_FOLDS``, every article in exactly one fold, balanced by gold stance rows
the way scikit-learn's ``GroupKFold`` balances groups (largest article first into the fold with the fewest
rows so far; lowest fold number on a tie), with ties between equally large articles broken by
SHA-256(``seed:article_id``) instead of by input order, so the assignment depends on the gold alone.

The builder writes the file (``write_folds``); ``natostance validate`` recomputes it from the ``stance``
config and fails when they differ; the scorer and the baselines use ``gold_folds`` (the same function), so
the published file, a ``--protocol cv`` run and its score always agree.

``folds.json``::

    {"format": "natostance-folds/1", "dataset_version": "0.1.0",
     "rule": {"scheme": "leave-one-article-out", "k": 5, "seed": 20160611, "unit": "article",
              "balanced_by": "gold stance rows", "articles": "articles with gold labels"},
     "folds": [{"fold": 1, "articles": ["03584204302898e4"], "stance_rows": 200}, ...]}
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natostance.errors import InputError
from natostance.evaluation.shape import read_format_file

FOLDS_FILE = "folds.json"
FORMAT = "natostance-folds/1"
MAX_FOLDS = 10
SEED = 20160611
LOAO, GROUPED = "leave-one-article-out", "grouped-k-fold"


@dataclass(frozen=True)
class Folds:
    scheme: str
    seed: int
    folds: tuple[tuple[str, ...], ...]  # article ids of fold 1, 2, ... (sorted within a fold)

    def __len__(self) -> int:
        return len(self.folds)

    def fold_of(self) -> dict[str, int]:
        """article id -> fold number (1-based)."""
        return {a: i for i, members in enumerate(self.folds, 1) for a in members}

    def describe(self) -> str:
        n = sum(map(len, self.folds))
        if self.scheme == LOAO:
            return f"leave-one-article-out, {len(self)} folds"
        return f"grouped {len(self)}-fold over {n} articles (seed {self.seed})"


def assign(rows_per_article: dict[str, int], max_folds: int = MAX_FOLDS, seed: int = SEED) -> Folds:
    """The fold assignment of the module docstring for articles weighted by their gold stance rows."""
    articles = sorted(rows_per_article)
    if len(articles) <= max_folds:
        return Folds(LOAO, seed, tuple((a,) for a in articles))

    def tie(a: str) -> str:
        return hashlib.sha256(f"{seed}:{a}".encode()).hexdigest()

    load, members = [0] * max_folds, [[] for _ in range(max_folds)]
    for a in sorted(articles, key=lambda a: (-rows_per_article[a], tie(a), a)):
        i = min(range(max_folds), key=lambda j: (load[j], j))
        members[i].append(a)
        load[i] += rows_per_article[a]
    return Folds(GROUPED, seed, tuple(tuple(sorted(m)) for m in members))


def folds_from_stance(stance_rows) -> tuple[Folds, Counter]:
    counts = Counter(r["article_id"] for r in stance_rows)
    return assign(counts), counts


def gold_folds(gold) -> Folds:
    """The folds of a ``Gold`` (the same assignment the builder publishes)."""
    return folds_from_stance(gold.stance)[0]


def to_json(folds: Folds, counts: dict[str, int], dataset_version: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "dataset_version": dataset_version,
        "rule": {
            "scheme": folds.scheme,
            "k": len(folds),
            "max_folds": MAX_FOLDS,
            "seed": folds.seed,
            "unit": "article",
            "balanced_by": "gold stance rows",
            "articles": "articles with gold labels (a stance row)",
        },
        "folds": [
            {"fold": i, "articles": list(m), "stance_rows": sum(counts[a] for a in m)}
            for i, m in enumerate(folds.folds, 1)
        ],
    }


def write_folds(root: str | Path, dataset_version: str) -> Path:
    """``root/folds.json`` from the ``stance`` config of a built dataset folder."""
    from natostance.parquet_io import read_config

    folds, counts = folds_from_stance(read_config(root, "stance"))
    path = Path(root) / FOLDS_FILE
    path.write_text(json.dumps(to_json(folds, counts, dataset_version), indent=2) + "\n", encoding="utf-8")
    return path


def read_folds(path: str | Path) -> Folds:
    doc = read_format_file(path, FORMAT, "a folds file")
    return Folds(doc["rule"]["scheme"], doc["rule"]["seed"], tuple(tuple(f["articles"]) for f in doc["folds"]))


def folds_problems(root: str | Path) -> list[str]:
    """Why ``root/folds.json`` is not the assignment of the dataset's own ``stance`` config (empty if it is)."""
    from natostance.parquet_io import read_config

    path = Path(root) / FOLDS_FILE
    if not path.is_file():
        return [f"{path}: expected the cross-validation folds of the gold articles, found nothing there"]
    try:
        published = read_folds(path)
    except InputError as exc:
        return [str(exc)]
    expected = folds_from_stance(read_config(root, "stance"))[0]
    if published == expected:
        return []
    return [
        f"{path}: expected {expected.describe()} (recomputed from the stance config), "
        f"found {published.describe()}{'' if len(published) != len(expected) else ' with other members'}"
    ]
