"""Annotator rows for the leaderboard: each annotation pass's raw labels (config ``annotations``) as a submission.

The passes were made by **automated annotators** (AI language-model agents working from the guidelines), not
by people. Scored against the gold adjudicated from those same passes, an annotator row is a reference
point, not a ceiling and not independent of the gold; agreement between passes of one kind of automated
annotator is not human agreement. The leaderboard marks these rows ``kind: annotator``. A sentence is
check-worthy for a pass iff one of its claim spans overlaps it (the rule of gold.py). The metadata
declares no protocol: a pass trained on nothing, so it is scored under ``cv`` and ``temporal`` alike.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from natostance._version import DATASET_VERSION
from natostance.parquet_io import read_config

DESCRIPTION = (
    "One automated annotator's pass (an AI language-model agent labelling from the guidelines, not a person), "
    "scored against the gold adjudicated from these same passes: not independent of the gold, not a human "
    "ceiling. Agreement between passes of one kind of automated annotator is not human agreement."
)


def system_name(i: int) -> str:
    return f"annotator pass {i} (automated)"


def annotator_submissions(dataset: str | Path) -> dict[str, tuple[list[dict[str, Any]], dict[str, Any]]]:
    """annotator id -> (submission rows, metadata), from the dataset's ``annotations`` config; passes are
    numbered 1, 2, ... in annotator-id order."""
    raw = read_config(dataset, "annotations")
    sentences = read_config(dataset, "sentences")
    gold_articles = {r["article_id"] for r in read_config(dataset, "stance")}
    manifest = json.loads((Path(dataset) / "manifest.json").read_text(encoding="utf-8"))
    by_article = defaultdict(list)
    for s in sentences:
        by_article[s["article_id"]].append(s)
    out = {}
    for i, annotator in enumerate(sorted({r["annotator"] for r in raw}), 1):
        mine = [r for r in raw if r["annotator"] == annotator and not r["cancelled"]]
        rows: list[dict[str, Any]] = []
        for r in mine:
            if r["record"] == "stance" and r["stance"] is not None:
                task = "sentence_stance" if r["unit_type"] == "sentence" else "article_stance"
                row = {"task": task, "unit_id": r["unit_id"], "target": r["target"], "label": r["stance"]}
                if task == "sentence_stance":
                    row["holder"] = r["holder"]
                rows.append(row)
        spans = [r for r in mine if r["record"] == "claim"]
        articles = sorted({r["article_id"] for r in mine})
        for aid in articles:
            marked = [(c["start"], c["end"]) for c in spans if c["article_id"] == aid]
            for s in by_article[aid]:
                hit = any(a < s["end"] and s["start"] < b for a, b in marked)
                rows.append({"task": "claim_detection", "unit_id": s["sentence_id"], "checkworthy": hit,
                             "score": 1.0 if hit else 0.0})
        rows += [{"task": "claim_spans", "article_id": c["article_id"], "start": c["start"], "end": c["end"],
                  "speaker": c["speaker"]} for c in spans]
        meta = {"system": system_name(i), "authors": ["NATO-Stance maintainers"], "kind": "annotator",
                "description": DESCRIPTION, "parameters": {"annotator": annotator},
                "dataset_version": manifest.get("dataset_version", DATASET_VERSION), "trained_on": [], "tuned_on": []}
        if set(articles) != gold_articles:  # a pass over part of the gold is scored on its articles alone
            meta["articles"] = articles
        out[annotator] = (rows, meta)
    return out


def write_annotator_runs(dataset: str | Path, out_dir: str | Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, (rows, meta) in enumerate(annotator_submissions(dataset).values(), 1):
        path = out_dir / f"annotator-pass-{i}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        path.with_suffix(".meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written
