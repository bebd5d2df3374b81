"""One raw file → its records, within limits that hold for any input a crawl can hand the builder.

- A symbolic link whose target lies outside the raw folder is refused by name (never read, never copied).
- A file up to ``max_bytes`` is read whole and parsed by its format (``read_bytes``).
- A larger file is read only as far as needed: if it is JSON lines it is streamed record by record, each
  line capped at ``max_bytes`` (a longer line is skipped without being held and rejected with its line
  number); any other format is rejected as over the maximum article size. Memory stays bounded by
  ``max_bytes`` plus one record's processing, however large the file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from natostance.builder.document import RawArticle, Rejected
from natostance.builder.sources import jsonl, read_records
from natostance.builder.sources.decode import decode
from natostance.errors import InputError

MAX_ARTICLE_BYTES = 10_000_000  # default for --max-article-bytes: the largest single article or JSON line read
CHUNK = 1 << 20

Item = RawArticle | Rejected


def refused(path: Path, root: Path) -> str | None:
    """Why a path may not be read: a link that leaves the raw folder (or dangles); None when it may."""
    if not path.is_symlink():
        return None
    target = Path(os.path.realpath(path))
    if not target.exists():
        return f"symbolic link to {os.readlink(path)}, which does not exist"
    base = Path(os.path.realpath(root))
    if base not in target.parents:
        return f"symbolic link to {target}, outside the raw folder: refused (copy the file in instead)"
    return None


def file_stat(path: Path) -> os.stat_result:
    """A raw file's stat; a link's own when its target cannot be read (it is refused when read)."""
    try:
        return path.stat()
    except OSError:
        return path.lstat()


def _looks_like_jsonl(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"{") and b"\n" in start and start[start.index(b"\n"):].lstrip().startswith(b"{")


class RawFile:
    """A raw file's records (``records()``) and, once they are read, the SHA-256 of its bytes (``sha``)."""

    def __init__(self, path: Path, root: Path, name: str, max_bytes: int = MAX_ARTICLE_BYTES,
                 opener: Callable[[], BinaryIO] | None = None):
        self.path, self.root, self.name, self.max_bytes = path, root, name, max_bytes
        self.opener = opener or (lambda: path.open("rb"))
        self.sha: str | None = None

    def records(self) -> Iterator[Item]:
        problem = refused(self.path, self.root)
        if problem:
            yield Rejected(self.name, problem)
            return
        digest = hashlib.sha256()
        try:
            with self.opener() as fh:
                data = fh.read(self.max_bytes + 1)
                digest.update(data)
                if len(data) <= self.max_bytes:
                    self.sha = digest.hexdigest()
                    yield from read_records(data, self.name)
                    return
                if _looks_like_jsonl(data[:1 << 16]):
                    yield from self._stream(data, fh, digest)
                else:
                    for chunk in iter(lambda: fh.read(CHUNK), b""):
                        digest.update(chunk)
                    yield Rejected(self.name, f"over the maximum article size of {self.max_bytes:,} bytes and not JSON "
                                   "lines (raise --max-article-bytes to read it)")
        except OSError as exc:
            yield Rejected(self.name, f"cannot read file: {exc.strerror or exc}")
            return
        self.sha = digest.hexdigest()

    def _stream(self, first: bytes, fh: BinaryIO, digest) -> Iterator[Item]:
        """JSON lines from ``first`` then the rest of ``fh``, one line at a time, none longer than the cap."""
        def chunks():
            yield first
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
                yield chunk

        line, lineno, over = bytearray(), 0, 0
        for chunk in chunks():
            start = 0
            while start <= len(chunk):
                end = chunk.find(b"\n", start)
                piece = chunk[start:] if end < 0 else chunk[start:end]
                if over:
                    over += len(piece)
                elif len(line) + len(piece) > self.max_bytes:
                    over, line = len(line) + len(piece), bytearray()
                else:
                    line += piece
                if end < 0:
                    break
                lineno += 1
                yield from self._line(bytes(line), lineno, over)
                line, over, start = bytearray(), 0, end + 1
        if line or over:
            yield from self._line(bytes(line), lineno + 1, over)

    def _line(self, data: bytes, lineno: int, over: int) -> Iterator[Item]:
        where = f"{self.name}:{lineno}"
        if over:
            yield Rejected(where, f"a record of {over:,} bytes, over the maximum article size of {self.max_bytes:,} "
                           "(raise --max-article-bytes to read it)")
        elif data.strip():
            try:
                text = decode(data, where)
            except InputError as exc:
                yield Rejected(exc.where, exc.problem)
                return
            yield from jsonl.read(text, self.name, first_line=lineno)
