"""The per-article function: one ``RawArticle`` in, one ``articles`` row and its ``sentences`` rows out.

Pure and engine-free: the local builder and any parallel engine call exactly this, so cleaning and
segmentation exist once. A record that cannot become a row raises ``Drop`` with its reason. Sentence rows
come as columns (``Sentences``), the shape Arrow takes them in: no dict per sentence on the hot path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from natostance.builder.cleaning.steps import clean
from natostance.builder.document import RawArticle
from natostance.builder.segment import segment
from natostance.builder.splits import SplitRule, Undated


class Drop(Exception):
    """The record is dropped, with this reason (counted in the build report); ``by_policy`` when a chosen
    policy drops it (undated articles under ``--undated drop``), not a problem with the record."""

    def __init__(self, reason: str, by_policy: bool = False):
        super().__init__(reason)
        self.by_policy = by_policy


@dataclass(slots=True)
class Sentences:
    """One article's ``sentences`` rows as columns (every row has the article's id and split; index = position)."""

    article_id: str
    split: str
    sentence_id: list[str]
    paragraph: list[int]
    start: list[int]
    end: list[int]
    text: list[str] | list[None]

    def __len__(self) -> int:
        return len(self.sentence_id)

    def columns(self) -> dict[str, list]:
        """Every field of the sentences schema -> its values."""
        n = len(self.sentence_id)
        return {"sentence_id": self.sentence_id, "article_id": [self.article_id] * n, "split": [self.split] * n,
                "index": list(range(n)), "paragraph": self.paragraph, "start": self.start, "end": self.end,
                "text": self.text}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The rows as dicts (for checks and tests; the build itself never makes them)."""
        cols = self.columns()
        return (dict(zip(cols, row)) for row in zip(*cols.values()))

    def without_text(self) -> Sentences:
        return Sentences(self.article_id, self.split, self.sentence_id, self.paragraph, self.start, self.end,
                         [None] * len(self.sentence_id))


def article_id(raw: RawArticle) -> str:
    return raw.record_sha256[:16]


def sentence_id(aid: str, index: int, text: str) -> str:
    return f"{aid}-{index:04d}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def _split_date(meta_published: str | None, meta_posted: str | None, curated: dict[str, Any]) -> tuple[date | None, str]:
    if meta_published:
        return date.fromisoformat(meta_published), "published"
    if meta_posted:
        return date.fromisoformat(meta_posted), "posted"
    est = curated.get("split_date_estimate")
    return (est, "curated_estimate") if est else (None, "")


def process_article(raw: RawArticle, curated: dict[str, Any], rule: SplitRule) -> tuple[dict, Sentences, dict[str, int]]:
    """Clean, segment and describe one article. Returns (article row, sentence rows, removals by rule)."""
    paragraphs, removals = clean(raw)
    if not paragraphs:
        raise Drop("no text left after cleaning")
    text, spans = segment(paragraphs)
    meta = raw.meta
    aid = article_id(raw)
    day, day_source = _split_date(meta.published, meta.posted, curated)
    try:
        split = rule.assign(day)
    except Undated as exc:
        raise Drop(str(exc), by_policy=exc.drop) from None
    curated_fields = []
    language = meta.language
    if language is None and curated.get("language"):
        language, _ = curated["language"], curated_fields.append("language")
    if curated.get("outlet_country"):
        curated_fields.append("outlet_country")
    if day_source == "curated_estimate":
        curated_fields.append("split_date")
    article = {
        "article_id": aid,
        "split": split,
        "title": meta.title,
        "text": text,
        "language": language,
        "published": meta.published,
        "posted": meta.posted,
        "split_date": day.isoformat() if day else None,
        "split_date_source": day_source or None,
        "authors": list(meta.authors),
        "outlet": meta.outlet,
        "outlet_country": curated.get("outlet_country"),
        "republisher": meta.republisher,
        "url": meta.url,
        "original_url": meta.original_url,
        "original_language": meta.original_language,
        "machine_translated": meta.machine_translated,
        "copyright": meta.copyright,
        "terms": meta.terms,
        "tags": list(meta.tags),
        "categories": list(meta.categories),
        "embeds": list(meta.embeds),
        "curated_fields": curated_fields,
        "source_file": raw.source_file,
        "source_sha256": raw.record_sha256,
        "source_format": raw.source_format,
        "source_line": raw.source_line,
        "source_id": meta.source_id,
        "n_paragraphs": len(paragraphs),
        "n_sentences": len(spans),
    }
    starts, ends, paras = (list(c) for c in zip(*spans)) if spans else ([], [], [])
    texts = [text[a:b] for a, b in zip(starts, ends)]
    ids = [sentence_id(aid, i, t) for i, t in enumerate(texts)]
    return article, Sentences(aid, split, ids, paras, starts, ends, texts), removals
