"""Fixtures for the release tests: a temporary git repository holding a copy of the dataset and its docs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dataset_copies import plain_dataset
from release_state import with_pending_item

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "dataset"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def temp_repo(tmp_path) -> Path:
    """Version file, CHANGELOG, DATASHEET and dataset/ of this repository, committed in a fresh git repo; the
    CHANGELOG gets an item under "## Unreleased" when it has none (this repository right after a release)."""
    root = tmp_path / "repo"
    (root / "src" / "natostance").mkdir(parents=True)
    shutil.copyfile(REPO / "src" / "natostance" / "_version.py", root / "src" / "natostance" / "_version.py")
    shutil.copyfile(REPO / "DATASHEET.md", root / "DATASHEET.md")
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    (root / "CHANGELOG.md").write_text(with_pending_item(changelog), encoding="utf-8")
    plain_dataset(root / "dataset")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "user.name", "test")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "seed dataset")
    return root
