"""``push``: create (or check) a round's two projects and import the missing tasks in batches.

Idempotent: every task carries its unit id, the ids already on the server are listed first, and only
the missing units are imported (Label Studio itself duplicates on re-import). After every batch the
counts the server reports are checked against what was sent; if the server goes away mid-push the
error says how far it got, and the next push resumes from what the server actually has.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from natostance import labels as L
from natostance.annotate.labelstudio import config as C
from natostance.annotate.labelstudio import tasks as T
from natostance.annotate.records import read_jsonl
from natostance.errors import InputError, NatoStanceError

SOURCE_CONFIG = {"sentences": "sentences", "articles": "articles"}  # project kind -> dataset config


def _read(dataset: str | Path, config: str) -> list[dict]:
    try:
        from natostance.parquet_io import read_config  # the builder's reader
    except ImportError as exc:
        raise NatoStanceError(f"cannot read {dataset}: the dataset reader is not available ({exc})") from None
    return read_config(dataset, config)


def project_title(round_name: str, kind: str) -> str:
    return f"natostance {round_name} {kind}"


@dataclass
class PushResult:
    kind: str
    project_id: int
    units: int            # units in the dataset
    already: int          # already on the server before this push
    imported: int         # tasks imported now
    predictions: int = 0
    batches: list[float] = field(default_factory=list)


def _canonical(xml: str) -> str:
    """The config without comments or layout whitespace (the server may re-save the text)."""
    import xml.etree.ElementTree as ET

    try:
        return ET.canonicalize(xml, strip_text=True)
    except ET.ParseError:
        return xml


def ensure_project(client, round_name: str, kind: str, *, overlap: int | None = None,
                   update_config: bool = False) -> dict:
    """Find the round's project of ``kind`` or create it; refuse one whose config is out of date."""
    title, xml = project_title(round_name, kind), C.render(kind)
    project = client.find_project(title)
    if project is None:
        return client.create_project(title, xml, maximum_annotations=overlap or 1,
                                     show_collab_predictions=True,
                                     reveal_preannotations_interactively=False)
    if _canonical(project.get("label_config") or "") != _canonical(xml):
        if not update_config:
            raise NatoStanceError(
                f"project {title!r} (id {project['id']}) at {client.url} was made with another labeling config "
                f"than the one schemas/{L.LABELS_FILE} generates now: {C.difference(project.get('label_config') or '', xml)}. "
                "A round's annotations share one config: push to a new round (--round <new name>), or push with "
                "--update-config to replace it (Label Studio refuses if existing annotations use removed labels)")
        client.update_project(project["id"], label_config=xml)
    if overlap and project.get("maximum_annotations") != overlap:
        client.update_project(project["id"], maximum_annotations=overlap)
    return client.project(project["id"])


TASK_KIND = {"sentence_stance": "sentences", "article_stance": "articles"}  # benchmark submission tasks


def _stance_rows(path: Path, kind: str):
    """(line, row) of a predictions file for one project kind. Two forms: the campaign's own lines (unit id
    field, ``target``, ``label``) and benchmark submissions (``task``, ``unit_id``: schemas/submission.schema.json),
    whose rows of other tasks are skipped."""
    key = T.unit_key(kind)
    for lineno, row in enumerate(read_jsonl(path), 1):
        if "task" in row:
            if TASK_KIND.get(row["task"]) != kind:
                continue
            row = {**row, key: row.get("unit_id")}
        yield lineno, row


def _default_version(path: Path) -> str:
    meta = path.with_name(path.stem + ".meta.json")  # a benchmark submission's metadata, if it has one
    if meta.is_file():
        system = json.loads(meta.read_text(encoding="utf-8")).get("system")
        if isinstance(system, str) and system:
            return system
    return path.stem


def load_predictions(path: str | Path, kind: str, model_version: str | None = None) -> dict[str, dict]:
    """A predictions file (see ``_stance_rows``; optional ``score``) -> per-unit predictions for one kind."""
    key, path = T.unit_key(kind), Path(path)
    targets, stances = set(L.labels("target")), set(L.labels("stance"))
    out: dict[str, dict[str, Any]] = {}
    scores: dict[str, list[float]] = defaultdict(list)
    default_version = model_version or _default_version(path)
    for lineno, row in _stance_rows(path, kind):
        where = f"{path}:{lineno}"
        if not row.get(key):
            raise InputError(where, f"expected a {key!r} (or task + unit_id) field, found keys {sorted(row)}")
        if row.get("target") not in targets:
            raise InputError(where, f"target {row.get('target')!r}; expected one of {sorted(targets)}")
        if row.get("label") not in stances:
            raise InputError(where, f"label {row.get('label')!r}; expected one of {sorted(stances)}")
        unit = out.setdefault(row[key], {"labels": {}, "model_version": model_version or row.get("model_version")
                                         or default_version})
        unit["labels"][row["target"]] = row["label"]
        if isinstance(row.get("score"), (int, float)):
            scores[row[key]].append(float(row["score"]))
    for unit_id, vals in scores.items():
        out[unit_id]["score"] = round(sum(vals) / len(vals), 6)
    return out


