"""HTML fragment → paragraph blocks, with the standard library parser (for WordPress ``content.rendered``)."""

from __future__ import annotations

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


def html_blocks(fragment: str) -> tuple[list[str], list[str]]:
    """Return (text blocks, iframe embed URLs) of an HTML fragment."""
    parser = _Blocks()
    parser.feed(fragment)
    parser.close()
    parser._flush()
    return parser.blocks, parser.embeds


def html_to_text(fragment: str) -> str:
    """Plain text of a short HTML fragment such as a rendered title."""
    return " ".join(" ".join(html_blocks(fragment)[0]).split())
