"""Baselines that write valid submissions (``natostance baseline NAME``).

* ``majority``: most frequent train label per task and target.
* ``rules``: target-mention rules built from the label file's target descriptions; trains on nothing.
* ``tfidf``: TF-IDF + logistic regression (scikit-learn) trained on the train split.
* ``embedding``: all-MiniLM-L6-v2 embeddings + logistic regression (the ``embed`` extra; offline weights).
* ``openai``: zero-shot prompts to any OpenAI-compatible chat endpoint (``openai_chat.py``).

Each predicts every unit of the gold shape for the requested split (see ``evaluation/shape.py``).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

BASELINES = {
    "majority": "natostance.evaluation.baselines.majority:predict",
    "rules": "natostance.evaluation.baselines.rules:predict",
    "tfidf": "natostance.evaluation.baselines.tfidf:predict",
    "openai": "natostance.evaluation.baselines.openai_chat:predict",
    "embedding": "natostance.evaluation.baselines.embedding:predict",
}


def run_baseline(name: str, gold, out: str | Path, split: str = "test", **options) -> Path:
    """Run one baseline on a gold directory (or ``Gold``) and write ``out`` (.jsonl) plus ``out``'s .meta.json.

    ``options`` go to the baseline (``openai``: ``base_url``, ``model``, ``api_key``)."""
    from natostance.evaluation.baselines.common import write_submission
    from natostance.errors import InputError
    from natostance.evaluation.gold import Gold, load_gold

    if name not in BASELINES:
        raise InputError(name, f"expected a baseline name ({', '.join(BASELINES)}), found {name!r}")
    gold = gold if isinstance(gold, Gold) else load_gold(gold)
    module, attr = BASELINES[name].split(":")
    rows, meta = getattr(import_module(module), attr)(gold, split, **options)
    return write_submission(rows, meta, out)
