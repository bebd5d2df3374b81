"""``build(raw_dir, out_dir)``: raw articles → the released dataset folder, atomically.

Read each file once (hash, check against ``sources.yaml``, parse), run the per-article function, validate
the rows (each article row against its JSON Schema; sentence rows column by column as they go to disk, and
one article's in every ``FULL_CHECK_EVERY`` row by row, or all with ``strict``), stream rows to sorted
Parquet, then write raw copies, splits file, dataset card and manifest. Everything goes to a temporary folder that replaces the output only at the end:
a failed build leaves the previous dataset untouched. Bad files are all listed at once.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from natostance import _version, labels, records

from natostance.builder import sourcesfile, splits
from natostance.builder.articleindex import ArticleIndex
from natostance.publish.card import write_card
from natostance.publish.croissant import CROISSANT, write_croissant
from natostance.builder.document import RawArticle, Rejected
from natostance.errors import InputError, ManyErrors, NatoStanceError
from natostance.builder.gcpause import fewer_collections
from natostance.builder.goldconfigs import AnnotationInputs, build_rows, repository_of
from natostance.builder.leakage import LeakageCheck
from natostance.publish.manifest import write_manifest, write_splits
from natostance.parquet_io import SortedSpill, buckets_for
from natostance.builder.process import Drop, Sentences, process_article
from natostance.builder.rejects import Rejects
from natostance.builder.report import BuildReport
from natostance.builder.sources.rawfile import MAX_ARTICLE_BYTES, RawFile, file_stat
from natostance.builder.swap import staging

OWNED = ("data/articles", "data/sentences", "raw", "README.md", CROISSANT, "manifest.json", "splits.json", "rejects.jsonl")
ANNOTATION_OWNED = (*(f"data/{c}" for c in records.ANNOTATION_CONFIGS), "shape.json", "folds.json")
FULL_CHECK_EVERY = 100  # one article in this many has its sentence rows checked row by row too (all with strict)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    dataset_version: str = _version.DATASET_VERSION
    allow_changed: bool = False
    keep_going: bool = False
    progress: bool = False
    annotations: bool = True  # build stance/claims/annotations from the campaign files sources.yaml names
    annotations_base: str | None = None  # folder those paths are relative to (default: the raw folder)
    annotations_anywhere: bool = False  # allow campaign folders outside the repository holding that folder
    text_free: bool = False  # blank article/sentence texts and leave raw files out (see rehydrate.py)
    dataset_date: str | None = _version.DATASET_DATE  # release date: Croissant datePublished, manifest
    split: dict[str, Any] | None = None  # split_rule keys given on the command line; they override sources.yaml
    max_article_bytes: int = MAX_ARTICLE_BYTES  # a larger article file or JSON line is rejected by name
    strict: bool = False  # check every sentence row against its JSON Schema and its article text, row by row


def raw_files(raw_dir: Path) -> list[Path]:
    """Every article file under ``raw_dir`` in name order (hidden files and the sources file excluded), and
    every symbolic link (links are never followed into folders; ``RawFile`` refuses those that leave)."""
    return sorted(
        p for p in raw_dir.rglob("*")
        if (p.is_symlink() or p.is_file()) and not any(part.startswith(".") for part in p.relative_to(raw_dir).parts)
        and p.name != sourcesfile.SOURCES_FILE
    )


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
    sources.rule = split_rule(sources, opts, ((RawFile(p, raw_dir, _name(p, raw_dir), opts.max_article_bytes).records(),
                                               _name(p, raw_dir)) for p in files))
    with fewer_collections(), staging(out_dir, OWNED + ANNOTATION_OWNED) as tmp, \
            tempfile.TemporaryDirectory(prefix=f".{out_dir.name}.work-{os.getpid()}-", dir=out_dir.parent) as work:
        report = _build_into(raw_dir, tmp, Path(work), files, sources, opts)
        report.rejected.close()  # the spill goes with the work folder; every reject is in <out>/rejects.jsonl
    report.out_dir = str(out_dir)
    report.rejected.listing = out_dir / "rejects.jsonl"
    return report


def _name(path: Path, raw_dir: Path) -> str:
    return path.relative_to(raw_dir).as_posix()


def split_rule(sources: sourcesfile.Sources, opts: BuildOptions, files) -> splits.SplitRule:
    """The rule this build uses: sources.yaml's, with the command line's keys on top; quantiles turned into
    cut dates by a first pass that builds every record once only to read its date (``files`` yields
    ``(records, name)`` lazily, so that pass is skipped when no quantile is asked for)."""
    rule = splits.merge(sources.rule, opts.split)
    if not rule.by_quantile:
        return rule
    days: Counter = Counter()
    for recs, name in files:
        for rec in recs:
            if isinstance(rec, RawArticle):
                try:
                    article, _, _ = process_article(rec, sources.curated(name), splits.SplitRule())
                except Drop:
                    continue
                if article["split_date"]:
                    days[date.fromisoformat(article["split_date"])] += 1
    return splits.resolve(rule, days)


def dataset_meta(opts: BuildOptions) -> dict[str, str]:
    """Key-value metadata of every Parquet file (sorted when written)."""
    meta = {"dataset_name": "nato-stance", "dataset_version": opts.dataset_version,
            "schema_version": _version.SCHEMA_VERSION, "labels_version": labels.labels_version(),
            "text_free": str(opts.text_free).lower()}
    if opts.dataset_date:
        meta["dataset_date"] = opts.dataset_date
    return meta


def build_record(rec: RawArticle | Rejected, name: str, sources: sourcesfile.Sources, seen: dict[str, str],
                 strict: bool = False) -> tuple[dict, Sentences, dict[str, int]] | Rejected:
    """The per-record step every engine runs: process, drop with reason, reject duplicates, validate."""
    if isinstance(rec, Rejected):
        return rec
    try:
        article, sentences, removals = process_article(rec, sources.curated(name), sources.rule)
    except Drop as exc:
        return Rejected(rec.source_file + (f":{rec.source_line}" if rec.source_line else ""), str(exc), exc.by_policy)
    if article["article_id"] in seen:
        return Rejected(name, f"duplicate of {seen[article['article_id']]} (same bytes)")
    seen[article["article_id"]] = name
    validate_rows(article, sentences, every_sentence=strict or (len(seen) - 1) % FULL_CHECK_EVERY == 0)
    return article, sentences, removals


def text_spills(tmp: Path, buckets: int) -> dict[str, SortedSpill]:
    """The articles' and sentences' spills; the sentences' checks their columns, in place of a JSON Schema
    call per row."""
    def check(table) -> None:
        if problems := records.column_problems("sentences", table):
            raise ManyErrors(problems, "build failed: sentence rows break their schema (a builder bug)")

    assert records.column_checkable("sentences"), "the sentences schema needs checks the column check lacks"
    return {"articles": SortedSpill("articles", tmp, records.arrow_schema("articles"), buckets),
            "sentences": SortedSpill("sentences", tmp, records.arrow_schema("sentences"), buckets, check=check)}


def spill_article(spills: dict[str, SortedSpill], leakage: LeakageCheck, article: dict, sentences: Sentences,
                  text_free: bool = False) -> None:
    """One built article into the leakage check and the articles and sentences spills (texts blanked when
    ``text_free``), in every engine."""
    leakage.add_article(sentences.split, sentences.sentence_id, article["text"], sentences.start, sentences.end)
    if text_free:
        article, sentences = {**article, "text": None}, sentences.without_text()
    spills["articles"].add([article])
    spills["sentences"].add_columns(sentences.columns(), article["article_id"])


def annotation_inputs(raw_dir: Path, sources: sourcesfile.Sources, opts: BuildOptions,
                      report: BuildReport) -> AnnotationInputs | None:
    base = Path(opts.annotations_base) if opts.annotations_base else raw_dir
    root = None if opts.annotations_anywhere else repository_of(base)
    ann = AnnotationInputs.resolve(base, sources.annotations, root) if opts.annotations else None
    if sources.annotations and ann is None:
        if opts.annotations:
            raise InputError(sourcesfile.SOURCES_FILE, f"annotations named here not found at {sources.annotations.get('gold')} "
                             "(relative to the raw folder); build with --no-annotations for the text configs only")
        report.notes.append("built without annotations (--no-annotations): no stance, claims or annotations configs")
    if ann:
        report.notes.extend(ann.warnings())
        report.labelling = ann.labelling()
    return ann


def _build_into(raw_dir: Path, tmp: Path, work: Path, files: list[Path], sources: sourcesfile.Sources, opts: BuildOptions) -> BuildReport:
    meta = dataset_meta(opts)
    buckets = buckets_for(sum(file_stat(p).st_size for p in files))
    spills = text_spills(tmp, buckets)
    report = BuildReport(dataset_version=opts.dataset_version, text_free=opts.text_free,
                         articles=ArticleIndex(work / "index", buckets))
    leakage, seen, hashes = LeakageCheck(folder=work / "leakage"), {}, {}
    rejected = Rejects(work / "rejects.jsonl")
    ann = annotation_inputs(raw_dir, sources, opts, report)
    texts, splits_of, sentence_ids = {}, {}, set()
    for path in _progress(files, opts.progress):
        name = path.relative_to(raw_dir).as_posix()
        raw = RawFile(path, raw_dir, name, opts.max_article_bytes)
        for rec in raw.records():
            if isinstance(rec, RawArticle) and rec.unmapped:
                report.note_unmapped(name, rec.unmapped)
            built = build_record(rec, name, sources, seen, opts.strict)
            if isinstance(built, Rejected):
                rejected.add(built)
                continue
            article, sentences, removals = built
            if ann and article["article_id"] in ann.articles:
                texts[article["article_id"]] = article["text"]
                splits_of[article["article_id"]] = article["split"]
                sentence_ids.update(sentences.sentence_id)
            spill_article(spills, leakage, article, sentences, opts.text_free)
            report.add_article(article, removals)
        if raw.sha:  # a refused link has none: never hashed, never copied
            hashes[name] = raw.sha
    check_build(sources, hashes, rejected, report, opts)
    if ann:
        for config, rows in build_rows(ann, texts, splits_of, sentence_ids).items():
            if opts.text_free and config != "stance":
                rows = [{**r, "text": None} for r in rows]
            bad = [f"{config} row {i}: {e}" for i, row in enumerate(rows) for e in records.row_errors(config, row)]
            if bad:
                raise ManyErrors(bad, f"build failed: {config} rows break their schema")
            spills[config] = SortedSpill(config, tmp, records.arrow_schema(config))
            spills[config].add(rows)
    split_names = labels.labels("split")
    for config, spill in spills.items():
        report.rows[config] = spill.write(tmp / "data" / config, split_names, {**meta, "config": config})
    report.notes.extend(split_notes(sources.rule, report))
    report.leakage = leakage.report()
    write_metadata(raw_dir, tmp, report, hashes, sources, meta, opts)
    report.articles.discard()  # the work folder goes; the report keeps its counts
    return report


def check_build(sources: sourcesfile.Sources, hashes: dict[str, str], rejected: Rejects,
                report: BuildReport, opts: BuildOptions) -> None:
    """Stop the build (nothing written) on changed or missing raw files, rejects without --keep-going, no rows."""
    problems, notes = sourcesfile.check_hashes(sources, hashes, opts.allow_changed)
    report.notes.extend(notes)
    errors: list[NatoStanceError | str] = [*problems]
    count = len(problems)
    if not opts.keep_going and rejected.bad:
        errors.extend(str(r) for r in rejected.bad_head)
        count += rejected.bad
        if rejected.bad > len(rejected.bad_head):
            errors.append(f"... and {rejected.bad - len(rejected.bad_head):,} more rejected records "
                          "(build with --keep-going: rejects.jsonl lists every one)")
    if errors:
        raise ManyErrors(errors, f"build failed: {count:,} problem(s); nothing was written")
    if not len(report.articles):
        raise NatoStanceError("build failed: no article could be built; nothing was written")
    report.rejected = rejected


def split_notes(rule: splits.SplitRule, report: BuildReport) -> list[str]:
    """The rule as used (quantiles with the dates they gave), then the summary's warnings about the split."""
    notes = []
    if rule.by_quantile:
        notes.append(f"split quantiles {rule.validation_quantile}/{rule.test_quantile} gave validation_from "
                     f"{rule.validation_from}, test_from {rule.test_from}")
    return notes + [f"warning: {w}" for w in splits.warnings(rule, report.rows.get("articles", {}))]


