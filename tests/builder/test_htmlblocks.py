"""The HTML fragment reader's fast path (``_simple_blocks``) gives what the standard library parser gives, on
every fragment it takes, and takes the plain fragments WordPress renders."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from natostance.builder.sources.htmlblocks import _simple_blocks, html_blocks, html_to_text, parsed_blocks

REPO = Path(__file__).resolve().parents[2]
PIECES = ["<p>", "</p>", "<P class=\"a b\">", "<div id='x' hidden>", "</div>", "<br>", "<br/>", "<br />", "</br>",
          "<p/>", "<em>", "</em>", "<a href=\"https://x.org/?a=1&amp;b=2\">", "</a>", "<figcaption>", "</figcaption>",
          "<figcaption/>", "<li>", "<h2>", "</h2 >", "<span\ndata-x=\"1\">", "<script>", "</script>", "<style>",
          "<iframe src=\"https://t.co/x\">", "</iframe>", "<!-- c -->", "<!DOCTYPE html>", "<?php ?>", "< p>", "<p-x>",
          "<p a=b>", "<p a=\"x>y\">", "</p a>", "<title>", "<textarea>", "<noscript>", "<svg>", "<xmp>", "&amp;",
          "&lt;p&gt;", "&nbsp;", "&#8217;", "&#x2019;", "&amp", "&foo;", "& ", "&", "<", ">", " ", "\n", "\t", "\r",
          "\x00", "text", "Wörds, more.", "a < b", "x&y", "\u00a0", "  spaced  "]


def _same(fragment: str) -> None:
    fast = _simple_blocks(fragment)
    if fast is not None:
        assert (fast, []) == parsed_blocks(fragment), fragment
    assert html_blocks(fragment) == parsed_blocks(fragment), fragment


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_fast_path_equals_the_parser(fragment):
    _same(fragment)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/&;#pbrdivaem=\"' \n!-x1")), max_size=60))
def test_fast_path_equals_the_parser_on_character_soup(fragment):
    _same(fragment)


def test_fast_path_takes_plain_wordpress_content_and_titles():
    post = json.loads((REPO / "dataset" / "raw" / "004_3bd2d5d455532383.txt").read_text(encoding="utf-8"))
    content = post["content"]["rendered"]
    assert _simple_blocks(content) is not None
    _same(content)
    _same(post["title"]["rendered"])
    assert html_to_text("Trump &amp; NATO\n  talks") == "Trump & NATO talks"
    assert _simple_blocks('<p>a</p><iframe src="https://x.com/a/status/1"></iframe>') is None
    assert html_blocks('<p>a</p><iframe src="https://x.com/a/status/1"></iframe>') == (["a"], ["https://x.com/a/status/1"])
