"""Perfect means 1.0 under every protocol and split; the cv protocol scores every gold article exactly once.

Expectations are derived from whatever gold is present (the fixture and the committed dataset), never from
label counts of one gold round.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval_helpers import GOLD_DIR, perfect_meta, perfect_rows

from natostance.errors import ManyErrors, NatoStanceError
from natostance.evaluation.check import check_submission
from natostance.evaluation.folds import gold_folds
from natostance.evaluation.gold import load_gold
from natostance.evaluation.score import score

DATASET = Path(__file__).resolve().parents[2] / "dataset"
FAST = {"resamples": 100}
CASES = [("temporal", s) for s in ("train", "validation", "test", "all")] + [("cv", None)]


def _defined_figures(doc):
    """(where, figure) for every figure of a result: task metrics and every breakdown's metrics."""
    for task, t in doc["tasks"].items():
        for name, f in t["metrics"].items():
            yield f"{task}.{name}", f
        for b in t.get("breakdowns", []):
            for name, f in b["metrics"].items():
                yield f"{task}.{b['by']}={b['group']}.{name}", f


@pytest.fixture(scope="module", params=[GOLD_DIR, DATASET], ids=["fixture", "dataset"])
def perfect(request, tmp_path_factory):
    gold = load_gold(request.param)
    folder = tmp_path_factory.mktemp("perfect")
    paths = {}
    for protocol in ("temporal", "cv"):
        path = folder / f"perfect-{protocol}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in perfect_rows(gold)))
        path.with_suffix(".meta.json").write_text(json.dumps(perfect_meta(gold, protocol)))
        paths[protocol] = path
    return gold, paths


@pytest.mark.parametrize("protocol,split", CASES)
def test_a_perfect_submission_scores_one_on_every_defined_figure(perfect, protocol, split):
    gold, paths = perfect
    doc = score(gold, paths[protocol], split, protocol=protocol, **FAST).doc
    expected_articles = gold.gold_articles(split or "all")
    assert doc["protocol"] == protocol and set(doc["tasks"]) == {
        "sentence_stance", "article_stance", "claim_detection", "claim_spans"
    }
    defined = undefined = 0
    for where, f in _defined_figures(doc):
        if f["value"] is None:
            undefined += 1
            assert f["undefined"] and f["ci_low"] is None, where  # says why, claims no interval
            continue
        defined += 1
        assert f["value"] == pytest.approx(1.0, abs=1e-12), where
        assert f["ci_low"] == pytest.approx(1.0, abs=1e-12) and f["ci_high"] == pytest.approx(1.0, abs=1e-12), where
    assert defined >= 4  # at least every headline (checked below)
    has_claims = any(c["article_id"] in expected_articles for c in gold.claims)
    for task, t in doc["tasks"].items():
        head = t["metrics"][t["headline"]]
        if task.startswith("claim") and not has_claims:  # no gold claim in these articles: nothing to find
            assert head["value"] is None and "gold" in head["undefined"], task
        else:
            assert head["value"] == pytest.approx(1.0, abs=1e-12), task
        assert t["clusters"] == len(expected_articles)
    # per class: exactly the classes absent from this split's gold are undefined, with the reason
    for task, unit in (("sentence_stance", "sentence"), ("article_stance", "article")):
        present = {r["label"] for r in gold.stance if r["unit_type"] == unit and r["article_id"] in expected_articles}
        for c in doc["tasks"][task]["confusion_matrix"]["labels"]:
            f1 = doc["tasks"][task]["metrics"][f"f1_{c}"]
            assert (f1["value"] == 1.0) if c in present else (f1["undefined"] == f"{c} occurs in neither gold nor predictions")


def test_perfect_under_cv_has_a_breakdown_per_fold(perfect):
    gold, paths = perfect
    doc = score(gold, paths["cv"], protocol="cv", **FAST).doc
    folds = gold_folds(gold)
    assert doc["folds"]["k"] == len(folds) and doc["split"] == "all"
    groups = [b for b in doc["tasks"]["claim_detection"]["breakdowns"] if b["by"] == "fold"]
    assert len(groups) == len(folds) and sum(b["support_articles"] for b in groups) == len(gold.gold_articles())


def test_the_checker_holds_a_cv_submission_to_every_article_and_its_declared_protocol(tmp_path):
    gold = load_gold(GOLD_DIR)
    rows = perfect_rows(gold)
    path = tmp_path / "cv.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    meta = tmp_path / "cv.meta.json"
    meta.write_text(json.dumps(perfect_meta(gold, "cv")))
    assert check_submission(path, gold=GOLD_DIR, protocol="cv").protocol == "cv"
    with pytest.raises(ManyErrors, match=r"protocol: expected 'temporal', found 'cv' \(score it with --protocol cv\)"):
        check_submission(path, gold=GOLD_DIR)
    meta.write_text(json.dumps(perfect_meta(gold)))  # no protocol: temporal
    with pytest.raises(ManyErrors, match=r"protocol: expected 'cv', found 'temporal'"):
        check_submission(path, gold=GOLD_DIR, protocol="cv")
    meta.write_text(json.dumps(perfect_meta(gold, "cv")))
    first = gold.gold_articles()[0]
    held_out = {s for s in gold.sentences_of[first]} | {first}
    path.write_text("".join(json.dumps(r) + "\n" for r in rows if r.get("unit_id") not in held_out))
    with pytest.raises(ManyErrors) as info:
        check_submission(path, gold=GOLD_DIR, protocol="cv")
    assert all("(protocol cv: every gold article), found none" in str(e) for e in info.value.errors)
    assert any(first in str(e) for e in info.value.errors)
    with pytest.raises(NatoStanceError, match="protocol cv scores every gold article: a split \\('test'\\) does not apply"):
        check_submission(path, gold=GOLD_DIR, split="test", protocol="cv")


def test_a_cv_system_may_list_every_split_in_trained_on(tmp_path):
    gold = load_gold(GOLD_DIR)
    path = tmp_path / "cv.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in perfect_rows(gold)))
    every = ["train", "validation", "test"]
    path.with_suffix(".meta.json").write_text(json.dumps(dict(perfect_meta(gold, "cv"), trained_on=every)))
    assert score(gold, path, protocol="cv", **FAST).doc["tasks"]["sentence_stance"]["clusters"] == 5
