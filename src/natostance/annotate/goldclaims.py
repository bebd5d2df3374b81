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

**New boundaries.** When the annotators agree there is a claim but every boundary they marked breaks the
span rules, the adjudicator adds a decided entry ``articles/<id>/span/<start>-<end>`` for offsets no
annotator marked (decision: a claim type) and its companion ``.../speaker`` (no annotator voted for this
span, so nobody voted its speaker). It becomes a gold claim with ``span``, ``type`` and ``speaker``
adjudicated, ``n_annotators`` 0 and its text cut from the article text (``texts``: the built dataset the
round was pushed from). The new span must lie inside the article, have start < end and edges the rules
C6/C7 leave as they are, overlap a span an annotator marked (an adjudicator refines a marked claim and
never invents one) without being one after normalisation, and every annotator span of its cluster must
be decided (``drop``, or a claim type to keep it too), so the claim is closed. A ``drop`` for offsets no
annotator marked decides nothing (it is reported as unused).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from natostance import labels as L
from natostance.annotate.adjudicate import Outcome, majority, open_entry, provenance
from natostance.annotate.decisions import check_decision
from natostance.annotate.normalise import normalised_span, speaker_key
from natostance.annotate.records import ClaimSpan, StanceLabel
from natostance.errors import InputError, ManyErrors

DROP = "drop"
Key = tuple[int, int]
SPAN_UNIT = re.compile(r"articles/(.+)/span/(\d+)-(\d+)")


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
               min_annotators: int, round_name: str, out: Outcome, *, texts: Mapping[str, str] | None = None,
               where: Mapping[str, str] | None = None) -> None:
    """``texts`` (article id -> text) and ``where`` (unit -> ``<file>:<line>``) serve new span boundaries."""
    spans = list(spans)
    people = _annotators(stances, spans)
    by_article: dict[str, list[tuple[Key, ClaimSpan]]] = defaultdict(list)
    for s in spans:
        by_article[s.unit_id].append((normalised_span(s.start, s.end, s.text), s))
    proposed: dict[str, list[Key]] = defaultdict(list)  # decided span entries that keep a span, per article
    for unit, d in decided.items():
        if (m := SPAN_UNIT.fullmatch(unit)) and d["decision"] != DROP:
            proposed[m[1]].append((int(m[2]), int(m[3])))
    bounds = _Bounds(decided, texts, where or {}, out)
    for article in sorted(by_article):
        n = len(people[article])
        if n < min_annotators:
            out.waiting.append(f"articles/{article}/claims")
            continue
        first = len(out.claims)
        _article(article, by_article[article], n, decided, round_name, out)
        if proposed.get(article):
            bounds.article(article, by_article[article], proposed[article])
            out.claims[first:] = sorted(out.claims[first:], key=lambda c: (c["start"], c["end"]))
    for article in sorted(proposed.keys() - by_article.keys()):
        for start, end in sorted(proposed[article]):
            bounds.error(unit := f"articles/{article}/span/{start}-{end}", f"no annotator marked a span in article "
                         f"{article}: an adjudicator sets new boundaries only for a claim the annotators marked, never "
                         "adds one")
            bounds.decisions(unit)
    if bounds.errors:
        raise ManyErrors(bounds.errors, f"{len(bounds.errors)} problem(s) with span boundaries set by an adjudicator")


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


