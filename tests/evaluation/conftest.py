"""Fixtures of the evaluation tests: a hand-made gold (5 articles: 2 train, 1 validation, 2 test) and
submissions named after what is wrong with them (``fixtures/submissions/NOTOK_*.jsonl``)."""

from __future__ import annotations

import json
import shutil

import pytest
from eval_helpers import GOLD_DIR, SUBMISSIONS

from natostance.evaluation.gold import load_gold


@pytest.fixture(scope="session")
def gold():
    return load_gold(GOLD_DIR)


@pytest.fixture
def ok_rows():
    return [json.loads(line) for line in (SUBMISSIONS / "ok.jsonl").read_text().splitlines()]


@pytest.fixture
def ok_meta():
    return json.loads((SUBMISSIONS / "ok.meta.json").read_text())


@pytest.fixture
def write_sub(tmp_path):
    """Write rows + metadata as a JSONL submission under tmp_path; returns the path."""

    def write(rows, meta, name="sub"):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        (tmp_path / f"{name}.meta.json").write_text(json.dumps(meta))
        return path

    return write


@pytest.fixture
def runs(tmp_path):
    """A folder holding a copy of the ok submission."""
    folder = tmp_path / "runs"
    folder.mkdir()
    shutil.copy(SUBMISSIONS / "ok.jsonl", folder / "ok.jsonl")
    shutil.copy(SUBMISSIONS / "ok.meta.json", folder / "ok.meta.json")
    return folder
