"""The harness prompts: label sets from the label file, definitions from it and the guidelines, no corpus text."""

from __future__ import annotations

import pytest

from natostance.errors import InputError
from natostance.evaluation.harness import guidelines, prompts
from natostance.labels import descriptions, labels
from natostance.parquet_io import read_config


def test_choices_come_from_the_label_file():
    sentence = prompts.choices("sentence_stance")
    pairs = {(c.label, c.holder) for c in sentence}
    expected = {("none", None)} | {(s, h) for s in labels("stance") if s != "none" for h in labels("holder")}
    assert pairs == expected and len(sentence) == len(expected)
    assert [c.label for c in prompts.choices("article_stance")] == list(labels("stance"))
    assert [c.checkworthy for c in prompts.choices("claim_detection")] == [False, True]
    with pytest.raises(KeyError):
        prompts.choices("claim_spans")


@pytest.mark.parametrize("task", prompts.TASKS)
def test_instruction_quotes_the_label_file_and_the_guidelines(task):
    text = prompts.instruction(task)
    g = guidelines.load()
    assert f"version {g.version}" in text
    assert text.endswith(", ".join(c.text for c in prompts.choices(task)) + ".")
    if task.endswith("_stance"):
        for kind in ("stance", "target"):
            for label, desc in descriptions(kind).items():
                assert desc in text, (kind, label)
        for desc in g.table("target", labels("target")).values():
            assert desc in text
    if task == "sentence_stance":
        for desc in g.table("label", labels("stance")).values():
            assert desc in text
        for desc in descriptions("holder").values():
            assert desc in text
        assert g.rule("S1") in text
    if task == "claim_detection":
        assert "check-worthy factual claim" in text and g.rule("C1") in text


def test_instructions_hold_no_sentence_of_the_dataset(repo):
    """The guidelines quote train and validation sentences as examples; the prompts must not (under cv
    they would label held-out units for the model)."""
    texts = [prompts.instruction(t) for t in prompts.TASKS]
    sentences = [s["text"] for s in read_config(repo / "dataset", "sentences")]
    assert len(sentences) > 100
    leaked = [s for s in sentences if len(s.split()) >= 6 and any(s.rstrip(".") in t for t in texts)]
    assert leaked == []
    assert not any("(train " in t or "(val " in t or "(invented)" in t for t in texts)


def test_fingerprint_is_stable_and_differs_per_task():
    prints = [prompts.fingerprint(t) for t in prompts.TASKS]
    assert prints == [prompts.fingerprint(t) for t in prompts.TASKS]
    assert len(set(prints)) == len(prints)


def test_guideline_changes_that_drop_a_definition_fail_loudly(tmp_path, repo):
    text = (repo / "annotation" / "guidelines.md").read_text(encoding="utf-8")
    broken = tmp_path / "guidelines.md"
    broken.write_text("\n".join(line for line in text.splitlines() if not line.startswith("| `neutral`")))
    g = guidelines.load(str(broken))
    with pytest.raises(InputError, match=r"guidelines\.md: expected a table headed 'label' .* found none for neutral"):
        g.table("label", labels("stance"))
    with pytest.raises(InputError, match="expected rule Z9"):
        g.rule("Z9")
    with pytest.raises(InputError, match="expected a heading"):
        g.first_paragraph("## 9. Nothing")


def test_clean_drops_corpus_examples_and_cross_references():
    raw = '- sayings about timing (`Peskov said it would take time`, (train 806d/9); "refusing")\n'
    raw += "- see the rule (S2, H4)."
    assert guidelines.clean(raw) == '- sayings about timing ("refusing")\n- see the rule.'
