"""The benchmark run from lm-evaluation-harness, end to end and offline (issue #18, "Done when").

``natostance lm-eval tasks`` → ``lm_eval --model dummy … --log_samples`` → ``natostance lm-eval convert`` →
``natostance check`` / ``score``, each a real process, against the committed dataset folder. Hugging Face
libraries are offline, their caches are empty folders, and every HTTP(S) request goes to a dead proxy, so
anything that tried to download would fail the run. The harness's ``dummy`` model answers with random
log-likelihoods (and "lol" when asked to generate): the figures mean nothing, but the test computes them
twice, through the conversion and straight from the logged samples, and they must agree to the bit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from natostance.evaluation.folds import gold_folds
from natostance.evaluation.gold import load_gold
from natostance.evaluation.harness.convert import parse_answer
from natostance.evaluation.score import score
from natostance.evaluation.shape import shape_from_gold

pytest.importorskip("lm_eval")
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
TASKS = ("natostance_sentence_stance", "natostance_article_stance", "natostance_claim_detection")


def offline_env(tmp: Path) -> dict[str, str]:
    dead = "http://127.0.0.1:9"
    return os.environ | {
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "HF_HOME": str(tmp / "hf-home"),
        "HF_DATASETS_CACHE": str(tmp / "hf-datasets"),
        "HTTP_PROXY": dead,
        "HTTPS_PROXY": dead,
        "http_proxy": dead,
        "https_proxy": dead,
        "NO_PROXY": "",
        "no_proxy": "",
        "TOKENIZERS_PARALLELISM": "false",
    }


def sh(*args, env, cwd, ok=True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=900)
    if ok and proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
        )
    return proc


def natostance(*args, **kw):
    return sh(BIN / "natostance", *args, **kw)


def lm_eval(*args, **kw):
    return sh(sys.executable, "-m", "lm_eval", "--model", "dummy", *args, **kw)


def harness_run(work, name: str, tasks, shots: int = 0) -> Path:
    """``lm_eval --model dummy`` on the generated tasks, samples logged to ``<tmp>/<name>``."""
    tmp, env = work
    fewshot = ["--num_fewshot", str(shots)] if shots else []
    lm_eval(
        "--tasks",
        ",".join(tasks),
        *fewshot,
        "--include_path",
        tmp / "tasks",
        "--log_samples",
        "--output_path",
        tmp / name,
        env=env,
        cwd=tmp,
    )
    return tmp / name


def articles_shown(sample: dict, article_of_title: dict[str, str]) -> list[str]:
    """The articles whose headers a logged prompt shows, in order (few-shot examples, then the unit's own)."""
    lines = sample["arguments"]["gen_args_0"]["arg_0"].splitlines()
    return [article_of_title[line.removeprefix("Article: ")] for line in lines if line.startswith("Article: ")]


@pytest.fixture(scope="module")
def work(tmp_path_factory, repo):
    tmp = tmp_path_factory.mktemp("lmeval")
    env = offline_env(tmp)
    natostance("lm-eval", "tasks", "--out", tmp / "tasks", "--dataset", repo / "dataset", env=env, cwd=tmp)
    return tmp, env


@pytest.fixture(scope="module")
def zero_shot(work):
    """The run of the issue's acceptance command (plus the other two tasks), converted and scored."""
    tmp, env = work
    harness_run(work, "out", TASKS)
    natostance("lm-eval", "convert", tmp / "out", "--out", tmp / "runs" / "dummy.jsonl", env=env, cwd=tmp)
    return tmp, env


@pytest.fixture(scope="module")
def gold(repo):
    return load_gold(repo / "dataset")


def samples_of(out: Path, task: str) -> list[dict]:
    (path,) = out.rglob(f"samples_{task}_*.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()]


def key_of(task: str, doc: dict) -> tuple:
    return (doc["unit_id"],) if task == "claim_detection" else (doc["unit_id"], doc["target"])


def independent_rows(out: Path) -> list[dict]:
    """Predictions straight from the logged samples: argmax over the logged log-likelihoods of the choices
    the task config lists (its ``doc_to_choice``), independent of the conversion code."""
    (results_path,) = out.rglob("results_*.json")
    configs = json.loads(results_path.read_text())["configs"]
    rows = []
    for name in TASKS:
        task = name.removeprefix("natostance_")
        names = configs[name]["doc_to_choice"]
        for s in samples_of(out, name):
            lls = [float(r[0]) for r in s["filtered_resps"]]
            choice = names[max(range(len(lls)), key=lambda i: (lls[i], -i))]
            doc = s["doc"]
            if task == "claim_detection":
                ll = dict(zip(names, lls))
                rows.append(
                    {
                        "task": task,
                        "unit_id": doc["unit_id"],
                        "checkworthy": choice == "yes",
                        "score": ll["yes"] - ll["no"],
                    }
                )
            else:
                label, _, holder = choice.partition(" (")
                row = {"task": task, "unit_id": doc["unit_id"], "target": doc["target"], "label": label}
                if task == "sentence_stance":
                    row["holder"] = holder.rstrip(")") or None
                rows.append(row)
    return rows


def test_tasks_load_and_every_unit_gets_one_prediction(zero_shot, gold):
    tmp, _ = zero_shot
    (results_path,) = (tmp / "out").rglob("results_*.json")
    results = json.loads(results_path.read_text())
    shape = shape_from_gold(gold)
    for name in TASKS:
        task = name.removeprefix("natostance_")
        expected = shape.expected(task, "test")
        assert results["n-samples"][name] == {"original": len(expected), "effective": len(expected)}
        keys = [key_of(task, s["doc"]) for s in samples_of(tmp / "out", name)]
        assert len(keys) == len(set(keys)) and set(keys) == expected
    rows = [json.loads(line) for line in (tmp / "runs" / "dummy.jsonl").read_text().splitlines()]
    sub_keys = [(r["task"], *key_of(r["task"], r)) for r in rows]
    assert len(sub_keys) == len(set(sub_keys))
    assert set(sub_keys) == {
        (t, *k) for t in ("sentence_stance", "article_stance", "claim_detection") for k in shape.expected(t, "test")
    }


def test_conversion_passes_check_and_carries_its_meta(zero_shot, repo):
    tmp, env = zero_shot
    out = natostance("check", tmp / "runs" / "dummy.jsonl", "--gold", repo / "dataset", "--json", env=env, cwd=tmp)
    summary = json.loads(out.stdout)
    assert summary["ok"] and summary["tasks"] == ["sentence_stance", "article_stance", "claim_detection"]
    meta = json.loads((tmp / "runs" / "dummy.meta.json").read_text())
    assert meta["system"] == "dummy (lm-eval dummy, 0-shot)"
    assert meta["trained_on"] == [] and meta["tuned_on"] == [] and meta["kind"] == "system"
    p = meta["parameters"]
    assert meta["protocol"] == "temporal" and p["prompt_version"] == "1" and p["lm_eval_version"] == "0.4.13"
    assert set(p["num_fewshot"].values()) == {0} and p["invalid_answers"] == {}


def test_scores_equal_the_scorer_on_the_samples_own_predictions(zero_shot, repo, gold, tmp_path):
    tmp, env = zero_shot
    cli = json.loads(
        natostance("score", repo / "dataset", tmp / "runs" / "dummy.jsonl", "--json", env=env, cwd=tmp).stdout
    )
    meta = json.loads((tmp / "runs" / "dummy.meta.json").read_text())
    rows = independent_rows(tmp / "out")
    direct_path = tmp_path / "direct.jsonl"
    direct_path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "direct.meta.json").write_text(json.dumps(meta))
    direct = score(gold, direct_path).to_dict()
    assert cli["tasks"].keys() == direct["tasks"].keys() == {"sentence_stance", "article_stance", "claim_detection"}
    for task in cli["tasks"]:
        assert cli["tasks"][task]["metrics"] == direct["tasks"][task]["metrics"], task
        assert cli["tasks"][task].get("confusion_matrix") == direct["tasks"][task].get("confusion_matrix")
    # and the harness's own accuracy agrees with the scorer's where both measure the same thing
    (results_path,) = (tmp / "out").rglob("results_*.json")
    harness = json.loads(results_path.read_text())["results"]
    assert harness["natostance_article_stance"]["acc,none"] == pytest.approx(
        cli["tasks"]["article_stance"]["metrics"]["accuracy"]["value"], abs=1e-12
    )


def test_conversion_errors_are_one_clear_line_each(zero_shot, tmp_path):
    tmp, env = zero_shot
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = natostance("lm-eval", "convert", empty, "--out", tmp_path / "x.jsonl", env=env, cwd=tmp, ok=False)
    assert proc.returncode == 1 and proc.stderr.startswith(f"error: {empty}: expected a harness run")
    assert "Traceback" not in proc.stderr

    import shutil

    copy = tmp_path / "out"
    shutil.copytree(tmp / "out", copy)
    (samples,) = copy.rglob("samples_natostance_article_stance_*.jsonl")
    lines = samples.read_text().splitlines()
    samples.write_text("\n".join(lines + lines[:1]) + "\n")
    proc = natostance("lm-eval", "convert", copy, "--out", tmp_path / "x.jsonl", env=env, cwd=tmp, ok=False)
    assert (
        proc.returncode == 1 and f"{samples}:{len(lines) + 1}: duplicate prediction for article_stance/" in proc.stderr
    )
    assert not (tmp_path / "x.jsonl").exists()

    (results_path,) = copy.rglob("results_*.json")
    results = json.loads(results_path.read_text())
    results["n-samples"]["natostance_claim_detection"]["effective"] = 5
    results_path.write_text(json.dumps(results))
    proc = natostance("lm-eval", "convert", results_path, "--out", tmp_path / "x.jsonl", env=env, cwd=tmp, ok=False)
    assert (
        proc.returncode == 1
        and "natostance_claim_detection: expected every unit (a run without --limit)" in proc.stderr
    )

    proc = natostance(
        "lm-eval",
        "convert",
        copy,
        "--task",
        "natostance_nothing",
        "--out",
        tmp_path / "x.jsonl",
        env=env,
        cwd=tmp,
        ok=False,
    )
    assert proc.returncode == 1 and "found natostance_nothing" in proc.stderr


def test_generation_and_few_shot_from_train_only(work, repo, gold):
    """Generative variants with 2 examples: the examples' articles are train articles; the dummy's "lol"
    answers are all invalid, counted, and still give a complete submission that passes check."""
    tmp, env = work
    out = harness_run(work, "out-gen", ("natostance_sentence_stance_gen", "natostance_claim_detection_gen"), shots=2)
    article_of_title = {a["title"] or "(no title)": a["article_id"] for a in gold.articles.values()}
    assert len(article_of_title) == len(gold.articles)  # the headers tell the articles apart
    for name in ("natostance_sentence_stance_gen", "natostance_claim_detection_gen"):
        for s in samples_of(out, name):
            shown = articles_shown(s, article_of_title)
            assert len(shown) == 3 and shown[-1] == s["doc"]["article_id"]
            assert {gold.articles[a]["split"] for a in shown[:-1]} == {"train"}, s["doc_id"]
    run = tmp / "runs" / "gen.jsonl"
    natostance(
        "lm-eval", "convert", out, "--out", run, "--system", "dummy gen", "--author", "A. Tester", env=env, cwd=tmp
    )
    natostance("check", run, "--gold", repo / "dataset", env=env, cwd=tmp)
    meta = json.loads(run.with_name("gen.meta.json").read_text())
    shape = shape_from_gold(gold)
    assert meta["system"] == "dummy gen" and meta["authors"] == ["A. Tester"] and meta["trained_on"] == ["train"]
    assert meta["parameters"]["invalid_answers"] == {
        "natostance_sentence_stance_gen": len(shape.expected("sentence_stance", "test")),
        "natostance_claim_detection_gen": len(shape.expected("claim_detection", "test")),
    }
    rows = [json.loads(line) for line in run.read_text().splitlines()]
    assert {(r.get("label"), r.get("holder"), r.get("checkworthy")) for r in rows} == {
        ("none", None, None),
        (None, None, False),
    }


def test_a_hugging_face_model_offline(work, repo, gold):
    """``--model hf`` on a checkpoint on disk (built here): long article prompts and generation both go
    through the real tokenizer and model; the run converts, checks and scores."""
    from harness_tiny_lm import build_tiny_lm

    from natostance.evaluation.harness import prompts

    tmp, env = work
    texts = [a["text"] for a in gold.articles.values()] + [prompts.instruction(t) for t in prompts.TASKS]
    model = build_tiny_lm(tmp / "tiny-gpt2", texts)
    out = tmp / "out-hf"
    sh(
        sys.executable,
        "-m",
        "lm_eval",
        "--model",
        "hf",
        "--model_args",
        f"pretrained={model},dtype=float32",
        "--device",
        "cpu",
        "--batch_size",
        "8",
        "--tasks",
        "natostance_article_stance,natostance_claim_detection_gen",
        "--include_path",
        tmp / "tasks",
        "--log_samples",
        "--output_path",
        out,
        env=env,
        cwd=tmp,
    )
    run = tmp / "runs" / "tiny.jsonl"
    natostance("lm-eval", "convert", out, "--out", run, env=env, cwd=tmp)
    natostance("check", run, "--gold", repo / "dataset", env=env, cwd=tmp)
    result = json.loads(natostance("score", repo / "dataset", run, "--json", env=env, cwd=tmp).stdout)
    assert set(result["tasks"]) == {"article_stance", "claim_detection"}
    meta = json.loads(run.with_name("tiny.meta.json").read_text())
    assert meta["system"] == "tiny-gpt2 (lm-eval hf, 0-shot)"
    assert meta["parameters"]["model_args"] == {"pretrained": str(model), "dtype": "float32"}
    generated = [s["resps"][0][0] for s in samples_of(out, "natostance_claim_detection_gen")]
    assert len(generated) == len(shape_from_gold(gold).expected("claim_detection", "test"))
    assert all(isinstance(g, str) for g in generated)
    assert meta["parameters"]["invalid_answers"]["natostance_claim_detection_gen"] == sum(
        parse_answer(g, "claim_detection") is None for g in generated
    )


@pytest.fixture(scope="module")
def cv_run(work):
    """cv tasks with 2 few-shot examples, converted to runs/cv.jsonl."""
    tmp, env = work
    out = harness_run(work, "out-cv", ("natostance_sentence_stance_cv", "natostance_article_stance_cv"), shots=2)
    natostance("lm-eval", "convert", out, "--out", tmp / "runs" / "cv.jsonl", env=env, cwd=tmp)
    return out, tmp / "runs" / "cv.jsonl"


def test_cross_validation_with_examples_from_other_folds_only(work, cv_run, repo, gold):
    """cv tasks: every gold unit of every split once; each few-shot example from an article of another
    fold than the evaluated one; the submission declares protocol cv and scores over all gold articles."""
    tmp, env = work
    out, run = cv_run
    fold_of = gold_folds(gold).fold_of()
    article_of_title = {a["title"] or "(no title)": a["article_id"] for a in gold.articles.values()}
    assert len(article_of_title) == len(gold.articles)
    shape = shape_from_gold(gold)
    for name in ("natostance_sentence_stance_cv", "natostance_article_stance_cv"):
        task = name.removeprefix("natostance_").removesuffix("_cv")
        samples = samples_of(out, name)
        assert sorted(key_of(task, s["doc"]) for s in samples) == sorted(shape.expected(task, "all"))
        for s in samples:
            shown = articles_shown(s, article_of_title)
            assert len(shown) == 3 and shown[-1] == s["doc"]["article_id"]
            assert s["doc"]["fold"] == fold_of[s["doc"]["article_id"]]
            assert all(fold_of[a] != s["doc"]["fold"] for a in shown[:-1]), s["doc_id"]
    meta = json.loads(run.with_name("cv.meta.json").read_text())
    assert meta["protocol"] == "cv" and meta["trained_on"] == ["test", "train", "validation"]
    natostance("check", run, "--gold", repo / "dataset", "--protocol", "cv", env=env, cwd=tmp)
    result = json.loads(
        natostance("score", repo / "dataset", run, "--protocol", "cv", "--json", env=env, cwd=tmp).stdout
    )
    for task in ("sentence_stance", "article_stance"):
        assert result["tasks"][task]["clusters"] == len(gold.gold_articles()) == len(fold_of)
    proc = natostance("check", run, "--gold", repo / "dataset", env=env, cwd=tmp, ok=False)
    assert proc.returncode == 1 and "protocol: expected 'temporal', found 'cv'" in proc.stderr


def test_the_leaderboard_ranks_converted_runs_under_their_protocols(zero_shot, cv_run, work, repo, tmp_path):
    tmp, env = work
    board_dir = tmp_path / "board"
    board_dir.mkdir()
    for name in ("dummy", "cv"):
        for suffix in (".jsonl", ".meta.json"):
            (board_dir / f"{name}{suffix}").write_bytes((tmp / "runs" / f"{name}{suffix}").read_bytes())
    board = json.loads(
        natostance("leaderboard", board_dir, "--gold", repo / "dataset", "--format", "json", env=env, cwd=tmp).stdout
    )
    shown = {
        (p["protocol"], t, r["system"]) for p in board["protocols"] for t, v in p["tasks"].items() for r in v["rows"]
    }
    temporal, cv = "dummy (lm-eval dummy, 0-shot)", "dummy (lm-eval dummy, 2-shot)"
    assert shown == {("temporal", t, temporal) for t in ("sentence_stance", "article_stance", "claim_detection")} | {
        ("cv", t, cv) for t in ("sentence_stance", "article_stance")
    }
