"""Annotator rows: each automated annotation pass's raw labels from the dataset, checked and scored like any
submission, and never called human."""

from __future__ import annotations

import json
from pathlib import Path

from natostance.evaluation.annotators import annotator_submissions, write_annotator_runs
from natostance.evaluation.check import check_submission
from natostance.parquet_io import read_config

DATASET = Path(__file__).resolve().parents[2] / "dataset"


def test_every_raw_label_becomes_a_row_of_its_pass():
    raw = read_config(DATASET, "annotations")
    runs = annotator_submissions(DATASET)
    assert sorted(runs) == sorted({r["annotator"] for r in raw})
    gold_articles = {r["article_id"] for r in read_config(DATASET, "stance")}
    for i, (annotator, (rows, meta)) in enumerate(sorted(runs.items()), 1):
        stance = [r for r in raw if r["annotator"] == annotator and r["record"] == "stance"]
        claims = [r for r in raw if r["annotator"] == annotator and r["record"] == "claim"]
        assert sum(r["task"] in ("sentence_stance", "article_stance") for r in rows) == len(stance)
        assert sum(r["task"] == "claim_spans" for r in rows) == len(claims)
        assert meta["kind"] == "annotator" and meta["trained_on"] == [] and "protocol" not in meta
        assert meta["system"] == f"annotator pass {i} (automated)"
        assert set(meta.get("articles", gold_articles)) <= gold_articles
        assert meta.get("articles") is None or set(meta["articles"]) < gold_articles  # only a real subset
        assert "human" not in meta["system"].lower() and "not a person" in meta["description"]


def test_annotator_runs_pass_the_checker_under_every_protocol(tmp_path):
    for path in write_annotator_runs(DATASET, tmp_path):
        assert path.name.startswith("annotator-pass-")
        assert json.loads(path.with_suffix(".meta.json").read_text())["kind"] == "annotator"
        for split, protocol in (("all", "temporal"), ("test", "temporal"), (None, "cv")):
            checked = check_submission(path, gold=DATASET, split=split, protocol=protocol)  # raises on any error
            assert set(checked.tasks) == {"sentence_stance", "article_stance", "claim_detection", "claim_spans"}
