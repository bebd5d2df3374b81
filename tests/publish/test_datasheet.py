"""DATASHEET.md's counts and tables are generated from the dataset; stale text fails here."""

from __future__ import annotations

from pathlib import Path

from natostance.publish import datasheet

REPO = Path(__file__).resolve().parents[2]


def test_committed_datasheet_is_current():
    assert datasheet.stale(REPO / "DATASHEET.md", REPO / "dataset") == []


def test_a_changed_count_is_detected(tmp_path):
    sheet = tmp_path / "DATASHEET.md"
    sheet.write_text((REPO / "DATASHEET.md").read_text().replace("| sentences | 114 |", "| sentences | 115 |"))
    assert datasheet.stale(sheet, REPO / "dataset") == ["composition"]
    assert datasheet.update(sheet, REPO / "dataset") == ["composition"]
    assert datasheet.stale(sheet, REPO / "dataset") == []


def test_who_labelled_is_stated_from_the_rounds_and_never_as_people():
    """Each round's annotator kind comes from its round.json; nothing calls automated annotators human."""
    import json

    from natostance.annotate.rounds import KIND_WORDS

    rounds = sorted((REPO / "annotation" / "records").glob("*/round.json"))
    kinds = {p.parent.name: json.loads(p.read_text())["annotators"] for p in rounds}
    assert kinds and set(kinds.values()) == {"automated"}
    sheet = (REPO / "DATASHEET.md").read_text()
    card = (REPO / "dataset" / "README.md").read_text()
    croissant = json.loads((REPO / "dataset" / "croissant.json").read_text())
    for name in kinds:
        assert f"round {name}: " in sheet and f"round {name}: " in card
    assert sheet.count(KIND_WORDS["automated"]) >= len(kinds) and KIND_WORDS["automated"] in card
    for text in (sheet, card, json.dumps(croissant)):
        for claim in ("Manual Human Curation", "project's maintainers, each labelling", "maintainer session",
                      "labelled by the project's maintainers", "(human)"):
            assert claim not in text
    assert "Manual Human Curation" not in croissant["rai:dataCollectionType"]
    assert "not people" in croissant["rai:annotatorDemographics"]
    assert "language-model agents" in croissant["rai:dataAnnotationProtocol"]


def test_adjudication_entries_of_other_rounds_are_not_counted_as_the_gold_rounds(tmp_path):
    """An adjudication file may hold entries marked for another round (``round``); the datasheet counts the gold
    round's only."""
    import re
    import shutil

    from natostance.publish.datasheet_labels import labelling_block

    ann = tmp_path / "annotation"
    shutil.copytree(REPO / "annotation", ann)
    before = labelling_block(REPO / "dataset", ann)
    gold_round, n = re.search(r"Adjudication \(round (\w+)\): (\d+) entries", before).groups()
    path = ann / "adjudication" / f"{gold_round}.jsonl"
    other = '{"round": "r0", "unit": "sentences/x/nato", "decision": "against", "reason": "r0 only", "who": "a"}\n'
    path.write_text(path.read_text() + other)
    after = labelling_block(REPO / "dataset", ann)
    assert f"Adjudication (round {gold_round}): {n} entries" in after and int(n) > 0
