"""The submission checker. The scorer calls exactly this, so ``natostance check`` and ``natostance score``
accept and refuse the same files.

Every problem is collected, then raised together (``ManyErrors``): a participant with 40 problems sees all
40 at once. Each message names the file and line (or row), the id, what was expected and what was found.
Rows for units of *other* splits of the dataset are set aside (a zero-shot system may predict everything);
ids the dataset does not know are errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from natostance.errors import ManyErrors
from natostance.evaluation import TASKS, schemas
from natostance.evaluation.protocol import Protocol, meta_errors, resolve
from natostance.evaluation.shape import Shape, restrict_shape
from natostance.evaluation.submission import Submission

MAX_MISSING_LISTED = 50
_UNIT_KIND = {"sentence_stance": "sentence", "article_stance": "article", "claim_detection": "sentence"}


@dataclass(frozen=True)
class Predictions:
    """Valid predictions of one submission for one split, keyed by id (never by position)."""

    system: str
    meta: dict[str, Any]
    split: str
    by_task: dict[str, dict[tuple, dict[str, Any]]] = field(default_factory=dict)
    spans: dict[str, tuple[tuple[int, int, str | None], ...]] = field(default_factory=dict)  # article_id -> spans
    set_aside: int = 0  # rows for units of other splits
    tasks: tuple[str, ...] = ()  # tasks the submission attempts, in TASKS order
    protocol: str = "temporal"


def _meta_errors(sub: Submission, shape: Shape, protocol: Protocol) -> list[str]:
    if sub.meta is None:
        return []
    errs = [f"{sub.meta_path}: {p}" for p in schemas.problems(schemas.META, sub.meta)]
    if errs:
        return errs
    if sub.meta["dataset_version"] != shape.dataset_version:
        errs.append(
            f"{sub.meta_path}: dataset_version: expected {shape.dataset_version}, "
            f"found {sub.meta['dataset_version']} (the submission was made for another dataset version)"
        )
    if "articles" in sub.meta:
        if sub.meta.get("kind") != "annotator":
            errs.append(
                f"{sub.meta_path}: articles: expected only with kind 'annotator' (a system is scored on every "
                f"article), found kind {sub.meta.get('kind', 'system')!r}"
            )
        for a in sub.meta["articles"]:
            if a not in shape.articles:
                errs.append(f"{sub.meta_path}: articles: expected article ids of the gold, found unknown id {a!r}")
    return errs + meta_errors(sub.meta, sub.meta_path, protocol)


def _ident(row: dict) -> str:
    """' (unit_id 'x')' for a message about a row, when the row names its unit."""
    for field_name in ("unit_id", "article_id"):
        if isinstance(row.get(field_name), str):
            return f" ({field_name} {row[field_name]!r})"
    return ""


def _payload(task: str, row: dict) -> dict[str, Any]:
    """The predicted values of one row, with optional fields filled (same result from JSONL, CSV, Parquet)."""
    if task == "claim_detection":
        return {"checkworthy": row["checkworthy"], "score": float(row["score"])}
    if task == "sentence_stance":
        return {"label": row["label"], "holder": row.get("holder")}
    return {"label": row["label"]}


def _key(task: str, row: dict) -> tuple:
    if task == "claim_detection":
        return (row["unit_id"],)
    if task == "claim_spans":
        return (row["article_id"], row["start"], row["end"])
    return (row["unit_id"], row["target"])


def check(sub: Submission, shape: Shape, split: str | None = None, protocol: str = "temporal") -> Predictions:
    """Validate a submission against a shape for one split (or 'all') under a protocol (``protocol.py``; cv
    checks every gold article); return its keyed predictions."""
    proto = resolve(protocol, split)
    split = proto.split
    errors = list(sub.read_errors) + _meta_errors(sub, shape, proto)
    if isinstance(sub.meta, dict) and isinstance(sub.meta.get("articles"), list):
        shape = restrict_shape(shape, sub.meta["articles"])  # an annotator row: only the articles it labelled
    if not sub.rows and not sub.read_errors:
        errors.append(f"{sub.path}: expected at least one prediction row, found none")
    seen: dict[tuple, str] = {}
    by_task: dict[str, dict[tuple, dict]] = {}
    spans: dict[str, list] = {}
    present: set[str] = set()
    set_aside = 0
    invalid: set[tuple] = set()  # keys of rows that failed the schema: not reported again as missing
    for where, row in sub.rows:
        problems = schemas.problems(schemas.SUBMISSION, row)
        if problems:
            errors += [f"{where}{_ident(row)}: {p}" for p in problems]
            try:
                invalid.add((row["task"], _key(row["task"], row)))
            except (KeyError, TypeError):
                pass
            continue
        task = row["task"]
        present.add(task)
        key = _key(task, row)
        if (task, key) in seen:
            errors.append(
                f"{where}: duplicate {task} prediction for {'/'.join(map(str, key))}, first given at {seen[task, key]}"
            )
            continue
        seen[task, key] = where
        unit = row["article_id"] if task == "claim_spans" else row["unit_id"]
        unit_split = shape.split_of(task, unit)
        if unit_split is None:
            kind = _UNIT_KIND.get(task, "article")
            errors.append(
                f"{where}: {task} {'article_id' if task == 'claim_spans' else 'unit_id'} {unit!r}: "
                f"expected a {kind} id of the gold, found an unknown id"
            )
            continue
        if task == "claim_detection" and not math.isfinite(row["score"]):
            errors.append(
                f"{where}: claim_detection unit_id {unit!r}: score: expected a finite number, found {row['score']}"
            )
            invalid.add((task, key))
            continue
        if task == "claim_spans":
            length = shape.articles[unit]["length"]
            if not row["start"] < row["end"] <= length:
                errors.append(
                    f"{where}: claim_spans article_id {unit!r}: expected 0 <= start < end <= {length}, "
                    f"found start {row['start']}, end {row['end']}"
                )
                continue
        elif task != "claim_detection":
            targets = shape.stance_units.get((task, unit), ())
            if row["target"] not in targets:
                errors.append(
                    f"{where}: {task} unit_id {unit!r}: expected a target in ({', '.join(targets)}), "
                    f"found {row['target']!r}"
                )
                continue
        if split != "all" and unit_split != split:
            set_aside += 1
            continue
        if task == "claim_spans":
            spans.setdefault(unit, []).append((row["start"], row["end"], row.get("speaker")))
        else:
            by_task.setdefault(task, {})[key] = _payload(task, row)
    for task in sorted(present - {"claim_spans"}, key=TASKS.index):
        missing = sorted(
            shape.expected(task, split) - set(by_task.get(task, {})) - {k for t, k in invalid if t == task}
        )
        for key in missing[:MAX_MISSING_LISTED]:
            what = f"unit_id {key[0]!r}" + (f" target {key[1]!r}" if len(key) > 1 else "")
            scope = "protocol cv: every gold article" if proto.name == "cv" else f"split {split}"
            errors.append(f"{sub.path}: {task}: expected a prediction for {what} ({scope}), found none")
        if len(missing) > MAX_MISSING_LISTED:
            errors.append(f"{sub.path}: {task}: ... and {len(missing) - MAX_MISSING_LISTED} more missing predictions")
    if errors:
        raise ManyErrors(errors, f"{len(errors)} error(s) in submission {sub.path}")
    return Predictions(
        sub.meta["system"],
        dict(sub.meta),
        split,
        by_task,
        {a: tuple(sorted(v, key=lambda s: (s[0], s[1]))) for a, v in spans.items()},
        set_aside,
        tuple(t for t in TASKS if t in present),
        proto.name,
    )


def check_submission(
    submission, *, shape=None, gold=None, meta=None, split: str | None = None, protocol: str = "temporal"
) -> Predictions:
    """API of ``natostance check``: a submission path against a shape manifest (or a gold directory)."""
    from natostance.evaluation.gold import Gold, load_gold
    from natostance.evaluation.shape import Shape, read_shape, shape_from_gold
    from natostance.evaluation.submission import read_submission

    if shape is None and gold is None:
        raise ValueError("check_submission needs shape= (a manifest) or gold= (a gold directory)")
    if not isinstance(shape, Shape):
        shape = (
            read_shape(shape)
            if shape is not None
            else shape_from_gold(gold if isinstance(gold, Gold) else load_gold(gold))
        )
    sub = submission if isinstance(submission, Submission) else read_submission(submission, meta)
    return check(sub, shape, split, protocol)
