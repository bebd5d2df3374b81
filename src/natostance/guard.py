"""Input safety shared by every reader of a file a user hands us.

* ``escape`` / ``shown``: text for a message — control, bidi and surrogate characters escaped (a file name
  with a newline cannot forge an ``error:`` line), quoted values cut to ``MAX_SHOWN`` characters (a 30 MB
  id, or a YAML alias bomb, costs a few dozen bytes in a message).
* ``ErrorLog``: errors collected per kind, the first ``MAX_PER_KIND`` kept and the rest only counted.
* ``parse_json`` / ``read_json_file`` / ``text_lines``: JSON with bounded nesting and integer size; files
  checked for size, binary content and UTF-8; text read one capped line at a time (memory bounded whatever
  the file size; ``jsonlines.object_lines`` builds on it).
* ``confined`` / ``inside``: a name from a user's file kept to a folder (no ``..``, no absolute path, no
  link out).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from natostance.errors import InputError, ManyErrors

MAX_SHOWN = 60  # characters of a quoted value in a message
MAX_PER_KIND = 20  # errors of one kind listed before the rest are only counted
MAX_DEPTH = 64  # nesting of a JSON value (our rows are flat; a metadata file nests a few levels)
MAX_INT_DIGITS = 20  # an int64 has 19; a longer integer is never a count, an offset or an id
MAX_LINE_BYTES = 1 << 20  # one JSON line (a submission row is ~100 bytes, an annotation record ~1 KB)
BOM = b"\xef\xbb\xbf"

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(m: re.Match[str]) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape (file names)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: Any) -> str:
    """``text`` on one line, printable anywhere: control, line-separator, bidi and surrogate characters escaped."""
    return _UNSAFE.sub(_escape_char, str(text))


def shown(value: Any, limit: int = MAX_SHOWN, style: str = "repr") -> str:
    """A value for a message, at most about ``limit`` characters whatever its size or depth: a string quoted
    as Python's ``repr`` would (``style="json"``: as JSON), anything else as JSON."""
    out: list[str] = []
    if isinstance(value, str) and style == "repr":
        cut = repr(value[:limit])
        out.append(cut[:-1] + "…" + cut[-1] if len(value) > limit else cut)
    else:
        _brief(value, out, [limit], 0)
        if sum(map(len, out)) > limit + 2 and not isinstance(value, str):
            out = ["".join(out)[:limit].rstrip("…") + "…"]
    text = "".join(out)
    if isinstance(value, str) and len(value) > limit:
        text += f" ({len(value):,} characters)"
    return escape(text)


def _brief(value: Any, out: list[str], budget: list[int], depth: int) -> None:
    """JSON-like text of ``value`` into ``out``, stopping with '…' once ``budget`` characters are spent."""
    if budget[0] <= 0:
        return
    if isinstance(value, str):
        text = json.dumps(value[: budget[0]], ensure_ascii=False)
        if len(value) > budget[0]:
            text = text[:-1] + '…"'
        out.append(text)
        budget[0] -= len(text)
        return
    if isinstance(value, (list, tuple, dict)):
        if depth >= 4 and value:
            text = "[…]" if not isinstance(value, dict) else "{…}"
        else:
            pairs = isinstance(value, dict)
            out.append("{" if pairs else "[")
            budget[0] -= 1
            for i, item in enumerate(value.items() if pairs else value):
                if budget[0] <= 0:
                    out.append("…")
                    return
                if i:
                    out.append(", ")
                if pairs:
                    _brief(str(item[0]), out, budget, depth + 1)
                    out.append(": ")
                    item = item[1]
                _brief(item, out, budget, depth + 1)
            out.append("}" if pairs else "]")
            return
    elif value is None or isinstance(value, bool):
        text = json.dumps(value)
    elif isinstance(value, int) and len(str_int := _int_text(value)) > MAX_INT_DIGITS:
        text = f"{str_int[:8]}…({len(str_int)} digits)"
    elif isinstance(value, (int, float)):
        text = json.dumps(value)
    else:
        text = repr(value)
    out.append(text[: max(budget[0], 1)] + ("…" if len(text) > budget[0] else ""))
    budget[0] -= len(text)


def _int_text(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # more digits than Python converts
        return "9" * 5000


class ErrorLog:
    """Errors of a reader, grouped by kind: the first ``cap`` of each kind kept (in order), the rest counted.

    ``kind`` is a short description that names the file (``"runs/x.jsonl: rows breaking the schema"``); it
    words the count line. ``message`` may be a function, called only for errors that are kept, so a
    file with a million bad rows costs a million counts, not a million messages.
    """

    def __init__(self, cap: int = MAX_PER_KIND) -> None:
        self.cap = cap
        self._kept: list[str] = []
        self._counts: Counter[str] = Counter()

    def add(self, kind: str, message: str | Callable[[], str]) -> None:
        self._counts[kind] += 1
        if self._counts[kind] <= self.cap:
            self._kept.append(message() if callable(message) else message)

    def extend(self, kind: str, messages) -> None:
        for m in messages:
            self.add(kind, m)

    def full(self, kind: str) -> bool:
        """True once ``kind`` has its ``cap`` messages (further ones are only counted)."""
        return self._counts[kind] >= self.cap

    @property
    def total(self) -> int:
        return sum(self._counts.values())

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return bool(self._counts)

    def lines(self) -> list[str]:
        """The kept messages, then one line per kind that had more than ``cap`` errors."""
        more = [f"{kind}: {n - self.cap:,} more not listed (the first {self.cap} are above)"
                for kind, n in self._counts.items() if n > self.cap]
        return self._kept + more

    def raise_if_any(self, summary: str) -> None:
        """Raise ``ManyErrors`` (``summary`` may hold ``{n}``, the total count) when anything was logged."""
        if self:
            raise ManyErrors(self.lines(), summary.format(n=f"{self.total:,}"))


# ---------- JSON ----------

class JsonProblem(ValueError):
    """A JSON text we refuse: ``found`` says what it is ('invalid JSON (…)'); ``expected`` is set when the
    text is JSON but beyond our bounds (nesting, digits), else None (the caller names what it wanted)."""

    def __init__(self, found: str, expected: str | None = None) -> None:
        self.found, self.expected = found, expected
        super().__init__(f"expected {expected or 'JSON'}, found {found}")

    def message(self, wanted: str) -> str:
        return f"expected {self.expected or wanted}, found {self.found}"


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise JsonProblem(f"a number of {digits:,} digits", f"numbers of at most {MAX_INT_DIGITS} digits")
    return int(text)


def depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0), computed without recursion; stops past MAX_DEPTH."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, d + 1)
            if d + 1 > MAX_DEPTH:
                return d + 1
            stack.extend((x, d + 1) for x in item if isinstance(x, (list, dict)))
    return deepest


