"""Replace an output folder by a freshly built one, keeping what the builder does not own.

Guarantees, whatever kills a build and when:

* one build at a time per output: ``locked`` holds an exclusive lock (``.<name>.lock`` beside the output,
  released by the kernel when the process dies); a second build fails at once, naming the first;
* the output is never missing: the new folder and the old one trade places in one atomic step
  (``renameat2(RENAME_EXCHANGE)`` on Linux); where the file system cannot, two renames, and the next build
  puts back an output that a kill left only as ``.<name>.old-PID``;
* nothing leaks: the next build into the same output removes the ``.<name>.building-*``, ``.work-*``,
  ``.old-*`` and ``.rehydrate-*`` folders of builds that died (``recover``).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import glob
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from natostance.errors import NatoStanceError
from natostance.guard import escape

LEFTOVERS = ("building", "work", "old", "rehydrate", "release")  # .<name>.<kind>-<pid>…: a build's own folders


def link_or_copy(src: Path, target: Path) -> None:
    """Put ``src``'s bytes at ``target``: a hard link where the file system allows, else a copy. Only for
    files the builder made itself (a user's raw file is copied: editing it must not change a release)."""
    try:
        os.link(src, target)
    except OSError:
        shutil.copyfile(src, target)


def scratch(out_dir: Path, kind: str) -> Path:
    """A folder name beside ``out_dir`` for this process's ``kind`` of work (``recover`` knows it)."""
    return out_dir.parent / f".{out_dir.name}.{kind}-{os.getpid()}"


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the build lock of ``out_dir``; a second holder (any process) fails at once with a clear line."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    path = out_dir.parent / f".{out_dir.name}.lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise NatoStanceError(f"{escape(out_dir)}: expected no other build writing this folder, found process "
                                  f"{escape(holder)} holding {escape(path)}; wait for it to end") from None
        try:
            current = os.stat(path).st_ino == os.fstat(fd).st_ino  # not a file its last holder just removed
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        try:
            os.unlink(path)  # before unlocking: a waiting process then sees a new file, not this one
        except FileNotFoundError:
            pass
        os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out_dir: Path) -> list[str]:
    """Under the lock: put back an output that a killed build left as ``.<name>.old-PID``, and remove the
    folders of builds that died. Returns what was done, one line each."""
    notes, prefix = [], f".{out_dir.name}."
    found = sorted(out_dir.parent.glob(glob.escape(prefix) + "*"), key=lambda p: p.stat().st_mtime)
    for path in found:
        kind, _, rest = path.name[len(prefix):].partition("-")
        pid = rest.split("-", 1)[0]
        if kind not in LEFTOVERS or not pid.isdigit() or _alive(int(pid)) or not path.is_dir():
            continue
        if kind == "old" and not out_dir.exists():
            os.replace(path, out_dir)
            notes.append(f"{out_dir}: put back from {path.name}, left by a build that was stopped while swapping")
            continue
        shutil.rmtree(path, ignore_errors=True)
        notes.append(f"removed {path.name}, left by a build that was stopped")
    return notes


@contextmanager
def workspace(out_dir: Path, kind: str) -> Iterator[Path]:
    """This process's ``kind`` scratch path beside ``out_dir`` (``scratch``; nothing there yet), held under the
    output's lock after ``recover``; whatever is left at it is removed when the block ends, however it ends."""
    with locked(out_dir):
        recover(out_dir)
        path = scratch(out_dir, kind)
        shutil.rmtree(path, ignore_errors=True)
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def staging(out_dir: Path, owned: tuple[str, ...]) -> Iterator[Path]:
    """A fresh temporary folder beside ``out_dir`` to build into, under the output's lock. When the block ends
    normally it replaces ``out_dir`` (``replace_dir``); on any failure or interrupt it is removed and
    ``out_dir`` is untouched."""
    with workspace(out_dir, "building") as tmp:
        tmp.mkdir()
        yield tmp
        replace_dir(tmp, out_dir, owned)


def replace_dir(new: Path, target: Path, owned: tuple[str, ...]) -> None:
    """Move ``new`` into place of ``target`` (call it holding ``locked(target)``). Entries of ``target``
    outside ``owned`` paths (relative, like ``data/articles``) are carried over first, so a rebuild never
    deletes other work in the folder. ``target`` exists at every instant where the file system can
    exchange two names atomically; elsewhere ``recover`` repairs the one gap."""
    if not target.exists():
        os.replace(new, target)
        return
    _carry_over(target, new, owned)
    if exchange(new, target):  # ``new`` now names the previous output
        shutil.rmtree(new)
        return
    old = scratch(target, "old")
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old)


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where the
    system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


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
