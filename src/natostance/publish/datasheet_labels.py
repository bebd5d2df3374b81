"""The datasheet's labelling block, generated from the dataset's annotation configs and annotation/ files:
who annotated, guidelines version, per-target gold distribution, agreement with CIs, adjudication effect."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from natostance import labels as L
from natostance.parquet_io import read_config


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(v) for v in r) + " |" for r in rows]) + "\n"


def labelling_block(dataset_dir: Path, annotation_dir: Path) -> str:
    if not (dataset_dir / "data" / "stance").is_dir():
        return "No labels in this version.\n"
    gold = read_config(dataset_dir, "stance")
    raw = read_config(dataset_dir, "annotations")
    claims = read_config(dataset_dir, "claims")
    version = re.search(r"^\W*Version ([\d.]+)", (annotation_dir / "guidelines.md").read_text(encoding="utf-8"), re.M)
    rounds = sorted({r["round"] for r in raw})
    people = sorted({r["annotator"] for r in raw})
    out = [f"Annotators: {len(people)} ({', '.join(f'`{p}`' for p in people)}), the project's maintainers, each "
           f"labelling every unit once per round, independently; no crowd. Rounds: {', '.join(rounds)}. "
           f"Guidelines: `annotation/guidelines.md`, version {version.group(1) if version else '?'}. Raw labels: "
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
            out.append(f"\nClaim spans: exact-match F1 {sp['exact_f1']:.3f}, overlap F1 {sp['overlap_f1']:.3f}, "
                       f"claim-type agreement {sp['type_agreement']:.3f}, speaker agreement "
                       f"{sp['speaker_agreement']:.3f} on matched spans.\n")
    adj = Counter(g["source"] for g in gold)
    files = [annotation_dir / "adjudication" / f"{rnd}.jsonl" for rnd in rounds]
    entries = [json.loads(x) for f in files if f.is_file() for x in f.read_text(encoding="utf-8").splitlines()
               if x.strip()]
    holders = sum(e["unit"].endswith("/holder") and bool(e.get("decision")) for e in entries)
    dropped = sum("/span/" in e["unit"] and e.get("decision") == "drop" for e in entries)
    out.append(f"\nAdjudication: {adj.get('adjudicated', 0)} of {len(gold)} gold stance labels and {holders} holders "
               f"were decided by an adjudicator (the annotators disagreed); of the claim spans only one annotator "
               f"marked, {sum(c['source'] == 'adjudicated' for c in claims)} were kept and {dropped} dropped, giving "
               f"{len(claims)} gold claims. Every decision and its written reason is in "
               f"`annotation/adjudication/<round>.jsonl` ({', '.join(rounds)}).\n")
    return "".join(out)
