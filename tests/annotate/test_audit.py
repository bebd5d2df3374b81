"""`annotate audit`: a blind pass over a sample compared with the gold stance labels, unit by unit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from natostance.annotate.audit import audit, to_markdown
from natostance.cli import cli
from natostance.errors import InputError, ManyErrors
from natostance.parquet_io import read_config

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "dataset"


def test_the_committed_audit_report_is_what_the_audit_gives():
    folder = REPO / "annotation" / "audit" / "a1"
    report = audit(folder, DATASET)
    report["folder"] = "annotation/audit/a1"  # the report names the folder as given on the command line
    assert (folder / "report.md").read_text() == to_markdown(report)
    assert json.loads((folder / "report.json").read_text()) == json.loads(json.dumps(report))


def _pass_from_gold(folder: Path, n: int, flip: str | None = None) -> list[dict]:
    """An audit pass that copies the gold of the first ``n`` sentences (one label changed to ``flip``)."""
    gold = [r for r in read_config(DATASET, "stance") if r["unit_type"] == "sentence"]
    ids = sorted({r["unit_id"] for r in gold})[:n]
    folder.mkdir()
    lines = []
    for sid in ids:
        labs = {r["target"]: {"stance": r["label"], "holder": r["holder"]} for r in gold if r["unit_id"] == sid}
        lines.append({"sentence_id": sid, "labels": labs})
    if flip:
        labs = lines[0]["labels"]["nato"]
        labs.update({"stance": flip, "holder": None if flip == "none" else "author"})
    (folder / "sentence_labels.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    (folder / "article_labels.jsonl").write_text("")
    (folder / "claims.jsonl").write_text("")
    return lines


def test_a_pass_equal_to_the_gold_agrees_fully_and_a_changed_label_is_listed(tmp_path):
    _pass_from_gold(tmp_path / "same", 4)
    same = audit(tmp_path / "same", DATASET)
    assert same["scopes"]["sentence"]["labels"] == 20 and same["scopes"]["sentence"]["agreement"] == 1.0
    assert same["disagreements"] == [] and "article" not in same["scopes"]
    lines = _pass_from_gold(tmp_path / "changed", 4, flip="favor")
    was = [r for r in read_config(DATASET, "stance") if r["unit_id"] == lines[0]["sentence_id"] and r["target"] == "nato"][0]
    if was["label"] == "favor":
        pytest.skip("the first sentence's gold is favor for nato")
    changed = audit(tmp_path / "changed", DATASET)
    assert changed["scopes"]["sentence"]["agreement"] == 19 / 20
    (d,) = changed["disagreements"]
    assert d["unit"] == f"sentences/{lines[0]['sentence_id']}/nato" and (d["gold"], d["audit"]) == (was["label"], "favor")
    assert sum(d["gold_votes"].values()) >= 2  # the gold round's raw labels of that unit
    out = CliRunner().invoke(cli, ["annotate", "audit", str(tmp_path / "changed"), "--dataset", str(DATASET)])
    assert out.exit_code == 0 and f"`sentences/{lines[0]['sentence_id']}/nato`" in out.output


def test_bad_audit_passes_are_refused_with_the_file_and_line(tmp_path):
    _pass_from_gold(tmp_path / "a", 2)
    with (tmp_path / "a" / "sentence_labels.jsonl").open("a") as fh:
        fh.write(json.dumps({"sentence_id": "nope-0000-00000000", "labels": {}}) + "\n")
    with pytest.raises(ManyErrors, match=r"sentence_labels\.jsonl:3 \(nope-0000-00000000\): unknown sentence_id"):
        audit(tmp_path / "a", DATASET)
    with pytest.raises(InputError, match=r"absent: no such folder \(expected an audit pass"):
        audit(tmp_path / "absent", DATASET)
