"""Sentence segmentation with character offsets (Python code points), candidate first.

The splitter looks only at the cheap candidates — terminal punctuation, any closing quotes or brackets,
then whitespace — and decides each from the token before it and the character after it, using the
tables in ``abbreviations.py``. Sentences never cross a paragraph boundary. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from natostance.builder.abbreviations import AMBIGUOUS, BEFORE_NUMBER, NEVER, STARTERS, TITLES

# group 1: a run of terminal punctuation and any closing quotes or brackets; then the whitespace after it, up to
# (not taking) the next character. Tried only where a terminal character is (str.find finds them far faster
# than the regex engine, which tests every character against a class).
_TERMINALS = ".!?…"
_CANDIDATE = re.compile(r"([.!?…][.!?…]*[\"'”’)\]»]*)\s+(?=\S)")
_OPENERS = "\"“‘'([«"
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_WORD = re.compile(r"[\w’'-]+")
_NO_END = TITLES | NEVER


def _token_before(text: str, pos: int, floor: int) -> str:
    """The token ending at ``pos`` (exclusive), without leading quotes or brackets."""
    token = text[text.rfind(" ", floor, pos) + 1 or floor:pos]
    if not token.isprintable():  # every other whitespace character is unprintable: walk back to the nearest
        start = pos
        while start > floor and not text[start - 1].isspace():
            start -= 1
        token = text[start:pos]
    return token.lstrip(_OPENERS)


def _full_stop_ends(text: str, m: re.Match[str], nxt: int, floor: int) -> bool:
    """Whether a single full stop (with any closing quotes) before ``text[nxt]`` ends a sentence."""
    word = _token_before(text, m.start(), floor)
    if not word:
        return True  # a full stop after a space, as machine translations print it: "statement . As"
    if word in _NO_END or (len(word) == 1 and word.isupper()):
        return False
    c = text[nxt]
    if word in BEFORE_NUMBER and c.isdigit():
        return False
    if word in AMBIGUOUS or ("." in word and _ACRONYM.fullmatch(word)):
        if c in _OPENERS:
            return True
        following = _WORD.match(text, nxt)
        return bool(following) and following.group() in STARTERS
    return True


def terminals(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Sorted positions of the terminal characters (``. ! ? …``) in ``text[start:end]``."""
    end = len(text) if end is None else end
    out = []
    for ch in _TERMINALS:
        i = text.find(ch, start, end)
        while i >= 0:
            out.append(i)
            i = text.find(ch, i + 1, end)
    out.sort()
    return out


def _candidates(text: str, start: int, end: int, marks: list[int]):
    """What ``_CANDIDATE.finditer(text, start, end)`` yields (a match can only start at a terminal character)."""
    after = start
    for i in range(bisect_left(marks, start), len(marks)):
        pos = marks[i]
        if pos >= end:
            return
        if pos >= after and (m := _CANDIDATE.match(text, pos, end)):
            yield m
            after = m.end()


def split_paragraph(text: str, start: int = 0, end: int | None = None,
                    marks: list[int] | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` inside ``text[start:end]``, leading and trailing spaces excluded.
    ``marks``: ``terminals(text)`` when the caller has it (one search for a whole article)."""
    end = len(text) if end is None else end
    spans = []
    begin = start
    for m in _candidates(text, start, end, terminals(text, start, end) if marks is None else marks):
        nxt = m.end()
        c = text[nxt]
        if not (c.isupper() or c.isdigit() or c in _OPENERS):
            continue
        punct = m.group(1)
        # ? ! … and spaced or unspaced ellipses followed by a capital always end one; a full stop may not
        if punct[0] != "." or punct[1:2] == "." or _full_stop_ends(text, m, nxt, start):
            spans.append((begin, m.end(1)))
            begin = nxt
    while begin < end and text[begin].isspace():
        begin += 1
    stop = end
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    if stop > begin:
        spans.append((begin, stop))
    return spans


def join_paragraphs(paragraphs: list[str]) -> tuple[str, list[int]]:
    """The article text (paragraphs joined by a blank line) and each paragraph's start offset."""
    starts, pos = [], 0
    for p in paragraphs:
        starts.append(pos)
        pos += len(p) + 2
    return "\n\n".join(paragraphs), starts


def segment(paragraphs: list[str]) -> tuple[str, list[tuple[int, int, int]]]:
    """Return the article text and its sentences as ``(start, end, paragraph_index)``."""
    text, starts = join_paragraphs(paragraphs)
    marks = terminals(text)
    out = []
    for i, (p, s) in enumerate(zip(paragraphs, starts)):
        out.extend((a, b, i) for a, b in split_paragraph(text, s, s + len(p), marks))
    return text, out
