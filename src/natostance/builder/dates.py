"""Dates as files print them → ISO ``YYYY-MM-DD`` (or ``None`` when a string is not a date we know)."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # the common case: what "%Y-%m-%d" takes, read without strptime
_FORMATS = ("%B %d, %Y", "%d %B %Y", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%b %d, %Y", "%d %b %Y")


def to_iso_date(text: str | None) -> str | None:
    if not text:
        return None
    s = text.strip()
    if _ISO_DAY.fullmatch(s):
        try:
            return date.fromisoformat(s).isoformat()
        except ValueError:
            pass
    for fmt in _FORMATS:
        try:
            return datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(s).date().isoformat()  # RFC 2822: "Sat, 05 Feb 2022 03:50:00 +0000"
    except (TypeError, ValueError, IndexError):
        return None
