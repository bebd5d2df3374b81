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


MANIFEST = json.loads((DATASET / "manifest.json").read_text())


def test_every_schema_config_is_in_the_committed_dataset():
    assert sorted(MANIFEST["rows"]) == sorted(records.CONFIGS)


@pytest.mark.parametrize("config", sorted(MANIFEST["rows"]))
def test_load_dataset_gives_named_splits_and_declared_features(load, config):
    from datasets import ClassLabel, Features

    ds = load(config)
    assert {s: len(ds[s]) for s in ds} == MANIFEST["rows"][config]
    expected = Features._from_yaml_list(records.hf_features(config))
    for split in ds:
        assert ds[split].features == expected
    for name, feature in expected.items():
        if isinstance(feature, ClassLabel):  # string labels in Parquet become ids with the label file's names
            assert tuple(feature.names) == tuple(records._resolve(records.record_schema(config)["properties"][name])["enum"])
    if config == "articles":
        assert ds["train"].features["text"].dtype == "large_string"
    else:
        row = ds["test"][0]
        assert set(row) == set(records.record_schema(config)["properties"])
