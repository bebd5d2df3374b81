"""Inter-annotator agreement (pure; Label Studio Community computes none).

* Krippendorff's alpha (nominal) per target, over all targets, and for the holder, each with a
  percentile bootstrap CI over units;
* Cohen's kappa for every annotator pair (pooled over targets);
* claim spans: F1 between annotator pairs on exact offsets, after the edge normalisation gold uses
  (``normalise.span_bounds``, guidelines v1.2 C6/C7) and on overlap; claim-type and speaker agreement
  (speakers compared by ``normalise.speaker_key``, as gold compares them) on spans matched after
  normalisation.

Cancelled annotations and empty choices are left out (they are not a label).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from natostance import labels as L
from natostance.annotate.normalise import normalised_span, speaker_key
from natostance.annotate.records import ClaimSpan, StanceLabel


def _item_counts(items: dict[tuple, dict[str, str]], cats: Sequence[str]) -> np.ndarray:
    """items x categories matrix of value counts, pairable items only (>= 2 values)."""
    index = {c: i for i, c in enumerate(cats)}
    rows = []
    for values in items.values():
        if len(values) >= 2:
            row = np.zeros(len(cats))
            for v in values.values():
                row[index[v]] += 1
            rows.append(row)
    return np.array(rows).reshape(-1, len(cats))


def alpha_from_counts(counts: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray | float:
    """Nominal alpha from an items x categories count matrix; ``weights`` (B x items) bootstraps."""
    m = counts.sum(1)
    d = (m ** 2 - (counts ** 2).sum(1)) / np.maximum(m - 1, 1)  # each item's observed disagreement
    if weights is None:
        n, n_c, dis = m.sum(), counts.sum(0), d.sum()
    else:
        n, n_c, dis = weights @ m, weights @ counts, weights @ d
    expected = n ** 2 - (n_c ** 2).sum(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - (n - 1) * dis / expected


def alpha(items: dict[tuple, dict[str, str]], cats: Sequence[str], n_boot: int = 1000,
          seed: int = 0) -> dict:
    """Alpha with a 95% percentile bootstrap CI (resampling items); ``items``: item -> {annotator: label}."""
    counts = _item_counts(items, cats)
    out = {"alpha": None, "ci95": [None, None], "items": int(len(counts)), "values": int(counts.sum())}
    if len(counts) == 0:
        return out
    value = float(alpha_from_counts(counts))
    out["alpha"] = None if np.isnan(value) else round(value, 6)
    if n_boot and out["alpha"] is not None:
        rng = np.random.default_rng(seed)
        w = rng.multinomial(len(counts), np.full(len(counts), 1 / len(counts)), size=n_boot)
        boot = alpha_from_counts(counts, w.astype(float))
        boot = boot[~np.isnan(boot)]
        if len(boot):
            out["ci95"] = [round(float(np.percentile(boot, 2.5)), 6), round(float(np.percentile(boot, 97.5)), 6)]
    return out


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two equally long label sequences (None when undefined)."""
    if not a:
        return None
    cats = sorted(set(a) | set(b))
    idx = {c: i for i, c in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for x, y in zip(a, b):
        table[idx[x], idx[y]] += 1
    n = table.sum()
    po, pe = np.trace(table) / n, (table.sum(0) @ table.sum(1)) / n ** 2
    return None if pe == 1 else round(float((po - pe) / (1 - pe)), 6)


def _f1(matched: int, a: int, b: int) -> float | None:
    return round(2 * matched / (a + b), 6) if a or b else None


def span_agreement(spans: Iterable[ClaimSpan]) -> list[dict]:
    """Exact/normalised/overlap F1, type and speaker agreement for every annotator pair over shared articles."""
    by = defaultdict(lambda: defaultdict(list))  # annotator -> article -> spans
    for s in spans:
        by[s.annotator][s.unit_id].append(s)
    out = []
    for a, b in itertools.combinations(sorted(by), 2):
        shared = sorted(set(by[a]) & set(by[b]))
        sa = [s for u in shared for s in by[a][u]]
        sb = [s for u in shared for s in by[b][u]]
        exact_b = {(s.unit_id, s.start, s.end) for s in sb}
        exact = sum((s.unit_id, s.start, s.end) in exact_b for s in sa)
        norm_b = {(s.unit_id, *normalised_span(s.start, s.end, s.text)): s for s in sb}
        norm = [(s, norm_b[k]) for s in sa if (k := (s.unit_id, *normalised_span(s.start, s.end, s.text))) in norm_b]
        hit_a = sum(any(s.unit_id == t.unit_id and s.start < t.end and t.start < s.end for t in sb) for s in sa)
        hit_b = sum(any(s.unit_id == t.unit_id and s.start < t.end and t.start < s.end for t in sa) for s in sb)
        p, r = (hit_a / len(sa) if sa else 0.0), (hit_b / len(sb) if sb else 0.0)
        out.append({
            "annotators": [a, b], "articles": len(shared), "spans": [len(sa), len(sb)],
            "exact_f1": _f1(exact, len(sa), len(sb)),
            "normalised_f1": _f1(len(norm), len(sa), len(sb)),
            "overlap_f1": round(2 * p * r / (p + r), 6) if p + r else 0.0,
            "type_agreement": round(sum(x.claim_type == y.claim_type for x, y in norm) / len(norm), 6) if norm else None,
            "speaker_agreement": round(sum(speaker_key(x.speaker) == speaker_key(y.speaker) for x, y in norm)
                                       / len(norm), 6) if norm else None,
        })
    return out


def agreement(stances: Iterable[StanceLabel], spans: Iterable[ClaimSpan] = (), *, n_boot: int = 1000,
              seed: int = 0) -> dict:
    """The full agreement report of a round (a JSON-ready dict; ``to_markdown`` renders it)."""
    stance_cats, holder_cats = L.labels("stance"), L.labels("holder")
    per_target: dict[str, dict] = defaultdict(dict)
    overall, holder = defaultdict(dict), defaultdict(dict)
    annotators = set()
    for r in stances:
        if r.cancelled or r.stance is None:
            continue
        annotators.add(r.annotator)
        item = (r.kind, r.unit_id, r.target)
        per_target[(r.kind, r.target)].setdefault((r.kind, r.unit_id), {})[r.annotator] = r.stance
        overall[item][r.annotator] = r.stance
        if r.holder is not None:
            holder[item][r.annotator] = r.holder
    report = {"annotators": sorted(annotators), "alpha": {}, "kappa": [], "spans": span_agreement(spans)}
    for (kind, target), items in sorted(per_target.items()):
        report["alpha"][f"{kind}/{target}"] = alpha(items, stance_cats, n_boot, seed)
    report["alpha"]["overall"] = alpha(overall, stance_cats, n_boot, seed)
    report["alpha"]["holder"] = alpha(holder, holder_cats, n_boot, seed)
    for a, b in itertools.combinations(sorted(annotators), 2):
        both = [(v[a], v[b]) for v in overall.values() if a in v and b in v]
        report["kappa"].append({"annotators": [a, b], "items": len(both),
                                "kappa": cohen_kappa([x for x, _ in both], [y for _, y in both])})
    return report


def _fmt(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def to_markdown(report: dict) -> str:
    lines = ["# Inter-annotator agreement", "", f"Annotators: {', '.join(report['annotators']) or 'none'}", "",
             "## Krippendorff's alpha (nominal, 95% bootstrap CI over units)", "",
             "| scope | alpha | 95% CI | units | labels |", "|---|---:|---|---:|---:|"]
    for scope, a in report["alpha"].items():
        lines.append(f"| {scope} | {_fmt(a['alpha'])} | {_fmt(a['ci95'][0])} – {_fmt(a['ci95'][1])} "
                     f"| {a['items']} | {a['values']} |")
    lines += ["", "## Cohen's kappa per annotator pair (all targets)", "", "| pair | kappa | items |", "|---|---:|---:|"]
    lines += [f"| {k['annotators'][0]} / {k['annotators'][1]} | {_fmt(k['kappa'])} | {k['items']} |" for k in report["kappa"]]
    lines += ["", "## Claim spans per annotator pair", "",
              "Normalised: compared after the edge rules of guidelines v1.2 (C6, C7), as gold compares them; type "
              "and speaker agreement on the spans matched that way.", "",
              "| pair | articles | spans | exact F1 | normalised F1 | overlap F1 | type agr. | speaker agr. |",
              "|---|---:|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {s['annotators'][0]} / {s['annotators'][1]} | {s['articles']} | {s['spans'][0]} / {s['spans'][1]} "
              f"| {_fmt(s['exact_f1'])} | {_fmt(s.get('normalised_f1'))} | {_fmt(s['overlap_f1'])} "
              f"| {_fmt(s['type_agreement'])} | {_fmt(s['speaker_agreement'])} |" for s in report["spans"]]
    return "\n".join(lines) + "\n"
