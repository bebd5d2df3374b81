"""Cleaning heuristics kept as data: every rule has a name, a pattern, where it may fire, and what it does.

The cleaning code (``clean.py``) only interprets these tables; adding a publisher means adding rows here.
Each rule's name is what the manifest counts per article, so nothing disappears silently.
Block patterns must match a whole paragraph block (after inline markup is stripped and whitespace
collapsed); ``where`` limits a rule to the first or last few blocks so body text is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from natostance.builder.dates import DATE

HEAD, TAIL, ANYWHERE = "head", "tail", "anywhere"
HEAD_BLOCKS, TAIL_BLOCKS = 8, 10

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MDY = rf"{_MONTH} \d{{1,2}}, \d{{4}}"
_DMY = rf"\d{{1,2}} {_MONTH} \d{{4}}"
_TIME = r"\d{1,2}[:.]\d{2}(?: ?[AaPp]\.?[Mm]\.?)?(?: [A-Z]{2,4})?"
_NAMES = r"[^.!?|]{2,80}"
_SHORT = r"[^\n]{0,300}"  # the rest of a short block (page furniture is a line, never a paragraph)


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
    publisher: str | None = None  # fires only on this publisher's copies (``Meta.republisher``/``outlet``)

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
    Inline("wordpress_caption", _re(r"\[(?:wp_)?caption\b[^\]]*\].*?\[/(?:wp_)?caption\]"), "",
           "WordPress [caption …]image and caption[/caption] shortcode: the caption is not body text"),
    Inline("wordpress_shortcode",
           _re(r"\[/?(?:embed|gallery|video|audio|playlist|tweet|button|column|row|one_half|one_third|"
               r"contact-form(?:-7)?|wpforms|vc_\w+|et_pb_\w+|su_\w+|fusion_\w+|av_\w+|tie_\w+)\b[^\]]*\]"
               r"|\[[a-z][\w-]*(?: [\w-]+=(?:\"[^\"\]]*\"|'[^'\]]*'|[^\s\]]+))+ ?/?\]"), "",
           "other WordPress shortcodes ([embed], [gallery ids=…], any [name key=\"value\"]): tags go, words stay"),
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
    BlockRule("aggregator_header", _re(r"Selected News from the Galaxy"), HEAD, "Vogon Today tagline",
              publisher="Vogon Today"),
    BlockRule("aggregator_header", _re(r"Daily Atlantic"), HEAD,
              "Vogon Today's translated name of Atlantico Quotidiano, printed above the title", publisher="Vogon Today"),
    # --- bylines and datelines ----------------------------------------------------------
    BlockRule("byline", _re(rf"By (?P<authors>{_NAMES}?),? (?:on )?(?P<published>{DATE})"), HEAD,
              "author and date line 'By Ana Petrova, June 12, 2024'"),
    BlockRule("byline", _re(r"By (?P<authors>[^.!?]{2,80})"), HEAD, "author line 'By …'"),
    BlockRule("dateline", _re(rf"(?P<republisher>Global Research), (?P<posted>{_MDY})"), HEAD,
              "Global Research republication line"),
    BlockRule("dateline", _re(rf"(?P<outlet>[A-Z][\w.&' -]{{1,60}}?) (?P<published>{_DMY})"), HEAD,
              "original outlet and date line 'ZeroHedge 12 November 2016'"),
    BlockRule("dateline", _re(rf"Posted on (?P<posted>{_MDY})"), HEAD, "'Posted on <date>' line"),
    BlockRule("dateline", _re(rf"(?:(?:Published|First published|Publicado|Publié|Veröffentlicht)(?: on| le| am| em| el)?:? )?"
                              rf"(?:{_TIME},? )?(?P<published>{DATE})(?:,? (?:[Bb]y|[Pp]or|[Vv]on|[Pp]ar) (?P<authors>{_NAMES}))?"),
              HEAD, "a head line that is a date (with a weekday, a time, a byline): 'March 3, 2024', "
              "'segunda-feira, 22 de janeiro de 2018 às 0:13', '5:45 AM PST 11/19/2019 by Patrick Shanley'"),
    BlockRule("dateline", _re(rf"(?:Updated|Last updated|Modified|Aktualisiert|Mis à jour|Actualizado|Atualizado|"
                              rf"Aggiornato)(?: on| le| am| em| el| il)?:? (?:{_TIME},? )?{DATE}"), HEAD,
              "'Updated <date>' line: removed, never taken as the publication date"),
    BlockRule("reading_time", _re(r"(?:(?:Reading time|Read time|Tempo de leitura|Tiempo de lectura|Temps de lecture|"
                                  r"Lesezeit|Tempo di lettura):? )?\d{1,3} ?(?:min(?:ute)?s?|minutos?|Minuten?|minuti)"
                                  r"(?: (?:read|de leitura|de lectura|de lecture|Lesezeit|di lettura))?"), HEAD,
              "reading-time line '4 min read', 'Tempo de leitura: 1 minuto'"),
    BlockRule("taxonomy", _re(r"Region: (?P<categories>.+?) Theme: (?P<tags>.+)"), HEAD,
              "Global Research region/theme line"),
    BlockRule("taxonomy", _re(r"Categor(?:y|ies): (?P<categories>.+)"), HEAD, "category line"),
    BlockRule("taxonomy", _re(r"Tags: (?P<tags>.+)"), HEAD, "tags line"),
    BlockRule("taxonomy", _re(r"Filed (?:under|in):? (?P<categories>[^|]{1,200}?)\s*\|?"), ANYWHERE,
              "'Filed under: <category>' line"),
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
              TAIL, "Global Research source and copyright line", publisher="Global Research"),
    BlockRule("publisher_trailer", _re(r"Comment on Global Research Articles on our Facebook page"), TAIL,
              "Global Research comment call", publisher="Global Research"),
    BlockRule("publisher_trailer", _re(r"Become a Member of Global Research"), TAIL, "Global Research membership",
              publisher="Global Research"),
    BlockRule("publisher_trailer", _re(r"Articles by: (?P<authors>.+)"), TAIL, "Global Research author list",
              publisher="Global Research"),
    BlockRule("publisher_trailer", _re(r"(?P<terms>Disclaimer: .+)"), TAIL,
              "Global Research disclaimer with cross-posting terms: kept as metadata", publisher="Global Research"),
    BlockRule("publisher_trailer", _re(r"www\.globalresearch\.ca contains copyrighted material .+"), TAIL,
              "Global Research fair-use notice", publisher="Global Research"),
    BlockRule("publisher_trailer", _re(r"For media inquiries: \S+"), TAIL, "Global Research contact line",
              publisher="Global Research"),
    # --- page furniture any site prints around an article (short lines only) --------------
    BlockRule("page_furniture",
              _re(r"(?:Tags?|Topics|Comments?|\d+ [Cc]omments?|[Cc]omments? \(\d+\)|Share(?: this(?: article| story| post)?)?|"
                  r"Related(?: articles| posts| stories| coverage| content)?|More(?: from| on| in)?[^.!?\n]{0,40}:|"
                  r"Most (?:read|popular|viewed)[^.!?\n]{0,40}|Advertisement|ADVERTISEMENT|Read more|Leave a (?:comment|reply)|"
                  r"Print|Email|Back to top)"), TAIL,
              "a label line left from the page: 'Tags', '3 comments', 'Share this', 'Most read in world news'"),
    BlockRule("page_furniture",
              _re(r"\[?(?:Related(?: post| posts| article| story| content| coverage| reading)?|See also|Read also|"
                  r"Also read|Read more|READ MORE|ALSO READ|RELATED|Recommended|Leia também|Lesen Sie auch|Lire aussi|"
                  r"Leggi anche|Lee también) ?: [^\n]{1,200}\]?"), ANYWHERE,
              "a link to another story: 'Related: …', '[Related: …]', 'Read more: …'"),
    BlockRule("page_furniture", _re(r"[\w’' ]{1,40}: (?:https?://|www\.)\S+"), ANYWHERE,
              "a label and a link: 'Listen: http://…', 'iTunes: http://…'"),
    BlockRule("newsletter_prompt",
              _re(r"(?:Subscribe|Sign up|Get|Join|Register|Don['’]t miss|Never miss|Want|Receive|Stay)\b"
                  r"(?=[^\n]*\b(?:[Nn]ewsletters?|[Ss]ubscri(?:be|bing|ption)s?|inbox)\b)[^\n]{0,200}"), TAIL,
              "a newsletter or subscription prompt in the last blocks: 'Subscribe to the Morning Review newsletter'"),
    BlockRule("contact_line",
              _re(rf"(?:Follow|Reach|Contact|Email|E-mail|Write to|Send)\b(?=[^\n]*(?:Twitter|Facebook|Instagram|"
                  rf"@\w|\S@\S|https?://)){_SHORT}"), TAIL,
              "a 'Follow … on Twitter', 'Email … at …@…' or 'Follow … coverage at https://…' line"),
    BlockRule("credit_line",
              _re(r"\(?(?:(?:Additional )?[Rr]eporting|[Ww]riting|[Ee]diting|[Ee]dited|[Cc]ompiled|[Rr]esearch) by [^\n]{2,300}?\)?"
                  r"|[^\n]{2,160} contributed (?:to )?(?:this|the) (?:report|story|article)\.?"), TAIL,
              "contributor credits: '(Reporting by …; editing by …)', '… contributed to this report.'"),
    BlockRule("source_line", _re(r"(?:SOURCES?|Sources?|Quelle|Fonte|Fuente)s?: [^.!?\n]{2,80}"), TAIL,
              "a closing 'Source: <agency>' line"),
    BlockRule("copyright_line", _re(r"(?:©|\(c\)|Copyright ©?) ?(?P<copyright>[^\n]{2,200})"), TAIL,
              "a closing copyright line: kept as metadata"),
    # --- separators ---------------------------------------------------------------------
    BlockRule("section_break", _re(r"(?:[*#~=_-]\s*){3,}|[*•·]"), ANYWHERE, "section break such as '* * *'"),
)

# What the cleaning steps (steps.py) count under their own names, for the datasheet's table of rules.
STEPS: dict[str, str] = {
    "whitespace": "runs of whitespace collapsed to one space",
    "embed_url": "tweet/video URL lifted into `embeds`",
    "title_line": "first line taken as the title",
    "title_repeat": "a head line repeating the title (of a page or a record) dropped",
    "stray_trailing_artifact": "final block without letters or digits",
    "rejoined_paragraph": "paragraph cut mid-sentence rejoined with the next",
    "duplicate_standfirst": "standfirst repeated as the first paragraph: the earlier copy dropped",
    "duplicate_paragraph": "a long paragraph (15+ words) printed again: the later copy dropped (pull quote)",
    "repeated_label": "a short line without a sentence printed 3+ times ('See it now: Amazon'): every copy dropped",
}

# Words that end a sentence-final abbreviation like "the U.S." only when they start the next sentence.
TERMINAL = ".!?…"
