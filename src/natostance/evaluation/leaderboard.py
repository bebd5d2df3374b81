"""``leaderboard(folder, gold)``: one ranked table per protocol and task, every row re-scored from its
submission (``verify.py``), paired cluster-bootstrap p-values between neighbours, rendered as Markdown, JSON
or a static HTML page (``html.py``).

Protocols are never mixed in one table: ``cv`` (cross-validation over articles, every gold article scored
once) comes first, the temporal split (``test`` by default) second; ``--protocol`` shows one of them.
Rows of kind ``annotator`` are passes of the automated annotators scored against the gold made from those
passes: shown for reference, marked as not independent, never called human.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from natostance._version import SCORER_VERSION
from natostance.errors import NatoStanceError
from natostance.evaluation import TASKS
from natostance.evaluation import bootstrap as B
from natostance.evaluation.folds import gold_folds
from natostance.evaluation.gold import Gold, load_gold, split_hashes
from natostance.evaluation.protocol import Protocol, resolve
from natostance.evaluation.result import ScoreResult
from natostance.evaluation.verify import collect
from natostance.labels import labels, titles

SECONDARY = {
    "sentence_stance": ("f_avg", "holder_accuracy"),
    "article_stance": ("f_avg",),
    "claim_detection": ("map", "r_precision"),
    "claim_spans": ("overlap_f1", "token_f1", "speaker_accuracy"),
}
ANNOTATOR_NOTE = (
    "annotator rows are single annotation passes (one annotator in one round; this dataset's rounds were made "
    "by automated annotators, AI language-model agents, not people) scored against the gold, which was "
    "adjudicated from the passes of its own round: not independent of the gold and not a human ceiling; "
    "agreement between passes of one kind of automated annotator is not human agreement."
)


def compare(
    a: ScoreResult,
    b: ScoreResult,
    task: str,
    metric: str | None = None,
    resamples: int = B.DEFAULT_RESAMPLES,
    seed: int = B.DEFAULT_SEED,
) -> dict[str, Any]:
    """Paired article-cluster bootstrap of metric(a) - metric(b) on one task (both scored in this session)."""
    if task not in a.stats or task not in b.stats:
        raise NatoStanceError(
            f"compare: both results need in-memory statistics for {task} (score them, do not load them)"
        )
    sa, sb = a.stats[task], b.stats[task]
    if sa.articles != sb.articles:
        raise NatoStanceError(f"compare: {a.system!r} and {b.system!r} were scored on different articles")
    name = metric or sa.headline
    out = B.paired_p_value(sa.matrix(), sb.matrix(), sa.metrics[name], resamples, seed)
    return out | {
        "task": task,
        "metric": name,
        "clusters": len(sa.articles),
        "few_clusters": len(sa.articles) < B.MIN_CLUSTERS,
    }


def p_text(p_vs_next: dict[str, Any] | None) -> str:
    """How a p-value is shown: none under MIN_CLUSTERS articles (a bootstrap over 2 articles can print 0.001)."""
    if not p_vs_next:
        return "–"
    return "n/a†" if p_vs_next["few_clusters"] else f"{p_vs_next['p_value']:.3f}"


def _row(res: ScoreResult, task: str, n_articles: int) -> dict[str, Any]:
    d, t = res.doc, res.doc["tasks"][task]
    scope = d.get("scope_articles")
    head = t["metrics"][t["headline"]]
    return {
        "system": d["system"],
        "kind": d.get("kind", "system"),
        "independent": d.get("kind", "system") != "annotator",
        "authors": d["meta"].get("authors", []),
        "url": d["meta"].get("url"),
        "training_cutoff": d["meta"].get("training_cutoff"),
        "value": head["value"],
        "undefined": head.get("undefined"),
        "ci_low": head["ci_low"],
        "ci_high": head["ci_high"],
        "clusters": head["clusters"],
        "optimistic_ci": head.get("optimistic_ci"),
        "metrics": {m: t["metrics"][m] for m in (t["headline"], *SECONDARY[task]) if m in t["metrics"]},
        "per_target": [b for b in t.get("breakdowns", []) if b["by"] == "target"],
        "confusion_matrix": t.get("confusion_matrix"),
        "dataset_version": d["dataset_version"],
        "split_hashes": d["split_hashes"],
        "scorer_version": d["scorer_version"],
        "subset_articles": head["clusters"] if scope and head["clusters"] < n_articles else None,
        "verified": d.get("verified"),
    }


def _table(results: list[ScoreResult], task: str, n_articles: int, resamples: int, seed: int) -> dict[str, Any]:
    """Rows of one task ranked by the headline figure (undefined last), with p-values between neighbours."""
    ranked = sorted(
        (r for r in results if task in r.doc["tasks"]),
        key=lambda r: (r.headline(task)["value"] is None, -(r.headline(task)["value"] or 0.0), r.system),
    )
    rows = [_row(r, task, n_articles) for r in ranked]
    for i, row in enumerate(rows):
        row["rank"] = i + 1
        row["p_vs_next"] = None
        if i + 1 < len(rows):
            a, b = ranked[i], ranked[i + 1]
            if a.stats[task].articles == b.stats[task].articles and None not in (row["value"], rows[i + 1]["value"]):
                row["p_vs_next"] = compare(a, b, task, resamples=resamples, seed=seed)
    return {"headline": ranked[0].doc["tasks"][task]["headline"], "rows": rows}


def leaderboard(
    folder: str | Path,
    gold: Gold | str | Path,
    split: str | None = None,
    *,
    protocol: str | None = None,
    allow_incompatible: bool = False,
    resamples: int = B.DEFAULT_RESAMPLES,
    seed: int = B.DEFAULT_SEED,
) -> dict[str, Any]:
    """The leaderboard document (JSON-able): per protocol (cv, then the temporal split) one table per task.

    ``allow_incompatible``: a stored result made by another scorer version is re-scored instead of refused."""
    gold = gold if isinstance(gold, Gold) else load_gold(gold)
    protocols: list[Protocol] = (
        [resolve("cv"), resolve("temporal", split)] if protocol is None else [resolve(protocol, split)]
    )
    results, skipped = collect(folder, gold, protocols, resamples, seed, allow_incompatible)
    sections = []
    for p in protocols:
        n_articles = len(gold.gold_articles(p.split))
        tasks = {
            t: _table(results[p.key], t, n_articles, resamples, seed)
            for t in TASKS
            if any(t in r.doc["tasks"] for r in results[p.key])
        }
        if not tasks:
            continue
        folds = gold_folds(gold) if p.name == "cv" else None
        sections.append(
            {
                "protocol": p.name,
                "split": p.split,
                "title": p.title() + (f" ({folds.describe()})" if folds else ""),
                "articles": n_articles,
                "folds": {"scheme": folds.scheme, "k": len(folds)} if folds else None,
                "tasks": tasks,
            }
        )
    return {
        "dataset_version": gold.dataset_version,
        "split_hashes": split_hashes(gold),
        "scorer_version": SCORER_VERSION,
        "bootstrap": {"resamples": resamples, "seed": seed, "cluster": "article"},
        "protocols": sections,
        "not_shown": skipped,
        "annotator_note": ANNOTATOR_NOTE,
    }


# ---------- Markdown ----------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|"})


def md_escape(text: Any) -> str:
    """Escape a submission string for a Markdown table cell (no HTML, no table breaks, no markup)."""
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def _fmt(f: dict[str, Any] | None) -> str:
    if not f:
        return "–"
    if f.get("value") is None:
        return "undefined" if f.get("undefined") else "–"
    ci = f" [{f['ci_low']:.3f}, {f['ci_high']:.3f}]" if f.get("ci_low") is not None else ""
    return f"{f['value']:.3f}{ci}"


def display_name(r: dict[str, Any]) -> str:
    """The row's system name with its marks, as plain text (escape it for the output format)."""
    name = r["system"] + ("" if r["independent"] else " ‡")
    return name + (f" (subset of {r['subset_articles']} articles)" if r["subset_articles"] else "")


