"""JSON lines: one article per line, ``text`` (or ``html``) plus metadata fields (schemas/jsonl-article.schema.json).

A bad line is rejected with its line number; the other lines are still read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from natostance.builder.dates import to_iso_date
from natostance.builder.document import Meta, RawArticle, Rejected
from natostance.builder.sources.htmlblocks import html_blocks
from natostance.builder.sources.plain import split_blocks

_STR_FIELDS = ("title", "author", "outlet", "republisher", "url", "original_url", "language", "original_language")
_DATE_FIELDS = ("published", "posted")
_LIST_FIELDS = ("tags", "categories", "embeds")


def _problem(rec: object) -> str | None:
    if not isinstance(rec, dict):
        return f"expected a JSON object, found {type(rec).__name__}"
    body = rec.get("text", rec.get("html"))
    if not isinstance(body, str) or not body.strip():
        return "expected a non-empty string field 'text' (or 'html'), found " + (
            "none" if body is None else repr(body)[:40])
    for key in _STR_FIELDS + _DATE_FIELDS:
        if rec.get(key) is not None and not isinstance(rec[key], str):
            return f"field '{key}': expected a string or null, found {type(rec[key]).__name__}"
    for key in _LIST_FIELDS:
        if rec.get(key) is not None and not (isinstance(rec[key], list) and all(isinstance(v, str) for v in rec[key])):
            return f"field '{key}': expected a list of strings"
    if "machine_translated" in rec and not isinstance(rec["machine_translated"], bool):
        return "field 'machine_translated': expected true or false"
    for key in _DATE_FIELDS:
        if rec.get(key) and to_iso_date(rec[key]) is None:
            return f"field '{key}': expected a date such as 2022-01-27, found {rec[key]!r}"
    return None


def read(text: str, where: str, first_line: int = 1) -> Iterator[RawArticle | Rejected]:
    """Records of ``text``; ``first_line`` is the line number of its first line (when a dump is read in parts)."""
    for lineno, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        here = f"{where}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(here, f"malformed JSON at column {exc.colno}: {exc.msg}")
            continue
        problem = _problem(rec)
        if problem:
            yield Rejected(here, problem)
            continue
        if isinstance(rec.get("text"), str):
            blocks, embeds = split_blocks(rec["text"]), []
        else:
            blocks, embeds = html_blocks(rec["html"])
        meta = Meta(
            **{k: rec.get(k) for k in _STR_FIELDS},
            **{k: to_iso_date(rec.get(k)) for k in _DATE_FIELDS},
            **{k: list(rec.get(k) or []) for k in _LIST_FIELDS},
            machine_translated=bool(rec.get("machine_translated", False)),
        )
        meta.embeds.extend(embeds)
        sha = hashlib.sha256(line.encode("utf-8")).hexdigest()
        yield RawArticle(source_file=where, source_format="jsonl", record_sha256=sha, blocks=blocks, meta=meta,
                         source_line=lineno)
