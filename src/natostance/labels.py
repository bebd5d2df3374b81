"""Read the label file (``schemas/labels.schema.json``), the only source of every label set.

Nothing else in the package spells a label list out; everything asks this module.
"""

from __future__ import annotations

import json
import sys
import types
from functools import lru_cache
from pathlib import Path
from typing import Any

LABELS_FILE = "labels.schema.json"
LABELS_URI = "urn:natostance:schemas:labels"


def schema_dir() -> Path:
    """The ``schemas/`` folder: packaged as ``natostance/_schemas`` in a wheel, the repo's own in a checkout."""
    packaged = Path(__file__).with_name("_schemas")
    if (packaged / LABELS_FILE).is_file():
        return packaged
    repo = Path(__file__).resolve().parents[2] / "schemas"
    if (repo / LABELS_FILE).is_file():
        return repo
    raise FileNotFoundError(f"cannot find {LABELS_FILE} in {packaged} or {repo}")


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """Load one JSON Schema file from ``schemas/`` by file name."""
    return json.loads((schema_dir() / name).read_text(encoding="utf-8"))


def label_defs() -> dict[str, Any]:
    return load_schema(LABELS_FILE)["$defs"]


def labels(kind: str) -> tuple[str, ...]:
    """The ordered label names of one set: ``labels("stance") == ("favor", "against", "neutral", "none")``."""
    defs = label_defs()
    if kind not in defs:
        raise KeyError(f"no label set {kind!r} in {LABELS_FILE}; known: {', '.join(sorted(defs))}")
    return tuple(defs[kind]["enum"])


def titles(kind: str) -> dict[str, str]:
    """Display names of one label set (falls back to the label itself)."""
    d = label_defs()[kind]
    return {v: d.get("x-titles", {}).get(v, v) for v in d["enum"]}


def descriptions(kind: str) -> dict[str, str]:
    d = label_defs()[kind]
    return {v: d.get("x-descriptions", {}).get(v, "") for v in d["enum"]}


def labels_digest() -> str:
    """A fingerprint of every label set (names and order); ``x-labels-digest`` records the one of this version."""
    import hashlib

    sets = {kind: spec["enum"] for kind, spec in sorted(label_defs().items())}
    return hashlib.sha256(json.dumps(sets, sort_keys=True).encode()).hexdigest()[:16]


def labels_version() -> str:
    """``x-labels-version``, after checking that it moved with the label sets: a label file whose sets no longer
    match the digest recorded for its version is refused, so a changed label file never keeps its old version."""
    from natostance.errors import NatoStanceError

    schema = load_schema(LABELS_FILE)
    version, recorded, now = str(schema["x-labels-version"]), schema.get("x-labels-digest"), labels_digest()
    if recorded != now:
        raise NatoStanceError(f"schemas/{LABELS_FILE}: the label sets changed since labels version {version} "
                              f"(x-labels-digest {recorded}, the sets now give {now}): raise x-labels-version and set "
                              f"x-labels-digest to {now}")
    return version


def label_ref(kind: str) -> str:
    """The ``$ref`` a record schema uses to point at one label set."""
    return f"{LABELS_URI}#/$defs/{kind}"


class _CallableModule(types.ModuleType):
    """``natostance.labels`` names both the API function ``labels(kind)`` and this module; once anything imports
    the module, Python makes the package attribute the module. Calling the module calls the function, so
    ``natostance.labels("stance")`` works whatever was imported first."""

    def __call__(self, kind: str) -> tuple[str, ...]:
        return labels(kind)


sys.modules[__name__].__class__ = _CallableModule
