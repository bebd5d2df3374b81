"""The one document type that flows through the builder, and its typed metadata.

A reader turns raw bytes into a ``RawArticle`` (paragraph blocks plus what the file says about itself);
pure cleaning steps turn it into an ``Article``; the segmenter adds sentence spans. Metadata are named,
typed fields — no free-form bag — and every value either comes from the file or is marked curated.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field


@dataclass(slots=True)
class Meta:
    """What a file says about the article (all optional: never invented)."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)  # person or agency names, in byline order
    outlet: str | None = None  # original publisher
    republisher: str | None = None  # site or aggregator the copy comes from
    published: str | None = None  # ISO date of original publication, as the file states it
    posted: str | None = None  # ISO date the copy we have was posted (repost, aggregator, WordPress post)
    url: str | None = None  # URL of the copy we have
    original_url: str | None = None
    language: str | None = None
    original_language: str | None = None
    machine_translated: bool = False
    copyright: str | None = None  # copyright line as printed
    terms: str | None = None  # republication terms stated in the file (e.g. a cross-posting condition)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    embeds: list[str] = field(default_factory=list)  # tweet/video URLs lifted out of the text
    source_id: str | None = None  # the record's own id in the dump it comes from


@dataclass(slots=True)
class RawArticle:
    """A reader's output: one article as found in a file, before cleaning."""

    source_file: str  # file name relative to the raw folder
    source_format: str  # plain | markdown | wordpress | html | jsonl
    record_sha256: str  # SHA-256 of the raw bytes of this record (the whole file, one JSONL line, an array element)
    blocks: list[str]  # paragraph-like blocks in reading order
    meta: Meta = field(default_factory=Meta)
    source_line: int | None = None  # 1-based line where the record starts in a file of many (JSONL, JSON array)
    header_blocks: int = 0  # how many leading blocks form the header (title, bylines) for header rules
    unmapped: tuple[str, ...] = ()  # fields of a JSON record the builder has no column for (listed in the report)


@dataclass(slots=True)
class Article:
    """A cleaned article: text is the paragraphs joined by blank lines; offsets are code points."""

    article_id: str
    raw: RawArticle
    paragraphs: list[str]
    removals: dict[str, int]  # rule name -> how many times it removed or moved something
    text: str = ""
    paragraph_starts: list[int] = field(default_factory=list)
    sentences: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, paragraph)

    @property
    def meta(self) -> Meta:
        return self.raw.meta


@dataclass(frozen=True, slots=True)
class Rejected:
    """A file or record the builder could not use, with the reason (drop-with-reason). The reason is interned:
    a dump of a million bad records repeats a few reasons, held once each."""

    where: str
    reason: str
    dropped: bool = False  # left out by a chosen policy (e.g. undated articles dropped), not a bad record

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", sys.intern(self.reason))

    def to_json(self) -> dict:
        """A line of ``rejects.jsonl`` (``dropped`` only when true)."""
        return {"where": self.where, "reason": self.reason, **({"dropped": True} if self.dropped else {})}

    @classmethod
    def from_json(cls, row: dict) -> Rejected:
        return cls(row["where"], row["reason"], row.get("dropped", False))

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"
