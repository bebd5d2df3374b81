"""Annotation records, adjudication entries and offline passes of the wrong shape (issue #16): each bad line
is named with its line, field, expected and found, capped; no traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from natostance.annotate.passfile import check_pass
from natostance.cli import cli
from natostance.errors import ManyErrors
from natostance.guard import MAX_PER_KIND
from natostance.labels import labels

REPO = Path(__file__).resolve().parents[2]
RECORDS = REPO / "annotation" / "records" / "r1"


def run(*args):
    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


@pytest.fixture
def records(tmp_path) -> Path:
    folder = tmp_path / "records" / "r9"  # an open round: r1's records, without r1's closing file
    shutil.copytree(RECORDS, folder, ignore=shutil.ignore_patterns("round.json"))
    return folder


def edit_line(path: Path, n: int, change) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    obj = json.loads(lines[n - 1])
    change(obj)
    lines[n - 1] = json.dumps(obj)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_records_missing_keys_are_named_by_agreement_and_adjudicate(records, tmp_path):
    edit_line(records / "stance.jsonl", 2, lambda o: o.pop("target"))
    res = run("annotate", "agreement", "--round", "r9", "--records", tmp_path / "records")
    assert res.exit_code == 1 and res.stderr == f"error: {records}/stance.jsonl:2: missing field(s) target\n"
    shutil.copyfile(RECORDS / "stance.jsonl", records / "stance.jsonl")
    edit_line(records / "claims.jsonl", 3, lambda o: o.pop("start"))
    edit_line(records / "claims.jsonl", 4, lambda o: o.update(end="9"))
    res = run("annotate", "adjudicate", "--round", "r9", "--records", tmp_path / "records", "--file", tmp_path / "adj.jsonl",
              "--gold", tmp_path / "gold")
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [f"error: {records}/claims.jsonl: 2 problem(s)",
                                       f"error: {records}/claims.jsonl:3: missing field(s) start",
                                       f"error: {records}/claims.jsonl:4: end: expected integer, found \"9\""]
    assert not (tmp_path / "gold").exists() and not (tmp_path / "adj.jsonl").exists()


def test_records_that_are_not_json_objects_are_capped(records, tmp_path):
    (records / "stance.jsonl").write_text("[1]\n" * 500 + "\xff\n", encoding="latin-1")
    res = run("annotate", "agreement", "--round", "r9", "--records", tmp_path / "records")
    lines = res.stderr.splitlines()
    assert res.exit_code == 1 and len(lines) == MAX_PER_KIND + 3
    assert lines[1] == f"error: {records}/stance.jsonl:1: expected a JSON object, found list"
    assert f"error: {records}/stance.jsonl:501: expected UTF-8 text, found byte 0xff at column 1" in lines
    assert lines[-1] == (f"error: {records}/stance.jsonl: lines that are not JSON objects: 480 more not listed "
                         f"(the first {MAX_PER_KIND} are above)")


def test_an_adjudication_entry_of_the_wrong_shape(records, tmp_path):
    adj = tmp_path / "adj.jsonl"
    adj.write_text(json.dumps({"unit": "sentences/x/nato", "decision": 3, "reason": None}) + "\n")
    res = run("annotate", "adjudicate", "--round", "r9", "--records", tmp_path / "records", "--file", adj, "--gold", tmp_path / "g")
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [f"error: {adj}: 2 problem(s) in the adjudication file",
                                       f"error: {adj}:1: missing field(s) who",
                                       f"error: {adj}:1: decision: expected string or null, found 3"]


def test_a_pass_of_hostile_files_is_checked_line_by_line(rows, tmp_path):
    folder = tmp_path / "pass"
    folder.mkdir()
    (folder / "sentence_labels.jsonl").write_bytes(b"\x00\x01binary")
    (folder / "article_labels.jsonl").write_text(json.dumps({"article_id": "a" * 3_000_000, "labels": {}}) + "\n")
    (folder / "claims.jsonl").write_text("\n".join(json.dumps({"sentence_id": "x" * 900, "text": "t" * 500_000,
                                                               "type": "nonsense", "speaker": "author"})
                                                   for _ in range(100)) + "\n")
    with pytest.raises(ManyErrors) as info:
        check_pass(folder, rows["sentences"], rows["articles"])
    lines = info.value.lines()
    assert f"{folder}/sentence_labels.jsonl: expected UTF-8 text lines, found binary data (NUL bytes)" in lines
    assert f"{folder}/article_labels.jsonl:1: expected a line of at most 1,048,576 bytes, found 3,000,033 bytes" \
        in lines
    assert f"{folder}/claims.jsonl:1: type: expected one of {', '.join(labels('claim_type'))}, found " \
           '"nonsense"' in lines
    assert lines[-1] == f"{folder}/claims.jsonl: lines that break the claim schema: 80 more not listed (the first " \
                        f"{MAX_PER_KIND} are above)"
    assert len(lines) < 30 and max(map(len, lines)) < 400 and sum(map(len, lines)) < 10_000
