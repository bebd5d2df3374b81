"""The adjudication file of a round: ``annotation/adjudication/<round>.jsonl`` (``$defs/adjudication`` of
``schemas/annotation.schema.json``).

One line per unit the vote could not settle. ``adjudicate`` writes the open ones (``decision``, ``reason``
and ``who`` empty; ``why_open``, the votes and, for spans, every competing span); an adjudicator fills in
the decision, a reason specific to the unit and who they are (and may add decided lines of their own for
span boundaries no annotator marked, ``goldclaims.py``). An entry belongs to the round in its
``round`` field (an entry without one belongs to the round the file is named after). A run for one round
rewrites only that round's open entries: other rounds' entries and every decided entry stay exactly as
they are, in place.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from natostance.errors import InputError
from natostance.files import atomic_write
from natostance.jsonlines import checked_lines

SCHEMA = "urn:natostance:schemas:annotation#/$defs/adjudication"
MAX_REASON_REPEATS = 3  # a reason used for more than this many units is a template, not a judgement


def is_decided(entry: dict) -> bool:
    return entry.get("decision") not in (None, "")


@dataclass
class Entries:
    """A file's entries, split into this round's and the rest (with their line numbers)."""

    path: Path
    round_name: str
    lines: list[tuple[int, dict]] = field(default_factory=list)

    def mine(self, lineno_entry: tuple[int, dict]) -> bool:
        return lineno_entry[1].get("round", self.path.stem) == self.round_name

    @property
    def decided(self) -> dict[str, dict]:
        return {e["unit"]: e for le in self.lines if self.mine(le) and is_decided(e := le[1])}

    @property
    def where(self) -> dict[str, str]:
        """Unit -> ``<file>:<line>`` of this round's decided entries, for messages that name the line."""
        return {e["unit"]: f"{self.path}:{n}" for n, e in self.lines if self.mine((n, e)) and is_decided(e)}

    @property
    def foreign(self) -> int:
        return sum(not self.mine(le) for le in self.lines)


def read(path: str | Path, round_name: str, strict: bool = True) -> Entries:
    """Read an adjudication file (absent: no entries); every problem is reported at once. ``strict`` (for
    making gold): this round's decisions must each have a ``who`` and a ``reason``, and no reason may be
    used for more than ``MAX_REASON_REPEATS`` units."""
    path = Path(path)
    out = Entries(path, round_name)
    if not path.is_file():
        return out
    from natostance.guard import ErrorLog

    errors = ErrorLog()
    # $defs/adjudication: an entry's fields, named with expected and found
    out.lines.extend(checked_lines(path, errors, SCHEMA, "entries that break the schema"))
    if strict:
        errors.extend(f"{path}: decisions", _check_decided(out))
    errors.raise_if_any(f"{path}: {{n}} problem(s) in the adjudication file")
    return out


def _check_decided(entries: Entries) -> list[str]:
    errors, seen = [], {}
    reasons: Counter[str] = Counter()
    for n, e in entries.lines:
        if not entries.mine((n, e)) or not is_decided(e):
            continue
        where = f"{entries.path}:{n} ({e['unit']})"
        if e["unit"] in seen:
            errors.append(f"{where}: decided twice (also line {seen[e['unit']]})")
        seen[e["unit"]] = n
        for key in ("who", "reason"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                errors.append(f"{where}: a decision needs a '{key}', found {e.get(key)!r}")
        if isinstance(e.get("reason"), str) and e["reason"].strip():
            reasons[" ".join(e["reason"].split())] += 1
    for reason, count in reasons.items():
        if count > MAX_REASON_REPEATS:
            errors.append(f"{entries.path}: the reason {reason[:200]!r}{'…' if len(reason) > 200 else ''} is used for "
                          f"{count} units (at most {MAX_REASON_REPEATS}): write what decides each unit "
                          "(the rule and the words of the unit)")
    return errors


def rewrite(entries: Entries, open_now: list[dict]) -> None:
    """Write the file back: every entry kept in place except this round's undecided ones, then ``open_now``."""
    kept = [e for n, e in entries.lines if not entries.mine((n, e)) or is_decided(e)]
    atomic_jsonl(entries.path, kept + open_now)


def _atomic_text(path: str | Path, lines) -> None:
    """``files.atomic_write``, its folder made first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lines)


def atomic_jsonl(path: str | Path, rows: list[dict]) -> None:
    _atomic_text(path, (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows))


def atomic_json(path: str | Path, obj: dict) -> None:
    _atomic_text(path, [json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n"])


def check_decision(entry: dict, allowed: tuple[str, ...] | None, what: str) -> str:
    """The entry's decision, if it is one of ``allowed`` (None: any non-empty text)."""
    decision = entry["decision"]
    if not isinstance(decision, str) or (allowed is not None and decision not in allowed) or not decision.strip():
        expected = f"one of {', '.join(allowed)}" if allowed is not None else "a non-empty text"
        raise InputError(f"adjudication entry {entry['unit']!r}", f"decision {decision!r}; expected {what} ({expected})")
    return decision.strip()
