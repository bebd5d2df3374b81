"""``natostance lm-eval tasks/convert``: run the benchmark from lm-evaluation-harness (issue #18).

``tasks`` writes the harness's task files for a dataset folder or Hub repo; ``convert`` turns a run's
logged samples into a submission that ``check``, ``score`` and ``leaderboard`` take like any other.
"""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    @cli.group("lm-eval")
    def lm_eval() -> None:
        """Evaluate language models on NATO-Stance with lm-evaluation-harness (pip install 'natostance[lmeval]').

        \b
        natostance lm-eval tasks --out build/lm_eval_tasks
        lm_eval --model hf --model_args pretrained=MODEL --include_path build/lm_eval_tasks \\
                --tasks natostance --log_samples --output_path build/lm_eval
        natostance lm-eval convert build/lm_eval --out runs/MODEL.jsonl
        """

    @lm_eval.command()
    @click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the task files.")
    @click.option(
        "--dataset",
        default="dataset",
        show_default=True,
        help="Dataset folder or Hugging Face Hub repo id the tasks read with datasets.load_dataset.",
    )
    def tasks(out, dataset):
        """Write the task files (YAML + utils.py) to pass to lm_eval --include_path.

        Example: natostance lm-eval tasks --out build/lm_eval_tasks --dataset dataset
        """
        import datasets

        from natostance.evaluation.harness.taskfiles import write_tasks

        datasets.disable_progress_bars()
        written = write_tasks(out, dataset)
        click.echo(f"wrote {len(written)} task files and utils.py to {out}")
        click.echo("tasks: " + ", ".join(p.stem for p in written))

    @lm_eval.command()
    @click.argument("run", type=click.Path(exists=True))
    @click.option("--out", type=click.Path(dir_okay=False), required=True, help="Submission to write (.jsonl).")
    @click.option("--task", "only", multiple=True, help="Convert only this harness task (repeatable).")
    @click.option("--system", help="System name (default: from the model name and arguments).")
    @click.option("--author", "authors", multiple=True, help="An author of the system (repeatable).")
    @click.option(
        "--per-char", is_flag=True, help="Pick choices by log-likelihood per character (the harness's acc_norm)."
    )
    def convert(run, out, only, system, authors, per_char):
        """Turn a harness run (its --output_path, a model folder or a results file) into a submission + meta.

        Example: natostance lm-eval convert build/lm_eval --out runs/pythia-160m.jsonl
        """
        from natostance.evaluation.baselines.common import write_submission
        from natostance.evaluation.harness.convert import convert as convert_run
        from natostance.evaluation.harness.run import read_run

        harness_run = read_run(run, tuple(only))
        rows, meta = convert_run(harness_run, per_char=per_char, system=system, authors=authors)
        path = write_submission(rows, meta, out)
        invalid = sum(meta["parameters"]["invalid_answers"].values())
        click.echo(
            f"wrote {path} ({len(rows)} predictions, tasks {', '.join(t.task for t in harness_run.tasks)}; "
            f"system {meta['system']!r}) from {harness_run.results_path}"
            + (f"; {invalid} invalid generated answer(s) counted as none / not check-worthy" if invalid else "")
        )
