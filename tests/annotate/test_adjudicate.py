import json

import pytest

from natostance.annotate.adjudicate import adjudicate, run
from natostance.annotate.records import ClaimSpan, StanceLabel, write_jsonl
from natostance.errors import InputError, ManyErrors

ARTICLE = "NATO said Russia massed 100,000 troops. Moscow denied it. “We have no plans,” Peskov said."


def _s(unit, target, stance, who, holder=None, cancelled=False, kind="sentences"):
    return StanceLabel(kind, unit, target, stance, holder, who, 0, 0, 0, "", "", None, cancelled)


def _art(*who):
    """Each annotator's article-level label: it says they annotated the article (spans or not)."""
    return [_s("a1", "nato", "neutral", w, kind="articles") for w in who]


def _c(who, start, end, ctype="event", speaker="author"):
    return ClaimSpan("articles", "a1", "r", start, end, ARTICLE[start:end], ctype, speaker, who, 0, 0, 0, "", None)


def _decide(entry, decision, reason, who="adjudicator@example.org"):
    return {**entry, "decision": decision, "reason": reason, "who": who}


def test_a_majority_is_more_than_half_everything_else_is_open_or_waiting():
    recs = [_s("s1", "nato", "favor", "x", "quoted"), _s("s1", "nato", "favor", "y", "quoted"),
            _s("s1", "nato", "against", "z", "author"),
            _s("s2", "nato", "favor", "x", "author"), _s("s2", "nato", "against", "y", "author"),
            _s("s3", "nato", "favor", "x", "author"), _s("s3", "nato", "against", "y", "author"),
            _s("s3", "nato", "neutral", "z", "author"),
            _s("s4", "nato", "none", "x"), _s("s4", "nato", None, "y", cancelled=True)]
    out = adjudicate(recs, round_name="r9")
    assert out.gold == [{"unit_id": "s1", "unit_type": "sentence", "article_id": "", "split": "", "target": "nato",
                         "label": "favor", "holder": "quoted", "source": "majority", "adjudicated": [],
                         "annotators": 3, "votes": {"against": 1, "favor": 2}}]
    assert [(e["unit"], e["why_open"]) for e in out.open] == [
        ("sentences/s2/nato", "no majority among 2 annotators: {'against': 1, 'favor': 1}"),
        ("sentences/s3/nato", "no majority among 3 annotators: {'against': 1, 'favor': 1, 'neutral': 1}")]
    assert all(e["round"] == "r9" and e["decision"] is None and e["reason"] is None and e["who"] is None
               for e in out.open)
    assert out.waiting == ["sentences/s4/nato"]  # one label so far: more passes to come, not an adjudication


def test_holders_need_a_majority_of_the_unit_so_an_adjudicated_stance_opens_its_holder():
    recs = [_s("s1", "russia", "against", "x", "author"), _s("s1", "russia", "against", "y", "quoted"),
            _s("s2", "russia", "against", "x", "author"), _s("s2", "russia", "neutral", "y", "author")]
    out = adjudicate(recs)
    assert out.gold == []
    assert [e["unit"] for e in out.open] == ["sentences/s1/russia/holder", "sentences/s2/russia"]
    decided = [_decide(out.open[0], "author", "H3: 'Moscow' is named in narration, outside the quotation"),
               _decide(out.open[1], "against", "S4: 'threatens its neighbours' blames Russia in the author's voice")]
    out = adjudicate(recs, decisions=decided)
    assert [(g["unit_id"], g["label"], g["holder"], g["source"], g["adjudicated"]) for g in out.gold] == [
        ("s1", "against", "author", "adjudicated", ["holder"])]
    # one annotator's holder is not a majority of two: the adjudicated stance's holder is decided too
    assert [e["unit"] for e in out.open] == ["sentences/s2/russia/holder"]
    out = adjudicate(recs, decisions=decided + [_decide(out.open[0], "author", "H3: no reported speech in s2")])
    assert [(g["unit_id"], g["adjudicated"]) for g in out.gold] == [("s1", ["holder"]), ("s2", ["stance", "holder"])]
    assert out.open == []


