"""The evaluation verbs: thin shells, exit 1 with one 'error:' line per problem."""

from __future__ import annotations

import json

from click.testing import CliRunner
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.cli import cli


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
    assert set(doc["tasks"]) >= {"sentence_stance", "claim_detection"}


def test_public_api_names_resolve():
    import natostance

    for name in ("check", "score", "leaderboard", "compare", "run_baseline", "model_index"):
        assert callable(getattr(natostance, name)), name
