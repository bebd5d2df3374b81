"""Baselines that write valid submissions (``natostance baseline NAME [--protocol cv]``).

* ``majority``: most frequent training label per task and target.
* ``rules``: target-mention rules built from the label file's target descriptions; trains on nothing.
* ``tfidf``: TF-IDF + logistic regression (scikit-learn).
* ``embedding``: all-MiniLM-L6-v2 embeddings + logistic regression (the ``embed`` extra; offline weights).
* ``openai``: zero-shot prompts to any OpenAI-compatible chat endpoint (``openai_chat.py``).

Each module has ``predict(gold, fold)`` (``common.Fold``: the gold articles it may learn from, the articles
it predicts) and ``TRAINS``. Protocol ``temporal``: one model learns from the train split and predicts the
requested split. Protocol ``cv``: one model per fold of ``folds.json`` learns from the other folds and
predicts its held-out articles, so every gold article gets exactly one out-of-fold prediction (a baseline
that trains on nothing runs once over every article: its per-fold models would all be the same).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

BASELINES = {
    "majority": "natostance.evaluation.baselines.majority",
    "rules": "natostance.evaluation.baselines.rules",
    "tfidf": "natostance.evaluation.baselines.tfidf",
    "openai": "natostance.evaluation.baselines.openai_chat",
    "embedding": "natostance.evaluation.baselines.embedding",
}


def run_baseline(
    name: str, gold, out: str | Path, split: str | None = None, protocol: str = "temporal", **options
) -> Path:
    """Run one baseline on a gold directory (or ``Gold``) and write ``out`` (.jsonl) plus ``out``'s .meta.json.

    ``options`` go to the baseline (``openai``: ``base_url``, ``model``, ``api_key``)."""
    from natostance.errors import InputError
    from natostance.evaluation.baselines import common as C
    from natostance.evaluation.gold import Gold, load_gold
    from natostance.evaluation.protocol import resolve

    if name not in BASELINES:
        raise InputError(name, f"expected a baseline name ({', '.join(BASELINES)}), found {name!r}")
    proto = resolve(protocol, split)
    gold = gold if isinstance(gold, Gold) else load_gold(gold)
    module = import_module(BASELINES[name])
    if proto.name == "temporal":
        rows, meta = module.predict(gold, C.temporal_fold(gold, proto.split), **options)
        return C.write_submission(rows, meta, out)
    folds = C.cv_folds(gold) if module.TRAINS else [C.Fold(frozenset(), frozenset(gold.gold_articles()))]
    rows, metas = [], []
    for fold in folds:
        fold_rows, fold_meta = module.predict(gold, fold, **options)
        rows += fold_rows
        metas.append(fold_meta)
    seen = sorted({s for m in metas for s in m["trained_on"]}, key=C.split_order)
    meta = dict(metas[0], protocol="cv", trained_on=seen)
    meta["parameters"] = dict(meta.get("parameters") or {}, cv_models=len(folds))
    meta["description"] = f"{meta['description']} Protocol cv: out-of-fold predictions, {len(folds)} model(s)."
    return C.write_submission(rows, meta, out)
