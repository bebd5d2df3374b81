"""A synthetic corpus of a few thousand articles (every raw format, a share of HTML pages), with a split
rule, an undated page kind, a bad file and a byte-for-byte duplicate far from its original (another task);
built once by the local builder as the reference every datatrove run is compared with."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("datatrove", reason="the scale extra is not installed: pip install -e '.[scale]'")

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "benchmarks"))

ARTICLES = 2000
SOURCES = """split_rule:
  validation_from: 2022-01-01
  test_from: 2024-01-01
"""


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    from synth import make_corpus

    raw = tmp_path_factory.mktemp("corpus") / "raw"
    make_corpus(raw, ARTICLES, seed=7)
    (raw / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    first = sorted(p for p in raw.iterdir() if p.suffix == ".txt")[0]
    shutil.copyfile(first, raw / "9999999-copy.txt")  # same bytes, read by the last task
    (raw / "5000000-empty.txt").write_bytes(b"")
    return raw


@pytest.fixture(scope="session")
def local_build(corpus, tmp_path_factory) -> Path:
    from natostance.builder.pipeline import BuildOptions, build

    out = tmp_path_factory.mktemp("local") / "out"
    build(corpus, out, BuildOptions(keep_going=True))
    return out


@pytest.fixture(scope="session")
def datatrove_build(corpus, tmp_path_factory):
    from natostance.builder import scale
    from natostance.builder.pipeline import BuildOptions

    out = tmp_path_factory.mktemp("dt") / "out"
    report = scale.build(corpus, out, BuildOptions(keep_going=True), scale.ScaleOptions(tasks=4, workers=2))
    return out, report
