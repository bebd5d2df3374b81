"""``release(repo, "X.Y.Z")``: move the dataset version forward, rebuild, document, commit and tag.

Steps, all in the repository given (never anything else): refuse a version that is not the next major,
minor or patch of the current ``DATASET_VERSION``, a date that is not YYYY-MM-DD, an empty "## Unreleased"
CHANGELOG section, or an existing tag; rebuild ``dataset/raw`` into a folder beside ``dataset/`` with the
new version and validate it; refuse a step smaller than the changes of that rebuilt dataset since the
previous release's tag need (DATASHEET rules, from ``natostance diff``); only then write the version into
``src/natostance/_version.py`` (the one place that holds it), move the Unreleased items under a dated
heading, regenerate DATASHEET.md's blocks, swap the rebuilt dataset in, and commit and tag ``vX.Y.Z``
unless ``tag=False``. A failed release leaves the repository as it found it.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

from natostance.publish import datasheet
from natostance.builder.pipeline import ANNOTATION_OWNED, OWNED, BuildOptions, build
from natostance.builder.swap import replace_dir, workspace
from natostance.errors import NatoStanceError
from natostance.guard import shown
from natostance.publish.validation import validate

VERSION_FILE = Path("src/natostance/_version.py")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_LINE = re.compile(r'^DATASET_VERSION = "([^"]+)"$', re.MULTILINE)
_DATE_LINE = re.compile(r"^DATASET_DATE = .*$", re.MULTILINE)
_UNRELEASED = "## Unreleased"


class ReleaseError(NatoStanceError):
    """A release that must not happen (version not moving forward, nothing to release, tag exists)."""


def parse(version: str) -> tuple[int, int, int]:
    m = _SEMVER.match(version)
    if not m:
        raise ReleaseError(f"{version!r} is not a semantic version X.Y.Z")
    return int(m[1]), int(m[2]), int(m[3])


def next_versions(current: str) -> dict[str, str]:
    major, minor, patch = parse(current)
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}


def current_version(repo: Path) -> str:
    m = _LINE.search((repo / VERSION_FILE).read_text(encoding="utf-8"))
    if not m:
        raise ReleaseError(f"{VERSION_FILE}: no line DATASET_VERSION = \"X.Y.Z\"")
    return m[1]


def check_forward(current: str, new: str) -> str:
    """The kind of step (major/minor/patch) from ``current`` to ``new``; refuses anything else."""
    parse(new)
    for kind, version in next_versions(current).items():
        if version == new:
            return kind
    allowed = ", ".join(f"{v} ({k})" for k, v in next_versions(current).items())
    raise ReleaseError(f"{new} does not move forward by semver from {current}: expected one of {allowed}")


_RANK = {"patch": 0, "minor": 1, "major": 2}


def required_kind(d: dict) -> tuple[str, str]:
    """The smallest step the DATASHEET rules allow for a diff, and why (schema/split: major; rows: minor)."""
    if d.get("old_schema_version") != d.get("new_schema_version"):
        return "major", f"schema version {d.get('old_schema_version')} -> {d.get('new_schema_version')}"
    for config, c in d["configs"].items():
        moved = [x["id"] for x in c["labels_changed"] if x["field"] == "split"]
        if moved:
            return "major", f"{config}: {len(moved)} row(s) changed split (first {moved[0]})"
    for config, c in d["configs"].items():
        labelled = {(x["id"], x["field"]) for x in c["labels_changed"]}
        other = [i for i, fields in c["changed"].items() if any((i, f) not in labelled for f in fields)]
        if c["added"] or c["removed"] or other:
            return "minor", f"{config}: {len(c['added'])} added, {len(c['removed'])} removed, {len(other)} changed"
    return "patch", "labels or documentation only"


def check_kind(repo: Path, old: str, new: str, kind: str, rebuilt: Path) -> None:
    """Against the previous release's tag (when there is one), refuse a step smaller than the changes of the
    ``rebuilt`` dataset need (the one this release would publish, not the one committed)."""
    from natostance.publish.diff import diff

    if not _git(repo, "tag", "--list", f"v{old}").strip():
        return
    need, why = required_kind(diff(f"v{old}", rebuilt, repo))
    if _RANK[kind] < _RANK[need]:
        raise ReleaseError(f"{new} is a {kind} release, but since v{old} the dataset needs a {need} one "
                           f"({why}): release {next_versions(old)[need]}")


def check_date(day: str) -> str:
    """A release date as YYYY-MM-DD (it is written into _version.py and the CHANGELOG verbatim)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            return date.fromisoformat(day).isoformat()
    except ValueError:
        pass
    raise ReleaseError(f"--date: expected a date YYYY-MM-DD, found {shown(day)}")


