import json

import jsonschema
from referencing import Registry, Resource

from helpers import claim_result, exported_task, stance_result
from natostance import labels as L
from natostance.annotate.adjudicate import adjudicate
from natostance.annotate.labelstudio.convert import convert
from natostance.annotate.records import to_json
from natostance.annotate.labelstudio.tasks import article_tasks


def _validator(defn: str | None = None):
    schema = L.load_schema("annotation.schema.json")
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in (L.load_schema(L.LABELS_FILE), schema))
    target = schema if defn is None else {"$ref": f"{schema['$id']}#/$defs/{defn}"}
    return jsonschema.Draft202012Validator(target, registry=registry)


def test_converted_records_and_adjudication_entries_match_the_schema(rows):
    data = article_tasks(rows["articles"])[0]["data"]
    text = data["text"]
    export = [exported_task(1, data, [(2, stance_result("articles", {"nato": "favor"})
                                       + claim_result(text, "had massed", "quantity", "NATO", "c")),
                                      (3, stance_result("articles", {"nato": "against"}))])]
    stances, spans = convert(export, "articles")
    v = _validator()
    for rec in [*stances, *spans]:
        v.validate(json.loads(json.dumps(to_json(rec))))
    bad = to_json(stances[0]) | {"stance": "love"}
    assert not v.is_valid(bad)
    _, _, open_ = adjudicate(stances, spans)
    assert open_
    for entry in open_:
        _validator("adjudication").validate(entry)


def test_label_fields_point_at_the_label_file():
    raw = json.dumps(L.load_schema("annotation.schema.json"))
    for kind in ("target", "stance", "holder", "claim_type"):
        assert json.dumps(L.label_ref(kind)) in raw
    for value in L.labels("stance"):
        assert f'"{value}"' not in raw
