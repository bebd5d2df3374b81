"""Plain and markdown-ish text: paragraphs are blank-line separated blocks (or lines, if a file has none).

Headers, bylines and trailers are left in the blocks: the cleaning rules recognise and lift them.
"""

from __future__ import annotations

import re

from natostance.builder.document import RawArticle

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


def split_blocks(text: str) -> list[str]:
    """Blank-line separated blocks; a text with no blank line at all is taken line by line."""
    body = text.strip()
    if _BLANK_LINE.search(body):
        parts = _BLANK_LINE.split(body)
    else:
        parts = body.split("\n")
    return [p for p in parts if p.strip()]


def read(text: str, where: str, sha: str, fmt: str = "plain") -> RawArticle:
    return RawArticle(source_file=where, source_format=fmt, record_sha256=sha, blocks=split_blocks(text))
