"""The build's disk-backed state: article summaries in id buckets, sentence fingerprints in sorted runs, JSON
written item by item. Each gives the same answers as the all-in-memory form, whatever the thresholds."""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest

from natostance import parquet_io

from natostance.builder import articleindex

from natostance.builder import leakage
from natostance.builder.articleindex import ArticleIndex
from natostance.builder.pipeline import BuildOptions, build
from natostance.builder.leakage import LeakageCheck, stable_fingerprint
from natostance.publish.manifest import Streamed, dump_json
from natostance.parquet_io import read_config


def _rows(n: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    return [{"article_id": f"{rng.getrandbits(256):064x}", "source_file": f"f{i}.txt", "source_format": rng.choice("ab"),
             "outlet": rng.choice(["X", None]), "split": rng.choice(["train", "test"]),
             "split_date": rng.choice([None, f"20{rng.randint(10, 25)}-01-01"]), "removals": {"r": i % 3}}
            for i in range(n)]


def test_index_spilled_to_buckets_reads_back_in_id_order_with_the_same_counts(tmp_path):
    rows = _rows(500)
    spilled, memory = ArticleIndex(tmp_path / "ix", buckets=16, flush_rows=37), ArticleIndex()
    for r in rows:
        spilled.add(dict(r))
        memory.add(dict(r))
    assert len(list((tmp_path / "ix").glob("*.jsonl"))) == 16  # 500 random ids fill every bucket
    assert list(spilled) == list(memory) == sorted(rows, key=lambda r: r["article_id"])
    assert len(spilled) == 500
    for key in ("source_format", "outlet", "split"):
        assert spilled.by(key) == memory.by(key)
    assert spilled.by("outlet")["(unknown)"] == sum(r["outlet"] is None for r in rows)
    dates = sorted(r["split_date"] for r in rows if r["split_date"])
    assert spilled.dates == (dates[0], dates[-1])
    assert spilled.removals["r"] == sum(r["removals"]["r"] for r in rows)
    spilled.discard()
    assert not (tmp_path / "ix").exists() and len(spilled) == 500 and list(spilled) == []


def test_streamed_json_is_byte_for_byte_json_dumps(tmp_path):
    for items in ([], [{"b": [1, {"é": None}], "a": 2}, {}], [3, "x", []]):
        pairs = [(f"id{i}", v) for i, v in enumerate(items)]
        doc = {"z": 1, "list": items, "m": {"k": [1]}, "dict": dict(pairs)}
        dump_json(tmp_path / "a.json", {**doc, "list": Streamed(iter(items)), "dict": Streamed(iter(pairs), pairs=True)})
        expect = json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        assert (tmp_path / "a.json").read_text(encoding="utf-8") == expect


def _sentences(n: int, seed: int = 5) -> list[tuple[str, str, str]]:
    """(split, sentence id, text); about one in ten texts repeats in another split, some are too short."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(60)]
    texts = [" ".join(rng.choices(words, k=rng.choice([3, 8, 12]))) for _ in range(n)]
    out = []
    for i, t in enumerate(texts):
        out.append((rng.choice(["train", "validation", "test"]), f"s{i:05d}", t))
        if rng.random() < 0.1:
            out.append((rng.choice(["train", "validation", "test"]), f"r{i:05d}", t.upper() + " !"))
    return out


def test_fingerprint_runs_and_ranges_give_the_in_memory_report(tmp_path):
    sents = _sentences(3000)
    memory, spilled = LeakageCheck(stable_fingerprint), LeakageCheck(stable_fingerprint, tmp_path / "a", run_size=97)
    for s in sents:
        memory.add(*s)
        spilled.add(*s)
    assert len(list((tmp_path / "a").glob("*.npy"))) > 10  # many runs, and the report walks 2**5 ranges
    expect = memory.report()
    assert expect and sum(x["near_duplicates"] for x in expect) > 50
    assert spilled.report() == expect
    # the same sentences seen by two checks (two tasks), merged: the same report
    first, second = LeakageCheck(stable_fingerprint, tmp_path / "t0"), LeakageCheck(stable_fingerprint, tmp_path / "t1")
    half = len(sents) // 2
    for s in sents[:half]:
        first.add(*s)
    for s in sents[half:]:
        second.add(*s)
    for check in (first, second):
        check.flush()
    merged = LeakageCheck(stable_fingerprint, run_size=97)
    merged.absorb(tmp_path / "t0", first.examples.items())
    merged.absorb(tmp_path / "t1", second.examples.items())
    assert merged.report() == expect


def test_a_build_that_spills_everything_equals_the_in_memory_build(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from synth import make_corpus

    make_corpus(raw, 300, seed=11)
    (raw / "sources.yaml").write_text("split_rule:\n  validation_from: 2022-01-01\n  test_from: 2024-01-01\n")
    plain = build(raw, tmp_path / "plain", BuildOptions(keep_going=True))
    monkeypatch.setattr(parquet_io, "BUCKET_BYTES", 20_000)  # 16 id buckets
    monkeypatch.setattr(articleindex, "FLUSH_ROWS", 25)
    monkeypatch.setattr(leakage, "RUN_SIZE", 500)
    spilled = build(raw, tmp_path / "spilled", BuildOptions(keep_going=True))
    assert spilled.rows == plain.rows and spilled.by("split") == plain.by("split")
    assert plain.leakage and spilled.leakage == plain.leakage  # the recombined paragraphs leak across splits
    for name in ("README.md", "splits.json", "croissant.json", "raw/sources.yaml"):
        assert (tmp_path / "spilled" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes(), name
    manifests = [json.loads((tmp_path / d / "manifest.json").read_text()) for d in ("plain", "spilled")]
    assert [{k: v for k, v in m.items() if k != "files"} for m in manifests][0] == \
        [{k: v for k, v in m.items() if k != "files"} for m in manifests][1]
    for config in ("articles", "sentences"):
        assert read_config(tmp_path / "spilled", config) == read_config(tmp_path / "plain", config)
    assert not list(tmp_path.glob(".*work*"))  # the work folder is gone


@pytest.mark.parametrize("n, listed", [(5, True), (1001, False)])
def test_card_lists_articles_up_to_a_thousand_then_counts(n, listed):
    from natostance.publish.card import body
    from natostance.builder.report import BuildReport

    report = BuildReport(dataset_version="0.0.0", rows={"articles": {"train": n}})
    for r in _rows(n):
        report.articles.add({**r, "source_line": None, "republisher": None, "title": "t", "split_date_source": None,
                             "n_sentences": 1, "machine_translated": False})
    text = body(report)
    assert (len(re.findall(r"\| `f\d+\.txt` \|", text)) == n) is listed
    if not listed:
        assert f"{n:,} articles" in text and "| split | articles |" in text and "`splits.json`" in text
