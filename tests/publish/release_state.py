"""The release state the release tests start from, read from its one source (``natostance._version``), so that
they hold both before and after this repository is released (a uniquely named module: ``conftest`` is not
importable reliably when several test folders have one)."""

from __future__ import annotations

import re

from natostance._version import DATASET_DATE, DATASET_VERSION
from natostance.publish.release import next_versions

CURRENT = DATASET_VERSION
DATE = DATASET_DATE  # None until the first release
NEXT = next_versions(CURRENT)  # {"major": ..., "minor": ..., "patch": ...}
UNRELEASED = "## Unreleased\n"
PENDING = "### Dataset\n- Test: a change waiting for the next release.\n"


def unreleased_items(changelog: str) -> str:
    """The text under CHANGELOG's "## Unreleased" heading, up to the next "## " heading, stripped."""
    body = changelog.split(UNRELEASED, 1)[1]
    nxt = re.search(r"^## ", body, re.MULTILINE)
    return (body[:nxt.start()] if nxt else body).strip()


def with_pending_item(changelog: str) -> str:
    """The CHANGELOG with an item under "## Unreleased" when it has none (as right after a release)."""
    if unreleased_items(changelog):
        return changelog
    return changelog.replace(UNRELEASED, f"{UNRELEASED}\n{PENDING}", 1)