def write_metadata(raw_dir: Path, tmp: Path, report: BuildReport, hashes: dict[str, str],
                   sources: sourcesfile.Sources, meta: dict[str, str], opts: BuildOptions | None = None) -> None:
    """Everything next to the Parquet files: shape, folds, raw copies, splits file, rejects, card, Croissant,
    manifest."""
    opts = opts or BuildOptions(dataset_version=meta["dataset_version"], text_free=meta.get("text_free") == "true",
                                dataset_date=meta.get("dataset_date"))
    if "stance" in report.rows and not opts.text_free:
        _write_shape(tmp, opts.dataset_version)
    if "stance" in report.rows:
        from natostance.evaluation.folds import write_folds

        write_folds(tmp, opts.dataset_version)  # the cv protocol's folds by article (evaluation/folds.py)
    _copy_raw(raw_dir, tmp / "raw", {} if opts.text_free else hashes, sources, hashes)
    write_splits(tmp / "splits.json", report, sources.rule)
    if report.rejected:
        report.write_rejects(tmp / "rejects.jsonl")
    write_card(tmp / "README.md", report)
    write_croissant(tmp / CROISSANT, opts.dataset_version, list(report.rows), report.articles.dates,
                    opts.text_free, opts.dataset_date)
    write_manifest(tmp, report, meta, hashes)


