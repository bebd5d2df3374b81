"""``rehydrate(dataset_dir, raw_dir)``: put the texts back into a text-free build from a user's own raw files.

A text-free build (``natostance build --text-free``) keeps ids, offsets, hashes, URLs, metadata and labels but
no article text and no raw files; its manifest lists the SHA-256 of every raw file it was built from
(``raw_files``). Rehydration refuses any raw file whose bytes differ, rebuilds from exactly those files and
the dataset's own ``raw/sources.yaml`` (curated values, split rule), checks that every id and every non-text
value came back unchanged, and only then replaces the dataset folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from natostance import records
from natostance.builder.pipeline import OWNED, BuildOptions, build
from natostance.errors import InputError, ManyErrors, NatoStanceError
from natostance.publish.manifest import MANIFEST, listed_files, load_manifest
from natostance.parquet_io import read_config
from natostance.builder.report import BuildReport
from natostance.builder.sourcesfile import SOURCES_FILE
from natostance.builder.swap import replace_dir, workspace
from natostance.guard import escape


class RehydrateError(NatoStanceError):
    """The user's raw files are not the ones the text-free build was made from."""


def check_raw(expected: dict[str, str], raw_dir: Path) -> list[str]:
    """One message per expected raw file that is missing, not a plain name inside ``raw_dir`` (no '..', no
    absolute path, no link out) or whose SHA-256 differs."""
    problems, missing, changed = listed_files(raw_dir, expected, f"{MANIFEST}: raw_files")
    problems += [f"{escape(name)}: missing from {raw_dir}" for name in missing]
    problems += [f"{escape(name)}: SHA-256 {found[:12]}… does not match the manifest's {expected[name][:12]}… "
                 "(not the copy this dataset was built from)" for name, found in changed.items()]
    return problems


def _without_text(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "text"} for r in rows]


def rehydrate(dataset_dir: str | Path, raw_dir: str | Path) -> BuildReport:
    root, raw_dir = Path(dataset_dir).resolve(), Path(raw_dir).resolve()
    if not (root / MANIFEST).is_file():
        raise InputError(str(root), f"no {MANIFEST}: not a built dataset folder")
    manifest = load_manifest(root)
    if not manifest.get("text_free"):
        raise InputError(str(root), "not a text-free build: the texts are already there")
    expected = manifest.get("raw_files") or {}
    problems = check_raw(expected, raw_dir)
    if problems:
        raise ManyErrors(problems, f"rehydrate refused: {len(problems)} raw file(s) do not match {root / MANIFEST}")
    if not (root / "raw" / SOURCES_FILE).is_file():
        raise InputError(str(root / "raw" / SOURCES_FILE), "expected the sources file of the build, found nothing there")
    with workspace(root, "rehydrate") as work:
        (work / "raw").mkdir(parents=True)
        for name in expected:  # names checked by check_raw: plain, inside both folders
            (work / "raw" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(raw_dir / name, work / "raw" / name)
        shutil.copyfile(root / "raw" / SOURCES_FILE, work / "raw" / SOURCES_FILE)
        opts = BuildOptions(dataset_version=manifest["dataset_version"], dataset_date=manifest.get("dataset_date"),
                            annotations_base=str(root / "raw"))  # campaign paths stay relative to the dataset
        report = build(work / "raw", work / "out", opts)
        for config in records.CONFIGS:
            if not (root / "data" / config).is_dir() and not (work / "out" / "data" / config).is_dir():
                continue
            if _without_text(read_config(work / "out", config)) != _without_text(read_config(root, config)):
                raise RehydrateError(f"{config}: rebuilt rows differ from the text-free build beyond their text "
                                     "(built by another natostance version?); nothing was changed")
        replace_dir(work / "out", root, owned=OWNED)
    report.out_dir = str(root)
    return report
