"""Evaluation: submission checker, scorer with cluster-bootstrap statistics, leaderboard (issue #5).

Four tasks, each scored on its own:

* ``sentence_stance``: one prediction per (sentence_id, target): stance label, optional holder.
* ``article_stance``: one prediction per (article_id, target): stance label.
* ``claim_detection``: one prediction per sentence_id: check-worthy yes/no plus a ranking score.
* ``claim_spans``: any number of (article_id, start, end, speaker) spans.

Everything joins on ids, never on row position. See ``gold.py`` for what the gold looks like,
``metrics.py`` for every formula and its zero-division policy, ``bootstrap.py`` for the statistics.
"""

TASKS = ("sentence_stance", "article_stance", "claim_detection", "claim_spans")
