"""Read one lm-evaluation-harness run from its ``--output_path``: the results file and its samples files.

The harness writes ``<output_path>/<model>/results_<date>.json`` and, with ``--log_samples``, one
``samples_<task>_<date>.jsonl`` per task next to it (same ``<date>``). ``find_results`` accepts the output
folder, a model folder or a results file (also ``<name>_<date>.json``, from ``--output_path <name>.json``);
in a folder it takes the newest results file, and refuses a folder that holds runs of several models (name
one). Only the NATO-Stance tasks of the run are read (``metadata.natostance_task`` in the task's config),
optionally only those named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natostance.errors import InputError
from natostance.evaluation.harness.prompts import TASKS
from natostance.guard import ErrorLog, shown
from natostance.jsonlines import object_lines

MAX_SAMPLE_LINE = 64 << 20  # one logged sample holds its prompt once per choice: a many-shot article prompt is MBs


@dataclass(frozen=True)
class HarnessTask:
    name: str  # the harness task, e.g. natostance_sentence_stance_gen
    task: str  # the NATO-Stance task, e.g. sentence_stance
    config: dict[str, Any]  # the task config as the harness logged it
    samples_path: Path
    samples: tuple[tuple[str, dict[str, Any]], ...]  # (file:line, sample)

    @property
    def metadata(self) -> dict[str, Any]:
        return obj(self.config.get("metadata"))

    @property
    def generative(self) -> bool:
        return self.config.get("output_type") == "generate_until"


@dataclass(frozen=True)
class HarnessRun:
    results_path: Path
    results: dict[str, Any]
    tasks: tuple[HarnessTask, ...]


def obj(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (a field the harness did not write as expected)."""
    return value if isinstance(value, dict) else {}


def find_results(path: str | Path) -> Path:
    path = Path(path)
    if path.is_file():
        if path.suffix != ".json" or "_" not in path.stem:
            raise InputError(str(path), "expected a harness results file (results_<date>.json), found another file")
        return path
    if not path.is_dir():
        raise InputError(str(path), "expected a harness --output_path folder or results file, found nothing there")
    found = sorted(path.rglob("results_*.json"))
    if not found:
        raise InputError(str(path), "expected a harness run (results_<date>.json below it), found none")
    folders = sorted({str(p.parent) for p in found})
    if len(folders) > 1:
        raise InputError(
            str(path), f"expected the runs of one model, found runs in {', '.join(folders)}: name one of these folders"
        )
    return max(found, key=lambda p: p.name)  # the date in the name sorts as time


def _samples(path: Path) -> tuple[tuple[str, dict], ...]:
    log = ErrorLog()
    rows = tuple((f"{path}:{n}", row) for n, row in object_lines(path, log, MAX_SAMPLE_LINE))
    log.raise_if_any(f"{{n}} unreadable line(s) in harness samples {path}")
    return rows


def read_run(path: str | Path, only: tuple[str, ...] = ()) -> HarnessRun:
    results_path = find_results(path)
    try:
        results = json.loads(results_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(str(results_path), f"expected the harness's results JSON, found an unreadable file ({exc})")
    date = results_path.stem.rsplit("_", 1)[1]  # results_<date>.json, or <name>_<date>.json for --output_path x.json
    configs = obj(results).get("configs")
    if not isinstance(configs, dict):
        raise InputError(str(results_path), "expected a 'configs' object (one per task), found none")
    ours = {n: c for n, c in configs.items() if obj(obj(c).get("metadata")).get("natostance_task")}
    for name, c in ours.items():
        if c["metadata"]["natostance_task"] not in TASKS:
            raise InputError(
                str(results_path),
                f"{name}: metadata.natostance_task: expected one of {', '.join(TASKS)}, "
                f"found {shown(c['metadata']['natostance_task'])}",
            )
    unknown = [n for n in only if n not in ours]
    if unknown:
        raise InputError(
            str(results_path),
            f"expected tasks of this run ({', '.join(sorted(ours)) or 'none'}), found {', '.join(unknown)}",
        )
    tasks = []
    for name in sorted(only or ours):
        n_samples = obj(obj(results.get("n-samples")).get(name))
        original, effective = n_samples.get("original"), n_samples.get("effective")
        if not (isinstance(original, int) and isinstance(effective, int)):
            raise InputError(
                str(results_path), f"{name}: expected n-samples (original, effective), found {shown(n_samples)}"
            )
        if effective != original:
            raise InputError(
                str(results_path),
                f"{name}: expected every unit (a run without --limit), found {effective} of {original} units",
            )
        samples_path = results_path.with_name(f"samples_{name}_{date}.jsonl")
        if not samples_path.is_file():
            raise InputError(
                str(samples_path), f"expected the samples of {name} (run lm_eval with --log_samples), found none"
            )
        tasks.append(
            HarnessTask(
                name, ours[name]["metadata"]["natostance_task"], ours[name], samples_path, _samples(samples_path)
            )
        )
    if not tasks:
        raise InputError(
            str(results_path), "expected at least one NATO-Stance task (natostance_…) in the run, found none"
        )
    return HarnessRun(results_path, results, tuple(tasks))
