"""Label Studio labeling configs, generated from the label file (``schemas/labels.schema.json``).

Two projects per round:

* ``sentences`` -- one task per sentence: the sentence with read-only context before and after it,
  and for every target a stance ``<Choices>`` plus a holder ``<Choices>`` (whose stance it is).
* ``articles`` -- one task per article: claim spans (``<Labels>``, one label per claim type) with a
  per-region speaker ``<TextArea>``, and for every target an article-level stance ``<Choices>``.

Result names (``from_name``) are flat and stable: ``stance_<target>``, ``holder_<target>``, ``claim``,
``speaker``. The converter (``convert.py``) parses exactly these names back.

A holder row shows (and is required) only once a stance other than ``none`` is chosen for its target
(Label Studio's ``visibleWhen="choice-selected"``; a hidden row is neither validated nor submitted).
Every choice and claim label has a keyboard shortcut (``hotkeys.py``), shown next to it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from natostance import labels as L
from natostance.annotate.labelstudio.hotkeys import pool

KINDS = ("sentences", "articles")
CLAIM = "claim"
SPEAKER = "speaker"
# text shown pre-wrapped so that CRLF, double spaces and blank lines look the way they are counted
_STYLE = ".htx-text { white-space: pre-wrap; }"


def stance_name(target: str) -> str:
    return f"stance_{target}"


def holder_name(target: str) -> str:
    return f"holder_{target}"


NO_STANCE = "none"  # the stance that has no holder (guidelines: the holder is empty exactly then)


def _choices(parent: ET.Element, name: str, to_name: str, kind: str, keys, **extra: str) -> None:
    attrs = {"name": name, "toName": to_name, "choice": "single-radio", "showInline": "true", "required": "true",
             **extra}
    node = ET.SubElement(parent, "Choices", attrs)
    hints = L.descriptions(kind)
    for value in L.labels(kind):
        ET.SubElement(node, "Choice", {"value": value, "hint": hints[value], "hotkey": next(keys)})


def _target_blocks(root: ET.Element, to_name: str, keys, *, with_holder: bool) -> None:
    titles = L.titles("target")
    with_stance = ",".join(s for s in L.labels("stance") if s != NO_STANCE)
    for target in L.labels("target"):
        block = ET.SubElement(root, "View")
        ET.SubElement(block, "Header", {"value": titles[target], "size": "5"})
        _choices(block, stance_name(target), to_name, "stance", keys)
        if with_holder:
            _choices(block, holder_name(target), to_name, "holder", keys, visibleWhen="choice-selected",
                     whenTagName=stance_name(target), whenChoiceValue=with_stance)


def sentence_config() -> ET.Element:
    root = ET.Element("View")
    ET.SubElement(root, "Style").text = _STYLE
    ctx = ET.SubElement(root, "View")
    ET.SubElement(ctx, "Header", {"value": "Before (context, not to label)", "size": "6"})
    ET.SubElement(ctx, "Text", {"name": "context_before", "value": "$context_before",
                                "selectionEnabled": "false"})
    ET.SubElement(root, "Header", {"value": "Sentence to label", "size": "4"})
    ET.SubElement(root, "View", {"style": "border-left: 4px solid #1677ff; padding-left: 8px"}).append(
        ET.Element("Text", {"name": "sentence", "value": "$sentence"}))
    ctx = ET.SubElement(root, "View")
    ET.SubElement(ctx, "Header", {"value": "After (context, not to label)", "size": "6"})
    ET.SubElement(ctx, "Text", {"name": "context_after", "value": "$context_after",
                                "selectionEnabled": "false"})
    ET.SubElement(root, "Header", {"value": "Stance of this sentence toward each target; once it is not none, "
                                            "whose stance it is (author, or a quoted source)", "size": "5"})
    targets = L.labels("target")
    keys = pool(len(targets) * (len(L.labels("stance")) + len(L.labels("holder"))), "sentences")
    _target_blocks(root, "sentence", keys, with_holder=True)
    return root


def article_config() -> ET.Element:
    root = ET.Element("View")
    ET.SubElement(root, "Style").text = _STYLE
    ET.SubElement(root, "Header", {"value": "$title", "size": "4"})
    keys = pool(len(L.labels("claim_type")) + len(L.labels("target")) * len(L.labels("stance")), "articles")
    ET.SubElement(root, "Header", {"value": "Claims: pick a claim type, then select the claim's words; give the "
                                            "speaker of the selected claim below the text", "size": "6"})
    labels = ET.SubElement(root, "Labels", {"name": CLAIM, "toName": "text"})
    hints = L.descriptions("claim_type")
    for value in L.labels("claim_type"):
        ET.SubElement(labels, "Label", {"value": value, "hint": hints[value], "hotkey": next(keys)})
    scroll = ET.SubElement(root, "View", {"style": "max-height: 60vh; overflow-y: auto"})
    ET.SubElement(scroll, "Text", {"name": "text", "value": "$text", "granularity": "word"})
    region = ET.SubElement(root, "View", {"visibleWhen": "region-selected"})
    ET.SubElement(region, "Header", {"value": "Speaker of the selected claim", "size": "5"})
    ET.SubElement(region, "TextArea", {"name": SPEAKER, "toName": "text", "perRegion": "true",
                                       "editable": "true", "maxSubmissions": "1"})
    ET.SubElement(root, "Header", {"value": "Article-level stance: the article as a whole toward each target "
                                            "(not one sentence)", "size": "4"})
    _target_blocks(root, "text", keys, with_holder=False)
    return root


def render(kind: str) -> str:
    """The labeling-config XML of one project kind, as committed under ``annotation/config/``."""
    builders = {"sentences": sentence_config, "articles": article_config}
    if kind not in builders:
        raise KeyError(f"no project kind {kind!r}; known: {', '.join(KINDS)}")
    root = builders[kind]()
    ET.indent(root, space="  ")
    head = (f"<!-- generated by `natostance annotate config` from schemas/{L.LABELS_FILE} "
            f"(labels version {L.labels_version()}); do not edit -->\n")
    return head + ET.tostring(root, encoding="unicode") + "\n"


def _controls(xml: str) -> tuple[str | None, dict[str, tuple[str, ...]]]:
    """(labels version named in the header comment, control name -> its choice/label values) of a config."""
    import re

    version = re.search(r"labels version ([^)\s]+)\)", xml)
    try:
        root = ET.fromstring(re.sub(r"<!--.*?-->", "", xml, flags=re.S).strip())
    except ET.ParseError:
        return (version.group(1) if version else None), {}
    controls = {node.get("name"): tuple(c.get("value") for c in node if c.tag in ("Choice", "Label"))
                for node in root.iter() if node.tag in ("Choices", "Labels", "TextArea")}
    return (version.group(1) if version else None), controls


def difference(old_xml: str, new_xml: str) -> str:
    """In words: how a project's labeling config differs from the one this package generates now."""
    (old_v, old), (new_v, new) = _controls(old_xml), _controls(new_xml)
    parts = [f"it was made with labels version {old_v or 'unknown'}, this push uses {new_v}"]
    if added := [n for n in new if n not in old]:
        parts.append(f"controls only the new config has: {', '.join(added)}")
    if removed := [n for n in old if n not in new]:
        parts.append(f"controls only the project has: {', '.join(removed)}")
    for name in (n for n in new if n in old and old[n] != new[n]):
        parts.append(f"{name} offers {', '.join(old[name]) or 'nothing'} in the project, "
                     f"{', '.join(new[name]) or 'nothing'} now")
    if len(parts) == 1:
        parts.append("the labels are the same; the layout differs (headings, shortcuts, which rows show when)")
    return "; ".join(parts)


def write_configs(out_dir: str | Path) -> list[Path]:
    """Write ``<out_dir>/<kind>.xml`` for every project kind; return the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = out / f"{kind}.xml"
        path.write_text(render(kind), encoding="utf-8")
        paths.append(path)
    return paths


def check_configs(out_dir: str | Path) -> None:
    """Raise if a committed config differs from the one the label file generates now."""
    from natostance.errors import NatoStanceError

    stale = [f"{Path(out_dir) / f'{k}.xml'}" for k in KINDS
             if not (Path(out_dir) / f"{k}.xml").is_file()
             or (Path(out_dir) / f"{k}.xml").read_text(encoding="utf-8") != render(k)]
    if stale:
        raise NatoStanceError(f"labeling config out of date with schemas/{L.LABELS_FILE}: "
                              f"{', '.join(stale)}; run `natostance annotate config`")
