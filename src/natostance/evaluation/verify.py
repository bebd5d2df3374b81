"""Verified leaderboard rows: every row is a score computed now from a submission file, never a stored figure.

A result written by ``natostance score --out`` names its submission and metadata files (paths relative to
the result file) with their SHA-256, and the scorer version. For a folder the leaderboard

* scores every submission in it (``*.jsonl``, ``*.csv``, ``*.parquet`` with ``<stem>.meta.json``);
* for every stored ``*.result.json``: finds the files it names, refuses it when one is missing or its
  SHA-256 differs, or when it was made by another scorer version, then re-scores that submission and
  refuses the stored result unless it is exactly the re-score (protocol, split, meta, every figure). A
  result and its submission in the same folder are one row;
* refuses two submission files that give the same system name under one protocol (one row per system),
  naming both files.

Every problem is collected; one problem is raised as one line, several as ``ManyErrors``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from natostance._version import SCORER_VERSION
from natostance.errors import ManyErrors, NatoStanceError
from natostance.evaluation import bootstrap as B
from natostance.evaluation.protocol import PROTOCOLS, Protocol, declared, meta_errors, resolve
from natostance.evaluation.result import ScoreResult
from natostance.evaluation.submission import find_submissions, meta_path_for, read_submission
from natostance.files import sha256_file

IGNORED = ("submission", "package_version")  # how the files were named and which package wrote them
RESULT_GLOB = "*.result.json"


def file_sha256(path: str | Path) -> str | None:
    """``files.sha256_file``, or None for a file that cannot be read."""
    try:
        return sha256_file(Path(path))
    except OSError:
        return None


def submission_files(sub) -> dict[str, Any]:
    """What a result is computed from: the submission and metadata files, each with its SHA-256."""
    return {
        "path": str(sub.path),
        "sha256": file_sha256(sub.path),
        "meta_path": str(sub.meta_path),
        "meta_sha256": file_sha256(sub.meta_path),
    }


def relative_to(files: dict[str, Any], folder: str | Path) -> dict[str, Any]:
    """The same files with paths relative to ``folder`` (where the result file is written), POSIX style."""
    rel = lambda p: Path(os.path.relpath(Path(p).resolve(), Path(folder).resolve())).as_posix()  # noqa: E731
    return dict(files, path=rel(files["path"]), meta_path=rel(files["meta_path"]))


def first_difference(stored: Any, fresh: Any, where: str = "") -> str | None:
    """Dotted path and both values of the first place two JSON documents differ (None if equal)."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        for k in sorted(set(stored) | set(fresh), key=str):
            if where == "" and k in IGNORED:
                continue
            if k not in stored or k not in fresh:
                return f"{where}{k} is {'missing' if k not in stored else 'extra'} in the stored result"
            d = first_difference(stored[k], fresh[k], f"{where}{k}.")
            if d:
                return d
        return None
    if isinstance(stored, list) and isinstance(fresh, list) and len(stored) == len(fresh):
        for i, (a, b) in enumerate(zip(stored, fresh, strict=True)):
            d = first_difference(a, b, f"{where}{i}.")
            if d:
                return d
        return None
    if stored != fresh:
        return f"{where.rstrip('.')} is {_short(stored)}, the re-score gives {_short(fresh)}"
    return None


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Entry:
    path: Path  # the submission file
    meta: Path
    stored: list[tuple[Path, dict[str, Any]]] = field(default_factory=list)  # (result file, its document)


def _link(result_path: Path, doc: Any, allow_other_scorer: bool) -> tuple[Path, Path] | str:
    """The (submission, metadata) a stored result names, after checking both are there and unchanged."""
    files = doc.get("submission") if isinstance(doc, dict) else None
    if not isinstance(files, dict) or not all(isinstance(files.get(k), str) for k in ("path", "sha256", "meta_path")):
        return (
            f"{result_path}: expected a result written by natostance score --out (naming its submission and "
            "metadata with their SHA-256), found none: score the submission again"
        )
    base = result_path.parent
    sub, meta = (Path(os.path.normpath(base / files[k])) for k in ("path", "meta_path"))
    for kind, path, want in (("submission", sub, files["sha256"]), ("metadata", meta, files.get("meta_sha256"))):
        got = file_sha256(path)
        if got is None:
            return f"{result_path}: its {kind} {path} is missing (a stored result is only shown with its submission)"
        if got != want:
            return (
                f"{result_path}: its {kind} {path} changed since it was scored "
                f"(SHA-256 {got[:12]}, the result says {str(want)[:12]})"
            )
    if doc.get("scorer_version") != SCORER_VERSION and not allow_other_scorer:
        return (
            f"{result_path}: made by scorer version {doc.get('scorer_version')}, this is scorer version "
            f"{SCORER_VERSION}: score it again, or pass --allow-incompatible to rank its re-scored submission"
        )
    return sub, meta


def entries(folder: Path, allow_other_scorer: bool, errors: list) -> list[Entry]:
    found: dict[Path, Entry] = {}
    for p in find_submissions(folder):
        found[p.resolve()] = Entry(p, meta_path_for(p))
    for r in sorted(folder.glob(RESULT_GLOB)):
        try:
            doc = ScoreResult.load(r).doc
        except NatoStanceError as exc:
            errors.append(exc)
            continue
        link = _link(r, doc, allow_other_scorer)
        if isinstance(link, str):
            errors.append(link)
            continue
        entry = found.setdefault(link[0].resolve(), Entry(link[0], link[1]))
        entry.stored.append((r, doc))
    return list(found.values())


