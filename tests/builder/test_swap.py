"""The output swap (issue #16): a kill at any point of a build leaves the previous output readable, the next
build cleans up after killed ones, a second concurrent build into the same output fails with one clear line,
and released raw files are copies, not links to the input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dataset_copies import plain_raw, tree
from natostance.builder import swap
from natostance.builder.pipeline import BuildOptions, build
from natostance.errors import NatoStanceError
from natostance.publish.validation import validate

BUILD = [sys.executable, "-m", "natostance", "build"]


@pytest.fixture
def raw(tmp_path) -> Path:
    return plain_raw(tmp_path / "raw")


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_kill_at_any_point_leaves_the_previous_output_readable(raw, tmp_path):
    out = tmp_path / "out"
    build(raw, out, BuildOptions(allow_changed=True))
    before = tree(out)
    (raw / "003_904e05130b9879e8.txt").write_bytes(b"Edited. " + (raw / "003_904e05130b9879e8.txt").read_bytes())
    start = time.perf_counter()
    subprocess.run([*BUILD, str(raw), "--out", str(tmp_path / "timed"), "--allow-changed"], check=True,
                   capture_output=True)
    took = time.perf_counter() - start
    outcomes = set()
    for i in range(12):  # kill points spread over a whole build, from start-up to the swap and after
        proc = subprocess.Popen([*BUILD, str(raw), "--out", str(out), "--allow-changed"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(took * i / 10)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        validate(out)  # readable and whole: every file the manifest lists, with its hash
        outcomes.add("old" if tree(out) == before else "new")
    assert outcomes <= {"old", "new"} and "old" in outcomes
    report = build(raw, out, BuildOptions(allow_changed=True))  # cleans whatever the kills left
    assert report.rows["articles"] and leftovers(out) == []


def test_the_next_build_puts_back_an_output_left_between_two_renames(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(raw, out)
    before = tree(out)
    old = tmp_path / f".out.old-{dead_pid()}"
    os.replace(out, old)  # where a build without an atomic exchange can be killed: out moved aside, new not in
    building, work = tmp_path / f".out.building-{dead_pid()}", tmp_path / f".out.work-{dead_pid()}-abc"
    building.mkdir()
    work.mkdir()
    (tmp_path / ".out.datatrove").mkdir()  # a resumable scale build's work: never removed
    monkeypatch.setattr(swap, "exchange", lambda a, b: False)  # the two-rename path
    with swap.locked(out):
        notes = swap.recover(out)
    assert sorted(n.split(",")[0].split(":")[0] for n in notes) == sorted(
        [str(out), f"removed {building.name}", f"removed {work.name}"])
    assert tree(out) == before
    assert leftovers(out) == [".out.datatrove"]
    build(raw, out)
    assert tree(out) == before and leftovers(out) == [".out.datatrove"]


def test_a_second_concurrent_build_into_the_same_output_fails_with_one_line(raw, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
                               "from natostance.builder.swap import locked\nwith locked(Path(sys.argv[1])):\n"
                               "    print('locked', flush=True)\n    time.sleep(60)\n", str(out)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        proc = subprocess.run([*BUILD, str(raw), "--out", str(out)], capture_output=True, text=True)
        assert proc.returncode == 1 and not out.exists()
        assert proc.stderr == (f"error: {out}: expected no other build writing this folder, found process "
                               f"{holder.pid} holding {tmp_path}/.out.lock; wait for it to end\n")
    finally:
        holder.kill()
        holder.wait()
    build(raw, out)  # the lock died with its holder
    assert leftovers(out) == []
    with swap.locked(out), pytest.raises(NatoStanceError, match="expected no other build writing this folder"):
        build(raw, out)


def test_released_raw_files_are_copies_not_links(raw, tmp_path):
    out = tmp_path / "out"
    build(raw, out)
    name = "000_684b66d563c1cb65.txt"
    assert os.stat(out / "raw" / name).st_ino != os.stat(raw / name).st_ino
    original = (out / "raw" / name).read_bytes()
    with (raw / name).open("r+b") as fh:  # edited in place, as an editor might
        fh.write(b"X")
    assert (out / "raw" / name).read_bytes() == original
    validate(out)


def test_the_exchange_is_atomic_where_the_system_has_it(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "f").write_text("a")
    (b / "f").write_text("b")
    if not swap.exchange(a, b):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here: the two-rename path and recover() apply")
    assert (a / "f").read_text() == "b" and (b / "f").read_text() == "a"