def prediction_kinds(path: str | Path) -> set[str]:
    """Which project kinds a predictions file has stance predictions for."""
    rows = read_jsonl(path)
    kinds = {TASK_KIND[r["task"]] for r in rows if r.get("task") in TASK_KIND}
    kinds |= {kind for kind in C.KINDS if rows and T.unit_key(kind) in rows[0]}
    if not kinds:
        raise InputError(str(path), "expected stance predictions: lines with 'sentence_id'/'article_id', or benchmark "
                         "rows of task sentence_stance/article_stance; found "
                         + (f"keys {sorted(rows[0])}" if rows else "an empty file"))
    return kinds


def push_tasks(client, project_id: int, kind: str, tasks: Sequence[dict], batch_size: int = 1000) -> PushResult:
    """Import the tasks whose unit id the project does not have yet, ``batch_size`` per request."""
    import time

    key = T.unit_key(kind)
    # listing costs ~1 ms per task on SQLite; an empty project needs none
    existing = client.task_units(project_id, key) if client.project(project_id).get("task_number") else {}
    todo = [t for t in tasks if t["data"][key] not in existing]
    res = PushResult(kind, project_id, len(tasks), len(tasks) - len(todo), 0)
    for i in range(0, len(todo), batch_size):
        batch = todo[i:i + batch_size]
        sent = {"task_count": len(batch),
                "prediction_count": sum(len(t.get("predictions", ())) for t in batch),
                "annotation_count": sum(len(t.get("annotations", ())) for t in batch)}
        t0 = time.perf_counter()
        try:
            got = client.import_tasks(project_id, batch)
        except NatoStanceError as exc:
            raise NatoStanceError(
                f"push to project {project_id} stopped after {res.imported} of {len(todo)} new "
                f"{kind} tasks: {exc}\nrun push again: it imports only the units the server lacks") from None
        res.batches.append(time.perf_counter() - t0)
        wrong = {k: (v, got.get(k)) for k, v in sent.items() if got.get(k) != v}
        if wrong:
            raise NatoStanceError(
                f"project {project_id}: the server reported other counts than were sent for batch "
                f"{i // batch_size + 1} (sent vs reported: "
                + ", ".join(f"{k} {a} vs {b}" for k, (a, b) in wrong.items()) + ")")
        res.imported += len(batch)
        res.predictions += sent["prediction_count"]
    total = client.project(project_id).get("task_number")
    if total is not None and total != len(existing) + res.imported:
        raise NatoStanceError(f"project {project_id} has {total} tasks after the push, expected "
                              f"{len(existing) + res.imported}: duplicates or tasks added by hand?")
    return res


def push(dataset: str | Path | Mapping[str, list[dict]] = "dataset", *, round_name: str = "r1",
         kinds: Sequence[str] = C.KINDS, predictions: str | Path | None = None,
         model_version: str | None = None, overlap: int | None = None, batch_size: int = 1000,
         update_config: bool = False, client=None) -> list[PushResult]:
    """Push a round: ``dataset`` is the dataset folder (read with ``read_config``) or ``{kind: rows}``."""
    from natostance.annotate.labelstudio.client import Client

    if predictions and not prediction_kinds(predictions) & set(kinds):
        raise InputError(str(predictions), f"predicts {', '.join(sorted(prediction_kinds(predictions)))}, which this push "
                         f"does not include (kinds: {', '.join(kinds)})")
    client = client or Client()
    results = []
    for kind in kinds:
        if isinstance(dataset, Mapping):
            rows = dataset[kind]
        else:
            rows = _read(dataset, SOURCE_CONFIG[kind])
        tasks = T.sentence_tasks(rows) if kind == "sentences" else T.article_tasks(rows)
        project = ensure_project(client, round_name, kind, overlap=overlap, update_config=update_config)
        preds = {}
        if predictions and kind in prediction_kinds(predictions):
            preds = load_predictions(predictions, kind, model_version)
            T.attach_predictions(kind, tasks, preds, where=str(predictions))
        results.append(push_tasks(client, project["id"], kind, tasks, batch_size))
        if preds:  # only valid once predictions of that version exist on the server
            versions = sorted({p["model_version"] for p in preds.values()})
            client.update_project(project["id"], model_version=versions[0])
    return results
