"""Shared test options. ``pytest --update-golden`` rewrites the builder's golden files; review the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Nothing outside this machine is reachable: make Hugging Face libraries fail fast instead of retrying.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/builder/golden/* from the current builder")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def fail_or_skip():
    """For a missing real part (server, browser, Slurm): fail under CI=true, skip elsewhere."""

    def fail_or_skip(msg: str):
        if IN_CI:
            pytest.fail(f"CI=true, so a missing real part fails the test: {msg}")
        pytest.skip(msg)

    return fail_or_skip
