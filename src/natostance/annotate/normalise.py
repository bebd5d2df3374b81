"""The two normalisations the campaign compares labels by: claim-span edges and speaker strings.

Agreement and gold use these and nothing else, so an agreement figure and a gold decision never compare
two labels differently.

``span_bounds`` applies the *mechanical* edge rules of guidelines v1.2, section 5 (C6 and C7); the
linguistic rules on where a claim starts and ends (C4, C5, C8) need a reader and are left to the
annotators and the adjudicator. At either edge of a span it removes, until nothing changes:

* whitespace (C6: a span never begins or ends with whitespace);
* at the end: a comma, semicolon, colon, dash, ellipsis or sentence-final ``.`` ``!`` ``?`` (C6), except
  (a) the full stop of an abbreviation (``the U.S.``, ``Inc.``), (b) punctuation printed just before a
  closing quotation mark that stays, (c) a closing bracket whose partner is inside the span;
* a quotation mark (``"`` ``“`` ``”`` ``'`` ``‘`` ``’`` ``«`` ``»``; not an apostrophe inside a word)
  whose partner is not inside the span (C7), and an opening bracket whose partner is not inside it;
* when the span is nothing but one quotation: both marks and the punctuation just inside the closing
  mark (C7).

``speaker_key`` is the speaker comparison (C10 fixes how a speaker is written; this forgives the slips
that do not change who is meant): Unicode NFKC, case folded, runs of whitespace as one space, a leading
"the", surrounding quotation marks or punctuation and a trailing possessive ``'s`` left out.
"""

from __future__ import annotations

import re
import unicodedata

from natostance.builder.abbreviations import AMBIGUOUS, TITLES

OPENING = {'"': '"', "“": "”", "‘": "’", "'": "'", "«": "»"}  # the marks C7 lists, with their partners
CLOSING = {'"': '"', "”": "“", "’": "‘", "'": "'", "»": "«"}
QUOTES = set(OPENING) | set(CLOSING)
BRACKETS = {"(": ")", "[": "]", "{": "}"}
END_PUNCT = set(",;:.!?…") | {"-", "–", "—", "‒", "―"}
_ABBREV = {a.casefold() for a in AMBIGUOUS | TITLES}
_INITIALISM = re.compile(r"(?:^|[^\w.])(?:\w\.)+\w?$")  # "U.S", "U.S.A", "e.g"


def _apostrophe(s: str, i: int) -> bool:
    """A ' or ’ between two letters or digits ("Kyiv’s") is part of a word, not a quotation mark."""
    return s[i] in "'’" and 0 < i < len(s) - 1 and s[i - 1].isalnum() and s[i + 1].isalnum()


def _partner_inside(s: str, i: int) -> bool:
    """Does the quotation mark or bracket at edge position ``i`` (0 or len-1) pair with another inside ``s``?"""
    ch = s[i]
    if ch in BRACKETS or ch in BRACKETS.values():
        opening, closing = (ch, BRACKETS[ch]) if ch in BRACKETS else (next(k for k, v in BRACKETS.items() if v == ch), ch)
        depth = 0
        rng = range(len(s)) if i == 0 else range(len(s) - 1, -1, -1)
        for j in rng:
            depth += (s[j] == opening) - (s[j] == closing) if i == 0 else (s[j] == closing) - (s[j] == opening)
            if depth == 0:
                return j != i
        return False
    want = OPENING.get(ch) if i == 0 else CLOSING.get(ch)
    others = range(1, len(s)) if i == 0 else range(len(s) - 2, -1, -1)
    return any(s[j] == want and not _apostrophe(s, j) for j in others)


def _abbreviation_stop(s: str) -> bool:
    """Is the final full stop of ``s`` an abbreviation's (C6 a)?"""
    head = s[:-1]
    word = re.search(r"[\w.]+$", head)
    if not word:
        return False
    token = word.group(0)
    return token.rstrip(".").casefold() in _ABBREV or bool(_INITIALISM.search(token))


def _single_quotation(s: str) -> bool:
    """Is ``s`` one quotation and nothing else (its opening mark pairs with its last character)?"""
    if len(s) < 2 or s[0] not in OPENING or s[-1] != OPENING[s[0]]:
        return False
    inner = [j for j in range(1, len(s) - 1) if s[j] in (s[0], s[-1]) and not _apostrophe(s, j)]
    return not inner


def span_bounds(span: str) -> tuple[int, int]:
    """(i, j) such that ``span[i:j]`` is the span with its edges normalised as the module docstring says."""
    i, j = 0, len(span)
    while i < j:
        s = span[i:j]
        if s[0].isspace():
            i += 1
        elif s[-1].isspace():
            j -= 1
        elif _single_quotation(s):
            i, j = i + 1, j - 1
            while j > i and (span[j - 1] in END_PUNCT or span[j - 1].isspace()):
                j -= 1
        elif (s[0] in QUOTES and not _apostrophe(s, 0) or s[0] in BRACKETS) and not _partner_inside(s, 0):
            i += 1
        elif (s[-1] in QUOTES and not _apostrophe(s, len(s) - 1) or s[-1] in BRACKETS.values()) \
                and not _partner_inside(s, len(s) - 1):
            j -= 1
        elif s[-1] in END_PUNCT and not (s[-1] == "." and _abbreviation_stop(s)):
            j -= 1
        else:
            break
    return i, j


def normalised_span(start: int, end: int, text: str) -> tuple[int, int]:
    """Offsets of a span after ``span_bounds``; ``text`` is the span's own text (``article[start:end]``)."""
    i, j = span_bounds(text)
    return (start + i, start + j) if i < j else (start, end)


def speaker_key(speaker: str | None) -> str | None:
    """The comparison form of a speaker string (None for an empty one)."""
    if not speaker:
        return None
    s = unicodedata.normalize("NFKC", speaker).casefold()
    s = re.sub(r"\s+", " ", s).strip()
    s = s.strip("\"'“”‘’«».,;:!?()[] ")
    s = re.sub(r"['’]s$", "", s).strip()
    s = re.sub(r"^the ", "", s)
    return s or None
