"""Leaderboard: ranking, versions on every row, refusal of incompatible results, escaping."""

from __future__ import annotations

import json
import shutil

import pytest
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.errors import ManyErrors
from natostance.evaluation import html
from natostance.evaluation.leaderboard import leaderboard, md_escape, to_markdown
from natostance.evaluation.score import score

EVIL = "<script>alert(1)</script>"
FAST = {"resamples": 200}


@pytest.fixture
def evil_runs(runs):
    meta = json.loads((SUBMISSIONS / "ok.meta.json").read_text())
    shutil.copy(SUBMISSIONS / "ok.jsonl", runs / "evil.jsonl")
    (runs / "evil.meta.json").write_text(json.dumps(dict(meta, system=EVIL, url="javascript:alert(2)", kind="human")))
    rows = [json.loads(x) for x in (SUBMISSIONS / "ok.jsonl").open()]
    worse = [dict(r, label="none") if "label" in r else r for r in rows]
    (runs / "worse.jsonl").write_text("".join(json.dumps(r) + "\n" for r in worse))
    (runs / "worse.meta.json").write_text(json.dumps(dict(meta, system="worse | system", url="https://example.org/w")))
    return runs


def test_rows_are_ranked_with_versions_and_paired_p_values(evil_runs):
    board = leaderboard(evil_runs, GOLD_DIR, **FAST)
    rows = board["tasks"]["sentence_stance"]["rows"]
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)
    assert rows[-1]["system"] == "worse | system" and rows[-1]["p_vs_next"] is None
    assert rows[0]["p_vs_next"]["few_clusters"] is True and 0 < rows[0]["p_vs_next"]["p_value"] <= 1
    for r in rows:
        assert r["dataset_version"] == "0.1.0" and set(r["split_hashes"]) == {"train", "validation", "test"}
        assert r["scorer_version"] and r["compatible"] is True


def test_markdown_escapes_submission_strings(evil_runs):
    text = to_markdown(leaderboard(evil_runs, GOLD_DIR, **FAST))
    assert EVIL not in text and "\\<script\\>alert\\(1\\)\\</script\\> (human)" in text
    assert "worse \\| system" in text
    assert md_escape("a\n|b") == "a \\|b"


def test_html_escapes_everything_and_drops_script_urls(evil_runs):
    page = html.to_html(leaderboard(evil_runs, GOLD_DIR, **FAST))
    assert EVIL not in page and page.count("<script>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page and 'href="https://example.org/w"' in page
    assert "<svg" in page and "Content-Security-Policy" in page


def test_incompatible_stored_results_are_refused_unless_asked(runs, tmp_path):
    old = score(GOLD_DIR, SUBMISSIONS / "ok.jsonl", **FAST).to_dict()
    old["dataset_version"] = "0.0.9"
    old["system"] = "old system"
    (runs / "old.result.json").write_text(json.dumps(old))
    with pytest.raises(
        ManyErrors,
        match="old.result.json: incompatible result \\(dataset version 0.0.9, expected "
        "0.1.0\\); pass --allow-incompatible to show it marked",
    ):
        leaderboard(runs, GOLD_DIR, **FAST)
    board = leaderboard(runs, GOLD_DIR, allow_incompatible=True, **FAST)
    marked = [r for r in board["tasks"]["sentence_stance"]["rows"] if r["system"] == "old system"]
    assert marked[0]["compatible"] is False and "incompatible" in to_markdown(board)


def test_a_bad_submission_fails_the_whole_leaderboard_with_its_errors(runs):
    shutil.copy(SUBMISSIONS / "NOTOK_missing_id.jsonl", runs / "bad.jsonl")
    shutil.copy(SUBMISSIONS / "NOTOK_missing_id.meta.json", runs / "bad.meta.json")
    with pytest.raises(ManyErrors, match="bad.jsonl: sentence_stance: expected a prediction for unit_id 'a4-0001'"):
        leaderboard(runs, GOLD_DIR, **FAST)


def test_compare_any_two_systems(evil_runs):
    import natostance

    a = natostance.score(GOLD_DIR, evil_runs / "ok.jsonl", resamples=200)
    b = natostance.score(GOLD_DIR, evil_runs / "worse.jsonl", resamples=200)
    out = natostance.compare(a, b, "sentence_stance", "accuracy", resamples=200)
    assert out["metric"] == "accuracy" and out["few_clusters"] is True
    assert out["difference"] == pytest.approx(
        a.doc["tasks"]["sentence_stance"]["metrics"]["accuracy"]["value"]
        - b.doc["tasks"]["sentence_stance"]["metrics"]["accuracy"]["value"]
    )
    from natostance.errors import NatoStanceError
    from natostance.evaluation.result import ScoreResult

    with pytest.raises(NatoStanceError, match="need in-memory statistics"):
        natostance.compare(ScoreResult(a.to_dict()), b, "sentence_stance")


def test_human_row_scored_on_the_articles_its_annotator_labelled(runs):
    meta = json.loads((SUBMISSIONS / "ok.meta.json").read_text())
    rows = [json.loads(x) for x in (SUBMISSIONS / "ok.jsonl").open()]
    a4 = [r for r in rows if (r.get("unit_id") or r.get("article_id", "")).startswith("a4")]
    (runs / "annotator.jsonl").write_text("".join(json.dumps(r) + "\n" for r in a4))
    human = dict(meta, system="annotator B", kind="human", trained_on=[], tuned_on=[], articles=["a4"])
    (runs / "annotator.meta.json").write_text(json.dumps(human))
    board = leaderboard(runs, GOLD_DIR, **FAST)
    row = next(r for r in board["tasks"]["sentence_stance"]["rows"] if r["system"] == "annotator B")
    assert row["subset_articles"] == 1 and row["clusters"] == 1 and row["kind"] == "human"
    assert all(r["p_vs_next"] is None for r in board["tasks"]["sentence_stance"]["rows"])  # different articles
    assert "annotator B (human) (subset of 1 articles)" in to_markdown(board)
    (runs / "annotator.meta.json").write_text(json.dumps(dict(human, kind="system", articles=["a4", "zz"])))
    with pytest.raises(ManyErrors) as info:
        leaderboard(runs, GOLD_DIR, **FAST)
    assert [str(e).split(": ", 1)[1] for e in info.value.errors] == [
        "articles: expected only with kind 'human' (a system is scored on every article), found kind 'system'",
        "articles: expected article ids of the gold, found unknown id 'zz'",
    ]


def test_p_values_are_shown_only_with_enough_articles(evil_runs, tmp_path):
    assert "n/a†" in to_markdown(leaderboard(evil_runs, GOLD_DIR, **FAST))
    from eval_helpers import synthetic

    from natostance.evaluation.gold import gold_from_records

    recs, rows, meta = synthetic(12, seed=4)
    folder = tmp_path / "many"
    folder.mkdir()
    for name, change in (("a", {}), ("b", {"label": "none"})):
        (folder / f"{name}.jsonl").write_text(
            "".join(json.dumps(dict(r, **change) if "label" in r else r) + "\n" for r in rows)
        )
        (folder / f"{name}.meta.json").write_text(json.dumps(dict(meta, system=name)))
    board = leaderboard(folder, gold_from_records(recs), "all", **FAST)
    first = board["tasks"]["sentence_stance"]["rows"][0]
    assert first["p_vs_next"]["few_clusters"] is False and first["p_vs_next"]["clusters"] == 12
    assert f"| {first['p_vs_next']['p_value']:.3f} |" in to_markdown(board)
