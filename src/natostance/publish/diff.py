"""``diff(old, new)``: what changed between two versions of the dataset, by id, per config.

Each side is a dataset folder or a git revision of the repository (its ``dataset/`` is materialised with
``git archive`` into a temporary folder). For every config present on either side: rows added, removed
and changed (with the fields that changed), keyed by the config's key from its record schema; label
changes listed separately for fields drawn from ``labels.schema.json`` (``split`` included); and every
annotated unit touched — a row whose id a label-bearing config holds in an ``*_id`` column (a labelled
``sentence_id``, a ``unit_id`` naming a sentence or an article) and that was removed or changed — is listed
in ``annotated_units``, never only counted.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from natostance import records
from natostance.publish.croissant import label_set
from natostance.errors import InputError
from natostance.guard import escape, shown
from natostance.publish.manifest import MANIFEST, load_manifest
from natostance.parquet_io import rows_of


@contextmanager
def materialise(spec: str | Path, repo: str | Path = ".") -> Iterator[Path]:
    """A dataset folder as is, or ``dataset/`` of a git revision extracted into a temporary folder."""
    if (Path(spec) / MANIFEST).is_file():
        yield Path(spec)
        return
    commit = revision(spec, repo)
    proc = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit, "dataset"], capture_output=True)
    if proc.returncode:
        raise InputError(str(spec), "expected a git revision with a dataset/ folder, found "
                         + shown(proc.stderr.decode(errors="replace").strip(), 200)[1:-1])
    with tempfile.TemporaryDirectory(prefix="natostance-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python >= 3.11.4
            tar.extractall(tmp, **safe)
        yield Path(tmp) / "dataset"


def revision(spec: str | Path, repo: str | Path) -> str:
    """The commit a revision names, verified before it reaches any other git command (a "revision" such as
    ``--output=FILE`` would be read by git as an option)."""
    spec = str(spec)
    if not spec or spec.startswith("-") or "\x00" in spec:
        raise InputError(escape(spec) or "''", "expected a dataset folder or a git revision, found "
                                               + ("an option" if spec.startswith("-") else "no name"))
    proc = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"],
                          capture_output=True, text=True)
    if proc.returncode:
        raise InputError(spec, f"expected a dataset folder (with {MANIFEST}) or a git revision of {repo}, found "
                               "neither a dataset folder nor a revision")
    return proc.stdout.strip()


def _key(config: str, table: pa.Table) -> list[str]:
    return records.key(config) if config in records.CONFIGS else [table.schema.names[0]]


def _label_fields(config: str, columns: list[str]) -> list[str]:
    """Fields drawn from a label set: from the record schema, or by name for a config this version lacks."""
    if config in records.CONFIGS:
        return [n for n, p in records.record_schema(config)["properties"].items() if label_set(p)]
    return [n for n in columns if n == "split" or n.endswith(("label", "labels", "stance"))]


def _rows(root: Path, config: str) -> tuple[dict[Any, dict], list[str]]:
    files = sorted((root / "data" / config).glob("*.parquet"))
    if not files:
        return {}, []
    try:
        table = pa.concat_tables([pq.read_table(f) for f in files], promote_options="permissive")
        key = _key(config, table)
        return {tuple(r[k] for k in key) if len(key) > 1 else r[key[0]]: r for r in rows_of(table)}, key
    except (pa.ArrowException, OSError, KeyError, IndexError, TypeError) as exc:
        raise InputError(str(root / "data" / config), f"expected the Parquet files of config {config!r}, found "
                         f"files that cannot be read by their key ({shown(str(exc), 160)[1:-1]})") from None


def _configs(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "data").iterdir() if p.is_dir()) if (root / "data").is_dir() else []


def diff_dirs(old: Path, new: Path) -> dict[str, Any]:
    before_m, after_m = load_manifest(old), load_manifest(new)
    out: dict[str, Any] = {"old_version": before_m.get("dataset_version"), "new_version": after_m.get("dataset_version"),
                           "old_schema_version": before_m.get("schema_version"),
                           "new_schema_version": after_m.get("schema_version"), "configs": {},
                           "text_compared": not (before_m.get("text_free") or after_m.get("text_free"))}
    skip = set() if out["text_compared"] else {"text"}  # a text-free side withholds texts, it does not change them
    old_rows, annotation_configs = {}, []
    for config in sorted(set(_configs(old)) | set(_configs(new))):
        (before, key), (after, key2) = _rows(old, config), _rows(new, config)
        old_rows[config] = before
        changed = {}
        for i in sorted(set(before) & set(after), key=str):
            fields = sorted(f for f in (set(before[i]) | set(after[i])) - skip if before[i].get(f) != after[i].get(f))
            if fields:
                changed[i] = fields
        columns = list(next(iter((before or after).values()), {}))
        label_fields = _label_fields(config, columns)
        if set(label_fields) - {"split"}:
            annotation_configs.append(config)
        out["configs"][config] = {
            "key": key or key2,
            "added": sorted(set(after) - set(before), key=str), "removed": sorted(set(before) - set(after), key=str),
            "changed": {str(i): f for i, f in changed.items()},
            "labels_changed": [{"id": str(i), "field": f, "old": before[i].get(f), "new": after[i].get(f)}
                               for i, fs in changed.items() for f in fs if f in label_fields],
        }
    out["annotated_units"] = _annotated(out["configs"], {c: old_rows[c] for c in annotation_configs})
    return out


def _annotated(configs: dict[str, Any], old_rows: dict[str, dict]) -> list[dict[str, Any]]:
    """Rows of other configs, removed or changed, whose id a label-bearing config's ``*_id`` column held."""
    touched = []
    for config, rows in old_rows.items():
        columns = [c for c in next(iter(rows.values()), {}) if c.endswith("_id")]
        pointed = {r[c] for r in rows.values() for c in columns if isinstance(r[c], str)}
        for target, d in configs.items():
            if target == config:
                continue
            for unit in sorted(pointed & set(map(str, d["removed"])) | pointed & set(d["changed"])):
                touched.append({"config": target, "id": unit, "annotated_in": config,
                                "change": "removed" if unit in d["removed"] else ", ".join(d["changed"][unit])})
    return touched


def diff(old: str | Path, new: str | Path, repo: str | Path = ".") -> dict[str, Any]:
    with materialise(old, repo) as a, materialise(new, repo) as b:
        result = diff_dirs(a, b)
    result["old"], result["new"] = str(old), str(new)
    return result


def summary(d: dict[str, Any]) -> str:
    lines = [f"{d['old']} ({d['old_version']}) -> {d['new']} ({d['new_version']})"
             + ("" if d["text_compared"] else "; texts not compared (a text-free build)")]
    for config, c in d["configs"].items():
        lines.append(f"  {config}: +{len(c['added'])} added, -{len(c['removed'])} removed, "
                     f"~{len(c['changed'])} changed, {len(c['labels_changed'])} label change(s)")
        lines += [f"    + {i}" for i in c["added"]] + [f"    - {i}" for i in c["removed"]]
        lines += [f"    ~ {i}: {', '.join(f)}" for i, f in c["changed"].items()]
        lines += [f"    label {x['id']} {x['field']}: {x['old']} -> {x['new']}" for x in c["labels_changed"]]
    for u in d["annotated_units"]:
        lines.append(f"  ANNOTATED UNIT {u['change'].upper() if u['change'] == 'removed' else 'CHANGED (' + u['change'] + ')'}: "
                     f"{u['config']} {u['id']} (labelled in {u['annotated_in']})")
    return "\n".join(lines)
