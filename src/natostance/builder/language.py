"""The language of a page: what it declares, checked against what its text is written in.

Pages declare a language in ``<html lang>``, ``Content-Language`` or JSON-LD ``inLanguage``; templates
often declare their default language for every page, whatever the article's. ``guess`` reads the text
itself: its script, and for Latin-script text the share of each language's most common function words.
It answers only when the evidence is clear (enough words, a clear winner), else ``None``.
"""

from __future__ import annotations

import re

# The most frequent function words of each language (lower case), few enough to stay unambiguous.
STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "en": "the of and to in is that for it with as was on be by this are from at have an not which or but they has",
    "de": "der die und das ist nicht mit den von zu ein eine sich des auf für im dem auch es sind wird werden bei",
    "fr": "le la les des et est une un du que dans pour pas qui sur au en sont avec ce il par plus ne",
    "es": "el la los las de que y en del se por un una con para es al lo como más pero sus le ya fue",
    "pt": "o a os as de que e do da em um uma para com não é no na dos das por mais se ao foi pelo",
    "it": "il la di che e è per un una non con del della le si da sono al gli nel anche ma come dei",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er ook als bij maar door wordt",
    "pl": "i w na nie się z do to że jest o jak ale po co tak za od przez przy są już jego",
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena ada atau oleh",
    "sv": "och i att det som en på är av för med till den har inte om ett var men så",
    "tr": "ve bir bu da de için ile çok ne ama gibi daha olan olarak var sonra kadar her",
}.items()}
# Scripts that name a language (or a small family) by themselves: (pattern, language).
SCRIPTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\uac00-\ud7af]"), "ko"),
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0590-\u05ff]"), "he"),
    (re.compile(r"[\u0370-\u03ff]"), "el"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
    (re.compile(r"[\u0900-\u097f]"), "hi"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),  # Cyrillic: Ukrainian told apart below by its own letters
)
_UKRAINIAN = re.compile(r"[ієїґ]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 40
SAMPLE = 5000


def primary(tag: str | None) -> str | None:
    """The primary subtag of a BCP-47 tag (``en-US`` → ``en``, ``pt_BR`` → ``pt``), or None if not one."""
    if not tag:
        return None
    head = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return head if re.fullmatch(r"[a-z]{2,3}", head) else None


def guess(text: str) -> str | None:
    sample = text[:SAMPLE]
    letters = len(_WORD.findall(sample)) and sum(len(w) for w in _WORD.findall(sample))
    if not letters:
        return None
    for pattern, lang in SCRIPTS:
        if len(pattern.findall(sample)) > letters / 3:
            if lang == "ru" and len(_UKRAINIAN.findall(sample)) > letters / 200:
                return "uk"
            if lang == "zh" and len(SCRIPTS[1][0].findall(sample)) > letters / 20:
                return "ja"
            return lang
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS:
        return None
    scores = sorted(((sum(w in stop for w in words), lang) for lang, stop in STOPWORDS.items()), reverse=True)
    (best, lang), (second, _) = scores[0], scores[1]
    return lang if best >= 0.15 * len(words) and best >= 1.5 * second else None


def decide(declared: str | None, text: str) -> str | None:
    """The declared language, unless the text is clearly in another one; the text's when none is declared."""
    stated = primary(declared)
    modelled = set(STOPWORDS) | {lang for _, lang in SCRIPTS} | {"uk", "ja"}
    if stated and stated not in modelled:
        return stated  # a language the guesser cannot recognise (Catalan, Romanian…): trust the page
    return guess(text) or stated
