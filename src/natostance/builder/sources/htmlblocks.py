"""HTML fragment → paragraph blocks, with the standard library parser (for WordPress ``content.rendered``).

A fragment of plain tags only (``_simple_blocks``: listed tag names, quoted or bare attributes, no comment,
declaration, script, style or iframe) is split by one tag regex instead, giving what the parser gives; any
other fragment goes to the parser.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "section",
          "article", "header", "footer", "pre", "ul", "ol", "table", "figure"}
_SKIP = {"script", "style", "noscript", "template", "svg", "figcaption"}  # a figure's caption is not body text


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.embeds: list[str] = []
        self._buf: list[str] = []
        self._skip = 0

    def _flush(self) -> None:
        text = "".join(self._buf).strip()
        if text:
            self.blocks.append(text)
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self._flush()
        elif tag == "br":
            self._buf.append("\n")
        elif tag == "iframe":
            src = dict(attrs).get("src")
            if src:
                self.embeds.append(src)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)


# tags the fast path takes: none that any Python version's parser reads as raw text (script, style, title,
# textarea, xmp, noscript, ...) or whose attributes the builder reads (iframe)
_PLAIN_TAGS = _BLOCK | {"br", "a", "em", "strong", "b", "i", "u", "s", "span", "sup", "sub", "img", "hr", "figcaption",
                        "cite", "code", "small", "mark", "abbr", "time", "del", "ins", "q", "dl", "dt", "dd", "thead",
                        "tbody", "tfoot", "td", "th", "caption", "picture", "source"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))?)*)"
                  r"\s*(/?)>")


def _simple_blocks(fragment: str) -> list[str] | None:
    """``html_blocks``' blocks of a fragment whose every ``<`` opens a plain tag (``_TAG``, a name in
    ``_PLAIN_TAGS``, an end tag without attributes and not ``</br>``); None for any other fragment."""
    if "\x00" in fragment:
        return None
    blocks: list[str] = []
    buf: list[str] = []
    skip = pos = 0
    while True:
        lt = fragment.find("<", pos)
        text = fragment[pos:] if lt < 0 else fragment[pos:lt]
        if text and not skip:
            buf.append(unescape(text) if "&" in text else text)
        if lt < 0:
            break
        m = _TAG.match(fragment, lt)
        if m is None:
            return None
        closing, name, attrs, self_closing = m.groups()
        name = name.lower()
        if name not in _PLAIN_TAGS or (closing and (attrs or self_closing or name == "br")):
            return None
        if name in _SKIP:
            skip = max(0, skip - 1) if closing else skip + 1 - bool(self_closing)
        elif name in _BLOCK:
            text = "".join(buf).strip()
            if text:
                blocks.append(text)
            buf = []
        elif name == "br" and not closing:
            buf.append("\n")
        pos = m.end()
    text = "".join(buf).strip()
    if text:
        blocks.append(text)
    return blocks


def html_blocks(fragment: str) -> tuple[list[str], list[str]]:
    """Return (text blocks, iframe embed URLs) of an HTML fragment."""
    blocks = _simple_blocks(fragment)
    return (blocks, []) if blocks is not None else parsed_blocks(fragment)


def parsed_blocks(fragment: str) -> tuple[list[str], list[str]]:
    """``html_blocks`` by the standard library parser, whatever the fragment."""
    parser = _Blocks()
    parser.feed(fragment)
    parser.close()
    parser._flush()
    return parser.blocks, parser.embeds


def html_to_text(fragment: str) -> str:
    """Plain text of a short HTML fragment such as a rendered title."""
    return " ".join(" ".join(html_blocks(fragment)[0]).split())
