"""NATO-Stance: a versioned stance/claim dataset of NATO–Russia–US news, its annotation campaign and benchmark.

The public API is imported lazily, so ``import natostance`` stays cheap and the optional parts
(Label Studio client, baselines) only load when used. The CLI verbs mirror these functions.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from natostance._version import DATASET_VERSION, SCHEMA_VERSION, __version__

# public name -> "module:attribute"
_API = {
    "build": "natostance.builder.pipeline:build",
    "BuildOptions": "natostance.builder.pipeline:BuildOptions",
    "validate": "natostance.publish.validation:validate",
    "read_config": "natostance.parquet_io:read_config",
    "labels": "natostance.labels:labels",
    "release": "natostance.publish.release:release",
    "diff": "natostance.publish.diff:diff",
    "push_to_hub": "natostance.publish.hub:push_to_hub",
    "rehydrate": "natostance.publish.rehydrate:rehydrate",
    "croissant": "natostance.publish.croissant:document",
    "annotation_config": "natostance.annotate.labelstudio.config:render",
    "push": "natostance.annotate.labelstudio.push:push",
    "pull": "natostance.annotate.labelstudio.pull:pull",
    "convert_export": "natostance.annotate.labelstudio.convert:convert",
    "agreement": "natostance.annotate.agreement:agreement",
    "adjudicate": "natostance.annotate.adjudicate:adjudicate",
    "audit": "natostance.annotate.audit:audit",
    "check": "natostance.evaluation.check:check_submission",
    "score": "natostance.evaluation.score:score",
    "leaderboard": "natostance.evaluation.leaderboard:leaderboard",
    "compare": "natostance.evaluation.leaderboard:compare",
    "run_baseline": "natostance.evaluation.baselines:run_baseline",
    "model_index": "natostance.evaluation.model_index:model_index",
}

__all__ = ["DATASET_VERSION", "SCHEMA_VERSION", "__version__", *_API]


def __getattr__(name: str) -> Any:
    target = _API.get(name)
    if target is None:
        raise AttributeError(f"module 'natostance' has no attribute {name!r}")
    module, attr = target.split(":")
    return getattr(import_module(module), attr)
