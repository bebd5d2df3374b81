"""Property (issue #16): every verb that reads user files, fed generated hostile files, exits 1 or 2 with
`error:` lines — never a traceback, never exit 0 on garbage it cannot use, stderr under 64 KB — and writes
nothing outside its output.

Each example starts from a valid input (the fixture gold and submission, the committed dataset built
text-only, the campaign records) and breaks it the way an attacker or a careless user would: bytes that are
not UTF-8, binary or UTF-16 files, a BOM, JSON nested 100,000 deep, 401-digit numbers, NaN, huge ids,
values of the wrong type anywhere in a document, keys deleted or added, names with '..' or newlines, YAML
aliases, truncated files. Verbs run in this process through click's test runner (the same ``_Group`` that
``natostance`` runs), in a fresh folder each example. ``NATOSTANCE_HYPOTHESIS_EXAMPLES`` sets the examples per
verb (default 20; CI runs the default).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dataset_copies import plain_raw
from natostance.cli import cli

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "tests" / "evaluation" / "fixtures"
EXAMPLES = int(os.environ.get("NATOSTANCE_HYPOTHESIS_EXAMPLES", "20"))
DROP = object()

# ---------- hostile values ----------

SPECIAL_TEXT = [
    "[" * 100_000 + "]" * 100_000, '{"a": ' * 5_000 + "1" + "}" * 5_000, "1" + "0" * 400, "NaN", "-Infinity",
    "\ufeff{}", "{\"unit_id\": \"" + "x" * 200_000 + "\"}", "\x00", "../../../etc/passwd", "a\nerror: forged",
    "\u202e\u2028", "2023-13-45", "*a", "&a [*a, *a]", "!!python/object/apply:os.system ['touch pwned']", "",
]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10 ** 30),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12), st.sampled_from(SPECIAL_TEXT))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


def mutate(data, doc: Any, times: int | None = None) -> Any:
    """``doc`` with a few values replaced, deleted or added at random depths (a drawn path each time)."""
    doc = json.loads(json.dumps(doc))
    for _ in range(times if times is not None else data.draw(st.integers(1, 3))):
        parent, key, node = None, None, doc
        while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
            parent, key = node, data.draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
            node = node[key]
        value = data.draw(st.one_of(json_values, st.just(DROP)))
        if parent is None:
            doc = {} if value is DROP else value
        elif value is DROP:
            del parent[key]
        elif isinstance(parent, dict) and data.draw(st.booleans()):
            parent[data.draw(st.text(max_size=8))] = value
        else:
            parent[key] = value
    return doc


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


def damage(data, raw: bytes) -> bytes:
    """Byte-level damage: cut, invalid UTF-8, NUL, BOM, UTF-16, or replaced by random bytes."""
    kind = data.draw(st.sampled_from(["none", "cut", "byte", "bom", "utf16", "random", "empty", "long"]))
    if kind == "cut":
        return raw[: data.draw(st.integers(0, max(len(raw) - 1, 0)))]
    if kind == "byte":
        at = data.draw(st.integers(0, len(raw)))
        return raw[:at] + data.draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"])) + raw[at:]
    if kind == "bom":
        return b"\xef\xbb\xbf" + raw
    if kind == "utf16":
        return raw.decode("utf-8", "replace").encode("utf-16")
    if kind == "random":
        return data.draw(st.binary(max_size=400))
    if kind == "empty":
        return b""
    if kind == "long":
        return raw + b"x" * 1_100_000 + b"\n"
    return raw


def hostile_json(data, doc: Any) -> bytes:
    return damage(data, dumps(mutate(data, doc)).encode("utf-8", "surrogatepass"))


def hostile_lines(data, rows: list[dict]) -> bytes:
    out = [dumps(mutate(data, r, data.draw(st.integers(0, 2)))) if data.draw(st.booleans()) else dumps(r)
           for r in rows]
    for _ in range(data.draw(st.integers(0, 3))):
        out.insert(data.draw(st.integers(0, len(out))), data.draw(st.one_of(json_values.map(dumps),
                                                                            st.sampled_from(SPECIAL_TEXT))))
    return damage(data, "\n".join(out).encode("utf-8", "surrogatepass"))


def jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


# ---------- one scenario per verb: write the inputs, return the command line and its outputs ----------

def _submission(data, tmp: Path) -> Path:
    runs = tmp / "runs"
    runs.mkdir(exist_ok=True)
    fmt = data.draw(st.sampled_from(["jsonl", "csv", "parquet"]))
    rows = jsonl(FIX / "submissions" / "ok.jsonl")
    path = runs / f"sub.{fmt}"
    if fmt == "jsonl":
        path.write_bytes(hostile_lines(data, rows))
    elif fmt == "csv":
        text = (FIX / "submissions" / "ok.csv").read_text(encoding="utf-8").splitlines()
        for _ in range(data.draw(st.integers(1, 4))):
            text.insert(data.draw(st.integers(0, len(text))), data.draw(st.sampled_from(SPECIAL_TEXT + [
                "task,unit_id,zzz", '"unterminated', "a;b;c", ",,,,,,,,,,,,,,,,,", "sentence_stance,a4-0000"])))
        path.write_bytes(damage(data, "\n".join(text).encode()))
    else:
        columns = data.draw(st.dictionaries(st.sampled_from(["task", "unit_id", "target", "label", "score", "start",
                                                             "end", "article_id", "checkworthy", "zzz"]),
                                            st.sampled_from(["str", "int", "float", "bool", "list", "struct"]),
                                            min_size=1, max_size=5))
        n = data.draw(st.integers(0, 4))
        values = {"str": ["a4-0000", "nato", "sentence_stance", "x" * 100][:n] + ["a4"] * max(0, n - 4),
                  "int": [0, -1, 2 ** 62, 5][:n] + [1] * max(0, n - 4), "float": [float("nan"), 1e308, -0.0, 3.5][:n],
                  "bool": [True, False, True, False][:n], "list": [[1, 2]] * n, "struct": [{"a": 1}] * n}
        table = pa.table({k: pa.array((values[t] + [None] * n)[:n]) for k, t in columns.items()})
        pq.write_table(table, path)
        path.write_bytes(damage(data, path.read_bytes()))
    meta = json.loads((FIX / "submissions" / "ok.meta.json").read_text())
    (runs / "sub.meta.json").write_bytes(hostile_json(data, meta) if data.draw(st.booleans()) else dumps(meta).encode())
    return path


def scenario_check(data, tmp: Path, ctx):
    return ["check", _submission(data, tmp), "--gold", FIX / "gold"], []


def scenario_check_shape(data, tmp: Path, ctx):
    shape = tmp / "shape.json"
    shape.write_bytes(hostile_json(data, json.loads((REPO / "dataset" / "shape.json").read_text())))
    sub = tmp / "ok.jsonl"
    shutil.copyfile(FIX / "submissions" / "ok.jsonl", sub)
    shutil.copyfile(FIX / "submissions" / "ok.meta.json", tmp / "ok.meta.json")
    return ["check", sub, "--shape", shape], []


def scenario_score(data, tmp: Path, ctx):
    return ["score", FIX / "gold", _submission(data, tmp), "--resamples", "5", "--out", tmp / "r.json"], [tmp / "r.json"]


def scenario_leaderboard(data, tmp: Path, ctx):
    _submission(data, tmp)
    runs = tmp / "runs"
    shutil.copyfile(FIX / "submissions" / "ok.jsonl", runs / "ok.jsonl")
    shutil.copyfile(FIX / "submissions" / "ok.meta.json", runs / "ok.meta.json")
    (runs / "old.result.json").write_bytes(hostile_json(data, ctx["result"]))
    return ["leaderboard", runs, "--gold", FIX / "gold", "--resamples", "5", "--out", tmp / "lb.md"], [tmp / "lb.md"]


def scenario_shape(data, tmp: Path, ctx):
    gold = tmp / "gold"
    shutil.copytree(FIX / "gold", gold)
    config = data.draw(st.sampled_from(["articles", "sentences", "stance", "claims", "manifest"]))
    if config == "manifest":
        (gold / "manifest.json").write_bytes(hostile_json(data, {"dataset_version": "0.1.0"}))
    else:
        (gold / f"{config}.jsonl").write_bytes(hostile_lines(data, jsonl(gold / f"{config}.jsonl")))
    return ["shape", gold, "--out", tmp / "shape.json"], [tmp / "shape.json"]


def scenario_build(data, tmp: Path, ctx):
    raw = tmp / "raw"
    shutil.copytree(ctx["raw"], raw)
    sources = yaml.safe_load((raw / "sources.yaml").read_text(encoding="utf-8"))
    sources = json.loads(json.dumps(sources, default=str))
    choice = data.draw(st.sampled_from(["mutated", "aliases", "text"]))
    if choice == "mutated":
        text = yaml.safe_dump(mutate(data, sources), allow_unicode=True)
    elif choice == "aliases":
        depth = data.draw(st.integers(1, 12))
        text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"a{i}: &a{i} [{', '.join([f'*a{i - 1}' if i > 1 else '*a'] * 9)}]\n" for i in range(1, depth))
        text += data.draw(st.sampled_from(["files: *a\n", f"split_rule: *a{depth - 1}\n" if depth > 1 else "", ""]))
    else:
        text = "\n".join(data.draw(st.lists(st.sampled_from(SPECIAL_TEXT + ["files:", "  - a", "split_rule: x",
                                                                               "annotations: {gold: /etc}", ": :"]),
                                            max_size=5)))
    (raw / "sources.yaml").write_bytes(damage(data, text.encode("utf-8", "surrogatepass")))
    return ["build", raw, "--out", tmp / "out"], [tmp / "out"]


def _dataset(data, tmp: Path, ctx) -> Path:
    ds = tmp / "ds"
    shutil.copytree(ctx["plain"], ds)
    target = data.draw(st.sampled_from(["manifest", "parquet", "splits"]))
    if target == "manifest":
        (ds / "manifest.json").write_bytes(hostile_json(data, json.loads((ds / "manifest.json").read_text())))
    elif target == "parquet":
        part = sorted((ds / "data").glob("*/*.parquet"))[data.draw(st.integers(0, 3))]
        part.write_bytes(damage(data, part.read_bytes()))
    else:
        (ds / "splits.json").write_bytes(hostile_json(data, json.loads((ds / "splits.json").read_text())))
    return ds


def scenario_validate(data, tmp: Path, ctx):
    return ["validate", _dataset(data, tmp, ctx)], []


def scenario_diff(data, tmp: Path, ctx):
    return ["diff", ctx["plain"], _dataset(data, tmp, ctx)], []


def scenario_rehydrate(data, tmp: Path, ctx):
    ds = tmp / "free"
    shutil.copytree(ctx["free"], ds)
    manifest = json.loads((ds / "manifest.json").read_text())
    manifest["raw_files"][data.draw(st.sampled_from(["../../x", "/etc/hostname", "a/../../b", "ok.txt"]))] = "0" * 64
    (ds / "manifest.json").write_bytes(hostile_json(data, manifest) if data.draw(st.booleans())
                                       else dumps(manifest).encode())
    return ["rehydrate", ds, ctx["raw"]], [ds]


def scenario_annotator_runs(data, tmp: Path, ctx):
    return ["annotator-runs", _dataset(data, tmp, ctx), "--out", tmp / "runs"], [tmp / "runs"]


def scenario_datasheet(data, tmp: Path, ctx):
    sheet = tmp / "DATASHEET.md"
    shutil.copyfile(REPO / "DATASHEET.md", sheet)
    return ["datasheet", sheet, "--dataset", _dataset(data, tmp, ctx), "--check"], []


def scenario_push_to_hub(data, tmp: Path, ctx):
    return ["push-to-hub", "someone/nato-stance", "--dataset", _dataset(data, tmp, ctx), "--dry-run"], []


ROUND = "r9"  # an open round made of r1's records (r1 itself is closed: adjudicate refuses it)


def _records(data, tmp: Path) -> Path:
    folder = tmp / "records" / ROUND
    folder.parent.mkdir(parents=True)
    shutil.copytree(REPO / "annotation" / "records" / "r1", folder, ignore=shutil.ignore_patterns("round.json"))
    name = data.draw(st.sampled_from(["stance.jsonl", "claims.jsonl"]))
    rows = jsonl(folder / name)
    (folder / name).write_bytes(hostile_lines(data, rows[:6]))
    return tmp / "records"


def scenario_agreement(data, tmp: Path, ctx):
    return ["annotate", "agreement", "--round", ROUND, "--records", _records(data, tmp), "--bootstrap", "0"], []


def scenario_adjudicate(data, tmp: Path, ctx):
    records = _records(data, tmp)
    adj = tmp / "adjudication.jsonl"
    entries = [e for f in sorted((REPO / "annotation" / "adjudication").glob("*.jsonl")) for e in jsonl(f)][:3]
    adj.write_bytes(hostile_lines(data, entries))
    return ["annotate", "adjudicate", "--round", ROUND, "--records", records, "--file", adj, "--gold", tmp / "gold"], \
        [adj, tmp / "gold"]


SCENARIOS = {name[len("scenario_"):]: fn for name, fn in globals().items() if name.startswith("scenario_")}


# ---------- the property ----------

@pytest.fixture(scope="module")
def ctx(tmp_path_factory) -> dict[str, Any]:
    """Valid inputs the scenarios break: a raw folder without campaign files, its plain and text-free builds,
    a stored score result."""
    from natostance.builder.pipeline import BuildOptions, build
    from natostance.evaluation.score import score

    root = tmp_path_factory.mktemp("valid")
    raw = plain_raw(root / "raw")
    build(raw, root / "plain")
    build(raw, root / "free", BuildOptions(text_free=True))
    result = score(FIX / "gold", FIX / "submissions" / "ok.jsonl", resamples=5).doc
    return Context(raw=raw, plain=root / "plain", free=root / "free", result=json.loads(json.dumps(result)))


class Context(dict):
    """The valid inputs, shown by name only in a failing example's report."""

    def __repr__(self) -> str:
        return "ctx"