_TOO_DEEP = ("deeper nesting", f"JSON nested at most {MAX_DEPTH} levels deep")


def parse_json(text: str) -> Any:
    """``json.loads`` that raises only ``JsonProblem``: invalid JSON, nesting over ``MAX_DEPTH``, huge integers."""
    try:
        value = json.loads(text, parse_int=_int)
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if exc.lineno == 1 else f"line {exc.lineno} column {exc.colno}"
        raise JsonProblem(f"invalid JSON ({exc.msg} at {at})") from None
    except RecursionError:
        raise JsonProblem(*_TOO_DEEP) from None
    if (text.count("[") + text.count("{") > MAX_DEPTH) and depth(value) > MAX_DEPTH:
        raise JsonProblem(*_TOO_DEEP)
    return value


def decode(data: bytes, where: str) -> str:
    """UTF-8 text of a user's file (a leading BOM dropped); ``InputError`` naming the first bad byte."""
    kind = binary_kind(data[:8192])
    if kind:
        raise InputError(where, f"expected UTF-8 text, found {kind}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"expected UTF-8 text, found byte 0x{data[exc.start]:02x} at offset {exc.start:,}") \
            from None


def binary_kind(head: bytes) -> str | None:
    """'UTF-16 text' or 'binary data' when the first bytes of a file say so, else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text (save the file as UTF-8)"
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    return None


def read_json_file(path: str | Path, what: str, max_bytes: int | None = 1 << 20) -> Any:
    """The JSON value of a whole file a user hands us (metadata, manifest, result); ``InputError`` otherwise."""
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise InputError(where, f"expected {what}, found nothing there")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise InputError(where, f"expected {what} of at most {max_bytes:,} bytes, found {size:,} bytes")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(where, f"expected {what}, found an unreadable file ({exc.strerror})") from None
    try:
        return parse_json(decode(data, where))
    except JsonProblem as exc:
        raise InputError(where, exc.message(what)) from None


def text_lines(path: Path, log: ErrorLog, max_line: int = MAX_LINE_BYTES) -> Iterator[tuple[int, str]]:
    """(line number, text with its line break) of a UTF-8 file, one capped line at a time; an overlong or
    undecodable line is logged and yielded as a bare line break (line numbers stay true for a CSV reader)."""
    try:
        fh = Path(path).open("rb")
    except OSError as exc:
        log.add(f"{escape(path)}: file", f"{path}: expected a readable file, found {exc.strerror or exc}")
        return
    with fh:
        kind = binary_kind(fh.read(8192))
        if kind:
            log.add(f"{escape(path)}: file", f"{path}: expected UTF-8 text lines, found {kind}")
            return
        fh.seek(0)
        n = 0
        while line := fh.readline(max_line + 1):
            n += 1
            if len(line) > max_line and not line.endswith(b"\n"):
                size = len(line)
                while rest := fh.readline(1 << 20):
                    size += len(rest)
                    if rest.endswith(b"\n"):
                        break
                log.add(f"{escape(path)}: overlong lines",
                        f"{path}:{n}: expected a line of at most {max_line:,} bytes, found {size:,} bytes")
                yield n, "\n"
                continue
            if n == 1 and line.startswith(BOM):
                line = line[len(BOM):]
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                log.add(f"{escape(path)}: lines that are not UTF-8",
                        f"{path}:{n}: expected UTF-8 text, found byte 0x{line[exc.start]:02x} at column {exc.start + 1}")
                yield n, "\n"
                continue
            yield n, text


# ---------- paths ----------

def plain_name(name: Any) -> str | None:
    """Why ``name`` is not a plain relative file name (None when it is): no absolute path, no '..', no NUL."""
    if not isinstance(name, str) or not name:
        return f"expected a relative file name, found {shown(name)}"
    if "\x00" in name:
        return f"expected a file name, found one with a NUL character: {shown(name)}"
    if PurePosixPath(name).is_absolute():
        return f"expected a relative file name, found an absolute path {shown(name)}"
    if ".." in PurePosixPath(name).parts:
        return f"expected a file name inside the folder, found {shown(name)} (it climbs out with '..')"
    return None


def inside(path: Path, root: Path) -> bool:
    """True when ``path``, links resolved, is ``root`` or lies under it."""
    return Path(path).resolve().is_relative_to(Path(root).resolve())


def confined(root: Path, name: Any, where: str) -> Path:
    """``root / name`` for a plain relative ``name`` whose resolved path stays in ``root``; else ``InputError``."""
    why = plain_name(name)
    if why:
        raise InputError(where, why)
    path = root / name
    if not inside(path, root):
        raise InputError(where, f"expected a file inside {root}, found {shown(name)}, a link that leads out of it")
    return path
