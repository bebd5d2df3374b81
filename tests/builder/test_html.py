"""Whole HTML pages: metadata from the page's own markup, the extraction setting chosen per page, language."""

from __future__ import annotations

import json

from natostance.builder import language
from natostance.builder.authors import names
from natostance.builder.sources import html, read_bytes
from natostance.builder.process import process_article
from natostance.builder.sourcesfile import SplitRule

BODY = "".join(f"<p>Paragraph {i}: defence ministers met in Brussels and discussed the eastern flank at length, "
               f"while Russia's envoy said the talks were of no use to anyone.</p>" for i in range(8))
LD = {"@context": "https://schema.org", "@graph": [
    {"@type": "WebSite", "@id": "#site", "name": "Example Herald"},
    {"@type": "Person", "@id": "#ana", "name": "Ana Petrova"},
    {"@type": "NewsArticle", "headline": "Allies weigh a new plan", "datePublished": "2024-03-03T20:15:00-05:00",
     "dateModified": "2024-03-05T08:00:00Z", "author": [{"@id": "#ana"}, {"@type": "Person", "name": "JOHN SMITH, Staff Writer"}],
     "publisher": {"@type": "Organization", "name": "Example Herald"}, "articleSection": "World", "keywords": "NATO, Russia"},
]}


def page(head: str = "", body_top: str = "", lang: str = ' lang="en-GB"') -> str:
    return (f"<!doctype html><html{lang}><head><title>Allies weigh a new plan | Example Herald</title>{head}</head><body>"
            f"<nav><a href='/category/sport'>Sport</a> <a href='/tag/cats'>Cats</a></nav>"
            f"<h1>Example Herald</h1><article><h1>Allies weigh a new plan</h1>{body_top}{BODY}</article>"
            "<section id='comments'><span itemprop='author'>Guest</span>"
            "<meta itemprop='datePublished' content='2030-01-01'></section></body></html>")


def read(text: str):
    (raw,) = list(read_bytes(text.encode(), "page.html"))
    return raw


def test_metadata_from_json_ld_kept_apart_from_modified_and_comments():
    raw = read(page(f'<script type="application/ld+json">{json.dumps(LD)}</script>'
                    '<meta property="og:site_name" content="Example Herald">'))
    m = raw.meta
    assert m.title == "Allies weigh a new plan"  # the <h1> matching the declared headline, not the site's logo h1
    assert m.authors == ["Ana Petrova", "John Smith"]  # @id followed, role dropped, capitals fixed
    assert m.published == "2024-03-03" and m.posted is None  # the date as written, not the modified one
    assert m.outlet == "Example Herald" and m.republisher is None and m.language == "en"
    assert m.categories == ["World"] and m.tags == ["NATO", "Russia"]  # never the site's navigation


def test_metadata_from_meta_tags_and_the_title_suffix():
    head = ('<meta property="article:published_time" content="2019-11-18T20:19:00-05:00">'
            '<meta name="author" content="By Troy L. Smith, cleveland.com">'
            '<meta property="og:site_name" content="U.S.">')
    m = read(page(head)).meta
    assert m.published == "2019-11-18" and m.authors == ["Troy L. Smith"]
    assert m.outlet == "U.S."  # nothing names the site otherwise: the declared name stands
    m = read(page(head + '<script type="application/ld+json">{"@type": "NewsArticle", "publisher": '
                         '{"name": "Example Herald"}}</script>')).meta
    assert m.outlet == "Example Herald"  # the candidate the <title> ends with wins


def test_a_page_that_declares_the_wrong_language_gets_its_texts():
    german = "".join(f"<p>Die Minister der Allianz haben sich am {i}. Tag in Brüssel getroffen und über die Lage an "
                     "der Ostflanke gesprochen, die nicht mit den Plänen der Regierung übereinstimmt.</p>" for i in range(6))
    raw = read(page().replace(BODY, german))
    assert raw.meta.language == "de"
    assert language.decide("ca", "the and of to in is that for it with as was on " * 10) == "ca"  # unmodelled: trusted
    assert language.guess("Мы встретились в Брюсселе и обсудили планы альянса на восточном фланге.") == "ru"


def test_the_default_setting_runs_only_when_precision_keeps_too_little(monkeypatch):
    calls = []

    def fake(tree, **options):
        calls.append(options)
        return "x" * 100 if options.get("favor_precision") else "y" * 1000

    monkeypatch.setattr(html, "_run", fake)
    tree = __import__("trafilatura.utils", fromlist=["load_html"]).load_html(page())
    assert html.main_text(tree) == "y" * 1000 and len(calls) == 2  # 100 chars of a long page: default wins
    monkeypatch.setattr(html, "_run", lambda tree, **o: "x" * 5000 if o.get("favor_precision") else "y" * 6000)
    assert html.main_text(tree) == "x" * 5000  # precision kept most of the page: it stays


def test_a_head_line_that_repeats_the_title_is_dropped():
    raw = read(page(f'<script type="application/ld+json">{json.dumps(LD)}</script>'))
    assert raw.blocks[0] == "Allies weigh a new plan"  # trafilatura keeps the article's own <h1>
    article, _, removals = process_article(raw, {}, SplitRule())
    assert not article["text"].startswith("Allies weigh") and removals.get("title_repeat") == 1


def test_author_lines_become_names_only():
    assert names("Phil Helsel is a reporter for NBC News.") == ["Phil Helsel"]
    assert names("JERUSALEM POST STAFF NOVEMBER") == []
    assert names("Editor | Editorial") == []
    assert names("By Ana Petrova, June 12, 2024") == ["Ana Petrova"]
    assert names(["Reuters"]) == ["Reuters"] and names("admin") == [] and names("None") == []
    assert names("Bill Hoppe | Special to the Pioneer Press") == ["Bill Hoppe"]
    assert names("Jan van der Berg and Mike O'Neil") == ["Jan van der Berg", "Mike O'Neil"]
