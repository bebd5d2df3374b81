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