def changelog_entry(text: str, version: str, day: str) -> str:
    """Move the items under "## Unreleased" under "## [version] — day", leaving an empty Unreleased."""
    start = text.find(_UNRELEASED + "\n")
    if start < 0:
        raise ReleaseError(f"CHANGELOG.md: no '{_UNRELEASED}' section")
    body_start = start + len(_UNRELEASED) + 1
    nxt = re.search(r"^## ", text[body_start:], re.MULTILINE)
    body_end = body_start + nxt.start() if nxt else len(text)
    items = text[body_start:body_end].strip("\n")
    if not items.strip():
        raise ReleaseError(f"CHANGELOG.md: nothing under '{_UNRELEASED}'; write what changed first")
    return f"{text[:body_start]}\n## [{version}] — {day}\n\n{items}\n\n{text[body_end:].lstrip(chr(10))}".rstrip("\n") + "\n"


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if proc.returncode:
        raise ReleaseError(f"git {' '.join(args)}: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def release(repo: str | Path, version: str, tag: bool = True, day: str | None = None) -> dict[str, str]:
    """Check everything, rebuild into a folder beside ``dataset/`` and check that, then write: version file,
    CHANGELOG, DATASHEET, the dataset swapped in, and (``tag``) commit and tag. A failure at any step leaves
    the repository as it was: before the writes nothing has changed; after, the files are put back (with
    ``tag``, the tree was clean: ``git reset --hard`` to the commit it started from)."""
    repo = Path(repo).resolve()
    old = current_version(repo)
    kind = check_forward(old, version)
    day = check_date(day) if day is not None else date.today().isoformat()
    changelog, sheet, vfile = repo / "CHANGELOG.md", repo / "DATASHEET.md", repo / VERSION_FILE
    new_changelog = changelog_entry(changelog.read_text(encoding="utf-8"), version, day)
    head = None
    if tag:
        if _git(repo, "status", "--porcelain"):
            raise ReleaseError(f"{repo}: uncommitted changes; commit them before a release")
        if _git(repo, "tag", "--list", f"v{version}").strip():
            raise ReleaseError(f"tag v{version} already exists")
        head = _git(repo, "rev-parse", "HEAD").strip()
    dataset = repo / "dataset"
    with workspace(dataset, "release") as rebuilt:
        build(dataset / "raw", rebuilt, BuildOptions(dataset_version=version, dataset_date=day))
        validate(rebuilt)
        check_kind(repo, old, version, kind, rebuilt)
        texts = {vfile: _DATE_LINE.sub(f'DATASET_DATE = "{day}"', _LINE.sub(
                     f'DATASET_VERSION = "{version}"', vfile.read_text(encoding="utf-8"))),
                 changelog: new_changelog,
                 sheet: datasheet.render(sheet.read_text(encoding="utf-8"), datasheet.blocks(rebuilt))}
        _write(repo, texts, rebuilt, dataset, version, head)
    return {"from": old, "to": version, "kind": kind, "date": day, "tag": f"v{version}" if tag else ""}


def _write(repo: Path, texts: dict[Path, str], rebuilt: Path, dataset: Path, version: str, head: str | None) -> None:
    """The write phase of a release, undone on any failure (``head``: the commit to reset to with ``tag``)."""
    before = {path: path.read_bytes() for path in texts}
    try:
        for path, text in texts.items():
            path.write_text(text, encoding="utf-8")
        replace_dir(rebuilt, dataset, OWNED + ANNOTATION_OWNED)
        if head:
            _git(repo, "add", "-A", "--", str(VERSION_FILE), "dataset", "CHANGELOG.md", "DATASHEET.md")
            _git(repo, "commit", "-q", "-m", f"Release dataset {version}")
            _git(repo, "tag", "-a", f"v{version}", "-m", f"NATO-Stance dataset {version}")
    except BaseException:
        if head:
            subprocess.run(["git", "-C", str(repo), "tag", "-d", f"v{version}"], capture_output=True)
            subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", head], capture_output=True)
            subprocess.run(["git", "-C", str(repo), "clean", "-fdq", "--", "dataset"], capture_output=True)
        else:
            for path, data in before.items():
                path.write_bytes(data)
        raise
