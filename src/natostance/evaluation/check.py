"""The submission checker. The scorer calls exactly this, so ``natostance check`` and ``natostance score``
accept and refuse the same files.

Every problem is collected, then raised together (``ManyErrors``): a participant with 40 problems sees all
40 at once. Each message names the file and line (or row), the id, what was expected and what was found.
Rows for units of *other* splits of the dataset are set aside (a zero-shot system may predict everything);
ids the dataset does not know are errors.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from natostance.evaluation import TASKS, schemas
from natostance.evaluation.protocol import Protocol, meta_errors, resolve
from natostance.evaluation.shape import Shape, restrict_shape
from natostance.evaluation.submission import Submission
from natostance.guard import MAX_PER_KIND, ErrorLog, escape, shown

ROW_BYTES = 1024  # bytes a row may take on average (a JSONL stance row is ~100)
SPANS_PER_SENTENCE = 10  # claim spans an article may hold per sentence (the gold has under 1)
MIN_MAX_BYTES = 64 << 20
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
            f"found {shown(sub.meta['dataset_version'])[1:-1]} (the submission was made for another dataset version)"
        )
    if "articles" in sub.meta:
        if sub.meta.get("kind") != "annotator":
            errs.append(
                f"{sub.meta_path}: articles: expected only with kind 'annotator' (a system is scored on every "
                f"article), found kind {sub.meta.get('kind', 'system')!r}"
            )
        for a in sub.meta["articles"]:
            if a not in shape.articles:
                errs.append(f"{sub.meta_path}: articles: expected article ids of the gold, found unknown id {shown(a)}")
                if len(errs) > MAX_PER_KIND:
                    break
    return errs + meta_errors(sub.meta, sub.meta_path, protocol)


def _ident(row: dict) -> str:
    """' (unit_id 'x')' for a message about a row, when the row names its unit."""
    for field_name in ("unit_id", "article_id"):
        if isinstance(row.get(field_name), str):
            return f" ({field_name} {shown(row[field_name])})"
    return ""


def fast_valid(row: dict) -> bool:
    """The compiled validator's verdict on a submission row (the wording of errors is ``schemas.problems``)."""
    return schemas.fast_validator(schemas.SUBMISSION).is_valid(row)


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


def max_bytes(shape: Shape) -> int:
    """The largest rows file read for a shape: ``ROW_BYTES`` per row a submission of every split could hold
    (stance keys, claim-detection sentences, ``SPANS_PER_SENTENCE`` claim spans a sentence), at least
    ``MIN_MAX_BYTES``. Anything bigger cannot be an honest submission and is refused before it is read."""
    sentences = sum(len(a["sentences"]) for a in shape.articles.values())
    rows = sum(len(t) for t in shape.stance_units.values()) + sentences * (1 + SPANS_PER_SENTENCE)
    return max(MIN_MAX_BYTES, rows * ROW_BYTES)


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _rejected_target(task: str, row: dict, shape: Shape) -> str | None:
    """The unit a rejected stance row was about, when its target is not one of the unit's (so the prediction it
    was meant to be is not also reported missing)."""
    if task in ("sentence_stance", "article_stance") and isinstance(row.get("unit_id"), str):
        targets = shape.stance_units.get((task, row["unit_id"]))
        if targets is not None and row.get("target") not in targets:  # a unit of the gold: memory stays bounded
            return row["unit_id"]
    return None


