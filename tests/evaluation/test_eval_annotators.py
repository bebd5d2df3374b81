"""Annotator rows: each automated annotation pass's raw labels from the dataset, checked and scored like any
submission, and never called human."""

from __future__ import annotations

import json
from pathlib import Path

from natostance.evaluation.annotators import annotator_submissions, rounds_of, write_annotator_runs
from natostance.evaluation.check import check_submission
from natostance.parquet_io import read_config

DATASET = Path(__file__).resolve().parents[2] / "dataset"


def test_every_raw_label_becomes_a_row_of_its_pass():
    raw = read_config(DATASET, "annotations")
    runs = annotator_submissions(DATASET)
    assert sorted(runs) == sorted({(r["round"], r["annotator"]) for r in raw})  # one pass per round and annotator
    gold_articles = {r["article_id"] for r in read_config(DATASET, "stance")}
    gold_round, kinds = rounds_of(DATASET)
    assert gold_round in kinds
    for i, (key, (rows, meta)) in enumerate(sorted(runs.items()), 1):
        mine = [r for r in raw if (r["round"], r["annotator"]) == key]
        stance = [r for r in mine if r["record"] == "stance"]
        claims = [r for r in mine if r["record"] == "claim"]
        assert sum(r["task"] in ("sentence_stance", "article_stance") for r in rows) == len(stance)
        assert sum(r["task"] == "claim_spans" for r in rows) == len(claims)
        assert meta["kind"] == "annotator" and meta["trained_on"] == [] and "protocol" not in meta
        assert meta["parameters"]["round"] == key[0] and meta["parameters"]["gold_round"] == gold_round
        if kinds[key[0]] == "automated":  # what the round's own record says about who labelled it
            assert meta["system"] == f"annotator pass {i} (automated, round {key[0]})"
            assert "not a person" in meta["description"] and "not human agreement" in meta["description"]
        assert ("this one included" in meta["description"]) == (key[0] == gold_round)
        assert set(meta.get("articles", gold_articles)) <= gold_articles
        assert meta.get("articles") is None or set(meta["articles"]) < gold_articles  # only a real subset


def test_annotator_runs_pass_the_checker_under_every_protocol(tmp_path):
    for path in write_annotator_runs(DATASET, tmp_path):
        assert path.name.startswith("annotator-pass-")
        assert json.loads(path.with_suffix(".meta.json").read_text())["kind"] == "annotator"
        for split, protocol in (("all", "temporal"), ("test", "temporal"), (None, "cv")):
            checked = check_submission(path, gold=DATASET, split=split, protocol=protocol)  # raises on any error
            assert set(checked.tasks) == {"sentence_stance", "article_stance", "claim_detection", "claim_spans"}
