"""raw/sources.yaml of the wrong shape (issue #16): schemas/sources.schema.json, every problem with its line,
YAML aliases bounded, campaign folders kept inside the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from natostance.builder import sourcesfile
from natostance.errors import InputError, ManyErrors, NatoStanceError
from natostance.labels import labels

DATASET = Path(__file__).resolve().parents[2] / "dataset"


def load(tmp_path, text: str | bytes):
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    (raw / "sources.yaml").write_bytes(text.encode() if isinstance(text, str) else text)
    return sourcesfile.load(raw)


def messages(tmp_path, text) -> list[str]:
    with pytest.raises(NatoStanceError) as info:
        load(tmp_path, text)
    exc = info.value
    return [str(e) for e in exc.errors] if isinstance(exc, ManyErrors) else [str(exc)]


@pytest.mark.parametrize("text, expected", [
    ("- a\n- b\n", ['sources.yaml:1: expected object, found ["a", "b"]']),
    ("files:\n  - a.txt\n", ['sources.yaml:2: files: expected object or null, found ["a.txt"]']),
    ("version: 1\nsplit_rule: 2023\n", ["sources.yaml:2: split_rule: expected object or null, found 2023"]),
    ("annotations: ../gold\n", ['sources.yaml:1: annotations: expected object or null, found "../gold"']),
    ("split_rule:\n  validation_from: 2022-01-01\n  tset_from: 2023-01-01\n",
     ["sources.yaml:3: split_rule: unexpected field(s) tset_from"]),
    ("files:\n  a.txt:\n    sha256: abc\n    curated:\n      outlet_country: 5\n",
     ["sources.yaml:5: files.a.txt.curated.outlet_country: expected string, found 5",
      'sources.yaml:3: files.a.txt.sha256: expected text matching ^[0-9a-f]{64}$, found "abc"']),
    ("split_rule:\n  test_quantile: 1.5\n  undated: later\n",
     ["sources.yaml:2: split_rule.test_quantile: expected < 1, found 1.5",
      f'sources.yaml:3: split_rule.undated: expected one of error, drop or one of {", ".join(labels("split"))} or '
      'null, found "later"']),
    ("split_rule:\n  test_from: 2023-01-01\n  validation_quantile: 0.5\n",
     ["sources.yaml: split_rule: give cut dates or quantiles, not both"]),
    ("split_rule:\n  test_from: 2023-13-01\n", ["sources.yaml:2: expected a valid timestamp, found '2023-13-01' "
                                                "(month must be in 1..12)"]),
    ("files:\n  a.txt:\n    curated: {split_date_estimate: 2020-01-01 10:00:00}\n",
     ['sources.yaml:3: files.a.txt.curated.split_date_estimate: expected a date (YYYY-MM-DD), found '
      '"2020-01-01T10:00:00"']),
    ("x: !!python/object/apply:os.system ['touch pwned']\n",
     ["sources.yaml:1: expected YAML, found could not determine a constructor for the tag "
      "'tag:yaml.org,2002:python/object/apply:os.system'"]),
    ("a: &a [*a]\n", ["sources.yaml:1: expected YAML without recursive aliases, found one"]),
    ("files: {a: [\n", ["sources.yaml:2: expected YAML, found did not find expected node content"]),
    (b"version: 1\n# caf\xe9\n", ["sources.yaml: expected UTF-8 text, found byte 0xe9 at offset 16"]),
])
def test_wrong_shapes_are_named_with_their_line(tmp_path, text, expected):
    assert messages(tmp_path, text) == expected
    assert not (tmp_path / "pwned").exists()


def test_an_alias_bomb_is_refused_quickly_and_small(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    tracemalloc.start()
    start = time.perf_counter()
    found = messages(tmp_path, "\n".join(lines) + "\n")
    assert found == ["sources.yaml: expected aliases that add at most 100,000 values once expanded, found "
                     "490,329,036 more values (an alias bomb?)"]
    assert time.perf_counter() - start < 5
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 2**20  # Python allocations while reading it; expanded, it would be 9**9 references


def test_the_committed_sources_file_is_valid_and_its_dates_are_read(tmp_path):
    sources = sourcesfile.load(DATASET / "raw")
    assert str(sources.rule.test_from) == "2023-01-01"
    estimate = sources.curated("003_904e05130b9879e8.txt")["split_date_estimate"]
    assert estimate.isoformat() == "2025-02-27" and sources.defaults == {"language": "en"}


def test_the_build_cli_prints_the_lines_and_exits_1(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DATASET / "raw", raw)
    (raw / "sources.yaml").write_text("files:\n  - a\n")
    proc = subprocess.run([sys.executable, "-m", "natostance", "build", str(raw), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert (proc.returncode, proc.stderr) == (1, 'error: sources.yaml:2: files: expected object or null, found ["a"]\n')
    assert not (tmp_path / "out").exists()


def test_campaign_folders_must_lie_in_the_repository_unless_allowed(tmp_path):
    from natostance.builder.pipeline import BuildOptions, build

    repo = tmp_path / "repo"
    shutil.copytree(DATASET / "raw", repo / "dataset" / "raw")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    gold = sourcesfile.load(DATASET / "raw").annotations["gold"]  # the round the committed dataset is built on
    outside = tmp_path / "elsewhere" / "gold"
    shutil.copytree((DATASET / "raw" / gold).resolve(), outside)
    sources = repo / "dataset" / "raw" / "sources.yaml"

    def point_at(folder) -> None:
        text = re.sub(r"(?m)^  gold: .*$", f"  gold: {folder}", sources.read_text())
        sources.write_text(re.sub(r"(?m)^  records: .*$", "  records: []", text))

    point_at(outside)
    with pytest.raises(InputError, match=f"sources.yaml: annotations: expected folders inside {repo}, found "
                                         f"{outside} \\(build with --annotations-anywhere to allow it\\)"):
        build(repo / "dataset" / "raw", tmp_path / "out")
    report = build(repo / "dataset" / "raw", tmp_path / "out", BuildOptions(annotations_anywhere=True))
    assert report.rows["stance"]
    shutil.rmtree(repo / ".git")  # no repository: the project is the folder two levels above the raw folder
    with pytest.raises(InputError, match=f"expected folders inside {repo}, found {outside}"):
        build(repo / "dataset" / "raw", tmp_path / "out")
    shutil.copytree(outside, repo / "annotation" / "gold" / "rx")
    point_at("../../annotation/gold/rx")
    assert build(repo / "dataset" / "raw", tmp_path / "out").rows["stance"]
