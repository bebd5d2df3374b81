"""Label Studio: everything that talks to, runs, or reads from a Label Studio server.

``client.py`` is the only module that sends requests; ``server.py`` runs a local server in its own
virtualenv; ``config.py`` renders the labeling configs from the label file; ``tasks.py`` turns dataset
units into tasks; ``push.py`` / ``pull.py`` move tasks and exports; ``convert.py`` turns a raw export into
one record per annotator × unit × target.
"""
