"""Evaluation: submission checker, scorer with cluster-bootstrap statistics, protocols, leaderboard.

Four tasks, each scored on its own; everything joins on ids, never on row position.

* ``sentence_stance``: one row per gold (sentence_id, target): ``label`` (stance), optional ``holder``.
* ``article_stance``: one row per gold (article_id, target): ``label``.
* ``claim_detection``: one row per sentence of every gold article: ``checkworthy`` (bool), ``score`` (number, for
  ranking; higher = more check-worthy).
* ``claim_spans``: any number of rows up to 10 per sentence of the article (article_id, start, end, speaker);
  character offsets into the article text, end exclusive. A submission may attempt any subset of tasks; an attempted task must be complete.

Files (schemas in ``schemas/``):

* submission: ``NAME.jsonl`` | ``NAME.csv`` | ``NAME.parquet``, rows as ``submission.schema.json``, e.g.
  ``{"task": "sentence_stance", "unit_id": "<sentence_id>", "target": "nato", "label": "against", "holder": "quoted"}``,
  ``{"task": "claim_spans", "article_id": "<article_id>", "start": 10, "end": 52, "speaker": "Lavrov"}``.
  CSV: one header with the union of columns, empty cells = absent.
* metadata: ``NAME.meta.json`` (``submission-meta.schema.json``): system, authors, url, kind (system | baseline |
  annotator), protocol (cv | temporal, ``protocol.py``), parameters, training_cutoff, dataset_version,
  trained_on, tuned_on, and for annotator rows over part of the gold ``articles``.
* shape manifest (``shape.py``): the ids and targets to predict, no labels; ``natostance shape GOLD --out``.
* gold (``gold.py``): configs ``articles``, ``sentences``, ``stance`` (``gold-stance.schema.json``) and ``claims``
  (``gold-claim.schema.json``) as Parquet (``data/<config>/*.parquet``) or ``<config>.jsonl``.

* folds (``folds.py``): the ``cv`` protocol's folds by article, published as ``folds.json``.
* result: ``natostance score --out`` writes every figure plus the SHA-256 of the submission and metadata and the
  scorer version; the leaderboard re-scores every row and checks stored results against it (``verify.py``).

See ``metrics.py`` for every formula and the zero-division policy (perfect = 1.0, nothing to measure = null
with the reason), ``bootstrap.py`` for the statistics.
"""

TASKS = ("sentence_stance", "article_stance", "claim_detection", "claim_spans")
