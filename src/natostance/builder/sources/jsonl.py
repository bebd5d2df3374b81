"""JSON lines: one article per line, in the shapes crawls and dataset dumps produce.

``FIELDS`` maps each metadata field to the keys it is read from, first present wins: the builder's own
names (README), news-please (``maintext``, ``date_publish``, ``authors``, ``source_domain``), and the usual
dataset dump (``id``, ``url``, ``title``, ``date``, ``text``). The record's own id becomes ``source_id``.
Keys the table does not name are kept in ``RawArticle.unmapped`` and listed per file in the build report.
A bad line is rejected with its line number and the key at fault; the other lines are still read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from natostance.builder.authors import names
from natostance.builder.dates import to_iso_date
from natostance.builder.document import Meta, RawArticle, Rejected
from natostance.builder.sources.htmlblocks import html_blocks
from natostance.builder.sources.plain import split_blocks

TEXT_KEYS = ("text", "maintext", "content", "body", "article")  # plain text of the article
HTML_KEYS = ("html",)  # an HTML fragment or page body
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "outlet": ("outlet", "source_domain", "site_name", "sitename", "publisher"),
    "republisher": ("republisher",),
    "url": ("url", "link"),
    "original_url": ("original_url",),
    "language": ("language", "lang"),
    "original_language": ("original_language",),
    "published": ("published", "date_publish", "date", "published_at", "publish_date", "datePublished", "pubdate"),
    "posted": ("posted",),
    "authors": ("authors", "author", "byline"),
    "tags": ("tags", "keywords"),
    "categories": ("categories", "category", "section"),
    "embeds": ("embeds",),
    "source_id": ("id", "_id", "source_id", "doc_id", "uuid"),
    "machine_translated": ("machine_translated",),
}
_DATES = ("published", "posted")
_LISTS = ("tags", "categories", "embeds")
_LIST_OR_STRING = ("authors", "tags", "categories")


def _first(rec: dict, keys: tuple[str, ...]) -> tuple[str | None, object]:
    for key in keys:
        if rec.get(key) not in (None, "", []):
            return key, rec[key]
    return None, None


def _body(rec: dict) -> tuple[str | None, str | None]:
    """(key, text) of the record's body: the first non-empty text key, else an HTML one."""
    for key in TEXT_KEYS + HTML_KEYS:
        if isinstance(rec.get(key), str) and rec[key].strip():
            return key, rec[key]
    return None, None


def _problem(rec: object, values: dict[str, tuple[str, object]]) -> str | None:
    if not isinstance(rec, dict):
        return f"expected a JSON object, found {type(rec).__name__}"
    if _body(rec)[0] is None:
        found = next((f"'{k}': {rec[k]!r}"[:60] for k in TEXT_KEYS + HTML_KEYS if k in rec), "none of them")
        return f"expected a non-empty string in one of {', '.join(TEXT_KEYS + HTML_KEYS)}; found {found}"
    for field, (key, value) in values.items():
        if field == "machine_translated":
            if not isinstance(value, bool):
                return f"field '{key}': expected true or false, found {value!r}"
        elif field == "source_id":
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                return f"field '{key}': expected a string or integer id, found {type(value).__name__}"
        elif field in _LIST_OR_STRING and isinstance(value, list) or field in _LISTS:
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                return f"field '{key}': expected a list of strings, found {type(value).__name__}"
        elif not isinstance(value, str):
            return f"field '{key}': expected a string or null, found {type(value).__name__}"
        if field in _DATES and to_iso_date(value) is None:
            return f"field '{key}': expected a date such as 2022-01-27, found {value!r}"
    return None


def _meta(values: dict[str, tuple[str, object]]) -> Meta:
    v = {field: value for field, (_, value) in values.items()}
    meta = Meta(**{f: v.get(f) for f in ("title", "outlet", "republisher", "url", "original_url", "language",
                                         "original_language")})
    meta.published, meta.posted = to_iso_date(v.get("published")), to_iso_date(v.get("posted"))
    meta.authors = names(v.get("authors"), [x for x in (meta.outlet,) if x])
    for field in _LISTS:
        value = v.get(field) or []
        getattr(meta, field).extend([x.strip() for x in value.split(",") if x.strip()] if isinstance(value, str) else value)
    meta.machine_translated = bool(v.get("machine_translated", False))
    meta.source_id = str(v["source_id"]) if "source_id" in v else None
    return meta


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")`` one line at a time (a dump of millions of short lines is not listed first)."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def read(text: str, where: str, first_line: int = 1) -> Iterator[RawArticle | Rejected]:
    """Records of ``text``; ``first_line`` is the line number of its first line (when a dump is read in parts)."""
    for lineno, line in enumerate(_lines(text), start=first_line):
        if not line.strip():
            continue
        here = f"{where}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(here, f"malformed JSON at column {exc.colno}: {exc.msg}")
            continue
        except RecursionError:
            yield Rejected(here, "JSON nested too deeply to read (expected one flat article object)")
            continue
        yield record(rec, where, lineno, hashlib.sha256(line.encode("utf-8")).hexdigest())


def record(rec: object, where: str, lineno: int, sha: str, here: str | None = None) -> RawArticle | Rejected:
    """One parsed article object (a JSON line, or an element of a JSON array starting on line ``lineno``);
    ``here`` names it in a reject (default ``<where>:<lineno>``)."""
    values = {f: kv for f, keys in FIELDS.items() if (kv := _first(rec, keys))[0]} if isinstance(rec, dict) else {}
    problem = _problem(rec, values)
    if problem:
        return Rejected(here or f"{where}:{lineno}", problem)
    body_key, body = _body(rec)
    if body_key in HTML_KEYS:
        blocks, embeds = html_blocks(body)
    else:
        blocks, embeds = split_blocks(body), []
    meta = _meta(values)
    meta.embeds.extend(embeds)
    used = {body_key} | {key for key, _ in values.values()}
    return RawArticle(source_file=where, source_format="jsonl", record_sha256=sha, blocks=blocks, meta=meta,
                      source_line=lineno,
                      unmapped=tuple(sorted(k for k, v in rec.items() if k not in used and v not in (None, "", [], {}))))
