"""Record contracts: the JSON Schemas in ``schemas/`` are the one source of each config's fields.

From a record schema this module derives the validator (every row is validated at build time), the
pyarrow schema (types from JSON types plus ``x-arrow`` hints, field descriptions as metadata) and the
Hugging Face ``features`` declared in the dataset card. Nothing is inferred from rows.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jsonschema_rs
import pyarrow as pa

from natostance import labels as L

CONFIGS: dict[str, str] = {
    "articles": "articles.schema.json",
    "sentences": "sentences.schema.json",
    "stance": "stance.schema.json",
    "claims": "claims.schema.json",
    "annotations": "annotations.schema.json",
}
ANNOTATION_CONFIGS = ("stance", "claims", "annotations")

_ARROW_HINTS = {"large_string": pa.large_string(), "int32": pa.int32(), "int64": pa.int64(), "date32": pa.date32()}
_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "boolean": pa.bool_(), "number": pa.float64()}
_HF_DTYPES = {pa.string(): "string", pa.large_string(): "large_string", pa.int32(): "int32", pa.int64(): "int64",
              pa.bool_(): "bool", pa.date32(): "date32", pa.float64(): "float64"}


def record_schema(config: str) -> dict[str, Any]:
    if config not in CONFIGS:
        raise KeyError(f"unknown config {config!r}; known: {', '.join(CONFIGS)}")
    return L.load_schema(CONFIGS[config])


@lru_cache(maxsize=1)
def _registry() -> jsonschema_rs.Registry:
    resources = []
    for path in sorted(L.schema_dir().glob("*.schema.json")):
        schema = L.load_schema(path.name)
        if "$id" in schema:
            resources.append((schema["$id"], schema))
    return jsonschema_rs.Registry(resources)


@lru_cache(maxsize=None)
def validator(schema_file: str) -> Any:
    """A compiled 2020-12 validator for one schema file of ``schemas/`` (label ``$ref`` resolved)."""
    return jsonschema_rs.validator_for(L.load_schema(schema_file), registry=_registry(), validate_formats=True)


@lru_cache(maxsize=None)
def ref_validator(ref: str) -> Any:
    """A compiled validator for one ``$ref`` into the schemas (e.g. a ``$defs`` entry of a file)."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": ref}
    return jsonschema_rs.validator_for(schema, registry=_registry(), validate_formats=True)


def row_errors(config: str, row: dict[str, Any]) -> list[str]:
    """Every way a row breaks its schema, as ``field: message`` strings (empty when valid)."""
    v = validator(CONFIGS[config])
    if v.is_valid(row):
        return []
    return [f"{'/'.join(map(str, e.instance_path)) or '(row)'}: {e.message}" for e in v.iter_errors(row)]


# what a column check (below) covers, besides Arrow's own type check; other keywords need the row validator
_COLUMN_KEYWORDS = {"type", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength", "description",
                    "x-arrow", "x-hf"}


def column_checkable(config: str) -> bool:
    """Whether ``column_problems`` checks everything the JSON Schema of ``config`` says about a row."""
    schema = record_schema(config)
    return schema.get("additionalProperties") is False and set(schema["required"]) == set(schema["properties"]) \
        and all(set(_resolve(p)) <= _COLUMN_KEYWORDS for p in schema["properties"].values())


def _column_masks(prop: dict[str, Any], column: pa.ChunkedArray) -> list[Any]:
    """Per check of ``prop`` (the Arrow type already holds): true where a value breaks it."""
    import pyarrow.compute as pc

    masks = [] if _nullable(prop) or not column.null_count else [pc.is_null(column)]
    if "pattern" in prop:
        masks.append(pc.invert(pc.match_substring_regex(column, prop["pattern"])))
    if "enum" in prop:
        allowed = pa.array([v for v in prop["enum"] if v is not None], type=column.type)
        masks.append(pc.invert(pc.is_in(column, value_set=allowed, skip_nulls=True)))
    for key, op in (("minimum", pc.less), ("maximum", pc.greater)):
        if key in prop:
            masks.append(op(column, prop[key]))
    for key, op in (("minLength", pc.less), ("maxLength", pc.greater)):
        if key in prop:
            masks.append(op(pc.utf8_length(column), prop[key]))
    return [m.fill_null(False) for m in masks]


