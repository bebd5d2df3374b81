"""Span boundaries an adjudicator sets (``goldclaims.py``, "New boundaries"): a gold claim at offsets no
annotator marked, its text cut from the article, and every way such an entry can be wrong, each named by
the adjudication file's line."""

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from natostance.annotate.adjudicate import run
from natostance.annotate.records import ClaimSpan, StanceLabel, write_jsonl
from natostance.errors import InputError, ManyErrors
from natostance.evaluation.schemas import problems

ARTICLE = "NATO said Russia massed 100,000 troops. Moscow denied it. “We have no plans,” Peskov said."
FIRST = ARTICLE.index("Moscow")
CLAIM = (FIRST, FIRST + len("Moscow denied it"))
PLANS = (ARTICLE.index("We have"), ARTICLE.index("We have") + len("We have no plans"))
WHO = ("x", "y", "z")


def _c(who, start, end, ctype="statement", article="a1"):
    return ClaimSpan("articles", article, "r", start, end, ARTICLE[start:end], ctype, "author", who, 0, 0, 0, "", None,
                     article, "test")


def _records(folder):
    """Three annotators agree on the first and last claim; on "Moscow denied it" each marks other bounds."""
    write_jsonl(folder / "stance.jsonl", [StanceLabel("articles", a, "nato", "neutral", None, w, 0, 0, 0, "", "", None,
                                                      False, a, "test") for a in ("a1", "a2") for w in WHO])
    write_jsonl(folder / "claims.jsonl", [_c(w, 0, 38, "quantity") for w in WHO] + [_c(w, *PLANS) for w in WHO] + [
        _c("x", FIRST, FIRST + 13), _c("y", FIRST + 7, FIRST + 16), _c("z", FIRST, FIRST + 6)])


def _dataset(folder, text=ARTICLE):
    (folder / "data" / "articles").mkdir(parents=True)
    pq.write_table(pa.table({"article_id": ["a1", "a2"], "text": [text, "Another article."]}),
                   folder / "data" / "articles" / "test-00000-of-00001.parquet")


@pytest.fixture
def files(tmp_path):
    """Records, a dataset and the round's adjudication file with the three contested spans open (lines 1-3)."""
    _records(tmp_path / "records")
    _dataset(tmp_path / "dataset")
    adj = tmp_path / "r9.jsonl"
    first = _run(tmp_path)
    assert (first["gold_claims"], first["open"]) == (2, 3)
    return tmp_path, adj


def _run(tmp_path, dataset=True):
    return run(tmp_path / "records" / "stance.jsonl", tmp_path / "records" / "claims.jsonl", tmp_path / "r9.jsonl",
               tmp_path / "gold", dataset=tmp_path / "dataset" if dataset else None)


def _decide(adj, drop=WHO, extra=()):
    """Drop the open spans of ``drop``; append ``extra`` entries (unit, decision), decided, after them."""
    entries = [json.loads(line) for line in adj.read_text().splitlines()]
    for e in entries:
        who = next(iter(e["votes"]))
        if who in drop:
            e.update(decision="drop", reason=f"C4/C5: {e['text']!r} ({who}) cuts the claim", who="adj")
    entries += [{"unit": unit, "decision": decision, "reason": f"C4, C5, C10: {unit} is the claim as written",
                 "who": "adj"} for unit, decision in extra]
    adj.write_text("".join(json.dumps(e) + "\n" for e in entries))


def _new(start, end, ctype="statement", speaker="author", article="a1"):
    unit = f"articles/{article}/span/{start}-{end}"
    return [(unit, ctype)] + ([(f"{unit}/speaker", speaker)] if speaker else [])


def _refused(tmp_path, adj) -> str:
    before = adj.read_text()
    with pytest.raises(ManyErrors) as err:
        _run(tmp_path)
    assert adj.read_text() == before  # nothing written
    return str(err.value)


def test_new_boundaries_make_a_gold_claim_cut_from_the_article_text(files):
    tmp_path, adj = files
    _decide(adj, extra=_new(*CLAIM, speaker="  author ") + [(f"articles/a1/span/{FIRST}-{FIRST + 10}", "drop")])
    r = _run(tmp_path)
    assert (r["gold_claims"], r["open"], r["decided"]) == (3, 0, 5)
    # a drop for offsets no annotator marked decides nothing: reported as unused, as any stale decision
    assert r["unused_decisions"] == [f"articles/a1/span/{FIRST}-{FIRST + 10}"]
    claims = [json.loads(line) for line in (tmp_path / "gold" / "claims.jsonl").read_text().splitlines()]
    assert [(c["start"], c["end"]) for c in claims] == [(0, 38), CLAIM, PLANS]  # in article order
    new = claims[1]
    assert new == {"claim_id": f"a1-{CLAIM[0]}-{CLAIM[1]}", "article_id": "a1", "split": "test", "start": CLAIM[0],
                   "end": CLAIM[1], "speaker": "author", "type": "statement", "text": "Moscow denied it",
                   "source": "adjudicated", "adjudicated": ["span", "type", "speaker"], "annotators": 0}
    assert new["text"] == ARTICLE[CLAIM[0]:CLAIM[1]]
    assert problems("urn:natostance:schemas:annotation-gold#/$defs/claim", new) == []
    assert claims[0]["annotators"] == 3 and claims[0]["source"] == "majority"  # the rest as before


