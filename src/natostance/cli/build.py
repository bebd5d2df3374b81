"""``natostance build`` and ``natostance validate``."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Attach the builder verbs to the main command."""
