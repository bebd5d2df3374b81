"""Generated parts of DATASHEET.md: every count and table comes from the built dataset, never typed.

The datasheet holds blocks between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``; ``update``
rewrites them from the dataset folder and ``stale`` lists the blocks whose committed text is out of date.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from natostance.publish import answers

from natostance.builder.cleaning import rules as boilerplate
from natostance.publish.datasheet_labels import labelling_block
from natostance.publish.manifest import load_manifest
from natostance.parquet_io import read_config

_BLOCK = re.compile(r"(<!-- generated:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /generated:(?P=name) -->)", re.DOTALL)


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("—" if v in (None, "") else str(v).replace("|", "/") for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def blocks(dataset_dir: Path) -> dict[str, str]:
    manifest = load_manifest(dataset_dir, complete=True)
    articles = read_config(dataset_dir, "articles")
    rows = manifest["rows"]
    splits = sorted({s for per in rows.values() for s in per}, key=["train", "validation", "test"].index)
    composition = _table(["config", *splits, "total"],
                         [[c, *(per.get(s, 0) for s in splits), sum(per.values())] for c, per in rows.items()])
    composition += (f"\nDataset version {manifest['dataset_version']}, schema version {manifest['schema_version']}, "
                    f"label-set version {manifest['labels_version']}; built by {manifest['builder']} with pyarrow "
                    f"{manifest['pyarrow']}.\n")
    by_date = sorted(articles, key=lambda a: (a["split_date"] or "", a["article_id"]))
    sources = _table(
        ["raw file", "format", "outlet (country)", "republisher", "published", "posted", "split", "language", "sentences"],
        [[f"`{a['source_file']}`", a["source_format"],
          f"{a['outlet'] or 'not stated'}" + (f" ({a['outlet_country']}, curated)" if a["outlet_country"] else ""),
          a["republisher"], a["published"], a["posted"], a["split"],
          (a["language"] or "?") + (" (curated)" if "language" in a["curated_fields"] else "")
          + (f", machine-translated from {a['original_language']}" if a["machine_translated"] else ""),
          a["n_sentences"]] for a in by_date])
    terms = _table(["raw file", "copyright line in the file", "republication terms stated in the file"],
                   [[f"`{a['source_file']}`", a["copyright"] or "none", a["terms"] or "none"] for a in by_date])
    totals = manifest["removals_total"]
    seen: dict[str, str] = {}
    for rule in boilerplate.BLOCKS + boilerplate.INLINE:
        seen.setdefault(rule.name, rule.description)
    seen.update({k: v for k, v in boilerplate.STEPS.items() if k not in seen})
    cleaning = _table(["rule", "what it does (first pattern's description)", "count"],
                      [[f"`{k}`", v, totals.get(k, 0)] for k, v in sorted(seen.items())])
    splits_doc = _splits(dataset_dir / "splits.json")
    rule = splits_doc["rule"]
    split_text = (f"Rule: by article; `split_date` before {rule['validation_from']} → train, before "
                  f"{rule['test_from']} → validation, later → test. Assignment (from `splits.json`):\n\n")
    split_text += _table(["article_id", "raw file", "split_date", "from", "split"],
                         [[f"`{a['article_id']}`", f"`{a['source_file']}`", a["split_date"], a["split_date_source"],
                           a["split"]] for a in sorted(splits_doc["articles"], key=lambda a: (a["split_date"] or ""))])
    leaks = sum(x["near_duplicates"] for x in manifest["leakage"])
    split_text += f"\nLeakage check: {leaks} near-duplicate sentence(s) shared across splits.\n"
    formats = Counter(a["source_format"] for a in articles)
    composition += "Raw formats: " + ", ".join(f"{k} {v}" for k, v in sorted(formats.items())) + ".\n"
    labelling = labelling_block(dataset_dir, dataset_dir.parent / "annotation")
    return {"composition": composition, "sources": sources, "terms": terms, "cleaning": cleaning, "splits": split_text,
            "labelling": labelling, **answers.blocks(manifest)}


def _splits(path: Path) -> dict:
    """A dataset's splits.json, checked against ``schemas/splits.schema.json``."""
    from natostance.evaluation import schemas

    return schemas.read_checked(path, "the split file (JSON)", "urn:natostance:schemas:splits")


def render(text: str, generated: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group("name")
        return m.group(1) + generated[name] + m.group(4) if name in generated else m.group(0)

    return _BLOCK.sub(sub, text)


def stale(path: Path, dataset_dir: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    fresh = blocks(dataset_dir)
    return [m.group("name") for m in _BLOCK.finditer(text)
            if m.group("name") in fresh and m.group("body") != fresh[m.group("name")]]


def update(path: Path, dataset_dir: Path) -> list[str]:
    """Rewrite the generated blocks; return the names of those that changed."""
    changed = stale(path, dataset_dir)
    path.write_text(render(path.read_text(encoding="utf-8"), blocks(dataset_dir)), encoding="utf-8")
    return changed
