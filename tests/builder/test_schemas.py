"""The contract in schemas/: valid 2020-12 schemas, labels only by reference, Parquet exactly as derived."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest

from natostance import labels, records

SCHEMAS = sorted(labels.schema_dir().glob("*.json"))
DATASET = Path(__file__).resolve().parents[2] / "dataset"


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_every_schema_is_valid_draft_2020_12(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for v in node.values():
            yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


@pytest.mark.parametrize("config", sorted(records.CONFIGS))
def test_label_sets_are_referenced_never_copied(config):
    schema = records.record_schema(config)
    for ref in _refs(schema):
        assert ref.startswith(labels.LABELS_URI + "#/$defs/") and ref.rsplit("/", 1)[1] in labels.label_defs()
    enums = [tuple(p["enum"]) for p in schema["properties"].values() if "enum" in p]
    for kind in labels.label_defs():
        assert labels.labels(kind) not in enums, f"{config} copies the {kind} label set"


def test_label_values_are_checked_by_the_row_validator():
    row = {"sentence_id": "0123456789abcdef-0000-01234567", "article_id": "0123456789abcdef", "split": "dev",
           "index": 0, "paragraph": 0, "start": 0, "end": 3, "text": "abc"}
    assert records.row_errors("sentences", row) == ['split: "dev" is not one of "train", "validation" or "test"']


@pytest.mark.parametrize("config", sorted(records.CONFIGS))
def test_committed_parquet_has_the_derived_schema_and_sorted_metadata(config):
    expected = records.arrow_schema(config)
    for path in sorted((DATASET / "data" / config).glob("*.parquet")):
        got = pq.read_schema(path)
        assert got.remove_metadata() == expected.remove_metadata()
        for f in expected:
            assert got.field(f.name).metadata == f.metadata
        keys = list(got.metadata)
        assert keys == sorted(keys)
        assert got.metadata[b"dataset_version"] and got.metadata[b"config"] == config.encode()
        meta = pq.read_metadata(path)
        assert meta.row_group(0).column(0).compression == "ZSTD"
