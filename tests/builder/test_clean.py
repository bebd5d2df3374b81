"""Cleaning rules, trafilatura-style: snippets that must go ("without") and text that must stay ("with")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from natostance.builder.cleaning import rules as boilerplate
from natostance.builder.cleaning.steps import clean
from natostance.builder.document import RawArticle

CASES = json.loads((Path(__file__).parent / "fixtures" / "cleaning.json").read_text(encoding="utf-8"))


def run(blocks: list[str], fmt: str = "plain"):
    raw = RawArticle(source_file="t.txt", source_format=fmt, record_sha256="0" * 64, blocks=list(blocks))
    paragraphs, counts = clean(raw)
    return raw.meta, paragraphs, counts


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_cleaning_case(case):
    meta, paragraphs, counts = run(case["blocks"], case.get("format", "plain"))
    text = "\n\n".join(paragraphs)
    for snippet in case.get("without", []):
        assert snippet not in text, f"kept {snippet!r}"
    for snippet in case.get("with", []):
        assert snippet in text, f"lost {snippet!r}"
    if "paragraphs" in case:
        assert paragraphs == case["paragraphs"]
    for field, value in case.get("meta", {}).items():
        assert getattr(meta, field) == value, field
    assert counts == case["counts"]


def test_every_block_rule_is_named_and_documented():
    for rule in boilerplate.BLOCKS + boilerplate.INLINE:
        assert rule.name and rule.description and rule.pattern.pattern


def test_body_text_that_looks_like_a_trailer_is_kept_outside_the_tail_window():
    body = [f"Paragraph {i} says something about NATO." for i in range(30)]
    body[3] = "Become a Member of Global Research"
    _, paragraphs, counts = run(["Title line"] + body)
    assert "Become a Member of Global Research" in paragraphs and "publisher_trailer" not in counts
