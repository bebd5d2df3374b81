"""What a scale-out build reads: the file list (planned once per job), contiguous shards, records per file.

Every format the local builder reads goes through the builder's own readers and its limits (``RawFile``:
links out of the folder refused, a file over the maximum article size streamed as JSON lines or rejected).
On top of that: compressed files (``.gz``, ``.zst``) are opened through datatrove's file system layer and
read within the same limits, and WARC files go through datatrove's WARC record parser,
each HTML response then through the builder's HTML reader (trafilatura), as a page file would.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from itertools import accumulate
from collections.abc import Iterator
from pathlib import Path

from natostance.builder.pipeline import raw_files
from natostance.builder.sources import read_records
from natostance.builder.document import RawArticle, Rejected
from natostance.errors import InputError
from natostance.builder.sources import html
from natostance.builder.sources.decode import decode
from natostance.builder.sources.rawfile import MAX_ARTICLE_BYTES, RawFile, file_stat, refused
from natostance.files import sha256_file

COMPRESSED = (".gz", ".zst", ".zstd")
WARC = re.compile(r"\.w?arc(\.gz|\.zst)?$", re.IGNORECASE)

Item = RawArticle | Rejected


def plan_files(root: Path) -> list[list]:
    """``[name, bytes, mtime_ns]`` for every input file under ``root``, in name order (the builder's own listing)."""
    return [[p.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns] for p in raw_files(root) for st in [file_stat(p)]]


def shard(files: list[list], rank: int, world_size: int) -> list[int]:
    """Indexes of the files task ``rank`` reads: a contiguous run in name order, balanced by bytes.

    Contiguous (not datatrove's strided ``files[rank::world_size]``) so that concatenating tasks in rank
    order gives exactly the local builder's reading order: rejects, duplicates and leakage examples match."""
    total = sum(f[1] for f in files) or 1
    starts = [0, *accumulate(f[1] for f in files)][:-1]  # file i goes to min(world_size - 1, starts[i] * world_size // total)
    first = bisect_left(starts, -(-rank * total // world_size))
    end = len(files) if rank == world_size - 1 else bisect_left(starts, -(-(rank + 1) * total // world_size))
    return list(range(first, end))


def _open(root: Path, name: str):
    from datatrove.io import get_datafolder

    return get_datafolder(str(root)).open(name, "rb", compression="infer")


def file_records(root: Path, name: str, max_bytes: int = MAX_ARTICLE_BYTES) -> tuple[str | None, Iterator[Item]]:
    """(SHA-256 of the file as stored, its records in order). A whole-file problem is one ``Rejected``; a link
    out of the input folder has no SHA-256 (never read, never copied)."""
    path = root / name
    problem = refused(path, root)
    if problem:
        return None, iter([Rejected(name, problem)])
    if WARC.search(name):
        return sha256_file(path), _warc_records(root, name)
    if name.endswith(COMPRESSED):  # read through the decompressor, within the same limits as a plain file
        return sha256_file(path), RawFile(path, root, name, max_bytes, opener=lambda: _open(root, name)).records()
    if file_stat(path).st_size > max_bytes:
        return sha256_file(path), RawFile(path, root, name, max_bytes).records()
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), read_records(data, name)


def _warc_records(root: Path, name: str) -> Iterator[Item]:
    """HTML responses of a WARC file, numbered by record; each page read as the builder reads an HTML file."""
    from datatrove.pipeline.readers.warc import process_record
    from warcio.archiveiterator import ArchiveIterator

    with _open(root, name) as fh:
        for number, record in enumerate(ArchiveIterator(fh), start=1):
            found = process_record(record)
            if not found:
                continue
            page = found["text"].encode("utf-8")
            where = f"{name}:{number}"
            try:
                rec = html.read(decode(page, where), where, hashlib.sha256(page).hexdigest())
            except InputError as exc:
                yield Rejected(exc.where, exc.problem)
                continue
            rec.source_file, rec.source_line = name, number
            rec.meta.url = rec.meta.url or found.get("url")
            yield rec