def check(sub: Submission, shape: Shape, split: str | None = None, protocol: str = "temporal") -> Predictions:
    """Validate a submission against a shape for one split (or 'all') under a protocol (``protocol.py``; cv
    checks every gold article); return its keyed predictions.

    Rows are streamed; memory holds the valid predictions (bounded by the shape) and the first
    ``guard.MAX_PER_KIND`` errors of each kind, whatever the file's size. A rejected row is reported once:
    a stance row refused for its target also stands for one missing prediction of its unit."""
    proto = resolve(protocol, split)
    split = proto.split
    log = ErrorLog()
    log.extend(f"{escape(sub.path)}: metadata", [*sub.read_errors, *_meta_errors(sub, shape, proto)])
    if isinstance(sub.meta, dict) and isinstance(sub.meta.get("articles"), list):
        shape = restrict_shape(shape, sub.meta["articles"])  # an annotator row: only the articles it labelled
    path, limit = escape(sub.path), max_bytes(shape)
    if sub.size > limit:
        log.add(f"{path}: file", f"{sub.path}: expected a submission of at most {limit:,} bytes for this gold "
                                 f"({limit // ROW_BYTES:,} rows of {ROW_BYTES:,} bytes), found {sub.size:,} bytes")
        log.raise_if_any(f"{{n}} error(s) in submission {sub.path}")
    seen: dict[tuple, str] = {}
    by_task: dict[str, dict[tuple, dict]] = {}
    spans: dict[str, list] = {}
    present: set[str] = set()
    set_aside = rows = 0
    invalid: set[tuple] = set()  # keys of known units whose rows failed: not reported again as missing
    absorbed: Counter = Counter()  # (task, unit) -> rows refused for their target: each stands for one missing key
    span_count: Counter = Counter()  # article -> claim spans kept
    before = log.total
    for where, row in sub.rows(log):
        rows += 1
        schema_kind = f"{path}: rows that break the submission schema"
        # past the cap a failing row is only counted; the compiled validator also refuses NaN, which the
        # wording validator accepts (the row then goes on to the finite-score check)
        problems = [] if fast_valid(row) else None if log.full(schema_kind) else schemas.problems(schemas.SUBMISSION, row)
        if problems != []:
            log.extend(schema_kind, [f"{where}{_ident(row)}: {p}" for p in problems] if problems else [""])
            task = row.get("task")
            if task in TASKS and (unit := _rejected_target(task, row, shape)) is not None:
                absorbed[task, unit] += 1
            elif task in TASKS:
                try:
                    key = _key(task, row)
                    if shape.split_of(task, key[0]) is not None:
                        invalid.add((task, key))
                except (KeyError, TypeError):
                    pass
            continue
        task = row["task"]
        present.add(task)
        key = _key(task, row)
        unit = row["article_id"] if task == "claim_spans" else row["unit_id"]
        unit_split = shape.split_of(task, unit)
        if unit_split is None:
            kind = _UNIT_KIND.get(task, "article")
            log.add(f"{path}: unknown ids", lambda: (
                f"{where}: {task} {'article_id' if task == 'claim_spans' else 'unit_id'} {shown(unit)}: "
                f"expected a {kind} id of the gold, found an unknown id"))
            continue
        if (task, key) in seen:
            log.add(f"{path}: duplicate predictions", lambda: (
                f"{where}: duplicate {task} prediction for {'/'.join(map(str, key))}, first given at {seen[task, key]}"))
            continue
        if task == "claim_spans":  # any number of spans, but not more than the article could hold
            cap = SPANS_PER_SENTENCE * max(1, len(shape.articles[unit]["sentences"]))
            if span_count[unit] >= cap:
                log.add(f"{path}: too many claim spans", lambda: (
                    f"{where}: claim_spans article_id {shown(unit)}: expected at most {cap} spans for this article "
                    f"({SPANS_PER_SENTENCE} per sentence), found more"))
                continue
            span_count[unit] += 1
        seen[task, key] = where
        if task == "claim_detection" and not _finite(row["score"]):
            log.add(f"{path}: scores that are not finite", lambda: (
                f"{where}: claim_detection unit_id {shown(unit)}: score: expected a finite number, "
                f"found {shown(row['score'])}"))
            invalid.add((task, key))
            continue
        if task == "claim_spans":
            length = shape.articles[unit]["length"]
            if not row["start"] < row["end"] <= length:
                log.add(f"{path}: claim spans outside their article", lambda: (
                    f"{where}: claim_spans article_id {shown(unit)}: expected 0 <= start < end <= {length}, "
                    f"found start {shown(row['start'])}, end {shown(row['end'])}"))
                continue
        elif task != "claim_detection":
            targets = shape.stance_units.get((task, unit), ())
            if row["target"] not in targets:
                log.add(f"{path}: targets the gold has no label for", lambda: (
                    f"{where}: {task} unit_id {shown(unit)}: expected a target in ({', '.join(targets)}), "
                    f"found {shown(row['target'])}"))
                if targets:
                    absorbed[task, unit] += 1
                continue
        if split != "all" and unit_split != split:
            set_aside += 1
            continue
        if task == "claim_spans":
            spans.setdefault(unit, []).append((row["start"], row["end"], row.get("speaker")))
        else:
            by_task.setdefault(task, {})[key] = _payload(task, row)
    if not rows and log.total == before:
        log.add(f"{path}: file", f"{sub.path}: expected at least one prediction row, found none")
    for task in sorted(present - {"claim_spans"}, key=TASKS.index):
        missing = sorted(
            shape.expected(task, split) - set(by_task.get(task, {})) - {k for t, k in invalid if t == task}
        )
        for key in missing:
            if absorbed[task, key[0]]:
                absorbed[task, key[0]] -= 1
                continue
            what = f"unit_id {key[0]!r}" + (f" target {key[1]!r}" if len(key) > 1 else "")
            scope = "protocol cv: every gold article" if proto.name == "cv" else f"split {split}"
            log.add(f"{path}: {task}: missing predictions",
                    f"{sub.path}: {task}: expected a prediction for {what} ({scope}), found none")
    log.raise_if_any(f"{{n}} error(s) in submission {sub.path}")
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
