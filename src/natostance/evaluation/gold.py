"""The gold side of scoring: what it is, where it is read from, and the one definition of check-worthiness.

A gold directory is either a built dataset (``<dir>/data/<config>/*.parquet``, read with
``natostance.parquet_io.read_config``) or a folder of JSONL files ``<dir>/<config>.jsonl`` (test fixtures).
Configs used: ``articles``, ``sentences``, ``stance``, ``claims``. The dataset version is read from
``<dir>/manifest.json`` (key ``dataset_version``) when present, else the package's ``DATASET_VERSION``.

**Which articles are gold.** An article is in the gold iff it has at least one ``stance`` row (sentence or
article unit): annotators label whole articles. Claim detection and claim spans are scored over every
sentence of exactly those articles, so an annotated article without claims counts as "no claims".

**Check-worthiness (the one definition).** A sentence is check-worthy iff a gold claim span of the same
article overlaps it: ``claim.start < sentence.end and sentence.start < claim.end`` (end-exclusive offsets).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from natostance._version import DATASET_VERSION
from natostance.errors import InputError
from natostance.evaluation import schemas
from natostance.guard import ErrorLog, read_json_file, shown
from natostance.jsonlines import object_lines

CONFIGS = ("articles", "sentences", "stance", "claims")


@dataclass(frozen=True)
class Gold:
    """Gold records, keyed by id. Rows are plain dicts as read from Parquet/JSONL; never mutated."""

    dataset_version: str
    articles: dict[str, dict[str, Any]]  # article_id -> articles row (incl. text)
    sentences: dict[str, dict[str, Any]]  # sentence_id -> sentences row
    stance: tuple[dict[str, Any], ...]
    claims: tuple[dict[str, Any], ...]
    source: str = "<records>"
    sentences_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article_id -> sentence ids in order

    def gold_articles(self, split: str | None = None) -> list[str]:
        ids = sorted({r["article_id"] for r in self.stance})
        return [a for a in ids if split in (None, "all") or self.articles[a]["split"] == split]


def restrict(gold: Gold, article_ids) -> Gold:
    """The same gold limited to some articles (an annotator row scored on the articles its pass labelled)."""
    keep = set(article_ids)
    return replace(
        gold,
        stance=tuple(r for r in gold.stance if r["article_id"] in keep),
        claims=tuple(r for r in gold.claims if r["article_id"] in keep),
    )


def overlaps(start: int, end: int, sentence: dict[str, Any]) -> bool:
    """Whether the claim span ``start``-``end`` makes ``sentence`` check-worthy (the module docstring's rule)."""
    return start < sentence["end"] and sentence["start"] < end


def checkworthy_sentences(gold: Gold) -> set[str]:
    """Sentence ids that a gold claim span overlaps (the module docstring gives the rule)."""
    out: set[str] = set()
    for claim in gold.claims:
        for sid in gold.sentences_of.get(claim["article_id"], ()):
            if overlaps(claim["start"], claim["end"], gold.sentences[sid]):
                out.add(sid)
    return out


def _read(path: Path, config: str) -> list[dict[str, Any]]:
    jsonl = path / f"{config}.jsonl"
    if jsonl.is_file():
        log = ErrorLog()
        rows = [row for _, row in object_lines(jsonl, log)]
        log.raise_if_any(f"{{n}} error(s) in gold {jsonl}")
        return rows
    if not (path / "data" / config).is_dir():
        if config == "claims":  # an annotated dataset may have no claims yet
            return []
        hint = ("; a dataset gets its gold from an annotation round: `natostance annotate use-gold --round <round> "
                "--raw <dataset>/raw`, then `natostance build <dataset>/raw --out <dataset>` (annotation/README.md)"
                if (path / "data" / "articles").is_dir() else "")
        raise InputError(
            str(path), f"expected config {config!r} ({config}.jsonl or data/{config}/*.parquet), found none{hint}"
        )
    try:
        from natostance.parquet_io import read_config

        return list(read_config(path, config))
    except (ImportError, KeyError):  # no builder reader, or it does not know this config (yet): read the files
        files = sorted((path / "data" / config).glob("*.parquet"))
        try:
            return [row for f in files for row in pq.read_table(f).to_pylist()]
        except (pa.ArrowException, OSError) as exc:
            raise InputError(str(path / "data" / config), f"expected Parquet files, found one that cannot be read "
                                                          f"({shown(str(exc), 160)})") from None


def load_gold(path: str | Path) -> Gold:
    """Read a gold directory; every inconsistency is reported at once."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(str(path), "expected a gold directory (built dataset or folder of <config>.jsonl), found none")
    rows = {c: _read(path, c) for c in CONFIGS}
    manifest = path / "manifest.json"
    version = DATASET_VERSION
    if manifest.is_file():
        doc = read_json_file(manifest, "the dataset manifest (JSON)", max_bytes=None)
        version = doc.get("dataset_version", version) if isinstance(doc, dict) else None
        if not isinstance(version, str):
            raise InputError(str(manifest), f"expected a JSON object with a dataset_version string, found "
                                            f"{shown(doc if not isinstance(doc, dict) else version)}")
    return gold_from_records(rows, dataset_version=version, source=str(path))


# the fields of article and sentence rows that scoring reads: (field, types)
_NEEDED = {
    "articles": (("article_id", str), ("split", str), ("text", (str, type(None)))),
    "sentences": (("sentence_id", str), ("article_id", str), ("start", int), ("end", int)),
}


def _row_problems(config: str, rows: list[dict[str, Any]], source: str) -> list[str]:
    out = []
    for i, row in enumerate(rows, 1):
        bad = [f for f, t in _NEEDED[config] if not isinstance(row.get(f), t) or isinstance(row.get(f), bool)]
        if bad:
            out.append(f"{source}/{config} row {i}: expected field(s) {', '.join(bad)} of the right type, found "
                       f"{shown({f: row.get(f) for f in bad})}")
    return out


def gold_from_records(
    rows: dict[str, list[dict]], dataset_version: str = DATASET_VERSION, source: str = "<records>"
) -> Gold:
    """Build a ``Gold`` from plain records ``{"articles": [...], "sentences": [...], "stance": [...], ...}``."""
    log = ErrorLog()
    for config in _NEEDED:
        log.extend(f"{source}/{config}: rows", _row_problems(config, rows.get(config, []), source))
    log.raise_if_any(f"{{n}} error(s) in gold {source}")  # the checks below need rows of the right shape
    bad: dict[str, set[int]] = {"stance": set(), "claims": set()}  # rows that break their schema: not checked further
    for config, schema_id in (("stance", schemas.GOLD_STANCE), ("claims", schemas.GOLD_CLAIM)):
        for i, row in enumerate(rows.get(config, []), 1):
            problems = schemas.problems(schema_id, row)
            if problems:
                bad[config].add(i)
                log.extend(f"{source}/{config}: rows", [f"{source}/{config} row {i}: {p}" for p in problems])
    articles = {r["article_id"]: r for r in rows.get("articles", [])}
    sentences = {r["sentence_id"]: r for r in rows.get("sentences", [])}
    by_article: dict[str, list[dict]] = {}
    for s in sentences.values():
        by_article.setdefault(s["article_id"], []).append(s)
    sentences_of = {
        a: tuple(s["sentence_id"] for s in sorted(v, key=lambda s: s["start"])) for a, v in by_article.items()
    }
    stance = [(i, r) for i, r in enumerate(rows.get("stance", []), 1) if i not in bad["stance"]]
    for i, row in stance:
        table = sentences if row["unit_type"] == "sentence" else articles
        if row["unit_id"] not in table:
            log.add(f"{source}/stance: units", f"{source}/stance row {i}: unit_id {shown(row['unit_id'])} "
                                               f"is not a {row['unit_type']} of the dataset")
        elif row["article_id"] not in articles:
            log.add(f"{source}/stance: units", f"{source}/stance row {i}: article_id {shown(row['article_id'])} "
                                               "is not an article of the dataset")
    for a in sorted({r["article_id"] for _, r in stance if r["article_id"] in articles}):
        if not isinstance(articles[a].get("text"), str):
            log.add(f"{source}/articles: texts", f"{source}/articles: article_id {shown(a)}: expected its text "
                                                 "(a text-free build: rehydrate it first), found null")
    for i, row in enumerate(rows.get("claims", []), 1):
        if i in bad["claims"]:
            continue
        art = articles.get(row["article_id"])
        if art is None:
            log.add(f"{source}/claims: articles", f"{source}/claims row {i}: article_id {shown(row['article_id'])} "
                                                  "is not in the dataset")
        elif not isinstance(art.get("text"), str):
            continue  # reported above
        elif not 0 <= row["start"] < row["end"] <= len(art["text"]):
            log.add(f"{source}/claims: offsets", f"{source}/claims row {i}: expected 0 <= start < end <= "
                                                 f"{len(art['text'])}, found {row['start']}..{row['end']}")
    log.raise_if_any(f"{{n}} error(s) in gold {source}")
    return Gold(
        dataset_version,
        articles,
        sentences,
        tuple(rows.get("stance", [])),
        tuple(rows.get("claims", [])),
        source,
        sentences_of,
    )


def split_hashes(gold: Gold) -> dict[str, str]:
    """SHA-256 per split over the canonical gold of that split (ids, offsets, text hashes, labels, claims)."""
    per: dict[str, list[str]] = {}
    gold_ids = set(gold.gold_articles())

    def add(split: str, obj: Any) -> None:
        per.setdefault(split, []).append(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str))

    for a in gold_ids:
        art = gold.articles[a]
        add(art["split"], ["article", a, hashlib.sha256(art["text"].encode("utf-8")).hexdigest()])
        for sid in gold.sentences_of.get(a, ()):
            s = gold.sentences[sid]
            add(art["split"], ["sentence", sid, s["start"], s["end"]])
    for r in gold.stance:
        add(r["split"], ["stance", r["unit_id"], r["target"], r["label"], r["holder"]])
    for r in gold.claims:
        add(r["split"], ["claim", r["article_id"], r["start"], r["end"], r["speaker"], r["type"]])
    return {s: hashlib.sha256("\n".join(sorted(v)).encode("utf-8")).hexdigest() for s, v in sorted(per.items())}
