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
    out = adjudicate(stances, spans, round_name="r9")
    assert out.open
    for entry in out.open:
        _validator("adjudication").validate(entry)
    decided = {**out.open[0], "decision": "favor", "reason": "S5: the article backs the alliance", "who": "adj"}
    _validator("adjudication").validate(decided)


def test_the_shipped_adjudication_file_and_round_manifest_match_the_schema(repo):
    for line in (repo / "annotation" / "adjudication" / "r1.jsonl").read_text(encoding="utf-8").splitlines():
        _validator("adjudication").validate(json.loads(line))
    _validator("round").validate(json.loads((repo / "annotation" / "records" / "r1" / "round.json").read_text()))


def test_label_fields_point_at_the_label_file():
    raw = json.dumps(L.load_schema("annotation.schema.json"))
    for kind in ("target", "stance", "holder", "claim_type"):
        assert json.dumps(L.label_ref(kind)) in raw
    for value in L.labels("stance"):
        assert f'"{value}"' not in raw
