"""The committed dataset really loads with ``datasets.load_dataset`` (fresh cache: the local-folder cache is
keyed on the card, not on file contents), with named splits and the features the schemas declare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from natostance import records

DATASET = Path(__file__).resolve().parents[2] / "dataset"


@pytest.fixture(scope="module")
def load(tmp_path_factory):
    datasets = pytest.importorskip("datasets")
    cache = tmp_path_factory.mktemp("hf-cache")

    def _load(config):
        return datasets.load_dataset(str(DATASET), config, cache_dir=str(cache), download_mode="force_redownload")

    return _load


@pytest.mark.parametrize("config", ["articles", "sentences"])
def test_load_dataset_gives_named_splits_and_declared_features(load, config):
    from datasets import Features

    ds = load(config)
    manifest = json.loads((DATASET / "manifest.json").read_text())
    assert {s: len(ds[s]) for s in ds} == manifest["rows"][config]
    expected = Features.from_arrow_schema(records.arrow_schema(config))
    for split in ds:
        assert ds[split].features == expected
    if config == "articles":
        assert ds["train"].features["text"].dtype == "large_string"
    else:
        row = ds["test"][0]
        assert set(row) == set(records.record_schema("sentences")["properties"])
