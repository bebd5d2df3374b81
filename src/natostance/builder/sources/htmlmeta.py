"""What a whole HTML page says about its article, read from the page's own markup.

Sources, most specific first: the JSON-LD object that describes the article (``NewsArticle`` and kin;
``@graph`` and ``@id`` references followed), ``<meta>`` tags (Open Graph ``article:*``, ``og:site_name``,
``author``, ``Content-Language``), the ``<h1>`` headline and ``<html lang>``; a date finder given by the
caller only when the markup names no date. Categories and tags come only from the article's own markup (``article:section``,
``article:tag``, JSON-LD ``articleSection``/``keywords``), never from a site's navigation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from natostance.builder import authors as A
from natostance.builder.dates import to_iso_date

ARTICLE_TYPES = frozenset({"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                           "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "Report",
                           "TechArticle", "ScholarlyArticle", "SocialMediaPosting", "SatiricalArticle", "AdvertiserContentArticle"})
PAGE_TYPES = frozenset({"WebPage", "ItemPage", "AboutPage", "CollectionPage"})
PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                  "publish-date", "publish_date", "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date",
                  "sailthru.date", "parsely-pub-date", "date")
AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl")
# Elements inside a reader-comments section say nothing about the article (a commenter's name and date).
_OUTSIDE_COMMENTS = ("not(ancestor::*[contains(translate(@class, 'COMENT', 'coment'), 'comment') or "
                     "contains(translate(@id, 'COMENT', 'coment'), 'comment')])")
_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+")
_URLISH = re.compile(r"^(?:https?://|www\.)|^[\w.-]+\.[a-z]{2,}/", re.IGNORECASE)
MAX_JSONLD_BYTES = 1 << 20
MAX_SITE_WORDS = 4  # a <title> suffix longer than this is part of the headline, not a site name


@dataclass(slots=True)
class PageMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    outlet: str | None = None
    declared_language: str | None = None
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _canonical(tree) -> str | None:
    links = tree.xpath('//link[@rel="canonical"]/@href')
    return str(links[0]).strip() or None if links else None


def _host(url: str | None) -> str | None:
    """The site's host name (``www.`` dropped) when the page names its site nowhere else."""
    host = urlsplit(url).hostname if url and url.startswith("http") else None
    return host[4:] if host and host.startswith("www.") else host


def _text(el) -> str:
    return " ".join(el.text_content().split())


def _jsonld(tree) -> list[dict]:
    """Every JSON-LD object of the page (nested lists and ``@graph`` flattened); unreadable blocks skipped."""
    found: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = script.text_content()
        if len(raw) > MAX_JSONLD_BYTES:
            continue
        try:
            stack = [json.loads(raw)]
        except (ValueError, RecursionError):
            continue
        while stack and len(found) < 500:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                found.append(item)
                if isinstance(item.get("@graph"), list):
                    stack[:0] = item["@graph"]
    return found


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    return {str(x).split("/")[-1] for x in (t if isinstance(t, list) else [t]) if x}


def _meta_tags(tree) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for m in tree.xpath(f"//meta[@content and {_OUTSIDE_COMMENTS}]"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").strip().lower()
        value = " ".join((m.get("content") or "").split())
        if key and value:
            tags.setdefault(key, []).append(value)
    return tags


def _names(value: Any, by_id: dict[str, dict]) -> list[str]:
    """Names in a JSON-LD author/publisher value (string, object, ``@id`` reference or list of them)."""
    out: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict) and "name" not in v and v.get("@id") in by_id:
            v = by_id[v["@id"]]
        if isinstance(v, dict) and isinstance(v.get("name"), str):
            out.append(v["name"])
        elif isinstance(v, str):
            out.append(v)
    return out


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _clean_site(name: str | None) -> str | None:
    """A site name without its tagline ("LinkNaija | Nigeria's popular news platform" → "LinkNaija"); a URL is no name."""
    if not name or _URLISH.search(name):
        return None
    head = _SEPARATORS.split(name, maxsplit=1)[0].strip()
    return head if len(head) >= 2 else name.strip()


def _squash(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.casefold())


def _outlet(meta: dict[str, list[str]], article: dict, objs: list[dict], by_id: dict, title_tag: str | None) -> str | None:
    suffix = _SEPARATORS.split(title_tag)[-1].strip() if title_tag and _SEPARATORS.search(title_tag) else None
    publisher = (_names(article.get("publisher"), by_id) or [None])[0]
    orgs = [o.get("name") for o in objs if _types(o) & {"Organization", "NewsMediaOrganization", "WebSite"}
            and isinstance(o.get("name"), str)]
    candidates = [_clean_site(c) for c in (*meta.get("og:site_name", []), publisher, *meta.get("application-name", []),
                                           *orgs)]
    candidates = [c for c in candidates if c]
    if suffix:
        for c in candidates:  # the name the page's own <title> ends with settles between candidates
            if _squash(c) == _squash(suffix) or _squash(c).startswith(_squash(suffix)) and len(_squash(suffix)) > 3:
                return c
    if candidates:
        return candidates[0]
    if suffix and len(suffix.split()) <= MAX_SITE_WORDS and not suffix[:1].islower():
        return _clean_site(suffix)
    return None


