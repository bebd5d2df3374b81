"""Build: raw article files → the dataset folder (``natostance build``).

The chain, one room each:

* ``sources/``   one reader per raw format, chosen from content (plain, markdown-ish, WordPress JSON, HTML, JSON lines)
* ``cleaning/``  pure cleaning steps (``steps.py``) and the cleaning rules kept as data (``rules.py``)
* ``segment.py`` sentence splitting (abbreviation tables in ``abbreviations.py``), ``dates.py`` date parsing
* ``process.py`` one raw record → one article and its sentences (``document.py`` holds the record types)
* ``pipeline.py`` the whole build: ``build(raw_dir, out_dir, BuildOptions)`` — splits, leakage check
  (``leakage.py``), gold configs (``goldconfigs.py``), Parquet, card/manifest/Croissant, atomic swap (``swap.py``)
* ``scale/``     the same per-article step on datatrove (local processes, Slurm, Ray)
"""
