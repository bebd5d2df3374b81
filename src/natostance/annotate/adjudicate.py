"""Gold from a round's records: a majority vote per field, every field without a majority decided by an
adjudicator in the round's adjudication file (``decisions.py``). Pure, plus the file front end ``run``.

A value is the **majority** only when more than half of the unit's annotators gave it; anything else goes
to the adjudication file, never to a guess or to null. Every gold row lists the fields an adjudicator
decided (``adjudicated``), and its ``source`` is ``adjudicated`` as soon as one field was.

* stance, per unit x target: the label of more than half of the annotators who labelled the unit; else
  the entry ``<kind>/<unit_id>/<target>`` (decision: a stance label).
* holder (sentences whose gold stance is not ``none``): the holder that more than half of the unit's
  annotators gave together with the gold stance; else ``<kind>/<unit_id>/<target>/holder`` (decision: a
  holder label). An adjudicated stance therefore usually needs its holder adjudicated too.
* claim spans (and span boundaries an adjudicator sets): ``goldclaims.py``.

A unit with fewer labels than ``min_annotators`` is *waiting* (more passes to come): it is counted and
reported, and neither gold nor an adjudication entry. A decision in the file wins over the vote.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from natostance import labels as L
from natostance.annotate.decisions import check_decision, is_decided
from natostance.annotate.records import ClaimSpan, StanceLabel
from natostance.errors import InputError

UNIT_TYPE = {"sentences": "sentence", "articles": "article"}  # gold rows use the scorer's unit_type


def majority(tally: Counter, n: int):
    """The value more than half of ``n`` annotators gave, or None."""
    if not tally:
        return None
    value, count = tally.most_common(1)[0]
    return value if 2 * count > n else None


def open_entry(round_name: str, unit: str, why: str, votes: dict, **extra) -> dict:
    return {"round": round_name, "unit": unit, "decision": None, "reason": None, "who": None, "why_open": why,
            "votes": dict(sorted(votes.items())), **extra}


def provenance(fields: list[str]) -> dict:
    return {"source": "adjudicated" if fields else "majority", "adjudicated": fields}


@dataclass
class Outcome:
    gold: list[dict] = field(default_factory=list)      # gold stance rows
    claims: list[dict] = field(default_factory=list)    # gold claim rows
    open: list[dict] = field(default_factory=list)      # adjudication entries still to decide
    waiting: list[str] = field(default_factory=list)    # units with fewer labels than min_annotators
    used: set[str] = field(default_factory=set)         # decided units that shaped the gold


def _stance_gold(stances: Iterable[StanceLabel], decided: dict[str, dict], min_annotators: int,
                 round_name: str, out: Outcome) -> None:
    votes: dict[tuple, dict[str, StanceLabel]] = defaultdict(dict)
    for r in stances:
        if not r.cancelled and r.stance is not None:
            votes[(r.kind, r.unit_id, r.target)][r.annotator] = r
    for (kind, unit_id, target), by in sorted(votes.items()):
        unit, n = f"{kind}/{unit_id}/{target}", len(by)
        tally = Counter(r.stance for r in by.values())
        fields: list[str] = []
        if unit in decided:
            stance = check_decision(decided[unit], L.labels("stance"), "a stance label")
            fields.append("stance")
            out.used.add(unit)
        elif n < min_annotators:
            out.waiting.append(unit)
            continue
        elif (stance := majority(tally, n)) is None:
            out.open.append(open_entry(round_name, unit, f"no majority among {n} annotators: "
                                       f"{dict(sorted(tally.items()))}", {a: r.stance for a, r in by.items()}))
            continue
        holder = None
        if kind == "sentences" and stance != "none":
            hunit = f"{unit}/holder"
            if hunit in decided:
                holder = check_decision(decided[hunit], L.labels("holder"), "a holder label")
                fields.append("holder")
                out.used.add(hunit)
            else:
                holders = Counter(r.holder for r in by.values() if r.stance == stance and r.holder)
                holder = majority(holders, n)
                if holder is None:
                    out.open.append(open_entry(
                        round_name, hunit, f"gold stance {stance!r}: no holder given by more than half of the {n} "
                        f"annotators ({dict(sorted(holders.items())) or 'none given'})",
                        {a: f"{r.stance}/{r.holder}" for a, r in by.items()}))
                    continue
        first = next(iter(by.values()))
        out.gold.append({"unit_id": unit_id, "unit_type": UNIT_TYPE[kind], "article_id": first.article_id,
                         "split": first.split, "target": target, "label": stance, "holder": holder,
                         **provenance(fields), "annotators": n, "votes": dict(sorted(tally.items()))})


def adjudicate(stances: Iterable[StanceLabel], spans: Iterable[ClaimSpan] = (), decisions: Iterable[dict] = (),
               *, min_annotators: int = 2, round_name: str = "", texts: Mapping[str, str] | None = None,
               where: Mapping[str, str] | None = None) -> Outcome:
    """Gold stance rows, gold claim rows and the entries still open, from one round's records and decisions.
    ``texts`` (article id -> text) is read only for span boundaries an adjudicator set (``goldclaims.py``);
    ``where`` (unit -> ``<file>:<line>``) names the entry's line in their errors."""
    from natostance.annotate.goldclaims import claim_gold

    decided = {d["unit"]: d for d in decisions if is_decided(d)}
    stances = list(stances)
    out = Outcome()
    _stance_gold(stances, decided, min_annotators, round_name, out)
    claim_gold(spans, stances, decided, min_annotators, round_name, out, texts=texts, where=where)
    return out


