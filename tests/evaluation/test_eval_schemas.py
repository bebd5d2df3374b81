"""The JSON Schemas of submissions, metadata and gold: valid 2020-12, label fields resolve to the label file."""

from __future__ import annotations

import json

import pytest
from eval_helpers import GOLD_DIR, SUBMISSIONS
from jsonschema import Draft202012Validator

from natostance.evaluation import schemas
from natostance.labels import labels, schema_dir

MINE = ("submission.schema.json", "submission-meta.schema.json", "gold-stance.schema.json", "gold-claim.schema.json")


@pytest.mark.parametrize("name", MINE)
def test_schema_is_valid_2020_12_and_registered_by_id(name):
    doc = json.loads((schema_dir() / name).read_text())
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schemas.registry().contents(doc["$id"]) == doc


def test_label_fields_take_exactly_the_label_file_sets():
    base = {"task": "sentence_stance", "unit_id": "s", "target": labels("target")[0], "label": labels("stance")[0]}
    for field, kind in (("target", "target"), ("label", "stance"), ("holder", "holder")):
        for value in labels(kind):
            assert schemas.problems(schemas.SUBMISSION, dict(base, **{field: value})) == []
        assert schemas.problems(schemas.SUBMISSION, dict(base, **{field: "x"}))
    meta = json.loads((SUBMISSIONS / "ok.meta.json").read_text())
    assert schemas.problems(schemas.META, dict(meta, trained_on=list(labels("split")))) == []


def test_fixture_gold_and_submissions_validate():
    for config, sid in (("stance", schemas.GOLD_STANCE), ("claims", schemas.GOLD_CLAIM)):
        for line in (GOLD_DIR / f"{config}.jsonl").open():
            assert schemas.problems(sid, json.loads(line)) == []
    for line in (SUBMISSIONS / "ok.jsonl").open():
        assert schemas.problems(schemas.SUBMISSION, json.loads(line)) == []
    assert schemas.problems(schemas.META, json.loads((SUBMISSIONS / "ok.meta.json").read_text())) == []


def test_fast_and_reference_validators_agree_on_every_fixture_row():
    fast = schemas.fast_validator(schemas.SUBMISSION)
    if fast is None:
        pytest.skip("jsonschema_rs not installed: only the reference validator runs")
    reference = schemas.validator(schemas.SUBMISSION)
    rows = []
    for path in sorted(SUBMISSIONS.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    rows += [
        {"task": "claim_spans", "article_id": "a", "start": 1, "end": 2, "extra": 1},
        {"task": "x"},
        {},
        {"task": "sentence_stance", "unit_id": "", "target": "nato", "label": "none"},
    ]
    assert len(rows) > 200
    for row in rows:
        assert fast.is_valid(row) == reference.is_valid(row), row
    meta = json.loads((SUBMISSIONS / "ok.meta.json").read_text())
    for bad in (dict(meta, training_cutoff="2024-13-01"), dict(meta, trained_on=["x"]), dict(meta, extra=1), meta):
        assert schemas.fast_validator(schemas.META).is_valid(bad) == schemas.validator(schemas.META).is_valid(bad)


@pytest.mark.parametrize(("gold_file", "config"), [("gold-stance", "stance"), ("gold-claim", "claims")])
def test_gold_file_schemas_declare_no_field_of_their_own(gold_file, config):
    """One contract: a gold file's fields are the dataset config's, by $ref; only 'required' is relaxed."""
    gold = json.loads((schema_dir() / f"{gold_file}.schema.json").read_text())
    dataset = json.loads((schema_dir() / f"{config}.schema.json").read_text())
    assert list(gold["properties"]) == list(dataset["properties"])
    for name, prop in gold["properties"].items():
        assert prop == {"$ref": f"urn:natostance:schemas:{config}#/properties/{name}"}
    assert set(gold["required"]) < set(dataset["required"])


def test_a_dataset_row_is_a_gold_row_and_a_broken_one_is_named():
    row = {"unit_id": "a-0000-00000000", "unit_type": "sentence", "article_id": "a", "split": "test",
           "target": "nato", "label": "against", "holder": "quoted", "source": "majority", "n_annotators": 2}
    assert schemas.problems(schemas.GOLD_STANCE, row) == []
    core = {k: v for k, v in row.items() if k not in ("source", "n_annotators")}
    assert schemas.problems(schemas.GOLD_STANCE, core) == []
    assert schemas.problems(schemas.GOLD_STANCE, dict(core, label="pro")) == [
        f"label: expected one of {', '.join(labels('stance'))}, found \"pro\""
    ]
    assert schemas.problems(schemas.GOLD_STANCE, dict(core, unit_id="")) != []
    assert schemas.problems(schemas.GOLD_CLAIM, {"claim_id": "c", "article_id": "a", "split": "test", "start": 3,
                                                 "end": 0, "speaker": "author", "type": "event"}) != []