def test_new_boundaries_outside_the_article_are_refused(files):
    tmp_path, adj = files
    _decide(adj, extra=_new(FIRST, len(ARTICLE) + 5))
    msg = _refused(tmp_path, adj)
    assert f"{adj}:4 (articles/a1/span/{FIRST}-{len(ARTICLE) + 5}): offsets {FIRST}-{len(ARTICLE) + 5} lie outside " \
           f"article a1, whose text has {len(ARTICLE)} characters" in msg


def test_new_boundaries_need_start_before_end(files):
    tmp_path, adj = files
    _decide(adj, extra=_new(FIRST + 16, FIRST))
    msg = _refused(tmp_path, adj)
    assert f"{adj}:4 (articles/a1/span/{FIRST + 16}-{FIRST}): start {FIRST + 16} is not before end {FIRST}: a span " \
           "needs start < end" in msg


def test_new_boundaries_must_overlap_a_span_an_annotator_marked(files):
    tmp_path, adj = files
    peskov = (ARTICLE.index("Peskov"), ARTICLE.index("Peskov") + len("Peskov said"))
    _decide(adj, extra=_new(*peskov) + _new(0, 7, article="a2"))
    msg = _refused(tmp_path, adj)
    assert f"{adj}:4 (articles/a1/span/{peskov[0]}-{peskov[1]}): 'Peskov said' overlaps no span an annotator marked " \
           "in article a1: an adjudicator sets the boundaries of a claim the annotators marked, never adds a claim " \
           "none of them marked" in msg
    assert f"{adj}:6 (articles/a2/span/0-7): no annotator marked a span in article a2: an adjudicator sets new " \
           "boundaries only for a claim the annotators marked, never adds one" in msg


def test_new_boundaries_that_are_an_annotators_span_after_the_edge_rules_are_refused(files):
    tmp_path, adj = files
    # "Moscow denied " is x's "Moscow denied" (C6: no whitespace at an edge): that span has its own entry
    _decide(adj, extra=_new(FIRST, FIRST + 14) + _new(CLAIM[0], CLAIM[1] + 1))
    msg = _refused(tmp_path, adj)
    assert f"{adj}:4 (articles/a1/span/{FIRST}-{FIRST + 14}): after the edge rules (C6, C7) {FIRST}-{FIRST + 14} is " \
           f"{FIRST}-{FIRST + 13}, the span x marked: decide articles/a1/span/{FIRST}-{FIRST + 13} instead" in msg
    # "Moscow denied it." is no annotator's span, but gold offsets are the normalised ones
    assert f"{adj}:6 (articles/a1/span/{CLAIM[0]}-{CLAIM[1] + 1}): 'Moscow denied it.' breaks the edge rules (C6, " \
           f"C7): its boundaries are {CLAIM[0]}-{CLAIM[1]}" in msg


def test_new_boundaries_need_their_speaker_entry(files):
    tmp_path, adj = files
    _decide(adj, extra=_new(*CLAIM, speaker=None))
    msg = _refused(tmp_path, adj)
    assert f"{adj}:4 (articles/a1/span/{CLAIM[0]}-{CLAIM[1]}): new boundaries need their speaker decided too: add the " \
           f"entry 'articles/a1/span/{CLAIM[0]}-{CLAIM[1]}/speaker' (decision: the speaker as guidelines C10 writes " \
           "it), since no annotator marked this span" in msg


def test_new_boundaries_need_every_competing_span_decided(files):
    tmp_path, adj = files
    _decide(adj, drop=("x", "y"), extra=_new(*CLAIM))
    msg = _refused(tmp_path, adj)
    assert f"{adj}:4 (articles/a1/span/{CLAIM[0]}-{CLAIM[1]}): new boundaries close their claim, so every annotator " \
           "span competing with them needs its own decision ('drop', or a claim type to keep it too); undecided: " \
           f"articles/a1/span/{FIRST}-{FIRST + 6} (z)" in msg


