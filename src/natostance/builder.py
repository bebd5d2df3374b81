"""``build(raw_dir, out_dir)``: raw articles → the released dataset folder, atomically.

Read each file once (hash, check against ``sources.yaml``, parse), run the per-article function, validate
every row against its JSON Schema, stream rows to sorted Parquet, then write raw copies, splits file,
dataset card and manifest. Everything goes to a temporary folder that replaces the output only at the end:
a failed build leaves the previous dataset untouched. Bad files are all listed at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from natostance import _version, labels, records, sourcesfile
from natostance.card import write_card
from natostance.document import RawArticle, Rejected
from natostance.errors import InputError, ManyErrors, NatoStanceError
from natostance.leakage import LeakageCheck
from natostance.manifest import write_manifest, write_splits
from natostance.parquet_io import SortedSpill
from natostance.process import Drop, process_article
from natostance.report import BuildReport
from natostance.sources import read_bytes
from natostance.swap import replace_dir

OWNED = ("data/articles", "data/sentences", "raw", "README.md", "manifest.json", "splits.json", "rejects.jsonl")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    dataset_version: str = _version.DATASET_VERSION
    allow_changed: bool = False
    keep_going: bool = False
    progress: bool = False


def raw_files(raw_dir: Path) -> list[Path]:
    """Every article file under ``raw_dir`` in name order (hidden files and the sources file excluded)."""
    return sorted(
        p for p in raw_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(raw_dir).parts)
        and p.name != sourcesfile.SOURCES_FILE
    )


def _buckets(files: list[Path]) -> int:
    total = sum(p.stat().st_size for p in files)
    buckets = 1
    while total / buckets > 32_000_000:  # ~6,000 articles of 5 KB per bucket in memory at the end
        buckets *= 16
    return buckets


def _progress(items: list[Path], enabled: bool):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, unit="file", desc="build", dynamic_ncols=True)


def build(raw_dir: str | Path, out_dir: str | Path, options: BuildOptions | None = None) -> BuildReport:
    opts = options or BuildOptions()
    raw_dir, out_dir = Path(raw_dir).resolve(), Path(out_dir).resolve()
    if not raw_dir.is_dir():
        raise InputError(str(raw_dir), "not a folder of raw articles")
    sources = sourcesfile.load(raw_dir)
    files = raw_files(raw_dir)
    if not files:
        raise InputError(str(raw_dir), "no article files found")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        report = _build_into(raw_dir, tmp, files, sources, opts)
        replace_dir(tmp, out_dir, owned=OWNED)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.out_dir = str(out_dir)
    return report


def dataset_meta(opts: BuildOptions) -> dict[str, str]:
    return {"dataset_name": "nato-stance", "dataset_version": opts.dataset_version,
            "schema_version": _version.SCHEMA_VERSION, "labels_version": labels.labels_version()}


def read_records(data: bytes, name: str) -> list[RawArticle | Rejected]:
    """One raw file's records; a file that cannot be read at all becomes a single ``Rejected``."""
    try:
        return list(read_bytes(data, name))
    except InputError as exc:
        return [Rejected(exc.where, exc.problem)]


def build_record(rec: RawArticle | Rejected, name: str, sources: sourcesfile.Sources,
                 seen: dict[str, str]) -> tuple[dict, list[dict], dict[str, int]] | Rejected:
    """The per-record step both engines run: process, drop with reason, reject duplicates, validate."""
    if isinstance(rec, Rejected):
        return rec
    try:
        article, sentences, removals = process_article(rec, sources.curated(name), sources.rule)
    except Drop as exc:
        return Rejected(rec.source_file + (f":{rec.source_line}" if rec.source_line else ""), str(exc))
    if article["article_id"] in seen:
        return Rejected(name, f"duplicate of {seen[article['article_id']]} (same bytes)")
    seen[article["article_id"]] = name
    validate_rows(article, sentences)
    return article, sentences, removals


