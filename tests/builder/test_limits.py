"""Inputs a crawl can hand the builder: huge articles, deep JSON, oversize files and lines, links out of the
raw folder. Each is built or rejected by name (with --keep-going), never a traceback."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from natostance.builder.pipeline import BuildOptions, build
from natostance.cli import cli
from natostance.errors import ManyErrors
from natostance.parquet_io import read_config
from natostance.publish.validation import validate

CAP = 700_000  # the deep JSON files (≤ 600,001 bytes) are read; the big file and the long line are not
GOOD = "NATO ministers met in Brussels. They agreed on a plan.\n\nRussia rejected it on Monday."


def reasons(report) -> dict[str, str]:
    return {r.where: r.reason for r in report.rejected}


def test_an_article_of_10001_sentences_builds_and_only_its_late_ids_grow(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    sentences = [f"Sentence number {i} is about NATO." for i in range(10_001)]
    (raw / "long.txt").write_text("Long article\n\n" + "\n\n".join(" ".join(sentences[i:i + 7])
                                                                     for i in range(0, 10_001, 7)), encoding="utf-8")
    build(raw, tmp_path / "out")
    rows = sorted(read_config(tmp_path / "out", "sentences"), key=lambda r: r["index"])
    assert len(rows) == 10_001
    assert re.fullmatch(r"[0-9a-f]{16}-0000-[0-9a-f]{8}", rows[0]["sentence_id"])
    assert re.fullmatch(r"[0-9a-f]{16}-9999-[0-9a-f]{8}", rows[9_999]["sentence_id"])
    assert re.fullmatch(r"[0-9a-f]{16}-10000-[0-9a-f]{8}", rows[10_000]["sentence_id"])
    validate(tmp_path / "out")  # raises ManyErrors listing every problem


@pytest.fixture
def hostile(tmp_path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    os.symlink(outside, raw / "escape.txt")
    os.symlink(tmp_path, raw / "escape-dir")
    os.symlink(tmp_path / "nowhere.txt", raw / "dangling.txt")
    os.symlink(raw / "good.txt", raw / "inside.txt")  # a link that stays inside is read like the file
    (raw / "deep.json").write_text('{"a":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
    (raw / "deep-lines.jsonl").write_text(json.dumps({"text": GOOD}) + "\n" + '{"text": ' + "[" * 100_000 + "\n",
                                          encoding="utf-8")
    (raw / "big.txt").write_text("NATO met. " * 80_000, encoding="utf-8")  # 800,000 bytes: over the cap below
    lines = [json.dumps({"id": i, "text": f"{GOOD} Item {i}.", "date": "2024-01-02"}) for i in range(40)]
    lines[7] = json.dumps({"id": 7, "text": "NATO. " * 150_000})  # one record over the cap, inside a large dump
    (raw / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


def test_hostile_inputs_are_rejected_by_name_and_the_rest_builds(hostile, tmp_path):
    report = build(hostile, tmp_path / "out", BuildOptions(keep_going=True, max_article_bytes=CAP))
    why = reasons(report)
    assert "outside the raw folder: refused" in why["escape.txt"] and "outside the raw folder" in why["escape-dir"]
    assert "does not exist" in why["dangling.txt"]
    assert why["deep.json"] == "JSON nested too deeply to read (expected one flat article object)"
    assert why["deep-lines.jsonl:2"] == "JSON nested too deeply to read (expected one flat article object)"
    assert why["big.txt"].startswith("over the maximum article size of 700,000 bytes and not JSON lines")
    assert why["dump.jsonl:8"].startswith("a record of 900,021 bytes, over the maximum article size of 700,000")
    built = {(r["source_file"], r["source_line"]) for r in read_config(tmp_path / "out", "articles")}
    assert ("good.txt", None) in built and ("dump.jsonl", 40) in built and len(built) == 1 + 39 + 1
    copied = {p.name for p in (tmp_path / "out" / "raw").iterdir()}
    assert "escape.txt" not in copied and "escape-dir" not in copied and "dump.jsonl" in copied
    assert "root:x" not in (tmp_path / "out" / "raw" / "sources.yaml").read_text()
    assert not any("root:x" in r["text"] for r in read_config(tmp_path / "out", "articles"))


def test_without_keep_going_the_build_names_every_one_and_writes_nothing(hostile, tmp_path):
    with pytest.raises(ManyErrors) as err:
        build(hostile, tmp_path / "out", BuildOptions(max_article_bytes=CAP))
    message = str(err.value)
    for name in ("escape.txt", "escape-dir", "dangling.txt", "deep.json", "deep-lines.jsonl:2", "big.txt", "dump.jsonl:8"):
        assert name in message
    assert not (tmp_path / "out").exists()


def test_the_command_line_gives_lines_not_tracebacks(hostile, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["build", str(hostile), "--out", str(tmp_path / "out"), "--keep-going",
                             "--max-article-bytes", str(CAP), "--no-progress"])
    assert ok.exit_code == 0 and "Traceback" not in ok.output and "escape.txt: symbolic link" in ok.output
    failed = runner.invoke(cli, ["build", str(hostile), "--out", str(tmp_path / "out2"), "--max-article-bytes", str(CAP)])
    assert failed.exit_code == 1 and "Traceback" not in failed.output
    assert "deep.json: JSON nested too deeply" in failed.output