def column_problems(config: str, table: pa.Table) -> list[str]:
    """Every way the rows of a table with the config's Arrow schema break its JSON Schema, found column by column
    (``column_checkable`` says when that is all of it); a breaking row is then described by ``row_errors``."""
    import pyarrow.compute as pc

    schema = record_schema(config)
    masks = [m for name, prop in schema["properties"].items() for m in _column_masks(_resolve(prop), table[name])]
    masks = [m for m in masks if pc.any(m).as_py()]
    if not masks:
        return []
    bad = masks[0]
    for m in masks[1:]:
        bad = pc.or_(bad, m)
    key = schema["x-key"][0]
    rows = [{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in r.items()}
            for r in table.filter(bad).to_pylist()]
    return [f"{config} row {r[key]}: {e}" for r in rows for e in row_errors(config, r) or ["(no row error: a check bug)"]]


def _resolve(prop: dict[str, Any]) -> dict[str, Any]:
    if "anyOf" in prop:  # {"anyOf": [<a type or label set>, {"type": "null"}]}: a nullable field
        base = _resolve(next(b for b in prop["anyOf"] if b.get("type") != "null"))
        t = base.get("type", "string")
        return {**base, **{k: v for k, v in prop.items() if k != "anyOf"}, "type": [t, "null"]}
    ref = prop.get("$ref")
    if ref and ref.startswith(L.LABELS_URI):
        return {**L.label_defs()[ref.rsplit("/", 1)[1]], **{k: v for k, v in prop.items() if k != "$ref"}}
    return prop


def _nullable(prop: dict[str, Any]) -> bool:
    t = prop.get("type")
    return (isinstance(t, list) and "null" in t) or None in prop.get("enum", ())


def arrow_type(prop: dict[str, Any]) -> pa.DataType:
    prop = _resolve(prop)
    if "x-arrow" in prop:
        return _ARROW_HINTS[prop["x-arrow"]]
    t = prop.get("type", "string")
    t = next(x for x in t if x != "null") if isinstance(t, list) else t
    if t == "array":
        return pa.list_(arrow_type(prop["items"]))
    if t == "object":
        return pa.struct([pa.field(n, arrow_type(p), nullable=_nullable(p)) for n, p in prop["properties"].items()])
    return _ARROW_TYPES[t]


def arrow_schema(config: str, metadata: dict[str, str] | None = None) -> pa.Schema:
    """The Parquet schema of a config, with field descriptions and sorted key-value metadata."""
    props = record_schema(config)["properties"]
    fields = [
        pa.field(name, arrow_type(p), nullable=_nullable(_resolve(p)), metadata={"description": p.get("description", "")})
        for name, p in props.items()
    ]
    return pa.schema(fields, metadata=dict(sorted((metadata or {}).items())))


def hf_feature(prop: dict[str, Any]) -> Any:
    """A field's type in the dataset card's ``dataset_info.features`` spelling."""
    resolved = _resolve(prop)
    if resolved.get("x-hf") == "class_label":
        return {"class_label": {"names": {str(i): n for i, n in enumerate(resolved["enum"])}}}
    typ = arrow_type(prop)
    if pa.types.is_list(typ):
        item = resolved["items"]
        inner = hf_feature(item)
        if isinstance(inner, str):
            return {"list": inner}
        return {"list": [{"name": n, **_named(p)} for n, p in item["properties"].items()]} if "properties" in item else {"list": inner}
    return _HF_DTYPES[typ]


def _named(prop: dict[str, Any]) -> dict[str, Any]:
    feat = hf_feature(prop)
    if isinstance(feat, dict) and "list" in feat:
        return feat
    return {"dtype": feat}


def hf_features(config: str) -> list[dict[str, Any]]:
    return [{"name": name, **_named(p)} for name, p in record_schema(config)["properties"].items()]


def key(config: str) -> list[str]:
    return list(record_schema(config)["x-key"])
