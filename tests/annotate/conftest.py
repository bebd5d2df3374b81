"""Fixtures for the annotation tests: small dataset rows with awkward text, and a REAL Label Studio.

The server fixture installs the pinned ``label-studio`` into its own cached virtualenv if needed,
builds a template data dir once per machine (the first migration takes ~20 s), copies it for the
session, starts the server on a free loopback port, polls ``/health`` and stops it by PID. Under
``CI=true`` a server that cannot be installed or started fails the tests; it never skips them.
"""

from __future__ import annotations

import pytest

from natostance.annotate.labelstudio import server as S

PASSWORD = S.TEMPLATE_PASSWORD

ARTICLES = {
    "a-0001": ["NATO said on Monday that Russia 🇷🇺 had massed 100,000 troops.",
               "Kyiv’s mayor  called it “a bluff”, and  the Kremlin denied it.",
               "Washington declined to comment."],
    "a-0002": ["The EU  welcomed the talks 👨🏻‍🚒 in Brussels.",
               "Moscow called NATO expansion a threat."],
}
SEPARATORS = ["\r\n", "\r\n\r\n"]  # CRLF inside a paragraph, a blank CRLF line between paragraphs


def make_rows() -> dict[str, list[dict]]:
    """Article and sentence rows shaped like the builder's, with text[start:end] == sentence text."""
    articles, sentences = [], []
    for article_id, parts in ARTICLES.items():
        text, paragraph = "", 0
        spans = []
        for i, part in enumerate(parts):
            if i:
                sep = SEPARATORS[(i - 1) % 2]
                paragraph += sep == "\r\n\r\n"
                text += sep
            spans.append((len(text), len(text) + len(part), paragraph))
            text += part
        articles.append({"article_id": article_id, "split": "test", "title": f"Title of {article_id}",
                         "text": text, "outlet": "example", "published": "2024-01-02",
                         "url": f"https://example.org/{article_id}"})
        for index, (start, end, para) in enumerate(spans):
            sentences.append({"sentence_id": f"{article_id}-s{index:04d}", "article_id": article_id,
                              "split": "test", "index": index, "paragraph": para, "start": start,
                              "end": end, "text": text[start:end]})
    return {"articles": articles, "sentences": sentences}


@pytest.fixture
def rows() -> dict[str, list[dict]]:
    return make_rows()


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory, fail_or_skip):
    try:
        S.install(log=lambda m: print(m))
        srv = S.start_copy(tmp_path_factory.mktemp("ls") / "data")
    except Exception as exc:  # noqa: BLE001 - reported, then fail (CI) or skip (laptop)
        fail_or_skip(f"the Label Studio server is unavailable: {type(exc).__name__}: {exc}")
    print(f"label-studio up at {srv.url} in {srv.startup_s:.2f} s (copied template)")
    yield srv
    srv.stop()


@pytest.fixture
def client(ls_server, monkeypatch):
    from natostance.annotate.labelstudio.client import Client

    monkeypatch.setenv("LABEL_STUDIO_URL", ls_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", ls_server.token)
    return Client()
