import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from natostance import labels as L
from natostance.annotate.labelstudio import config as C
from natostance.errors import NatoStanceError

COMMITTED = Path(__file__).resolve().parents[2] / "annotation" / "config"


@pytest.mark.parametrize("kind", C.KINDS)
def test_committed_config_is_the_generated_one(kind):
    assert (COMMITTED / f"{kind}.xml").read_text(encoding="utf-8") == C.render(kind), \
        "run `natostance annotate config` and commit annotation/config/"


def _choices(kind: str) -> dict[str, list[str]]:
    root = ET.fromstring(C.render(kind).split("-->", 1)[1])
    return {c.get("name"): [x.get("value") for x in c.iter("Choice")] for c in root.iter("Choices")}


def test_sentence_config_has_stance_and_holder_for_every_target_from_the_label_file():
    got = _choices("sentences")
    for target in L.labels("target"):
        assert got.pop(C.stance_name(target)) == list(L.labels("stance"))
        assert got.pop(C.holder_name(target)) == list(L.labels("holder"))
    assert got == {}


def test_article_config_has_claim_types_speaker_and_stance_per_target():
    xml = C.render("articles")
    root = ET.fromstring(xml.split("-->", 1)[1])
    labels = next(root.iter("Labels"))
    assert [x.get("value") for x in labels.iter("Label")] == list(L.labels("claim_type"))
    area = next(root.iter("TextArea"))
    assert (area.get("name"), area.get("perRegion")) == (C.SPEAKER, "true")
    assert set(_choices("articles")) == {C.stance_name(t) for t in L.labels("target")}
    for title in L.titles("target").values():
        assert f'value="{title}"' in xml.replace("&amp;", "&")


def test_check_configs_names_the_stale_file(tmp_path):
    C.write_configs(tmp_path)
    C.check_configs(tmp_path)
    (tmp_path / "articles.xml").write_text("<View/>", encoding="utf-8")
    with pytest.raises(NatoStanceError, match=r"articles\.xml.*natostance annotate config"):
        C.check_configs(tmp_path)


def _with_targets(monkeypatch, n: int) -> list[str]:
    """Pretend the label file has ``n`` targets (the README's way of extending targets)."""
    import copy

    defs = copy.deepcopy(L.label_defs())
    extra = [f"extra{i}" for i in range(n - len(defs["target"]["enum"]))]
    defs["target"]["enum"] += extra
    for t in extra:
        defs["target"].setdefault("x-titles", {})[t] = t.title()
    monkeypatch.setattr(L, "label_defs", lambda: defs)
    monkeypatch.setattr(L, "labels_version", lambda: "2")  # a changed label file moves its version
    return extra


@pytest.mark.parametrize("kind", C.KINDS)
@pytest.mark.parametrize("targets", [5, 6, 11])
def test_every_choice_and_label_has_its_own_shortcut_for_any_number_of_targets(kind, targets, monkeypatch):
    _with_targets(monkeypatch, targets)
    root = ET.fromstring(C.render(kind).split("-->", 1)[1])
    keys = [n.get("hotkey") for n in root.iter() if n.tag in ("Choice", "Label")]
    assert len(keys) == len(set(keys)) and None not in keys and len(keys) >= targets * len(L.labels("stance"))
    assert not set(keys) & {"r", "h", "u"}  # the editor's own keys


def test_too_many_targets_for_the_shortcuts_is_refused_with_the_count(monkeypatch):
    _with_targets(monkeypatch, 12)
    with pytest.raises(NatoStanceError, match="the sentences config needs 72 keyboard shortcuts, 66 exist"):
        C.render("sentences")


def test_holder_rows_show_only_once_a_stance_other_than_none_is_chosen():
    root = ET.fromstring(C.render("sentences").split("-->", 1)[1])
    for target in L.labels("target"):
        holder = next(c for c in root.iter("Choices") if c.get("name") == C.holder_name(target))
        assert (holder.get("visibleWhen"), holder.get("whenTagName")) == ("choice-selected", C.stance_name(target))
        assert holder.get("whenChoiceValue").split(",") == [s for s in L.labels("stance") if s != "none"]
        assert holder.get("required") == "true"  # required while shown; Label Studio skips hidden rows


def test_article_config_says_its_stance_rows_are_article_level():
    xml = C.render("articles")
    assert xml.index("Article-level stance: the article as a whole") < xml.index(f'name="{C.stance_name("nato")}"')


def test_a_project_made_with_another_config_is_described_in_words(monkeypatch):
    old = C.render("sentences")
    extra = _with_targets(monkeypatch, 6)
    words = C.difference(old, C.render("sentences"))
    assert f"controls only the new config has: {C.stance_name(extra[0])}, {C.holder_name(extra[0])}" in words
    assert words.startswith("it was made with labels version 1, this push uses 2")
