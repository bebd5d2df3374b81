"""The one place that holds version numbers.

``__version__`` is the Python package; ``DATASET_VERSION`` is the released dataset (moved by the rules
in DATASHEET.md, by ``natostance release``, which also sets ``DATASET_DATE``, its release date, None while
unreleased); ``SCHEMA_VERSION`` moves with any change to a record schema.
"""

__version__ = "0.1.0"
DATASET_VERSION = "0.1.0"
DATASET_DATE = None
SCHEMA_VERSION = "4"