class DatasetTexts(Mapping[str, str]):
    """Article id -> text of a built dataset's ``articles`` config, read on first use: only span boundaries an
    adjudicator set need it, so a round without them never opens the dataset."""

    def __init__(self, dataset: str | Path):
        self.dataset = Path(dataset)
        self._texts: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._texts is None:
            from natostance.parquet_io import read_config

            try:
                rows = read_config(self.dataset, "articles")
            except (OSError, KeyError, ValueError) as exc:
                raise InputError(str(self.dataset), "expected the built dataset the round was pushed from: span "
                                 f"boundaries an adjudicator set take their text from its articles ({exc})") from None
            self._texts = {a["article_id"]: a["text"] for a in rows if a.get("text") is not None}
        return self._texts

    def __getitem__(self, article_id: str) -> str:
        return self._load()[article_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def run(stance_path: str | Path, claims_path: str | Path | None, adjudication: str | Path,
        gold_dir: str | Path, *, round_name: str | None = None, min_annotators: int = 2,
        dataset: str | Path | None = None) -> dict:
    """File front end: read records and the round's decisions, write gold and the round's open entries.
    ``dataset``: the built dataset the round was pushed from, read only for span boundaries an adjudicator set."""
    from natostance.annotate import decisions as D
    from natostance.annotate.records import read_records

    adjudication = Path(adjudication)
    round_name = round_name or adjudication.stem
    stances = [r for r in read_records(stance_path) if isinstance(r, StanceLabel)]
    spans = [r for r in read_records(claims_path) if isinstance(r, ClaimSpan)] \
        if claims_path and Path(claims_path).is_file() else []
    entries = D.read(adjudication, round_name)
    decided = entries.decided
    out = adjudicate(stances, spans, decided.values(), min_annotators=min_annotators, round_name=round_name,
                     texts=DatasetTexts(dataset) if dataset is not None else None, where=entries.where)
    D.rewrite(entries, out.open)
    gold_dir = Path(gold_dir)
    D.atomic_jsonl(gold_dir / "stance.jsonl", out.gold)
    D.atomic_jsonl(gold_dir / "claims.jsonl", out.claims)
    kinds = Counter(_entry_kind(e["unit"]) for e in out.open)
    return {"round": round_name, "gold_stance": len(out.gold), "gold_claims": len(out.claims), "open": len(out.open),
            "open_by_field": dict(sorted(kinds.items())), "decided": len(out.used),
            "unused_decisions": sorted(set(decided) - out.used), "waiting": len(out.waiting),
            "waiting_examples": out.waiting[:3], "other_rounds_entries": entries.foreign,
            "adjudication": str(adjudication), "gold_dir": str(gold_dir)}


def _entry_kind(unit: str) -> str:
    tail = unit.rsplit("/", 1)[-1]
    if "/span/" in unit:
        return tail if tail in ("type", "speaker") else "span"
    return "holder" if tail == "holder" else "stance"
