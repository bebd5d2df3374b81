"""The documents of the harness tasks, read through ``datasets`` from the dataset folder or a Hub repo.

``load_docs`` is the tasks' ``custom_dataset``: lm-evaluation-harness calls it with the task's metadata
(written by ``taskfiles.py``) and gets a ``DatasetDict`` of documents, one per unit to predict:

* ``temporal``: splits ``train``, ``validation`` and ``test`` (the dataset's own); the task evaluates
  ``test`` and draws few-shot examples from ``train`` only.
* ``cv``: one split ``all`` with every gold unit and its ``fold`` (the dataset's cross-validation folds by
  article); the task evaluates ``all`` and draws few-shot examples for a unit only from the other folds
  (``sampler.OtherFoldsSampler``).

The units are exactly those the scorer expects (``shape_from_gold``), so a complete run predicts each
once. Every document carries the ids the conversion keys on (``task``, ``unit_id``, ``target``), the
prompt text (``query``), the gold answer for the harness's own metrics (``answer``: index into the
task's choices; ``answer_text``), and the dataset and prompt versions.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from natostance.errors import InputError
from natostance.evaluation.gold import Gold, checkworthy_sentences, gold_from_records
from natostance.evaluation.harness import prompts
from natostance.evaluation.protocol import PROTOCOLS
from natostance.evaluation.shape import shape_from_gold
from natostance.labels import labels

CONFIGS = ("articles", "sentences", "stance", "claims")
CV_SPLIT = "all"
_LABEL_SETS = {"label": "stance", "target": "target", "holder": "holder", "type": "claim_type", "split": "split"}


def _decode(ds) -> list[dict[str, Any]]:
    """Rows of a ``datasets.Dataset`` with class labels as their names (checked against the label file)."""
    from datasets import ClassLabel

    named = {}
    for col, feat in ds.features.items():
        if isinstance(feat, ClassLabel):
            kind = _LABEL_SETS.get(col)
            if kind and tuple(feat.names) != labels(kind):
                raise InputError(
                    f"{ds.info.dataset_name or 'dataset'}/{ds.info.config_name}",
                    f"column {col}: expected the label set {list(labels(kind))} of the label file, found {feat.names}",
                )
            named[col] = feat.names
    return [{k: (named[k][v] if k in named and v is not None else v) for k, v in row.items()} for row in ds]


def cache_dir(dataset: str) -> str | None:
    """For a local folder, a ``datasets`` cache folder named after the state of its files (path, size, mtime
    of the card and every data file); None for a Hub repo, whose cache ``datasets`` keys by revision.

    ``datasets`` keys the cache of a local folder with a card by the card's configs alone: after a rebuild
    that changes labels but no row count, ``load_dataset`` returns the old rows from its cache (the same
    problem as huggingface/datasets#2956). A new state of the files gets a new cache folder instead."""
    folder = Path(dataset)
    if not folder.is_dir():
        return None
    import datasets

    files = sorted(f for f in (folder / "README.md", *folder.glob("data/**/*")) if f.is_file())
    state = [(str(f.relative_to(folder)), f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    key = hashlib.sha256(json.dumps([str(folder.resolve()), state]).encode("utf-8")).hexdigest()[:16]
    return str(Path(datasets.config.HF_DATASETS_CACHE) / "natostance-local" / key)


@lru_cache(maxsize=4)
def load_gold_datasets(dataset: str) -> Gold:
    """The gold of a dataset folder or Hub repo, read with ``datasets.load_dataset(dataset, config)``."""
    import datasets

    records, version = {}, None
    for config in CONFIGS:
        try:
            dd = datasets.load_dataset(dataset, config, cache_dir=cache_dir(dataset))
        except ValueError as exc:
            if config == "claims" and "claims" in str(exc):  # an annotated dataset may have no claims yet
                records[config] = []
                continue
            raise InputError(dataset, f"expected config {config!r} readable by datasets.load_dataset, found: {exc}")
        except Exception as exc:  # datasets raises many kinds (offline, missing repo, bad files)
            raise InputError(dataset, f"expected config {config!r} readable by datasets.load_dataset, found: {exc}")
        records[config] = [row for split in dd.values() for row in _decode(split)]
        version = version or next((str(s.info.version) for s in dd.values() if s.info.version), None)
    if version is None:
        raise InputError(dataset, "expected a dataset version in the dataset card (configs: version), found none")
    return gold_from_records(records, dataset_version=version, source=dataset)


def folds_of(gold: Gold) -> dict[str, int]:
    """article id -> cross-validation fold: the assignment ``folds.json`` publishes, recomputed from the gold
    (``folds.gold_folds``), so a Hub copy without the file gets the same folds."""
    from natostance.evaluation.folds import gold_folds

    return gold_folds(gold).fold_of()


def unit_docs(gold: Gold, task: str, split: str, folds: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """One document per unit of ``task`` in ``split`` ('all' = every gold article), sorted by id."""
    choices = prompts.choices(task)
    expected = sorted(shape_from_gold(gold).expected(task, split))
    gold_rows = {(r["unit_id"], r["target"]): r for r in gold.stance}
    checkworthy = checkworthy_sentences(gold) if task == "claim_detection" else set()
    base = {"task": task, "dataset_version": gold.dataset_version, "prompt_version": prompts.PROMPT_VERSION}
    docs = []
    for key in expected:
        unit_id, target = key[0], (key[1] if len(key) > 1 else None)
        if task == "article_stance":
            article = gold.articles[unit_id]
            query = prompts.article_query(article, target)
            answer = next(i for i, c in enumerate(choices) if c.label == gold_rows[key]["label"])
        else:
            sentence = gold.sentences[unit_id]
            article = gold.articles[sentence["article_id"]]
            neighbours = [gold.sentences[s] for s in gold.sentences_of[article["article_id"]]]
            query = prompts.sentence_query(task, article, neighbours, sentence, target)
            if task == "claim_detection":
                answer = next(i for i, c in enumerate(choices) if c.checkworthy == (unit_id in checkworthy))
            else:
                row = gold_rows[key]
                answer = next(i for i, c in enumerate(choices) if (c.label, c.holder) == (row["label"], row["holder"]))
        docs.append(
            base
            | {
                "unit_id": unit_id,
                "target": target,
                "article_id": article["article_id"],
                "split": article["split"],
                "fold": (folds or {}).get(article["article_id"], 0),
                "query": query,
                "answer": answer,
                "answer_text": choices[answer].text,
            }
        )
    return docs


def load_docs(dataset: str, protocol: str, natostance_task: str, prompt_sha256: str | None = None, **_):
    """The ``custom_dataset`` of every generated task (keyword arguments: the task's metadata)."""
    from datasets import Dataset, DatasetDict

    if prompt_sha256 is not None and prompt_sha256 != prompts.fingerprint(natostance_task):
        raise InputError(
            f"task natostance_{natostance_task}",
            f"expected task files generated from the current label file, guidelines and prompts "
            f"(prompt fingerprint {prompts.fingerprint(natostance_task)}), found fingerprint {prompt_sha256}: "
            "run `natostance lm-eval tasks` again",
        )
    if protocol not in PROTOCOLS:
        raise InputError(
            f"task natostance_{natostance_task}", f"protocol: expected one of {PROTOCOLS}, found {protocol!r}"
        )
    gold = load_gold_datasets(dataset)
    if protocol == "cv":
        splits = {CV_SPLIT: unit_docs(gold, natostance_task, "all", folds_of(gold))}
    else:
        splits = {s: unit_docs(gold, natostance_task, s) for s in labels("split")}
    return DatasetDict({s: Dataset.from_list(docs) for s, docs in splits.items() if docs})
