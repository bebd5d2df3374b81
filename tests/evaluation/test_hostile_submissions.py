"""Hostile and careless submissions (issue #16): every one is refused with short `error:` lines naming the
file (and line), exit code 1, no traceback, bounded output and memory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.cli import cli
from natostance.guard import MAX_PER_KIND


def run(*args):
    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


def stderr_lines(res) -> list[str]:
    return res.stderr.splitlines()


def submission(tmp_path, name: str, body: bytes, meta: bytes | None = None):
    """``body`` as runs/<name> with the ok fixture's metadata (or ``meta``) beside it."""
    runs = tmp_path / "runs"
    runs.mkdir(exist_ok=True)
    path = runs / name
    path.write_bytes(body)
    stem = name.rsplit(".", 1)[0]
    (runs / f"{stem}.meta.json").write_bytes(meta if meta is not None else (SUBMISSIONS / "ok.meta.json").read_bytes())
    return path


def check(path):
    return run("check", path, "--gold", GOLD_DIR)


OK = (SUBMISSIONS / "ok.jsonl").read_bytes()


def test_one_invalid_utf8_byte_is_named_with_its_line(tmp_path):
    path = submission(tmp_path, "a.jsonl", OK.replace(b'"a4-0001"', b'"a4-0001\xff"', 1))
    res = check(path)
    assert res.exit_code == 1
    assert f"error: {path}:3: expected UTF-8 text, found byte 0xff at column 48" in stderr_lines(res)


@pytest.mark.parametrize("suffix, line", [
    (".jsonl", "expected UTF-8 text lines, found binary data (NUL bytes)"),
    (".csv", "expected UTF-8 text lines, found binary data (NUL bytes)"),
    (".parquet", "expected a Parquet file, found one that cannot be read"),
])
def test_random_bytes_are_one_line(tmp_path, suffix, line):
    rng = __import__("random").Random(suffix)
    path = submission(tmp_path, f"r{suffix}", bytes(rng.getrandbits(8) for _ in range(300_000)) + b"\x00")
    res = check(path)
    assert res.exit_code == 1 and len(stderr_lines(res)) == 1
    assert stderr_lines(res)[0].startswith(f"error: {path}: {line}")


@pytest.mark.parametrize("meta, problem", [
    (b'{"system": "\xff"}', "expected UTF-8 text, found byte 0xff at offset 12"),
    (b"[" * 50_000 + b"]" * 50_000, "expected JSON nested at most 64 levels deep, found deeper nesting"),
    (b'{"system": ' + b"[" * 70 + b"]" * 70 + b"}", "expected JSON nested at most 64 levels deep, found deeper nesting"),
])
def test_metadata_that_is_not_utf8_or_too_deep(tmp_path, meta, problem):
    path = submission(tmp_path, "m.jsonl", OK, meta)
    res = check(path)
    assert res.exit_code == 1 and stderr_lines(res) == [f"error: {path.with_name('m.meta.json')}: {problem}"]


def test_a_score_of_401_digits_and_a_row_nested_too_deep(tmp_path):
    rows = OK + b'{"task": "claim_detection", "unit_id": "a5-0000", "checkworthy": true, "score": 1' + b"0" * 400 + b"}\n"
    rows += b'{"task": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    path = submission(tmp_path, "n.jsonl", rows)
    res = check(path)
    assert res.exit_code == 1
    assert stderr_lines(res) == [
        "error: 2 error(s) in submission " + str(path),
        f"error: {path}:21: expected numbers of at most 20 digits, found a number of 401 digits",
        f"error: {path}:22: expected JSON nested at most 64 levels deep, found deeper nesting",
    ]
    # as a float that JSON turns into infinity, or in a CSV cell, it is a score that is not finite
    csv = (SUBMISSIONS / "ok.csv").read_text().replace(",0.9,", ",1" + "0" * 400 + ",", 1)
    path = submission(tmp_path, "n.csv", csv.encode())
    res = check(path)
    assert res.exit_code == 1 and "score: expected a finite number, found Infinity" in res.stderr


