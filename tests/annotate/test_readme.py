"""annotation/README.md's step-by-step block, run line by line as written, against a real Label Studio.

The only changes: a free port instead of 8080, a private data folder (XDG_DATA_HOME), a two-article raw
folder instead of the shipped one, and what people do between the commands (three annotators' passes,
the adjudicator's decisions) done by the test.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import write_pass
from natostance.annotate.labelstudio import server as S

pytestmark = pytest.mark.server
FILES = ("000_684b66d563c1cb65.txt", "003_904e05130b9879e8.txt")  # one train and one test article


def _steps(repo: Path) -> list[str]:
    text = (repo / "annotation" / "README.md").read_text(encoding="utf-8")
    block = text.split("## A round, step by step", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]


def _raw(repo: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    doc = yaml.safe_load((repo / "dataset" / "raw" / "sources.yaml").read_text(encoding="utf-8"))
    doc.pop("annotations", None)  # a new user's dataset has no gold yet
    doc["files"] = {name: doc["files"][name] for name in FILES}
    for name in FILES:
        shutil.copy(repo / "dataset" / "raw" / name, dest / name)
    (dest / "sources.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def _passes(work: Path) -> None:
    """Three annotators: mostly agreeing, with two-against-one and three-way splits, and claims."""
    from natostance.parquet_io import read_config

    sents = sorted(read_config(work / "dataset", "sentences"), key=lambda s: (s["article_id"], s["index"]))
    arts = read_config(work / "dataset", "articles")
    first = sents[0]
    words = " ".join(first["text"].split()[:6])
    for n, stance in ((1, "neutral"), (2, "neutral"), (3, "against")):
        claims = [{"sentence_id": first["sentence_id"], "text": words, "type": "event" if n < 3 else "statement",
                   "speaker": "author"}]
        write_pass(work / "passes" / f"ann{n}", sents, arts, stance=stance if n != 2 else "neutral", claims=claims)
    # a three-way split on one sentence: ann2 says favor there, ann3 against, ann1 neutral
    path = work / "passes" / "ann2" / "sentence_labels.jsonl"
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    lines[1]["labels"]["nato"] = {"stance": "favor", "holder": "author"}
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))


def _decide(work: Path, rnd: str) -> int:
    """The adjudicator: a valid decision, a reason of its own and who, for every open entry."""
    path = work / "annotation" / "adjudication" / f"{rnd}.jsonl"
    entries = [json.loads(x) for x in path.read_text().splitlines()]
    todo = [e for e in entries if e["decision"] is None]
    for e in todo:
        tail = e["unit"].rsplit("/", 1)[1]
        e["decision"] = {"holder": "author", "type": "event", "speaker": "author"}.get(tail) or (
            "event" if "/span/" in e["unit"] else sorted(e["votes"].values())[0])
        e["reason"] = f"decided from the words of {e['unit']}"
        e["who"] = "adjudicator@example.org"
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))
    return len(todo)


def test_the_readme_round_runs_as_written(repo, tmp_path, ls_server):
    work = tmp_path / "work"
    _raw(repo, work / "dataset" / "raw")
    port = str(S.free_port())
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "PATH": f"{Path(sys.executable).parent}:"
           f"{os.environ['PATH']}", "PYTHONUNBUFFERED": "1"}
    data = tmp_path / "xdg" / "natostance" / "label-studio"
    shutil.copytree(S.template_dir(), data)  # a migrated database: starts in seconds (a fresh one takes ~20 s)
    login = json.loads((data / "login.json").read_text())
    (data / "natostance-login.json").write_text(json.dumps({**login, "password": S.TEMPLATE_PASSWORD}))
    server, outputs = None, {}
    try:
        for step in _steps(repo):
            line = step.replace("8080", port)
            if line.startswith("natostance annotate server") and "--print-key" not in line:
                server = subprocess.Popen(line, shell=True, cwd=work, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True, start_new_session=True)
                out = "".join(iter_until(server.stdout, "press Ctrl-C"))
                assert f"Label Studio is up at http://127.0.0.1:{port}" in out, out
                continue
            if line.startswith("export "):
                name = line.split()[1].split("=")[0]
                env[name] = subprocess.run(["bash", "-c", f"{line}; printf %s \"${name}\""], cwd=work, env=env,
                                           capture_output=True, text=True, check=True).stdout
                continue
            if line.startswith("natostance annotate submit-pass") and not (work / "passes").exists():
                _passes(work)
            done = subprocess.run(line, shell=True, cwd=work, env=env, capture_output=True, text=True,
                                  executable="/bin/bash")
            assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
            outputs.setdefault(line, []).append(done.stdout)
            if line.startswith("natostance annotate adjudicate") and len(outputs[line]) == 2:
                while " 0 open" not in done.stdout:  # "again, until it reports 0 open"
                    assert _decide(work, "pilot")
                    done = subprocess.run(line, shell=True, cwd=work, env=env, capture_output=True, text=True)
                    assert done.returncode == 0, done.stderr
            if line.startswith("natostance annotate show"):
                assert _decide(work, "pilot") > 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    assert env["LABEL_STUDIO_API_KEY"] == login["token"]
    assert stat_mode(work / "annotator-logins.txt") == 0o600
    pulled = outputs["natostance annotate pull --round pilot"][0]
    assert re.search(r"sentences: (\d+) of \1 units have their 3 annotation\(s\), 0 still open", pulled), pulled
    first = outputs["natostance annotate adjudicate --round pilot --min-annotators 3"][0]
    assert "open (" in first and "stance" in first
    show = (work / "pilot-open.md").read_text()
    assert show.startswith("# Round pilot: ") and "**>> " in show
    gold = [json.loads(x) for x in (work / "annotation" / "gold" / "pilot" / "stance.jsonl").read_text().splitlines()]
    assert {g["source"] for g in gold} == {"majority", "adjudicated"}
    assert any(g["adjudicated"] == ["stance", "holder"] for g in gold)
    claims = [json.loads(x) for x in (work / "annotation" / "gold" / "pilot" / "claims.jsonl").read_text().splitlines()]
    assert [(c["type"], c["speaker"], c["n_annotators"] if "n_annotators" in c else c["annotators"]) for c in claims] \
        == [("event", "author", 3)]
    scored = outputs["natostance score dataset runs/majority.jsonl"][0]
    assert "sentence_stance" in scored or "macro" in scored.lower(), scored
    assert json.loads((work / "annotation" / "records" / "pilot" / "round.json").read_text())["closed"] is True


def iter_until(stream, marker: str):
    for line in stream:
        yield line
        if marker in line or line.startswith("error:"):
            return


def stat_mode(path: Path) -> int:
    import stat

    return stat.S_IMODE(path.stat().st_mode)
