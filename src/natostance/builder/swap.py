"""Replace an output folder by a freshly built one, keeping what the builder does not own."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def link_or_copy(src: Path, target: Path) -> None:
    """Put ``src``'s bytes at ``target``: a hard link where the file system allows, else a copy."""
    try:
        os.link(src, target)
    except OSError:
        shutil.copyfile(src, target)


@contextmanager
def staging(out_dir: Path, owned: tuple[str, ...]) -> Iterator[Path]:
    """A fresh temporary folder beside ``out_dir`` to build into. When the block ends normally it replaces
    ``out_dir`` (``replace_dir``); on any failure or interrupt it is removed and ``out_dir`` is untouched."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        replace_dir(tmp, out_dir, owned)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def replace_dir(new: Path, target: Path, owned: tuple[str, ...]) -> None:
    """Move ``new`` into place of ``target``. Entries of ``target`` outside ``owned`` paths (relative,
    like ``data/articles``) are carried over first, so a rebuild never deletes other work in the folder."""
    if target.exists():
        _carry_over(target, new, owned)
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        os.replace(target, old)
        try:
            os.replace(new, target)
        except BaseException:
            os.replace(old, target)
            raise
        shutil.rmtree(old)
    else:
        os.replace(new, target)


def _carry_over(src: Path, dst: Path, owned: tuple[str, ...]) -> None:
    for entry in sorted(src.iterdir()):
        name = entry.name
        if name in owned:
            continue
        inner = tuple(o[len(name) + 1:] for o in owned if o.startswith(name + "/"))
        if entry.is_dir() and inner:
            (dst / name).mkdir(parents=True, exist_ok=True)
            _carry_over(entry, dst / name, inner)
        elif not (dst / name).exists():
            if entry.is_dir():
                shutil.copytree(entry, dst / name, symlinks=True)
            else:
                shutil.copy2(entry, dst / name)