def undefined_notes(t: dict[str, Any]) -> list[str]:
    """'metric: reason' for every figure of a task table that is undefined in some row."""
    seen = {f"{m}: {f['undefined']}" for r in t["rows"] for m, f in r["metrics"].items() if f.get("undefined")}
    return sorted(seen)


def to_markdown(board: dict[str, Any]) -> str:
    lines = [
        f"Dataset {board['dataset_version']}, scorer {board['scorer_version']}; 95% CIs from "
        f"{board['bootstrap']['resamples']} article-cluster bootstrap resamples. Every row was re-scored from "
        "its submission. Protocols are never mixed in one table.",
        "",
    ]
    for sec in board["protocols"]:
        lines += [f"## Protocol {sec['protocol']}: {sec['title']}", "", f"{sec['articles']} gold articles.", ""]
        for task, t in sec["tasks"].items():
            lines += _task_markdown(task, t)
    if board.get("not_shown"):
        lines += ["Not shown (they declare another protocol): " + ", ".join(map(md_escape, board["not_shown"])), ""]
    lines += [f"‡ {board['annotator_note']}", ""]
    return "\n".join(lines)


def _task_markdown(task: str, t: dict[str, Any]) -> list[str]:
    metrics = list(t["rows"][0]["metrics"])
    lines = [
        f"### {task}",
        "",
        "| # | system | " + " | ".join(metrics) + " | articles | p vs next |",
        "|---|---|" + "---|" * len(metrics) + "---|---|",
    ]
    for r in t["rows"]:
        cells = [str(r["rank"]), md_escape(display_name(r)), *(_fmt(r["metrics"].get(m)) for m in metrics)]
        lines.append("| " + " | ".join([*cells, str(r["clusters"]), p_text(r["p_vs_next"])]) + " |")
    lines += [
        "",
        "p vs next: paired article-cluster bootstrap p-value against the next row (two-sided); "
        "† fewer than 10 articles: no p-value is shown (the JSON keeps it, marked few_clusters), and CIs rest "
        "on very few clusters.",
        *(f"undefined {note}" for note in undefined_notes(t)),
        "",
    ]
    return lines + _per_target_markdown(t)


def per_target_columns(task_board: dict[str, Any]) -> list[str]:
    """Targets that some row of a stance task has a breakdown for, in label-file order."""
    present = {b["group"] for r in task_board["rows"] for b in r["per_target"]}
    return [t for t in labels("target") if t in present]


def _per_target_markdown(t: dict[str, Any]) -> list[str]:
    targets = per_target_columns(t)
    if not targets:
        return []
    lines = [
        f"Per target ({t['headline']}; n = gold units; ⚠ low support):",
        "",
        "| system | " + " | ".join(titles("target")[x] for x in targets) + " |",
        "|---|" + "---|" * len(targets),
    ]
    for r in t["rows"]:
        cells = {b["group"]: b for b in r["per_target"]}
        out = []
        for x in targets:
            b = cells.get(x)
            out.append(
                "–"
                if b is None
                else f"{_fmt(b['metrics'].get(t['headline']))} n={b['support_units']}"
                + (" ⚠" if b["low_support"] else "")
            )
        lines.append(f"| {md_escape(display_name(r))} | " + " | ".join(out) + " |")
    return lines + [""]
