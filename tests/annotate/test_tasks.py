import pytest

from natostance.annotate.labelstudio import tasks as T
from natostance.errors import InputError


def test_sentence_tasks_keep_text_exactly_and_carry_ids_and_context(rows):
    tasks = T.sentence_tasks(rows["sentences"])
    assert [t["data"]["sentence_id"] for t in tasks] == sorted(r["sentence_id"] for r in rows["sentences"])
    articles = {a["article_id"]: a["text"] for a in rows["articles"]}
    for t in tasks:
        d = t["data"]
        assert articles[d["article_id"]][d["start"]:d["end"]] == d["sentence"]
    first, second, third = tasks[:3]
    assert first["data"]["context_before"] == ""
    assert second["data"]["context_before"] == first["data"]["sentence"]
    # the third sentence starts a new paragraph: a blank line separates it in the context
    assert second["data"]["context_after"] == third["data"]["sentence"]
    assert first["data"]["context_after"] == second["data"]["sentence"] + "\n\n" + third["data"]["sentence"]
    assert "  " in second["data"]["sentence"] and "🇷🇺" in first["data"]["sentence"]


def test_article_tasks_send_crlf_text_unchanged(rows):
    tasks = T.article_tasks(rows["articles"])
    assert tasks[0]["data"]["text"] == rows["articles"][0]["text"]
    assert "\r\n\r\n" in tasks[0]["data"]["text"]


def test_predictions_attach_as_choices_and_unknown_units_are_refused(rows):
    tasks = T.sentence_tasks(rows["sentences"])
    sid = tasks[0]["data"]["sentence_id"]
    n = T.attach_predictions("sentences", tasks, {sid: {"labels": {"nato": "favor"}, "model_version": "m1",
                                                        "score": 0.5}})
    assert n == 1
    pred = tasks[0]["predictions"][0]
    assert pred["model_version"] == "m1" and pred["result"][0]["value"] == {"choices": ["favor"]}
    with pytest.raises(InputError, match="not in the dataset.*'nope'"):
        T.attach_predictions("sentences", tasks, {"nope": {"labels": {}, "model_version": "m"}}, "p.jsonl")


def test_benchmark_submissions_are_read_as_pre_annotations(tmp_path):
    import json

    from natostance.annotate.labelstudio.push import load_predictions, prediction_kinds

    sub = tmp_path / "tfidf.jsonl"
    rows = [{"task": "sentence_stance", "unit_id": "s1", "target": "nato", "label": "against", "holder": "author"},
            {"task": "sentence_stance", "unit_id": "s1", "target": "russia", "label": "none"},
            {"task": "article_stance", "unit_id": "a1", "target": "nato", "label": "favor"},
            {"task": "claim_detection", "unit_id": "s1", "checkworthy": True, "score": 0.9}]
    sub.write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "tfidf.meta.json").write_text(json.dumps({"system": "tf-idf + logistic regression"}))
    assert prediction_kinds(sub) == {"sentences", "articles"}
    assert load_predictions(sub, "sentences") == {
        "s1": {"labels": {"nato": "against", "russia": "none"}, "model_version": "tf-idf + logistic regression"}}
    assert load_predictions(sub, "articles", model_version="v2") == {
        "a1": {"labels": {"nato": "favor"}, "model_version": "v2"}}
