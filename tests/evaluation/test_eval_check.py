"""The checker: one named fixture per failure, each with its exact messages; all errors at once."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.errors import ManyErrors
from natostance.evaluation.check import check, check_submission
from natostance.evaluation.shape import read_shape, shape_from_gold, write_shape
from natostance.evaluation.submission import read_submission
from natostance.labels import labels

S = SUBMISSIONS
MISSING_UKRAINE = (
    "sentence_stance: expected a prediction for unit_id 'a4-0001' target 'ukraine' (split test), found none"
)
NEW_VERSION = "dataset_version: expected 0.1.0, found 0.0.9 (the submission was made for another dataset version)"
# the label lists in messages come from the label file, never from a copy
LABEL_ENUM = f'label: expected one of {", ".join(labels("stance"))}, found "FAVOR"'
TARGET_ENUM = f'target: expected one of {", ".join(labels("target"))}, found "china"'

EXPECTED = {
    "NOTOK_missing_id": [f"{S}/NOTOK_missing_id.jsonl: {MISSING_UKRAINE}"],
    "NOTOK_unknown_id": [
        f"{S}/NOTOK_unknown_id.jsonl:4: sentence_stance unit_id 'a9-0000': "
        "expected a sentence id of the gold, found an unknown id"
    ],
    "NOTOK_duplicate_id": [
        f"{S}/NOTOK_duplicate_id.jsonl:21: duplicate sentence_stance prediction for a4-0000/nato, "
        f"first given at {S}/NOTOK_duplicate_id.jsonl:1"
    ],
    "NOTOK_unknown_label": [f"{S}/NOTOK_unknown_label.jsonl:2 (unit_id 'a4-0000'): {LABEL_ENUM}"],
    # a row refused for its target is reported once, not again as the prediction missing for its unit
    "NOTOK_unknown_target": [f"{S}/NOTOK_unknown_target.jsonl:1 (unit_id 'a4-0000'): {TARGET_ENUM}"],
    "NOTOK_target_not_in_shape": [
        f"{S}/NOTOK_target_not_in_shape.jsonl:1: sentence_stance unit_id 'a4-0000': expected a target in (nato, russia), "
        "found 'europe'",
    ],
    "NOTOK_bad_offsets": [
        f"{S}/NOTOK_bad_offsets.jsonl:18: claim_spans article_id 'a4': expected 0 <= start < end <= 86, found start 36, end 36",
        f"{S}/NOTOK_bad_offsets.jsonl:19: claim_spans article_id 'a4': expected 0 <= start < end <= 86, found start 38, end 500",
    ],
    "NOTOK_wrong_version": [f"{S}/NOTOK_wrong_version.meta.json: {NEW_VERSION}"],
    "NOTOK_trained_on_test": [
        f"{S}/NOTOK_trained_on_test.meta.json: the system declares training or tuning on split "
        "'test' (trained_on/tuned_on); refusing to score it there"
    ],
    "NOTOK_bad_json": [
        f"{S}/NOTOK_bad_json.jsonl:3: expected a JSON object, found invalid JSON (Expecting ',' delimiter at column 110)",
        f"{S}/NOTOK_bad_json.jsonl: {MISSING_UKRAINE}",
    ],
    "NOTOK_missing_meta": [
        f"{S}/NOTOK_missing_meta.meta.json: expected the submission's metadata file, found nothing there"
    ],
    "NOTOK_many_errors": [
        f"{S}/NOTOK_many_errors.meta.json: {NEW_VERSION}",
        f"{S}/NOTOK_many_errors.jsonl:2 (unit_id 'a4-0000'): {LABEL_ENUM}",
        f"{S}/NOTOK_many_errors.jsonl:3 (unit_id 'a4-0001'): {TARGET_ENUM}",
        f"{S}/NOTOK_many_errors.jsonl:20 (unit_id 'a4-0000'): checkworthy: expected boolean, found \"yes\"",
        f"{S}/NOTOK_many_errors.jsonl: claim_detection: expected a prediction for unit_id 'a5-0001' (split test), found none",
    ],
}


def test_every_failure_fixture_is_tested():
    assert {p.name.split(".")[0] for p in S.glob("NOTOK_*.jsonl")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_failure_fixture_gives_exact_messages(name):
    with pytest.raises(ManyErrors) as info:
        check_submission(S / f"{name}.jsonl", gold=GOLD_DIR)
    assert [str(e) for e in info.value.errors] == EXPECTED[name]
    assert str(info.value).startswith(f"{len(EXPECTED[name])} error(s) in submission")


def test_ok_fixture_passes_in_every_format(tmp_path, ok_rows):
    by_jsonl = check_submission(S / "ok.jsonl", gold=GOLD_DIR)
    by_csv = check_submission(S / "ok.csv", gold=GOLD_DIR, meta=S / "ok.meta.json")
    columns = sorted({k for r in ok_rows for k in r})  # nulls where a task has no such field
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in columns} for r in ok_rows]), tmp_path / "ok.parquet")
    by_parquet = check_submission(tmp_path / "ok.parquet", gold=GOLD_DIR, meta=S / "ok.meta.json")
    assert by_jsonl.tasks == ("sentence_stance", "article_stance", "claim_detection", "claim_spans")
    assert by_jsonl.by_task == by_csv.by_task == by_parquet.by_task
    assert (
        by_jsonl.spans
        == by_csv.spans
        == by_parquet.spans
        == {"a4": ((0, 36, "Lavrov"), (38, 55, None)), "a5": ((0, 30, "Kremlin"),)}
    )


def test_published_shape_checks_like_the_gold(tmp_path, gold):
    path = write_shape(shape_from_gold(gold), tmp_path / "shape.json")
    doc = json.loads(path.read_text())
    assert "label" not in path.read_text() and doc["format"] == "natostance-shape/1"
    assert read_shape(path) == shape_from_gold(gold)
    for name in ("ok", "NOTOK_missing_id"):
        outcomes = []
        for kw in ({"shape": path}, {"gold": GOLD_DIR}):
            try:
                outcomes.append(check_submission(S / f"{name}.jsonl", **kw).by_task)
            except ManyErrors as exc:
                outcomes.append([str(e) for e in exc.errors])
        assert outcomes[0] == outcomes[1]


def test_rows_of_other_splits_are_set_aside_but_unknown_ids_are_not(write_sub, ok_rows, ok_meta, gold):
    extra = {"task": "sentence_stance", "unit_id": "a1-0000", "target": "nato", "label": "none"}
    preds = check(read_submission(write_sub(ok_rows + [extra], ok_meta)), shape_from_gold(gold), "test")
    assert preds.set_aside == 1 and ("a1-0000", "nato") not in preds.by_task["sentence_stance"]


def test_split_all_is_refused_for_a_trained_system_and_allowed_for_zero_shot(write_sub, ok_rows, ok_meta, gold):
    shape = shape_from_gold(gold)
    with pytest.raises(
        ManyErrors,
        match="--split all needs a system that trained and tuned on no split, found "
        "trained_on/tuned_on train, validation",
    ):
        check(read_submission(write_sub(ok_rows, ok_meta)), shape, "all")
    zero = dict(ok_meta, trained_on=[], tuned_on=[])
    with pytest.raises(ManyErrors, match="expected a prediction for unit_id 'a1-0000' target 'nato' \\(split all\\)"):
        check(read_submission(write_sub(ok_rows, zero)), shape, "all")


def test_schema_errors_name_field_expected_and_found(write_sub, ok_meta, gold):
    rows = [
        {"task": "claim_spans", "article_id": "a4", "start": -1, "extra": 1},
        {"task": "nonsense", "unit_id": "x"},
        {"no_task": True},
    ]
    meta = dict(ok_meta, training_cutoff="2024-13-01", trained_on=["tst"])
    with pytest.raises(ManyErrors) as info:
        check(read_submission(write_sub(rows, meta, "bad")), shape_from_gold(gold), "test")
    text = [str(e).split(": ", 1)[1] for e in info.value.errors]
    assert text == [
        f'trained_on.0: expected one of {", ".join(labels("split"))}, found "tst"',
        'training_cutoff: expected a date (YYYY-MM-DD) or null, found "2024-13-01"',
        "missing field(s) end",
        "start: expected >= 0, found -1",
        "unexpected field(s) extra",
        'task: expected one of sentence_stance, article_stance, claim_detection, claim_spans, found "nonsense"',
        "unexpected field(s) unit_id",
        "missing field(s) task",
        "unexpected field(s) no_task",
    ]


def test_empty_submission_is_an_error(write_sub, ok_meta, gold):
    with pytest.raises(ManyErrors, match="expected at least one prediction row, found none"):
        check(read_submission(write_sub([], ok_meta, "empty")), shape_from_gold(gold), "test")


def test_non_finite_ranking_scores_are_refused(write_sub, ok_rows, ok_meta, gold):
    rows = [
        dict(r, score=float("nan")) if r.get("unit_id") == "a5-0000" and r["task"] == "claim_detection" else r
        for r in ok_rows
    ]
    path = write_sub(rows, ok_meta, "nan")
    with pytest.raises(ManyErrors) as info:
        check(read_submission(path), shape_from_gold(gold), "test")
    assert [str(e) for e in info.value.errors] == [
        f"{path}:16: claim_detection unit_id 'a5-0000': score: expected a finite number, found NaN"
    ]
