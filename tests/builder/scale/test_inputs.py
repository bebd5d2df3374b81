"""Inputs beyond a folder of files: JSON-lines dumps compressed (.gz, .zst) and read in parts with true
line numbers, and WARC files (datatrove's record parser, the builder's HTML reader). Rows equal a local
build of the same articles as plain files; only where they came from differs."""

from __future__ import annotations

import gzip
import io
import json
import random
import sys
from pathlib import Path

import pytest

from natostance.builder import scale
from natostance.builder.pipeline import BuildOptions, build
from natostance.parquet_io import read_config

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from synth import _article, _html, seed_paragraphs  # noqa: E402

WHERE = ("source_file", "source_line", "source_sha256", "url")


def rows(out: Path, config: str, drop: tuple[str, ...] = ()) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in drop} for r in read_config(out, config)]


@pytest.fixture(scope="module")
def dump_lines() -> list[str]:
    rng, paras = random.Random(3), seed_paragraphs()
    lines = []
    for i in range(300):
        title, body = _article(rng, paras)
        lines.append(json.dumps({"text": "\n\n".join(body), "title": title, "published": "2023-05-01"}))
    lines[10] = "{not json"  # a bad line is rejected with its line number, the rest still read
    return lines


def test_compressed_dumps_read_in_parts_equal_the_plain_dump(dump_lines, tmp_path):
    import zstandard

    data = ("\n".join(dump_lines) + "\n").encode("utf-8")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "dump.jsonl").write_bytes(data)
    (tmp_path / "packed").mkdir()
    (tmp_path / "packed" / "a.jsonl.gz").write_bytes(gzip.compress(data, mtime=0))
    (tmp_path / "packed" / "b.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
    opts = BuildOptions(keep_going=True, max_article_bytes=20_000)  # files over it are streamed line by line
    build(tmp_path / "plain", tmp_path / "local", opts)
    report = scale.build(tmp_path / "packed", tmp_path / "dt", opts, scale.ScaleOptions(tasks=2, workers=1))
    local = read_config(tmp_path / "local", "articles")
    dt = read_config(tmp_path / "dt", "articles")
    # both compressed copies hold the same lines: the second is rejected as a duplicate, line by line
    assert len(dt) == len(local) == 299
    assert [r["source_file"] for r in dt] == ["a.jsonl.gz"] * 299
    strip = lambda rs: [{k: v for k, v in r.items() if k != "source_file"} for r in rs]  # noqa: E731
    assert strip(dt) == strip(local)  # same ids, text, line numbers
    assert rows(tmp_path / "dt", "sentences") == rows(tmp_path / "local", "sentences")
    bad = [r for r in report.rejected if "malformed JSON" in r.reason]
    assert [r.where for r in bad] == ["a.jsonl.gz:11", "b.jsonl.zst:11"]
    assert report.steps["dropped"]["duplicate"] == 299


def test_warc_pages_equal_the_same_pages_as_files(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng, paras = random.Random(5), seed_paragraphs()
    pages = [_html(*_article(rng, paras), rng) for _ in range(12)]
    (tmp_path / "files").mkdir()
    (tmp_path / "crawl").mkdir()
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i, page in enumerate(pages):
        (tmp_path / "files" / f"{i:03d}.html").write_text(page, encoding="utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://example.org/news/{i}", "response", payload=io.BytesIO(page.encode("utf-8")),
            http_headers=headers, warc_headers_dict={"WARC-Identified-Payload-Type": "text/html"}))
    (tmp_path / "crawl" / "crawl-00000.warc.gz").write_bytes(buf.getvalue())
    build(tmp_path / "files", tmp_path / "local")
    report = scale.build(tmp_path / "crawl", tmp_path / "dt", BuildOptions(), scale.ScaleOptions(tasks=1, workers=1))
    assert report.steps["articles_out"] == len(pages)
    dt = rows(tmp_path / "dt", "articles")
    assert rows(tmp_path / "dt", "articles", WHERE) == rows(tmp_path / "local", "articles", WHERE)
    assert {r["source_file"] for r in dt} == {"crawl-00000.warc.gz"}
    assert sorted(r["url"] for r in dt) == sorted(f"https://example.org/news/{i}" for i in range(12))
    assert sorted(r["source_line"] for r in dt) == list(range(1, len(pages) + 1))  # WARC record numbers
    assert rows(tmp_path / "dt", "sentences") == rows(tmp_path / "local", "sentences")


def test_shards_are_contiguous_balanced_and_cover_every_file_once():
    import random

    from natostance.builder.scale.inputs import shard

    def reference(files, rank, world):  # each file to the task its first byte falls in
        total = sum(f[1] for f in files) or 1
        out, start = [], 0
        for i, f in enumerate(files):
            if min(world - 1, start * world // total) == rank:
                out.append(i)
            start += f[1]
        return out

    rng = random.Random(2)
    for _ in range(300):
        files = [[f"{i}", rng.choice([0, 1, rng.randint(1, 10**6)]), 0] for i in range(rng.randint(0, 60))]
        world = rng.randint(1, 12)
        parts = [shard(files, r, world) for r in range(world)]
        assert parts == [reference(files, r, world) for r in range(world)]
        assert [i for p in parts for i in p] == list(range(len(files)))


def test_limits_and_quantile_splits_hold_on_datatrove_as_locally(dump_lines, tmp_path):
    import os

    raw = tmp_path / "raw"
    raw.mkdir()
    lines = [json.dumps({**json.loads(line), "published": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"})
             for i, line in enumerate(dump_lines) if not line.startswith("{not")]
    lines[5] = json.dumps({"text": "NATO. " * 10_000, "published": "2023-01-01"})  # over the cap below
    (raw / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (raw / "big.txt").write_text("NATO met. " * 5_000, encoding="utf-8")
    (tmp_path / "outside.txt").write_text("Not for the dataset.", encoding="utf-8")
    os.symlink(tmp_path / "outside.txt", raw / "link.txt")
    opts = BuildOptions(keep_going=True, max_article_bytes=40_000,
                        split={"validation_quantile": 0.7, "test_quantile": 0.85, "undated": "drop"})
    local = build(raw, tmp_path / "local", opts)
    dt = scale.build(raw, tmp_path / "dt", opts, scale.ScaleOptions(tasks=2, workers=1))
    assert {r.where: r.reason for r in dt.rejected} == {r.where: r.reason for r in local.rejected}
    assert {"link.txt", "big.txt", "dump.jsonl:6"} <= {r.where for r in local.rejected}
    assert rows(tmp_path / "dt", "articles") == rows(tmp_path / "local", "articles")
    assert [n for n in dt.notes if n.startswith("split quantiles")] == [n for n in local.notes if n.startswith("split quantiles")]
    assert not (tmp_path / "dt" / "raw" / "link.txt").exists()
