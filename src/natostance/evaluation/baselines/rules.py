"""Target-mention rules; trains on nothing (zero-shot, so it may be scored on every split).

Target names come from the label file: the id, its title, and the names its description quotes or lists
in parentheses ("('Moscow', 'the Kremlin', Putin, Peskov, Lavrov)"). A unit that mentions a target is
``neutral`` towards it, otherwise ``none``. A sentence with a number or a reporting verb is check-worthy;
its whole extent is predicted as a claim span, the speaker being the capitalised words before the verb.
"""

from __future__ import annotations

import re
from functools import lru_cache

from natostance.evaluation.baselines import common as C
from natostance.labels import descriptions, labels, titles

REPORTING_VERBS = ("said", "says", "told", "announced", "reported", "denied", "claimed", "stated", "warned")
CUE = re.compile(r"\d|\b(" + "|".join(REPORTING_VERBS) + r")\b", re.I)
SPEAKER = re.compile(r"((?:[A-Z][\w'-]+\s?){1,3})\s(?:" + "|".join(REPORTING_VERBS) + r")\b")


@lru_cache(maxsize=None)
def target_patterns() -> dict[str, re.Pattern]:
    out = {}
    for target in labels("target"):
        names = {target.replace("_", " "), *titles("target")[target].split("/")}
        for group in re.findall(r"\(([^)]*)\)", descriptions("target")[target]):
            names |= set(re.split(r"[,/]", group))
        names = {n.strip(" '\"") for n in names}
        names = sorted({n for n in names if len(n) > 1 and n[0].isalnum()}, key=lambda n: (-len(n), n))
        out[target] = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b", re.I)
    return out


def stance_for(text: str, target: str) -> str:
    return "neutral" if target_patterns()[target].search(text) else "none"


TRAINS = False


def predict(gold, fold: C.Fold):
    u = C.units(gold, fold)
    rows = []
    for unit_id, target in u["stance"]:
        text = C.text_of(gold, unit_id)
        rows.append(
            {
                "task": "sentence_stance",
                "unit_id": unit_id,
                "target": target,
                "label": stance_for(text, target),
                "holder": "quoted" if SPEAKER.search(text) or '"' in text else "author",
            }
        )
    rows += [
        {"task": "article_stance", "unit_id": a, "target": t, "label": stance_for(C.text_of(gold, a), t)}
        for a, t in u["article_stance"]
    ]
    for sid in u["sentences"]:
        text = C.text_of(gold, sid)
        cues = len(CUE.findall(text))
        rows.append({"task": "claim_detection", "unit_id": sid, "checkworthy": cues > 0, "score": float(cues)})
        if cues:
            s = gold.sentences[sid]
            speaker = SPEAKER.search(text)
            rows.append(
                {
                    "task": "claim_spans",
                    "article_id": s["article_id"],
                    "start": s["start"],
                    "end": s["end"],
                    "speaker": speaker.group(1).strip() if speaker else None,
                }
            )
    return rows, C.meta(
        gold,
        "target-mention rules",
        "Target mention -> neutral, else none; numbers and reporting verbs -> check-worthy sentence span.",
        [],
    )
