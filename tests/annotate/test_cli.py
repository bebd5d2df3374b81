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
    args = ["annotate", "adjudicate", "--round", "r9", "--records", str(tmp_path / "records"),
            "--gold", str(tmp_path / "gold")]
    res = CliRunner().invoke(cli, args + ["--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert (out["gold_stance"], out["open"], out["open_by_field"]) == (2, 1, {"stance": 1})
    adj = tmp_path / "adjudication" / "r9.jsonl"  # the round's own file, next to records/
    assert json.loads(adj.read_text())["unit"] == "sentences/s2/nato"
    res = CliRunner().invoke(cli, args)
    assert res.output.splitlines()[1] == f"adjudication: 1 open (1 stance), 0 decisions used -> {adj}"
    assert "next: `natostance annotate show --round r9`" in res.output
    res = CliRunner().invoke(cli, ["annotate", "close", "--round", "r9", "--records", str(tmp_path / "records"),
                                   "--because", "gold built into dataset 9.0.0", "--annotators", "automated",
                                   "--guidelines", "9.1"])
    assert res.exit_code == 0, res.output
    manifest = json.loads((tmp_path / "records" / "r9" / "round.json").read_text())
    assert (manifest["closed"], manifest["annotators"], manifest["guidelines"]) == (True, "automated", "9.1")
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1 and res.output.startswith("error: round 'r9' is closed (") \
        and "gold built into dataset 9.0.0); adjudicate would rewrite its files: use a new --round name" in res.output


def test_the_shipped_round_r1_is_closed_and_every_round_verb_needs_a_round(repo):
    res = CliRunner().invoke(cli, ["annotate", "adjudicate", "--records", str(repo / "annotation" / "records"),
                                   "--round", "r1"])
    assert res.exit_code == 1 and "error: round 'r1' is closed" in res.output
    for verb in ("push", "pull", "agreement", "adjudicate", "submit-pass", "show", "close", "use-gold"):
        res = CliRunner().invoke(cli, ["annotate", verb] + ([".", "--annotator", "a@b.org"] if verb == "submit-pass" else []))
        assert res.exit_code == 2 and "Missing option '--round'" in res.output, (verb, res.output)


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


def test_use_gold_points_the_sources_at_a_round_and_the_build_takes_it(repo, tmp_path):
    import shutil

    raw, ann = tmp_path / "dataset" / "raw", tmp_path / "annotation"
    shutil.copytree(repo / "dataset" / "raw", raw)
    for part in ("gold", "records"):
        shutil.copytree(repo / "annotation" / part / "r1", ann / part / "r7")
    before = (raw / "sources.yaml").read_text()
    res = CliRunner().invoke(cli, ["annotate", "use-gold", "--round", "r7", "--raw", str(raw), "--annotation", str(ann)])
    assert res.exit_code == 0, res.output
    after = (raw / "sources.yaml").read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert [b for _, b in changed] == ["  gold: ../../annotation/gold/r7", "  records: [../../annotation/records/r7]"]
    assert [a.split(":")[0] for a, _ in changed] == ["  gold", "  records"]  # only the annotations entry moved
    assert f"next: natostance build {raw} --out {raw.parent}" in res.output
    res = CliRunner().invoke(cli, ["build", str(raw), "--out", str(raw.parent)])
    assert res.exit_code == 0, res.output
    assert "stance        1015" in res.output and "warning" not in res.output
    res = CliRunner().invoke(cli, ["annotate", "use-gold", "--round", "r6", "--raw", str(raw), "--annotation", str(ann)])
    assert res.exit_code == 1 and "no gold of round 'r6' (stance.jsonl): run `natostance annotate adjudicate" \
        in res.output


def test_score_on_a_dataset_without_gold_says_how_to_add_it(repo, tmp_path):
    import shutil

    raw = tmp_path / "ds" / "raw"
    shutil.copytree(repo / "dataset" / "raw", raw)
    assert CliRunner().invoke(cli, ["build", str(raw), "--out", str(raw.parent), "--no-annotations"]).exit_code == 0
    from natostance.evaluation.gold import load_gold
    from natostance.errors import InputError

    with pytest.raises(InputError, match=r"expected config 'stance' .*found none; a dataset gets its gold from an "
                                         r"annotation round: `natostance annotate use-gold --round <round>"):
        load_gold(raw.parent)


def test_show_prints_each_open_unit_with_its_context(rows, tmp_path, monkeypatch):
    from natostance.annotate.records import ClaimSpan

    fake = types.ModuleType("natostance.parquet_io")
    fake.read_config = lambda folder, config: rows[config]
    monkeypatch.setitem(sys.modules, "natostance.parquet_io", fake)
    s1 = next(s for s in rows["sentences"] if s["sentence_id"] == "a-0001-s0001")
    text = rows["articles"][0]["text"]
    start = text.index("Russia")
    end = text.index("troops") + len("troops.")
    recs = [StanceLabel("sentences", s1["sentence_id"], "russia", lab, "author", who, 0, 0, 0, "", "", None, False,
                        "a-0001", "test") for who, lab in (("x", "against"), ("y", "neutral"))]
    recs += [StanceLabel("articles", "a-0001", "nato", "neutral", None, who, 0, 0, 0, "", "", None, False, "a-0001",
                         "test") for who in ("x", "y")]
    spans = [ClaimSpan("articles", "a-0001", "c", start, end, text[start:end], "quantity", "NATO", "x", 0, 0, 0, "",
                       None, "a-0001", "test")]
    write_jsonl(tmp_path / "records" / "r9" / "stance.jsonl", recs)
    write_jsonl(tmp_path / "records" / "r9" / "claims.jsonl", spans)
    args = ["--round", "r9", "--records", str(tmp_path / "records")]
    assert CliRunner().invoke(cli, ["annotate", "adjudicate", *args, "--gold", str(tmp_path / "gold")]).exit_code == 0
    res = CliRunner().invoke(cli, ["annotate", "show", *args, "--dataset", "unused"])
    assert res.exit_code == 0, res.output
    out = res.output
    assert out.startswith("# Round r9: 2 open entries of ")
    assert f"## sentences/{s1['sentence_id']}/russia" in out and f"**>> {s1['text']}**" in out
    assert "NATO said on Monday" in out and "Washington declined to comment." in out  # the sentences around it
    assert "- x: against / author" in out and "- y: neutral / author" in out
    assert f"## articles/a-0001/span/{start}-{end - 1}" in out  # the gold offsets: without the full stop
    assert "⟦Russia 🇷🇺 had massed 100,000 troops⟧." in out and "- x: " in out and "speaker 'NATO'" in out


def test_a_build_whose_label_file_has_a_target_the_gold_lacks_warns_and_names_it(repo, tmp_path, monkeypatch):
    import copy
    import shutil

    from natostance import labels as L

    raw = tmp_path / "dataset" / "raw"
    shutil.copytree(repo / "dataset" / "raw", raw)
    shutil.copytree(repo / "annotation", tmp_path / "annotation", ignore=shutil.ignore_patterns("exports"))
    defs = copy.deepcopy(L.label_defs())
    defs["target"]["enum"].append("china")
    monkeypatch.setattr(L, "label_defs", lambda: defs)
    monkeypatch.setattr(L, "labels_version", lambda: "2")
    res = CliRunner().invoke(cli, ["build", str(raw), "--out", str(raw.parent)])
    assert res.exit_code == 0, res.output
    from natostance.builder.sourcesfile import load

    gold = (raw / load(raw).annotations["gold"]).resolve()
    assert "note: warning: target 'china' of schemas/labels.schema.json (labels version 2) has no gold label in " \
           f"{gold}" in res.output
