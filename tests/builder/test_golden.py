"""Golden files for the five seeds: clean text (paragraphs), metadata and sentences, reviewed by eye.

``tests/builder/golden/<seed>.json`` holds the article row (metadata and paragraphs) and the removals;
``tests/builder/golden/<seed>.sentences.txt`` is the gold segmentation: one sentence per line, a blank line between
paragraphs. Every boundary in it was checked by a maintainer against the text (see tests/builder/golden/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from natostance.builder.pipeline import raw_files
from natostance.builder.process import process_article
from natostance.builder.segment import segment
from natostance.builder.sources import read_file
from natostance.builder.sourcesfile import load

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "dataset" / "raw"
GOLDEN = Path(__file__).parent / "golden"
SEEDS = [p.name for p in raw_files(RAW)]


def built(name: str):
    sources = load(RAW)
    (raw,) = list(read_file(RAW / name, RAW))
    article, sentences, removals = process_article(raw, sources.curated(name), sources.rule)
    return article, sentences, removals


def golden_doc(article: dict, removals: dict) -> dict:
    meta = {k: v for k, v in article.items() if k != "text"}
    return {"article": meta, "paragraphs": article["text"].split("\n\n"), "removals": removals}


def sentences_text(article: dict, sentences: list[dict]) -> str:
    out, para = [], 0
    for s in sentences:
        if s["paragraph"] != para:
            out.append("")
            para = s["paragraph"]
        out.append(s["text"])
    return "\n".join(out) + "\n"


def read_gold_segmentation(name: str) -> list[list[str]]:
    text = (GOLDEN / f"{Path(name).stem}.sentences.txt").read_text(encoding="utf-8")
    return [p.split("\n") for p in text.strip("\n").split("\n\n")]


@pytest.mark.parametrize("name", SEEDS)
def test_seed_matches_golden(name, update_golden):
    article, sentences, removals = built(name)
    doc = golden_doc(article, removals)
    stem = Path(name).stem
    if update_golden:
        (GOLDEN / f"{stem}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (GOLDEN / f"{stem}.sentences.txt").write_text(sentences_text(article, sentences), encoding="utf-8")
    want = json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))
    assert doc == want
    assert sentences_text(article, sentences) == (GOLDEN / f"{stem}.sentences.txt").read_text(encoding="utf-8")


def boundaries(paragraphs: list[list[str]]) -> set[tuple[int, int]]:
    """Sentence-end positions as (paragraph, characters of sentence text before the end)."""
    out = set()
    for p, sents in enumerate(paragraphs):
        pos = 0
        for s in sents:
            pos += len(s)
            out.add((p, pos))
    return out


def test_segmenter_boundary_f1_against_gold_is_at_least_099():
    tp = fp = fn = 0
    for name in SEEDS:
        gold = read_gold_segmentation(name)
        paragraphs = [" ".join(p) for p in gold]
        text, spans = segment(paragraphs)
        pred: list[list[str]] = [[] for _ in paragraphs]
        for a, b, p in spans:
            pred[p].append(text[a:b])
        g, s = boundaries(gold), boundaries(pred)
        tp, fp, fn = tp + len(g & s), fp + len(s - g), fn + len(g - s)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert tp > 190 and f1 >= 0.99, (precision, recall, f1)


def test_gold_paragraphs_are_the_clean_text():
    for name in SEEDS:
        article, _, _ = built(name)
        assert [" ".join(p) for p in read_gold_segmentation(name)] == article["text"].split("\n\n")