def snapshot(root: Path, outputs: list[Path]) -> dict[str, tuple]:
    """Every path under ``root`` outside ``outputs``, with its size and modification time."""
    out = {}
    for p in root.rglob("*"):
        if any(p == o or o in p.parents for o in outputs):
            continue
        st_ = p.lstat()
        out[p.relative_to(root).as_posix()] = (p.is_dir(), st_.st_size, st_.st_mtime_ns)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("verb", sorted(SCENARIOS))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])
@given(data=st.data())
def test_hostile_files_give_errors_not_tracebacks(ctx, verb, data):
    with tempfile.TemporaryDirectory(prefix="hostile-") as name:
        tmp = Path(name)
        args, outputs = SCENARIOS[verb](data, tmp, ctx)
        (tmp / "cwd").mkdir()
        before = snapshot(tmp, outputs)
        cwd = os.getcwd()
        os.chdir(tmp / "cwd")
        try:
            res = CliRunner().invoke(cli, [str(a) for a in args])
        finally:
            os.chdir(cwd)
        err = res.stderr
        assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
        assert "Traceback" not in res.output and "Traceback" not in err
        assert len(err.encode()) < 64_000, err[:2000]
        assert snapshot(tmp, outputs) == before, "files written outside the output"
        assert not (tmp / "pwned").exists() and not (tmp / "cwd" / "pwned").exists()
        event(f"exit {res.exit_code}")  # exit 0: the damage left a valid input (a BOM, a changed free-text field)
        assert res.exit_code in (0, 1, 2), err[-2000:]
        if res.exit_code == 1:
            assert err and all(line.startswith(("error: ", "warning: ")) for line in err.splitlines()), err[-2000:]
