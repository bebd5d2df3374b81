"""The annotation configs of the dataset: ``stance`` and ``claims`` (gold) and ``annotations`` (every raw
label), built from the campaign's files that ``raw/sources.yaml`` names under ``annotations``.

Gold rows must still fit the built text: a unit that no longer exists, or a claim whose offsets no longer
give its text, stops the build with the unit named — an annotation is never silently dropped or moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from natostance.annotate.records import read_jsonl, record_schema
from natostance.builder.sourcesfile import SOURCES_FILE
from natostance.errors import InputError, ManyErrors
from natostance.guard import escape, inside

UNIT_TYPE = {"sentences": "sentence", "articles": "article"}


@dataclass
class AnnotationInputs:
    gold: Path  # folder with stance.jsonl and claims.jsonl (natostance annotate adjudicate)
    records: list[Path]  # folders with stance.jsonl / claims.jsonl of raw records (natostance annotate pull)
    units: set[str] = field(default_factory=set)  # unit ids the gold refers to
    articles: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)  # targets the gold labels

    @classmethod
    def resolve(cls, raw_dir: Path, spec: dict[str, Any] | None, root: Path | None = None) -> AnnotationInputs | None:
        """From the sources file's ``annotations`` entry (paths relative to the raw folder); None if it names
        none or its gold folder is absent (a copy of the raw folder elsewhere). With ``root``, every path must
        lie inside it (``repository_of``), links resolved."""
        if not spec:
            return None
        gold = (raw_dir / spec["gold"]).resolve()
        records = [(raw_dir / r).resolve() for r in spec.get("records", [])]
        if not (gold / "stance.jsonl").is_file():
            return None
        outside = [p for p in (gold, *records) if root is not None and not inside(p, root)]
        if outside:
            raise InputError(SOURCES_FILE, f"annotations: expected folders inside {root}, found {escape(outside[0])} "
                                           "(build with --annotations-anywhere to allow it)")
        inputs = cls(gold, records)
        for row in _jsonl(gold / "stance.jsonl", GOLD + "stance"):
            inputs.units.add(row["unit_id"])
            inputs.articles.add(row["article_id"])
            inputs.targets.add(row["target"])
        return inputs

    def labelling(self) -> dict[str, Any]:
        """Who made the labels: the gold's round and every raw round, each with its annotators' kind
        (``records/<round>/round.json``), ids and guidelines version; the card and datasheet state them."""
        from natostance.annotate.rounds import describe

        records = {r.name: r for r in self.records}
        records.setdefault(self.gold.name, self.gold.parent.parent / "records" / self.gold.name)
        return {"gold_round": self.gold.name, "rounds": [describe(path) for _, path in sorted(records.items())]}

    def warnings(self) -> list[str]:
        """A target of the label file that this gold never labels (the label file grew after the round)."""
        from natostance import labels as L

        return [f"warning: target {t!r} of schemas/{L.LABELS_FILE} (labels version {L.labels_version()}) has no gold "
                f"label in {self.gold}: the stance config has no rows for it; annotate a round with this label file"
                for t in L.labels("target") if t not in self.targets]


def repository_of(folder: Path) -> Path:
    """The project holding a raw folder: the git repository (the nearest folder above it with ``.git``), else
    the folder two levels up (``<project>/dataset/raw``, whose campaign files are ``../../annotation``)."""
    folder = folder.resolve()
    repo = next((p for p in (folder, *folder.parents) if (p / ".git").exists()), None)
    return repo or (folder.parents[1] if len(folder.parents) > 1 else folder)


GOLD = "urn:natostance:schemas:annotation-gold#/$defs/"  # schemas/annotation-gold.schema.json


def _jsonl(path: Path, schema) -> list[dict[str, Any]]:
    return read_jsonl(path, schema) if path.is_file() else []


def build_rows(inputs: AnnotationInputs, texts: dict[str, str], splits: dict[str, str],
               sentences: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of the three configs. ``texts``/``splits``: article id -> text/split; ``sentences``: sentence ids."""
    errors: list[str] = []

    def known(unit_type: str, unit_id: str, article_id: str, where: str) -> bool:
        ok = (unit_id in sentences) if unit_type == "sentence" else (unit_id in texts)
        if not ok or article_id not in texts:
            errors.append(f"{where}: annotated {unit_type} {unit_id} is not in this build (its text changed or "
                          "it was removed): re-map or re-annotate it")
        return ok and article_id in texts

    stance = []
    for g in _jsonl(inputs.gold / "stance.jsonl", GOLD + "stance"):
        if known(g["unit_type"], g["unit_id"], g["article_id"], f"{inputs.gold.name}/stance.jsonl"):
            stance.append({"unit_id": g["unit_id"], "unit_type": g["unit_type"], "article_id": g["article_id"],
                           "split": splits[g["article_id"]], "target": g["target"], "label": g["label"],
                           "holder": g["holder"], "source": g["source"], "adjudicated": g.get("adjudicated"),
                           "n_annotators": g["annotators"]})
    claims = []
    for g in _jsonl(inputs.gold / "claims.jsonl", GOLD + "claim"):
        aid, start, end = g["article_id"], g["start"], g["end"]
        if known("article", aid, aid, f"{inputs.gold.name}/claims.jsonl"):
            if texts[aid][start:end] != g["text"]:
                errors.append(f"claim {aid} {start}-{end}: offsets no longer give its text {g['text'][:40]!r}")
                continue
            claims.append({"claim_id": f"{aid}-{start:06d}-{end:06d}", "article_id": aid, "split": splits[aid],
                           "start": start, "end": end, "text": g["text"], "speaker": g["speaker"],
                           "type": g["type"], "source": g["source"], "adjudicated": g.get("adjudicated"),
                           "n_annotators": g["annotators"]})
    raw = []
    for folder in inputs.records:
        for r in _jsonl(folder / "stance.jsonl", record_schema) + _jsonl(folder / "claims.jsonl", record_schema):
            unit_type = UNIT_TYPE[r["kind"]]
            if not known(unit_type, r["unit_id"], r["article_id"], f"{folder.name}/{r['record']}"):
                continue
            claim = r["record"] == "claim"
            if claim and texts[r["article_id"]][r["start"]:r["end"]] != r["text"]:
                errors.append(f"raw claim {r['article_id']} {r['start']}-{r['end']}: offsets no longer give its text")
                continue
            tail = f"{r['start']}-{r['end']}" if claim else r["target"]
            raw.append({"label_id": f"{folder.name}/{r['annotator']}/{r['unit_id']}/{tail}", "round": folder.name,
                        "record": r["record"], "annotator": r["annotator"], "unit_type": unit_type,
                        "unit_id": r["unit_id"], "article_id": r["article_id"], "split": splits[r["article_id"]],
                        "target": None if claim else r["target"], "stance": None if claim else r["stance"],
                        "holder": None if claim else r["holder"], "start": r["start"] if claim else None,
                        "end": r["end"] if claim else None, "text": r["text"] if claim else None,
                        "claim_type": r["claim_type"] if claim else None, "speaker": r["speaker"] if claim else None,
                        "cancelled": bool(r.get("cancelled", False)), "created_at": r["created_at"],
                        "lead_time": r.get("lead_time")})
    if errors:
        raise ManyErrors(errors, f"build failed: {len(errors)} annotation(s) do not fit the built text")
    return {"stance": stance, "claims": claims, "annotations": raw}
