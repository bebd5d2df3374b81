"""``pull``: export a round's projects, keep the raw exports untouched, convert them to records.

Layout under the output folder (default ``annotation/``)::

    exports/<round>/<kind>-<UTC stamp>.json         the full JSON export, byte for byte
    exports/<round>/<kind>-<UTC stamp>.json.sha256  its SHA-256 (``sha256sum -c`` format)
    records/<round>/stance.jsonl                    one record per annotator x unit x target
    records/<round>/claims.jsonl                    one record per claim span

    records/<round>/round.json                      the projects pulled from and how far the round is

Raw exports are never edited afterwards; records can always be rebuilt from them with ``convert_file``.
A pull may come at any point of a round: ``round.json`` and the result count the units that have all
their annotations and those still open. Records of a round pulled from other projects (another server,
another campaign under the same name) or of a closed round are never overwritten (``rounds.py``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from natostance.annotate.labelstudio import config as C
from natostance.annotate.labelstudio.convert import convert, load_export
from natostance.annotate.labelstudio.push import project_title
from natostance.annotate.decisions import atomic_jsonl
from natostance.annotate.records import ClaimSpan, StanceLabel, read_records, to_json
from natostance.errors import NatoStanceError


@dataclass
class PullResult:
    exports: list[Path]
    stance_path: Path
    claims_path: Path
    stances: list[StanceLabel]
    claims: list[ClaimSpan]
    seconds: dict[str, float]
    progress: dict[str, dict] = field(default_factory=dict)  # per project kind: rounds.status
    manifest: Path | None = None


def save_export(raw: bytes, out_dir: Path, round_name: str, kind: str) -> Path:
    """Write the export byte for byte next to its SHA-256; never overwrite an earlier one."""
    folder = out_dir / "exports" / round_name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = folder / f"{kind}-{stamp}.json"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{kind}-{stamp}-{n}.json"
    path.write_bytes(raw)
    digest = hashlib.sha256(raw).hexdigest()
    path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return path


def convert_file(path: str | Path, kind: str, users: dict[int, str] | None = None):
    """Re-convert a saved export, after checking it still matches its recorded SHA-256."""
    path = Path(path)
    raw = path.read_bytes()
    sha = path.with_name(path.name + ".sha256")
    if sha.is_file() and sha.read_text().split()[0] != hashlib.sha256(raw).hexdigest():
        raise NatoStanceError(f"{path}: SHA-256 differs from {sha.name}; raw exports must not be edited")
    return convert(load_export(raw, str(path)), kind, users, where=str(path))


def pull(round_name: str, *, kinds: Sequence[str] = C.KINDS, out: str | Path = "annotation",
         client=None, replace: bool = False) -> PullResult:
    """Export every project of the round, save the raw exports, convert and write the records."""
    from natostance.annotate import rounds
    from natostance.annotate.labelstudio.client import Client

    client = client or Client()
    out = Path(out)
    users = client.users()
    projects = {}
    for kind in kinds:
        title = project_title(round_name, kind)
        projects[kind] = client.find_project(title)
        if projects[kind] is None:
            raise NatoStanceError(f"no project {title!r} at {client.url}; push the round first")
    rounds.check_same_projects(out / "records", round_name, projects, replace)
    exports, stances, claims, seconds, progress = [], [], [], {}, {}
    for kind, project in projects.items():
        t0 = time.perf_counter()
        raw = client.export(project["id"])
        seconds[f"export_{kind}"] = time.perf_counter() - t0
        path = save_export(raw, out, round_name, kind)
        exports.append(path)
        t0 = time.perf_counter()
        tasks = load_export(raw, str(path))
        s, c = convert(tasks, kind, users, where=str(path))
        seconds[f"convert_{kind}"] = time.perf_counter() - t0
        progress[kind] = rounds.status(kind, tasks, project.get("maximum_annotations") or 1, users)
        stances += s
        claims += c
    folder = out / "records" / round_name
    stance_path, claims_path = folder / "stance.jsonl", folder / "claims.jsonl"
    for path, new in ((stance_path, stances), (claims_path, claims)):  # a pull of some kinds keeps the others'
        kept = [r for r in read_records(path) if r.kind not in projects] if path.is_file() else []
        atomic_jsonl(path, [to_json(r) for r in kept + new])
    manifest = rounds.record_pull(out / "records", round_name, client.url, projects, progress,
                                  time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    return PullResult(exports, stance_path, claims_path, stances, claims, seconds, progress, manifest)
