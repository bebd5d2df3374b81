import json

from natostance.annotate.adjudicate import adjudicate, run
from natostance.annotate.records import ClaimSpan, StanceLabel, write_jsonl


def _s(unit, target, stance, who, holder=None, cancelled=False):
    return StanceLabel("sentences", unit, target, stance, holder, who, 0, 0, 0, "", "", None, cancelled)


def _c(who, start, end, ctype="event", speaker=None):
    return ClaimSpan("articles", "a1", "r", start, end, "txt", ctype, speaker, who, 0, 0, 0, "", None)


def test_majority_wins_ties_and_thin_units_go_to_the_file():
    recs = [_s("s1", "nato", "favor", "x", "quoted"), _s("s1", "nato", "favor", "y", "quoted"),
            _s("s1", "nato", "against", "z", "author"),
            _s("s2", "nato", "favor", "x"), _s("s2", "nato", "against", "y"),
            _s("s3", "nato", "none", "x"), _s("s3", "nato", None, "y", cancelled=True)]
    gold, _, open_ = adjudicate(recs)
    assert gold == [{"unit_id": "s1", "unit_type": "sentence", "article_id": "", "split": "", "target": "nato",
                     "label": "favor", "holder": "quoted", "source": "majority", "annotators": 3,
                     "votes": {"against": 1, "favor": 2}}]
    assert [(e["unit"], e["reason"]) for e in open_] == [
        ("sentences/s2/nato", "tie: {'against': 1, 'favor': 1}"),
        ("sentences/s3/nato", "1 annotator(s), need 2")]
    assert all(e["decision"] is None and e["who"] is None for e in open_)


def test_a_decision_in_the_file_wins_and_files_are_rewritten_not_raw_records(tmp_path):
    recs = [_s("s2", "nato", "favor", "x"), _s("s2", "nato", "against", "y")]
    spans = [_c("x", 0, 5, speaker="NATO"), _c("y", 0, 5, speaker="NATO"), _c("x", 9, 12), _c("y", 20, 25)]
    write_jsonl(tmp_path / "stance.jsonl", recs)
    write_jsonl(tmp_path / "claims.jsonl", spans)
    raw_before = (tmp_path / "stance.jsonl").read_bytes()
    adj = tmp_path / "adjudication.jsonl"
    first = run(tmp_path / "stance.jsonl", tmp_path / "claims.jsonl", adj, tmp_path / "gold")
    assert (first["gold_stance"], first["gold_claims"], first["open"]) == (0, 1, 3)
    entries = [json.loads(line) for line in adj.read_text().splitlines()]
    assert [e["unit"] for e in entries] == ["sentences/s2/nato", "articles/a1/span/9-12", "articles/a1/span/20-25"]
    entries[0].update(decision="against", who="lead")
    entries[1].update(decision="quantity", who="lead")
    entries[2].update(decision="drop", who="lead")
    adj.write_text("".join(json.dumps(e) + "\n" for e in entries))
    second = run(tmp_path / "stance.jsonl", tmp_path / "claims.jsonl", adj, tmp_path / "gold")
    assert (second["gold_stance"], second["gold_claims"], second["open"], second["decided"]) == (1, 2, 0, 3)
    gold = [json.loads(x) for x in (tmp_path / "gold" / "stance.jsonl").read_text().splitlines()]
    assert gold[0]["label"] == "against" and gold[0]["source"] == "adjudicated"
    claims = [json.loads(x) for x in (tmp_path / "gold" / "claims.jsonl").read_text().splitlines()]
    assert [(c["start"], c["type"], c["source"]) for c in claims] == [(0, "event", "majority"),
                                                                             (9, "quantity", "adjudicated")]
    assert (tmp_path / "stance.jsonl").read_bytes() == raw_before


def test_a_decision_that_is_not_a_label_is_refused():
    import pytest

    from natostance.errors import InputError

    recs = [_s("s2", "nato", "favor", "x"), _s("s2", "nato", "against", "y")]
    with pytest.raises(InputError, match=r"'sentences/s2/nato': decision 'maybe'; expected one of favor, against"):
        adjudicate(recs, decisions=[{"unit": "sentences/s2/nato", "decision": "maybe", "who": "lead"}])
