"""Segmenter: the hard cases named in the issue, and offset invariants on any text (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natostance.builder.segment import segment, split_paragraph


def sents(text: str) -> list[str]:
    return [text[a:b] for a, b in split_paragraph(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Peskov spoke. Gen. Milley listened.", ["Mr. Peskov spoke.", "Gen. Milley listened."]),
        ("The U.S. Secretary of State met the U.K. envoy.", ["The U.S. Secretary of State met the U.K. envoy."]),
        ("Troops left the U.S. The move surprised allies.", ["Troops left the U.S.", "The move surprised allies."]),
        ("A response came from the U.S. “Let us first get the answer,” he said.",
         ["A response came from the U.S.", "“Let us first get the answer,” he said."]),
        ("The talks on Jan. 5 failed. No. 42 was next.", ["The talks on Jan. 5 failed.", "No. 42 was next."]),
        ("Spending rose from 2.3% to 2.5%. The EU added €1.2 billion.",
         ["Spending rose from 2.3% to 2.5%.", "The EU added €1.2 billion."]),
        ("He said it was “complete nonsense.” Then he left.", ["He said it was “complete nonsense.”", "Then he left."]),
        ('He called it "safe." "Of course," he said.', ['He called it "safe."', '"Of course," he said.']),
        ("It costs nothing... It is easy. Writing is ... a good way.",
         ["It costs nothing...", "It is easy.", "Writing is ... a good way."]),
        ("Will he respond? It is unclear! We wait.", ["Will he respond?", "It is unclear!", "We wait."]),
        ("John F. Kirby spoke for the Pentagon.", ["John F. Kirby spoke for the Pentagon."]),
        ("reads the US statement . As widely predictable, none", ["reads the US statement .", "As widely predictable, none"]),
        ("missile bases at them. choice in Russian territory.", ["missile bases at them. choice in Russian territory."]),
        ("Acme Corp. The firm denied it. Acme Corp. Chairman spoke.",
         ["Acme Corp.", "The firm denied it.", "Acme Corp. Chairman spoke."]),
    ],
)
def test_hard_cases(text, expected):
    assert sents(text) == expected


def test_sentences_never_cross_paragraphs_and_offsets_index_the_text():
    text, spans = segment(["One. Two", "Three. Four."])
    assert text == "One. Two\n\nThree. Four."
    assert [(text[a:b], p) for a, b, p in spans] == [("One.", 0), ("Two", 0), ("Three.", 1), ("Four.", 1)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=200).filter(
    lambda s: s.strip()), min_size=1, max_size=5))
def test_offsets_cover_text_in_order_without_overlap(paragraphs):
    paragraphs = [" ".join(p.split()) for p in paragraphs]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return
    text, spans = segment(paragraphs)
    last_end, last_para = 0, 0
    for a, b, p in spans:
        assert 0 <= last_end <= a < b <= len(text)
        assert p >= last_para
        assert text[a:b] == text[a:b].strip()
        assert "\n\n" not in text[a:b]
        last_end, last_para = b, p
    covered = "".join(text[a:b] for a, b, _ in spans)
    assert covered.replace(" ", "") == text.replace("\n", "").replace(" ", "")
