"""Majority vote with an adjudication file for ties and flagged units (pure, plus file helpers).

The adjudication file (``annotation/adjudication.jsonl``) holds one line per unit that the vote could
not settle: ``unit``, ``decision`` (empty until a person decides), ``reason`` and ``who``. A decision
entered there wins over the vote. Raw exports and raw records are never edited: gold is derived.

* stance: per unit x target, the label most annotators chose; a tie, or fewer than
  ``min_annotators`` labels, goes to the file. The holder is the majority among the annotators who
  chose the gold stance; a holder tie is not guessed: it goes to the file as its own unit
  (``sentences/<id>/<target>/holder``, decision: a holder label).
* claim spans: per article, a span (start, end) is gold when more than half of the article's
  annotators marked it, with its majority claim type and speaker; a span marked by exactly half is a
  tie and goes to the file (decision: a claim type to keep it, or ``drop``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from natostance import labels as L
from natostance.annotate.records import ANNOTATION, ClaimSpan, StanceLabel, read_jsonl, write_jsonl
from natostance.errors import InputError

DROP = "drop"
UNIT_TYPE = {"sentences": "sentence", "articles": "article"}  # gold rows use the scorer's unit_type


def _top(counter: Counter) -> tuple[str | None, bool]:
    """(majority value, tied?)"""
    ranked = counter.most_common()
    if not ranked:
        return None, False
    tied = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
    return (None if tied else ranked[0][0]), tied


def _checked(entry: dict, allowed: tuple[str, ...]) -> str:
    if entry["decision"] not in allowed:
        raise InputError(f"adjudication entry {entry['unit']!r}", f"decision {entry['decision']!r}; expected "
                         f"one of {', '.join(allowed)}" + (f" or {DROP}" if "/span/" in entry["unit"] else ""))
    return entry["decision"]


def adjudicate(stances: Iterable[StanceLabel], spans: Iterable[ClaimSpan] = (),
               decisions: Iterable[dict] = (), *, min_annotators: int = 2) -> tuple[list[dict], list[dict], list[dict]]:
    """Return (gold stance rows, gold claim rows, open adjudication entries)."""
    decided = {d["unit"]: d for d in decisions if d.get("decision") not in (None, "")}
    votes: dict[tuple, dict[str, StanceLabel]] = defaultdict(dict)
    for r in stances:
        if not r.cancelled and r.stance is not None:
            votes[(r.kind, r.unit_id, r.target)][r.annotator] = r
    gold, open_ = [], []
    for (kind, unit_id, target), by in sorted(votes.items()):
        unit = f"{kind}/{unit_id}/{target}"
        tally = Counter(r.stance for r in by.values())
        stance, tied = _top(tally)
        reason = (f"tie: {dict(sorted(tally.items()))}" if tied else
                  f"{len(by)} annotator(s), need {min_annotators}" if len(by) < min_annotators else None)
        source = "majority"
        if unit in decided:
            stance, source, reason = _checked(decided[unit], L.labels("stance")), "adjudicated", None
        if reason:
            open_.append({"unit": unit, "decision": None, "reason": reason, "who": None,
                          "votes": {a: r.stance for a, r in sorted(by.items())}})
            continue
        holder, holder_tie = _top(Counter(r.holder for r in by.values() if r.stance == stance and r.holder))
        if kind == "sentences" and stance != "none" and holder is None:
            hunit = f"{unit}/holder"
            if hunit in decided:
                holder = _checked(decided[hunit], L.labels("holder"))
            else:
                open_.append({"unit": hunit, "decision": None, "who": None,
                              "reason": "holder tie" if holder_tie else "no annotator of the gold stance gave a holder",
                              "votes": {a: f"{r.stance}/{r.holder}" for a, r in sorted(by.items())}})
        first = next(iter(by.values()))
        gold.append({"unit_id": unit_id, "unit_type": UNIT_TYPE[kind], "article_id": first.article_id,
                     "split": first.split, "target": target, "label": stance,
                     "holder": holder if kind == "sentences" else None, "source": source,
                     "annotators": len(by), "votes": dict(sorted(tally.items()))})
    claims, claim_open = _claims(spans, decided)
    return gold, claims, open_ + claim_open


def _claims(spans: Iterable[ClaimSpan], decided: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    people: dict[str, set[str]] = defaultdict(set)
    marks: dict[tuple, list[ClaimSpan]] = defaultdict(list)
    for s in spans:
        people[s.unit_id].add(s.annotator)
        marks[(s.unit_id, s.start, s.end)].append(s)
    gold, open_ = [], []
    for (article, start, end), group in sorted(marks.items()):
        unit = f"articles/{article}/span/{start}-{end}"
        n, total = len({s.annotator for s in group}), len(people[article])
        ctype, type_tie = _top(Counter(s.claim_type for s in group))
        speaker, _ = _top(Counter(s.speaker for s in group if s.speaker))  # a tie leaves it empty
        source = "majority"
        if unit in decided:
            if decided[unit]["decision"] == DROP:
                continue
            ctype, source = _checked(decided[unit], L.labels("claim_type")), "adjudicated"
        elif 2 * n < total:
            continue  # a minority span: not gold, not worth a person's time
        elif 2 * n == total or type_tie:
            reason = (f"span marked by {n} of {total} annotators" if 2 * n == total
                      else f"claim type tie: {dict(Counter(s.claim_type for s in group))}")
            open_.append({"unit": unit, "decision": None, "reason": reason, "who": None,
                          "votes": {s.annotator: s.claim_type for s in group},
                          "text": group[0].text})
            continue
        gold.append({"claim_id": f"{article}-{start}-{end}", "article_id": article,
                     "split": group[0].split, "start": start, "end": end, "speaker": speaker,
                     "type": ctype, "text": group[0].text, "source": source, "annotators": n})
    return gold, open_


def run(stance_path: str | Path, claims_path: str | Path | None, adjudication: str | Path,
        gold_dir: str | Path, *, min_annotators: int = 2) -> dict:
    """File front end: read records and the adjudication file, write gold and the updated file."""
    from natostance.annotate.records import read_records

    stances = [r for r in read_records(stance_path) if isinstance(r, StanceLabel)]
    spans = [r for r in read_records(claims_path) if isinstance(r, ClaimSpan)] \
        if claims_path and Path(claims_path).is_file() else []
    adjudication = Path(adjudication)
    entries = read_jsonl(adjudication, f"{ANNOTATION}#/$defs/adjudication") if adjudication.is_file() else []
    gold, claims, open_ = adjudicate(stances, spans, entries, min_annotators=min_annotators)
    # keep every decided entry as it is; replace the undecided ones by the current open list
    kept = [e for e in entries if e.get("decision") not in (None, "")]
    write_jsonl(adjudication, kept + open_)
    gold_dir = Path(gold_dir)
    write_jsonl(gold_dir / "stance.jsonl", gold)
    write_jsonl(gold_dir / "claims.jsonl", claims)
    return {"gold_stance": len(gold), "gold_claims": len(claims), "open": len(open_),
            "decided": len(kept), "adjudication": str(adjudication), "gold_dir": str(gold_dir)}