def test_a_decision_that_is_not_a_label_is_refused():
    recs = [_s("s2", "nato", "favor", "x"), _s("s2", "nato", "against", "y")]
    with pytest.raises(InputError, match=r"'sentences/s2/nato': decision 'maybe'; expected a stance label \(one of "
                                         r"favor, against, neutral, none\)"):
        adjudicate(recs, decisions=[_decide({"unit": "sentences/s2/nato"}, "maybe", "r")])


def test_spans_match_after_the_v12_edge_rules_and_n_annotators_counts_those_matches():
    full = ARTICLE.index(".") + 1  # "NATO said Russia massed 100,000 troops."
    spans = [_c("x", 0, full - 1, "quantity", "author"), _c("y", 0, full, "quantity", "Author "),
             _c("z", 0, full, "quantity", "author")]
    out = adjudicate(_art("x", "y", "z"), spans)
    assert [(c["start"], c["end"], c["text"], c["annotators"], c["speaker"], c["source"], c["adjudicated"])
            for c in out.claims] == [(0, full - 1, ARTICLE[:full - 1], 3, "author", "majority", [])]
    assert out.open == []


def test_speaker_ties_and_type_ties_go_to_adjudication_never_to_null():
    end = ARTICLE.index(".")
    spans = [_c("x", 0, end, "quantity", "author"), _c("y", 0, end, "event", "Spiegel")]
    out = adjudicate(_art("x", "y"), spans)
    assert out.claims == []
    assert [(e["unit"], e["votes"]) for e in out.open] == [
        ("articles/a1/span/0-38/type", {"x": "quantity", "y": "event"}),
        ("articles/a1/span/0-38/speaker", {"x": "author", "y": "Spiegel"})]
    decided = [_decide(out.open[0], "quantity", "C11 rule 4: '100,000 troops' is a count that is checked"),
               _decide(out.open[1], "author", "C10: the sentence has no attribution of its own")]
    out = adjudicate(_art("x", "y"), spans, decided)
    assert [(c["type"], c["speaker"], c["adjudicated"], c["source"]) for c in out.claims] == [
        ("quantity", "author", ["type", "speaker"], "adjudicated")]
    # speakers are compared as agreement compares them: case, spacing and a leading "the" do not count
    same = [_c("x", 0, end, speaker="Organisers"), _c("y", 0, end, speaker="organisers ")]
    assert [c["speaker"] for c in adjudicate(_art("x", "y"), same).claims] == ["Organisers"]


def test_contested_spans_go_to_adjudication_and_minority_spans_yield_to_a_majority():
    first, second = ARTICLE.index("Moscow"), ARTICLE.index("Moscow") + len("Moscow denied it")
    # two of two annotators: a span only one marked is a tie (x also marked nothing else there)
    out = adjudicate(_art("x", "y"), [_c("x", first, second, "statement"), _c("y", 0, 10)])
    assert sorted(e["why_open"] for e in out.open) == ["span marked by 1 of 2 annotators"] * 2
    # three annotators, three different boundaries of one claim: nobody has a majority, all go to the file
    spans = [_c("x", first, second), _c("y", first, second - 3), _c("z", first + 7, second)]
    out = adjudicate(_art("x", "y", "z"), spans)
    assert [e["why_open"] for e in out.open] == ["3 of 3 annotators marked overlapping spans here, none by a "
                                                 "majority"] * 3
    assert all(len(e["spans"]) == 3 for e in out.open)
    # a majority span wins over a minority variant, which is dropped without an entry
    spans = [_c("x", first, second), _c("y", first, second), _c("z", first + 7, second)]
    out = adjudicate(_art("x", "y", "z"), spans)
    assert [(c["start"], c["end"], c["annotators"]) for c in out.claims] == [(first, second, 2)] and out.open == []
    # an annotator who marked no span in the article still counts: 1 of 2 is not a majority
    out = adjudicate(_art("x", "y"), [_c("x", first, second)])
    assert out.claims == [] and [e["unit"] for e in out.open] == [f"articles/a1/span/{first}-{second}"]


