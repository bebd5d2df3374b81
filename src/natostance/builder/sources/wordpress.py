"""WordPress REST API post (``/wp-json/wp/v2/posts/<id>``): HTML in ``content.rendered``. A listing
(``/wp-json/wp/v2/posts``, an array of posts) is read by ``jsonarray``, one post at a time through ``post``."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from natostance.builder.dates import to_iso_date
from natostance.builder.document import Meta, RawArticle
from natostance.errors import InputError
from natostance.builder.sources.htmlblocks import html_blocks, html_to_text


def _rendered(doc: dict, key: str) -> str | None:
    value = doc.get(key)
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else None


def _classes(doc: dict, prefix: str) -> list[str]:
    classes = doc.get("class_list") or []
    if isinstance(classes, dict):  # some sites serialise the list as an object
        classes = list(classes.values())
    return [c[len(prefix):] for c in classes if isinstance(c, str) and c.startswith(prefix)]


def read(text: str, where: str, sha: str) -> RawArticle:
    return post(json.loads(text), where, sha)


def is_post(doc: object) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("content"), dict) and "rendered" in doc["content"]


def post(doc: dict, where: str, sha: str, lineno: int | None = None) -> RawArticle:
    """One parsed post (a file, or an element of a REST listing starting on line ``lineno``)."""
    content = _rendered(doc, "content")
    if content is None:
        raise InputError(where, "WordPress post without a string content.rendered")
    blocks, embeds = html_blocks(content)
    if not blocks:
        raise InputError(where, "WordPress post whose content.rendered holds no text")
    link = doc.get("link") if isinstance(doc.get("link"), str) else None
    title = _rendered(doc, "title")
    meta = Meta(
        title=html_to_text(title) or None if title else None,
        url=link,
        republisher=urlsplit(link).hostname if link else None,
        posted=to_iso_date(doc.get("date_gmt") or doc.get("date")) if isinstance(doc.get("date"), str) else None,
        categories=_classes(doc, "category-"),
        tags=_classes(doc, "tag-"),
        embeds=embeds,
    )
    return RawArticle(source_file=where, source_format="wordpress", record_sha256=sha, blocks=blocks, meta=meta,
                      source_line=lineno)