def _title(tree, meta: dict[str, list[str]], article: dict, title_tag: str | None, outlet: str | None) -> str | None:
    """The on-page headline: the ``<h1>`` that matches the page's declared headline, else the declared one."""
    declared = [t for t in (article.get("headline"), *meta.get("og:title", []), *meta.get("twitter:title", []), title_tag)
                if isinstance(t, str) and t.strip()]
    best, score = None, 0.0
    for h1 in tree.xpath("//h1")[:20]:
        text = _text(h1)
        if not text or len(text) > 400 or (outlet and _squash(text) == _squash(outlet)):
            continue
        for d in declared:
            r = SequenceMatcher(None, text.casefold(), d.casefold()).ratio()
            if d.casefold().startswith(text.casefold()) and len(text) > 10:
                r = max(r, 0.9)
            if r > score:
                best, score = text, r
    if best and score >= 0.6:
        return best
    if not declared:
        return None
    return _strip_site(declared[0], outlet)


def _strip_site(title: str, outlet: str | None) -> str:
    """A declared title without the site name some pages add before or after it."""
    parts = _SEPARATORS.split(title)
    if len(parts) > 1 and outlet:
        key = _squash(outlet)
        if _squash(parts[-1]) == key or key.startswith(_squash(parts[-1])) and len(_squash(parts[-1])) > 3:
            return _SEPARATORS.split(title)[0] if len(parts) == 2 else title[: title.rfind(parts[-1])].rstrip(" |-–—:·•»")
        if _squash(parts[0]) == key:
            return title[len(parts[0]):].lstrip(" |-–—:·•»")
    return title.strip()


def _published(meta: dict[str, list[str]], article: dict) -> str | None:
    for value in (article.get("datePublished"), *(v for k in PUBLISHED_META for v in meta.get(k, []))):
        if isinstance(value, str) and (day := to_iso_date(value)):
            return day
    return None


def _authors(tree, meta: dict[str, list[str]], article: dict, by_id: dict, outlet: str | None) -> list[str]:
    exclude = [x for x in (outlet,) if x]
    ld = _names(article.get("author"), by_id)
    tags = [v for k in AUTHOR_META for v in meta.get(k, []) if not _URLISH.search(v)]
    bylines = [_text(e) for e in tree.xpath(f'//*[(@rel="author" or @itemprop="author") and {_OUTSIDE_COMMENTS}]')[:5]]
    for source in (ld, tags, bylines):
        found = A.names(source, exclude)
        if found:
            return found
    return []


def read(tree, date_fallback: Callable[[Any], str | None]) -> PageMeta:
    """The page's metadata; ``date_fallback(tree)`` is asked for the date only when the markup has none."""
    objs = _jsonld(tree)
    by_id = {o["@id"]: o for o in objs if isinstance(o.get("@id"), str)}
    articles = [o for o in objs if _types(o) & ARTICLE_TYPES] or [o for o in objs if _types(o) & PAGE_TYPES]
    article = articles[0] if articles else {}
    meta = _meta_tags(tree)
    titles = tree.xpath("//title")
    title_tag = _text(titles[0]) if titles else None
    url = next(iter(meta.get("og:url", [])), None) or _canonical(tree)
    outlet = _outlet(meta, article, objs, by_id, title_tag) or _host(url)
    root = tree.getroottree().getroot()
    in_language = article.get("inLanguage") if isinstance(article.get("inLanguage"), str) else None
    lang = next((v for v in (root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"),
                             *meta.get("content-language", []), in_language, *meta.get("language", []),
                             *meta.get("og:locale", [])) if v and v.strip()), None)
    return PageMeta(
        title=_title(tree, meta, article, title_tag, outlet),
        authors=_authors(tree, meta, article, by_id, outlet),
        published=_published(meta, article) or to_iso_date(date_fallback(tree)),
        outlet=outlet,
        declared_language=lang,
        url=url,
        categories=_strings(article.get("articleSection")) or meta.get("article:section", []),
        tags=_strings(article.get("keywords")) or meta.get("article:tag", []) or _strings((meta.get("news_keywords") or [""])[0]),
    )
