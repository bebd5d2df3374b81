"""The sources file (``raw/sources.yaml``): each raw file's SHA-256, curated values, the split rule.

Curated values are the ones a file does not carry (an outlet's country, a date estimate for an undated
article); each is written by a maintainer with its basis, and rows mark them in ``curated_fields``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from natostance.errors import InputError

SOURCES_FILE = "sources.yaml"
CURATED_FIELDS = ("outlet_country", "language", "split_date_estimate", "split_date_basis")


@dataclass(frozen=True, slots=True)
class SplitRule:
    """Temporal split by date: before ``validation_from`` train, before ``test_from`` validation, then test."""

    validation_from: date | None = None
    test_from: date | None = None

    def assign(self, day: date | None) -> str:
        if self.test_from is None and self.validation_from is None:
            return "train"
        if day is None:
            raise ValueError("no date for the temporal split")
        if self.test_from is not None and day >= self.test_from:
            return "test"
        if self.validation_from is not None and day >= self.validation_from:
            return "validation"
        return "train"

    def to_dict(self) -> dict[str, str | None]:
        return {k: (v.isoformat() if v else None) for k, v in (("validation_from", self.validation_from),
                                                                ("test_from", self.test_from))}


@dataclass(slots=True)
class Sources:
    text: str | None  # the file as written, kept verbatim in the output
    rule: SplitRule = field(default_factory=SplitRule)
    defaults: dict[str, Any] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    annotations: dict[str, Any] | None = None  # gold and raw-record folders, relative to the raw folder

    def curated(self, source_file: str) -> dict[str, Any]:
        entry = self.files.get(source_file, {})
        return {**self.defaults, **(entry.get("curated") or {})}


def _date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(where, f"expected a date YYYY-MM-DD, found {value!r}") from None


def load(raw_dir: Path) -> Sources:
    path = raw_dir / SOURCES_FILE
    if not path.is_file():
        return Sources(text=None)
    where = f"{path.name}"
    text = path.read_text(encoding="utf-8")
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(where, f"not valid YAML: {exc}") from None
    rule = doc.get("split_rule") or {}
    files = doc.get("files") or {}
    for name, entry in files.items():
        bad = set((entry or {}).get("curated") or {}) - set(CURATED_FIELDS)
        if bad:
            raise InputError(f"{where}: files.{name}", f"unknown curated field(s) {sorted(bad)}; known: {list(CURATED_FIELDS)}")
        if entry and "split_date_estimate" in (entry.get("curated") or {}):
            entry["curated"]["split_date_estimate"] = _date(entry["curated"]["split_date_estimate"], f"{where}: files.{name}")
    return Sources(
        text=text,
        rule=SplitRule(_date(rule.get("validation_from"), where), _date(rule.get("test_from"), where)),
        defaults=doc.get("defaults") or {},
        files={k: v or {} for k, v in files.items()},
        annotations=doc.get("annotations"),
    )


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_hashes(sources: Sources, actual: dict[str, str], allow_changed: bool) -> tuple[list[str], list[str]]:
    """Compare recorded and actual hashes. Returns (problems, notes); problems stop the build unless allowed."""
    problems, notes = [], []
    for name, entry in sorted(sources.files.items()):
        want = entry.get("sha256")
        if name not in actual:
            problems.append(f"{name}: listed in {SOURCES_FILE} but missing from the raw folder")
        elif want and want != actual[name]:
            problems.append(f"{name}: SHA-256 changed (expected {want[:12]}…, found {actual[name][:12]}…); "
                            "pass --allow-changed if the change is intended")
    if sources.text is not None:
        notes.extend(f"{name}: new file, not in {SOURCES_FILE}" for name in sorted(set(actual) - set(sources.files)))
    return ([] if allow_changed else problems), (problems if allow_changed else []) + notes


def render(sources: Sources, actual: dict[str, str]) -> str:
    """The sources file for the output: verbatim when nothing changed, else with hashes updated/added."""
    if sources.text is None:
        lines = [f"  {json.dumps(name, ensure_ascii=False)}:\n    sha256: {sha}\n" for name, sha in sorted(actual.items())]
        return "# Generated by natostance build: SHA-256 of every raw file.\nfiles:\n" + "".join(lines)
    text = sources.text
    for name, entry in sources.files.items():
        if entry.get("sha256") and name in actual and entry["sha256"] != actual[name]:
            text = text.replace(entry["sha256"], actual[name])
    new = [n for n in sorted(actual) if n not in sources.files]
    if new:
        text = text.rstrip("\n") + "\n" + "".join(
            f"  {json.dumps(n, ensure_ascii=False)}:\n    sha256: {actual[n]}\n" for n in new)
    return text
