"""A JSON array of articles in one file: a WordPress REST listing (``/wp-json/wp/v2/posts``, each element a
post) or a dump written as one array of article objects (the keys JSON lines take, ``jsonl.FIELDS``).

Each element is one record: a post is read as a WordPress post, any other object as a JSON-lines record. A
record is named by the line its element starts on (``source_line``) and hashed over its own bytes: the same
bytes in another array, or alone in a file, give the same article id (and are rejected as its duplicate). A
bad element is rejected by line and the others are still read. Elements are read one at a time: where the
array stops being well-formed JSON (a truncated download, say), the elements before the break are read and
the break is rejected with its line and column.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

from natostance.builder.document import RawArticle, Rejected
from natostance.builder.sources import jsonl, wordpress
from natostance.errors import InputError

_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace


def _skip(text: str, i: int) -> int:
    return _SPACE.match(text, i).end()


def _where(text: str, i: int) -> str:
    line = text.count("\n", 0, i) + 1
    return f"line {line}, column {i - text.rfind(chr(10), 0, i)}"  # rfind gives -1 on the first line


def elements(text: str, where: str) -> Iterator[tuple[int, str, object]]:
    """(line, source text, value) of each element of the top-level array in ``text``."""
    decoder = json.JSONDecoder()
    i = _skip(text, 0)
    if text[i:i + 1] != "[":
        raise InputError(where, f"expected a JSON array at {_where(text, i)}")
    i = _skip(text, i + 1)
    line, counted = 1, 0  # line number of position ``counted``, moved forward as elements are found
    first = True
    while i < len(text) and text[i] != "]":
        if not first:
            if text[i] != ",":
                raise InputError(where, f"malformed JSON array at {_where(text, i)}: expected ',' or ']', "
                                 f"found {text[i]!r}")
            i = _skip(text, i + 1)
        try:
            value, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        except RecursionError:
            raise InputError(where, f"JSON nested too deeply to read at {_where(text, i)} (expected article "
                             "objects)") from None
        line += text.count("\n", counted, i)
        counted = i
        yield line, text[i:end], value
        i, first = _skip(text, end), False
    if i >= len(text):
        raise InputError(where, "malformed JSON array: the file ends before its closing ']'")
    if rest := text[_skip(text, i + 1):]:
        raise InputError(where, f"unexpected text after the JSON array at {_where(text, len(text) - len(rest))}")


def read(text: str, where: str) -> Iterator[RawArticle | Rejected]:
    """The records of the array; a reject is named ``<file>:<line>``, with `` (element <n>)`` added when more
    than one element starts on that line (an array written on one line)."""
    prev = None  # (element number, line, source, value, starts on the line of the element before it)
    try:
        for k, (line, source, value) in enumerate(elements(text, where), start=1):
            if prev is not None:
                yield _record(where, *prev[:4], shared=prev[4] or prev[1] == line)
            prev = (k, line, source, value, prev is not None and prev[1] == line)
    except InputError:
        if prev is not None:  # the last element before the break
            yield _record(where, *prev[:4], shared=prev[4])
        raise
    if prev is None:
        raise InputError(where, "an empty JSON array (expected articles or WordPress posts)")
    yield _record(where, *prev[:4], shared=prev[4])


def _record(where: str, k: int, line: int, source: str, value: object, shared: bool) -> RawArticle | Rejected:
    sha = hashlib.sha256(source.encode("utf-8")).hexdigest()
    here = f"{where}:{line}" + (f" (element {k})" if shared else "")
    if wordpress.is_post(value):
        try:
            return wordpress.post(value, where, sha, line)
        except InputError as exc:
            return Rejected(here, exc.problem)
    return jsonl.record(value, where, line, sha, here)  # an article object; anything else is rejected by line
