"""Turn a harness run into a NATO-Stance submission and its metadata (``natostance lm-eval convert``).

Each logged sample carries its document, so rows are keyed by the document's ids (``unit_id``, ``target``),
never by the sample's position. What the model answered:

* log-likelihood tasks: the choice with the highest log-likelihood, as the harness's ``acc`` picks it
  (``per_char=True``: divided by the choice's length in characters, as ``acc_norm``); ties go to the first
  choice. Claim detection's ``score`` is the log-likelihood of ``yes`` minus that of ``no`` (per character
  with ``per_char``), so sentences rank by how much the model prefers ``yes``.
* generation tasks: the generated text, lower-cased and stripped of spaces and surrounding punctuation,
  must be a choice or start with one followed by a non-alphanumeric character. Other answers are invalid:
  they become ``none`` (no holder) or not check-worthy with score 0, and are counted in the metadata's
  ``parameters.invalid_answers``, as the project's own zero-shot baseline does.

The metadata names the system after the model (its ``pretrained=`` or ``model=`` argument, a local
checkpoint by its folder name, plus ``@revision``), the harness backend and the few-shot count; it records
the protocol, where few-shot examples came from (``trained_on``: the splits whose labels were shown to the
model), the prompt version and fingerprint, and the harness's own settings. Secrets in model arguments
(keys, tokens, passwords) are replaced by ``***``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from natostance._version import __version__
from natostance.errors import InputError, ManyErrors
from natostance.evaluation.harness import prompts
from natostance.evaluation.harness.docs import CV_SPLIT
from natostance.evaluation.harness.run import HarnessRun, HarnessTask, obj
from natostance.guard import shown
from natostance.labels import labels

_SECRET = re.compile(r"(^|_)(api_?key|key|token|secret|password)$", re.I)
_STRIP = " \t\n.,;:!\"'`*"


def parse_answer(text: str, task: str) -> prompts.Choice | None:
    """The choice a generated answer names, or None (see the module docstring)."""
    norm = " ".join(str(text).lower().split()).strip(_STRIP)
    for choice in sorted(prompts.choices(task), key=lambda c: -len(c.text)):
        if norm == choice.text or (norm.startswith(choice.text) and not norm[len(choice.text)].isalnum()):
            return choice
    return None


def _scored(where: str, sample: dict[str, Any], task: str, per_char: bool) -> tuple[prompts.Choice, float]:
    """The chosen choice and the yes-minus-no score of a log-likelihood sample."""
    table = {c.text: c for c in prompts.choices(task)}
    args, resps = sample.get("arguments"), sample.get("filtered_resps")
    if not isinstance(args, dict) or not isinstance(resps, list) or len(args) != len(resps) or not resps:
        raise InputError(where, "expected 'arguments' and 'filtered_resps' with one entry per choice, found otherwise")
    chosen, values = [], []
    for i, resp in enumerate(resps):
        text = str(obj(args.get(f"gen_args_{i}")).get("arg_1", "")).strip()
        if text not in table:
            raise InputError(
                where,
                f"expected a choice of the current task files ({', '.join(table)}), found {text!r}: "
                "regenerate the tasks with `natostance lm-eval tasks` and run again",
            )
        try:
            ll = float(resp[0])
        except (TypeError, ValueError, IndexError, KeyError):
            ll = math.nan
        if not math.isfinite(ll):
            raise InputError(where, f"expected a finite log-likelihood for choice {text!r}, found {shown(resp)}")
        chosen.append(table[text])
        values.append(ll / len(text) if per_char else ll)
    best = values.index(max(values))
    by_text = dict(zip((c.text for c in chosen), values))
    score = by_text.get("yes", 0.0) - by_text.get("no", 0.0)
    return chosen[best], score


def _generated(where: str, sample: dict[str, Any]) -> str:
    """The first generation of a sample (``resps``: one list of generations per request)."""
    resps = sample.get("resps")
    if not (isinstance(resps, list) and resps and isinstance(resps[0], list) and resps[0]):
        raise InputError(where, f"expected 'resps' holding the generated text, found {shown(resps)}")
    return str(resps[0][0])


def _row(task: str, doc: dict[str, Any], choice: prompts.Choice | None, score: float) -> dict[str, Any]:
    if task == "claim_detection":
        return {
            "task": task,
            "unit_id": doc["unit_id"],
            "checkworthy": bool(choice and choice.checkworthy),
            "score": score,
        }
    row = {
        "task": task,
        "unit_id": doc["unit_id"],
        "target": doc["target"],
        "label": choice.label if choice else prompts.NOT_DISCUSSED,
    }
    if task == "sentence_stance":
        row["holder"] = choice.holder if choice else None
    return row


def task_rows(
    t: HarnessTask, per_char: bool, errors: list[str]
) -> tuple[list[tuple[str, dict]], int, set[str], set[str]]:
    """(where, row) per sample, the number of invalid answers, and the dataset/prompt versions seen."""
    out, invalid, versions, prompt_versions = [], 0, set(), set()
    for where, sample in t.samples:
        doc = sample.get("doc")
        ids = ("unit_id",) if t.task == "claim_detection" else ("unit_id", "target")
        if not isinstance(doc, dict) or doc.get("task") != t.task or not all(isinstance(doc.get(k), str) for k in ids):
            errors.append(
                f"{where}: expected a document of task {t.task} with {' and '.join(ids)}, found {shown(doc)}"
            )
            continue
        versions.add(doc.get("dataset_version"))
        prompt_versions.add(doc.get("prompt_version"))
        try:
            if t.generative:
                choice = parse_answer(_generated(where, sample), t.task)
                invalid += choice is None
                score = 1.0 if choice and choice.checkworthy else 0.0
            else:
                choice, score = _scored(where, sample, t.task, per_char)
        except InputError as exc:
            errors.append(str(exc))
            continue
        out.append((where, _row(t.task, doc, choice, score)))
    return out, invalid, versions, prompt_versions


def _decision(t: HarnessTask, per_char: bool) -> str:
    if t.generative:
        return "generated text matched to a choice"
    return "argmax log-likelihood per character" if per_char else "argmax log-likelihood"


def _model_args(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        args = dict(raw)
    else:
        args = dict(p.split("=", 1) if "=" in p else (p, True) for p in str(raw or "").split(",") if p)
    return {k: ("***" if _SECRET.search(k) else v) for k, v in args.items()}


def _count(value: Any) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def system_name(results: dict[str, Any], shots: list[int], per_char: bool) -> str:
    cfg = obj(results.get("config"))
    args = _model_args(cfg.get("model_args"))
    name = str(args.get("pretrained") or args.get("model") or cfg.get("model") or "model")
    if Path(name).is_absolute():  # a local checkpoint: its folder name, not the machine's path
        name = Path(name).name
    if args.get("revision"):
        name += f"@{args['revision']}"
    shot = "/".join(str(s) for s in sorted(set(shots))) + "-shot"
    extra = (", chat template" if results.get("chat_template") else "") + (", per-char" if per_char else "")
    return f"{name} (lm-eval {cfg.get('model', '?')}, {shot}{extra})"


def _run_errors(run: HarnessRun) -> list[str]:
    """A submission holds one prediction per unit and one protocol: one harness task per NATO-Stance task."""
    errors, names = [], {}
    for t in run.tasks:
        if t.task in names:
            errors.append(
                f"{run.results_path}: expected one harness task per NATO-Stance task, found {names[t.task]} "
                f"and {t.name} for {t.task}: convert one with --task"
            )
        names[t.task] = t.name
    protocols = sorted({str(t.metadata.get("protocol")) for t in run.tasks})
    if len(protocols) != 1:
        errors.append(
            f"{run.results_path}: expected tasks of one protocol, found {', '.join(protocols)}: "
            "convert them separately with --task"
        )
    return errors


def _shown_splits(run: HarnessRun, shots: dict[str, int], doc_splits: set[str]) -> list[str]:
    """The splits whose labels reached the model as few-shot examples (cv: every split of its documents)."""
    shown: set[str] = set()
    for t in run.tasks:
        if shots[t.name]:
            split = t.config.get("fewshot_split")
            shown |= (doc_splits if split == CV_SPLIT else {split}) & set(labels("split"))
    return sorted(shown)


def _meta(
    run: HarnessRun,
    doc_splits: set[str],
    invalid: dict[str, int],
    dataset_version: str,
    prompt_version: str,
    per_char: bool,
    system: str | None,
    authors,
) -> dict[str, Any]:
    cfg = obj(run.results.get("config"))
    shots = {t.name: _count(obj(run.results.get("n-shot")).get(t.name)) for t in run.tasks}
    first = run.tasks[0].metadata
    return {
        "system": system or system_name(run.results, list(shots.values()), per_char),
        "authors": list(authors),
        "url": None,
        "kind": "system",
        "protocol": first.get("protocol"),
        "description": f"Predictions of {cfg.get('model')} made with lm-evaluation-harness "
        f"{run.results.get('lm_eval_version')} on the NATO-Stance harness tasks, "
        "converted by natostance lm-eval convert.",
        "parameters": {
            "harness": "lm-evaluation-harness",
            "lm_eval_version": run.results.get("lm_eval_version"),
            "model": cfg.get("model"),
            "model_args": _model_args(cfg.get("model_args")),
            "tasks": {t.name: t.task for t in run.tasks},
            "num_fewshot": shots,
            "fewshot_seed": cfg.get("fewshot_seed"),
            "decision": {t.name: _decision(t, per_char) for t in run.tasks},
            "prompt_version": prompt_version,
            "prompt_sha256": {t.name: t.metadata.get("prompt_sha256") for t in run.tasks},
            "guidelines_version": first.get("guidelines_version"),
            "labels_version": first.get("labels_version"),
            "system_instruction": run.results.get("system_instruction"),
            "chat_template": bool(run.results.get("chat_template")),
            "invalid_answers": invalid,
            "results_file": run.results_path.name,
            "natostance": __version__,
        },
        "training_cutoff": None,
        "dataset_version": dataset_version,
        "trained_on": _shown_splits(run, shots, doc_splits),
        "tuned_on": [],
    }


def convert(
    run: HarnessRun, *, per_char: bool = False, system: str | None = None, authors=()
) -> tuple[list[dict], dict]:
    """Rows and metadata of the submission made from a harness run; every problem reported at once."""
    errors = _run_errors(run)
    seen: dict[tuple, str] = {}
    rows, invalid, versions, prompt_versions, doc_splits = [], {}, set(), set(), set()
    for t in run.tasks:
        found, bad, v, pv = task_rows(t, per_char, errors)
        versions |= v
        prompt_versions |= pv
        if t.generative:
            invalid[t.name] = bad
        for where, row in found:
            key = (row["task"], row["unit_id"], row.get("target"))
            if key in seen:
                errors.append(f"{where}: duplicate prediction for {'/'.join(filter(None, key))}, first at {seen[key]}")
                continue
            seen[key] = where
            rows.append(row)
        doc_splits |= {s["doc"].get("split") for _, s in t.samples if isinstance(s.get("doc"), dict)}
    for what, found in (("dataset version", versions), ("prompt version", prompt_versions)):
        if len(found) != 1:
            errors.append(f"{run.results_path}: expected one {what} in the samples, found {sorted(map(str, found))}")
    if errors:
        raise ManyErrors(errors, f"{len(errors)} error(s) in harness run {run.results_path}")
    meta = _meta(run, doc_splits, invalid, versions.pop(), prompt_versions.pop(), per_char, system, authors)
    return rows, meta
