"""``leaderboard(folder, gold, split)``: score every submission in a folder (and load stored ``*.result.json``
files), rank systems per task by the headline metric, add paired cluster-bootstrap p-values between
neighbours, and render Markdown, JSON or a static HTML page (``html.py``).

Every row carries dataset version, split hashes and scorer version. A stored result made for another
dataset version, other gold (split hash) or another scorer version is refused unless ``allow_incompatible``,
and then it is marked ``compatible: false``. ``kind: human`` rows (annotator vs gold) are the ceiling.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from natostance._version import __version__
from natostance.errors import ManyErrors, NatoStanceError
from natostance.evaluation import TASKS
from natostance.evaluation import bootstrap as B
from natostance.evaluation.gold import Gold, load_gold, split_hashes
from natostance.evaluation.result import ScoreResult
from natostance.evaluation.score import score
from natostance.evaluation.submission import find_submissions
from natostance.labels import labels, titles

SECONDARY = {
    "sentence_stance": ("f_avg", "holder_accuracy"),
    "article_stance": ("f_avg",),
    "claim_detection": ("map", "p_at_5"),
    "claim_spans": ("overlap_f1", "token_f1", "speaker_accuracy"),
}


def incompatibility(result: ScoreResult, gold: Gold, split: str) -> str | None:
    d = result.doc
    if d["dataset_version"] != gold.dataset_version:
        return f"dataset version {d['dataset_version']}, expected {gold.dataset_version}"
    want = split_hashes(gold)
    for s in want if split == "all" else [split]:
        if d["split_hashes"].get(s) != want.get(s):
            return f"gold hash of split {s} {str(d['split_hashes'].get(s))[:12]}, expected {want.get(s, '')[:12]}"
    if d["scorer_version"] != __version__:
        return f"scorer version {d['scorer_version']}, expected {__version__}"
    if d["split"] != split:
        return f"split {d['split']}, expected {split}"
    return None


def collect(
    folder: str | Path,
    gold: Gold,
    split: str,
    allow_incompatible: bool = False,
    resamples: int = B.DEFAULT_RESAMPLES,
    seed: int = B.DEFAULT_SEED,
) -> list[tuple[ScoreResult, str | None]]:
    """Scored results of a folder, each with its incompatibility (None when compatible); all errors at once."""
    folder = Path(folder)
    errors: list[NatoStanceError | str] = []
    out: list[tuple[ScoreResult, str | None]] = []
    for path in find_submissions(folder):
        try:
            out.append((score(gold, path, split, resamples=resamples, seed=seed), None))
        except ManyErrors as exc:
            errors += exc.errors
        except NatoStanceError as exc:
            errors.append(exc)
    for path in sorted(folder.glob("*.result.json")):
        try:
            res = ScoreResult.load(path)
        except ManyErrors as exc:
            errors += exc.errors
            continue
        except NatoStanceError as exc:
            errors.append(exc)
            continue
        why = incompatibility(res, gold, split)
        if why and not allow_incompatible:
            errors.append(f"{path}: incompatible result ({why}); pass --allow-incompatible to show it marked")
        out.append((res, why))
    if errors:
        raise ManyErrors(errors, f"{len(errors)} error(s) while building the leaderboard from {folder}")
    return out


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


def _row(res: ScoreResult, why: str | None, task: str) -> dict[str, Any]:
    d, t = res.doc, res.doc["tasks"][task]
    head = t["metrics"][t["headline"]]
    return {
        "system": d["system"],
        "kind": d.get("kind", "system"),
        "authors": d["meta"].get("authors", []),
        "url": d["meta"].get("url"),
        "training_cutoff": d["meta"].get("training_cutoff"),
        "value": head["value"],
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
        "subset_articles": len(d["scope_articles"]) if d.get("scope_articles") else None,
        "compatible": why is None,
        "incompatibility": why,
    }


def leaderboard(
    folder: str | Path,
    gold: Gold | str | Path,
    split: str = "test",
    *,
    allow_incompatible: bool = False,
    resamples: int = B.DEFAULT_RESAMPLES,
    seed: int = B.DEFAULT_SEED,
) -> dict[str, Any]:
    """The leaderboard document (JSON-able): one ranked table per task."""
    gold = gold if isinstance(gold, Gold) else load_gold(gold)
    results = collect(folder, gold, split, allow_incompatible, resamples, seed)
    tasks: dict[str, Any] = {}
    for task in TASKS:
        entries = [(r, why) for r, why in results if task in r.doc["tasks"]]
        if not entries:
            continue
        entries.sort(key=lambda e: (-(e[0].headline(task)["value"] or 0.0), e[0].system))
        rows = [_row(r, why, task) for r, why in entries]
        for i, row in enumerate(rows):
            row["rank"] = i + 1
            row["p_vs_next"] = None
            if i + 1 < len(rows):
                a, b = entries[i][0], entries[i + 1][0]
                if task in a.stats and task in b.stats and a.stats[task].articles == b.stats[task].articles:
                    row["p_vs_next"] = compare(a, b, task, resamples=resamples, seed=seed)
        tasks[task] = {"headline": entries[0][0].doc["tasks"][task]["headline"], "rows": rows}
    return {
        "dataset_version": gold.dataset_version,
        "split": split,
        "split_hashes": split_hashes(gold),
        "scorer_version": __version__,
        "bootstrap": {"resamples": resamples, "seed": seed, "cluster": "article"},
        "tasks": tasks,
    }


# ---------- Markdown ----------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|"})


def md_escape(text: Any) -> str:
    """Escape a submission string for a Markdown table cell (no HTML, no table breaks, no markup)."""
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def _fmt(f: dict[str, Any] | None) -> str:
    if not f or f.get("value") is None:
        return "–"
    ci = f" [{f['ci_low']:.3f}, {f['ci_high']:.3f}]" if f.get("ci_low") is not None else ""
    return f"{f['value']:.3f}{ci}"


def to_markdown(board: dict[str, Any]) -> str:
    lines = [
        f"Dataset {board['dataset_version']}, split `{board['split']}`, scorer {board['scorer_version']}; "
        f"95% CIs from {board['bootstrap']['resamples']} article-cluster bootstrap resamples.",
        "",
    ]
    for task, t in board["tasks"].items():
        metrics = list(t["rows"][0]["metrics"])
        lines += [
            f"### {task}",
            "",
            "| # | system | " + " | ".join(metrics) + " | articles | p vs next |",
            "|---|---|" + "---|" * len(metrics) + "---|---|",
        ]
        for r in t["rows"]:
            name = md_escape(r["system"]) + (" (human)" if r["kind"] == "human" else "")
            name += f" (subset of {r['subset_articles']} articles)" if r["subset_articles"] else ""
            name += "" if r["compatible"] else " ⚠ incompatible"
            cells = [
                str(r["rank"]),
                name,
                *(_fmt(r["metrics"].get(m)) for m in metrics),
                str(r["clusters"]),
                p_text(r["p_vs_next"]),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines += [
            "",
            "p vs next: paired article-cluster bootstrap p-value against the next row (two-sided); "
            "† fewer than 10 articles: no p-value is shown (the JSON keeps it, marked few_clusters), and CIs rest "
            "on very few clusters.",
            "",
        ]
        lines += _per_target_markdown(t)
    return "\n".join(lines)


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
        lines.append(f"| {md_escape(r['system'])} | " + " | ".join(out) + " |")
    return lines + [""]
