"""Verified rows only: a stored result is shown only as the re-score of its unchanged submission, and one
system name gives one row. Each refusal is one clear line and a non-zero exit."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance._version import SCORER_VERSION
from natostance.cli import cli
from natostance.errors import NatoStanceError
from natostance.evaluation.leaderboard import leaderboard
from natostance.evaluation.score import score
from natostance.evaluation.verify import file_sha256

FAST = {"resamples": 100}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def board_rows(board, protocol="temporal"):
    [sec] = [s for s in board["protocols"] if s["protocol"] == protocol]
    return sec["tasks"]["sentence_stance"]["rows"]


def one_error_line(res) -> str:
    assert res.exit_code == 1, res.output
    lines = [x for x in (res.stderr if hasattr(res, "stderr") else res.output).splitlines() if x]
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


@pytest.fixture
def stored(runs):
    """The README flow: score a submission into the same folder, keep its result next to it."""
    res = run("score", GOLD_DIR, runs / "ok.jsonl", "--resamples", 100, "--out", runs / "ok.result.json")
    assert res.exit_code == 0, res.output
    return runs / "ok.result.json"


def test_a_result_names_its_files_by_sha256_relative_to_itself(stored, runs):
    doc = json.loads(stored.read_text())
    assert doc["submission"] == {
        "path": "ok.jsonl",
        "sha256": file_sha256(runs / "ok.jsonl"),
        "meta_path": "ok.meta.json",
        "meta_sha256": file_sha256(runs / "ok.meta.json"),
    }
    assert doc["scorer_version"] == SCORER_VERSION and doc["protocol"] == "temporal" and doc["split"] == "test"


def test_the_readme_flow_gives_one_verified_row(stored, runs):
    rows = board_rows(leaderboard(runs, GOLD_DIR, **FAST))
    assert [r["system"] for r in rows] == ["fixture system"]
    assert rows[0]["verified"]["stored_results"] == [str(stored)]
    moved = runs.parent / "moved"
    shutil.copytree(runs, moved)  # relative paths: the folder can move
    assert len(board_rows(leaderboard(moved, GOLD_DIR, **FAST))) == 1
    other = board_rows(leaderboard(runs, GOLD_DIR, resamples=150))  # checked at its own 100 resamples
    assert len(other) == 1 and other[0]["metrics"]["macro_f1"]["value"] == rows[0]["metrics"]["macro_f1"]["value"]


def test_an_edited_figure_is_refused_with_one_line(stored, runs):
    doc = json.loads(stored.read_text())
    doc["tasks"]["sentence_stance"]["metrics"]["macro_f1"]["value"] = 0.99
    stored.write_text(json.dumps(doc))
    line = one_error_line(run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100))
    assert line.startswith(f"error: {stored}: does not match a re-score of ")
    assert "tasks.sentence_stance.metrics.macro_f1.value is 0.99, the re-score gives 0." in line


def test_the_issue_forgery_is_refused(stored, runs):
    """A result edited to claim 0.99 and to have trained on every split, ranked on --split all from a folder of
    results (the submission elsewhere)."""
    doc = json.loads(stored.read_text())
    doc["tasks"]["sentence_stance"]["metrics"]["macro_f1"]["value"] = 0.99
    doc["meta"]["trained_on"] = ["train", "validation", "test"]
    doc["split"] = "all"
    doc["submission"] = {**doc["submission"], "path": "../runs/ok.jsonl", "meta_path": "../runs/ok.meta.json"}
    results = runs.parent / "results"
    results.mkdir()
    (results / "forged.result.json").write_text(json.dumps(doc))
    line = one_error_line(run("leaderboard", results, "--gold", GOLD_DIR, "--split", "all"))
    assert line == (
        f"error: {results / 'forged.result.json'}: its metadata is not its submission's: meta.trained_on is "
        f"['train', 'validation', 'test'], {runs / 'ok.meta.json'} gives ['train'] (edited after scoring)"
    )
    doc["meta"]["trained_on"] = ["train"]  # consistent with the file, but refused on --split all
    (results / "forged.result.json").write_text(json.dumps(doc))
    line = one_error_line(run("leaderboard", results, "--gold", GOLD_DIR, "--split", "all"))
    assert line.startswith(f"error: {results / 'forged.result.json'}: --split all needs a system that trained and ")
    assert line.endswith("(the result claims protocol temporal, split all)")


def test_meta_edited_inside_the_result_is_refused(stored, runs):
    doc = json.loads(stored.read_text())
    doc["meta"]["trained_on"] = []
    stored.write_text(json.dumps(doc))
    with pytest.raises(NatoStanceError, match=r"its metadata is not its submission's: meta.trained_on is \[\], .*ok.meta.json gives \['train'\]"):
        leaderboard(runs, GOLD_DIR, **FAST)


@pytest.mark.parametrize("which", ["ok.jsonl", "ok.meta.json"])
def test_a_changed_or_missing_submission_is_refused(stored, runs, which):
    path = runs / which
    path.write_text(path.read_text().replace("against", "favor") + " ")
    line = one_error_line(run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100))
    kind = "submission" if which.endswith(".jsonl") else "metadata"
    assert line.startswith(f"error: {stored}: its {kind} {runs / which} changed since it was scored (SHA-256 ")
    moved = runs.parent / "results"
    moved.mkdir()
    shutil.move(stored, moved / stored.name)  # the result without its submission next to it
    line = one_error_line(run("leaderboard", moved, "--gold", GOLD_DIR, "--resamples", 100))
    assert line == f"error: {moved / stored.name}: its submission {moved / 'ok.jsonl'} is missing (a stored result is only shown with its submission)"


def test_a_result_without_hashes_or_of_another_scorer_is_refused(stored, runs):
    doc = json.loads(stored.read_text())
    old = dict(doc, submission="ok.jsonl")
    stored.write_text(json.dumps(old))
    line = one_error_line(run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100))
    assert line == (
        f"error: {stored}: expected a result written by natostance score --out (naming its submission and metadata "
        "with their SHA-256), found none: score the submission again"
    )
    stored.write_text(json.dumps(dict(doc, scorer_version="1")))
    line = one_error_line(run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100))
    assert f"made by scorer version 1, this is scorer version {SCORER_VERSION}" in line
    res = run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100, "--allow-incompatible", "--format", "json")
    assert res.exit_code == 0 and len(board_rows(json.loads(res.output))) == 1  # the re-score, once


def test_a_result_for_a_split_the_board_does_not_show_is_refused(tmp_path):
    from eval_helpers import perfect_meta, perfect_rows

    from natostance.evaluation.gold import load_gold

    gold, runs = load_gold(GOLD_DIR), tmp_path / "runs"
    runs.mkdir()
    (runs / "p.jsonl").write_text("".join(json.dumps(r) + "\n" for r in perfect_rows(gold)))
    (runs / "p.meta.json").write_text(json.dumps(perfect_meta(gold)))
    score(gold, runs / "p.jsonl", "validation", **FAST).save(runs / "p.validation.result.json")
    line = one_error_line(run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100))
    assert line == (
        f"error: {runs / 'p.validation.result.json'}: scored under protocol temporal split validation, but its "
        "submission is ranked here under temporal split test only (pass --protocol/--split to rank it where it "
        "was scored)"
    )
    board = leaderboard(runs, GOLD_DIR, "validation", protocol="temporal", **FAST)
    assert len(board_rows(board)) == 1


def test_two_files_with_one_system_name_are_one_error_naming_both(runs):
    shutil.copy(runs / "ok.jsonl", runs / "copy.jsonl")
    shutil.copy(runs / "ok.meta.json", runs / "copy.meta.json")
    line = one_error_line(run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 100))
    assert line == (
        f"error: system name 'fixture system' is given by both {runs / 'copy.jsonl'} and {runs / 'ok.jsonl'} "
        "(one row per system: rename one in its .meta.json)"
    )


def test_one_name_under_two_protocols_is_two_rows(tmp_path):
    runs = tmp_path / "runs"
    for protocol in ("temporal", "cv"):
        res = run("baseline", "rules", "--gold", GOLD_DIR, "--protocol", protocol, "--out", runs / f"rules-{protocol}.jsonl")
        assert res.exit_code == 0, res.output
    board = leaderboard(runs, GOLD_DIR, **FAST)
    assert [len(board_rows(board, p)) for p in ("cv", "temporal")] == [1, 1]
    assert board_rows(board, "cv")[0]["clusters"] == 5 and board_rows(board, "temporal")[0]["clusters"] == 2
    only = leaderboard(runs, GOLD_DIR, protocol="temporal", **FAST)
    assert only["not_shown"] == [f"{runs / 'rules-cv.jsonl'} (protocol cv)"]
