"""Human rows for the leaderboard: each annotator's raw labels (config ``annotations``) as a submission.

Scored against the gold they helped make, a human row is the ceiling the benchmark can show, and an
optimistic one (the gold is their agreed or adjudicated labels); the leaderboard marks it ``kind: human``.
A sentence is check-worthy for an annotator iff one of their claim spans overlaps it (the rule of gold.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from natostance._version import DATASET_VERSION
from natostance.parquet_io import read_config


def human_submissions(dataset: str | Path) -> dict[str, tuple[list[dict[str, Any]], dict[str, Any]]]:
    """annotator -> (submission rows, metadata), from the dataset's ``annotations`` config."""
    raw = read_config(dataset, "annotations")
    sentences = read_config(dataset, "sentences")
    manifest = json.loads((Path(dataset) / "manifest.json").read_text(encoding="utf-8"))
    by_article = defaultdict(list)
    for s in sentences:
        by_article[s["article_id"]].append(s)
    out = {}
    for person in sorted({r["annotator"] for r in raw}):
        mine = [r for r in raw if r["annotator"] == person and not r["cancelled"]]
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
        meta = {"system": f"human: {person}", "authors": ["NATO-Stance maintainers"], "kind": "human",
                "description": "One annotator's raw labels, scored against the gold they helped make: an optimistic "
                               "ceiling, not an independent human baseline.",
                "dataset_version": manifest.get("dataset_version", DATASET_VERSION), "trained_on": [], "tuned_on": [],
                "articles": articles}
        out[person] = (rows, meta)
    return out


def write_human_runs(dataset: str | Path, out_dir: str | Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, (person, (rows, meta)) in enumerate(sorted(human_submissions(dataset).items()), 1):
        path = out_dir / f"human-{i}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        path.with_suffix(".meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written
