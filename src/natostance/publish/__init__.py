"""Publish: the files that describe and ship a built dataset.

* what every build writes besides Parquet: the dataset card (``card.py``), ``croissant.json`` (``croissant.py``,
  prose answers in ``answers.py`` / ``datasheet_answers.yaml``), ``manifest.json`` and ``splits.json`` (``manifest.py``)
* DATASHEET.md's generated blocks (``datasheet.py``, ``datasheet_labels.py``)
* checking and shipping a built folder: ``validation.py`` (``natostance validate``), ``release.py``,
  ``diff.py``, ``hub.py`` (push to the Hugging Face Hub), ``rehydrate.py`` (text-free releases)
"""
