"""Helpers the test folders share: file trees by hash, and copies of the dataset without its campaign files.

Importable from every test folder because ``tests/`` (holding the root conftest) is on ``sys.path``.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

DATASET = Path(__file__).resolve().parents[1] / "dataset"


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path) -> its SHA-256."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def strip_annotations(raw: Path) -> None:
    """Make a copied raw folder a plain folder of articles: its sources file names no campaign files."""
    sources = raw / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text[:text.index("annotations:")] + text[text.index("defaults:"):], encoding="utf-8")


def plain_raw(dest: Path) -> Path:
    """A copy of this dataset's raw folder at ``dest`` whose sources file names no campaign files."""
    shutil.copytree(DATASET / "raw", dest)
    strip_annotations(dest)
    return dest


def plain_dataset(dest: Path) -> Path:
    """A copy of this dataset without the annotation campaign (its files stay in this repository),
    rebuilt with the text configs only."""
    from natostance.builder.pipeline import build

    shutil.copytree(DATASET, dest)
    strip_annotations(dest / "raw")
    build(dest / "raw", dest)
    return dest
