"""Write a scored submission as a Hugging Face model-card ``model-index`` entry (the YAML block at the top of
a model's README), so a model author can show the result on the card. Each headline figure becomes one
``metrics`` item; its CI and the scorer version go in the item's ``name`` and ``verified: false``.
"""

from __future__ import annotations

from typing import Any

import yaml

DATASET_TYPE = "natostance"  # the dataset's name on the Hub is set by the release; override via ``dataset_type``
TASK_TYPES = {
    "sentence_stance": "text-classification",
    "article_stance": "text-classification",
    "claim_detection": "text-classification",
    "claim_spans": "token-classification",
}


def model_index(result, dataset_type: str = DATASET_TYPE, metrics: tuple[str, ...] | None = None) -> dict[str, Any]:
    """``{"model-index": [{"name": system, "results": [...]}]}`` for one ``ScoreResult``."""
    doc = result.doc if hasattr(result, "doc") else result
    results = []
    for task, t in doc["tasks"].items():
        chosen = metrics or (t["headline"],) + tuple(m for m in ("f_avg", "map", "overlap_f1") if m in t["metrics"])
        items = []
        for m in chosen:
            f = t["metrics"].get(m)
            if f is None or f["value"] is None:
                continue
            ci = (
                f" (95% CI {f['ci_low']:.3f}-{f['ci_high']:.3f}, {f['clusters']} articles)"
                if f["ci_low"] is not None
                else ""
            )
            protocol = doc.get("protocol", "temporal")
            name = f"{task} {m}, protocol {protocol}{ci}"
            items.append({"type": m, "value": round(f["value"], 6), "name": name, "verified": False})
        results.append(
            {
                "task": {"type": TASK_TYPES[task], "name": task},
                "dataset": {
                    "type": dataset_type,
                    "name": "NATO-Stance",
                    "split": doc["split"],
                    "revision": doc["dataset_version"],
                    "config": task,
                },
                "metrics": items,
                "source": {"name": f"natostance scorer {doc['scorer_version']}", "url": doc["meta"].get("url") or ""},
            }
        )
    return {"model-index": [{"name": doc["system"], "results": results}]}


def model_index_yaml(result, **kw) -> str:
    return yaml.safe_dump(model_index(result, **kw), sort_keys=False, allow_unicode=True)
