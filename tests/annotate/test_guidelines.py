"""The guidelines hold no test-split text: anyone who few-shots a model from them must not see test labels."""

from __future__ import annotations

import re
import unicodedata

from natostance.parquet_io import read_config

N = 8  # words: a shared run this long is a quotation, not a coincidence


def words(text: str) -> list[str]:
    """Case-folded words; an apostrophe inside a word joins it (don't → dont), anything else non-alphanumeric splits."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"(?<=\w)['\u2018\u2019\u02bc`\u00b4](?=\w)", "", text)
    return re.sub(r"[\W_]+", " ", text).split()


def runs(text: str, n: int = N) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def held_out_texts(dataset) -> dict[str, str]:
    out = {s["sentence_id"]: s["text"] for s in read_config(dataset, "sentences") if s["split"] == "test"}
    out |= {f"{a['article_id']}/title": a["title"] for a in read_config(dataset, "articles")
            if a["split"] == "test" and a["title"]}
    return out


def shared_runs(guidelines: str, dataset) -> list[str]:
    g = runs(guidelines)
    return [f"{uid}: {' '.join(r)}" for uid, text in sorted(held_out_texts(dataset).items()) for r in sorted(runs(text) & g)]


def test_guidelines_quote_no_test_split_sentence(repo):
    guidelines = (repo / "annotation" / "guidelines.md").read_text(encoding="utf-8")
    assert len(held_out_texts(repo / "dataset")) > 10
    hits = shared_runs(guidelines, repo / "dataset")
    assert hits == [], f"{len(hits)} run(s) of {N} words from test-split text in annotation/guidelines.md:\n" + "\n".join(hits[:20])


def test_the_check_finds_a_quoted_test_sentence(repo):
    sid, text = next((k, v) for k, v in sorted(held_out_texts(repo / "dataset").items()) if len(words(v)) >= N)
    planted = "An example from the corpus: “" + text + "” → label it."
    assert any(h.startswith(sid) for h in shared_runs(planted, repo / "dataset"))
