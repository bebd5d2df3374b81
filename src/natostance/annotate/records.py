"""The records an annotation round produces: one per annotator x unit x target, one per claim span.

Plain frozen dataclasses with ``to_json``/``from_json``; ``schemas/annotation.schema.json`` describes
their JSON form. They are written as JSON Lines under ``annotation/records/<round>/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

from natostance.errors import InputError


@dataclass(frozen=True, slots=True)
class StanceLabel:
    """One annotator's stance (and holder) for one unit and one target."""

    kind: str                 # "sentences" (unit = sentence_id) or "articles" (unit = article_id)
    unit_id: str
    target: str
    stance: str | None        # None: left empty, or the annotation was cancelled/skipped
    holder: str | None
    annotator: str            # the user's email as Label Studio knows it (or the id as text)
    annotator_id: int
    annotation_id: int
    task_id: int
    created_at: str
    updated_at: str
    lead_time: float | None   # seconds the annotator spent, as Label Studio measured it
    cancelled: bool           # the annotator skipped the task (``was_cancelled``)
    article_id: str = ""      # the article of the unit (the unit itself for kind "articles")
    split: str = ""
    record: str = "stance"


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    """One annotator's claim span in an article: code-point offsets into the article text."""

    kind: str
    unit_id: str
    region_id: str
    start: int
    end: int
    text: str                 # article text[start:end], never Label Studio's whitespace-collapsed copy
    claim_type: str
    speaker: str | None
    annotator: str
    annotator_id: int
    annotation_id: int
    task_id: int
    created_at: str
    lead_time: float | None
    article_id: str = ""
    split: str = ""
    record: str = "claim"


Record = StanceLabel | ClaimSpan
R = TypeVar("R", StanceLabel, ClaimSpan)
_BY_NAME = {"stance": StanceLabel, "claim": ClaimSpan}


def to_json(rec: Record) -> dict[str, Any]:
    return asdict(rec)


def from_json(obj: dict[str, Any]) -> Record:
    cls = _BY_NAME[obj.get("record", "stance")]
    return cls(**{f.name: obj[f.name] for f in fields(cls) if f.name in obj})


def write_jsonl(path: str | Path, records: Iterable[Record | dict]) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            obj = rec if isinstance(rec, dict) else to_json(rec)
            fh.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


ANNOTATION = "urn:natostance:schemas:annotation"  # schemas/annotation.schema.json


def read_jsonl(path: str | Path, schema: str | Callable[[dict], str] | None = None) -> list[dict[str, Any]]:
    """The objects of a JSON-lines file, each checked against ``schema`` (a schema ``$id`` or ``$ref``, or a
    function of the object giving one) when given. Every bad line is named (line, field, expected, found;
    the first 20 of each kind in full), then ``ManyErrors``; lines are read capped, one at a time."""
    from natostance.guard import ErrorLog
    from natostance.jsonlines import checked_lines

    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file (records are written by `natostance annotate pull`)")
    log = ErrorLog()
    out = [obj for _, obj in checked_lines(path, log, schema)]
    log.raise_if_any(f"{path}: {{n}} problem(s)")
    return out


def record_schema(obj: dict) -> str:
    """The schema of one record line: ``$defs/stance`` or ``$defs/claim`` of the annotation schema, by ``record``."""
    return f"{ANNOTATION}#/$defs/{'claim' if obj.get('record') == 'claim' else 'stance'}"


def read_records(path: str | Path) -> list[Record]:
    return [from_json(obj) for obj in read_jsonl(path, record_schema)]
