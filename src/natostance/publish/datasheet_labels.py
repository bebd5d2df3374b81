"""The datasheet's labelling block, generated from the dataset's annotation configs and annotation/ files:
who annotated, guidelines version, per-target gold distribution, agreement with CIs, adjudication effect."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from natostance import labels as L
from natostance.parquet_io import read_config


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(v) for v in r) + " |" for r in rows]) + "\n"


def _rounds(dataset_dir: Path, annotation_dir: Path, in_dataset: list[str]) -> tuple[str | None, list[dict]]:
    """The gold round (from raw/sources.yaml) and who labelled each round whose raw labels the dataset holds."""
    from natostance.annotate.rounds import describe
    from natostance.builder.sourcesfile import annotation_rounds

    gold, _ = annotation_rounds(dataset_dir / "raw")
    return gold, [describe(annotation_dir / "records" / r) for r in in_dataset]


def labelling_block(dataset_dir: Path, annotation_dir: Path) -> str:
    if not (dataset_dir / "data" / "stance").is_dir():
        return "No labels in this version.\n"
    from natostance.annotate.rounds import who_text

    gold = read_config(dataset_dir, "stance")
    raw = read_config(dataset_dir, "annotations")
    claims = read_config(dataset_dir, "claims")
    rounds = sorted({r["round"] for r in raw})
    gold_round, facts = _rounds(dataset_dir, annotation_dir, rounds)
    out = ["Who labelled, per round (from `annotation/records/<round>/round.json` and the records):\n\n",
           *(f"- {who_text(f)}" + (" — **the gold of this version**" if f["round"] == gold_round else "") + "\n"
             for f in facts),
           "\nEach annotator labelled every unit of its round once, independently of the others. Raw labels: "
           f"{sum(r['record'] == 'stance' for r in raw)} stance labels and {sum(r['record'] == 'claim' for r in raw)} "
           "claim spans (config `annotations`).\n",
           "\nGold sentence stance per target (config `stance`, unit_type sentence):\n\n"]
    stances = L.labels("stance")
    rows = []
    for t in L.labels("target"):
        c = Counter(g["label"] for g in gold if g["target"] == t and g["unit_type"] == "sentence")
        rows.append([L.titles("target")[t], *(c.get(s, 0) for s in stances)])
    out.append(_table(["target", *stances], rows))
    for rnd in rounds:
        path = annotation_dir / "agreement" / f"{rnd}.json"
        if not path.is_file():
            continue
        ag = json.loads(path.read_text(encoding="utf-8"))
        out.append(f"\nAgreement, round {rnd} (Krippendorff's alpha, nominal, 95% bootstrap CI over units; "
                   "`annotation/agreement/" + rnd + ".md`):\n\n")
        out.append(_table(["scope", "alpha", "95% CI", "units"],
                          [[k, f"{v['alpha']:.3f}", f"{v['ci95'][0]:.3f} – {v['ci95'][1]:.3f}", v["items"]]
                           for k, v in ag["alpha"].items()]))
        for sp in ag.get("spans", []):
            exact = sp.get("normalised_f1", sp["exact_f1"])
            pair = " / ".join(f"`{a}`" for a in sp.get("annotators", []))
            out.append(f"\nClaim spans, {pair or 'the pair'}: exact-match F1 {sp['exact_f1']:.3f}"
                       + (f" ({exact:.3f} after the edge rules)" if "normalised_f1" in sp else "")
                       + f", overlap F1 {sp['overlap_f1']:.3f}, claim-type agreement {sp['type_agreement']:.3f}, "
                       f"speaker agreement {sp['speaker_agreement']:.3f} on matched spans.\n")
    entries = []
    if gold_round:  # strict=False: an adjudication file that use-gold accepted (older rounds predate the reason rules)
        from natostance.annotate.decisions import read

        found = read(annotation_dir / "adjudication" / f"{gold_round}.jsonl", gold_round, strict=False)
        entries = [le[1] for le in found.lines if found.mine(le)]  # this round's (a file may hold others)
    fields = Counter(f for row in [*gold, *claims] for f in (row.get("adjudicated") or []))
    dropped = sum("/span/" in e["unit"] and e.get("decision") == "drop" for e in entries)
    decided = ", ".join(f"{n} {f}" for f, n in sorted(fields.items())) or "none"
    out.append(f"\nAdjudication (round {gold_round}): {len(entries)} entries without a majority, each decided with a "
               f"written reason in `annotation/adjudication/{gold_round}.jsonl`. Gold fields an adjudicator decided: "
               f"{decided} (column `adjudicated`); {dropped} competing span(s) dropped. Gold: {len(gold)} stance "
               f"labels, {len(claims)} claims ({sum(c['source'] == 'adjudicated' for c in claims)} of them "
               "adjudicated).\n")
    return "".join(out)
