"""Rehydrate manifests, diff revisions and releases under attack or failure (issue #16): nothing read or
written outside the folders named, no revision passed to git as an option, the version rule applied to the
dataset a release would publish, and a failed release leaves the repository as it found it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dataset_copies import tree
from natostance.builder.pipeline import BuildOptions, build
from natostance.errors import NatoStanceError
from natostance.publish import release as release_module
from natostance.publish.rehydrate import rehydrate
from natostance.publish.release import ReleaseError, release

DATASET = Path(__file__).resolve().parents[2] / "dataset"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "natostance", *map(str, args)], capture_output=True, text=True)


@pytest.fixture
def text_free(temp_repo) -> Path:
    """A text-free build of the temporary repository's dataset, in a folder of its own."""
    out = temp_repo.parent / "free"
    build(temp_repo / "dataset" / "raw", out, BuildOptions(text_free=True))
    return out


def _plant_raw_name(dataset: Path, name: str) -> None:
    manifest = json.loads((dataset / "manifest.json").read_text())
    manifest["raw_files"][name] = "0" * 64
    (dataset / "manifest.json").write_text(json.dumps(manifest))


def test_rehydrate_refuses_manifest_names_that_leave_the_raw_folder(temp_repo, text_free, tmp_path):
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "written.txt").write_text("outside")
    _plant_raw_name(text_free, "../../../planted/written.txt")
    before = tree(tmp_path / "planted"), tree(text_free)
    proc = cli("rehydrate", text_free, temp_repo / "dataset" / "raw")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"error: {text_free}/manifest.json: raw_files: expected a relative name (no leading '/', no '..' part, "
        "no NUL), found \"../../../planted/written.txt\""]
    assert (tree(tmp_path / "planted"), tree(text_free)) == before


def test_rehydrate_refuses_a_raw_file_that_is_a_link_out_of_the_folder(temp_repo, text_free, tmp_path):
    mine = tmp_path / "mine"
    shutil.copytree(temp_repo / "dataset" / "raw", mine)
    name = "000_684b66d563c1cb65.txt"
    (tmp_path / "elsewhere.txt").write_bytes((mine / name).read_bytes())
    (mine / name).unlink()
    os.symlink(tmp_path / "elsewhere.txt", mine / name)
    proc = cli("rehydrate", text_free, mine)
    assert proc.returncode == 1
    assert f"{name}', a link that leads out of it" in proc.stderr and "Traceback" not in proc.stderr
    (mine / name).unlink()
    shutil.copyfile(tmp_path / "elsewhere.txt", mine / name)
    assert cli("rehydrate", text_free, mine).returncode == 0  # the same bytes as a plain file: rehydrated


def test_a_revision_that_looks_like_an_option_never_reaches_git(temp_repo, tmp_path):
    victim = tmp_path / "FILE"
    victim.write_text("keep me")
    for args in (["--", f"--output={victim}", "HEAD"], ["HEAD", "--", f"--output={victim}"]):
        proc = cli("diff", "--repo", temp_repo, *args)
        assert proc.returncode == 1
        assert proc.stderr == f"error: --output={victim}: expected a dataset folder or a git revision, found an " \
                              "option\n"
    assert victim.read_text() == "keep me"


def test_the_version_rule_applies_to_the_rebuilt_dataset(temp_repo):
    git(temp_repo, "tag", "v0.1.0")
    raw = temp_repo / "dataset" / "raw"  # an article added to the raw folder but the dataset not rebuilt
    (raw / "005_added.txt").write_bytes((raw / "000_684b66d563c1cb65.txt").read_bytes().replace(b"NATO", b"Nato", 3))
    git(temp_repo, "add", "-A")
    git(temp_repo, "commit", "-q", "-m", "one more raw file")
    head = git(temp_repo, "rev-parse", "HEAD")
    proc = cli("release", "0.1.1", "--repo", temp_repo, "--date", "2026-11-24")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: 0.1.1 is a patch release, but since v0.1.0 the dataset needs a minor one "
                                  "(articles: 1 added")
    assert git(temp_repo, "status", "--porcelain") == "" and git(temp_repo, "rev-parse", "HEAD") == head
    assert git(temp_repo, "tag", "--list", "v0.1.1") == "" and [p.name for p in temp_repo.iterdir()
                                                                  if p.name.startswith(".dataset")] == []


@pytest.mark.parametrize("day", ['yesterday"', "2026-02-30", "2026-1-5", "20260105", "2026-01-05\nx"])
def test_a_release_date_must_be_a_date(temp_repo, day):
    before = tree(temp_repo / "src")
    proc = cli("release", "0.2.0", "--repo", temp_repo, "--no-tag", "--date", day)
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1
    assert proc.stderr.startswith("error: --date: expected a date YYYY-MM-DD, found ")
    assert tree(temp_repo / "src") == before


def test_a_release_that_fails_after_writing_leaves_the_tree_as_it_was(temp_repo):
    hook = temp_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused by hook >&2\nexit 1\n")
    hook.chmod(0o755)
    head, before = git(temp_repo, "rev-parse", "HEAD"), tree(temp_repo / "dataset")
    with pytest.raises(ReleaseError, match="refused by hook"):
        release(temp_repo, "0.2.0", day="2026-11-24")
    assert git(temp_repo, "status", "--porcelain") == "" and git(temp_repo, "rev-parse", "HEAD") == head
    assert git(temp_repo, "tag", "--list") == "" and tree(temp_repo / "dataset") == before
    hook.unlink()
    result = release(temp_repo, "0.2.0", day="2026-11-24")  # the retry is not refused by a half-done first try
    assert result["tag"] == "v0.2.0" and git(temp_repo, "status", "--porcelain") == ""


def test_a_no_tag_release_that_fails_puts_its_files_back(temp_repo, monkeypatch):
    texts = {p: p.read_bytes() for p in (temp_repo / "CHANGELOG.md", temp_repo / "DATASHEET.md",
                                         temp_repo / "src/natostance/_version.py")}
    (temp_repo / "CHANGELOG.md").write_text((temp_repo / "CHANGELOG.md").read_text() + "\nuncommitted note\n")
    texts[temp_repo / "CHANGELOG.md"] = (temp_repo / "CHANGELOG.md").read_bytes()
    before = tree(temp_repo / "dataset")

    def fail(*args, **kwargs):
        raise NatoStanceError("disk full (simulated)")

    monkeypatch.setattr(release_module, "replace_dir", fail)
    with pytest.raises(NatoStanceError, match="simulated"):
        release(temp_repo, "0.2.0", tag=False, day="2026-11-24")
    assert {p: p.read_bytes() for p in texts} == texts and tree(temp_repo / "dataset") == before