def _build_into(raw_dir: Path, tmp: Path, files: list[Path], sources: sourcesfile.Sources, opts: BuildOptions) -> BuildReport:
    meta = dataset_meta(opts)
    buckets = _buckets(files)
    spills = {c: SortedSpill(c, tmp, records.arrow_schema(c), buckets) for c in ("articles", "sentences")}
    report = BuildReport(dataset_version=opts.dataset_version)
    leakage, seen, hashes, rejected = LeakageCheck(), {}, {}, []
    for path in _progress(files, opts.progress):
        name = path.relative_to(raw_dir).as_posix()
        data = path.read_bytes()
        hashes[name] = hashlib.sha256(data).hexdigest()
        for rec in read_records(data, name):
            built = build_record(rec, name, sources, seen)
            if isinstance(built, Rejected):
                rejected.append(built)
                continue
            article, sentences, removals = built
            spills["articles"].add([article])
            spills["sentences"].add(sentences)
            for s in sentences:
                leakage.add(s["split"], s["sentence_id"], s["text"])
            report.add_article(article, removals)
    check_build(sources, hashes, rejected, report, opts)
    split_names = labels.labels("split")
    for config, spill in spills.items():
        report.rows[config] = spill.write(tmp / "data" / config, split_names, {**meta, "config": config})
    report.leakage = leakage.report()
    write_metadata(raw_dir, tmp, report, hashes, sources, meta)
    return report


def check_build(sources: sourcesfile.Sources, hashes: dict[str, str], rejected: list[Rejected],
                report: BuildReport, opts: BuildOptions) -> None:
    """Stop the build (nothing written) on changed or missing raw files, rejects without --keep-going, no rows."""
    problems, notes = sourcesfile.check_hashes(sources, hashes, opts.allow_changed)
    report.notes.extend(notes)
    errors: list[NatoStanceError | str] = [*problems]
    if rejected and not opts.keep_going:
        errors.extend(str(r) for r in rejected)
    if errors:
        raise ManyErrors(errors, f"build failed: {len(errors)} problem(s); nothing was written")
    if not report.splits:
        raise NatoStanceError("build failed: no article could be built; nothing was written")
    report.rejected = rejected


def write_metadata(raw_dir: Path, tmp: Path, report: BuildReport, hashes: dict[str, str],
                   sources: sourcesfile.Sources, meta: dict[str, str]) -> None:
    """Everything next to the Parquet files: raw copies, splits file, rejects, card, manifest (last)."""
    _copy_raw(raw_dir, tmp / "raw", hashes, sources)
    write_splits(tmp / "splits.json", report, sources.rule)
    if report.rejected:
        report.write_rejects(tmp / "rejects.jsonl")
    write_card(tmp / "README.md", report)
    write_manifest(tmp, report, meta)


def validate_rows(article: dict, sentences: list[dict]) -> None:
    problems = [f"article {article['article_id']}: {e}" for e in records.row_errors("articles", article)]
    for s in sentences:
        problems += [f"sentence {s['sentence_id']}: {e}" for e in records.row_errors("sentences", s)]
        if article["text"][s["start"]:s["end"]] != s["text"]:
            problems.append(f"sentence {s['sentence_id']}: text[start:end] differs from the sentence text")
    if problems:
        raise ManyErrors(problems, f"{article['source_file']}: rows break their schema (a builder bug)")


def _copy_raw(raw_dir: Path, dest: Path, hashes: dict[str, str], sources: sourcesfile.Sources) -> None:
    """Raw files into the output byte for byte: a hard link where the file system allows, else a copy."""
    made: set[Path] = set()
    for name in sorted(hashes):
        target = dest / name
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(raw_dir / name, target)
        except OSError:
            shutil.copyfile(raw_dir / name, target)
    (dest / sourcesfile.SOURCES_FILE).write_text(sourcesfile.render(sources, hashes), encoding="utf-8")