def _write_shape(root: Path, version: str) -> None:
    """The published shape manifest (unit ids and targets, no labels) for offline submission checks."""
    from dataclasses import replace

    from natostance.evaluation.gold import load_gold
    from natostance.evaluation.shape import shape_from_gold, write_shape

    write_shape(replace(shape_from_gold(load_gold(root)), dataset_version=version), root / "shape.json")


def validate_rows(article: dict, sentences: Sentences, every_sentence: bool = True) -> None:
    """The article row against its JSON Schema; with ``every_sentence`` each sentence row too, and its text
    against the article's (without: the sentences spill checks their columns)."""
    problems = [f"article {article['article_id']}: {e}" for e in records.row_errors("articles", article)]
    for s in sentences if every_sentence else ():
        errors = records.row_errors("sentences", s)
        problems += [f"sentence {s['sentence_id']}: {e}" for e in errors]
        if not errors and article["text"][s["start"]:s["end"]] != s["text"]:
            problems.append(f"sentence {s['sentence_id']}: text[start:end] differs from the sentence text")
    if problems:
        raise ManyErrors(problems, f"{article['source_file']}: rows break their schema (a builder bug)")


def _copy_raw(raw_dir: Path, dest: Path, hashes: dict[str, str], sources: sourcesfile.Sources,
              all_hashes: dict[str, str]) -> None:
    """Raw files into the output byte for byte, as copies (a hard link would let an edit of the input change
    the released file). The sources file always lists every raw file's hash (``all_hashes``), also when no
    raw file is copied."""
    dest.mkdir(parents=True, exist_ok=True)
    made: set[Path] = {dest}
    for name in sorted(hashes):
        target = dest / name
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        shutil.copyfile(raw_dir / name, target)
    (dest / sourcesfile.SOURCES_FILE).write_text(sourcesfile.render(sources, all_hashes), encoding="utf-8")
