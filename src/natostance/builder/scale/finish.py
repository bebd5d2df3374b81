"""The finish step of a scale-out build: merge the tasks' summaries and files into the dataset folder.

Runs once, after every task is complete (in the driver, or as a dependent Slurm job). It reproduces what
the local builder decides globally, in the same order: duplicates across tasks (the later copy rejected,
its rows taken out of that task's files), rejects in reading order, hash checks against ``sources.yaml``,
the leakage check over all tasks, then links the task files as ``<split>-NNNNN-of-MMMMM.parquet`` shards
and writes raw copies, splits file, card and manifest with the builder's own functions.
"""

from __future__ import annotations

import heapq
import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from natostance import labels

from natostance.builder.articleindex import ArticleIndex, read_bucket
from natostance.builder.pipeline import ANNOTATION_OWNED, OWNED, check_build, dataset_meta, split_notes, write_metadata
from natostance.builder.document import Rejected
from natostance.builder.rejects import Rejects
from natostance.errors import NatoStanceError
from natostance.builder.leakage import LeakageCheck, stable_fingerprint
from natostance.parquet_io import WRITE_OPTIONS, _row_group_rows, shard_name
from natostance.builder.report import BuildReport
from natostance.builder.scale import plan as P
from natostance.builder.swap import link_or_copy, staging


@dataclass
class ScaleReport(BuildReport):
    """The build report plus the engine's side: tasks run and skipped, per-step counts over all tasks."""

    engine: dict[str, Any] = field(default_factory=dict)
    steps: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "engine": self.engine, "steps": self.steps}

    def summary(self) -> str:
        e, s = self.engine, self.steps
        lines = [super().summary(),
                 f"  engine: datatrove {e.get('datatrove')} ({e.get('executor')}), {e.get('tasks')} task(s), "
                 f"{e.get('workers')} worker(s); ran {e.get('tasks_run')}, skipped {e.get('tasks_skipped')} "
                 "already finished",
                 f"  steps: {s['files']} files, {s['records_in']} records in, {s['articles_out']} articles and "
                 f"{s['sentences_out']} sentences out, {sum(s['dropped'].values())} dropped"]
        lines += [f"    dropped {reason:<40} {n:>6}" for reason, n in sorted(s["dropped"].items())]
        return "\n".join(lines)


def finish(work: Path, engine: dict[str, Any] | None = None) -> ScaleReport:
    plan = P.load(work)
    tasks, opts = plan["tasks"], P.options(plan)
    missing = P.missing(work, tasks)
    if missing:
        raise NatoStanceError(f"{len(missing)} of {tasks} task(s) not finished (ranks {missing[:10]}...); "
                              "run the same command again to resume")
    root, out_dir = Path(plan["input"]), Path(plan["out"])
    sources = P.sources(plan)
    shutil.rmtree(work / P.INDEX, ignore_errors=True)  # a finish step that failed before leaves its index
    report = ScaleReport(dataset_version=opts.dataset_version, engine=dict(engine or {}),
                         articles=ArticleIndex(work / P.INDEX, P.buckets(plan)))
    hashes, rejected = {}, []  # rejected: the duplicates found across tasks, (key, Rejected)
    steps: dict[str, Any] = {"files": 0, "records_in": 0, "articles_out": 0, "sentences_out": 0, "dropped": Counter()}
    leakage = LeakageCheck(stable_fingerprint)
    for rank in range(tasks):
        summary = json.loads((P.task_dir(work, rank) / P.SUMMARY).read_text(encoding="utf-8"))
        hashes.update(summary["files"])
        for k in ("files", "records_in", "articles_out", "sentences_out"):
            steps[k] += summary["stats"][k]
        steps["dropped"].update(summary["stats"]["dropped"])
        for name, keys in summary.get("unmapped", {}).items():
            report.note_unmapped(name, Counter(keys))
        leakage.absorb(P.task_dir(work, rank) / P.LEAKAGE, summary["leakage_examples"])
    dups = _merge_index(work, tasks, report.articles, rejected, steps)
    streams = [_task_rejects(P.task_dir(work, rank) / P.REJECTS) for rank in range(tasks)]  # each in reading order
    merged = heapq.merge(*streams, sorted(rejected, key=lambda kr: kr[0]), key=lambda kr: kr[0])
    check_build(sources, hashes, Rejects(work / "rejects.jsonl", (r for _, r in merged)), report, opts)
    report.steps = {**steps, "dropped": dict(sorted(steps["dropped"].items()))}
    for rank, ids in sorted(dups.items()):
        _drop_rows(P.task_dir(work, rank), ids)
    with staging(out_dir, OWNED + ANNOTATION_OWNED) as tmp:
        for config in ("articles", "sentences"):  # the annotation configs are the local engine's
            report.rows[config] = _link_shards(work, tasks, config, tmp / "data" / config)
        report.leakage = leakage.report()
        report.notes.extend(split_notes(sources.rule, report))
        write_metadata(root, tmp, report, hashes, sources, dataset_meta(opts))
        report.rejected.close()
    report.out_dir = str(out_dir)
    report.rejected.listing = out_dir / "rejects.jsonl"
    return report


