"""End-to-end builds: byte-identical rebuild of the committed dataset, atomic failure, bad input, raw hashes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from dataset_copies import plain_raw, tree
from natostance.builder import pipeline as build_module
from natostance.builder.pipeline import BuildOptions, build
from natostance.errors import InputError, ManyErrors
from natostance.publish.validation import validate

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "dataset"


@pytest.fixture
def raw(tmp_path) -> Path:
    return plain_raw(tmp_path / "raw")


def test_committed_dataset_rebuilds_byte_for_byte(tmp_path):
    out = tmp_path / "out"
    build(DATASET / "raw", out)
    built = tree(out)
    committed = {k: v for k, v in tree(DATASET).items() if k in built or k.split("/")[0] in {"data", "raw"}}
    assert built == committed


def test_failed_build_leaves_previous_output_untouched_and_no_temp_folder(raw, tmp_path):
    out = tmp_path / "out"
    build(raw, out)
    before = tree(out)
    (raw / "broken.json").write_text('{"content": ', encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "latin1.txt").write_bytes("Caf\xe9 NATO.".encode("latin-1"))
    with pytest.raises(ManyErrors) as err:
        build(raw, out)
    msg = str(err.value)
    assert msg.startswith("build failed: 3 problem(s); nothing was written")
    assert "broken.json: malformed JSON" in msg and "empty.txt: file is empty" in msg and "latin1.txt: not UTF-8" in msg
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]


def test_interrupted_build_keeps_previous_output(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(raw, out)
    before = tree(out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "write_card", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(raw, out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]


def test_keep_going_writes_rejects_report(raw, tmp_path):
    (raw / "binary.bin").write_bytes(b"\x00\x01\x02" * 10)
    report = build(raw, tmp_path / "out", BuildOptions(keep_going=True))
    rejects = [json.loads(x) for x in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    assert rejects == [{"where": "binary.bin", "reason": "binary file (expected UTF-8 text, JSON or HTML)"}]
    assert report.rows["articles"] == {"train": 2, "validation": 1, "test": 2}
    validate(tmp_path / "out")


def test_changed_raw_file_is_refused_unless_allowed(raw, tmp_path):
    target = raw / "003_904e05130b9879e8.txt"
    target.write_bytes(target.read_bytes().replace(b"complete nonsense", b"utter nonsense"))
    with pytest.raises(ManyErrors, match=r"003_904e05130b9879e8.txt: SHA-256 changed \(expected a0e12812f7e9…"):
        build(raw, tmp_path / "out")
    report = build(raw, tmp_path / "out", BuildOptions(allow_changed=True))
    new = hashlib.sha256(target.read_bytes()).hexdigest()
    assert f"sha256: {new}" in (tmp_path / "out" / "raw" / "sources.yaml").read_text()
    assert any("SHA-256 changed" in n for n in report.notes)


def test_rebuild_keeps_files_the_builder_does_not_own(raw, tmp_path):
    out = tmp_path / "out"
    build(raw, out)
    (out / "extra").mkdir()
    (out / "extra" / "notes.parquet").write_bytes(b"mine too")
    (out / "NOTES.md").write_text("mine")
    stale = out / "data" / "articles" / "train-00000-of-00002.parquet"
    stale.write_bytes(b"old shard")
    (out / "data" / "stance").mkdir()
    (out / "data" / "stance" / "test-00000-of-00001.parquet").write_bytes(b"stale labels")
    build(raw, out)
    assert (out / "extra" / "notes.parquet").read_bytes() == b"mine too"
    assert (out / "NOTES.md").read_text() == "mine"
    assert not stale.exists() and not (out / "data" / "stance").exists()  # data/<config> is the builder's alone


def test_any_folder_of_mixed_formats_builds_and_validates(tmp_path):
    raw = tmp_path / "crawl"
    raw.mkdir()
    (raw / "a.jsonl").write_text(json.dumps({"text": "NATO allies met on Monday. Russia objected.", "title": "T1",
                                             "published": "2024-05-01", "outlet": "Wire"}) + "\n" +
                                 json.dumps({"html": "<p>Ukraine asked for air defence. The U.S. agreed.</p>"}) + "\n")
    (raw / "b.txt").write_text("Headline here\n\nThe EU pledged €1.2 billion. Officials said so.\n", encoding="utf-8")
    (raw / "sub").mkdir()
    (raw / "sub" / "c.md").write_text("Read [the report](https://x.org). It is long.\n", encoding="utf-8")
    report = build(raw, tmp_path / "out")
    assert report.rows["articles"] == {"train": 4}
    assert report.rows["sentences"] == {"train": 8}
    assert validate(tmp_path / "out").rows == {"articles": 4, "sentences": 8}
    sources = (tmp_path / "out" / "raw" / "sources.yaml").read_text()
    assert '"sub/c.md":' in sources and '"a.jsonl":' in sources


def test_validate_reports_every_tampered_file(tmp_path):
    out = tmp_path / "out"
    shutil.copytree(DATASET, out)
    (out / "data" / "sentences" / "test-00000-of-00001.parquet").write_bytes(b"PAR1 junk")
    (out / "raw" / "000_684b66d563c1cb65.txt").write_text("changed")
    (out / "data" / "articles" / "extra-00000-of-00001.parquet").write_bytes(b"x")
    with pytest.raises(Exception) as err:
        validate(out)
    msg = str(err.value)
    assert "data/sentences/test-00000-of-00001.parquet: SHA-256 differs" in msg
    assert "raw/000_684b66d563c1cb65.txt: SHA-256 differs" in msg
    assert "data/articles/extra-00000-of-00001.parquet: data file not listed in manifest.json" in msg


def test_annotations_that_no_longer_fit_the_text_stop_the_build(tmp_path):
    raw = tmp_path / "dataset" / "raw"
    shutil.copytree(DATASET / "raw", raw)
    shutil.copytree(REPO / "annotation", tmp_path / "annotation", ignore=shutil.ignore_patterns("exports"))
    report = build(raw, tmp_path / "out1")
    assert report.rows["stance"] and report.rows["claims"] and report.rows["annotations"]
    target = raw / "003_904e05130b9879e8.txt"  # the annotated article changes: its id and its units change
    target.write_bytes(target.read_bytes().replace(b"complete nonsense", b"utter nonsense"))
    with pytest.raises(ManyErrors, match=r"annotated (sentence|article) a0e12812f7e99efb.* is not in this build"):
        build(raw, tmp_path / "out2", BuildOptions(allow_changed=True))
    assert not (tmp_path / "out2").exists()


def test_campaign_files_named_but_missing_stop_the_build_unless_declined(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DATASET / "raw", raw)  # sources.yaml names ../../annotation/gold/<round>: not there
    with pytest.raises(InputError, match=r"sources.yaml: annotations named here not found at \.\./\.\./annotation"):
        build(raw, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    report = build(raw, tmp_path / "out", BuildOptions(annotations=False))
    assert set(report.rows) == {"articles", "sentences"}
    assert any("--no-annotations" in n for n in report.notes)
