"""Audit a dataset's gold stance labels against a blind pass over a sample of its units.

An audit pass is a pass folder (``sentence_labels.jsonl``, ``article_labels.jsonl``, ``claims.jsonl``; see
``passfile``) that labels some units only, made without sight of the gold or of the round's passes. It is
checked as a partial pass, then compared with the dataset's ``stance`` config unit by unit and target by
target: agreement, Cohen's kappa, holder agreement where both give the same stance other than ``none``, the
confusion table, and every disagreement with the gold's votes and source. The gold is not changed: a
disagreement is a question for the lead, answered by adjudication in a new round if the gold is wrong.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from natostance import labels as L
from natostance.annotate.passfile import check_pass
from natostance.errors import InputError


def _kappa(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """(observed agreement, Cohen's kappa) of (gold, audit) label pairs; kappa NaN when chance agreement is 1."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    gold, audit = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(gold[k] * audit[k] for k in gold) / (n * n)
    return observed, (observed - chance) / (1 - chance) if chance < 1 else float("nan")


def _votes(dataset: Path, raw_labels: list[dict]) -> dict[tuple[str, str, str], dict[str, int]]:
    """(unit type, unit id, target) -> the gold round's raw stance labels counted by value (from ``annotations``)."""
    from natostance.builder.sourcesfile import annotation_rounds

    gold_round, _ = annotation_rounds(dataset / "raw")
    out: dict[tuple[str, str, str], Counter] = {}
    for r in raw_labels:
        if r["round"] == gold_round and r["record"] == "stance" and not r["cancelled"]:
            out.setdefault((r["unit_type"], r["unit_id"], r["target"]), Counter())[r["stance"]] += 1
    return {k: dict(sorted(v.items())) for k, v in out.items()}


def audit(folder: str | Path, dataset: str | Path = "dataset") -> dict[str, Any]:
    """Compare the audit pass in ``folder`` with the gold stance labels of ``dataset``."""
    from natostance.parquet_io import read_config

    if not Path(folder).is_dir():
        raise InputError(str(folder), "no such folder (expected an audit pass: sentence_labels.jsonl, "
                         "article_labels.jsonl, claims.jsonl)")
    checked = check_pass(folder, read_config(dataset, "sentences"), read_config(dataset, "articles"), partial=True)
    gold = {(r["unit_type"], r["unit_id"], r["target"]): r for r in read_config(dataset, "stance")}
    votes = _votes(Path(dataset), read_config(dataset, "annotations"))
    given = {("sentence", sid, t): (v["stance"], v["holder"]) for sid, labs in checked["sentences"].items()
             for t, v in labs.items()}
    given |= {("article", aid, t): (v, None) for aid, labs in checked["articles"].items() for t, v in labs.items()}
    if missing := sorted(k for k in given if k not in gold):
        raise InputError(str(folder), f"{len(missing)} audited label(s) have no gold, e.g. {missing[0][0]} "
                         f"{missing[0][1]} target {missing[0][2]} (audit units the gold round labelled)")
    out: dict[str, Any] = {"folder": str(folder), "scopes": {}, "disagreements": []}
    for scope in ("sentence", "article"):
        keys = sorted(k for k in given if k[0] == scope)
        if not keys:
            continue
        pairs = [(gold[k]["label"], given[k][0]) for k in keys]
        observed, kappa = _kappa(pairs)
        same = [k for k in keys if gold[k]["label"] == given[k][0] != "none" and scope == "sentence"]
        out["scopes"][scope] = {
            "units": len({k[1] for k in keys}), "labels": len(keys), "agreement": observed, "kappa": kappa,
            "holder_agreement": sum(gold[k]["holder"] == given[k][1] for k in same) / len(same) if same else None,
            "holder_compared": len(same),
            "confusion": {g: {a: n for (gg, a), n in sorted(Counter(pairs).items()) if gg == g}
                          for g in L.labels("stance")},
        }
        out["disagreements"] += [
            {"unit": f"{scope}s/{k[1]}/{k[2]}", "gold": gold[k]["label"], "gold_holder": gold[k]["holder"],
             "gold_source": gold[k]["source"], "gold_votes": votes.get(k, {}),
             "audit": given[k][0], "audit_holder": given[k][1]}
            for k in keys if gold[k]["label"] != given[k][0]]
    return out


def to_markdown(report: dict[str, Any]) -> str:
    lines = [f"# Audit of the gold stance labels: `{report['folder']}`", "",
             "| scope | units | labels | agreement | Cohen's kappa | holder agreement (same stance, not none) |",
             "|---|---|---|---|---|---|"]
    for scope, s in report["scopes"].items():
        holder = "—" if s["holder_agreement"] is None else f"{s['holder_agreement']:.3f} of {s['holder_compared']}"
        lines.append(f"| {scope} | {s['units']} | {s['labels']} | {s['agreement']:.3f} | {s['kappa']:.3f} | {holder} |")
    for scope, s in report["scopes"].items():
        lines += ["", f"Confusion, {scope} labels (rows gold, columns audit):", "",
                  "| gold \\ audit | " + " | ".join(L.labels("stance")) + " |", "|---" * (1 + len(L.labels("stance"))) + "|"]
        lines += [f"| {g} | " + " | ".join(str(s["confusion"][g].get(a, 0)) for a in L.labels("stance")) + " |"
                  for g in L.labels("stance")]
    lines += ["", f"Disagreements ({len(report['disagreements'])}):", "",
              "| unit / target | gold (holder; source) | the gold round's votes | audit (holder) |", "|---|---|---|---|"]
    lines += [f"| `{d['unit']}` | {d['gold']} ({d['gold_holder'] or '—'}; {d['gold_source']}) | "
              + (", ".join(f"{v} {n}" for v, n in d["gold_votes"].items()) or "—")
              + f" | {d['audit']} ({d['audit_holder'] or '—'}) |" for d in report["disagreements"]]
    return "\n".join(lines) + "\n"
