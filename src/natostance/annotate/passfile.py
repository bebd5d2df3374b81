"""Offline passes: label files made outside the browser, posted to Label Studio as their annotator's user.

A pass folder holds ``sentence_labels.jsonl``, ``article_labels.jsonl`` and ``claims.jsonl``
(``schemas/annotation-pass.schema.json``). ``check_pass`` reports every problem at once (line, id,
expected, found); ``pass_results`` turns a checked pass into Label Studio result lists (claim offsets
are computed from the exact text, code points into the article text); ``submit_pass`` posts them as
one user, skipping tasks that user already annotated, so a second submit adds nothing. A pass may come in
parts (``partial``): each part labels some units, every part is checked as strictly as a whole pass, and
the answer counts the units this annotator still has open.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from natostance import labels as L
from natostance.annotate.labelstudio import config as C
from natostance.errors import InputError
from natostance.guard import ErrorLog, escape, shown
from natostance.jsonlines import checked_lines

FILES = {"sentence_labels": "sentence_labels.jsonl", "article_labels": "article_labels.jsonl", "claim": "claims.jsonl"}


def _lines(path: Path, kind: str, errors: ErrorLog):
    """(line, object) of the lines of one pass file that fit their schema, streamed; the rest go to ``errors``."""
    if not path.is_file():
        errors.add(f"{escape(path)}: file", f"{path}: missing (expected {kind} lines)")
        return
    yield from checked_lines(path, errors, f"urn:natostance:schemas:annotation-pass#/$defs/{kind}",
                             f"lines that break the {kind} schema")


def check_pass(folder: str | Path, sentences: list[Mapping[str, Any]], articles: list[Mapping[str, Any]],
               partial: bool = False) -> dict:
    """Read and check a pass against the dataset's units; return {sentences, articles, claims} or raise.

    ``partial``: units may be missing (a pass in parts), but a claim needs its article labelled in the same part.
    Files are streamed; errors are capped per kind (``guard.ErrorLog``); memory holds one entry per unit.
    """
    folder, errors = Path(folder), ErrorLog()
    sent = {s["sentence_id"]: s for s in sentences}
    arts = {a["article_id"]: a for a in articles}
    targets = set(L.labels("target"))
    out: dict[str, Any] = {"sentences": {}, "articles": {}, "claims": defaultdict(list)}
    name = FILES["sentence_labels"]
    for n, obj in _lines(folder / name, "sentence_labels", errors):
        sid, labs = obj["sentence_id"], obj["labels"]
        where = f"{name}:{n} ({shown(sid)[1:-1]})"
        if sid not in sent:
            errors.add(f"{name}: unknown ids", f"{where}: unknown sentence_id")
        elif sid in out["sentences"]:
            errors.add(f"{name}: units labelled twice", f"{where}: sentence labelled twice")
        elif set(labs) != targets:
            errors.add(f"{name}: target sets", f"{where}: expected targets {sorted(targets)}, found {sorted(labs)}")
        elif bad := [t for t, v in labs.items() if (v["stance"] == "none") != (v["holder"] is None)]:
            errors.add(f"{name}: holders", f"{where}: holder must be null exactly when stance is none "
                                          f"({', '.join(sorted(bad))})")
        else:
            out["sentences"][sid] = labs
    name = FILES["article_labels"]
    for n, obj in _lines(folder / name, "article_labels", errors):
        aid, where = obj["article_id"], f"{name}:{n} ({shown(obj['article_id'])[1:-1]})"
        if aid not in arts or set(obj["labels"]) != targets:
            errors.add(f"{name}: units", f"{where}: expected a known article_id and every target {sorted(targets)}")
        else:
            out["articles"][aid] = obj["labels"]
    name = FILES["claim"]
    for n, obj in _lines(folder / name, "claim", errors):
        s = sent.get(obj["sentence_id"])
        where = f"{name}:{n} ({shown(obj['sentence_id'])[1:-1]})"
        if s is None:
            errors.add(f"{name}: unknown ids", f"{where}: unknown sentence_id")
        elif (k := s["text"].count(obj["text"])) != 1:
            errors.add(f"{name}: claim texts", f"{where}: claim text must occur exactly once in the sentence, "
                                              f"found {k} times")
        else:
            start = s["start"] + s["text"].index(obj["text"])
            out["claims"][s["article_id"]].append({**obj, "start": start, "end": start + len(obj["text"])})
    hint = " (a pass in parts: submit-pass --partial)"
    if not partial and (missing := sorted(set(sent) - set(out["sentences"]))):
        errors.add("missing", f"{FILES['sentence_labels']}: {len(missing)} sentence(s) not labelled, e.g. "
                              f"{missing[0]}{hint}")
    if not partial and (missing := sorted(set(arts) - set(out["articles"]))):
        errors.add("missing", f"{FILES['article_labels']}: article(s) not labelled: {_some(missing)}{hint}")
    if stray := sorted(set(out["claims"]) - set(out["articles"])):
        errors.add("stray", f"{FILES['claim']}: claims in article(s) this pass does not label in "
                            f"{FILES['article_labels']} (claims are posted with their article's labels): {_some(stray)}")
    errors.raise_if_any(f"{folder}: {{n}} problem(s) in the pass")
    return out


def _some(ids: list[str], limit: int = 20) -> str:
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit:,} more" if len(ids) > limit else "")


def _choices(name: str, to_name: str, value: str) -> dict:
    return {"id": name, "from_name": name, "to_name": to_name, "type": "choices", "origin": "manual",
            "value": {"choices": [value]}}


def sentence_result(labs: Mapping[str, Mapping[str, str | None]]) -> list[dict]:
    out = [_choices(C.stance_name(t), "sentence", v["stance"]) for t, v in sorted(labs.items())]
    out += [_choices(C.holder_name(t), "sentence", v["holder"]) for t, v in sorted(labs.items()) if v["holder"]]
    return out


def article_result(labs: Mapping[str, str], claims: list[dict], text: str) -> list[dict]:
    out = [_choices(C.stance_name(t), "text", v) for t, v in sorted(labs.items())]
    for i, c in enumerate(sorted(claims, key=lambda c: (c["start"], c["end"]))):
        rid, value = f"claim{i}", {"start": c["start"], "end": c["end"], "text": text[c["start"]:c["end"]]}
        out.append({"id": rid, "from_name": C.CLAIM, "to_name": "text", "type": "labels", "origin": "manual",
                    "value": {**value, "labels": [c["type"]]}})
        out.append({"id": rid, "from_name": C.SPEAKER, "to_name": "text", "type": "textarea", "origin": "manual",
                    "value": {**value, "text": [c["speaker"]]}})
    return out


def submit_pass(client, folder: str | Path, annotator: str, round_name: str, dataset: str | Path,
                partial: bool = False) -> dict:
    """Post a checked pass as ``annotator`` (created if needed) to the round's projects; return counts,
    including the units this annotator has not labelled yet (``open``)."""
    from natostance.annotate.labelstudio.push import project_title
    from natostance.annotate.labelstudio.tasks import unit_key
    from natostance.parquet_io import read_config

    sentences, articles = read_config(dataset, "sentences"), read_config(dataset, "articles")
    checked = check_pass(folder, sentences, articles, partial)
    users = {email.lower(): uid for uid, email in client.users().items()}
    uid = users.get(annotator.lower()) or client.create_user(annotator)
    texts = {a["article_id"]: a["text"] for a in articles}
    posted, already, still_open = {}, {}, {}
    for kind, units in (("sentences", checked["sentences"]), ("articles", checked["articles"])):
        project = client.find_project(project_title(round_name, kind))
        if project is None:
            raise InputError(project_title(round_name, kind), "no such project: run `natostance annotate push` first")
        tasks = client.task_units(project["id"], unit_key(kind))
        done = _annotated_by(client, project["id"], uid, unit_key(kind))
        n = 0
        already[kind] = len(set(units) & done)
        for unit, labs in sorted(units.items()):
            if unit in done:
                continue
            if unit not in tasks:
                raise InputError(f"{kind} {unit}", f"no task in project {project['title']!r}: push the dataset first")
            result = sentence_result(labs) if kind == "sentences" else article_result(
                labs, checked["claims"].get(unit, []), texts[unit])
            client.create_annotation(tasks[unit], result, completed_by=uid)
            n += 1
        posted[kind] = n
        still_open[kind] = len(set(tasks) - done - set(units))
    return {"annotator": annotator, "user_id": uid, "posted": posted, "already": already, "open": still_open,
            "claims": sum(len(v) for v in checked["claims"].values())}


def _annotated_by(client, project_id: int, uid: int, key: str) -> set[str]:
    tasks = json.loads(client.export(project_id))
    return {t["data"][key] for t in tasks for a in t.get("annotations", []) if a.get("completed_by") == uid}
