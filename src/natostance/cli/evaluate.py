"""``natostance check/score/baseline/leaderboard/shape/annotator-runs``: the evaluation verbs.

Each body parses, calls one API function and prints; ``--json`` prints machine-readable output.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from natostance.files import atomic_write

SPLITS = click.Choice(["train", "validation", "test", "all"])
split_opt = click.option(
    "--split",
    type=SPLITS,
    default=None,
    help="Protocol temporal: the split to check/score (default test); 'all' only for systems trained and tuned "
    "on no split. Not with --protocol cv (it scores every gold article).",
)
protocol_opt = click.option(
    "--protocol",
    type=click.Choice(["temporal", "cv"]),
    default="temporal",
    show_default=True,
    help="cv: cross-validation over articles (folds.json), out-of-fold predictions for every gold article; "
    "temporal: train on older articles, score --split.",
)
resamples_opt = click.option(
    "--resamples",
    type=click.IntRange(1),
    default=1000,
    show_default=True,
    help="Cluster-bootstrap resamples (articles).",
)
seed_opt = click.option("--seed", type=int, default=20160611, show_default=True, help="Bootstrap seed.")


def register(cli: click.Group) -> None:
    """Attach the evaluation verbs to the main command."""

    @cli.command()
    @click.argument("submission", type=click.Path(dir_okay=False))
    @click.option("--shape", "shape", type=click.Path(exists=True, dir_okay=False), help="Published shape manifest.")
    @click.option("--gold", type=click.Path(exists=True, file_okay=False), help="Gold directory (instead of --shape).")
    @click.option("--meta", type=click.Path(dir_okay=False), help="Metadata file (default: <stem>.meta.json).")
    @split_opt
    @protocol_opt
    @click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
    def check(submission, shape, gold, meta, split, protocol, as_json):
        """Validate a submission offline; every error at once, exit 1 if any.

        Example: natostance check runs/tfidf.jsonl --shape dataset/shape.json
        """
        from natostance.evaluation.check import check_submission
        from natostance.guard import escape

        if not shape and not gold:
            raise click.UsageError("give --shape SHAPE.json or --gold DIR")
        p = check_submission(submission, shape=shape, gold=gold, meta=meta, split=split, protocol=protocol)
        summary = {
            "ok": True,
            "system": p.system,
            "protocol": p.protocol,
            "split": p.split,
            "tasks": list(p.tasks),
            "predictions": {t: len(v) for t, v in p.by_task.items()} | {"claim_spans": sum(map(len, p.spans.values()))},
            "set_aside_rows": p.set_aside,
        }
        click.echo(
            json.dumps(summary)
            if as_json
            else f"ok: {escape(submission)} ({escape(p.system)}, protocol {p.protocol}): tasks {', '.join(p.tasks)}; "
            f"{p.set_aside} row(s) of other splits set aside"
        )

    @cli.command()
    @click.argument("gold", type=click.Path(exists=True, file_okay=False))
    @click.argument("submission", type=click.Path(dir_okay=False))
    @split_opt
    @protocol_opt
    @resamples_opt
    @seed_opt
    @click.option(
        "--out",
        type=click.Path(dir_okay=False),
        help="Write the full result JSON here (it names the submission and metadata with their SHA-256).",
    )
    @click.option("--model-index", "model_index", type=click.Path(dir_okay=False), help="Write a HF model-index YAML.")
    @click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
    def score(gold, submission, split, protocol, resamples, seed, out, model_index, as_json):
        """Score a submission against the gold; every figure with a 95% article-cluster bootstrap CI.

        Example: natostance score dataset runs/tfidf.jsonl --out runs/tfidf.result.json
        """
        from natostance.evaluation.model_index import model_index_yaml
        from natostance.evaluation.score import score as score_fn

        result = score_fn(gold, submission, split, protocol=protocol, resamples=resamples, seed=seed)
        if out:
            result.save(out)
        if model_index:
            atomic_write(Path(model_index), [model_index_yaml(result)])
        if as_json:
            click.echo(result.to_json())
            return
        click.echo(f"{result.system}: protocol {result.doc['protocol']}, split {result.doc['split']}")
        for row in result.rows("metrics"):
            ci = "" if row["ci_low"] is None else f" [{row['ci_low']:.3f}, {row['ci_high']:.3f}]"
            value = f"undefined ({row['undefined']})" if row["value"] is None else f"{row['value']:.3f}"
            opt = (
                ""
                if row["optimistic_ci_low"] is None
                else f" (optimistic {row['optimistic_level']}-level "
                f"[{row['optimistic_ci_low']:.3f}, {row['optimistic_ci_high']:.3f}])"
            )
            click.echo(f"{row['task']:16} {row['metric']:22} {value}{ci}  {row['clusters']} articles{opt}")

    @cli.command()
    @click.argument("name")
    @click.option(
        "--gold", type=click.Path(exists=True, file_okay=False), required=True, help="Gold/dataset directory."
    )
    @click.option("--out", type=click.Path(dir_okay=False), required=True, help="Submission file to write (.jsonl).")
    @split_opt
    @protocol_opt
    @click.option("--base-url", help="openai: OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1.")
    @click.option("--model", help="openai: model name sent to the endpoint.")
    def baseline(name, gold, out, split, protocol, base_url, model):
        """Run a baseline (majority, rules, tfidf, embedding, openai); writes a valid submission plus metadata.

        --protocol cv trains one model per fold and writes out-of-fold predictions for every gold article.

        Example: natostance baseline tfidf --gold dataset --protocol cv --out runs/tfidf-cv.jsonl
        """
        from natostance.evaluation.baselines import run_baseline

        options = {k: v for k, v in {"base_url": base_url, "model": model}.items() if v}
        click.echo(f"wrote {run_baseline(name, gold, out, split, protocol, **options)}")

    @cli.command()
    @click.argument("submissions_dir", type=click.Path(exists=True, file_okay=False))
    @click.option("--gold", type=click.Path(exists=True, file_okay=False), required=True, help="Gold directory.")
    @split_opt
    @click.option(
        "--protocol",
        type=click.Choice(["temporal", "cv"]),
        default=None,
        help="Show one protocol only (default: cv, then the temporal split; never mixed in one table).",
    )
    @resamples_opt
    @seed_opt
    @click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
    @click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of printing.")
    @click.option(
        "--allow-incompatible",
        is_flag=True,
        help="Rank stored results of another scorer version by re-scoring their (unchanged) submissions.",
    )
    def leaderboard(submissions_dir, gold, split, protocol, resamples, seed, fmt, out, allow_incompatible):
        """Re-score every submission of a folder (and check every stored *.result.json against its submission)
        and print the leaderboard (Markdown, JSON or static HTML).

        Example: natostance leaderboard runs --gold dataset --format html --out leaderboard.html
        """
        from natostance.evaluation import html
        from natostance.evaluation import leaderboard as lb

        board = lb.leaderboard(
            submissions_dir,
            gold,
            split,
            protocol=protocol,
            allow_incompatible=allow_incompatible,
            resamples=resamples,
            seed=seed,
        )
        text = {
            "md": lb.to_markdown,
            "json": lambda b: json.dumps(b, indent=1, ensure_ascii=False),
            "html": html.to_html,
        }[fmt](board)
        if out:
            atomic_write(Path(out), [text + "\n"])
            click.echo(f"wrote {out}")
        else:
            click.echo(text)

    def write_annotator_runs(dataset, out_dir):
        from natostance.evaluation.annotators import write_annotator_runs as write

        for path in write(dataset, out_dir):
            click.echo(f"wrote {path}")

    @cli.command("annotator-runs")
    @click.argument("dataset", type=click.Path(exists=True, file_okay=False))
    @click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Folder for the runs.")
    def annotator_runs(dataset, out_dir):
        """Write each automated annotation pass's raw labels (config annotations) as a submission: the
        leaderboard's annotator rows (not independent of the gold, not human).

        Example: natostance annotator-runs dataset --out runs
        """
        write_annotator_runs(dataset, out_dir)

    @cli.command("human-runs", hidden=True)
    @click.argument("dataset", type=click.Path(exists=True, file_okay=False))
    @click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Folder for the runs.")
    def human_runs(dataset, out_dir):
        """Deprecated alias of annotator-runs (the passes were made by automated annotators, not people).

        Example: natostance annotator-runs dataset --out runs
        """
        click.echo(
            "warning: 'natostance human-runs' is deprecated: use 'natostance annotator-runs' (the annotation passes "
            "were made by automated annotators, not people)",
            err=True,
        )
        write_annotator_runs(dataset, out_dir)

    @cli.command()
    @click.argument("gold", type=click.Path(exists=True, file_okay=False))
    @click.option("--out", type=click.Path(dir_okay=False), required=True, help="Manifest to write (JSON).")
    def shape(gold, out):
        """Write the published shape manifest (unit ids and targets, no labels) from a gold directory.

        Example: natostance shape dataset --out dataset/shape.json
        """
        from natostance.evaluation.gold import load_gold
        from natostance.evaluation.shape import shape_from_gold, write_shape

        click.echo(f"wrote {write_shape(shape_from_gold(load_gold(gold)), out)}")