def test_a_leaderboard_folder_names_the_bad_file(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    for name in ("ok.jsonl", "ok.meta.json"):
        shutil.copyfile(SUBMISSIONS / name, runs / name)
    submission(tmp_path, "big.jsonl", OK.replace(b'"score": 0.9', b'"score": 1' + b"0" * 400, 1))
    (runs / "old.result.json").write_text(json.dumps({"system": "x", "tasks": {"claim_spans": {}}}))
    res = run("leaderboard", runs, "--gold", GOLD_DIR, "--resamples", 10)
    assert res.exit_code == 1
    lines = stderr_lines(res)
    assert f"error: {runs}/big.jsonl:13: expected numbers of at most 20 digits, found a number of 401 digits" in lines
    assert any(line.startswith(f"error: {runs}/old.result.json: expected a result written by natostance score "
                               "--out") for line in lines)


def test_many_bad_lines_give_a_capped_list_and_a_count(tmp_path):
    rows = "".join(json.dumps({"task": "sentence_stance", "unit_id": f"x{i}", "target": "nato", "label": "bad"}) + "\n"
                   for i in range(20_000))
    path = submission(tmp_path, "many.jsonl", rows.encode())
    res = check(path)
    lines = stderr_lines(res)
    assert res.exit_code == 1 and len(lines) == MAX_PER_KIND + 2 and len(res.stderr) < 5_000
    assert lines[0] == f"error: 20,000 error(s) in submission {path}"
    assert lines[-1] == f"error: {path}: rows that break the submission schema: 19,980 more not listed " \
                        f"(the first {MAX_PER_KIND} are above)"


def test_huge_ids_are_never_echoed(tmp_path):
    big = b'{"task": "sentence_stance", "unit_id": "' + b"i" * 2_000_000 + b'", "target": "nato", "label": "none"}\n'
    mid = b'{"task": "sentence_stance", "unit_id": "' + b"j" * 500_000 + b'", "target": "nato", "label": "none"}\n'
    path = submission(tmp_path, "ids.jsonl", OK + big + mid)
    res = check(path)
    assert res.exit_code == 1 and len(res.stderr) < 1_000, res.stderr[:2000]
    assert f"error: {path}:21: expected a line of at most 1,048,576 bytes, found 2,000,078 bytes" in stderr_lines(res)
    assert f"error: {path}:22: sentence_stance unit_id '{'j' * 60}…' (500,000 characters): expected a sentence id " \
           "of the gold, found an unknown id" in stderr_lines(res)


def test_an_excel_csv_with_bom_and_crlf_passes_and_a_semicolon_one_is_one_line(tmp_path):
    text = (SUBMISSIONS / "ok.csv").read_text(encoding="utf-8")
    path = submission(tmp_path, "excel.csv", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert check(path).exit_code == 0
    path = submission(tmp_path, "semi.csv", text.replace(",", ";").encode())
    res = check(path)
    assert res.exit_code == 1 and len(stderr_lines(res)) == 1
    assert "found a header separated by ';'" in res.stderr


def test_a_row_refused_for_its_target_is_reported_once(tmp_path):
    path = submission(tmp_path, "t.jsonl", OK.replace(b'"target": "nato"', b'"target": "NATO"', 1))
    res = check(path)
    assert res.exit_code == 1 and len(stderr_lines(res)) == 1 and "found \"NATO\"" in res.stderr


def test_a_file_name_with_a_newline_cannot_forge_an_error_line(tmp_path):
    path = submission(tmp_path, "x\nerror: all fine.jsonl", OK + b"[1]\n")
    res = check(path)
    assert res.exit_code == 1
    assert stderr_lines(res) == [f"error: {tmp_path}/runs/x\\nerror: all fine.jsonl:21: expected a JSON object, "
                                 "found list"]


def test_a_1_gb_submission_is_refused_with_one_line_in_bounded_memory(tmp_path):
    path = submission(tmp_path, "huge.jsonl", b"")
    with path.open("r+b") as fh:  # sparse: 1 GB that costs no disk
        fh.truncate(1 << 30)
    # the peak of this process's own memory (VmHWM); ru_maxrss would also count the pytest process it forked from
    code = ("import sys\nfrom natostance.cli import main\nsys.argv = ['natostance', 'check', sys.argv[1], '--gold', "
            "sys.argv[2]]\ntry:\n    main()\nfinally:\n    print(next(l.split()[1] for l in open('/proc/self/status') "
            "if l.startswith('VmHWM:')))")
    proc = subprocess.run([sys.executable, "-c", code, str(path), str(GOLD_DIR)], capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [f"error: {path}: expected a submission of at most 67,108,864 bytes for "
                                        "this gold (65,536 rows of 1,024 bytes), found 1,073,741,824 bytes"]
    assert int(proc.stdout.split()[-1]) * 1024 < 600 * 2**20  # VmHWM is in kB


def test_claim_spans_are_capped_per_article(tmp_path):
    spans = "".join(json.dumps({"task": "claim_spans", "article_id": "a4", "start": i % 40, "end": 41 + i // 40}) + "\n"
                    for i in range(1_000))
    path = submission(tmp_path, "spans.jsonl", spans.encode())
    res = check(path)
    lines = stderr_lines(res)
    assert res.exit_code == 1 and len(lines) <= MAX_PER_KIND + 2
    assert lines[1].endswith("claim_spans article_id 'a4': expected at most 30 spans for this article (10 per sentence), "
                             "found more")
