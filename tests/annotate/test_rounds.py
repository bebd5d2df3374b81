"""Rounds against a real server: passes and pulls in parts are counted, rounds never overwrite each other."""

import json
import sys
import types

import pytest
from click.testing import CliRunner

from helpers import write_pass
from natostance.annotate.labelstudio.pull import pull
from natostance.annotate.labelstudio.push import push
from natostance.cli import cli
from natostance.errors import NatoStanceError

pytestmark = pytest.mark.server


@pytest.fixture
def dataset_rows(rows, monkeypatch):
    fake = types.ModuleType("natostance.parquet_io")
    fake.read_config = lambda folder, config: rows[config]  # the builder's reader, stood in for
    monkeypatch.setitem(sys.modules, "natostance.parquet_io", fake)
    return rows


def _submit(folder, who, rnd, *extra):
    res = CliRunner().invoke(cli, ["annotate", "submit-pass", str(folder), "--annotator", who, "--round", rnd,
                                   "--dataset", "unused", *extra])
    return res


def test_a_pass_in_parts_and_pulls_in_between_count_what_is_still_open(client, dataset_rows, tmp_path):
    rows = dataset_rows
    push(rows, round_name="parts", overlap=2, client=client)
    sents, arts = rows["sentences"], rows["articles"]
    claim = {"sentence_id": sents[0]["sentence_id"], "text": "Russia 🇷🇺 had massed 100,000 troops",
             "type": "quantity", "speaker": "NATO"}
    write_pass(tmp_path / "p1a", sents[:2], arts[:1], claims=[claim])
    res = _submit(tmp_path / "p1a", "one@example.org", "parts")
    assert res.exit_code == 1 and "sentence(s) not labelled" in res.output and "submit-pass --partial" in res.output
    res = _submit(tmp_path / "p1a", "one@example.org", "parts", "--partial")
    assert res.exit_code == 0, res.output
    assert res.output.strip().endswith("posted 2 sentence and 1 article annotations (1 claim spans); already there: "
                                       "0 sentences, 0 articles; still open for this annotator: 3 sentences, 1 articles")
    out = tmp_path / "annotation"
    first = pull("parts", out=out, client=client)
    assert (first.progress["sentences"]["complete"], first.progress["sentences"]["started"],
            first.progress["sentences"]["open"]) == (0, 2, 5)
    write_pass(tmp_path / "p1b", sents, arts)  # the rest, with the first part again: that is skipped
    res = _submit(tmp_path / "p1b", "one@example.org", "parts", "--json")
    assert json.loads(res.output)["posted"] == {"sentences": 3, "articles": 1}
    assert json.loads(res.output)["already"] == {"sentences": 2, "articles": 1}
    write_pass(tmp_path / "p2", sents[:3], arts, stance="favor")
    assert _submit(tmp_path / "p2", "two@example.org", "parts", "--partial").exit_code == 0
    res = CliRunner().invoke(cli, ["annotate", "pull", "--round", "parts", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "sentences: 3 of 5 units have their 2 annotation(s), 2 still open (5 started)" in res.output
    assert "  two@example.org: 3 of 5" in res.output
    manifest = json.loads((out / "records" / "parts" / "round.json").read_text())
    assert manifest["status"]["articles"]["complete"] == 2 and manifest["closed"] is False
    # the two sentences only one annotator has labelled wait; the three both labelled disagree: adjudication
    res = CliRunner().invoke(cli, ["annotate", "adjudicate", "--round", "parts", "--records", str(out / "records"),
                                   "--gold", str(out / "gold"), "--json"])
    r = json.loads(res.output)
    assert r["waiting"] == 2 * 5 and r["open_by_field"]["stance"] == 3 * 5 + 2 * 5


def test_a_pull_never_overwrites_a_round_from_other_projects(client, rows, tmp_path):
    out = tmp_path / "annotation"
    push(rows, round_name="mine", kinds=["articles"], client=client)
    pull("mine", kinds=["articles"], out=out, client=client)
    # the same round name on another server (here: the project made again) is another campaign
    project = client.find_project("natostance mine articles")
    client._raw("DELETE", f"api/projects/{project['id']}/", "deleting a project")
    push(rows, round_name="mine", kinds=["articles"], client=client)
    before = (out / "records" / "mine" / "round.json").read_text()
    with pytest.raises(NatoStanceError, match=r"holds round 'mine' pulled from other projects \(articles: project "
                                              r"\d+ 'natostance mine articles' created .*; pull into a new --round, "
                                              r"or pass --replace"):
        pull("mine", kinds=["articles"], out=out, client=client)
    assert (out / "records" / "mine" / "round.json").read_text() == before
    assert len(list((out / "exports" / "mine").glob("*.json"))) == 1  # nothing exported for the refused pull
    pull("mine", kinds=["articles"], out=out, client=client, replace=True)
    # records of the same name that no pull wrote (a copy of a shipped round) are not overwritten either
    legacy = tmp_path / "legacy"
    (legacy / "records" / "mine").mkdir(parents=True)
    (legacy / "records" / "mine" / "stance.jsonl").write_text("")
    with pytest.raises(NatoStanceError, match=r"already holds records of a round 'mine' that no pull of this campaign "
                                              r"wrote \(no round.json\)"):
        pull("mine", kinds=["articles"], out=legacy, client=client)