def _stored_conflicts(entry: Entry, meta: Any, shown: list[Protocol]) -> list[str]:
    """What a stored result claims that its own metadata file or this leaderboard contradicts (checked before
    any scoring, so each is one line)."""
    out = []
    keys = {p.key: p for p in shown}
    for r, doc in entry.stored:
        claimed = resolve_claim(doc)
        if isinstance(claimed, str):
            out.append(f"{r}: {claimed}")
            continue
        diff = first_difference({"meta": doc.get("meta")}, {"meta": meta})
        if diff:
            diff = diff.replace("the re-score gives", f"{entry.meta} gives")
            out.append(f"{r}: its metadata is not its submission's: {diff} (edited after scoring)")
            continue
        conflict = meta_errors(meta, str(r), claimed) if isinstance(meta, dict) else []
        if conflict:
            out.append(f"{conflict[0]} (the result claims protocol {claimed.name}, split {claimed.split})")
        elif claimed.key not in keys:
            where = " and ".join("cv" if p.name == "cv" else f"temporal split {p.split}" for p in shown)
            out.append(
                f"{r}: scored under protocol {claimed.name} split {claimed.split}, but its submission is ranked "
                f"here under {where} only (pass --protocol/--split to rank it where it was scored)"
            )
    return out


def resolve_claim(doc: dict[str, Any]) -> Protocol | str:
    try:
        return resolve(doc.get("protocol"), doc.get("split"))
    except NatoStanceError as exc:
        return str(exc)


def _stored_differences(entry: Entry, fresh: dict[str, ScoreResult], score_fn) -> list[str]:
    """Stored results that are not exactly the re-score of their submission (same scorer version)."""
    out = []
    for r, doc in entry.stored:
        key = resolve_claim(doc).key
        if doc.get("scorer_version") != SCORER_VERSION or key not in fresh:
            continue  # another scorer, allowed by --allow-incompatible: the row is the re-score alone
        res = fresh[key]
        boot = doc.get("bootstrap") or {}
        stored_boot = (boot.get("resamples", B.DEFAULT_RESAMPLES), boot.get("seed", B.DEFAULT_SEED))
        if stored_boot != (res.doc["bootstrap"]["resamples"], res.doc["bootstrap"]["seed"]):
            res = score_fn(key, *stored_boot)
        diff = first_difference(doc, res.to_dict())
        if diff:
            out.append(f"{r}: does not match a re-score of {entry.path}: {diff} (edited, or made from other files)")
    return out


def collect(
    folder: str | Path,
    gold,
    protocols: list[Protocol],
    resamples: int = B.DEFAULT_RESAMPLES,
    seed: int = B.DEFAULT_SEED,
    allow_other_scorer: bool = False,
) -> tuple[dict[str, list[ScoreResult]], list[str]]:
    """(protocol key -> results scored now, one per system; submissions left out because they declare a
    protocol not shown); raises every problem of the folder at once."""
    from natostance.evaluation.score import score

    folder = Path(folder)
    errors: list[NatoStanceError | str] = []
    out: dict[str, list[ScoreResult]] = {p.key: [] for p in protocols}
    owners: dict[tuple[str, str], Path] = {}
    skipped: list[str] = []
    for entry in entries(folder, allow_other_scorer, errors):
        try:
            sub = read_submission(entry.path, entry.meta)
        except NatoStanceError as exc:
            errors.append(exc)
            continue
        said = declared(sub.meta) if isinstance(sub.meta, dict) else None
        if not isinstance(sub.meta, dict) or (said is not None and said not in PROTOCOLS):
            mine = protocols[:1]  # the checker words what is wrong with the metadata
        else:
            mine = [p for p in protocols if said is None or p.name == said]
            if not mine:
                skipped.append(f"{entry.path} (protocol {said})")
                continue
        conflicts = _stored_conflicts(entry, sub.meta, mine)
        if conflicts:
            errors += conflicts
            continue
        fresh: dict[str, ScoreResult] = {}
        for p in mine:
            try:
                fresh[p.key] = score(gold, sub, p.split, protocol=p.name, resamples=resamples, seed=seed)
            except ManyErrors as exc:
                errors += exc.errors
                break
            except NatoStanceError as exc:
                errors.append(exc)
                break

        def again(key, n, s, sub=sub):
            p = next(p for p in mine if p.key == key)
            return score(gold, sub, p.split, protocol=p.name, resamples=n, seed=s)

        errors += _stored_differences(entry, fresh, again)
        for key, res in fresh.items():
            other = owners.setdefault((key, res.system), entry.path)
            if other != entry.path:
                errors.append(
                    f"system name {res.system!r} is given by both {other} and {entry.path} "
                    f"(one row per system: rename one in its .meta.json)"
                )
                continue
            res.doc["verified"] = {
                "rescored_from": str(entry.path),
                "stored_results": [str(r) for r, _ in entry.stored],
            }
            out[key].append(res)
    errors = list({str(e): e for e in errors}.values())  # an annotator row is scored under both protocols
    if len(errors) == 1:
        raise errors[0] if isinstance(errors[0], NatoStanceError) else NatoStanceError(str(errors[0]))
    if errors:
        raise ManyErrors(errors, f"{len(errors)} error(s) while building the leaderboard from {folder}")
    return out, skipped
