"""A whole HTML news page: main text and metadata by trafilatura (a well-kept extractor)."""

from __future__ import annotations

from natostance.builder.dates import to_iso_date
from natostance.builder.document import Meta, RawArticle
from natostance.errors import InputError


def _split(value: object) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def read(text: str, where: str, sha: str) -> RawArticle:
    import trafilatura  # imported here: plain-text builds never pay for lxml

    found = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    doc = found.as_dict() if found is not None else {}
    body = doc.get("text") or ""
    blocks = [b for b in body.split("\n") if b.strip()]
    if not blocks:
        raise InputError(where, "HTML page in which no main text was found")
    meta = Meta(
        title=doc.get("title") or None,
        author=doc.get("author") or None,
        republisher=doc.get("sitename") or doc.get("hostname") or None,
        url=doc.get("url") or None,
        posted=to_iso_date(doc.get("date")),
        language=doc.get("language") or None,
        categories=_split(doc.get("categories")),
        tags=_split(doc.get("tags")),
    )
    return RawArticle(source_file=where, source_format="html", record_sha256=sha, blocks=blocks, meta=meta)
