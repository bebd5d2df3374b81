import pytest

from natostance.annotate import tasks as T
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