def _task_rejects(path: Path):
    """(reading-order key, Rejected) of one task's rejects, read line by line."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            key, row = json.loads(line)
            yield key, Rejected.from_json(row)


def _merge_index(work: Path, tasks: int, index: ArticleIndex, rejected: list, steps: dict[str, Any]) -> dict[int, set[str]]:
    """Merge the tasks' article summaries bucket by bucket (ids in the same bucket everywhere). The same bytes
    built in two places: the later copy in reading order is rejected as a duplicate. Returns rank -> those ids."""
    dups: dict[int, set[str]] = {}
    for b in range(index.buckets):
        rows = sorted(((r["article_id"], r["key"], rank, r) for rank in range(tasks)
                       for r in read_bucket(P.task_dir(work, rank) / P.INDEX, b)), key=lambda x: x[:2])
        first: dict[str, Any] = {}
        for article_id, key, rank, row in rows:
            del row["key"]
            if first.get("article_id") == article_id:
                dups.setdefault(rank, set()).add(article_id)
                rejected.append((key, Rejected(row["source_file"], f"duplicate of {first['source_file']} (same bytes)")))
                steps["articles_out"] -= 1
                steps["sentences_out"] -= row["n_sentences"]
                steps["dropped"]["duplicate"] += 1
                continue
            first = row
            index.add(row)
    return dups


def _link_shards(work: Path, tasks: int, config: str, dest: Path) -> dict[str, int]:
    """Each task's file of a split becomes one shard, numbered over the tasks that have rows in that split."""
    rows = {}
    for split in labels.labels("split"):
        found = [p for r in range(tasks) if (p := P.task_dir(work, r) / "data" / config / shard_name(split)).is_file()]
        for i, src in enumerate(found):
            target = dest / shard_name(split, i, len(found))
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(src, target)
            rows[split] = rows.get(split, 0) + pq.read_metadata(target).num_rows
    return rows


def _drop_rows(task: Path, ids: set[str]) -> None:
    """Rewrite a task's files without the given articles (and their sentences), as deterministically as before."""
    for path in sorted((task / "data").glob("*/*.parquet")):
        table = pq.read_table(path)
        keep = table.filter(pc.invert(pc.is_in(table["article_id"], value_set=pa.array(sorted(ids), type=pa.string()))))
        if len(keep) == len(table):
            continue
        if not len(keep):
            path.unlink()
            continue
        tmp = path.with_suffix(".tmp")
        with pq.ParquetWriter(tmp, table.schema, **WRITE_OPTIONS) as w:
            w.write_table(keep, row_group_size=_row_group_rows(keep))
        tmp.replace(path)

