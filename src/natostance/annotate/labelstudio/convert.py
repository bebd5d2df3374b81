"""A Label Studio full JSON export -> records (pure; no server).

One ``StanceLabel`` per annotation x target (cancelled annotations included, with ``stance=None``) and
one ``ClaimSpan`` per claim region. Region results are joined on their ``id`` (a span's ``labels`` item
and its per-region ``textarea`` share it). Span text is always ``data[text][start:end]``: Label Studio
offsets are code-point indices into the exact imported string, and its ``value.text`` collapses
whitespace, so it is never used. Every problem is collected and reported at once, each naming the
task, the unit and the annotation.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Mapping
from typing import Any

from natostance import labels as L
from natostance.annotate.labelstudio import config as C
from natostance.annotate.records import ClaimSpan, StanceLabel
from natostance.annotate.labelstudio.tasks import unit_key
from natostance.errors import InputError, ManyErrors

MAX_LISTED = 50


def _names() -> dict[str, tuple[str, str | None]]:
    """from_name -> (field, target) for every control the generated configs contain."""
    names: dict[str, tuple[str, str | None]] = {C.CLAIM: ("claim", None), C.SPEAKER: ("speaker", None)}
    for target in L.labels("target"):
        names[C.stance_name(target)] = ("stance", target)
        names[C.holder_name(target)] = ("holder", target)
    return names


def load_export(raw: bytes | str, where: str = "export") -> list[dict]:
    try:
        tasks = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"expected a Label Studio JSON export, found invalid JSON: {exc}") from None
    if not isinstance(tasks, list):
        raise InputError(where, f"expected a JSON list of tasks, found {type(tasks).__name__}")
    return tasks


def convert(tasks: Iterable[Mapping[str, Any]], kind: str, users: Mapping[int, str] | None = None,
            where: str = "export") -> tuple[list[StanceLabel], list[ClaimSpan]]:
    """Turn exported tasks of one project kind into stance records and claim-span records."""
    # building ~10 records per annotation makes the cyclic GC rescan the whole parsed export again
    # and again; nothing here creates cycles, so pause it
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _convert(tasks, kind, users, where)
    finally:
        if enabled:
            gc.enable()


def _convert(tasks: Iterable[Mapping[str, Any]], kind: str, users: Mapping[int, str] | None,
             where: str) -> tuple[list[StanceLabel], list[ClaimSpan]]:
    key, names, users = unit_key(kind), _names(), users or {}
    allowed = {f: set(L.labels(k)) for f, k in
               (("stance", "stance"), ("holder", "holder"), ("claim", "claim_type"))}
    targets = L.labels("target")
    text_key = "text" if kind == "articles" else "sentence"
    stances: list[StanceLabel] = []
    spans: list[ClaimSpan] = []
    errors: list[str] = []
    for task in tasks:
        data = task.get("data") or {}
        unit = data.get(key)
        if unit is None:
            errors.append(f"{where}: task {task.get('id')}: no {key!r} in its data; "
                          f"was it imported by `natostance annotate push`?")
            continue
        text = data.get(text_key) or ""
        for ann in task.get("annotations") or ():
            here = f"{where}: task {task.get('id')} ({key} {unit!r}), annotation {ann.get('id')}"
            who = ann.get("completed_by")
            who_id = who.get("id") if isinstance(who, dict) else who
            annotator = users.get(who_id) or (who.get("email") if isinstance(who, dict) else None) \
                or str(who_id)
            cancelled = bool(ann.get("was_cancelled") or ann.get("skipped"))
            picked: dict[tuple[str, str], str] = {}
            regions: dict[str, dict[str, Any]] = {}
            for item in ann.get("result") or ():
                if item.get("type") == "relation":
                    continue
                name = item.get("from_name")
                if name not in names:
                    errors.append(f"{here}: unknown control {name!r}; expected one of "
                                  f"{', '.join(sorted(names))} (is the project config current?)")
                    continue
                field, target = names[name]
                value = item.get("value") or {}
                if field in ("stance", "holder"):
                    got = (value.get("choices") or [None])[0]
                    if got not in allowed[field]:
                        errors.append(f"{here}: {name} = {got!r}; expected one of "
                                      f"{', '.join(L.labels(field if field == 'stance' else 'holder'))}")
                        continue
                    picked[(field, target)] = got
                    continue
                reg = regions.setdefault(str(item.get("id")), {})
                if field == "speaker":
                    reg["speaker"] = " ".join(value.get("text") or ()).strip() or None
                    continue
                got = (value.get("labels") or [None])[0]
                start, end = value.get("start"), value.get("end")
                if got not in allowed["claim"]:
                    errors.append(f"{here}: claim label {got!r}; expected one of "
                                  f"{', '.join(L.labels('claim_type'))}")
                elif not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                    errors.append(f"{here}: claim span {start!r}..{end!r} is outside the text "
                                  f"(expected 0 <= start < end <= {len(text)})")
                else:
                    reg.update(start=start, end=end, claim_type=got)
            common = dict(annotator=annotator, annotator_id=who_id, annotation_id=ann.get("id"),
                          task_id=task.get("id"), created_at=ann.get("created_at") or "",
                          lead_time=ann.get("lead_time"), article_id=data.get("article_id", unit),
                          split=data.get("split", ""))
            for target in targets:
                stances.append(StanceLabel(
                    kind=kind, unit_id=unit, target=target, stance=picked.get(("stance", target)),
                    holder=picked.get(("holder", target)), updated_at=ann.get("updated_at") or "",
                    cancelled=cancelled, **common))
            for region_id, reg in regions.items():
                if "start" in reg:
                    spans.append(ClaimSpan(
                        kind=kind, unit_id=unit, region_id=region_id, start=reg["start"], end=reg["end"],
                        text=text[reg["start"]:reg["end"]], claim_type=reg["claim_type"],
                        speaker=reg.get("speaker"), **common))
    if errors:
        shown = errors[:MAX_LISTED] + ([f"... and {len(errors) - MAX_LISTED} more"]
                                       if len(errors) > MAX_LISTED else [])
        raise ManyErrors(shown, f"{where}: {len(errors)} problem(s) in the export")
    return stances, spans
