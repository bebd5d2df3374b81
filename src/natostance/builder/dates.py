"""Dates as files print them → ISO ``YYYY-MM-DD`` (or ``None`` when a string is not a date we know).

``to_iso_date`` takes a whole string that is a date: ISO 8601 (with or without time and zone: the date is
kept as written, never shifted to UTC), RFC 2822, numeric day-month-year forms that cannot be read two
ways, and month names in the languages of ``MONTHS`` with an optional weekday before and a time after
("Tuesday, November 19, 2019 8:03 am ET", "22 de janeiro de 2018 às 0:13", "19. November 2019").
``DATE`` is the same grammar as a regular expression, for cleaning rules that look for datelines.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

# Month names by language (full names and common abbreviations), lower case; index + 1 is the month.
MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("january|jan", "february|feb", "march|mar", "april|apr", "may", "june|jun", "july|jul",
           "august|aug", "september|sept|sep", "october|oct", "november|nov", "december|dec"),
    "de": ("januar|jänner|jan", "februar|feb", "märz|mär", "april|apr", "mai", "juni|jun", "juli|jul",
           "august|aug", "september|sep", "oktober|okt", "november|nov", "dezember|dez"),
    "fr": ("janvier|janv", "février|févr", "mars", "avril|avr", "mai", "juin", "juillet|juil", "août",
           "septembre|sept", "octobre|oct", "novembre|nov", "décembre|déc"),
    "es": ("enero|ene", "febrero|feb", "marzo|mar", "abril|abr", "mayo|may", "junio|jun", "julio|jul",
           "agosto|ago", "septiembre|setiembre|sep", "octubre|oct", "noviembre|nov", "diciembre|dic"),
    "pt": ("janeiro|jan", "fevereiro|fev", "março|mar", "abril|abr", "maio|mai", "junho|jun", "julho|jul",
           "agosto|ago", "setembro|set", "outubro|out", "novembro|nov", "dezembro|dez"),
    "it": ("gennaio|gen", "febbraio|feb", "marzo|mar", "aprile|apr", "maggio|mag", "giugno|giu",
           "luglio|lug", "agosto|ago", "settembre|set", "ottobre|ott", "novembre|nov", "dicembre|dic"),
    "nl": ("januari|jan", "februari|feb", "maart|mrt", "april|apr", "mei", "juni|jun", "juli|jul",
           "augustus|aug", "september|sep", "oktober|okt", "november|nov", "december|dec"),
    "pl": ("stycznia|styczeń|sty", "lutego|luty|lut", "marca|marzec|mar", "kwietnia|kwiecień|kwi",
           "maja|maj", "czerwca|czerwiec|cze", "lipca|lipiec|lip", "sierpnia|sierpień|sie",
           "września|wrzesień|wrz", "października|październik|paź", "listopada|listopad|lis",
           "grudnia|grudzień|gru"),
    "ru": ("января|январь|янв", "февраля|февраль|фев", "марта|март|мар", "апреля|апрель|апр", "мая|май",
           "июня|июнь|июн", "июля|июль|июл", "августа|август|авг", "сентября|сентябрь|сен",
           "октября|октябрь|окт", "ноября|ноябрь|ноя", "декабря|декабрь|дек"),
    "uk": ("січня|січень", "лютого|лютий", "березня|березень", "квітня|квітень", "травня|травень",
           "червня|червень", "липня|липень", "серпня|серпень", "вересня|вересень", "жовтня|жовтень",
           "листопада|листопад", "грудня|грудень"),
}
WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    "dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|segunda-feira|terça-feira|quarta-feira|"
    "quinta-feira|sexta-feira|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|понедельник|вторник|среда|"
    "четверг|пятница|суббота|воскресенье"
)

_MONTH_NUMBER: dict[str, int] = {}
for _names in MONTHS.values():
    for _i, _alternatives in enumerate(_names, start=1):
        for _name in _alternatives.split("|"):
            _MONTH_NUMBER.setdefault(_name, _i)
_MONTH = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))

# The grammar: a weekday, then a day-month-year in one of the forms, then a time. Pieces are named (for
# ``to_iso_date`` to tell which number is which) or not (``DATE``, for use inside other patterns).
def _forms(named: bool) -> str:
    def g(name: str, body: str) -> str:
        return f"(?P<{name}>{body})" if named else f"(?:{body})"

    year, num, dd = r"\d{4}", r"[01]?\d", r"[0-3]?\d"
    day = lambda n: g(f"d{n}", dd) + r"(?:st|nd|rd|th|er|º)?\.?"  # noqa: E731
    return "|".join((
        g("m1", _MONTH) + r"\.? " + day(1) + ",? " + g("y1", year),  # November 19, 2019 / Nov. 19 2019
        day(2) + " (?:de )?" + g("m2", _MONTH) + r"\.?,? (?:de |del )?" + g("y2", year),  # 19 November 2019 / 22 de janeiro de 2018
        g("y3", year) + "-" + g("n3", num) + "-" + g("d3", dd),  # 2019-11-19
        g("d4", dd) + r"\." + g("n4", num) + r"\." + g("y4", year),  # 19.11.2019
        g("a5", dd) + "/" + g("b5", dd) + "/" + g("y5", year),  # 11/19/2019 (when day and month cannot swap)
    ))


_WEEKDAY = rf"(?:(?:{WEEKDAYS})\.?,? )?"
_TIME = r"(?:,? (?:at |às |um |à |a las |alle |в )?\d{1,2}[:.h]\d{2}(?::\d{2})?(?: ?[ap]\.?m\.?)?(?: ?[A-Z]{2,5}| ?[+-]\d{2}:?\d{2}| Uhr| hrs?)?)?"
DATE = rf"(?i:{_WEEKDAY}(?:{_forms(False)}){_TIME})"  # month and weekday names in any case
_WHOLE = re.compile(rf"{_WEEKDAY}(?:{_forms(True)}){_TIME}", re.IGNORECASE)
_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?Z| ?[+-]\d{2}:?\d{2}| ?UTC| ?GMT)?)?")


def _from_match(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    try:
        for i in (1, 2):
            if g[f"m{i}"]:
                return date(int(g[f"y{i}"]), _MONTH_NUMBER[g[f"m{i}"].lower()], int(g[f"d{i}"]))
        if g["y3"]:
            return date(int(g["y3"]), int(g["n3"]), int(g["d3"]))
        if g["y4"]:
            return date(int(g["y4"]), int(g["n4"]), int(g["d4"]))
        a, b = int(g["a5"]), int(g["b5"])
        if a > 12 >= b:
            return date(int(g["y5"]), b, a)
        if b > 12 >= a:
            return date(int(g["y5"]), a, b)
    except ValueError:
        return None
    return None  # 05/06/2019: June or May; not guessed


def to_iso_date(text: str | None) -> str | None:
    if not text:
        return None
    s = " ".join(text.split())
    if iso := _ISO.fullmatch(s):
        try:
            return date.fromisoformat(iso.group(1)).isoformat()  # the date as written, zone or not
        except ValueError:
            return None
    m = _WHOLE.fullmatch(s)
    if m:
        day = _from_match(m)
        return day.isoformat() if day and 1900 <= day.year <= 2100 else None
    try:
        return parsedate_to_datetime(s).date().isoformat()  # RFC 2822: "Sat, 05 Feb 2022 03:50:00 +0000"
    except (TypeError, ValueError, IndexError):
        return None


def find_date(text: str) -> str | None:
    """The first date written anywhere inside a short text (a byline, a JSON-LD string), as ISO."""
    for m in _WHOLE.finditer(text):
        day = _from_match(m)
        if day and 1900 <= day.year <= 2100:
            return day.isoformat()
    return None
