"""``annotate show``: every open adjudication entry of a round with the context an adjudicator needs to write
a reason specific to the unit (the rule and the words that decide it), as Markdown.

* sentence stance and holder: the article's title, the sentence marked ``>>`` between the two sentences
  before and after it, what the target covers (label file), every annotator's stance and holder;
* article stance: the title, each annotator's article label, and the round's sentence labels for that
  target where a majority said ``favor`` or ``against`` (guidelines A2 counts the author-held ones);
* claim spans, types and speakers: the sentence(s) the span lies in with the span marked ``⟦ ⟧``, the
  sentence before (a speaker may be named there), and every annotator's competing span with its type and
  speaker.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from natostance import labels as L
from natostance.annotate import decisions as D
from natostance.annotate.adjudicate import majority
from natostance.annotate.records import StanceLabel, read_records
from natostance.errors import InputError

CONTEXT = 2


class _Texts:
    def __init__(self, dataset: Path):
        from natostance.parquet_io import read_config

        try:
            articles, sentences = read_config(dataset, "articles"), read_config(dataset, "sentences")
        except (OSError, KeyError, ValueError) as exc:
            raise InputError(str(dataset), f"expected the built dataset the round was pushed from ({exc})") from None
        self.titles = {a["article_id"]: a.get("title") or "(no title)" for a in articles}
        self.by_article: dict[str, list[dict]] = defaultdict(list)
        for s in sorted(sentences, key=lambda s: (s["article_id"], s["index"])):
            self.by_article[s["article_id"]].append(s)
        self.sentence = {s["sentence_id"]: s for s in sentences}

    def around(self, sid: str) -> list[str]:
        s = self.sentence.get(sid)
        if s is None:
            return [f"(sentence {sid} is not in this dataset)"]
        rows = self.by_article[s["article_id"]]
        i = rows.index(s)
        return [("**>> " if r is s else "   ") + r["text"] + ("**" if r is s else "")
                for r in rows[max(0, i - CONTEXT):i + CONTEXT + 1]]

    def span(self, article: str, start: int, end: int) -> list[str]:
        rows = self.by_article.get(article, [])
        hit = [i for i, r in enumerate(rows) if r["start"] < end and start < r["end"]]
        if not hit:
            return [f"(offsets {start}-{end} are not in article {article} of this dataset)"]
        out = [f"   {rows[hit[0] - 1]['text']}"] if hit[0] > 0 else []
        for i in hit:
            r = rows[i]
            a, b = max(start, r["start"]) - r["start"], min(end, r["end"]) - r["start"]
            out.append(f"**>> {r['text'][:a]}⟦{r['text'][a:b]}⟧{r['text'][b:]}**")
        return out


def _stance_votes(records: list[StanceLabel], kind: str, unit: str, target: str) -> list[str]:
    return [f"- {r.annotator}: {r.stance}" + (f" / {r.holder}" if r.holder else "")
            for r in records if r.kind == kind and r.unit_id == unit and r.target == target and not r.cancelled]


def _article_evidence(records: list[StanceLabel], texts: _Texts, article: str, target: str) -> list[str]:
    votes: dict[str, list[StanceLabel]] = defaultdict(list)
    for r in records:
        if r.kind == "sentences" and r.article_id == article and r.target == target and r.stance and not r.cancelled:
            votes[r.unit_id].append(r)
    lines, held = [], Counter()
    for sid in sorted(votes, key=lambda s: texts.sentence.get(s, {}).get("index", 0)):
        rs = votes[sid]
        stance = majority(Counter(r.stance for r in rs), len(rs))
        if stance in ("favor", "against"):
            holder = majority(Counter(r.holder for r in rs if r.stance == stance), len(rs)) or "holder open"
            held[(stance, holder)] += 1
            lines.append(f"- {stance} ({holder}): {texts.sentence.get(sid, {}).get('text', sid)}")
    head = (f"Sentences of this round labelled favor/against {target} by a majority: author-held favor "
            f"{held[('favor', 'author')]}, against {held[('against', 'author')]}; quoted favor "
            f"{held[('favor', 'quoted')]}, against {held[('against', 'quoted')]}")
    return [head, *lines] if lines else [head + " (none)"]


def _entry(e: dict, records: list[StanceLabel], texts: _Texts) -> list[str]:
    parts = e["unit"].split("/")
    out = [f"## {e['unit']}", "", f"Open because: {e.get('why_open') or e.get('reason') or '?'}", ""]
    if D.is_decided(e):
        out += [f"Decided: **{e['decision']}** by {e.get('who')}: {e.get('reason')}", ""]
    if "span" in parts:
        article, (start, end) = parts[1], map(int, parts[3].split("-"))
        out += [f"Article: {texts.titles.get(article, article)}", "", *texts.span(article, start, end), "",
                "Spans the annotators marked here:"]
        out += [f"- {s['annotator']}: {s['start']}-{s['end']} {s['type']}, speaker {s['speaker']!r}: “{s['text']}”"
                for s in e.get("spans", [])] or [f"- {a}: {v}" for a, v in sorted(e.get("votes", {}).items())]
    else:
        kind, unit, target = parts[0], parts[1], parts[2]
        out += [f"Target {L.titles('target')[target]}: {L.descriptions('target')[target]}", ""]
        if kind == "sentences":
            article = texts.sentence.get(unit, {}).get("article_id", "?")
            out += [f"Article: {texts.titles.get(article, article)}", "", *texts.around(unit)]
        else:
            out += [f"Article: {texts.titles.get(unit, unit)}", "", *_article_evidence(records, texts, unit, target)]
        out += ["", "Labels:", *(_stance_votes(records, kind, unit, target)
                                 or [f"- {a}: {v}" for a, v in sorted(e.get("votes", {}).items())])]
    return out + [""]


def render(round_name: str, adjudication: Path, records_dir: Path, dataset: Path, *, show_all: bool = False,
           units: set[str] | None = None) -> str:
    entries = D.read(adjudication, round_name, strict=False)
    mine = [e for le in entries.lines if entries.mine(le) and (e := le[1])
            and (show_all or not D.is_decided(e)) and (not units or e["unit"] in units)]
    stance_path = records_dir / "stance.jsonl"
    records = [r for r in read_records(stance_path) if isinstance(r, StanceLabel)] if stance_path.is_file() else []
    texts = _Texts(dataset)
    head = [f"# Round {round_name}: {len(mine)} {'entries' if show_all else 'open entries'} of {adjudication}", "",
            "For each: write `decision`, a `reason` naming the guideline rule and the words of the unit that "
            "decide it, and `who` in the file, then run `natostance annotate adjudicate` again.", ""]
    return "\n".join(head + [line for e in mine for line in _entry(e, records, texts)])
