"""Readers and format detection: content decides the format; bad bytes give one clear error."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from natostance.builder.document import Rejected
from natostance.errors import InputError
from natostance.builder.sources import _nonblank_lines, detect_format, read_bytes
from natostance.builder.sources.decode import decode

WP = {"title": {"rendered": "A &amp; B"}, "link": "https://example.org/2024/01/02/post/", "date": "2024-01-02T10:00:00",
      "content": {"rendered": "<p>First para.</p>\n<p>Second <em>para</em>.</p><iframe src='https://www.youtube.com/embed/x'></iframe>"},
      "class_list": ["post-1", "category-world-news", "tag-nato"]}
HTML = """<!DOCTYPE html><html><head><title>Allies meet in Brussels</title>
<meta property="og:site_name" content="Example News"></head><body><nav>Home | World</nav>
<article><h1>Allies meet in Brussels</h1><p>NATO defence ministers met in Brussels on Wednesday to discuss
support for Ukraine and the alliance's spending target.</p><p>The meeting ended without a joint statement, officials
said, after two days of talks about air defence and ammunition.</p></article><footer>Contact us</footer></body></html>"""


def test_bom_and_crlf_never_reach_the_text():
    assert decode("\ufeffOne.\r\nTwo.\rThree.".encode("utf-8"), "f") == "One.\nTwo.\nThree."


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"caf\xe9 au lait", "not UTF-8: byte 0xe9 at offset 3; it decodes as Windows-1252/Latin-1"),
        (b"{\"content\": {\"rendered\": ", "malformed JSON at line 1, column 26"),
        (b"[]", "an empty JSON array (expected articles or WordPress posts)"),
        (b"[\n  {\"text\": \"a\"},\n  {\"text\": ", "malformed JSON at line 3, column 12"),
        (b'[{"text": "a"} {"text": "b"}]', "malformed JSON array at line 1, column 16: expected ',' or ']', found '{'"),
        (b'[{"text": "a"}]\nmore', "unexpected text after the JSON array at line 2, column 1"),
        (b"[" * 100_000, "JSON nested too deeply to read at line 1, column 2"),
        (b'{"a": 1}', "neither a WordPress post"),
    ],
)
def test_bad_files_get_one_clear_line_naming_the_file(data, message):
    with pytest.raises(InputError) as err:
        list(read_bytes(data, "raw/bad.txt"))
    assert str(err.value).startswith("raw/bad.txt: ")
    assert message in str(err.value)


def test_format_comes_from_content_not_name():
    assert detect_format(json.dumps(WP), "x.txt") == "wordpress"
    assert detect_format(json.dumps([WP]), "x.txt") == "array"
    assert detect_format(HTML, "x.txt") == "html"
    assert detect_format('{"text": "a"}\n{"text": "b"}\n', "x.txt") == "jsonl"
    assert detect_format("See [this](https://x.org) now.", "x.txt") == "markdown"
    assert detect_format("Just words. And more.", "x.json") == "plain"


def test_wordpress_post_gives_blocks_and_metadata_from_the_json():
    (raw,) = list(read_bytes(json.dumps(WP).encode(), "wp.json"))
    assert raw.blocks == ["First para.", "Second para."]
    m = raw.meta
    assert (m.title, m.posted, m.republisher) == ("A & B", "2024-01-02", "example.org")
    assert m.categories == ["world-news"] and m.tags == ["nato"]
    assert m.embeds == ["https://www.youtube.com/embed/x"]


def test_html_page_main_text_by_trafilatura():
    (raw,) = list(read_bytes(HTML.encode(), "page.html"))
    assert raw.source_format == "html"
    assert raw.meta.title == "Allies meet in Brussels"
    text = " ".join(raw.blocks)
    assert "defence ministers met in Brussels" in text and "Contact us" not in text and "Home | World" not in text


def test_jsonl_reads_every_good_line_and_rejects_bad_ones_by_line():
    lines = [
        json.dumps({"text": "NATO met.\n\nRussia replied.", "title": "T", "published": "2024-03-01", "tags": ["x"]}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Fine.", "published": "yesterday"}),
        json.dumps({"text": "Also fine.", "machine_translated": True, "original_language": "it"}),
    ]
    out = list(read_bytes(("\n".join(lines) + "\n").encode(), "crawl.jsonl"))
    good = [r for r in out if not isinstance(r, Rejected)]
    bad = [str(r) for r in out if isinstance(r, Rejected)]
    assert [g.source_line for g in good] == [1, 5]
    assert good[0].blocks == ["NATO met.", "Russia replied."] and good[0].meta.published == "2024-03-01"
    assert good[1].meta.machine_translated and good[1].meta.original_language == "it"
    assert bad == [
        "crawl.jsonl:2: malformed JSON at column 2: Expecting property name enclosed in double quotes",
        "crawl.jsonl:3: expected a non-empty string in one of text, maintext, content, body, article, html; "
        "found none of them",
        "crawl.jsonl:4: field 'published': expected a date such as 2022-01-27, found 'yesterday'",
    ]
    assert good[0].record_sha256 != good[1].record_sha256


def test_a_json_array_gives_one_record_per_element_named_by_its_line():
    """A WordPress REST listing (/wp-json/wp/v2/posts) and dump objects; bad elements rejected by line."""
    dump = {"text": "NATO met.\n\nRussia replied.", "title": "T", "published": "2024-03-01", "id": 7}
    text = json.dumps([WP, dump, 3, {**WP, "content": {"rendered": " "}}, {"title": "no text"}], indent=2)
    out = list(read_bytes(text.encode(), "posts.json"))
    assert [str(r) for r in out if isinstance(r, Rejected)] == [
        "posts.json:23: expected a JSON object, found int",
        "posts.json:24: WordPress post whose content.rendered holds no text",
        "posts.json:39: expected a non-empty string in one of text, maintext, content, body, article, html; "
        "found none of them",
    ]
    post, article = out[:2]
    lines = text.split("\n")
    assert lines[post.source_line - 1] == "  {" and lines[article.source_line - 1] == "  {"  # where each starts
    assert (post.source_format, post.blocks, post.meta.posted) == ("wordpress", ["First para.", "Second para."], "2024-01-02")
    assert (article.source_format, article.blocks, article.meta.source_id) == ("jsonl", ["NATO met.", "Russia replied."], "7")
    source = json.dumps(WP, indent=2).replace("\n", "\n  ")  # the element's own bytes, as they stand in the array
    (alone,) = read_bytes(source.encode(), "one.json")
    assert post.record_sha256 == alone.record_sha256 == hashlib.sha256(source.encode()).hexdigest()
    assert (post.meta, post.blocks) == (alone.meta, alone.blocks) and alone.source_line is None


@given(st.text(alphabet="ab{ \t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", max_size=40))
def test_format_detection_reads_only_the_head_lines_but_as_splitlines_would(text):
    for n in (1, 2, 3):
        assert _nonblank_lines(text, n) == [ln for ln in text.splitlines() if ln.strip()][:n]
