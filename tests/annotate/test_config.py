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
