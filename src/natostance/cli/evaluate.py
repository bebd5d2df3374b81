"""``natostance check/score/baseline/leaderboard``: the evaluation verbs (issue #5)."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Attach the evaluation verbs to the main command."""
