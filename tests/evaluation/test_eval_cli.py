"""The evaluation verbs: thin shells, exit 1 with one 'error:' line per problem."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.cli import cli

DATASET = Path(__file__).resolve().parents[2] / "dataset"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_check_ok_and_failure():
    ok = run("check", SUBMISSIONS / "ok.jsonl", "--gold", GOLD_DIR, "--json")
    assert ok.exit_code == 0 and json.loads(ok.output)["tasks"][0] == "sentence_stance"
    bad = run("check", SUBMISSIONS / "NOTOK_many_errors.jsonl", "--gold", GOLD_DIR)
    assert bad.exit_code == 1
    lines = bad.stderr.splitlines() if hasattr(bad, "stderr") else bad.output.splitlines()
    assert lines[0] == f"error: 5 error(s) in submission {SUBMISSIONS}/NOTOK_many_errors.jsonl"
    assert len(lines) == 6 and all(x.startswith("error: ") for x in lines)


def test_shape_then_check_against_the_manifest(tmp_path):
    assert run("shape", GOLD_DIR, "--out", tmp_path / "shape.json").exit_code == 0
    res = run("check", SUBMISSIONS / "ok.jsonl", "--shape", tmp_path / "shape.json")
    assert res.exit_code == 0 and res.output.startswith("ok: ")


def test_check_needs_a_shape_or_gold():
    res = run("check", SUBMISSIONS / "ok.jsonl")
    assert res.exit_code == 2 and "give --shape SHAPE.json or --gold DIR" in res.output


def test_score_writes_result_and_model_index(tmp_path):
    res = run(
        "score",
        GOLD_DIR,
        SUBMISSIONS / "ok.jsonl",
        "--resamples",
        100,
        "--out",
        tmp_path / "r.json",
        "--model-index",
        tmp_path / "mi.yaml",
    )
    assert res.exit_code == 0, res.output
    assert "sentence_stance  macro_f1" in res.output and "optimistic sentence-level" in res.output
    assert json.loads((tmp_path / "r.json").read_text())["system"] == "fixture system"
    assert (tmp_path / "mi.yaml").read_text().startswith("model-index:")
    as_json = run("score", GOLD_DIR, SUBMISSIONS / "ok.jsonl", "--resamples", 50, "--json")
    assert json.loads(as_json.output)["bootstrap"]["resamples"] == 50


def test_score_refuses_a_training_split():
    res = run("score", GOLD_DIR, SUBMISSIONS / "ok.jsonl", "--split", "train")
    assert res.exit_code == 1 and "refusing to score it there" in res.output
    res = run("score", GOLD_DIR, SUBMISSIONS / "ok.jsonl", "--split", "test", "--protocol", "cv")
    assert res.exit_code == 1 and "protocol cv scores every gold article" in res.output


def test_baseline_then_leaderboard(tmp_path):
    runs = tmp_path / "runs"
    for name in ("majority", "rules"):
        assert run("baseline", name, "--gold", GOLD_DIR, "--out", runs / f"{name}.jsonl").exit_code == 0
    md = run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100)
    assert md.exit_code == 0 and "### sentence_stance" in md.output and "target\\-mention rules" in md.output
    page = run(
        "leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100, "--format", "html", "--out", tmp_path / "b.html"
    )
    assert page.exit_code == 0 and (tmp_path / "b.html").read_text().startswith("<!DOCTYPE html>")
    doc = json.loads(run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100, "--format", "json").output)
    [temporal] = doc["protocols"]  # both baselines are temporal runs: no cv table
    assert temporal["protocol"] == "temporal" and set(temporal["tasks"]) >= {"sentence_stance", "claim_detection"}


def test_rules_under_cv_ranks_every_dataset_article_with_cis_over_all_of_them(tmp_path):
    from natostance.evaluation.gold import load_gold

    articles = load_gold(DATASET).gold_articles()
    runs = tmp_path / "runs"
    res = run("baseline", "rules", "--gold", DATASET, "--protocol", "cv", "--out", runs / "rules-cv.jsonl")
    assert res.exit_code == 0, res.output
    md = run("leaderboard", runs, "--gold", DATASET, "--resamples", 200)
    assert md.exit_code == 0, md.output
    assert "## Protocol cv" in md.output and f"{len(articles)} gold articles." in md.output
    doc = json.loads(run("leaderboard", runs, "--gold", DATASET, "--resamples", 200, "--format", "json").output)
    [cv] = doc["protocols"]
    assert cv["protocol"] == "cv" and cv["articles"] == len(articles) and cv["folds"]["k"] == len(articles)
    for task, t in cv["tasks"].items():
        [row] = t["rows"]
        for name, f in row["metrics"].items():
            assert f["clusters"] == len(articles), (task, name)
            assert f["value"] is None or f["ci_low"] <= f["value"] <= f["ci_high"], (task, name)
    scored = run("score", DATASET, runs / "rules-cv.jsonl", "--protocol", "cv", "--resamples", 50)
    assert scored.exit_code == 0 and "protocol cv, split all" in scored.output
    assert f"{len(articles)} articles" in scored.output


def test_annotator_runs_and_the_deprecated_human_runs(tmp_path):
    res = run("annotator-runs", DATASET, "--out", tmp_path / "a")
    assert res.exit_code == 0 and "annotator-pass-1.jsonl" in res.output
    old = run("human-runs", DATASET, "--out", tmp_path / "h")
    assert old.exit_code == 0 and "deprecated: use 'natostance annotator-runs'" in old.output
    assert sorted(p.name for p in (tmp_path / "h").iterdir()) == sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "human-runs" not in run("--help").output and "annotator-runs" in run("--help").output


def test_public_api_names_resolve():
    import natostance

    for name in ("check", "score", "leaderboard", "compare", "run_baseline", "model_index"):
        assert callable(getattr(natostance, name)), name
