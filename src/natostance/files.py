"""File helpers shared by the builder, the annotation campaign and the scorer: a file's SHA-256, and a
write that a crash never leaves half done."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write(path: Path, parts: Iterable[str]) -> None:
    """Write ``parts`` (UTF-8, ``\\n`` line ends) through a temporary file beside ``path`` and a rename: a
    reader never sees half a file, and a crash leaves the old one whole."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(parts)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
