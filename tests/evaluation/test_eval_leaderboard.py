"""Leaderboard: one table per protocol and task, ranking, versions on every row, escaping, annotator rows
marked as not independent. Verified rows (stored results, duplicate names): test_eval_verify.py."""

from __future__ import annotations

import json
import shutil

import pytest
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.errors import ManyErrors, NatoStanceError
from natostance.evaluation import html
from natostance.evaluation.leaderboard import leaderboard, md_escape, to_markdown

EVIL = "<script>alert(1)</script>"
FAST = {"resamples": 200}


def section(board, protocol="temporal"):
    [sec] = [s for s in board["protocols"] if s["protocol"] == protocol]
    return sec


@pytest.fixture
def evil_runs(runs):
    meta = json.loads((SUBMISSIONS / "ok.meta.json").read_text())
    shutil.copy(SUBMISSIONS / "ok.jsonl", runs / "evil.jsonl")
    (runs / "evil.meta.json").write_text(
        json.dumps(dict(meta, system=EVIL, url="javascript:alert(2)", kind="annotator", trained_on=[], tuned_on=[],
                        articles=["a4", "a5"]))
    )
    rows = [json.loads(x) for x in (SUBMISSIONS / "ok.jsonl").open()]
    worse = [dict(r, label="none") if "label" in r else r for r in rows]
    (runs / "worse.jsonl").write_text("".join(json.dumps(r) + "\n" for r in worse))
    (runs / "worse.meta.json").write_text(json.dumps(dict(meta, system="worse | system", url="https://example.org/w")))
    return runs


def test_rows_are_ranked_with_versions_and_paired_p_values(evil_runs):
    board = leaderboard(evil_runs, GOLD_DIR, **FAST)
    assert [s["protocol"] for s in board["protocols"]] == ["cv", "temporal"]  # cv first, the temporal split second
    assert [r["system"] for r in section(board, "cv")["tasks"]["sentence_stance"]["rows"]] == [EVIL]  # any protocol
    rows = section(board)["tasks"]["sentence_stance"]["rows"]
    assert section(board)["split"] == "test" and section(board)["articles"] == 2
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)
    assert rows[-1]["system"] == "worse | system" and rows[-1]["p_vs_next"] is None
    assert rows[0]["p_vs_next"]["few_clusters"] is True and 0 < rows[0]["p_vs_next"]["p_value"] <= 1
    for r in rows:
        assert r["dataset_version"] == "0.1.0" and set(r["split_hashes"]) == {"train", "validation", "test"}
        assert r["scorer_version"] and r["verified"]["rescored_from"].endswith(".jsonl")
        assert r["independent"] is (r["kind"] != "annotator")
    only = leaderboard(evil_runs, GOLD_DIR, protocol="temporal", **FAST)
    assert [s["protocol"] for s in only["protocols"]] == ["temporal"]


def test_markdown_escapes_submission_strings(evil_runs):
    text = to_markdown(leaderboard(evil_runs, GOLD_DIR, **FAST))
    assert EVIL not in text and "| \\<script\\>alert\\(1\\)\\</script\\> ‡ |" in text
    assert "(human)" not in text and "not independent of the gold" in text and "not human agreement" in text
    assert text.index("## Protocol cv") < text.index("## Protocol temporal")
    assert "worse \\| system" in text
    assert md_escape("a\n|b") == "a \\|b"


def test_html_escapes_everything_and_drops_script_urls(evil_runs):
    page = html.to_html(leaderboard(evil_runs, GOLD_DIR, **FAST))
    assert EVIL not in page and page.count("<script>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page and 'href="https://example.org/w"' in page
    assert "<svg" in page and "Content-Security-Policy" in page
    assert page.count('class="forest"') == 8  # one forest plot per protocol and task
    assert 'class="perfect"' in page and "not independent" in page and "(human)" not in page


def test_a_bad_submission_fails_the_whole_leaderboard_with_its_errors(runs):
    shutil.copy(SUBMISSIONS / "NOTOK_missing_id.jsonl", runs / "bad.jsonl")
    shutil.copy(SUBMISSIONS / "NOTOK_missing_id.meta.json", runs / "bad.meta.json")
    with pytest.raises(NatoStanceError, match="bad.jsonl: sentence_stance: expected a prediction for unit_id .a4-0001."):
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


def test_annotator_row_scored_on_the_articles_its_pass_labelled(runs):
    meta = json.loads((SUBMISSIONS / "ok.meta.json").read_text())
    rows = [json.loads(x) for x in (SUBMISSIONS / "ok.jsonl").open()]
    a4 = [r for r in rows if (r.get("unit_id") or r.get("article_id", "")).startswith("a4")]
    (runs / "annotator.jsonl").write_text("".join(json.dumps(r) + "\n" for r in a4))
    ann = dict(meta, system="annotator pass 9 (automated)", kind="annotator", trained_on=[], tuned_on=[], articles=["a4"])
    (runs / "annotator.meta.json").write_text(json.dumps(ann))
    board = leaderboard(runs, GOLD_DIR, protocol="temporal", **FAST)
    table = section(board)["tasks"]["sentence_stance"]["rows"]
    row = next(r for r in table if r["kind"] == "annotator")
    assert row["subset_articles"] == 1 and row["clusters"] == 1 and row["independent"] is False
    assert all(r["p_vs_next"] is None for r in table)  # different articles
    assert "annotator pass 9 \\(automated\\) ‡ \\(subset of 1 articles\\)" in to_markdown(board)
    (runs / "annotator.meta.json").write_text(json.dumps(dict(ann, kind="system", articles=["a4", "zz"])))
    with pytest.raises(ManyErrors) as info:
        leaderboard(runs, GOLD_DIR, protocol="temporal", **FAST)
    assert [str(e).split(": ", 1)[1] for e in info.value.errors] == [
        "articles: expected only with kind 'annotator' (a system is scored on every article), found kind 'system'",
        "articles: expected article ids of the gold, found unknown id 'zz'",
    ]
    (runs / "annotator.meta.json").write_text(json.dumps(dict(ann, kind="human")))
    with pytest.raises(NatoStanceError, match='kind: expected one of system, baseline, annotator, found "human"'):
        leaderboard(runs, GOLD_DIR, protocol="temporal", **FAST)


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
    board = leaderboard(folder, gold_from_records(recs), "all", protocol="temporal", **FAST)
    first = section(board)["tasks"]["sentence_stance"]["rows"][0]
    assert first["p_vs_next"]["few_clusters"] is False and first["p_vs_next"]["clusters"] == 12
    assert f"| {first['p_vs_next']['p_value']:.3f} |" in to_markdown(board)
