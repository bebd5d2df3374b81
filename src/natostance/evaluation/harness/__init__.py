"""NATO-Stance as lm-evaluation-harness tasks (issue #18); numbers still come from this project's scorer.

* ``prompts``: instructions, choices and unit texts, built from the label file and the guidelines
  (``guidelines`` reads their definitions); ``PROMPT_VERSION`` and a fingerprint per task.
* ``docs``: the tasks' documents, read through ``datasets.load_dataset`` from a dataset folder or Hub repo,
  for the temporal protocol (evaluate ``test``, few-shot from ``train``) and cross-validation (every gold
  unit, few-shot from the other folds: ``sampler``).
* ``taskfiles``: writes the YAML task files and their ``utils.py`` (``natostance lm-eval tasks``).
* ``run`` and ``convert``: a run's results and logged samples → a submission and its metadata
  (``natostance lm-eval convert``), keyed by the documents' ids.

lm-evaluation-harness is an optional extra (``natostance[lmeval]``): only ``sampler`` imports it, and only
the harness imports ``sampler`` (through the generated ``utils.py``).
"""
