"""JSON-lines files a user hands us (submissions, annotation passes, records): one JSON object per non-blank line,
read one capped line at a time (``guard.text_lines``), so memory stays bounded whatever the file's size."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from natostance.guard import MAX_LINE_BYTES, ErrorLog, JsonProblem, escape, parse_json, text_lines


def object_lines(path: Path, errors: ErrorLog, max_line: int = MAX_LINE_BYTES) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line holding a JSON object. Every other line adds one error
    ``<path>:<line>: expected a JSON object, found ...`` to ``errors`` and is skipped (all are reported at once,
    the first ``errors.cap`` of each kind in full). ``max_line``: the longest line read, in bytes."""
    kind = f"{escape(path)}: lines that are not JSON objects"
    for n, line in text_lines(path, errors, max_line):
        if not line.strip():
            continue
        try:
            obj = parse_json(line.rstrip("\r\n"))
        except JsonProblem as exc:
            errors.add(kind, f"{path}:{n}: {exc.message('a JSON object')}")
            continue
        if not isinstance(obj, dict):
            errors.add(kind, f"{path}:{n}: expected a JSON object, found {_kind(obj)}")
            continue
        yield n, obj


def checked_lines(path: Path, errors: ErrorLog, schema: str | Callable[[dict], str] | None,
                  heading: str = "lines that break their schema") -> Iterator[tuple[int, dict]]:
    """(line number, object) of ``object_lines`` that fit ``schema`` (a schema ``$id`` or ``$ref``, a function
    of the object giving one, or None for no check). Each line that does not adds every one of its problems,
    ``<path>:<line>: <problem>``, to ``errors`` under ``<path>: <heading>``, and is skipped."""
    from natostance.evaluation.schemas import problems

    for n, obj in object_lines(path, errors):
        ref = schema(obj) if callable(schema) else schema
        found = problems(ref, obj) if ref else []
        if found:
            errors.extend(f"{escape(path)}: {heading}", [f"{path}:{n}: {p}" for p in found])
        else:
            yield n, obj


def _kind(value) -> str:
    return {list: "list", str: "str", int: "int", float: "float", bool: "bool", type(None): "null"}.get(
        type(value), type(value).__name__)
