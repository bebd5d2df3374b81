"""Readers under fuzzing: any bytes give records, rejected records, or one clear InputError — never a traceback."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natostance.builder.document import RawArticle, Rejected
from natostance.errors import InputError
from natostance.builder.process import Drop, process_article
from natostance.builder.sources import read_bytes
from natostance.builder.sourcesfile import SplitRule

FRAGMENTS = [b"{", b"}", b'"content"', b'"rendered"', b":", b"<p>", b"</p>", b"<html>", b"\n\n", b"\r\n", b"\xef\xbb\xbf",
             b"[x](y)", b"Tags: ", b"By ", b"* * *", b"\xe9", b"\x00", b"U.S. ", b"NATO. ", b'"text"', b"\xe2\x80\x9c`"]


def _check(data: bytes) -> None:
    try:
        records = list(read_bytes(data, "fuzz.txt"))
    except InputError as exc:
        assert str(exc).startswith("fuzz.txt")
        return
    for rec in records:
        assert isinstance(rec, (RawArticle, Rejected))
        if isinstance(rec, RawArticle):
            try:
                article, sentences, _ = process_article(rec, {}, SplitRule())
            except Drop:
                continue
            for s in sentences:
                assert article["text"][s["start"]:s["end"]] == s["text"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(data):
    _check(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_structured_fragments(parts):
    _check(b"".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["text", "html", "title", "published", "tags", "machine_translated"]),
                       st.one_of(st.none(), st.text(max_size=30), st.integers(), st.lists(st.text(max_size=5)),
                                 st.booleans()), max_size=5))
def test_jsonl_records(record):
    _check((json.dumps(record) + "\n" + json.dumps(record) + "\n").encode())
