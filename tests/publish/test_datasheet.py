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
