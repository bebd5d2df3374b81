"""The job plan and work folder of a scale-out build, shared by the driver, every task and the finish step.

``<out>/../.<out name>.datatrove/`` holds ``plan.json`` (input folder, file list with sizes, task count,
build options), datatrove's logs and completion markers, and one folder per task with its Parquet files
and ``summary.json``. A rerun with the same plan resumes (finished tasks are skipped); a different plan
(files added or changed in size, another task count or option) starts afresh. Removed after a finished build.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from natostance.builder.pipeline import BuildOptions
from natostance.builder.sourcesfile import Sources, load as load_sources
from natostance.builder.splits import SplitRule
from natostance.files import atomic_write
from natostance.parquet_io import buckets_for
from natostance.builder.scale.inputs import plan_files

PLAN = "plan.json"
SUMMARY = "summary.json"
REJECTS = "rejects.jsonl"  # a task's rejects in reading order: [key, Rejected.to_json()] per line
INDEX, LEAKAGE = "index", "leakage"  # a task's article summaries and sentence fingerprints, by bucket / sorted run


def work_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.datatrove"


def task_dir(work: Path, rank: int) -> Path:
    return work / "tasks" / f"{rank:05d}"


def make_plan(root: Path, out_dir: Path, tasks: int, opts: BuildOptions, rule: SplitRule | None = None) -> dict[str, Any]:
    return {
        "input": str(root),
        "out": str(out_dir),
        "tasks": tasks,
        "options": {"dataset_version": opts.dataset_version, "allow_changed": opts.allow_changed,
                    "keep_going": opts.keep_going, "max_article_bytes": opts.max_article_bytes, "strict": opts.strict},
        "files": plan_files(root),
        **({"split_rule": rule.to_dict()} if rule else {}),  # as resolved by the driver (quantiles → dates)
    }


def sources(plan: dict[str, Any]) -> Sources:
    """The input's sources file, with the split rule the driver resolved for this job when it gave one."""
    found = load_sources(Path(plan["input"]))
    if "split_rule" in plan:
        found.rule = SplitRule.from_dict(plan["split_rule"])
    return found


def _task_inputs(plan: dict[str, Any]) -> tuple:
    """What the tasks' files depend on (not --keep-going or --allow-changed: only the finish step reads those)."""
    return (plan["input"], plan["out"], plan["tasks"], plan["files"], plan["options"]["dataset_version"],
            plan.get("split_rule"), plan["options"].get("max_article_bytes"))


def prepare(work: Path, plan: dict[str, Any]) -> bool:
    """Write the plan into ``work``. Returns True when the tasks' inputs are unchanged (the job resumes)."""
    path = work / PLAN
    resume = False
    if path.is_file():
        try:
            resume = _task_inputs(json.loads(path.read_text(encoding="utf-8"))) == _task_inputs(plan)
        except (json.JSONDecodeError, KeyError):
            pass
    if not resume:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    write_json(path, plan)
    return resume


def write_json(path: Path, doc: Any) -> None:
    """Write through a temporary file and rename: a reader (or a resumed job) never sees half a file."""
    atomic_write(path, [json.dumps(doc, ensure_ascii=False)])


def buckets(plan: dict[str, Any], indices: list[int] | None = None) -> int:
    """Hash buckets by the size of the given input files (default all: the article index's, the same in every task)."""
    files = plan["files"]
    return buckets_for(sum(files[i][1] for i in (range(len(files)) if indices is None else indices)))


_loaded: dict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = {}


def load(work: Path) -> dict[str, Any]:
    """The plan (read once per process and plan file: every step of every task needs it; do not modify it)."""
    path = work / PLAN
    st = path.stat()
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    if (hit := _loaded.get(path)) is None or hit[0] != stamp:
        hit = _loaded[path] = (stamp, json.loads(path.read_text(encoding="utf-8")))
    return hit[1]


def options(plan: dict[str, Any]) -> BuildOptions:
    return BuildOptions(**plan["options"])


def completed(work: Path, tasks: int) -> list[int]:
    """Ranks whose summary is written (a task writes it last, just before datatrove marks it complete)."""
    return [r for r in range(tasks) if (task_dir(work, r) / SUMMARY).is_file()]


def missing(work: Path, tasks: int) -> list[int]:
    """Ranks not finished yet."""
    return sorted(set(range(tasks)) - set(completed(work, tasks)))


def remove(work: Path, keep: str | None = None) -> None:
    """After a finished build: the dataset folder has its own links to the shards. ``keep``: a folder left
    (the Slurm finish job's own logs and report, which datatrove writes to after the step)."""
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
        return
    for entry in work.iterdir():
        if entry.name != keep:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
