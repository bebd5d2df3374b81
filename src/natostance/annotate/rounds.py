"""A round's manifest, ``annotation/records/<round>/round.json``: where its records came from, how far it
is, and whether it is closed.

* ``pull`` writes it: the two projects the records were exported from (id, title, creation time: a
  project on another server, or made again, is another project), the server, and the round's status
  (units per project, how many have all their annotations, how many are still open, labels per
  annotator). A later pull of the same round must come from the same projects; records of another
  campaign already under that round name are never overwritten (``--replace`` does, on purpose).
* ``close`` marks a finished round: nothing rewrites a closed round's records, adjudication or gold. It
  also records who the annotators were (``automated``: AI language-model agents working from the
  guidelines; ``human``: people; ``mixed``) and the guidelines version the round was labelled under, which
  the datasheet, card and Croissant file state.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from natostance.annotate.decisions import atomic_json
from natostance.errors import NatoStanceError

MANIFEST = "round.json"
ANNOTATOR_KINDS = ("automated", "human", "mixed")
VERSION_LINE = re.compile(r"^\W*Version ([\d.]+)", re.M)  # the guidelines' 'Version X.Y' line (prompts read it too)


def guidelines_version(guidelines: str | Path) -> str | None:
    """The version a guidelines file states in its 'Version X.Y' line (None when it states none)."""
    path = Path(guidelines)
    found = VERSION_LINE.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    return found.group(1) if found else None


def manifest_path(records_dir: str | Path, round_name: str) -> Path:
    return Path(records_dir) / round_name / MANIFEST


def load(records_dir: str | Path, round_name: str) -> dict[str, Any] | None:
    path = manifest_path(records_dir, round_name)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise NatoStanceError(f"{path}: expected the round's manifest as JSON, found: {exc}") from None


# how the datasheet, card and Croissant file name a round's annotators
KIND_WORDS = {
    "automated": "automated annotators (AI language-model agents working from the guidelines), not people",
    "human": "people",
    "mixed": "people and automated annotators (AI language-model agents working from the guidelines)",
    None: "annotators of an unstated kind (`natostance annotate close --annotators` records it)",
}


def describe(records_dir: str | Path) -> dict[str, Any]:
    """Who labelled one round (``annotation/records/<round>``): its annotators' kind and ids, its guidelines."""
    from natostance.annotate.records import read_jsonl

    folder = Path(records_dir)
    found = load(folder.parent, folder.name) or {}
    people = sorted({r["annotator"] for name in ("stance.jsonl", "claims.jsonl") if (folder / name).is_file()
                     for r in read_jsonl(folder / name)})
    return {"round": folder.name, "annotators": found.get("annotators"), "guidelines": found.get("guidelines"),
            "people": people}


def who_text(facts: dict[str, Any]) -> str:
    """'round r2: 3 automated annotators (…), guidelines 1.2' for one ``describe`` result."""
    n = len(facts["people"])
    text = f"round {facts['round']}: {n} {KIND_WORDS.get(facts['annotators'], KIND_WORDS[None])}"
    return text + (f"; guidelines {facts['guidelines']}" if facts["guidelines"] else "")


def check_not_closed(records_dir: str | Path, round_name: str, doing: str) -> None:
    found = load(records_dir, round_name)
    if found and found.get("closed"):
        raise NatoStanceError(f"round {round_name!r} is closed ({manifest_path(records_dir, round_name)}"
                              f"{': ' + found['closed_because'] if found.get('closed_because') else ''}); "
                              f"{doing} would rewrite its files: use a new --round name")


def identity(project: dict) -> dict[str, Any]:
    return {"id": project["id"], "title": project.get("title"), "created_at": project.get("created_at")}


