"""Text-free builds keep ids, offsets, hashes, URLs and metadata but no text; rehydrate restores the text
from the user's own raw files, refusing any whose SHA-256 differs from the manifest."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dataset_copies import plain_dataset, tree
from natostance._version import DATASET_VERSION
from natostance.builder.pipeline import BuildOptions, build
from natostance.errors import InputError, ManyErrors
from natostance.parquet_io import read_config
from natostance.publish.rehydrate import rehydrate
from natostance.publish.validation import validate

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "dataset"


@pytest.fixture
def text_free(tmp_path) -> Path:
    out = tmp_path / "tf"
    proc = subprocess.run([sys.executable, "-m", "natostance", "build", str(DATASET / "raw"), "--out", str(out),
                           "--text-free", "--no-progress"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out


def test_text_free_build_keeps_everything_but_the_text(text_free):
    validate(text_free)
    manifest = json.loads((text_free / "manifest.json").read_text())
    assert manifest["text_free"] is True
    assert sorted(p.name for p in (text_free / "raw").iterdir()) == ["sources.yaml"]
    assert manifest["raw_files"] == json.loads((DATASET / "manifest.json").read_text())["raw_files"]
    for config in ("articles", "sentences"):
        blank, full = read_config(text_free, config), read_config(DATASET, config)
        assert all(r["text"] is None for r in blank)
        assert [{**r, "text": None} for r in full] == blank  # ids, offsets, hashes, URLs, metadata unchanged
    card = (text_free / "README.md").read_text()
    assert "**text-free build**" in card and "natostance rehydrate" in card
    assert "text-free build" in json.loads((text_free / "croissant.json").read_text())["description"]


def test_text_free_croissant_validates_and_diff_does_not_count_withheld_text(text_free):
    mlcroissant = Path(sys.executable).with_name("mlcroissant")
    proc = subprocess.run([str(mlcroissant), "validate", "--jsonld", str(text_free / "croissant.json")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    proc = subprocess.run([sys.executable, "-m", "natostance", "diff", str(DATASET), str(text_free)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        f"{DATASET} ({DATASET_VERSION}) -> {text_free} ({DATASET_VERSION}); texts not compared (a text-free build)",
        *(f"  {c}: +0 added, -0 removed, ~0 changed, 0 label change(s)"
          for c in ("annotations", "articles", "claims", "sentences", "stance"))]


def test_a_normal_build_with_null_text_fails_validation(text_free, tmp_path):
    manifest = json.loads((text_free / "manifest.json").read_text())
    manifest["text_free"] = False
    (text_free / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ManyErrors, match="text is null but the manifest says text_free=false"):
        validate(text_free)


@pytest.fixture
def plain_text_free(tmp_path) -> Path:
    """A text-free build of the articles alone (rehydrating labelled configs needs the campaign files)."""
    plain = plain_dataset(tmp_path / "plain")
    out = tmp_path / "tf-plain"
    build(plain / "raw", out, BuildOptions(text_free=True))
    return out


def test_rehydrate_restores_the_normal_build_byte_for_byte(plain_text_free, tmp_path):
    text_free = plain_text_free
    own = tmp_path / "my-copies"
    shutil.copytree(DATASET / "raw", own)
    (own / "sources.yaml").unlink()  # the user's folder needs only the article files
    (own / "unrelated.txt").write_text("not part of the dataset")
    proc = subprocess.run([sys.executable, "-m", "natostance", "rehydrate", str(text_free), str(own)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "rehydrated" in proc.stdout and "sentences 198" in proc.stdout
    normal = tmp_path / "normal"
    build(tmp_path / "plain" / "raw", normal)
    assert tree(text_free) == tree(normal)
    validate(text_free)


def test_rehydrate_refuses_a_raw_file_whose_hash_differs(text_free, tmp_path):
    own = tmp_path / "my-copies"
    shutil.copytree(DATASET / "raw", own)
    edited = own / "003_904e05130b9879e8.txt"
    edited.write_bytes(edited.read_bytes().replace(b"diplomats", b"diplomat"))
    (own / "001_0122699b92674fcc.txt").unlink()
    before = tree(text_free)
    proc = subprocess.run([sys.executable, "-m", "natostance", "rehydrate", str(text_free), str(own)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("error: rehydrate refused: 2 raw file(s) do not match")
    assert lines[1] == f"error: 001_0122699b92674fcc.txt: missing from {own}"
    assert lines[2].startswith("error: 003_904e05130b9879e8.txt: SHA-256 ")
    assert "does not match the manifest's a0e12812f7e9" in lines[2]
    assert tree(text_free) == before


def test_rehydrate_refuses_a_dataset_that_has_its_text(tmp_path):
    out = tmp_path / "full"
    build(DATASET / "raw", out, BuildOptions())
    with pytest.raises(InputError, match="not a text-free build"):
        rehydrate(out, DATASET / "raw")
