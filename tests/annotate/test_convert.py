import json

import pytest

from helpers import claim_result, exported_task, stance_result
from natostance import labels as L
from natostance.annotate.labelstudio.convert import convert, load_export
from natostance.annotate.labelstudio.tasks import article_tasks, sentence_tasks
from natostance.errors import InputError, ManyErrors


def _article_export(rows):
    data = article_tasks(rows["articles"])[0]["data"]
    text = data["text"]
    ann1 = stance_result("articles", {"nato": "favor", "russia": "against"}) + \
        claim_result(text, "Russia 🇷🇺 had massed 100,000 troops", "quantity", "NATO", "c1") + \
        claim_result(text, "mayor  called it “a bluff”, and  the Kremlin denied it.\r\n\r\nWashington",
                     "statement", " Kyiv’s  mayor ", "c2")
    return [exported_task(7, data, [(2, ann1), (3, [])], cancelled=(3,))], text


def test_spans_use_code_point_offsets_into_the_exact_text(rows):
    export, text = _article_export(rows)
    stances, spans = convert(export, "articles", users={2: "ann1@example.com"})
    by = {s.region_id: s for s in spans}
    assert by["c1"].text == "Russia 🇷🇺 had massed 100,000 troops"
    assert text[by["c1"].start:by["c1"].end] == by["c1"].text
    # CRLF, the blank line and the double spaces survive (value.text had them collapsed)
    assert "\r\n\r\n" in by["c2"].text and "  the Kremlin" in by["c2"].text
    assert (by["c1"].claim_type, by["c1"].speaker, by["c2"].speaker) == ("quantity", "NATO", "Kyiv’s  mayor")
    assert by["c1"].annotator == "ann1@example.com" and by["c1"].lead_time == 3.5


def test_one_stance_record_per_annotation_and_target_with_cancelled_kept(rows):
    export, _ = _article_export(rows)
    stances, _ = convert(export, "articles")
    assert len(stances) == 2 * len(L.labels("target"))
    got = {(s.annotator, s.target): (s.stance, s.cancelled) for s in stances}
    assert got[("2", "nato")] == ("favor", False)
    assert got[("2", "ukraine")] == (None, False)
    assert got[("3", "nato")] == (None, True)


def test_sentence_export_reads_holders(rows):
    data = sentence_tasks(rows["sentences"])[1]["data"]
    export = [exported_task(1, data, [(5, stance_result("sentences", {"russia": "against"}, {"russia": "quoted"}))])]
    stances, spans = convert(export, "sentences")
    rec = next(s for s in stances if s.target == "russia")
    assert (rec.unit_id, rec.stance, rec.holder) == (data["sentence_id"], "against", "quoted")
    assert spans == []


def test_unknown_labels_controls_and_bad_offsets_are_all_reported(rows):
    export, text = _article_export(rows)
    result = export[0]["annotations"][0]["result"]
    result.append({"id": "x", "from_name": "stance_nato", "to_name": "text", "type": "choices",
                   "value": {"choices": ["love"]}})
    result.append({"id": "y", "from_name": "stance_mars", "to_name": "text", "type": "choices",
                   "value": {"choices": ["favor"]}})
    result.append({"id": "z", "from_name": "claim", "to_name": "text", "type": "labels",
                   "value": {"start": 10, "end": len(text) + 3, "labels": ["event"]}})
    result.append({"id": "w", "from_name": "claim", "to_name": "text", "type": "labels",
                   "value": {"start": 0, "end": 4, "labels": ["rumour"]}})
    with pytest.raises(ManyErrors) as err:
        convert(export, "articles", where="r1/articles.json")
    msg = str(err.value)
    assert msg.startswith("r1/articles.json: 4 problem(s)")
    assert "task 7 (article_id 'a-0001'), annotation 700: stance_nato = 'love'; expected one of favor" in msg
    assert "unknown control 'stance_mars'" in msg
    assert f"claim span 10..{len(text) + 3} is outside the text (expected 0 <= start < end <= {len(text)})" in msg
    assert "claim label 'rumour'; expected one of event, quantity, statement, causal" in msg


def test_task_without_unit_id_and_broken_json_are_named():
    with pytest.raises(ManyErrors, match="task 3: no 'sentence_id' in its data"):
        convert([{"id": 3, "data": {"sentence": "x"}, "annotations": []}], "sentences")
    with pytest.raises(InputError, match="e.json: expected a Label Studio JSON export, found invalid JSON"):
        load_export(b"{not json", "e.json")
    with pytest.raises(InputError, match="expected a JSON list of tasks, found dict"):
        load_export(json.dumps({"a": 1}), "e.json")