def test_a_kept_span_takes_its_type_from_the_decision_and_its_speaker_from_the_overlapping_votes():
    first = ARTICLE.index("Moscow")
    spans = [_c("x", first, first + 16, "statement"), _c("y", first, first + 13, "statement"),
             _c("z", first + 7, first + 16, "statement")]
    out = adjudicate(_art("x", "y", "z"), spans)
    keep = next(e for e in out.open if e["unit"].endswith(f"{first}-{first + 16}"))
    decided = [_decide(e, "drop", f"C4: the span {e['text']!r} does not start at the subject") for e in out.open
               if e is not keep] + [_decide(keep, "statement", "C2: 'denied' is not a plain assertion")]
    out = adjudicate(_art("x", "y", "z"), spans, decided)
    assert [(c["start"], c["speaker"], c["annotators"], c["adjudicated"]) for c in out.claims] == [
        (first, "author", 1, ["span", "type"])]


def _round_records(folder, who_a, who_b, label_b):
    write_jsonl(folder / "stance.jsonl", [_s("a1", "nato", "favor", who_a, kind="articles"),
                                          _s("a1", "nato", label_b, who_b, kind="articles")])


def test_two_rounds_adjudicated_without_touching_each_other(tmp_path):
    """Per-round files by default, and even one shared file: a round rewrites only its own open entries."""
    for rnd in ("r8", "r9"):
        _round_records(tmp_path / rnd, "x", "y", "against")
    shared = tmp_path / "shared.jsonl"
    first = run(tmp_path / "r8" / "stance.jsonl", None, shared, tmp_path / "gold" / "r8", round_name="r8")
    assert (first["open"], first["other_rounds_entries"]) == (1, 0)
    entries = [json.loads(line) for line in shared.read_text().splitlines()]
    entries[0] = _decide(entries[0], "favor", "S5: 'welcomed NATO's decision' supports the alliance")
    shared.write_text(json.dumps(entries[0]) + "\n")
    before = shared.read_text()
    second = run(tmp_path / "r9" / "stance.jsonl", None, shared, tmp_path / "gold" / "r9", round_name="r9")
    # r8's decision is not r9's: the same unit is open in r9, and r8's line is kept as it was
    assert (second["gold_stance"], second["open"], second["decided"], second["other_rounds_entries"]) == (0, 1, 0, 1)
    lines = shared.read_text().splitlines()
    assert lines[0] == before.strip() and json.loads(lines[1])["round"] == "r9"
    third = run(tmp_path / "r8" / "stance.jsonl", None, shared, tmp_path / "gold" / "r8", round_name="r8")
    assert (third["gold_stance"], third["open"], third["decided"]) == (1, 0, 1)
    assert shared.read_text().splitlines() == lines  # r9's open entry untouched by r8's run
    gold = json.loads((tmp_path / "gold" / "r8" / "stance.jsonl").read_text())
    assert (gold["label"], gold["adjudicated"]) == ("favor", ["stance"])
    assert not (tmp_path / "gold" / "r9" / "stance.jsonl").read_text()


def test_decisions_need_who_and_a_specific_reason(tmp_path):
    recs = [rec for i in range(5) for rec in (_s(f"s{i}", "nato", "favor", "x", "author"),
                                              _s(f"s{i}", "nato", "none", "y"))]
    write_jsonl(tmp_path / "stance.jsonl", recs)
    adj = tmp_path / "r9.jsonl"
    run(tmp_path / "stance.jsonl", None, adj, tmp_path / "gold")
    entries = [json.loads(line) for line in adj.read_text().splitlines()]
    entries = [_decide(e, "neutral", "Rule T3: the target is only a place.") for e in entries[:4]] + \
              [{**entries[4], "decision": "neutral", "who": ""}]
    adj.write_text("".join(json.dumps(e) + "\n" for e in entries))
    with pytest.raises(ManyErrors) as err:
        run(tmp_path / "stance.jsonl", None, adj, tmp_path / "gold")
    msg = str(err.value)
    assert f"{adj}:5 (sentences/s4/nato): a decision needs a 'who', found ''" in msg
    assert f"{adj}:5 (sentences/s4/nato): a decision needs a 'reason', found None" in msg
    assert "the reason 'Rule T3: the target is only a place.' is used for 4 units (at most 3)" in msg
