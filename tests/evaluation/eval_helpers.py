"""Paths and data factories shared by the evaluation tests (a uniquely named module: ``conftest`` is not
importable reliably when several test folders have one)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
GOLD_DIR = FIXTURES / "gold"
SUBMISSIONS = FIXTURES / "submissions"


def synthetic(n_articles: int, seed: int = 0, sentences: int = 4, accuracy: float = 0.7):
    """Random gold records (all articles in 'test') and a noisy submission of all four tasks."""
    import numpy as np

    from natostance.labels import labels

    rng = np.random.default_rng(seed)
    stance, targets = labels("stance"), labels("target")
    recs = {"articles": [], "sentences": [], "stance": [], "claims": []}
    rows = []
    for a in range(n_articles):
        aid = f"art{a:03d}"
        text = " ".join(f"Sentence {i} of {aid} says {int(rng.integers(100))} things." for i in range(sentences))
        recs["articles"].append(
            {
                "article_id": aid,
                "split": "test",
                "outlet": f"outlet{a % 3}",
                "published": f"{2016 + a % 4}-01-01",
                "machine_translated": bool(a % 2),
                "original_language": "en",
                "title": aid,
                "text": text,
            }
        )
        pos = 0
        for i in range(sentences):
            sid = f"{aid}-{i:04d}"
            start = text.index(f"Sentence {i} ", pos)
            end = text.index(".", start) + 1
            pos = end
            recs["sentences"].append(
                {
                    "sentence_id": sid,
                    "article_id": aid,
                    "split": "test",
                    "index": i,
                    "paragraph": 0,
                    "start": start,
                    "end": end,
                    "text": text[start:end],
                }
            )
            for t in rng.choice(targets, size=2, replace=False):
                g = str(rng.choice(stance))
                holder = None if g == "none" else str(rng.choice(labels("holder")))
                recs["stance"].append(
                    {
                        "unit_id": sid,
                        "unit_type": "sentence",
                        "article_id": aid,
                        "split": "test",
                        "target": str(t),
                        "label": g,
                        "holder": holder,
                    }
                )
                p = g if rng.random() < accuracy else str(rng.choice(stance))
                rows.append({"task": "sentence_stance", "unit_id": sid, "target": str(t), "label": p, "holder": holder})
            cw = bool(rng.random() < 0.4)
            if cw:
                recs["claims"].append(
                    {
                        "claim_id": f"c{sid}",
                        "article_id": aid,
                        "split": "test",
                        "start": start,
                        "end": end,
                        "speaker": "X",
                        "type": "event",
                    }
                )
                rows.append(
                    {
                        "task": "claim_spans",
                        "article_id": aid,
                        "start": start,
                        "end": end - int(rng.integers(0, 2)),
                        "speaker": "X",
                    }
                )
            rows.append(
                {
                    "task": "claim_detection",
                    "unit_id": sid,
                    "checkworthy": bool(cw ^ (rng.random() > accuracy)),
                    "score": float(rng.random() + cw),
                }
            )
        t = str(rng.choice(targets))
        g = str(rng.choice(stance))
        recs["stance"].append(
            {
                "unit_id": aid,
                "unit_type": "article",
                "article_id": aid,
                "split": "test",
                "target": t,
                "label": g,
                "holder": None,
            }
        )
        rows.append(
            {
                "task": "article_stance",
                "unit_id": aid,
                "target": t,
                "label": g if rng.random() < accuracy else str(rng.choice(stance)),
            }
        )
    meta = {"system": f"synthetic {seed}", "authors": [], "dataset_version": "0.1.0", "trained_on": [], "tuned_on": []}
    return recs, rows, meta


def perfect_rows(gold) -> list[dict]:
    """A submission copied from the gold: every task, every gold unit, every gold claim span."""
    from natostance.evaluation.gold import checkworthy_sentences

    task = {"sentence": "sentence_stance", "article": "article_stance"}
    rows = []
    for r in gold.stance:
        row = {"task": task[r["unit_type"]], "unit_id": r["unit_id"], "target": r["target"], "label": r["label"]}
        if r["unit_type"] == "sentence":
            row["holder"] = r["holder"]
        rows.append(row)
    cw = checkworthy_sentences(gold)
    for a in gold.gold_articles():
        for sid in gold.sentences_of.get(a, ()):
            rows.append({"task": "claim_detection", "unit_id": sid, "checkworthy": sid in cw, "score": float(sid in cw)})
    rows += [
        {"task": "claim_spans", "article_id": c["article_id"], "start": c["start"], "end": c["end"], "speaker": c["speaker"]}
        for c in gold.claims
    ]
    return rows


def perfect_meta(gold, protocol: str | None = None) -> dict:
    meta = {"system": "perfect (gold copy)", "authors": [], "dataset_version": gold.dataset_version,
            "trained_on": [], "tuned_on": []}
    return meta if protocol is None else dict(meta, protocol=protocol)
