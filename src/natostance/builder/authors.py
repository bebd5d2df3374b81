"""Author lines → a list of names: "By", roles, bios, dates, staff lines, contacts and separators removed.

``names("By TOM KRISHER, AP Auto Writer")`` is ``["Tom Krisher"]``; ``names("Ana Petrova, June 12, 2024")``
is ``["Ana Petrova"]``; ``names("Phil Helsel is a reporter for NBC News")`` is ``["Phil Helsel"]``. A part
that is not a name (a role, a desk, a date, the site's own name given as ``exclude``) is dropped, so a
byline that names nobody gives ``[]``. The word lists are data; the code only applies them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from natostance.builder.abbreviations import TITLES
from natostance.builder.dates import DATE

# "By" in the languages the builder meets, and other lead-ins of a byline (lower case, matched at the start).
LEAD_INS = ("by", "von", "par", "por", "di", "door", "av", "af", "przez", "автор", "авторы", "текст", "written by",
            "words by", "reporting by", "posted by", "story by", "author", "authors", "text", "redacción", "reportagem")
# Words that make a part a role, a desk or a staff line rather than a person's name (lower case).
ROLE_WORDS = frozenset("""
staff writer writers reporter reporters editor editors editorial correspondent correspondents contributor
contributors columnist columnists photographer photographers producer anchor analyst intern desk team
newsroom bureau chief senior deputy managing associate special contributing freelance guest administrator
admin webmaster redaktion redaction rédaction redacción redazione redação updated published posted
""".split())
# Words that may stand in a name but are not one alone (connectives kept inside names such as "van der").
NAME_PARTICLES = frozenset("de da do dos das di du del della van von der den ter la le al bin ibn y e st st.".split())
AGENCIES = frozenset(s.lower() for s in ("AP", "AFP", "Reuters", "Associated Press", "Agence France-Presse", "Bloomberg",
                                         "DPA", "ANSA", "EFE", "TASS", "RIA Novosti", "Interfax", "Xinhua", "PTI", "IANS",
                                         "UPI", "Press Association", "PA", "Kyodo", "Yonhap", "Ukrinform"))
_TITLE_DOT = "".join(f"(?<!\\b{t})" for t in sorted(TITLES, key=len) if len(t) >= 3)  # "Prof. Ana Petrova" stays one
_SPLIT = re.compile(rf"\s*(?:;|\||/|,|·|•|\n|(?<=\w{{3}}){_TITLE_DOT}\.\s| and | & | und | et | y | e | и | та | ve |، )\s*",
                    re.IGNORECASE)
_BIO = re.compile(r"\s+(?:is|was|has been|covers|writes|reports)\s+(?:a|an|the|for|on|about)?\b.*$", re.IGNORECASE)
_CONTACT = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|(?<!\w)@\w+")
_DATE = re.compile(rf"{DATE}|\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}}\b)?", re.IGNORECASE)
_LEAD = re.compile(r"^(?:" + "|".join(re.escape(w) for w in sorted(LEAD_INS, key=len, reverse=True)) + r")\b\s*:?\s*",
                   re.IGNORECASE)
_DOMAIN = re.compile(r"\w\.(?:com|net|org|info|news|co|[a-z]{2})\b", re.IGNORECASE)  # "cleveland.com" is a site
NOT_SET = frozenset({"none", "null", "undefined", "n/a", "unknown", "anonymous", "false"})
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’.\-]*|[A-Z]\.)$")
MAX_WORDS = 5


def _clean_part(part: str) -> str:
    part = _LEAD.sub("", part.strip(" -–—:,.()[]\"'“”"))
    part = _BIO.sub("", part)
    return " ".join(part.split()).strip(" -–—:,.()[]\"'“”")


def _is_name(part: str, exclude: set[str]) -> bool:
    words = part.split()
    if not words or len(words) > MAX_WORDS or part.lower() in exclude or part.lower() in NOT_SET:
        return False
    if _DOMAIN.search(part):
        return False
    if part.lower() in AGENCIES:
        return True
    lowered = [w.lower().strip(".") for w in words]
    if any(w in ROLE_WORDS for w in lowered) or all(w in NAME_PARTICLES for w in lowered):
        return False
    if any(ch.isdigit() for ch in part):
        return False
    return all(_NAME_WORD.match(w) for w in words) and any(w[:1].isupper() or not w[:1].isascii() for w in words)


def _case(part: str) -> str:
    """Title case for names printed in capitals ("TOM KRISHER"); short capitals (AP, AFP) stay."""
    if part.isupper() and len(part.replace(" ", "")) > 4:
        return " ".join(w.capitalize() if len(w) > 1 and not w.endswith(".") else w for w in part.split())
    return part


def names(values: str | Iterable[str] | None, exclude: Iterable[str] = ()) -> list[str]:
    """The person (or agency) names in one author value or several, in order, without repeats."""
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    skip = {e.lower() for e in exclude if e} | {"admin", "administrator", "webmaster", "editor", "staff"}
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        text = _CONTACT.sub(" ", str(item))
        text = _LEAD.sub("", " ".join(_DATE.sub(" ", text).split()))
        for raw in _SPLIT.split(text):
            part = _case(_clean_part(raw))
            if part.lower() in {"jr", "sr", "ii", "iii"} and out:
                continue
            if _is_name(part, skip) and part.lower() not in seen:
                seen.add(part.lower())
                out.append(part)
    return out
