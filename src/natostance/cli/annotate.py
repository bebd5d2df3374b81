"""``natostance annotate ...``: the Label Studio campaign verbs (issue #3)."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Attach the ``annotate`` group to the main command."""
