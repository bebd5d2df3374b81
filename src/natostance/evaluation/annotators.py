"""Annotator rows for the leaderboard: each annotation pass's raw labels (config ``annotations``) as a submission.

A pass is one annotator in one round. The rounds of this dataset were made by **automated annotators** (AI
language-model agents working from the guidelines), not by people: who labelled a round is read from
``annotation/records/<round>/round.json`` (``natostance annotate close --annotators``), found through
``raw/sources.yaml``, and goes into the row's name. Scored against the gold, an annotator row is a
reference point, never an independent system nor a human ceiling: the gold was adjudicated from the passes
of its own round, and passes of other rounds are the same kind of annotator under other guidelines.
Agreement between passes of one kind of automated annotator is not human agreement. The leaderboard marks
these rows ``kind: annotator``. A sentence is check-worthy for a pass iff one of its claim spans overlaps it
(``gold.overlaps``). The metadata declares no protocol: a pass trained on nothing, so it is scored under
``cv`` and ``temporal`` alike.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from natostance._version import DATASET_VERSION
from natostance.annotate.rounds import ANNOTATOR_KINDS
from natostance.evaluation.gold import overlaps
from natostance.files import atomic_write
from natostance.parquet_io import read_config


def rounds_of(dataset: str | Path) -> tuple[str | None, dict[str, str | None]]:
    """(the gold's round, round -> kind of its annotators) from ``raw/sources.yaml`` and the rounds' files."""
    from natostance.annotate.rounds import load
    from natostance.builder.sourcesfile import annotation_rounds

    gold, records = annotation_rounds(Path(dataset) / "raw")
    if gold is None:
        return None, {}
    return gold, {folder.name: (load(folder.parent, folder.name) or {}).get("annotators") for folder in records}


def system_name(i: int, round_name: str, kind: str | None) -> str:
    said = f"{kind}, " if kind in ANNOTATOR_KINDS else ""  # round.json 'annotators', named as it is
    return f"annotator pass {i} ({said}round {round_name})"


def description(round_name: str, kind: str | None, gold_round: str | None) -> str:
    who = {
        "automated": "an automated annotator (an AI language-model agent labelling from the guidelines, not a person)",
        "human": "a person",
        "mixed": "one annotator of a round made by people and automated annotators",
    }.get(kind, "an annotator of unstated kind")
    if round_name == gold_round:
        made = f"scored against the gold adjudicated from the passes of round {round_name}, this one included"
    else:
        made = f"a pass of round {round_name}, scored against the gold of round {gold_round or 'unknown'}"
    text = f"One pass by {who}, {made}: not independent of the gold, not a human ceiling."
    if kind == "automated":
        text += " Agreement between passes of one kind of automated annotator is not human agreement."
    return text


def annotator_submissions(dataset: str | Path) -> dict[tuple[str, str], tuple[list[dict[str, Any]], dict[str, Any]]]:
    """(round, annotator) -> (submission rows, metadata), from the dataset's ``annotations`` config; passes are
    numbered 1, 2, ... in (round, annotator) order."""
    raw = read_config(dataset, "annotations")
    sentences = read_config(dataset, "sentences")
    gold_articles = {r["article_id"] for r in read_config(dataset, "stance")}
    manifest = json.loads((Path(dataset) / "manifest.json").read_text(encoding="utf-8"))
    gold_round, kinds = rounds_of(dataset)
    by_article = defaultdict(list)
    for s in sentences:
        by_article[s["article_id"]].append(s)
    passes = defaultdict(list)
    for r in raw:
        if not r["cancelled"]:
            passes[r["round"], r["annotator"]].append(r)
    out = {}
    for i, ((round_name, annotator), mine) in enumerate(sorted(passes.items()), 1):
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
                hit = any(overlaps(a, b, s) for a, b in marked)
                rows.append({"task": "claim_detection", "unit_id": s["sentence_id"], "checkworthy": hit,
                             "score": 1.0 if hit else 0.0})
        rows += [{"task": "claim_spans", "article_id": c["article_id"], "start": c["start"], "end": c["end"],
                  "speaker": c["speaker"]} for c in spans]
        kind = kinds.get(round_name)
        meta = {"system": system_name(i, round_name, kind), "authors": ["NATO-Stance maintainers"],
                "kind": "annotator", "description": description(round_name, kind, gold_round),
                "parameters": {"annotator": annotator, "round": round_name, "annotators_kind": kind,
                               "gold_round": gold_round},
                "dataset_version": manifest.get("dataset_version", DATASET_VERSION), "trained_on": [], "tuned_on": []}
        if set(articles) != gold_articles:  # a pass over part of the gold is scored on its articles alone
            meta["articles"] = articles
        out[round_name, annotator] = (rows, meta)
    return out


def write_annotator_runs(dataset: str | Path, out_dir: str | Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, (rows, meta) in enumerate(annotator_submissions(dataset).values(), 1):
        path = out_dir / f"annotator-pass-{i}.jsonl"
        atomic_write(path, (json.dumps(r) + "\n" for r in rows))
        atomic_write(path.with_suffix(".meta.json"), [json.dumps(meta, indent=1) + "\n"])
        written.append(path)
    return written
