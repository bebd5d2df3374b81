"""``croissant.json``: Croissant 1.0 metadata of the built dataset, generated, never hand-written.

One FileSet and one RecordSet per config, fields from the same JSON Schemas as the Parquet files (types
from the Arrow types, descriptions from the schemas), the split from each file's name, one ``sc:Enumeration``
record set per label set a config uses (from ``labels.schema.json``), and the Responsible-AI ``rai:``
fields from ``datasheet_answers.yaml``, the source DATASHEET.md renders too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from natostance import labels as L
from natostance import records
from natostance.publish.answers import answers, citation
CROISSANT = "croissant.json"
_CR = ("citeAs column conformsTo data dataType equivalentProperty examples extract field fileProperty fileObject "
       "fileSet format includes isLiveDataset jsonPath key md5 parentField path recordSet references regex "
       "repeated replace samplingRate separator source subField transform").split()
CONTEXT: dict[str, Any] = {
    "@language": "en", "@vocab": "https://schema.org/", "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/", "dct": "http://purl.org/dc/terms/", "sc": "https://schema.org/",
    **{k: f"cr:{k}" for k in _CR}, "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "examples": {"@id": "cr:examples", "@type": "@json"},
}
_TYPES = [(pa.types.is_string, "sc:Text"), (pa.types.is_large_string, "sc:Text"), (pa.types.is_integer, "sc:Integer"),
          (pa.types.is_boolean, "sc:Boolean"), (pa.types.is_date32, "sc:Date"), (pa.types.is_floating, "sc:Float")]


def data_type(typ: pa.DataType) -> str:
    for test, name in _TYPES:
        if test(typ):
            return name
    raise ValueError(f"no Croissant dataType for Arrow type {typ}")


def label_set(prop: dict[str, Any]) -> str | None:
    """The label set a schema property draws from (``$ref`` into labels.schema.json), or None."""
    ref = prop.get("$ref") or (prop.get("items") or {}).get("$ref") or ""
    return ref.rsplit("/", 1)[1] if ref.startswith(L.LABELS_URI) else None


def _enumeration(kind: str) -> dict[str, Any]:
    rid = f"{kind}_labels"
    descs = L.descriptions(kind)
    return {
        "@type": "cr:RecordSet", "@id": rid, "name": rid, "dataType": "sc:Enumeration",
        "description": L.label_defs()[kind].get("description", ""), "key": {"@id": f"{rid}/name"},
        "field": [{"@type": "cr:Field", "@id": f"{rid}/{n}", "name": n, "dataType": t}
                  for n, t in (("index", "sc:Integer"), ("name", "sc:Text"), ("description", "sc:Text"))],
        "data": [{f"{rid}/index": i, f"{rid}/name": v, f"{rid}/description": descs[v]}
                 for i, v in enumerate(L.labels(kind))],
    }


def _field(config: str, name: str, prop: dict[str, Any], typ: pa.DataType, keys: dict[str, str]) -> dict[str, Any]:
    fid = f"{config}/{name}"
    repeated = pa.types.is_list(typ)
    inner = typ.value_type if repeated else typ
    source = {"fileSet": {"@id": f"{config}-parquet"}, "extract": {"column": name}}
    field: dict[str, Any] = {"@type": "cr:Field", "@id": fid, "name": name, "description": prop.get("description", "")}
    if pa.types.is_struct(inner):  # e.g. a list of spans: one subField per struct member, read by jsonPath
        members = records._resolve(prop.get("items", prop) if repeated else prop)["properties"]
        field["subField"] = [{"@type": "cr:Field", "@id": f"{fid}/{m.name}", "name": m.name,
                              "description": members[m.name].get("description", ""), "dataType": data_type(m.type),
                              "source": {**source, "transform": {"jsonPath": m.name}}} for m in inner]
    else:
        field.update({"dataType": data_type(inner), "source": source})
    if repeated:
        field["repeated"] = True
    kind = label_set(prop)
    if name == "split":
        field["source"] = {"fileSet": {"@id": f"{config}-parquet"}, "extract": {"fileProperty": "filename"},
                           # mlcroissant 1.1.1 applies the regex a second time to its own result: the
                           # suffix is optional so that the bare split name matches too (no warnings)
                           "transform": {"regex": "^(" + "|".join(L.labels("split")) + r")(?:-\d{5}-of-\d{5}\.parquet)?$"}}
        field["description"] += " Taken from the file name."
    if kind:
        by_index = L.label_defs()[kind].get("x-hf") == "class_label"
        field["references"] = {"field": {"@id": f"{kind}_labels/{'index' if by_index else 'name'}"}}
    elif name in keys and keys[name] != config:
        field["references"] = {"field": {"@id": f"{keys[name]}/{name}"}}
    return field


def document(dataset_version: str, configs: list[str], time_frame: tuple[str, str] | None = None,
             text_free: bool = False, date_published: str | None = None) -> dict[str, Any]:
    """The Croissant JSON-LD of a dataset with these configs (in order) and version."""
    a = answers()
    keys = {records.key(c)[0]: c for c in configs}
    record_sets, kinds = [], []
    for config in configs:
        schema, arrow = records.record_schema(config), records.arrow_schema(config)
        fields = [_field(config, n, p, arrow.field(n).type, keys) for n, p in schema["properties"].items()]
        kinds += [k for k in (label_set(p) for p in schema["properties"].values()) if k and k not in kinds]
        record_sets.append({"@type": "cr:RecordSet", "@id": config, "name": config,
                            "description": schema.get("description", ""),
                            "key": [{"@id": f"{config}/{k}"} for k in records.key(config)], "field": fields})
    rai = {f"rai:{k}": v for k, v in a["rai"].items()}
    if time_frame:
        rai["rai:dataCollectionTimeFrame"] = [f"{d}T00:00:00" for d in time_frame]
    description = a["description"]
    if text_free:
        description += (" This is a text-free build: article and sentence texts are null and raw files are left out;"
                        " `natostance rehydrate` restores them from the user's own copies.")
    return {
        "@context": CONTEXT, "@type": "sc:Dataset", "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": a["name"], "alternateName": a["title"], "description": description, "license": a["license"],
        "version": dataset_version, **({"datePublished": date_published} if date_published else {}), "keywords": a["keywords"], "citeAs": citation(dataset_version),
        "creator": {"@type": "sc:Organization", "name": a["creator"]},
        **rai,
        "distribution": [{"@type": "cr:FileSet", "@id": f"{c}-parquet", "name": f"{c}-parquet",
                          "description": f"Parquet files of the {c} config, one per split.",
                          "encodingFormat": "application/x-parquet", "includes": f"data/{c}/*.parquet"}
                         for c in configs],
        "recordSet": [*(_enumeration(k) for k in kinds), *record_sets],
    }


def write_croissant(path: Path, dataset_version: str, configs: list[str], time_frame: tuple[str, str] | None = None,
                    text_free: bool = False, date_published: str | None = None) -> None:
    doc = document(dataset_version, configs, time_frame, text_free, date_published)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
