"""Keyboard shortcuts for every choice and label of the generated configs, however many targets there are.

Label Studio gives choices without a ``hotkey`` one of 33 single keys on its own and then stops (so a sixth
target got none). Here every control gets one, in the order the controls appear, from the same 33 keys
(Label Studio's own pool: it leaves out ``r``, ``h`` and ``u``, which the editor uses) and then the same
keys with Shift: 66 shortcuts, enough for 11 targets on the sentence page (4 stances + 2 holders each).
A label file that needs more is refused with the count, never given partial shortcuts.
"""

from __future__ import annotations

from collections.abc import Iterator

from natostance.errors import NatoStanceError

KEYS = "1234567890qwetasdfgzxcvbyiopjklnm"
POOL = tuple(KEYS) + tuple(f"shift+{k}" for k in KEYS)


def pool(needed: int, what: str) -> Iterator[str]:
    """The first ``needed`` shortcuts, or an error saying how many ``what`` needs."""
    if needed > len(POOL):
        raise NatoStanceError(f"the {what} config needs {needed} keyboard shortcuts, {len(POOL)} exist: fewer "
                              "targets per project, or a shortcut pool that fits (annotate/labelstudio/hotkeys.py)")
    return iter(POOL[:needed])
