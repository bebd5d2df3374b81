"""JSON Schema validation for submission rows, metadata and gold rows.

Every file of ``schemas/`` is registered by its ``$id``, so ``{"$ref": "urn:natostance:schemas:labels#/$defs/stance"}``
resolves to the one label file. Errors are turned into one readable sentence each (field, expected, found).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from natostance.errors import ManyErrors
from natostance.guard import MAX_PER_KIND, escape, read_json_file, shown
from natostance.labels import schema_dir

SUBMISSION = "urn:natostance:schemas:submission"
META = "urn:natostance:schemas:submission-meta"
GOLD_STANCE = "urn:natostance:schemas:gold-stance"
GOLD_CLAIM = "urn:natostance:schemas:gold-claim"
SHAPE = "urn:natostance:schemas:shape"


@lru_cache(maxsize=None)
def registry() -> Registry:
    resources = []
    for path in sorted(schema_dir().glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "$id" in doc:
            resources.append((doc["$id"], Resource.from_contents(doc)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def validator(schema_id: str) -> Draft202012Validator:
    """The validator of a schema ``$id``, or of a ``$ref`` into one (``urn:…:annotation#/$defs/stance``)."""
    schema = {"$ref": schema_id} if "#" in schema_id else registry().contents(schema_id)
    return Draft202012Validator(schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _field(error) -> str:
    return ".".join(fields_text([p], 1) for p in error.absolute_path) or "row"


def fields_text(names, limit: int = 5) -> str:
    """Field names for a message: each cut to 40 characters and escaped, at most ``limit`` of them, then a count."""
    names = [str(n) for n in names]
    text = ", ".join(escape(n if len(n) <= 40 else n[:40] + "…") for n in names[:limit])
    return text + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


def describe(error) -> str:
    """One sentence for one jsonschema error: '<field>: expected <what>, found <value>' (values cut short)."""
    kind, want, found = error.validator, error.validator_value, shown(error.instance, style="json")
    at = f"{_field(error)}: " if error.absolute_path else ""
    if kind == "required":
        missing = [k for k in want if k not in error.instance]
        return f"{at}missing field(s) {', '.join(missing)}"
    if kind == "additionalProperties":
        extra = sorted(k for k in error.instance if k not in error.schema.get("properties", {}))
        return f"{at}unexpected field(s) {fields_text(extra)}"
    if kind == "enum":
        return f"{_field(error)}: expected one of {', '.join(map(str, want))}, found {found}"
    if kind == "anyOf":
        return f"{_field(error)}: expected {_anyof_text(error)}, found {found}"
    if kind == "type":
        kinds = want if isinstance(want, str) else " or ".join(want)
        return f"{_field(error)}: expected {kinds}, found {found}"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        op = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[kind]
        return f"{_field(error)}: expected {op} {want}, found {found}"
    if kind == "pattern":
        return f"{_field(error)}: expected {error.schema.get('description') or 'text matching ' + want}, found {found}"
    if kind == "format":
        return f"{_field(error)}: expected a {want} (YYYY-MM-DD), found {found}"
    return f"{_field(error)}: expected {kind} {shown(want, style='json')}, found {found}"


def _anyof_text(error) -> str:
    parts = []
    for sub in error.context or ():
        if sub.validator == "enum":
            parts.append("one of " + ", ".join(map(str, sub.validator_value)))
        elif sub.validator == "type":
            parts.append(str(sub.validator_value))
        elif sub.validator == "format":
            parts.append(f"a {sub.validator_value} (YYYY-MM-DD)")
    return " or ".join(dict.fromkeys(parts)) or "a valid value"


def _allowed_fields(schema: dict, instance: dict) -> set[str]:
    """Top-level properties plus those of every ``if``/``then`` branch whose ``if`` matches."""
    allowed = set(schema.get("properties", {}))
    for branch in schema.get("allOf", ()):
        if "if" in branch and Draft202012Validator(branch["if"]).is_valid(instance):
            allowed |= set(branch.get("then", {}).get("properties", {}))
    return allowed


def fast_validator(schema_id: str):
    """The compiled Rust validator (``jsonschema_rs``, shared with the builder: ``records.ref_validator``) for
    the common case, a valid row; the pure-Python one only runs on rows that fail, to word their errors."""
    from natostance.records import ref_validator

    return ref_validator(schema_id)



def problems(schema_id: str, instance: Any) -> list[str]:
    """Every schema problem of one instance, as readable sentences (empty when valid).

    ``unevaluatedProperties`` is reported by us, not by jsonschema: when a branch fails, jsonschema
    forgets that branch's fields and would call every one of them unexpected.
    """
    if fast_validator(schema_id).is_valid(instance):
        return []
    v = validator(schema_id)
    errors = [e for e in v.iter_errors(instance) if e.validator != "unevaluatedProperties"]
    out = [describe(e) for e in sorted(errors, key=lambda e: (list(e.absolute_path), e.validator))]
    if isinstance(instance, dict) and v.schema.get("unevaluatedProperties") is False:
        extra = sorted(set(instance) - _allowed_fields(v.schema, instance))
        if extra:
            out.append(f"unexpected field(s) {fields_text(extra)}")
    return list(dict.fromkeys(out))  # one 'required' error per missing field would repeat the same sentence


def raise_problems(where: Any, found: list[str]) -> None:
    """``ManyErrors`` for the ``problems`` of one document, each line naming ``where`` (the first
    ``guard.MAX_PER_KIND`` listed, all counted); nothing when there are none."""
    if found:
        raise ManyErrors([f"{where}: {p}" for p in found[:MAX_PER_KIND]], f"{where}: {len(found)} problem(s)")


def read_checked(path, what: str, schema_id: str) -> Any:
    """A whole JSON file (``guard.read_json_file``, any size) that must be valid against ``schema_id``."""
    doc = read_json_file(path, what, max_bytes=None)
    raise_problems(path, problems(schema_id, doc))
    return doc