class _Bounds:
    """New span boundaries an adjudicator set (module docstring): checked, then gold rows; problems collected."""

    def __init__(self, decided: dict[str, dict], texts: Mapping[str, str] | None, where: Mapping[str, str],
                 out: Outcome):
        self.decided, self.texts, self.where, self.out = decided, texts, where, out
        self._errors: list[tuple[int, str]] = []

    @property
    def errors(self) -> list[str]:
        """The problems in the order of the file's lines."""
        return [message for _, message in sorted(self._errors, key=lambda e: e[0])]

    def error(self, unit: str, problem: str) -> None:
        at = f"{self.where[unit]} ({unit})" if unit in self.where else f"adjudication entry {unit!r}"
        line = self.where.get(unit, "").rpartition(":")[2]
        self._errors.append((int(line) if line.isdigit() else 0, f"{at}: {problem}"))

    def article(self, article: str, marked: list[tuple[Key, ClaimSpan]], keys: list[Key]) -> None:
        marks: dict[Key, dict[str, ClaimSpan]] = defaultdict(dict)
        for key, s in marked:
            marks[key].setdefault(s.annotator, s)
        new = sorted(k for k in set(keys) if k not in marks)
        if not new:
            return
        text = self._text(article, [s for _, s in marked], f"articles/{article}/span/{new[0][0]}-{new[0][1]}")
        if text is None:
            return
        placed = []
        for start, end in new:
            unit = f"articles/{article}/span/{start}-{end}"
            if start >= end:
                self.error(unit, f"start {start} is not before end {end}: a span needs start < end")
            elif end > len(text):
                self.error(unit, f"offsets {start}-{end} lie outside article {article}, whose text has {len(text)} "
                                 "characters")
            else:
                placed.append((start, end))
                continue
            self.decisions(unit)
        cluster = _clusters([*marks, *placed])
        for key in placed:
            self._claim(article, key, marks, cluster, text, marked[0][1].split)

    def _text(self, article: str, spans: list[ClaimSpan], unit: str) -> str | None:
        text = self.texts.get(article) if self.texts is not None else None
        if text is None:
            self.error(unit, f"new boundaries take their text from the article, and no text of article {article} "
                             "was given (the built dataset the round was pushed from: `--dataset`)")
            return None
        wrong = next((s for s in spans if text[s.start:s.end] != s.text), None)
        if wrong is not None:
            self.error(unit, f"the article text given for {article} does not hold {wrong.annotator}'s span "
                             f"{wrong.start}-{wrong.end} {wrong.text[:60]!r}: expected the built dataset the round "
                             "was pushed from (`--dataset`)")
            return None
        return text

    def _claim(self, article: str, key: Key, marks: dict[Key, dict[str, ClaimSpan]], cluster: dict[Key, int],
               text: str, split: str) -> None:
        start, end = key
        unit, span = f"articles/{article}/span/{start}-{end}", text[start:end]
        before = len(self._errors)
        norm = normalised_span(start, end, span)
        if not any(s < end and start < e for s, e in marks):
            self.error(unit, f"{span[:60]!r} overlaps no span an annotator marked in article {article}: an "
                             "adjudicator sets the boundaries of a claim the annotators marked, never adds a claim "
                             "none of them marked")
        elif norm in marks:
            self.error(unit, f"after the edge rules (C6, C7) {start}-{end} is {norm[0]}-{norm[1]}, the span "
                             f"{', '.join(sorted(marks[norm]))} marked: decide articles/{article}/span/"
                             f"{norm[0]}-{norm[1]} instead")
        elif norm != key:
            self.error(unit, f"{span[:60]!r} breaks the edge rules (C6, C7): its boundaries are {norm[0]}-{norm[1]}")
        else:
            open_rivals = [f"articles/{article}/span/{s}-{e} ({', '.join(sorted(marks[(s, e)]))})"
                           for s, e in sorted(marks) if cluster[(s, e)] == cluster[key]
                           and f"articles/{article}/span/{s}-{e}" not in self.decided]
            if open_rivals:
                self.error(unit, "new boundaries close their claim, so every annotator span competing with them "
                                 f"needs its own decision ('{DROP}', or a claim type to keep it too); undecided: "
                                 f"{'; '.join(open_rivals)}")
        ctype, speaker = self.decisions(unit)
        if len(self._errors) > before:
            return
        self.out.used |= {unit, f"{unit}/speaker"}
        self.out.claims.append({"claim_id": f"{article}-{start}-{end}", "article_id": article, "split": split,
                                "start": start, "end": end, "speaker": speaker, "type": ctype, "text": span,
                                **provenance(["span", "type", "speaker"]), "annotators": 0})

    def decisions(self, unit: str) -> tuple[str | None, str | None]:
        """The claim type of new boundaries and the speaker of their companion entry (None: an error noted)."""
        speaker_unit = f"{unit}/speaker"
        if speaker_unit not in self.decided:
            self.error(unit, f"new boundaries need their speaker decided too: add the entry {speaker_unit!r} (decision: "
                             "the speaker as guidelines C10 writes it), since no annotator marked this span")
        ctype = self._decision(unit, L.labels("claim_type"), "a claim type for new boundaries")
        speaker = self._decision(speaker_unit, None, "the speaker as guidelines C10 writes it") \
            if speaker_unit in self.decided else None
        return ctype, speaker

    def _decision(self, unit: str, allowed: tuple[str, ...] | None, what: str) -> str | None:
        try:
            return check_decision(self.decided[unit], allowed, what)
        except InputError as exc:
            self.error(unit, exc.problem)
            return None


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
