import json
import subprocess
import sys

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


def test_the_labels_version_moves_with_the_label_sets(monkeypatch):
    from natostance.errors import NatoStanceError

    assert L.labels_version() == L.load_schema(L.LABELS_FILE)["x-labels-version"]
    changed = json.loads(json.dumps(L.load_schema(L.LABELS_FILE)))
    changed["$defs"]["target"]["enum"].append("china")
    monkeypatch.setattr(L, "load_schema", lambda name: changed)
    monkeypatch.setattr(L, "label_defs", lambda: changed["$defs"])
    with pytest.raises(NatoStanceError, match=r"the label sets changed since labels version 1 \(x-labels-digest "
                                              r"[0-9a-f]{16}, the sets now give [0-9a-f]{16}\): raise x-labels-version"):
        L.labels_version()


def test_the_api_function_works_before_and_after_the_module_is_imported():
    code = ("import natostance; a = natostance.labels('stance'); import natostance.builder.pipeline; "
            "b = natostance.labels('stance'); import natostance.labels as m; "
            "assert a == b == m('stance') == m.labels('stance') == ('favor', 'against', 'neutral', 'none'), (a, b)")
    subprocess.run([sys.executable, "-c", code], check=True)
