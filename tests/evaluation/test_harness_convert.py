"""Reading answers the harness logged: generated text matched to the task's choices."""

from __future__ import annotations

import pytest

from natostance.evaluation.harness.convert import parse_answer


@pytest.mark.parametrize(
    "task, answer, expected",
    [
        ("sentence_stance", "against (quoted)", ("against", "quoted")),
        ("sentence_stance", "  Favor (Author).", ("favor", "author")),
        ("sentence_stance", "none", ("none", None)),
        ("sentence_stance", "neutral", None),  # the holder is part of the answer
        ("sentence_stance", "lol", None),
        ("article_stance", "Neutral — the article reports", ("neutral", None)),
        ("article_stance", "nonexistent", None),
        ("claim_detection", "Yes, it states a number", True),
        ("claim_detection", "no.", False),
        ("claim_detection", "nothing", None),
        ("claim_detection", "", None),
    ],
)
def test_parse_generated_answers(task, answer, expected):
    choice = parse_answer(answer, task)
    if expected is None:
        assert choice is None
    elif task == "claim_detection":
        assert choice.checkworthy is expected
    else:
        assert (choice.label, choice.holder) == expected


def test_the_core_path_never_imports_the_harness():
    """lm-eval is an optional extra: the CLI, task writing and conversion work without importing it."""
    import subprocess
    import sys

    code = (
        "import sys, natostance.cli, natostance.evaluation.harness.taskfiles, natostance.evaluation.harness.convert, "
        "natostance.evaluation.harness.docs; assert 'lm_eval' not in sys.modules, 'lm_eval imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _run_dir(tmp_path, samples, results_patch=None):
    """A harness run written by hand: one article-stance task, the given sample lines."""
    import json

    folder = tmp_path / "out" / "model"
    folder.mkdir(parents=True)
    name = "natostance_article_stance"
    results = {
        "configs": {
            name: {
                "output_type": "multiple_choice",
                "fewshot_split": "train",
                "metadata": {"natostance_task": "article_stance", "protocol": "temporal", "prompt_sha256": "x"},
            }
        },
        "n-samples": {name: {"original": len(samples), "effective": len(samples)}},
        "n-shot": {name: 0},
        "config": {"model": "hf", "model_args": "pretrained=org/model,revision=abc,api_key=SECRET"},
        "lm_eval_version": "0.4.13",
    }
    results.update(results_patch or {})
    (folder / "results_2026-01-01T00-00-00.json").write_text(json.dumps(results))
    lines = [s if isinstance(s, str) else json.dumps(s) for s in samples]
    (folder / f"samples_{name}_2026-01-01T00-00-00.jsonl").write_text("\n".join(lines) + "\n")
    return tmp_path / "out"


def _sample(unit="a1", target="nato", lls=(-3.0, -1.0, -2.0, -4.0)):
    from natostance.labels import labels

    return {
        "doc": {
            "task": "article_stance",
            "unit_id": unit,
            "target": target,
            "split": "test",
            "dataset_version": "0.1.0",
            "prompt_version": "1",
        },
        "arguments": {f"gen_args_{i}": {"arg_0": "prompt", "arg_1": f" {s}"} for i, s in enumerate(labels("stance"))},
        "filtered_resps": [[str(v), "False"] for v in lls],
    }


def test_a_hand_written_run_converts_by_ids(tmp_path):
    from natostance.evaluation.harness.convert import convert
    from natostance.evaluation.harness.run import read_run

    rows, meta = convert(read_run(_run_dir(tmp_path, [_sample("a2", "russia", (-1, -2, -3, -4)), _sample()])))
    assert rows == [
        {"task": "article_stance", "unit_id": "a2", "target": "russia", "label": "favor"},
        {"task": "article_stance", "unit_id": "a1", "target": "nato", "label": "against"},
    ]
    assert meta["system"] == "org/model@abc (lm-eval hf, 0-shot)" and meta["protocol"] == "temporal"
    assert meta["parameters"]["model_args"] == {"pretrained": "org/model", "revision": "abc", "api_key": "***"}
    assert meta["trained_on"] == [] and meta["dataset_version"] == "0.1.0"


@pytest.mark.parametrize(
    "samples, patch, message",
    [
        (
            ["[1, 2]"],
            None,
            r"out/model/samples_natostance_article_stance_.*\.jsonl:1: expected a JSON object, found list",
        ),
        ([{"doc": "x"}], None, "expected a document of task article_stance with unit_id and target"),
        ([dict(_sample(), filtered_resps=[{"a": 1}] * 4)], None, "expected a finite log-likelihood for choice 'favor'"),
        ([dict(_sample(), filtered_resps=[["nan", "False"]] * 4)], None, "expected a finite log-likelihood"),
        ([dict(_sample(), arguments={"gen_args_0": "x"})], None, "expected 'arguments' and 'filtered_resps' with one"),
        ([_sample()], {"configs": []}, "expected a 'configs' object"),
        (
            [_sample()],
            {"n-samples": []},
            r"natostance_article_stance: expected n-samples \(original, effective\), found \{\}",
        ),
        ([_sample(), _sample()], None, "duplicate prediction for article_stance/a1/nato, first at"),
    ],
)
def test_hostile_runs_give_one_clear_error_each(tmp_path, samples, patch, message):
    from natostance.errors import NatoStanceError
    from natostance.evaluation.harness.convert import convert
    from natostance.evaluation.harness.run import read_run

    with pytest.raises(NatoStanceError, match=message):
        convert(read_run(_run_dir(tmp_path, samples, patch)))


def test_a_malformed_field_that_only_feeds_the_metadata_is_tolerated(tmp_path):
    from natostance.evaluation.harness.convert import convert
    from natostance.evaluation.harness.run import read_run

    patch = {"n-shot": {"natostance_article_stance": "many"}, "config": ["not", "an", "object"]}
    rows, meta = convert(read_run(_run_dir(tmp_path, [_sample()], patch)))
    assert len(rows) == 1 and meta["parameters"]["num_fewshot"] == {"natostance_article_stance": 0}
    assert meta["system"] == "model (lm-eval ?, 0-shot)" and meta["trained_on"] == []
