"""Annotate: the annotation campaign (``natostance annotate ...``).

* ``labelstudio/`` everything that talks to or runs a Label Studio server: client, server and its ``serve``
  wrapper, accounts (``users``), configs and their shortcuts, push, pull, export conversion
* ``passfile.py``  offline passes (label files made outside the browser, posted as their annotator's user)
* ``records.py``   the per-annotator records that ``pull`` writes and everything downstream reads
* ``rounds.py``    a round's manifest (projects pulled from, units complete and open, closed or not)
* ``agreement.py`` Krippendorff's alpha, Cohen's kappa, span F1
* ``adjudicate.py`` + ``goldclaims.py`` gold by majority, every field without one to the adjudication file
  (``decisions.py``); ``normalise.py`` the one span-edge and speaker comparison both use; ``show.py`` each
  open unit with its context; ``usegold.py`` the dataset's sources pointed at a round's gold

Only ``labelstudio/`` sends requests; everything outside it is pure functions over records and files.
"""
