"""``annotate use-gold``: point the dataset's sources at a round's gold, in one step.

The builder makes the ``stance``, ``claims`` and ``annotations`` configs from the campaign files that
``<raw>/sources.yaml`` names under ``annotations:`` (``gold``: one round's gold folder; ``records``: the
rounds whose raw labels go into ``annotations``), with paths relative to the raw folder. This rewrites
exactly that entry (comments and every other line stay as they are), checks the result reads back as
intended, and leaves rebuilding to ``natostance build``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from natostance.annotate.decisions import is_decided
from natostance.errors import InputError, NatoStanceError
from natostance.files import atomic_write

SOURCES = "sources.yaml"


def _rel(target: Path, raw: Path) -> str:
    return Path(os.path.relpath(target.resolve(), raw.resolve())).as_posix()


def _block(gold: str, records: list[str], comment: str) -> list[str]:
    return [f"annotations:{comment}\n", f"  gold: {gold}\n", f"  records: [{', '.join(records)}]\n"]


def use_gold(round_name: str, raw: str | Path, annotation: str | Path = "annotation",
             record_rounds: list[str] | None = None) -> dict:
    raw, annotation = Path(raw), Path(annotation)
    gold = annotation / "gold" / round_name
    if not (gold / "stance.jsonl").is_file():
        raise InputError(str(gold), f"no gold of round {round_name!r} (stance.jsonl): run `natostance annotate "
                                    f"adjudicate --round {round_name}` first")
    if not raw.is_dir():
        raise InputError(str(raw), "expected the dataset's raw folder")
    found = sorted(p.parent.name for p in (annotation / "records").glob("*/stance.jsonl"))
    rounds = record_rounds or found
    missing = [r for r in rounds if r not in found]
    if missing:
        raise InputError(str(annotation / "records"), f"no records of round(s) {', '.join(missing)}; found "
                                                      f"{', '.join(found) or 'none'}")
    block = _block(_rel(gold, raw), [_rel(annotation / "records" / r, raw) for r in rounds], "  # campaign files "
                   "built into the stance, claims and annotations configs (relative to this folder)")
    path = raw / SOURCES
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.is_file() else []
    start = next((i for i, line in enumerate(lines) if re.match(r"annotations\s*:", line)), None)
    if start is not None:
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
            end += 1
        lines[start:end] = [lines[start]] + block[1:]  # the key's line keeps its comment
    else:
        at = next((i for i, line in enumerate(lines) if re.match(r"files\s*:", line)), len(lines))
        lines[at:at] = block + ([] if lines else ["files:\n"])
    text = "".join(lines)
    try:
        got = (yaml.safe_load(text) or {}).get("annotations")
    except yaml.YAMLError as exc:
        raise NatoStanceError(f"{path}: the edited file would not be valid YAML ({exc}); nothing written") from None
    want = {"gold": _rel(gold, raw), "records": [_rel(annotation / "records" / r, raw) for r in rounds]}
    if got != want:
        raise NatoStanceError(f"{path}: the edited file would read back as {got!r}, not {want!r}; nothing written")
    atomic_write(path, [text])
    return {"sources": str(path), "gold": str(gold), "rounds": rounds, "open": _open_entries(annotation, round_name)}


def _open_entries(annotation: Path, round_name: str) -> int:
    from natostance.annotate.decisions import read

    entries = read(annotation / "adjudication" / f"{round_name}.jsonl", round_name, strict=False)
    return sum(entries.mine(le) and not is_decided(le[1]) for le in entries.lines)
