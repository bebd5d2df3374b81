"""guard.py: messages stay one short line whatever the value, errors are capped, JSON and lines are bounded,
names stay inside their folder."""

from __future__ import annotations

import os

import pytest

from natostance.cli import error_lines
from natostance.errors import InputError, ManyErrors
from natostance.guard import (MAX_DEPTH, ErrorLog, JsonProblem, confined, escape, parse_json, plain_name,
                              read_json_file, shown, text_lines)


def test_escape_leaves_no_line_break_control_bidi_or_surrogate():
    text = escape("a\nerror: forged\r\t\x00\x1b[31m\u2028\u202e\udcff z")
    assert text == "a\\nerror: forged\\r\\t\\x00\\x1b[31m\\u2028\\u202e\\xff z"
    assert text.isprintable() and escape("Добрый день, NATO") == "Добрый день, NATO"


def test_shown_is_short_whatever_the_value():
    assert shown("x" * 30_000_000).startswith("'xxx") and len(shown("x" * 30_000_000)) < 100
    assert shown("a'b") == '"a\'b"' and shown("nato", style="json") == '"nato"'
    bomb: list = ["x"] * 9
    for _ in range(9):  # what a YAML alias bomb constructs: 9**10 strings by reference
        bomb = [bomb] * 9
    assert len(shown(bomb)) < 100
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert len(shown(deep)) < 100 and len(shown({"k" * 500: list(range(10_000))})) < 100
    assert "digits" in shown(10 ** 400)


def test_error_log_keeps_the_first_of_each_kind_and_counts_the_rest():
    log = ErrorLog(cap=3)
    calls = []
    for i in range(1000):
        log.add("f.jsonl: bad rows", lambda i=i: calls.append(i) or f"f.jsonl:{i}: bad")
    log.add("f.jsonl: missing", "f.jsonl: one missing")
    assert log.total == 1001 and calls == [0, 1, 2]  # messages past the cap are never even made
    assert log.lines() == ["f.jsonl:0: bad", "f.jsonl:1: bad", "f.jsonl:2: bad", "f.jsonl: one missing",
                           "f.jsonl: bad rows: 997 more not listed (the first 3 are above)"]
    with pytest.raises(ManyErrors, match="1,001 error"):
        log.raise_if_any("{n} error(s)")


def test_json_is_bounded_in_depth_and_digits():
    assert parse_json('{"a": [1, 2.5, null]}') == {"a": [1, 2.5, None]}
    for text, found in [("[" * 100_000 + "]" * 100_000, "deeper nesting"),
                        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "deeper nesting"),
                        ('{"score": 1' + "0" * 400 + "}", "a number of 401 digits"),
                        ("1" * 5000, "a number of 5,000 digits"),
                        ('{"a": ', "invalid JSON (Expecting value at column 7)")]:
        with pytest.raises(JsonProblem) as info:
            parse_json(text)
        assert info.value.found == found


@pytest.mark.parametrize("data, problem", [
    (b"\xff{}", "expected UTF-8 text, found byte 0xff at offset 0"),
    (b"\xff\xfe{\x00}\x00", "expected UTF-8 text, found UTF-16 text (save the file as UTF-8)"),
    (b"{\x00}", "expected UTF-8 text, found binary data (NUL bytes)"),
    (b"[1,", "expected meta, found invalid JSON (Expecting value at column 4)"),
])
def test_whole_json_files_name_what_they_are(tmp_path, data, problem):
    path = tmp_path / "m.json"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_json_file(path, "meta")
    assert str(info.value) == f"{path}: {problem}"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"a": 1}')  # a BOM is fine
    assert read_json_file(path, "meta") == {"a": 1}
    path.write_bytes(b" " * 2000)
    with pytest.raises(InputError, match="expected meta of at most 1,000 bytes, found 2,000 bytes"):
        read_json_file(path, "meta", max_bytes=1000)


def test_lines_are_read_capped_and_numbered(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\xef\xbb\xbfone\n" + b"y" * 5000 + b"\nbad \xff\nlast")
    log = ErrorLog()
    assert list(text_lines(path, log, max_line=100)) == [(1, "one\n"), (2, "\n"), (3, "\n"), (4, "last")]
    assert log.lines() == [f"{path}:2: expected a line of at most 100 bytes, found 5,001 bytes",
                           f"{path}:3: expected UTF-8 text, found byte 0xff at column 5"]


def test_names_stay_inside_their_folder(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "secret").write_text("s")
    os.symlink(tmp_path / "secret", tmp_path / "raw" / "link")
    assert confined(tmp_path / "raw", "a/b.txt", "m") == tmp_path / "raw" / "a/b.txt"
    for name in ("../secret", "a/../../secret", "/etc/passwd", "", "a\x00b", 7):
        assert plain_name(name)
        with pytest.raises(InputError):
            confined(tmp_path / "raw", name, "m")
    with pytest.raises(InputError, match="a link that leads out of it"):
        confined(tmp_path / "raw", "link", "m")
    assert plain_name("a..b/c") is None


def test_cli_error_lines_are_escaped_capped_and_cut():
    forged = InputError("runs/x\nerror: all good.jsonl", "expected a JSON object, found list")
    assert error_lines(forged) == ["error: runs/x\\nerror: all good.jsonl: expected a JSON object, found list"]
    many = ManyErrors([f"e{i}: " + "v" * 1000 for i in range(500)], "500 error(s)")
    lines = error_lines(many)
    assert len(lines) == 101 and lines[-1] == "error: 401 more line(s) not shown"
    assert max(map(len, lines)) < 450 and sum(map(len, lines)) < 64_000
    assert error_lines(ManyErrors(["only one"], "1 error(s)")) == ["error: only one"]
