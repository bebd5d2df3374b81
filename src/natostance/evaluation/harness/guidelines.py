"""Read the definitions the prompts quote from the annotation guidelines (``annotation/guidelines.md``).

The prompts take their wording from two places only: the label file (names and ``x-descriptions``) and
this file's definitions: the label tables of §1 (targets) and §2 (stance), the holder bullets of H1, and
whole rules by their number (S1, A1, C1). Nothing is paraphrased here. A guideline edit that moves or
renames one of these raises a clear error instead of silently dropping a definition from the prompt.

Cleaning for a prompt drops what only makes sense inside the guidelines: markdown emphasis, the marker
``*(invented)*`` and cross-references such as ``(S2)``; and it drops every example quoted from the corpus
(text followed by a tag such as ``(train 806d/5)``). Those examples are dataset units with their labels:
in a prompt they would label some evaluated units for the model (test units, under cross-validation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from natostance.annotate.rounds import VERSION_LINE
from natostance.errors import InputError

GUIDELINES_FILE = "guidelines.md"
_RULE_START = re.compile(r"^\*\*([A-Z]\d+)\.")
_REF = r"(?:[A-Z]\d+|§\d+(?:\.\d+)?)"
_CROSS_REF = re.compile(rf"\s*\((?:see )?{_REF}(?:(?:, | and |; ){_REF})*\)")
_TAG = r"\((?:train|val) [0-9a-f]{4}/\d+\)"
_CORPUS_QUOTE = re.compile(rf"`[^`]*`,?\s*{_TAG}")  # an example quoted from a dataset unit, with its tag
_SOURCE_TAG = re.compile(rf",?\s*{_TAG}|\s*\*\(invented\)\*")
_EMPTY_PARENS = re.compile(r"\s*\(\s*\)|(?<=\()\s*[;,]\s*")
_ITEM = re.compile(r"^(\s*)- ")


def guidelines_path() -> Path:
    """The guidelines: packaged next to the package in a wheel, ``annotation/`` in a checkout."""
    packaged = Path(__file__).resolve().parents[2] / "_annotation" / GUIDELINES_FILE
    if packaged.is_file():
        return packaged
    repo = Path(__file__).resolve().parents[4] / "annotation" / GUIDELINES_FILE
    if repo.is_file():
        return repo
    raise InputError(str(repo), f"expected the annotation guidelines ({GUIDELINES_FILE}), found nothing there")


def unwrap(lines) -> str:
    """Join hard-wrapped markdown lines: one line per paragraph or list item, blank lines between blocks."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1]:
                out.append("")
        elif _ITEM.match(line) or not out or not out[-1]:
            out.append(line.rstrip())
        else:
            out[-1] += " " + line.strip()
    return "\n".join(out).strip()


def clean(text: str) -> str:
    """Guideline markdown as plain prompt text (see the module docstring)."""
    text = unwrap(text.splitlines())
    text = _CORPUS_QUOTE.sub("", text)
    text = _SOURCE_TAG.sub("", text)
    text = _EMPTY_PARENS.sub("", text)
    text = _CROSS_REF.sub("", text)
    text = text.replace("**", "").replace("`", "")
    return "\n".join(re.sub(r"(?<=\S)[ \t]+", " ", line).rstrip() for line in text.splitlines()).strip()


@dataclass(frozen=True)
class Guidelines:
    path: str
    lines: tuple[str, ...]

    @property
    def version(self) -> str:
        found = VERSION_LINE.search("\n".join(self.lines))
        if found:
            return found.group(1)
        raise InputError(self.path, "expected a 'Version X.Y' line, found none")

    def table(self, first_header: str, keys) -> dict[str, str]:
        """The rows of the markdown table whose first header cell is ``first_header``: ``key -> second cell``
        for each key (a backticked first cell). Every key must have its row."""
        rows: dict[str, str] = {}
        inside = False
        for line in self.lines:
            cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
            if cells and cells[0] == first_header:
                inside = True
            elif inside and not cells:
                break
            elif inside and len(cells) >= 2 and cells[0].strip("`") in keys:
                rows[cells[0].strip("`")] = clean(cells[1])
        missing = [k for k in keys if k not in rows]
        if missing:
            raise InputError(
                self.path,
                f"expected a table headed {first_header!r} with a row for each of {', '.join(keys)}, "
                f"found none for {', '.join(missing)}",
            )
        return rows

    def rule(self, rule_id: str) -> str:
        """The text of one numbered rule, without its bold title (``**S1. Title.**``): up to the next rule,
        heading or horizontal rule."""
        return clean(re.sub(r"^\*\*[A-Z]\d+\.[^*]*\*\*\s*", "", "\n".join(self.rule_lines(rule_id))))

    def bullets(self, rule_id: str, keys) -> dict[str, str]:
        """``- `key`: text`` items of a rule, each with its own indented lines and sub-items."""
        found: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in self.rule_lines(rule_id):
            m = re.match(r"^- `([a-z_]+)`: ", line)
            if m and m.group(1) in keys:
                current = found.setdefault(m.group(1), [line[m.end() :]])
            elif current is not None and (line.startswith("  ") or not line.strip()):
                current.append(line[2:])
            else:
                current = None
        missing = [k for k in keys if k not in found]
        if missing:
            raise InputError(
                self.path, f"expected items '- `key`: …' in rule {rule_id}, found none for {', '.join(missing)}"
            )
        return {k: clean("\n".join(v)) for k, v in found.items()}

    def rule_lines(self, rule_id: str) -> list[str]:
        start = next((i for i, line in enumerate(self.lines) if line.startswith(f"**{rule_id}.")), None)
        if start is None:
            raise InputError(self.path, f"expected rule {rule_id} ('**{rule_id}. …**'), found none")
        end = start + 1
        while end < len(self.lines) and not (
            _RULE_START.match(self.lines[end]) or self.lines[end].startswith("#") or self.lines[end].strip() == "---"
        ):
            end += 1
        return list(self.lines[start:end])

    def first_paragraph(self, heading: str) -> str:
        """The first paragraph under a ``## heading``."""
        lines = list(self.lines)
        try:
            i = lines.index(heading) + 1
        except ValueError:
            raise InputError(self.path, f"expected a heading {heading!r}, found none") from None
        while i < len(lines) and not lines[i].strip():
            i += 1
        para = []
        while i < len(lines) and lines[i].strip():
            para.append(lines[i])
            i += 1
        return clean("\n".join(para))


@lru_cache(maxsize=None)
def load(path: str | None = None) -> Guidelines:
    p = Path(path) if path else guidelines_path()
    return Guidelines(str(p), tuple(p.read_text(encoding="utf-8").splitlines()))
