"""JSON-lines files a user hands us (submissions, annotation passes): one JSON object per non-blank line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


def object_lines(path: Path, errors: list[str]) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line holding a JSON object. Every other line adds one error
    ``<path>:<line>: expected a JSON object, found ...`` to ``errors`` and is skipped (all are reported at once)."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path}:{n}: expected a JSON object, found invalid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            errors.append(f"{path}:{n}: expected a JSON object, found {type(obj).__name__}")
            continue
        yield n, obj