def test_new_boundaries_need_a_claim_type_and_the_article_text(files):
    tmp_path, adj = files
    _decide(adj, extra=_new(*CLAIM, ctype="keep", speaker=" "))
    msg = _refused(tmp_path, adj)
    assert f"{adj}:4 (articles/a1/span/{CLAIM[0]}-{CLAIM[1]}): decision 'keep'; expected a claim type for new " \
           "boundaries (one of event, quantity, statement, causal)" in msg
    assert f"{adj}:5 (articles/a1/span/{CLAIM[0]}-{CLAIM[1]}/speaker): decision ' '; expected the speaker" in msg
    adj.write_text("".join(line + "\n" for line in adj.read_text().splitlines()[:3]))
    _decide(adj, extra=_new(*CLAIM))
    with pytest.raises(ManyErrors) as err:
        _run(tmp_path, dataset=False)
    assert f"{adj}:4 (articles/a1/span/{CLAIM[0]}-{CLAIM[1]}): new boundaries take their text from the article, and " \
           "no text of article a1 was given (the built dataset the round was pushed from: `--dataset`)" in str(err.value)
    shutil.rmtree(tmp_path / "dataset")
    with pytest.raises(InputError, match=r"dataset: expected the built dataset the round was pushed from: span "
                                         r"boundaries an adjudicator set take their text from its articles"):
        _run(tmp_path)
    _dataset(tmp_path / "dataset", text=ARTICLE.replace("NATO", "Nato"))
    with pytest.raises(ManyErrors, match=r"the article text given for a1 does not hold x's span 0-38 'NATO said"):
        _run(tmp_path)


def test_the_adjudicate_verb_sets_new_boundaries_on_the_committed_round(repo, tmp_path):
    """Round r2 as committed, with its kept span 3578-3641 replaced by new boundaries inside it."""
    from natostance.cli import cli

    records = tmp_path / "records" / "r2"
    records.mkdir(parents=True)
    for name in ("stance.jsonl", "claims.jsonl"):  # not round.json: r2 is closed
        shutil.copy(repo / "annotation" / "records" / "r2" / name, records / name)
    adj = tmp_path / "adjudication" / "r2.jsonl"
    adj.parent.mkdir()
    entries = [json.loads(line) for line in (repo / "annotation" / "adjudication" / "r2.jsonl").read_text().splitlines()]
    kept = "articles/03584204302898e4/span/3578-3641"
    assert [e["decision"] for e in entries if e["unit"] == kept] == ["statement"]
    entries = [e | {"decision": "drop"} if e["unit"] == kept else e for e in entries]
    entries += [{"round": "r2", "unit": unit, "decision": decision, "who": "adj", "reason": f"C8 for {unit}"}
                for unit, decision in (("articles/03584204302898e4/span/3605-3641", "statement"),
                                       ("articles/03584204302898e4/span/3605-3641/speaker", "author"))]
    adj.write_text("".join(json.dumps(e) + "\n" for e in entries))
    res = CliRunner().invoke(cli, ["annotate", "adjudicate", "--round", "r2", "--records", str(tmp_path / "records"),
                                   "--gold", str(tmp_path / "gold"), "--dataset", str(repo / "dataset"), "--json"])
    assert res.exit_code == 0, res.output
    assert (json.loads(res.output)["gold_claims"], json.loads(res.output)["open"]) == (165, 0)
    gold = [json.loads(line) for line in (tmp_path / "gold" / "r2" / "claims.jsonl").read_text().splitlines()]
    committed = [json.loads(line) for line in (repo / "annotation" / "gold" / "r2" / "claims.jsonl").read_text().splitlines()]
    new = next(c for c in gold if c["claim_id"] == "03584204302898e4-3605-3641")
    assert (new["text"], new["annotators"], new["adjudicated"]) == ("another well-known Russian obsession", 0,
                                                                    ["span", "type", "speaker"])
    assert [c for c in gold if c is not new] == [c for c in committed if c["claim_id"] != "03584204302898e4-3578-3641"]
    # the build takes it into the claims config: its text is the article's, n_annotators 0 fits the schema
    from natostance.builder.goldconfigs import AnnotationInputs, build_rows
    from natostance.parquet_io import read_config

    articles = read_config(repo / "dataset", "articles")
    rows = build_rows(AnnotationInputs(tmp_path / "gold" / "r2", []), {a["article_id"]: a["text"] for a in articles},
                      {a["article_id"]: a["split"] for a in articles},
                      {s["sentence_id"] for s in read_config(repo / "dataset", "sentences")})
    row = next(c for c in rows["claims"] if c["claim_id"] == "03584204302898e4-003605-003641")
    assert (row["n_annotators"], row["source"]) == (0, "adjudicated")
    assert problems("urn:natostance:schemas:claims", row) == []
