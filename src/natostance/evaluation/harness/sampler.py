"""Few-shot sampling for the cross-validation tasks: examples only from the other folds.

Imported only by the generated task files (lm-evaluation-harness loads them), never by the core package.
The harness hands the evaluated document to the sampler only when the few-shot split is the evaluated
split, which is how the cv tasks are written (``all`` for both); without it the sampler refuses to draw,
so a hand-edited task file cannot leak the held-out fold into its own prompts.
"""

from __future__ import annotations

from lm_eval.api.samplers import ContextSampler


class OtherFoldsSampler(ContextSampler):
    def sample(self, n: int, eval_doc=None, df=None, **kwargs):
        if n == 0:
            return []
        if eval_doc is None:
            raise ValueError(
                "natostance cv task: expected the evaluated document to exclude its fold from the few-shot "
                "examples (fewshot_split must equal test_split), found none"
            )
        if df:
            self.df = df
        pool = [d for d in self.fewshot_docs() if d["fold"] != eval_doc["fold"]]
        if len(pool) < n:
            raise ValueError(
                f"natostance cv task: expected at least {n} few-shot examples outside fold {eval_doc['fold']}, "
                f"found {len(pool)}"
            )
        return self.rnd.sample(pool, n)
