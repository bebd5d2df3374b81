"""The ``natostance annotate`` verbs: thin shells that print, with --json where it helps."""

import json
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from natostance.annotate.records import StanceLabel, write_jsonl
from natostance.cli import cli

COMMITTED = Path(__file__).resolve().parents[2] / "annotation" / "config"


def test_config_check_passes_on_the_committed_files_and_names_a_stale_one(tmp_path):
    assert CliRunner().invoke(cli, ["annotate", "config", "--check", "--out", str(COMMITTED)]).exit_code == 0
    res = CliRunner().invoke(cli, ["annotate", "config", "--out", str(tmp_path)])
    assert res.exit_code == 0 and "sentences.xml" in res.output
    (tmp_path / "sentences.xml").write_text("<View/>")
    res = CliRunner().invoke(cli, ["annotate", "config", "--check", "--out", str(tmp_path)])
    assert res.exit_code == 1 and res.output.startswith("error: labeling config out of date") \
        and "sentences.xml" in res.output


def test_agreement_and_adjudicate_verbs_on_pulled_records(tmp_path):
    recs = [StanceLabel("sentences", f"s{u}", "nato", lab, None if lab == "none" else "author", who, 0, 0, 0, "", "", None, False)
            for u, labs in enumerate([("favor", "favor"), ("against", "against"), ("favor", "none")])
            for who, lab in zip(("x", "y"), labs)]
    write_jsonl(tmp_path / "records" / "r9" / "stance.jsonl", recs)
    res = CliRunner().invoke(cli, ["annotate", "agreement", "--round", "r9", "--records", str(tmp_path / "records"),
                                   "--out", str(tmp_path / "agr" / "r9"), "--bootstrap", "50"])
    assert res.exit_code == 0, res.output
    assert "| sentences/nato |" in res.output and (tmp_path / "agr" / "r9.md").is_file()
    assert json.loads((tmp_path / "agr" / "r9.json").read_text())["kappa"][0]["items"] == 3
    res = CliRunner().invoke(cli, ["annotate", "adjudicate", "--round", "r9", "--records", str(tmp_path / "records"),
                                   "--file", str(tmp_path / "adj.jsonl"), "--gold", str(tmp_path / "gold"), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert (out["gold_stance"], out["open"]) == (2, 1)
    assert json.loads((tmp_path / "adj.jsonl").read_text())["unit"] == "sentences/s2/nato"


@pytest.mark.server
def test_push_and_pull_verbs_against_the_server(client, rows, tmp_path, monkeypatch):
    fake = types.ModuleType("natostance.parquet_io")
    fake.read_config = lambda folder, config: rows[config]  # the builder's reader, stood in for
    monkeypatch.setitem(sys.modules, "natostance.parquet_io", fake)
    res = CliRunner().invoke(cli, ["annotate", "push", str(tmp_path), "--round", "cli", "--json"])
    assert res.exit_code == 0, res.output
    assert [(r["kind"], r["imported"]) for r in json.loads(res.output)] == [("sentences", 5), ("articles", 2)]
    res = CliRunner().invoke(cli, ["annotate", "push", str(tmp_path), "--round", "cli"])
    assert "sentences: project" in res.output and "0 imported, 5 already there" in res.output
    res = CliRunner().invoke(cli, ["annotate", "pull", "--round", "cli", "--out", str(tmp_path / "ann")])
    assert res.exit_code == 0, res.output
    assert "0 stance records" in res.output and len(list((tmp_path / "ann" / "exports" / "cli").glob("*.sha256"))) == 2


def test_missing_records_and_predictions_for_another_kind_are_one_line_errors(tmp_path, rows):
    res = CliRunner().invoke(cli, ["annotate", "agreement", "--round", "zz", "--records", str(tmp_path)])
    assert res.exit_code == 1
    assert res.output == f"error: {tmp_path / 'zz' / 'stance.jsonl'}: no such file (records are written by " \
                         "`natostance annotate pull`)\n"
    from natostance.annotate.labelstudio.push import push
    from natostance.errors import InputError

    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps({"article_id": "a-0001", "target": "nato", "label": "favor"}) + "\n")
    with pytest.raises(InputError, match=r"p.jsonl: predicts articles, which this push does not include \(kinds: sentences\)"):
        push(rows, kinds=["sentences"], predictions=preds)
