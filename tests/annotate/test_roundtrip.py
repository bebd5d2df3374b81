"""The whole campaign against a real Label Studio: push, annotate as two users, pull, agree, adjudicate."""

import hashlib
import json

import krippendorff
import numpy as np
import pytest

from helpers import claim_result, stance_result
from natostance import labels as L
from natostance.annotate.adjudicate import adjudicate
from natostance.annotate.agreement import agreement
from natostance.annotate.labelstudio.pull import convert_file, pull
from natostance.annotate.labelstudio.push import project_title, push

pytestmark = pytest.mark.server


def _annotate_round(client, round_name, rows):
    """Post annotations as two different users through the API (completed_by)."""
    users = {email: client.create_user(email) for email in (f"ann1-{round_name}@example.com",
                                                            f"ann2-{round_name}@example.com")}
    (u1, u2) = users.values()
    sp = client.find_project(project_title(round_name, "sentences"))
    units = client.task_units(sp["id"], "sentence_id")
    for i, (sid, task_id) in enumerate(sorted(units.items())):
        one = {"nato": "favor", "russia": "against", "ukraine": "none"}
        two = dict(one, russia="against" if i % 2 else "neutral")
        client.create_annotation(task_id, stance_result("sentences", one, {"russia": "quoted"}), completed_by=u1)
        client.create_annotation(task_id, stance_result("sentences", two, {"russia": "quoted"}), completed_by=u2)
    ap = client.find_project(project_title(round_name, "articles"))
    texts = {a["article_id"]: a["text"] for a in rows["articles"]}
    for aid, task_id in sorted(client.task_units(ap["id"], "article_id").items()):
        text = texts[aid]
        needle = "Russia 🇷🇺 had massed 100,000 troops" if aid == "a-0001" else "The EU  welcomed the talks 👨🏻‍🚒"
        crlf = text[text.index("denied"):text.index("declined")] if aid == "a-0001" else "NATO expansion"
        res1 = stance_result("articles", {"nato": "neutral"}) + claim_result(text, needle, "quantity", "NATO", "r1") \
            + claim_result(text, crlf, "statement", None, "r2")
        res2 = stance_result("articles", {"nato": "neutral"}) + claim_result(text, needle, "quantity", "nato ", "q1")
        client.create_annotation(task_id, res1, completed_by=u1, lead_time=12.5)
        client.create_annotation(task_id, res2, completed_by=u2, lead_time=7.0)
    return users


def test_full_round_trip(client, rows, tmp_path):
    preds = tmp_path / "baseline.jsonl"
    sids = [r["sentence_id"] for r in rows["sentences"]]
    preds.write_text("".join(json.dumps({"sentence_id": s, "target": "nato", "label": "favor", "score": 0.8}) + "\n"
                             for s in sids[:3]))
    first = push(rows, round_name="rt", predictions=preds, overlap=2, batch_size=2, client=client)
    assert [(r.kind, r.imported, r.already, r.predictions) for r in first] == [
        ("sentences", 5, 0, 3), ("articles", 2, 0, 0)]
    sp = client.find_project(project_title("rt", "sentences"))
    assert sp["maximum_annotations"] == 2 and sp["model_version"] == "baseline"

    users = _annotate_round(client, "rt", rows)
    result = pull("rt", out=tmp_path / "annotation", client=client)
    # raw exports are kept byte for byte with their SHA-256
    for path in result.exports:
        digest = path.with_name(path.name + ".sha256").read_text().split()[0]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
        exported = json.loads(path.read_bytes())
        assert all("annotations" in t for t in exported)
    n_targets = len(L.labels("target"))
    assert len(result.stances) == (5 * 2 + 2 * 2) * n_targets
    assert {r.annotator for r in result.stances} == set(users)
    spans = {(s.annotator, s.unit_id, s.start): s for s in result.claims}
    texts = {a["article_id"]: a["text"] for a in rows["articles"]}
    for s in result.claims:
        assert texts[s.unit_id][s.start:s.end] == s.text
    crlf = [s for s in result.claims if "\r\n\r\n" in s.text]
    assert len(crlf) == 1 and crlf[0].speaker is None and crlf[0].claim_type == "statement"
    emoji = spans[("ann1-rt@example.com", "a-0001", texts["a-0001"].index("Russia"))]
    assert emoji.text == "Russia 🇷🇺 had massed 100,000 troops" and emoji.speaker == "NATO"
    assert any(r.lead_time == 12.5 for r in result.claims)
    # the saved export converts to the same records again
    again, _ = convert_file(result.exports[0], "sentences", client.users())
    assert again == [r for r in result.stances if r.kind == "sentences"]

    report = agreement(result.stances, result.claims, n_boot=100)
    items = sorted({(r.kind, r.unit_id, r.target) for r in result.stances if r.stance})
    anns = sorted(users)
    cats = {c: i for i, c in enumerate(L.labels("stance"))}
    data = np.full((2, len(items)), np.nan)
    for r in result.stances:
        if r.stance:
            data[anns.index(r.annotator), items.index((r.kind, r.unit_id, r.target))] = cats[r.stance]
    ref = krippendorff.alpha(data, level_of_measurement="nominal")
    assert report["alpha"]["overall"]["alpha"] == pytest.approx(ref, abs=1e-6)
    (span_pair,) = report["spans"]
    assert span_pair["exact_f1"] == pytest.approx(2 * 2 / (4 + 2)) and span_pair["speaker_agreement"] == 1.0

    out = adjudicate(result.stances, result.claims)
    ties = {e["unit"] for e in out.open}
    assert "sentences/a-0001-s0000/russia" in ties and "sentences/a-0001-s0001/russia" not in ties
    assert {(g["unit_id"], g["label"], g["holder"], g["article_id"], g["split"])
            for g in out.gold if g["target"] == "russia"} >= {("a-0001-s0001", "against", "quoted", "a-0001", "test")}
    # "NATO" and "nato " are one speaker, for gold as for agreement
    assert [(c["type"], c["speaker"], c["split"]) for c in out.claims] == [("quantity", "NATO", "test")] * 2
    assert result.progress["sentences"] | {"per_annotator": None} == {
        "units": 5, "annotations_per_unit": 2, "complete": 5, "open": 0, "started": 5, "cancelled": 0,
        "per_annotator": None}
    assert result.progress["sentences"]["per_annotator"] == {u: 5 for u in users}

    # a second push imports nothing and the server holds no duplicate
    second = push(rows, round_name="rt", client=client)
    assert [(r.imported, r.already) for r in second] == [(0, 5), (0, 2)]
    assert client.project(sp["id"])["task_number"] == 5
