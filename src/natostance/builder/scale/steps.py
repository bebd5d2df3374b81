"""The three datatrove steps of a scale-out build; each task (rank) runs them over its shard of files.

``ReadRaw`` yields one document per record (the builder's readers), ``BuildArticles`` runs the builder's
per-record step (``natostance.builder.pipeline.build_record``: ``process_article``, drop with reason, duplicates,
schema validation), ``WriteShards`` streams rows into the builder's ``SortedSpill`` and writes the task's
sorted Parquet files and ``summary.json``. Nothing here cleans or segments text.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from datatrove.data import Document
from datatrove.pipeline.base import PipelineStep

from natostance import labels

from natostance.builder.articleindex import ArticleIndex, summary
from natostance.builder.gcpause import fewer_collections
from natostance.builder.pipeline import build_record, dataset_meta, spill_article, text_spills
from natostance.builder.document import RawArticle, Rejected
from natostance.builder.leakage import LeakageCheck, stable_fingerprint
from natostance.builder.scale import plan as P
from natostance.builder.scale.inputs import file_records, shard


def reason_class(reason: str) -> str:
    """A short, countable class of a drop reason (file names and positions taken out)."""
    if reason.startswith("duplicate of"):
        return "duplicate"
    return re.sub(r"\d+", "N", reason.split(":")[0].split(" (")[0])[:60]


class _WorkStep(PipelineStep):
    """A step that finds everything it needs in the job's work folder (a path string: steps are pickled)."""

    def __init__(self, work: str):
        super().__init__()
        self.work = work


class ReadRaw(_WorkStep):
    name, type = "natostance raw files", "📖 - READER"

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        plan = P.load(Path(self.work))
        root, files, max_bytes = Path(plan["input"]), plan["files"], P.options(plan).max_article_bytes
        for index in shard(files, rank, world_size):
            name = files[index][0]
            with self.track_time():
                sha, items = file_records(root, name, max_bytes)
            self.stat_update("files")
            yield Document(text="", id=name, metadata={"kind": "file", "name": name, "sha": sha})
            for seq, item in enumerate(items):
                self.stat_update("records_in")
                yield Document(text="", id=f"{name}#{seq}", metadata={"kind": "record", "name": name,
                                                                       "item": item, "key": [index, seq]})


class BuildArticles(_WorkStep):
    name, type = "natostance process_article", "🔨 - BUILDER"

    def run(self, data, rank: int = 0, world_size: int = 1):
        plan = P.load(Path(self.work))
        sources, strict = P.sources(plan), P.options(plan).strict
        seen: dict[str, str] = {}
        for doc in data:
            meta = doc.metadata
            if meta["kind"] == "record":
                item = meta.pop("item")
                if isinstance(item, RawArticle) and item.unmapped:
                    meta["unmapped"] = item.unmapped
                with self.track_time():
                    built = build_record(item, meta["name"], sources, seen, strict)
                if isinstance(built, Rejected):
                    meta.update(kind="rejected", rejected=built)
                    self.stat_update(f"dropped: {reason_class(built.reason)}")
                else:
                    meta.update(kind="article", built=built)
                    self.stat_update("articles_out")
                    self.stat_update("sentences_out", value=len(built[1]))
            yield doc


class WriteShards(_WorkStep):
    name, type = "natostance sorted Parquet", "💽 - WRITER"

    def run(self, data, rank: int = 0, world_size: int = 1):
        work = Path(self.work)
        plan, out = P.load(work), P.task_dir(work, rank)
        shutil.rmtree(out, ignore_errors=True)  # leftovers of an interrupted attempt of this task
        out.mkdir(parents=True)
        buckets = P.buckets(plan, shard(plan["files"], rank, world_size))
        spills = text_spills(out, buckets)
        index = ArticleIndex(out / P.INDEX, P.buckets(plan))  # summaries with their reading-order key
        leakage, files, unmapped = LeakageCheck(stable_fingerprint, out / P.LEAKAGE), {}, {}
        rejects = (out / P.REJECTS).open("w", encoding="utf-8")  # streamed: a task may reject millions
        stats = {"files": 0, "records_in": 0, "articles_out": 0, "sentences_out": 0, "dropped": {}}
        with fewer_collections():  # the task's reading and building all run inside this loop
            for doc in data:
                meta = doc.metadata
                if meta["kind"] == "file":
                    if meta["sha"]:  # a refused link has none: never hashed, never copied
                        files[meta["name"]] = meta["sha"]
                    stats["files"] += 1
                    continue
                stats["records_in"] += 1
                for key in meta.get("unmapped", ()):
                    per_file = unmapped.setdefault(meta["name"], {})
                    per_file[key] = per_file.get(key, 0) + 1
                if meta["kind"] == "rejected":
                    r = meta["rejected"]
                    rejects.write(json.dumps([meta["key"], r.to_json()], ensure_ascii=False) + "\n")
                    reason = reason_class(r.reason)
                    stats["dropped"][reason] = stats["dropped"].get(reason, 0) + 1
                    continue
                article, sentences, removals = meta["built"]
                with self.track_time():
                    spill_article(spills, leakage, article, sentences)
                    index.add({**summary(article, removals), "key": meta["key"]})
                stats["articles_out"] += 1
                stats["sentences_out"] += len(sentences)
        rejects.close()
        meta = dataset_meta(P.options(plan))
        rows = {c: spill.write(out / "data" / c, labels.labels("split"), {**meta, "config": c})
                for c, spill in spills.items()}
        for config, per_split in rows.items():
            self.stat_update(f"{config}_rows", value=sum(per_split.values()))
        index.flush()
        leakage.flush()
        summary_doc = {"rank": rank, "files": files, "rows": rows, "stats": stats, "unmapped": unmapped,
                       "leakage_examples": [[fp, sid] for fp, sid in leakage.examples.items()]}
        P.write_json(out / P.SUMMARY, summary_doc)
        return
        yield  # a generator: datatrove drains the last step
