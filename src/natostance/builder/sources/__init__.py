"""Readers: one per raw format, chosen from a file's content (never its name).

``read_file(path, root)`` yields ``RawArticle`` records, or ``Rejected`` for a bad record inside a
multi-record file; a file that cannot be read at all raises ``InputError`` naming the file and problem.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from natostance.builder.document import RawArticle, Rejected
from natostance.errors import InputError
from natostance.builder.sources import html, jsonarray, jsonl, plain, wordpress
from natostance.builder.sources.decode import decode

FORMATS = ("plain", "markdown", "wordpress", "html", "jsonl")  # of records (a JSON array holds wordpress or jsonl ones)
_MARKDOWN = re.compile(r"\]\([^)\s]*\)|<https?://[^>\s]+>|^#{1,6} \S", re.MULTILINE)
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # where str.splitlines splits
_HTML = re.compile(r"<(?:!doctype html|html|body|article)[\s>]", re.IGNORECASE)


def _nonblank_lines(text: str, n: int) -> list[str]:
    """The first ``n`` non-blank lines of ``[ln for ln in text.splitlines() if ln.strip()]``, without splitting
    the rest (a 10 MB dump of short lines would be listed whole just to look at its head)."""
    out, start = [], 0
    for m in _LINE_BREAK.finditer(text):
        if (line := text[start:m.start()]).strip():
            out.append(line)
            if len(out) == n:
                return out
        start = m.end()
    if (line := text[start:]).strip():
        out.append(line)
    return out


def detect_format(text: str, where: str) -> str:
    """Tell the format from content: JSON object (WordPress), JSON lines, JSON array (of posts or articles),
    HTML page, markdown or plain."""
    head = text.lstrip()[:4096]
    if head.startswith("{"):
        lines = _nonblank_lines(text, 3)
        if len(lines) > 1 and all(ln.lstrip().startswith("{") for ln in lines):
            return "jsonl"
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        except RecursionError:
            raise InputError(where, "JSON nested too deeply to read (expected one flat article object)") from None
        if wordpress.is_post(doc):
            return "wordpress"
        if isinstance(doc, dict) and any(isinstance(doc.get(k), str) for k in jsonl.TEXT_KEYS + jsonl.HTML_KEYS):
            return "jsonl"
        keys = ", ".join(sorted(doc)[:8]) if isinstance(doc, dict) else type(doc).__name__
        raise InputError(where, "JSON is neither a WordPress post (content.rendered) nor an article with one of "
                         f"{', '.join(jsonl.TEXT_KEYS + jsonl.HTML_KEYS)}; found {keys}")
    if head.startswith("["):
        return "array"
    if "<" in head and _HTML.search(head):
        return "html"
    if ("](" in text or "<http" in text or "#" in text) and _MARKDOWN.search(text):  # substrings it cannot match without
        return "markdown"
    return "plain"


def read_bytes(data: bytes, where: str) -> Iterator[RawArticle | Rejected]:
    text = decode(data, where)
    fmt = detect_format(text, where)
    sha = hashlib.sha256(data).hexdigest()
    if fmt == "jsonl":
        yield from jsonl.read(text, where)
    elif fmt == "array":
        yield from jsonarray.read(text, where)
    elif fmt == "wordpress":
        yield wordpress.read(text, where, sha)
    elif fmt == "html":
        yield html.read(text, where, sha)
    else:
        yield plain.read(text, where, sha, fmt)


def read_records(data: bytes, where: str) -> Iterator[RawArticle | Rejected]:
    """``read_bytes`` as the builder consumes it: the records as they are read, a problem with the whole file as
    one ``Rejected`` (after the elements read before it, in a JSON array broken part-way)."""
    try:
        yield from read_bytes(data, where)
    except InputError as exc:
        yield Rejected(exc.where, exc.problem)


def read_file(path: Path, root: Path) -> Iterator[RawArticle | Rejected]:
    where = path.relative_to(root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(where, f"cannot read file: {exc.strerror}") from None
    yield from read_bytes(data, where)
