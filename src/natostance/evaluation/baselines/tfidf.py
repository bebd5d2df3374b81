"""TF-IDF + logistic regression (scikit-learn), trained on the fold's training articles only (temporal: the
train split; cv: every other fold).

Stance: one classifier per (task, target) over the unit's text; a target with a single train class predicts
that class. Holder: one classifier over sentence text. Claim detection: one classifier; its positive-class
probability is the ranking score. Spans: the whole extent of each predicted check-worthy sentence.
"""

from __future__ import annotations

from natostance.evaluation.baselines import common as C
from natostance.labels import labels

PARAMS = {"ngram_range": (1, 2), "min_df": 1, "sublinear_tf": True, "C": 1.0, "max_iter": 1000, "seed": 0}


def _fit(texts, ys, fallback):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    if len(set(ys)) < 2:
        constant = ys[0] if ys else fallback
        return lambda xs: [constant] * len(xs), None
    model = make_pipeline(
        TfidfVectorizer(
            ngram_range=PARAMS["ngram_range"], min_df=PARAMS["min_df"], sublinear_tf=PARAMS["sublinear_tf"]
        ),
        LogisticRegression(C=PARAMS["C"], max_iter=PARAMS["max_iter"], random_state=PARAMS["seed"]),
    )
    model.fit(texts, ys)
    return (lambda xs: list(model.predict(xs))), model


TRAINS = True


def predict(gold, fold: C.Fold):
    u = C.units(gold, fold)
    stance = labels("stance")
    rows = []
    for task, unit_type, keys in (
        ("sentence_stance", "sentence", u["stance"]),
        ("article_stance", "article", u["article_stance"]),
    ):
        train = C.train_stance(gold, unit_type, fold)
        overall = C.most_common([r["label"] for r in train], stance)
        for target in labels("target"):
            mine = [k for k in keys if k[1] == target]
            if not mine:
                continue
            tr = [r for r in train if r["target"] == target]
            fn, _ = _fit([C.text_of(gold, r["unit_id"]) for r in tr], [r["label"] for r in tr], overall)
            for (unit_id, _t), label in zip(mine, fn([C.text_of(gold, k[0]) for k in mine]), strict=True):
                rows.append({"task": task, "unit_id": unit_id, "target": target, "label": str(label)})
    held = [r for r in C.train_stance(gold, "sentence", fold) if r["holder"]]
    holder_fn, _ = _fit([C.text_of(gold, r["unit_id"]) for r in held], [r["holder"] for r in held], labels("holder")[0])
    sentence_rows = [r for r in rows if r["task"] == "sentence_stance"]
    for r, h in zip(sentence_rows, holder_fn([C.text_of(gold, r["unit_id"]) for r in sentence_rows]), strict=True):
        r["holder"] = str(h)
    ids, ys = C.train_sentences(gold, fold)
    _, model = _fit([C.text_of(gold, s) for s in ids], ys, False)
    texts = [C.text_of(gold, s) for s in u["sentences"]]
    if model is None:
        probs = [float(bool(ys and ys[0]))] * len(texts)
    else:
        probs = list(model.predict_proba(texts)[:, list(model.classes_).index(True)])
    for sid, p in zip(u["sentences"], probs, strict=True):
        rows.append({"task": "claim_detection", "unit_id": sid, "checkworthy": bool(p >= 0.5), "score": float(p)})
        if p >= 0.5:
            s = gold.sentences[sid]
            rows.append(
                {
                    "task": "claim_spans",
                    "article_id": s["article_id"],
                    "start": s["start"],
                    "end": s["end"],
                    "speaker": None,
                }
            )
    return rows, C.meta(
        gold,
        "tf-idf + logistic regression",
        "TF-IDF (1-2 grams) + logistic regression per target, trained on the training articles of each fold.",
        C.trained_on(gold, fold),
        {k: list(v) if isinstance(v, tuple) else v for k, v in PARAMS.items()},
    )
