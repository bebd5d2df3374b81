"""The one span-edge normalisation (guidelines v1.2, C6/C7) and the one speaker comparison."""

import pytest

from natostance.annotate.normalise import normalised_span, span_bounds, speaker_key


def _norm(span: str) -> str:
    i, j = span_bounds(span)
    return span[i:j]


@pytest.mark.parametrize("span, want", [
    # C6: never the final full stop, nor whitespace at either edge
    ("NATO ships and fighter jets have also been dispatched.", "NATO ships and fighter jets have also been dispatched"),
    ("  Russia massed troops \r\n", "Russia massed troops"),
    # C6: nor a trailing comma, semicolon, colon, dash or ellipsis
    ("It divulged no hard proof of this,", "It divulged no hard proof of this"),
    ("the talks were postponed;", "the talks were postponed"),
    ("Russia has both:", "Russia has both"),
    ("so the minister said —", "so the minister said"),
    ("giving someone respect is low cost, even no cost...", "giving someone respect is low cost, even no cost"),
    ("the deal collapsed…", "the deal collapsed"),
    ("Did Moscow agree?", "Did Moscow agree"),
    # C6 (a): an abbreviation's full stop stays
    ("a written response from the U.S.", "a written response from the U.S."),
    ("the company named Acme Inc.", "the company named Acme Inc."),
    # C6 (b) + C7: a closing mark whose partner is inside stays, with the punctuation before it
    ('the NATO presence does not make Russia feel "safe."', 'the NATO presence does not make Russia feel "safe."'),
    ('" We have no objections ," Kuleba said', '" We have no objections ," Kuleba said'),
    # C7: an edge mark whose partner is outside the span goes
    ('Moscow’s further position will be determined”', "Moscow’s further position will be determined"),
    ('"giving someone respect is low cost', "giving someone respect is low cost"),
    ("«the bloc is expanding", "the bloc is expanding"),
    # C7: a span that is one quotation loses both marks and the punctuation just inside the closing one
    ('"We moved two brigades to the border last week,"', "We moved two brigades to the border last week"),
    ("“The alliance is ready.”", "The alliance is ready"),
    # C6 (c): a bracket stays when its partner is inside, goes when not
    ("missiles (which is why the INF Treaty ended in 2019)", "missiles (which is why the INF Treaty ended in 2019)"),
    ("the INF Treaty ended in 2019).", "the INF Treaty ended in 2019"),
    # apostrophes inside words are not quotation marks
    ("Kyiv’s mayor called it a bluff", "Kyiv’s mayor called it a bluff"),
    ("Europe's armies lack units.", "Europe's armies lack units"),
])
def test_span_edges_follow_guidelines_c6_and_c7(span, want):
    assert _norm(span) == want
    assert _norm(want) == want  # normalising twice changes nothing


def test_normalised_offsets_and_a_span_of_punctuation_only():
    text = 'He said: "NATO is ready."'
    start = text.index('"')
    assert normalised_span(start, len(text), text[start:]) == (start + 1, len(text) - 2)
    assert normalised_span(3, 5, "..") == (3, 5)  # nothing left: the offsets stay as marked


@pytest.mark.parametrize("a, b", [("Organisers", "organisers"), ("the Kremlin", "Kremlin"), ("Spiegel's", "Spiegel"),
                                  ('"Peskov"', "Peskov"), ("German  NATO officer", "German NATO officer"),
                                  ("ＡＦＰ", "AFP")])
def test_speakers_that_mean_the_same_source_compare_equal(a, b):
    assert speaker_key(a) == speaker_key(b)


def test_different_speakers_and_empty_ones():
    assert speaker_key("author") != speaker_key("Spiegel")
    assert speaker_key("Milanović") != speaker_key("Milanovic")  # diacritics are part of the name (C10)
    assert speaker_key(None) is None and speaker_key("  ") is None