def check_same_projects(records_dir: str | Path, round_name: str, projects: dict[str, dict], replace: bool) -> None:
    """Refuse to pull into a round whose records came from other projects (or from nobody knows where)."""
    check_not_closed(records_dir, round_name, "pull")
    folder = Path(records_dir) / round_name
    if replace or not any((folder / f).is_file() for f in ("stance.jsonl", "claims.jsonl")):
        return
    found = load(records_dir, round_name)
    if found is None:
        raise NatoStanceError(f"{folder} already holds records of a round {round_name!r} that no pull of this "
                              f"campaign wrote (no {MANIFEST}); pull into a new --round, or pass --replace to "
                              "overwrite them")
    before = found.get("projects", {})
    for kind, project in projects.items():
        if kind in before and identity(project) != before[kind]:
            raise NatoStanceError(f"{folder} holds round {round_name!r} pulled from other projects ({kind}: "
                                  f"{_describe(before[kind])}; this server has {_describe(identity(project))}); "
                                  "pull into a new --round, or pass --replace to overwrite it")


def _describe(ident: dict) -> str:
    return f"project {ident.get('id')} {ident.get('title')!r} created {ident.get('created_at')}"


def status(kind: str, tasks: list[dict], overlap: int, users: dict[int, str]) -> dict[str, Any]:
    """How far one project of a round is: units, complete ones (``overlap`` annotations), open ones, per annotator."""
    done: Counter[int] = Counter()
    per_annotator: dict[str, int] = defaultdict(int)
    cancelled = 0
    for task in tasks:
        for ann in task.get("annotations") or ():
            if ann.get("was_cancelled"):
                cancelled += 1
                continue
            done[task["id"]] += 1
            who = ann.get("completed_by")
            who = who.get("id") if isinstance(who, dict) else who
            per_annotator[users.get(who) or str(who)] += 1
    complete = sum(done[t["id"]] >= overlap for t in tasks)
    return {"units": len(tasks), "annotations_per_unit": overlap, "complete": complete,
            "open": len(tasks) - complete, "started": sum(done[t["id"]] > 0 for t in tasks),
            "cancelled": cancelled, "per_annotator": dict(sorted(per_annotator.items()))}


def record_pull(records_dir: str | Path, round_name: str, server: str, projects: dict[str, dict],
                progress: dict[str, dict], pulled_at: str) -> Path:
    path = manifest_path(records_dir, round_name)
    found = load(records_dir, round_name) or {}
    merged = {**found.get("projects", {}), **{k: identity(p) for k, p in projects.items()}}
    atomic_json(path, {"round": round_name, "closed": False, "server": server, "pulled_at": pulled_at,
                       "projects": merged, "status": {**found.get("status", {}), **progress}})
    return path


def close(records_dir: str | Path, round_name: str, because: str, annotators: str,
          guidelines: str | None = None) -> Path:
    """Mark a round closed, with who its annotators were and the guidelines version it was labelled under;
    its files are never rewritten afterwards."""
    if annotators not in ANNOTATOR_KINDS:
        raise NatoStanceError(f"--annotators: expected one of {', '.join(ANNOTATOR_KINDS)}, found {annotators!r}")
    path = manifest_path(records_dir, round_name)
    found = load(records_dir, round_name)
    if found is None and not path.parent.is_dir():
        raise NatoStanceError(f"{path.parent}: no round {round_name!r} to close")
    guidelines = guidelines or guidelines_version(Path(records_dir).parent / "guidelines.md")
    atomic_json(path, {**(found or {"round": round_name}), "closed": True, "closed_because": because,
                       "annotators": annotators, **({"guidelines": guidelines} if guidelines else {})})
    return path


def summary_lines(progress: dict[str, dict]) -> list[str]:
    lines = []
    for kind, st in progress.items():
        lines.append(f"{kind}: {st['complete']} of {st['units']} units have their {st['annotations_per_unit']} "
                     f"annotation(s), {st['open']} still open ({st['started']} started)"
                     + (f", {st['cancelled']} skipped" if st["cancelled"] else ""))
        lines += [f"  {who}: {n} of {st['units']}" for who, n in st["per_annotator"].items()]
    return lines
