"""The one place that holds version numbers.

``__version__`` is the Python package; ``DATASET_VERSION`` is the released dataset (moved by the rules
in DATASHEET.md, by ``natostance release``, which also sets ``DATASET_DATE``, its release date, None while
unreleased); ``SCHEMA_VERSION`` moves with any change to a record schema; ``SCORER_VERSION`` moves with any
change that could alter a figure the scorer gives for the same submission and gold (stored results name it,
and the leaderboard refuses a stored result of another scorer version).
"""

__version__ = "0.1.0"
DATASET_VERSION = "0.2.1"
DATASET_DATE = "2026-11-30"
SCHEMA_VERSION = "4"
SCORER_VERSION = "2"
