"""Label Studio: everything that talks to, runs, or reads from a Label Studio server.

``client.py`` is the only module that sends requests (API calls, and the sign-up and login forms);
``server.py`` runs a local server in its own virtualenv and ``serve.py`` is the ``annotate server`` verb
around it; ``users.py`` makes annotator accounts; ``config.py`` renders the labeling configs from the label
file (with ``hotkeys.py``); ``tasks.py`` turns dataset units into tasks; ``push.py`` / ``pull.py`` move tasks
and exports; ``convert.py`` turns a raw export into one record per annotator × unit × target.
"""
