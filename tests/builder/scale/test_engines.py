"""datatrove's local executor against the local builder on the same corpus: same rows, schemas, rejects,
card, splits and leakage; sharded, sorted, viewer-sized files; byte-identical across two runs."""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
from dataset_copies import tree

from natostance import records

from natostance.builder import scale
from natostance.builder.pipeline import BuildOptions
from natostance.parquet_io import read_config
from natostance.publish.validation import validate


def test_rows_and_schemas_equal_the_local_builder(local_build, datatrove_build):
    out, _ = datatrove_build
    for config in ("articles", "sentences"):
        local, dt = read_config(local_build, config), read_config(out, config)
        assert len(dt) == len(local) > 0
        assert dt == local
        for f in sorted((out / "data" / config).glob("*.parquet")):
            assert pq.read_schema(f) == pq.read_schema(next((local_build / "data" / config).glob("*.parquet")))


def test_card_splits_rejects_and_leakage_equal_the_local_builder(local_build, datatrove_build):
    out, report = datatrove_build
    for name in ("README.md", "splits.json", "rejects.jsonl", "raw/sources.yaml"):
        assert (out / name).read_bytes() == (local_build / name).read_bytes(), name
    local, dt = (json.loads((d / "manifest.json").read_text()) for d in (local_build, out))
    assert {k: v for k, v in dt.items() if k != "files"} == {k: v for k, v in local.items() if k != "files"}
    assert local["leakage"] and local["rejected"]  # the corpus exercises both
    reasons = [r["reason"] for r in local["rejected"]]
    assert any(r.startswith("duplicate of ") for r in reasons) and any("empty" in r for r in reasons)


def test_report_has_per_step_statistics(datatrove_build, local_build):
    _, report = datatrove_build
    steps, rows = report.steps, json.loads((local_build / "manifest.json").read_text())["rows"]
    assert steps["articles_out"] == sum(rows["articles"].values())
    assert steps["sentences_out"] == sum(rows["sentences"].values())
    assert steps["records_in"] == steps["articles_out"] + sum(steps["dropped"].values())
    assert steps["dropped"]["duplicate"] == 1 and steps["dropped"]["file is empty"] == 1
    assert report.engine["tasks_run"] == 4 and report.engine["tasks_skipped"] == 0
    text = report.summary()
    assert "engine: datatrove 0.10.1 (local), 4 task(s)" in text and "dropped duplicate" in text


def test_shards_are_named_sorted_viewer_sized_and_valid(datatrove_build):
    out, report = datatrove_build
    for config in ("articles", "sentences"):
        files = sorted((out / "data" / config).glob("*.parquet"))
        for split in report.rows[config]:
            mine = [f.name for f in files if f.name.startswith(f"{split}-")]
            assert mine == [f"{split}-{i:05d}-of-{len(mine):05d}.parquet" for i in range(len(mine))]
        assert len(files) > len(report.rows[config])  # more than one shard per split
        key = records.key(config)[0]
        for f in files:
            ids = pq.read_table(f, columns=[key]).column(key).to_pylist()
            assert ids == sorted(ids)
            meta = pq.read_metadata(f)
            assert all(meta.row_group(i).total_byte_size <= 100_000_000 for i in range(meta.num_row_groups))
        assert all(re.fullmatch(r"(train|validation|test)-\d{5}-of-\d{5}\.parquet", f.name) for f in files)
    assert validate(out).rows == {c: sum(n.values()) for c, n in report.rows.items()}
    assert not any(p.name.endswith(".datatrove") for p in out.parent.iterdir())  # work folder removed


def test_two_runs_are_byte_identical(corpus, datatrove_build, tmp_path):
    out, _ = datatrove_build
    again = tmp_path / "again"
    scale.build(corpus, again, BuildOptions(keep_going=True), scale.ScaleOptions(tasks=4, workers=1))
    assert tree(again) == tree(out)


def test_spilled_task_state_and_bucketed_finish_equal_the_local_builder(corpus, local_build, tmp_path, monkeypatch):
    """Tiny thresholds: every task spills summaries and fingerprints, the finish step merges 256 id buckets
    and walks fingerprint ranges (workers=1 runs the tasks in this process, so the patches reach them)."""
    from natostance import parquet_io
    from natostance.builder import articleindex
    from natostance.builder import leakage

    monkeypatch.setattr(parquet_io, "BUCKET_BYTES", 50_000)
    monkeypatch.setattr(articleindex, "FLUSH_ROWS", 40)
    monkeypatch.setattr(leakage, "RUN_SIZE", 2_000)
    out = tmp_path / "out"
    scale.build(corpus, out, BuildOptions(keep_going=True), scale.ScaleOptions(tasks=3, workers=1))
    for name in ("README.md", "splits.json", "rejects.jsonl", "croissant.json"):
        assert (out / name).read_bytes() == (local_build / name).read_bytes(), name
    local, dt = (json.loads((d / "manifest.json").read_text()) for d in (local_build, out))
    assert {k: v for k, v in dt.items() if k != "files"} == {k: v for k, v in local.items() if k != "files"}
    for config in ("articles", "sentences"):
        assert read_config(out, config) == read_config(local_build, config)
