"""``validate(dataset_dir)``: check a built dataset folder and report every problem at once.

Checks: every file in the manifest is present with its SHA-256; no unlisted data files; each config's
Parquet schema is the one derived from its JSON Schema; every row validates; keys are unique and sorted;
every sentence is ``text[start:end]`` of its article, in order, within its article's split; ``folds.json`` is
the cross-validation assignment recomputed from the ``stance`` config (``evaluation/folds.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from natostance import records
from natostance.errors import InputError, ManyErrors
from natostance.publish.manifest import MANIFEST, listed_files, load_manifest
from natostance.parquet_io import rows_of


@dataclass
class ValidationReport:
    dataset_dir: str
    dataset_version: str
    rows: dict[str, int] = field(default_factory=dict)
    files_checked: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"dataset_dir": self.dataset_dir, "dataset_version": self.dataset_version, "valid": True,
                "rows": self.rows, "files_checked": self.files_checked}

    def summary(self) -> str:
        rows = ", ".join(f"{c} {n}" for c, n in self.rows.items())
        return f"{self.dataset_dir}: valid (dataset {self.dataset_version}; {self.files_checked} files; rows: {rows})"


def _check_files(root: Path, manifest: dict[str, Any], errors: list[str]) -> int:
    listed = manifest.get("files", {})
    bad, missing, changed = listed_files(root, {rel: e["sha256"] for rel, e in listed.items()}, f"{root / MANIFEST}: files")
    errors += bad + [f"{rel}: listed in {MANIFEST} but missing" for rel in missing]
    errors += [f"{rel}: SHA-256 differs from {MANIFEST} (file changed after the build)" for rel in changed]
    for config in records.CONFIGS:
        for path in sorted((root / "data" / config).glob("*.parquet")):
            rel = path.relative_to(root).as_posix()
            if rel not in listed:
                errors.append(f"{rel}: data file not listed in {MANIFEST}")
    return len(listed)


def _check_config(root: Path, config: str, errors: list[str]) -> list[dict[str, Any]]:
    expected = records.arrow_schema(config)
    tables = []
    for path in sorted((root / "data" / config).glob("*.parquet")):
        rel = path.relative_to(root).as_posix()
        try:
            table = pq.read_table(path)
        except (pa.ArrowException, OSError) as exc:
            errors.append(f"{rel}: not a readable Parquet file ({exc})")
            continue
        for f in expected:
            if f.name not in table.schema.names:
                errors.append(f"{rel}: column '{f.name}' missing")
            elif table.schema.field(f.name).type != f.type:
                errors.append(f"{rel}: column '{f.name}' is {table.schema.field(f.name).type}, expected {f.type}")
        split = path.name.split("-")[0]
        if "split" in table.schema.names and any(s != split for s in table.column("split").to_pylist()):
            errors.append(f"{rel}: holds rows of another split than '{split}'")
        tables.append(table.select(expected.names).cast(expected) if table.schema.names == expected.names else None)
    if not tables or any(t is None for t in tables):
        return []
    key = records.key(config)
    rows = rows_of(pa.concat_tables(tables).sort_by([(k, "ascending") for k in key]))
    ids = [tuple(r[k] for k in key) for r in rows]
    if len(set(ids)) != len(ids):
        errors.append(f"{config}: duplicate keys ({', '.join(key)})")
    for row, rid in zip(rows, ids):
        errors += [f"{config} {'/'.join(map(str, rid))}: {e}" for e in records.row_errors(config, row)]
    return rows


def _check_annotations(tables: dict[str, list[dict]], errors: list[str]) -> None:
    """Gold and raw labels point at units that exist, and claim offsets give the claim text."""
    texts = {a["article_id"]: a["text"] for a in tables["articles"]}
    units = set(texts) | {s["sentence_id"] for s in tables["sentences"]}
    for config in records.ANNOTATION_CONFIGS:
        for row in tables.get(config, []):
            if row.get("unit_id", row["article_id"]) not in units or row["article_id"] not in texts:
                errors.append(f"{config}: unit {row.get('unit_id', row['article_id'])} is not in the dataset")
            elif row.get("start") is not None and texts[row["article_id"]] is not None and \
                    texts[row["article_id"]][row["start"]:row["end"]] != row["text"]:
                errors.append(f"{config}: {row['article_id']} {row['start']}-{row['end']}: text differs from the article")


def _check_text_free(articles: list[dict], sentences: list[dict], text_free: bool, errors: list[str]) -> None:
    """Texts are null exactly in a text-free build (manifest ``text_free``)."""
    for config, rows, key in (("articles", articles, "article_id"), ("sentences", sentences, "sentence_id")):
        wrong = [r[key] for r in rows if (r["text"] is None) != text_free]
        if wrong:
            errors.append(f"{config} {wrong[0]}: text is {'present' if text_free else 'null'} but the manifest says "
                          f"text_free={str(text_free).lower()} ({len(wrong)} row(s))")


def _check_sentences(articles: list[dict], sentences: list[dict], errors: list[str]) -> None:
    by_id = {a["article_id"]: a for a in articles}
    counts: dict[str, int] = {}
    last: dict[str, tuple[int, int]] = {}
    # reading order, not id order: from an article's 10,000th sentence on, ids take a fifth digit and sort apart
    for s in sorted(sentences, key=lambda s: (s["article_id"], s["index"])):
        sid, art = s["sentence_id"], by_id.get(s["article_id"])
        if art is None:
            errors.append(f"sentence {sid}: article {s['article_id']} not in articles")
            continue
        if art["text"] is None or s["text"] is None:
            pass  # text-free: offsets are checked after rehydration
        elif not 0 <= s["start"] < s["end"] <= len(art["text"]):
            errors.append(f"sentence {sid}: offsets {s['start']}..{s['end']} outside 0..{len(art['text'])}")
        elif art["text"][s["start"]:s["end"]] != s["text"]:
            errors.append(f"sentence {sid}: text differs from article text[{s['start']}:{s['end']}]")
        if s["split"] != art["split"]:
            errors.append(f"sentence {sid}: split {s['split']} but its article is in {art['split']}")
        prev_index, prev_end = last.get(s["article_id"], (-1, 0))
        if s["index"] != prev_index + 1 or s["start"] < prev_end:
            errors.append(f"sentence {sid}: index {s['index']} out of order or overlapping the previous sentence")
        last[s["article_id"]] = (s["index"], s["end"])
        counts[s["article_id"]] = counts.get(s["article_id"], 0) + 1
    for a in articles:
        if counts.get(a["article_id"], 0) != a["n_sentences"]:
            errors.append(f"article {a['article_id']}: n_sentences {a['n_sentences']} but "
                          f"{counts.get(a['article_id'], 0)} sentence rows")


def validate(dataset_dir: str | Path) -> ValidationReport:
    root = Path(dataset_dir)
    if not (root / MANIFEST).is_file():
        raise InputError(str(root), f"no {MANIFEST}: not a built dataset folder (run natostance build)")
    manifest = load_manifest(root)
    errors: list[str] = []
    report = ValidationReport(str(root), manifest.get("dataset_version", "?"))
    report.files_checked = _check_files(root, manifest, errors)
    tables = {c: _check_config(root, c, errors) for c in records.CONFIGS}
    if tables["articles"]:
        _check_text_free(tables["articles"], tables["sentences"], bool(manifest.get("text_free")), errors)
        _check_sentences(tables["articles"], tables["sentences"], errors)
        _check_annotations(tables, errors)
    if tables.get("stance"):
        from natostance.evaluation.folds import folds_problems

        errors.extend(folds_problems(root))
    if errors:
        raise ManyErrors(errors, f"{root}: {len(errors)} problem(s)")
    report.rows = {c: len(rows) for c, rows in tables.items() if rows}
    return report
