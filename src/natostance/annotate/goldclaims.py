"""Gold claim spans from a round's claim records (the rules of ``adjudicate.py``, for spans).

Spans are compared after ``normalise.span_bounds`` (guidelines v1.2, C6/C7), and a gold span has those
normalised offsets. Per article, with N = the annotators who submitted the article:

* a span marked by more than half of the N annotators is gold (``span`` by majority);
* a span marked by exactly half goes to adjudication (``articles/<id>/span/<start>-<end>``; decision: a
  claim type to keep it, or ``drop``);
* a span marked by fewer than half is dropped by the majority, unless its *cluster* (the spans that
  overlap it, transitively) holds no majority span although more than half of the annotators marked
  something there: then the annotators agree there is a claim but not on its boundaries, and every span
  of the cluster goes to adjudication.

The claim type and the speaker of a gold span are voted by the annotators whose span overlaps it (each
with the span that overlaps it most); a value needs more than half of the N annotators, else the entry
``.../span/<start>-<end>/type`` or ``.../speaker`` is opened (the speaker compared by
``normalise.speaker_key``). A gold claim never lacks its type or speaker. ``n_annotators`` counts the
annotators whose normalised span is exactly the gold span.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from natostance import labels as L
from natostance.annotate.adjudicate import Outcome, majority, open_entry, provenance
from natostance.annotate.decisions import check_decision
from natostance.annotate.normalise import normalised_span, speaker_key
from natostance.annotate.records import ClaimSpan, StanceLabel

DROP = "drop"
Key = tuple[int, int]


def _clusters(keys: list[Key]) -> dict[Key, int]:
    """Span -> cluster number; spans that overlap (transitively) share one."""
    out, current, reach = {}, -1, -1
    for start, end in sorted(keys):
        if start >= reach:
            current += 1
        out[(start, end)] = current
        reach = max(reach, end)
    return out


def _annotators(stances: list[StanceLabel], spans: list[ClaimSpan]) -> dict[str, set[str]]:
    people: dict[str, set[str]] = defaultdict(set)
    for r in stances:
        if r.kind == "articles" and not r.cancelled:
            people[r.unit_id].add(r.annotator)
    for s in spans:
        people[s.unit_id].add(s.annotator)
    return people


def claim_gold(spans: Iterable[ClaimSpan], stances: list[StanceLabel], decided: dict[str, dict],
               min_annotators: int, round_name: str, out: Outcome) -> None:
    spans = list(spans)
    people = _annotators(stances, spans)
    by_article: dict[str, list[tuple[Key, ClaimSpan]]] = defaultdict(list)
    for s in spans:
        by_article[s.unit_id].append((normalised_span(s.start, s.end, s.text), s))
    for article in sorted(by_article):
        n = len(people[article])
        if n < min_annotators:
            out.waiting.append(f"articles/{article}/claims")
            continue
        _article(article, by_article[article], n, decided, round_name, out)


def _article(article: str, marked: list[tuple[Key, ClaimSpan]], n: int, decided: dict[str, dict],
             round_name: str, out: Outcome) -> None:
    marks: dict[Key, dict[str, ClaimSpan]] = defaultdict(dict)
    for key, s in marked:
        marks[key].setdefault(s.annotator, s)
    cluster = _clusters(list(marks))
    members: dict[int, set[str]] = defaultdict(set)
    has_majority: dict[int, bool] = defaultdict(bool)
    for key, who in marks.items():
        members[cluster[key]] |= set(who)
        has_majority[cluster[key]] |= 2 * len(who) > n
    for key in sorted(marks):
        who, c = marks[key], cluster[key]
        unit = f"articles/{article}/span/{key[0]}-{key[1]}"
        first = next(iter(who.values()))
        text = first.text[key[0] - first.start:key[1] - first.start]
        fields: list[str] = []
        ctype = None
        if unit in decided:
            out.used.add(unit)
            if decided[unit]["decision"] == DROP:
                continue
            ctype = check_decision(decided[unit], L.labels("claim_type"), f"a claim type or {DROP!r}")
            fields += ["span", "type"]
        elif 2 * len(who) <= n:
            contested = 2 * len(who) == n or (not has_majority[c] and 2 * len(members[c]) > n)
            if contested:
                why = (f"span marked by {len(who)} of {n} annotators" if 2 * len(who) == n else
                       f"{len(members[c])} of {n} annotators marked overlapping spans here, none by a majority")
                rivals = [_described(s) for k, w in sorted(marks.items()) if cluster[k] == c for s in w.values()]
                out.open.append(open_entry(round_name, unit, why, {a: s.claim_type for a, s in who.items()},
                                           text=text, spans=rivals))
            continue
        voters = _voters(key, marked)
        row_open = False
        if ctype is None:
            ctype, opened = _field(f"{unit}/type", Counter(s.claim_type for s in voters.values()), n, decided,
                                   L.labels("claim_type"), "a claim type", voters, "claim_type", round_name, text, out)
            fields += ["type"] if opened == "decided" else []
            row_open |= opened == "open"
        speaker, opened = _speaker(unit, voters, n, decided, round_name, text, out)
        fields += ["speaker"] if opened == "decided" else []
        if row_open or opened == "open":
            continue
        out.claims.append({"claim_id": f"{article}-{key[0]}-{key[1]}", "article_id": article, "split": first.split,
                           "start": key[0], "end": key[1], "speaker": speaker, "type": ctype, "text": text,
                           **provenance(fields), "annotators": len(who)})


def _voters(key: Key, marked: list[tuple[Key, ClaimSpan]]) -> dict[str, ClaimSpan]:
    """Per annotator, their span that overlaps ``key`` the most (an exact match first)."""
    best: dict[str, tuple[tuple, ClaimSpan]] = {}
    for (start, end), s in marked:
        overlap = min(end, key[1]) - max(start, key[0])
        if overlap > 0:
            rank = ((start, end) == key, overlap, -abs(start - key[0]) - abs(end - key[1]))
            if s.annotator not in best or rank > best[s.annotator][0]:
                best[s.annotator] = (rank, s)
    return {a: s for a, (_, s) in sorted(best.items())}


def _field(unit, tally, n, decided, allowed, what, voters, attr, round_name, text, out):
    """(value, 'majority' | 'decided' | 'open') of one voted field of a gold span."""
    if unit in decided:
        out.used.add(unit)
        return check_decision(decided[unit], allowed, what), "decided"
    value = majority(tally, n)
    if value is not None:
        return value, "majority"
    out.open.append(open_entry(round_name, unit, f"no {attr.replace('_', ' ')} given by more than half of the {n} "
                               f"annotators: {dict(sorted(tally.items())) or 'none given'}",
                               {a: getattr(s, attr) or "" for a, s in voters.items()}, text=text,
                               spans=[_described(s) for s in voters.values()]))
    return None, "open"


def _speaker(unit, voters, n, decided, round_name, text, out):
    keys = Counter(k for s in voters.values() if (k := speaker_key(s.speaker)))
    key, state = _field(f"{unit}/speaker", keys, n, decided, None, "the speaker as guidelines C10 writes it",
                        voters, "speaker", round_name, text, out)
    if state != "majority":
        return key, state
    forms = Counter(s.speaker.strip() for s in voters.values() if speaker_key(s.speaker) == key)
    return sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0], state


def _described(s: ClaimSpan) -> dict:
    return {"annotator": s.annotator, "start": s.start, "end": s.end, "text": s.text, "type": s.claim_type,
            "speaker": s.speaker}
