import itertools
import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from natostance import labels as L
from natostance.annotate.agreement import agreement, alpha, cohen_kappa, span_agreement, to_markdown
from natostance.annotate.records import ClaimSpan, StanceLabel

STANCES = L.labels("stance")


def _records(seed=1, units=60, annotators=("a@x", "b@x", "c@x"), missing=0.15):
    rnd = random.Random(seed)
    out = []
    for u in range(units):
        for target in L.labels("target"):
            truth = rnd.choice(STANCES)
            for who in annotators:
                if rnd.random() < missing:
                    continue
                label = truth if rnd.random() < 0.7 else rnd.choice(STANCES)
                out.append(StanceLabel("sentences", f"s{u}", target, label, rnd.choice(L.labels("holder")), who,
                                       0, 0, 0, "", "", None, False))
    return out


def _reliability(records, annotators, items):
    index = {c: i for i, c in enumerate(STANCES)}
    data = np.full((len(annotators), len(items)), np.nan)
    pos = {it: j for j, it in enumerate(items)}
    for r in records:
        data[annotators.index(r.annotator), pos[(r.unit_id, r.target)]] = index[r.stance]
    return data


def test_alpha_matches_the_krippendorff_package_overall_and_per_target():
    recs = _records()
    report = agreement(recs, n_boot=200)
    anns = sorted({r.annotator for r in recs})
    items = sorted({(r.unit_id, r.target) for r in recs})
    ref = krippendorff.alpha(_reliability(recs, anns, items), level_of_measurement="nominal")
    assert report["alpha"]["overall"]["alpha"] == pytest.approx(ref, abs=1e-6)
    lo, hi = report["alpha"]["overall"]["ci95"]
    assert lo < ref < hi
    for target in L.labels("target"):
        sub = [r for r in recs if r.target == target]
        its = sorted({(r.unit_id, r.target) for r in sub})
        ref_t = krippendorff.alpha(_reliability(sub, anns, its), level_of_measurement="nominal")
        assert report["alpha"][f"sentences/{target}"]["alpha"] == pytest.approx(ref_t, abs=1e-6)


def test_kappa_per_pair_matches_scikit_learn():
    recs = _records(seed=7, annotators=("a@x", "b@x"), missing=0.1)
    report = agreement(recs, n_boot=0)
    by = {}
    for r in recs:
        by.setdefault((r.unit_id, r.target), {})[r.annotator] = r.stance
    both = [v for v in by.values() if len(v) == 2]
    ref = cohen_kappa_score([v["a@x"] for v in both], [v["b@x"] for v in both])
    (pair,) = report["kappa"]
    assert pair["items"] == len(both) and pair["kappa"] == pytest.approx(ref, abs=1e-6)
    assert cohen_kappa(list("aabb"), list("abab")) == pytest.approx(cohen_kappa_score(list("aabb"), list("abab")))


def test_perfect_agreement_and_cancelled_are_left_out():
    recs = [StanceLabel("articles", "a1", "nato", s, None, who, 0, 0, 0, "", "", None, False)
            for s, who in itertools.product(("favor",), ("x", "y"))]
    recs += [StanceLabel("articles", "a2", "nato", "against", None, w, 0, 0, 0, "", "", None, False) for w in "xy"]
    recs.append(StanceLabel("articles", "a3", "nato", None, None, "x", 0, 0, 0, "", "", None, True))
    report = agreement(recs, n_boot=50)
    assert report["alpha"]["articles/nato"]["alpha"] == 1.0
    assert report["alpha"]["articles/nato"]["items"] == 2
    assert "| articles/nato | 1.000 |" in to_markdown(report)


TEXT = "abcdefghi. klmnopqrs. uvwxyzabc. efghijklm. opqrstuvw. yzabcdefg. ijklmnopq. stuvwxyz."


def _span(who, start, end, ctype="event", speaker="NATO", unit="a1"):
    return ClaimSpan("articles", unit, f"{who}{start}", start, end, TEXT[start:end], ctype, speaker, who, 0, 0, 0,
                     "", None)


def test_span_exact_normalised_and_overlap_f1_and_speaker_agreement():
    spans = [_span("x", 0, 10), _span("x", 20, 30, speaker="Lavrov"), _span("x", 40, 50),
             _span("y", 0, 9, "quantity"), _span("y", 22, 32, speaker="the lavrov"), _span("y", 60, 70)]
    (pair,) = span_agreement(spans)
    assert pair["exact_f1"] == 0.0  # 0-10 ends with the full stop, 0-9 does not
    assert pair["normalised_f1"] == pytest.approx(2 * 1 / 6, abs=1e-6)  # ... which the v1.2 edge rules remove
    # x: 2 of 3 overlap something of y; y: 2 of 3 overlap something of x
    assert pair["overlap_f1"] == pytest.approx(2 / 3, abs=1e-6)
    assert pair["type_agreement"] == 0.0 and pair["speaker_agreement"] == 1.0
    (pair,) = span_agreement([_span("x", 22, 32, speaker="Lavrov"), _span("y", 22, 31, speaker="the lavrov")])
    assert (pair["exact_f1"], pair["normalised_f1"], pair["speaker_agreement"]) == (0.0, 1.0, 1.0)
    assert alpha({}, STANCES)["alpha"] is None
