"""The prompts of the harness tasks: instructions, answer choices and the text of each unit.

Every label set comes from the label file (``natostance.labels``) and every definition from it or from
the guidelines (``guidelines.py``); this module only arranges them. ``PROMPT_VERSION`` moves with any change
to the arrangement; ``fingerprint(task)`` hashes the full instruction and choices, so a change in the label
file or the guidelines shows as well (the generated task files carry it, and the loader refuses task files
whose fingerprint is not the current one).

One prompt per unit: ``instruction`` (the task's harness ``description``), then any few-shot examples, then
``query`` of the unit ending in ``Answer:``; the answer is one of ``choices(task)`` after a space.

* ``sentence_stance``: per (sentence, target); choices ``none`` and ``<stance> (<holder>)`` for every other
  stance and holder, so one answer gives label and holder (H6: no holder with ``none``).
* ``article_stance``: per (article, target); choices the stance labels.
* ``claim_detection``: per sentence; choices ``no`` / ``yes`` (check-worthy).

Sentence units show the article title and, as context, the sentence's paragraph and the one before it: the
window in which the guidelines resolve references (S2). Article units show the title and the whole text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from natostance.evaluation.harness import guidelines
from natostance.labels import descriptions, labels, labels_version, titles

PROMPT_VERSION = "1"
TASKS = ("sentence_stance", "article_stance", "claim_detection")
NOT_DISCUSSED = "none"  # the stance that takes no holder (guidelines H6)
CLAIMS_HEADING = "## 5. Claims"


@dataclass(frozen=True)
class Choice:
    text: str  # what the model is scored on / asked to write
    label: str | None = None  # stance label (stance tasks)
    holder: str | None = None  # sentence_stance only
    checkworthy: bool | None = None  # claim_detection only


def choices(task: str) -> tuple[Choice, ...]:
    if task == "claim_detection":
        return (Choice("no", checkworthy=False), Choice("yes", checkworthy=True))
    stances = labels("stance")
    if NOT_DISCUSSED not in stances:
        raise KeyError(f"stance label {NOT_DISCUSSED!r} (target not discussed) is not in the label file")
    if task == "article_stance":
        return tuple(Choice(s, label=s) for s in stances)
    if task != "sentence_stance":
        raise KeyError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    out = [Choice(NOT_DISCUSSED, label=NOT_DISCUSSED)]
    out += [Choice(f"{s} ({h})", label=s, holder=h) for s in stances if s != NOT_DISCUSSED for h in labels("holder")]
    return tuple(out)


def _items(defs: dict[str, str], names: dict[str, str] | None = None) -> str:
    """``- name: text`` lines; continuation lines of a text indented under its item."""
    lines = []
    for key, text in defs.items():
        first, *rest = text.splitlines()
        lines.append(f"- {(names or {}).get(key, key)}: {first}")
        lines += [f"  {line}" if line else "" for line in rest]
    return "\n".join(lines)


def _joined(*parts: dict[str, str]) -> dict[str, str]:
    """Per key, the definitions of every source one after the other, each starting with a capital."""
    return {k: " ".join(p[k][0].upper() + p[k][1:] for p in parts if p.get(k)) for k in parts[0]}


def _targets(g: guidelines.Guidelines) -> str:
    names = {t: f"{title} ({t})" for t, title in titles("target").items()}
    covers = g.table("target", labels("target"))
    return "Targets:\n" + _items(_joined(descriptions("target"), covers), names)


def _answer_line(task: str) -> str:
    return "Answer with exactly one of: " + ", ".join(c.text for c in choices(task)) + "."


def instruction(task: str) -> str:
    g = guidelines.load()
    head = (
        "You label news articles about NATO, Russia and the United States, following the NATO-Stance "
        f"annotation guidelines (version {g.version})."
    )
    if task == "sentence_stance":
        parts = [
            head,
            "Task: for one sentence and one target, give the stance the sentence takes towards the target and, "
            f"unless the stance is {NOT_DISCUSSED}, whose stance it is (the holder). {g.rule('S1')}",
            _targets(g),
            "Stance:\n" + _items(_joined(descriptions("stance"), g.table("label", labels("stance")))),
            "Holder:\n" + _items(_joined(descriptions("holder"), g.bullets("H1", labels("holder")))),
        ]
    elif task == "article_stance":
        parts = [
            head,
            f"Task: for one article and one target, give the article's stance towards the target. {g.rule('A1')}",
            _targets(g),
            "Stance:\n" + _items(descriptions("stance")),
        ]
    elif task == "claim_detection":
        definition = g.first_paragraph(CLAIMS_HEADING).split(". ")[0].rstrip(".") + "."
        parts = [
            head,
            f"Task: does one sentence contain at least one check-worthy factual claim? {definition}",
            g.rule("C1"),
        ]
    else:
        raise KeyError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    return "\n\n".join([*parts, _answer_line(task)])


def fingerprint(task: str) -> str:
    """SHA-256 (16 hex digits) of the task's instruction, choices and prompt version."""
    doc = [PROMPT_VERSION, instruction(task), [c.text for c in choices(task)]]
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def versions() -> dict[str, str]:
    return {
        "prompt_version": PROMPT_VERSION,
        "guidelines_version": guidelines.load().version,
        "labels_version": labels_version(),
    }


def context(article: dict[str, Any], sentences: list[dict[str, Any]], sentence: dict[str, Any]) -> str:
    """The sentence's paragraph and the paragraph before it, as printed in the article text."""
    near = [s for s in sentences if sentence["paragraph"] - 1 <= s["paragraph"] <= sentence["paragraph"]]
    return article["text"][min(s["start"] for s in near) : max(s["end"] for s in near)]


def _title(article: dict[str, Any]) -> str:
    return f"Article: {article.get('title') or '(no title)'}"


def sentence_query(
    task: str, article: dict[str, Any], sentences: list[dict[str, Any]], sentence: dict[str, Any], target: str | None
) -> str:
    text = article["text"][sentence["start"] : sentence["end"]]
    lines = [_title(article), "Context:", context(article, sentences, sentence), "", f"Sentence: {text}"]
    if task == "sentence_stance":
        lines.append(f"Target: {titles('target')[target]} ({target})")
    else:
        lines.append("Does the sentence contain a check-worthy factual claim?")
    return "\n".join([*lines, "Answer:"])


def article_query(article: dict[str, Any], target: str) -> str:
    return "\n".join(
        [_title(article), "Text:", article["text"], "", f"Target: {titles('target')[target]} ({target})", "Answer:"]
    )
