"""Cross-validation folds by article: deterministic, every gold article in exactly one fold, balanced, published
in the dataset and checked by ``natostance validate``; cv baselines predict each article out of fold."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from eval_helpers import GOLD_DIR
from hypothesis import given, settings
from hypothesis import strategies as st

from natostance.errors import ManyErrors
from natostance.evaluation.baselines import common as C
from natostance.evaluation.baselines import run_baseline
from natostance.evaluation.folds import GROUPED, LOAO, MAX_FOLDS, assign, folds_problems, gold_folds, read_folds
from natostance.evaluation.gold import load_gold
from natostance.labels import labels

DATASET = Path(__file__).resolve().parents[2] / "dataset"


def test_up_to_max_folds_articles_is_leave_one_article_out():
    folds = assign({f"a{i}": 10 - i for i in range(5)})
    assert folds.scheme == LOAO and folds.folds == tuple((f"a{i}",) for i in range(5))


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text("abcdef0123", min_size=1, max_size=8), st.integers(1, 400), min_size=MAX_FOLDS + 1,
                       max_size=120), st.randoms(use_true_random=False))
def test_grouped_k_fold_is_a_balanced_partition_independent_of_input_order(units, rnd):
    folds = assign(units)
    members = [a for f in folds.folds for a in f]
    assert folds.scheme == GROUPED and len(folds) == MAX_FOLDS
    assert sorted(members) == sorted(units) and len(members) == len(set(members))  # each article exactly once
    loads = [sum(units[a] for a in f) for f in folds.folds]
    assert max(loads) - min(loads) <= max(units.values())  # greedy largest-first bound
    keys = list(units)
    rnd.shuffle(keys)
    assert assign({k: units[k] for k in keys}) == folds  # the order articles come in does not matter


def test_the_seed_breaks_ties_between_equally_large_articles():
    units = {f"art{i:02d}": 5 for i in range(40)}
    a, b = assign(units, seed=1), assign(units, seed=2)
    assert a == assign(dict(reversed(units.items())), seed=1) and a.folds != b.folds
    assert {len(f) for f in a.folds} == {4}  # equal articles: equal folds


def test_the_published_folds_are_the_gold_folds_and_validate_checks_them(tmp_path):
    published = read_folds(DATASET / "folds.json")
    gold = load_gold(DATASET)
    assert published == gold_folds(gold)
    assert sorted(a for f in published.folds for a in f) == gold.gold_articles()
    doc = json.loads((DATASET / "folds.json").read_text())
    counts = Counter(r["article_id"] for r in gold.stance)
    assert [f["stance_rows"] for f in doc["folds"]] == [sum(counts[a] for a in f) for f in published.folds]
    assert folds_problems(DATASET) == []
    copy = tmp_path / "dataset"
    shutil.copytree(DATASET, copy, ignore=shutil.ignore_patterns("raw"))
    doc["folds"][0]["articles"], doc["folds"][1]["articles"] = doc["folds"][1]["articles"], doc["folds"][0]["articles"]
    (copy / "folds.json").write_text(json.dumps(doc))
    [problem] = folds_problems(copy)
    assert problem.startswith(f"{copy / 'folds.json'}: expected leave-one-article-out") and "other members" in problem
    from natostance.publish.validation import validate

    with pytest.raises(ManyErrors, match="folds.json: expected"):
        validate(copy)


def test_an_unreadable_folds_file_is_named(tmp_path):
    from natostance.errors import InputError

    for text, found in (("[1]", "'list'"), ('{"format": "x"}', "'x'")):
        (tmp_path / "folds.json").write_text(text)
        with pytest.raises(InputError, match=f"folds.json: expected format 'natostance-folds/1', found {found}"):
            read_folds(tmp_path / "folds.json")
    (tmp_path / "folds.json").write_bytes(b"\xff")
    with pytest.raises(InputError, match="folds.json: expected UTF-8 text, found byte 0xff at offset 0"):
        read_folds(tmp_path / "folds.json")


def test_cv_folds_hold_each_article_out_exactly_once():
    gold = load_gold(GOLD_DIR)
    folds = C.cv_folds(gold)
    held = [a for f in folds for a in f.predict]
    assert sorted(held) == gold.gold_articles() and len(held) == len(set(held))
    assert all(not (f.train & f.predict) and f.train | f.predict == set(gold.gold_articles()) for f in folds)


def test_majority_under_cv_learns_only_from_the_other_articles(tmp_path):
    gold = load_gold(GOLD_DIR)
    path = run_baseline("majority", gold, tmp_path / "m.jsonl", protocol="cv")
    rows = [json.loads(x) for x in path.open()]
    meta = json.loads(path.with_suffix(".meta.json").read_text())
    assert meta["protocol"] == "cv" and meta["parameters"]["cv_models"] == len(gold_folds(gold))
    sentence_article = {s: a for a in gold.gold_articles() for s in gold.sentences_of[a]}
    stance = labels("stance")
    for r in (r for r in rows if r["task"] == "sentence_stance"):
        held = sentence_article[r["unit_id"]]
        others = [g["label"] for g in gold.stance
                  if g["unit_type"] == "sentence" and g["article_id"] != held and g["target"] == r["target"]]
        overall = [g["label"] for g in gold.stance if g["unit_type"] == "sentence" and g["article_id"] != held]
        assert r["label"] == C.most_common(others or [C.most_common(overall, stance)], stance)
    keys = [(r["task"], r.get("unit_id"), r.get("target")) for r in rows if r["task"] != "claim_spans"]
    assert len(keys) == len(set(keys))  # one out-of-fold prediction per unit


def test_a_zero_shot_baseline_runs_once_under_cv(tmp_path):
    path = run_baseline("rules", GOLD_DIR, tmp_path / "r.jsonl", protocol="cv")
    meta = json.loads(path.with_suffix(".meta.json").read_text())
    assert meta["protocol"] == "cv" and meta["trained_on"] == [] and meta["parameters"]["cv_models"] == 1
