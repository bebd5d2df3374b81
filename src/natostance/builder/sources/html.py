"""A whole HTML news page: main text by trafilatura, its setting chosen per page; metadata from the markup.

The page is parsed once. trafilatura's precision setting (tables kept: some pages hold their body in
one) reads the text first; when it keeps less than ``SHORT_SHARE`` of the page's visible text, the default
setting runs too and wins if precision kept under ``SWITCH_SHARE`` of what it found, and a page that both
leave empty gets a last run that favours recall. So a page trafilatura can read is never lost to the
precision setting. Metadata come from ``htmlmeta`` (JSON-LD, ``<meta>``, ``<h1>``); htmldate, which looks
for the original publication date, only when the markup names none; the language from ``language.decide``.
"""

from __future__ import annotations

from natostance.builder import language
from natostance.builder.document import Meta, RawArticle
from natostance.builder.sources import htmlmeta
from natostance.errors import InputError
from natostance.guard import shown

SHORT_SHARE = 0.10
SWITCH_SHARE = 0.25
_COMMON = {"include_comments": False, "include_tables": True, "with_metadata": False}


def _visible_chars(tree) -> int:
    body = tree.find("body")
    root = body if body is not None else tree
    skip = {"script", "style", "noscript", "template", "svg"}
    return sum(len(t.strip()) for el in root.iter() if isinstance(el.tag, str) and el.tag not in skip
               for t in (el.text, el.tail if el is not root else None) if t)


def _run(tree, **options) -> str:
    import trafilatura

    found = trafilatura.bare_extraction(tree, **_COMMON, **options)
    return (found.text or "") if found is not None else ""


def main_text(tree) -> str:
    """The page's main text (lines are paragraphs), with the setting chosen for this page."""
    text = _run(tree, favor_precision=True)
    if len(text) < SHORT_SHARE * _visible_chars(tree):
        default = _run(tree)
        if len(text) < SWITCH_SHARE * len(default):
            text = default
    if not text.strip():
        text = _run(tree, favor_recall=True)
    return text


def _date_fallback(tree) -> str | None:
    from htmldate import find_date

    try:
        return find_date(tree, original_date=True, extensive_search=False)
    except (ValueError, TypeError):
        return None


def read(text: str, where: str, sha: str) -> RawArticle:
    from trafilatura.utils import load_html  # imported here: plain-text builds never pay for lxml

    try:
        tree = load_html(text)
        body = main_text(tree) if tree is not None else ""
    except (ValueError, TypeError, RecursionError, MemoryError) as exc:  # third-party code on hostile markup
        found = f"{type(exc).__name__}: {shown(str(exc))}"
        raise InputError(where, f"HTML page the extractor could not read ({found})") from None
    if tree is None:
        raise InputError(where, "HTML page that could not be parsed")
    blocks = [b for b in body.split("\n") if b.strip()]
    if not blocks:
        raise InputError(where, "HTML page in which no main text was found")
    page = htmlmeta.read(tree, _date_fallback)
    meta = Meta(
        title=page.title,
        authors=page.authors,
        outlet=page.outlet,
        url=page.url,
        published=page.published,
        language=language.decide(page.declared_language, body),
        categories=page.categories,
        tags=page.tags,
    )
    return RawArticle(source_file=where, source_format="html", record_sha256=sha, blocks=blocks, meta=meta)
