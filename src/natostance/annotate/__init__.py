"""Annotate: the annotation campaign (``natostance annotate ...``).

* ``labelstudio/`` everything that talks to or runs a Label Studio server: client, server, configs, push, pull,
  export conversion
* ``passfile.py``  offline passes (label files made outside the browser, posted as their annotator's user)
* ``records.py``   the per-annotator records that ``pull`` writes and everything downstream reads
* ``agreement.py`` Krippendorff's alpha, Cohen's kappa, span F1; ``adjudicate.py`` majority vote + written decisions

Only ``labelstudio/client.py`` sends requests; everything outside ``labelstudio/`` is pure functions over records.
"""
