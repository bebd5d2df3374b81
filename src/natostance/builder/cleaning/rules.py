"""Cleaning heuristics kept as data: every rule has a name, a pattern, where it may fire, and what it does.

The cleaning code (``clean.py``) only interprets these tables; adding a publisher means adding rows here.
Each rule's name is what the manifest counts per article, so nothing disappears silently.
Block patterns must match a whole paragraph block (after inline markup is stripped and whitespace
collapsed); ``where`` limits a rule to the first or last few blocks so body text is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEAD, TAIL, ANYWHERE = "head", "tail", "anywhere"
HEAD_BLOCKS, TAIL_BLOCKS = 8, 10

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MDY = rf"{_MONTH} \d{{1,2}}, \d{{4}}"
_DMY = rf"\d{{1,2}} {_MONTH} \d{{4}}"


@dataclass(frozen=True, slots=True)
class Inline:
    """A substitution inside blocks (markup that goes, words that stay)."""

    name: str
    pattern: re.Pattern[str]
    replacement: str
    description: str


@dataclass(frozen=True, slots=True)
class BlockRule:
    """A whole block that is removed; named groups become metadata fields (``Meta`` attribute names)."""

    name: str
    pattern: re.Pattern[str]
    where: str
    description: str
    constants: tuple[tuple[str, object], ...] = ()  # fields set to fixed values when the rule fires

    @property
    def fields(self) -> tuple[str, ...]:
        """The metadata fields this rule fills: its named groups, then its constants."""
        return tuple(self.pattern.groupindex) + tuple(name for name, _ in self.constants)


def _re(p: str) -> re.Pattern[str]:
    return re.compile(p, re.DOTALL)


INLINE: tuple[Inline, ...] = (
    Inline("markdown_link", _re(r"\[([^\[\]\n]+)\]\((?:[^()\s]|\([^()\s]*\))*\)"), r"\1",
           "markdown link [words](url): keep the words"),
    Inline("markdown_autolink", _re(r"<(https?://[^<>\s]+)>"), r"\1", "markdown autolink <url> inside a sentence"),
    Inline("html_inline_tag", _re(r"</?(?:u|b|i|em|strong|span|a|sup|sub|mark|small|font)(?:\s[^<>]*)?>"), "",
           "inline HTML tags such as <u>…</u>: keep the words"),
    Inline("markdown_bold", _re(r"\*\*([^*\n]+?)\*\*"), r"\1", "markdown **bold**: keep the words"),
    Inline("markdown_italic", _re(r"\*(?<![\w*]\*)([^*\s][^*\n]*?)\*(?![\w*])"), r"\1",  # '*' first: found fast
           "markdown *italic*: keep the words"),
)

# A block that is nothing but the URL of an embedded post or video: lifted into Meta.embeds.
EMBED = _re(
    r"<?(https?://(?:www\.|mobile\.)?(?:twitter\.com|x\.com|youtube\.com|youtu\.be|facebook\.com|"
    r"instagram\.com|t\.me|tiktok\.com|vimeo\.com|rumble\.com)/\S+?)>?"
)

LANGUAGES = {
    "Italian": "it", "German": "de", "French": "fr", "Spanish": "es", "Russian": "ru",
    "Ukrainian": "uk", "Polish": "pl", "Portuguese": "pt", "Dutch": "nl", "Greek": "el",
}

BLOCKS: tuple[BlockRule, ...] = (
    # --- aggregator headers -------------------------------------------------------------
    BlockRule("aggregator_header", _re(r"Vogon Today"), HEAD, "Vogon Today aggregator name line", constants=(("republisher", "Vogon Today"),)),
    BlockRule("aggregator_header", _re(r"Selected News from the Galaxy"), HEAD, "Vogon Today tagline"),
    BlockRule("aggregator_header", _re(r"Daily Atlantic"), HEAD,
              "Vogon Today's translated name of Atlantico Quotidiano, printed above the title"),
    # --- bylines and datelines ----------------------------------------------------------
    BlockRule("byline", _re(r"By (?P<author>[^.!?]{2,80})"), HEAD, "author line 'By …'"),
    BlockRule("dateline", _re(rf"(?P<republisher>Global Research), (?P<posted>{_MDY})"), HEAD,
              "Global Research republication line"),
    BlockRule("dateline", _re(rf"(?P<outlet>[A-Z][\w.&' -]{{1,60}}?) (?P<published>{_DMY})"), HEAD,
              "original outlet and date line 'ZeroHedge 12 November 2016'"),
    BlockRule("dateline", _re(rf"Posted on (?P<posted>{_MDY})"), HEAD, "'Posted on <date>' line"),
    BlockRule("taxonomy", _re(r"Region: (?P<categories>.+?) Theme: (?P<tags>.+)"), HEAD,
              "Global Research region/theme line"),
    BlockRule("taxonomy", _re(r"Categor(?:y|ies): (?P<categories>.+)"), HEAD, "category line"),
    BlockRule("taxonomy", _re(r"Tags: (?P<tags>.+)"), HEAD, "tags line"),
    # --- trailers -----------------------------------------------------------------------
    BlockRule("appeared_first_on", _re(r"The post .+ appeared first on (?P<outlet>.+?)\s*\."), TAIL,
              "'The post … appeared first on <outlet>.' trailer"),
    BlockRule("appeared_first_on", _re(r"This post appeared first on (?P<outlet>\S+?)\.?"), TAIL,
              "'This post appeared first on <site>' trailer"),
    BlockRule("machine_translation_notice",
              _re(r"This is a machine translation from (?P<original_language>\w+) language of a post published "
                  r"on (?P<outlet>.+?) at the URL (?P<original_url>\S+) on (?P<published>.+?)\."),
              TAIL, "machine-translation notice: becomes metadata",
              constants=(("machine_translated", True),)),
    BlockRule("publisher_trailer",
              _re(r"The original source of this article is (?P<outlet>.+?) Copyright © (?P<copyright>.+)"),
              TAIL, "Global Research source and copyright line"),
    BlockRule("publisher_trailer", _re(r"Comment on Global Research Articles on our Facebook page"), TAIL,
              "Global Research comment call"),
    BlockRule("publisher_trailer", _re(r"Become a Member of Global Research"), TAIL, "Global Research membership"),
    BlockRule("publisher_trailer", _re(r"Articles by: (?P<author>.+)"), TAIL, "Global Research author list"),
    BlockRule("publisher_trailer", _re(r"(?P<terms>Disclaimer: .+)"), TAIL,
              "Global Research disclaimer with cross-posting terms: kept as metadata"),
    BlockRule("publisher_trailer", _re(r"www\.globalresearch\.ca contains copyrighted material .+"), TAIL,
              "Global Research fair-use notice"),
    BlockRule("publisher_trailer", _re(r"For media inquiries: \S+"), TAIL, "Global Research contact line"),
    # --- separators ---------------------------------------------------------------------
    BlockRule("section_break", _re(r"(?:[*#~=_-]\s*){3,}|[*•·]"), ANYWHERE, "section break such as '* * *'"),
)

# Words that end a sentence-final abbreviation like "the U.S." only when they start the next sentence.
TERMINAL = ".!?…"
