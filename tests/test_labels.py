import json

import pytest

from natostance import labels as L


def test_label_sets_come_from_the_one_file():
    raw = json.loads((L.schema_dir() / L.LABELS_FILE).read_text(encoding="utf-8"))["$defs"]
    for kind, spec in raw.items():
        assert L.labels(kind) == tuple(spec["enum"])
    assert L.labels("stance") == ("favor", "against", "neutral", "none")


def test_unknown_label_set_names_the_known_ones():
    with pytest.raises(KeyError, match="no label set 'colour'.*stance"):
        L.labels("colour")


def test_every_label_has_a_description_and_titles_cover_the_set():
    for kind in ("target", "stance", "holder", "claim_type"):
        desc = L.descriptions(kind)
        assert set(desc) == set(L.labels(kind))
        assert all(desc.values()), f"{kind}: a label without a description"
    assert L.titles("target")["united_states"] == "United States"
