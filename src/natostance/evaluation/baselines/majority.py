"""Majority baseline: the most frequent training label per task and target (ties: label-file order)."""

from __future__ import annotations

from natostance.evaluation.baselines import common as C
from natostance.labels import labels


TRAINS = True


def predict(gold, fold: C.Fold):
    u = C.units(gold, fold)
    stance, holders = labels("stance"), labels("holder")
    rows = []
    for task, unit_type in (("sentence_stance", "sentence"), ("article_stance", "article")):
        train = C.train_stance(gold, unit_type, fold)
        overall = C.most_common([r["label"] for r in train], stance)
        holder = C.most_common([r["holder"] for r in train if r["holder"]], holders)
        by_target = {
            t: C.most_common([r["label"] for r in train if r["target"] == t] or [overall], stance)
            for t in labels("target")
        }
        for unit_id, target in u["stance" if task == "sentence_stance" else "article_stance"]:
            row = {"task": task, "unit_id": unit_id, "target": target, "label": by_target[target]}
            if task == "sentence_stance":
                row["holder"] = holder
            rows.append(row)
    _, cw = C.train_sentences(gold, fold)
    majority_cw = sum(cw) * 2 > len(cw)
    rows += [
        {"task": "claim_detection", "unit_id": s, "checkworthy": majority_cw, "score": float(majority_cw)}
        for s in u["sentences"]
    ]
    return rows, C.meta(
        gold, "majority", "Most frequent training label per task and target; no claim spans.", C.trained_on(gold, fold)
    )
