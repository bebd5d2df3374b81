"""``release`` and ``diff`` on two real versions of this dataset: the seeds, then a second build with one raw
file changed (``--allow-changed``), one file added and the split rule moved; both run in a temporary git
repository, never in this one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataset_copies import plain_dataset
from natostance.publish import datasheet
from natostance.builder.pipeline import BuildOptions, build
from natostance.publish.diff import diff
from natostance.parquet_io import read_config
from natostance.publish.release import ReleaseError, release
from natostance.publish.validation import validate


DATASET = Path(__file__).resolve().parents[2] / "dataset"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout

EDITED, ADDED = "003_904e05130b9879e8.txt", "005_added.txt"


def second_version(dataset: Path) -> None:
    """One raw file changed, one added, and the validation split moved earlier (001 moves to validation)."""
    raw = dataset / "raw"
    (raw / EDITED).write_bytes((raw / EDITED).read_bytes().replace(b"Western diplomats suggest", b"Diplomats suggest", 1))
    (raw / ADDED).write_bytes((raw / "000_684b66d563c1cb65.txt").read_bytes().replace(b"NATO Panics", b"NATO Worries", 1))
    sources = raw / "sources.yaml"
    sources.write_text(sources.read_text().replace("validation_from: 2022-02-01", "validation_from: 2022-01-01"))
    build(raw, dataset, BuildOptions(allow_changed=True))


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "natostance", *args], capture_output=True, text=True)


def test_release_bumps_rebuilds_and_documents(temp_repo):
    second_version(temp_repo / "dataset")
    result = release(temp_repo, "0.2.0", tag=False, day="2026-11-24")
    assert result == {"from": "0.1.0", "to": "0.2.0", "kind": "minor", "date": "2026-11-24", "tag": ""}
    version_file = (temp_repo / "src/natostance/_version.py").read_text()
    assert 'DATASET_VERSION = "0.2.0"\nDATASET_DATE = "2026-11-24"\n' in version_file
    ds = temp_repo / "dataset"
    validate(ds)
    manifest = json.loads((ds / "manifest.json").read_text())
    assert manifest["dataset_version"] == "0.2.0" and manifest["rows"]["articles"] == {"train": 2, "validation": 2, "test": 2}
    assert manifest["dataset_date"] == "2026-11-24"
    doc = json.loads((ds / "croissant.json").read_text())
    assert (doc["version"], doc["datePublished"]) == ("0.2.0", "2026-11-24")
    mlcroissant = Path(sys.executable).with_name("mlcroissant")
    proc = subprocess.run([str(mlcroissant), "validate", "--jsonld", str(ds / "croissant.json")], capture_output=True, text=True)
    assert proc.returncode == 0 and "warning" not in proc.stderr.lower(), proc.stderr[-2000:]
    assert "version: 0.2.0" in (ds / "README.md").read_text()
    meta = pq.read_schema(ds / "data/sentences/train-00000-of-00001.parquet").metadata
    assert meta[b"dataset_version"] == b"0.2.0"
    changelog = (temp_repo / "CHANGELOG.md").read_text()
    unreleased, rest = changelog.split("## Unreleased\n", 1)[1].split("## [0.2.0] — 2026-11-24\n", 1)
    assert unreleased.strip() == "" and "### Dataset\n" in rest
    assert datasheet.stale(temp_repo / "DATASHEET.md", ds) == []
    assert "Dataset version 0.2.0" in (temp_repo / "DATASHEET.md").read_text()
    with pytest.raises(ReleaseError, match="nothing under '## Unreleased'"):
        release(temp_repo, "0.2.1", tag=False)


@pytest.mark.parametrize("version", ["0.1.0", "0.0.9", "0.3.0", "0.2.1", "2.0.0", "1.0", "v0.2.0"])
def test_release_refuses_a_version_that_does_not_move_forward(temp_repo, version):
    before = (temp_repo / "src/natostance/_version.py").read_text()
    proc = cli("release", version, "--repo", str(temp_repo), "--no-tag")
    assert proc.returncode == 1 and proc.stderr.startswith("error: ")
    assert "does not move forward by semver from 0.1.0" in proc.stderr or "not a semantic version" in proc.stderr
    assert (temp_repo / "src/natostance/_version.py").read_text() == before


def test_release_commits_and_tags_then_diff_between_git_revisions(temp_repo):
    git(temp_repo, "tag", "v0.1.0")
    second_version(temp_repo / "dataset")
    changelog = temp_repo / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("## Unreleased\n", "## Unreleased\n\n- Test: second version.\n", 1))
    proc = cli("release", "1.0.0", "--repo", str(temp_repo))
    assert proc.returncode == 1 and "uncommitted changes" in proc.stderr
    git(temp_repo, "add", "-A")
    git(temp_repo, "commit", "-q", "-m", "second version")
    proc = cli("release", "0.2.0", "--repo", str(temp_repo), "--date", "2026-11-24")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: 0.2.0 is a minor release, but since v0.1.0 the dataset needs a major one "
                                  "(articles: 1 row(s) changed split (first ")
    assert proc.stderr.rstrip().endswith("release 1.0.0")
    proc = cli("release", "1.0.0", "--repo", str(temp_repo), "--date", "2026-11-24")
    assert proc.returncode == 0, proc.stderr
    assert "released dataset 1.0.0 (major step from 0.1.0, 2026-11-24); tagged v1.0.0" in proc.stdout
    assert git(temp_repo, "status", "--porcelain") == ""
    assert git(temp_repo, "rev-parse", "v1.0.0^{commit}") == git(temp_repo, "rev-parse", "HEAD")

    proc = cli("diff", "v0.1.0", "v1.0.0", "--repo", str(temp_repo), "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert (d["old_version"], d["new_version"]) == ("0.1.0", "1.0.0")
    arts = d["configs"]["articles"]
    old_ids = {a["source_file"]: a["article_id"] for a in read_config(DATASET, "articles")}
    new_ids = {a["source_file"]: a["article_id"] for a in read_config(temp_repo / "dataset", "articles")}
    assert arts["removed"] == [old_ids[EDITED]]
    assert sorted(arts["added"]) == sorted([new_ids[EDITED], new_ids[ADDED]])
    moved = old_ids["001_0122699b92674fcc.txt"]
    assert arts["changed"] == {moved: ["split"]}
    assert arts["labels_changed"] == [{"id": moved, "field": "split", "old": "train", "new": "validation"}]
    sents = d["configs"]["sentences"]
    assert len(sents["removed"]) == 18 and all(s.startswith(old_ids[EDITED]) for s in sents["removed"])
    assert len(sents["labels_changed"]) == 79 and all(c == ["split"] for c in sents["changed"].values())
    assert d["annotated_units"] == []
    proc = cli("release", "1.0.0", "--repo", str(temp_repo), "--no-tag")
    assert proc.returncode == 1 and "does not move forward by semver from 1.0.0" in proc.stderr


def _stance(dataset: Path, rows: list[dict]) -> None:
    """A label-bearing config of another shape than the real ones (unit id, sentence id, label)."""
    (dataset / "data/verdicts").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), dataset / "data/verdicts/train-00000-of-00001.parquet")


def test_a_change_to_an_annotated_unit_is_never_silent(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    plain_dataset(old)
    plain_dataset(new)
    second_version(new)
    sentences = read_config(DATASET, "sentences")
    gone = next(s["sentence_id"] for s in sentences if s["article_id"] == "a0e12812f7e99efb")
    kept = next(s["sentence_id"] for s in sentences if s["article_id"] == "806dfe4ac486c77e")
    _stance(old, [{"unit_id": "u1", "sentence_id": gone, "label": "against"},
                  {"unit_id": "u2", "sentence_id": kept, "label": "against"}])
    _stance(new, [{"unit_id": "u2", "sentence_id": kept, "label": "favor"}])
    d = diff(old, new)
    assert d["annotated_units"] == [{"config": "sentences", "id": gone, "annotated_in": "verdicts", "change": "removed"}]
    st = d["configs"]["verdicts"]
    assert st["removed"] == ["u1"] and st["labels_changed"] == [{"id": "u2", "field": "label", "old": "against", "new": "favor"}]
    proc = cli("diff", str(old), str(new))
    assert proc.returncode == 0
    assert f"ANNOTATED UNIT REMOVED: sentences {gone} (labelled in verdicts)" in proc.stdout
    assert "label u2 label: against -> favor" in proc.stdout


def test_an_article_level_unit_whose_split_moved_is_listed(tmp_path):
    """Gold stance rows name their unit (a sentence or an article) in ``unit_id``; the diff finds either."""
    old, new = tmp_path / "old", tmp_path / "new"
    plain_dataset(old)
    plain_dataset(new)
    second_version(new)
    moved = "1a208ff6c4786480"  # 001: train -> validation
    rows = [{"unit_id": moved, "unit_type": "article", "target": "nato", "label": "against"}]
    _stance(old, rows)
    _stance(new, rows)
    d = diff(old, new)
    assert d["annotated_units"] == [{"config": "articles", "id": moved, "annotated_in": "verdicts", "change": "split"}]
    assert d["configs"]["verdicts"]["changed"] == {}


def test_diff_names_a_side_that_is_neither_folder_nor_revision(tmp_path):
    proc = cli("diff", str(tmp_path), "no-such-rev", "--repo", str(tmp_path))
    assert proc.returncode == 1 and "neither a dataset folder" in proc.stderr


def test_required_kind_follows_the_datasheet_rules(tmp_path):
    from natostance.publish.release import required_kind

    base = {"old_schema_version": "2", "new_schema_version": "2"}
    empty = {"added": [], "removed": [], "changed": {}, "labels_changed": []}
    assert required_kind({**base, "configs": {"sentences": empty}})[0] == "patch"
    relabel = {**empty, "changed": {"u1": ["label"]},
               "labels_changed": [{"id": "u1", "field": "label", "old": "favor", "new": "against"}]}
    assert required_kind({**base, "configs": {"stance": relabel}}) == ("patch", "labels or documentation only")
    assert required_kind({**base, "configs": {"sentences": {**empty, "added": ["x"]}}})[0] == "minor"
    assert required_kind({**base, "configs": {"sentences": {**empty, "changed": {"x": ["text"]}}}})[0] == "minor"
    assert required_kind({**base, "new_schema_version": "3", "configs": {}})[0] == "major"
