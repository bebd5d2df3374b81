"""``pull``: export a round's projects, keep the raw exports untouched, convert them to records.

Layout under the output folder (default ``annotation/``)::

    exports/<round>/<kind>-<UTC stamp>.json         the full JSON export, byte for byte
    exports/<round>/<kind>-<UTC stamp>.json.sha256  its SHA-256 (``sha256sum -c`` format)
    records/<round>/stance.jsonl                    one record per annotator x unit x target
    records/<round>/claims.jsonl                    one record per claim span

Raw exports are never edited afterwards; records can always be rebuilt from them with ``convert_file``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from natostance.annotate.labelstudio import config as C
from natostance.annotate.labelstudio.convert import convert, load_export
from natostance.annotate.labelstudio.push import project_title
from natostance.annotate.records import ClaimSpan, StanceLabel, write_jsonl
from natostance.errors import NatoStanceError


@dataclass
class PullResult:
    exports: list[Path]
    stance_path: Path
    claims_path: Path
    stances: list[StanceLabel]
    claims: list[ClaimSpan]
    seconds: dict[str, float]


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


def pull(round_name: str = "r1", *, kinds: Sequence[str] = C.KINDS, out: str | Path = "annotation",
         client=None) -> PullResult:
    """Export every project of the round, save the raw exports, convert and write the records."""
    from natostance.annotate.labelstudio.client import Client

    client = client or Client()
    out = Path(out)
    users = client.users()
    exports, stances, claims, seconds = [], [], [], {}
    for kind in kinds:
        title = project_title(round_name, kind)
        project = client.find_project(title)
        if project is None:
            raise NatoStanceError(f"no project {title!r} at {client.url}; push the round first")
        t0 = time.perf_counter()
        raw = client.export(project["id"])
        seconds[f"export_{kind}"] = time.perf_counter() - t0
        path = save_export(raw, out, round_name, kind)
        exports.append(path)
        t0 = time.perf_counter()
        s, c = convert(load_export(raw, str(path)), kind, users, where=str(path))
        seconds[f"convert_{kind}"] = time.perf_counter() - t0
        stances += s
        claims += c
    folder = out / "records" / round_name
    stance_path, claims_path = folder / "stance.jsonl", folder / "claims.jsonl"
    write_jsonl(stance_path, stances)
    write_jsonl(claims_path, claims)
    return PullResult(exports, stance_path, claims_path, stances, claims, seconds)
