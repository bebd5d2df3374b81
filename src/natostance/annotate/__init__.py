"""The annotation campaign: Label Studio configs, push, pull, agreement and adjudication (issue #3).

``client.py`` is the only module that talks to a server; ``server.py`` runs a local one in its own
virtualenv; everything else is pure functions over tasks and records. The CLI verbs
(``natostance annotate ...``) mirror ``push``, ``pull``, ``agreement`` and ``adjudicate``.
"""
