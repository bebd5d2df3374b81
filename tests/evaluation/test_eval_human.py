"""Human rows: each annotator's raw labels from the dataset, checked and scored like any submission."""

from __future__ import annotations

from pathlib import Path

from natostance.evaluation.check import check_submission
from natostance.evaluation.human import human_submissions, write_human_runs
from natostance.parquet_io import read_config

DATASET = Path(__file__).resolve().parents[2] / "dataset"


def test_every_raw_label_becomes_a_row_of_its_annotators_run():
    raw = read_config(DATASET, "annotations")
    runs = human_submissions(DATASET)
    assert sorted(runs) == sorted({r["annotator"] for r in raw})
    for person, (rows, meta) in runs.items():
        stance = [r for r in raw if r["annotator"] == person and r["record"] == "stance"]
        claims = [r for r in raw if r["annotator"] == person and r["record"] == "claim"]
        assert sum(r["task"] in ("sentence_stance", "article_stance") for r in rows) == len(stance)
        assert sum(r["task"] == "claim_spans" for r in rows) == len(claims)
        assert meta["kind"] == "human" and meta["trained_on"] == [] and len(meta["articles"]) == 5


def test_human_runs_pass_the_checker_on_every_split(tmp_path):
    for path in write_human_runs(DATASET, tmp_path):
        checked = check_submission(path, gold=DATASET, split="all")  # raises on any error
        assert set(checked.tasks) == {"sentence_stance", "article_stance", "claim_detection", "claim_spans"}
        assert checked.set_aside == 0
