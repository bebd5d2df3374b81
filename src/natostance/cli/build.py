"""``natostance build`` and ``natostance validate``."""

from __future__ import annotations

import json
import sys

import click

from natostance._version import DATASET_VERSION
from natostance.builder.sources.rawfile import MAX_ARTICLE_BYTES


def register(cli: click.Group) -> None:
    """Attach the builder verbs to the main command."""
    register_datasheet(cli)

    @cli.command("build")
    @click.argument("raw_dir", type=click.Path(file_okay=False))
    @click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Dataset folder to write.")
    @click.option("--dataset-version", default=DATASET_VERSION, show_default=True, help="Version stamped on the data.")
    @click.option("--allow-changed", is_flag=True, help="Accept raw files whose SHA-256 differs from sources.yaml.")
    @click.option("--keep-going", is_flag=True, help="Skip bad files and write rejects.jsonl instead of failing.")
    @click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
    @click.option("--text-free", is_flag=True, help="Leave article/sentence texts and raw files out (see rehydrate).")
    @click.option("--no-annotations", is_flag=True,
                  help="Build the text configs only, even if sources.yaml names annotation files.")
    @click.option("--annotations-anywhere", is_flag=True,
                  help="Accept campaign folders (sources.yaml 'annotations') outside the repository of RAW_DIR.")
    @click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
    @click.option("--validation-from", metavar="DATE", help="Temporal split: articles dated from DATE on are "
                  "validation (overrides split_rule in sources.yaml).")
    @click.option("--test-from", metavar="DATE", help="Temporal split: articles dated from DATE on are test.")
    @click.option("--split-quantiles", metavar="V,T", help="Temporal split by date quantiles instead of dates, e.g. "
                  "0.8,0.9: the oldest 80% train, the next 10% validation, the newest test (one more pass over "
                  "the input to find the dates).")
    @click.option("--undated", type=click.Choice(["error", "drop", "train", "validation", "test"]),
                  help="Articles with no date under a temporal split: reject (error, the default), leave out and "
                  "count (drop), or put into the named split.")
    @click.option("--max-article-bytes", type=click.IntRange(min=1), default=MAX_ARTICLE_BYTES, show_default=True,
                  help="Largest article file or JSON line read; a larger one is rejected by name (JSON-lines dumps "
                  "of any size are streamed record by record).")
    @click.option("--strict", is_flag=True, help="Check every sentence row against its JSON Schema and its article "
                  "text, row by row (default: column checks, and one article in 100 row by row).")
    @click.option("--engine", type=click.Choice(["local", "datatrove"]), default="local", show_default=True,
                  help="local: the dependency-free builder; datatrove: sharded, resumable (extra 'scale').")
    @click.option("--executor", type=click.Choice(["local", "slurm", "ray"]), default="local", show_default=True,
                  help="datatrove executor: local processes, a Slurm job array, or a running Ray cluster.")
    @click.option("--tasks", type=int, default=4, show_default=True, help="datatrove tasks (one shard per task).")
    @click.option("--workers", type=int, default=2, show_default=True, help="datatrove tasks run at once.")
    @click.option("--slurm-partition", default="cpu", show_default=True, help="Slurm partition of every job.")
    @click.option("--slurm-time", default="10:00:00", show_default=True, help="Slurm time limit of each job.")
    @click.option("--slurm-max-array", type=int, default=1001, show_default=True,
                  help="Largest job array the cluster takes (MaxArraySize); more tasks go in further arrays.")
    def build_cmd(raw_dir, out_dir, dataset_version, allow_changed, keep_going, progress, text_free, no_annotations,
                  annotations_anywhere, as_json, validation_from, test_from, split_quantiles, undated,
                  max_article_bytes, strict, engine, executor, tasks, workers, slurm_partition, slurm_time,
                  slurm_max_array):
        """Build the dataset from a folder of raw articles (any of the supported formats).

        Example: natostance build dataset/raw --out dataset

        At scale (JSON-lines dumps, .gz/.zst, WARC files; resumable: rerun the same command):
        natostance build crawl/ --out dataset --engine datatrove --tasks 64 --workers 16

        On a Slurm cluster (submits a job array and a finish job, prints their ids and logs, returns):
        natostance build crawl/ --out dataset --engine datatrove --executor slurm --tasks 64 --workers 16
        """
        from natostance.builder.pipeline import BuildOptions, build

        progress = sys.stderr.isatty() if progress is None else progress
        split = _split_options(validation_from, test_from, split_quantiles, undated)
        opts = BuildOptions(dataset_version=dataset_version, allow_changed=allow_changed, keep_going=keep_going,
                            progress=progress, annotations=not no_annotations, text_free=text_free, split=split,
                            max_article_bytes=max_article_bytes, annotations_anywhere=annotations_anywhere,
                            strict=strict)
        if engine == "datatrove":
            from natostance.builder import scale

            so = scale.ScaleOptions(executor, tasks, workers, slurm_partition, slurm_time,
                                    slurm_max_array=slurm_max_array)
            report = scale.build(raw_dir, out_dir, opts, so)  # with Slurm: what was submitted, not a report
        else:
            report = build(raw_dir, out_dir, opts)
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if as_json else report.summary())

    @cli.command("validate")
    @click.argument("dataset_dir", type=click.Path(file_okay=False))
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
    def validate_cmd(dataset_dir, as_json):
        """Check a built dataset folder: hashes, schemas, offsets, splits. Exit 1 listing every problem.

        Example: natostance validate dataset
        """
        from natostance.publish.validation import validate

        report = validate(dataset_dir)
        click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.summary())


def _split_options(validation_from, test_from, quantiles, undated) -> dict | None:
    """The split_rule keys given on the command line (checked with the sources file's own rules later)."""
    from datetime import date

    split = {k: v for k, v in (("validation_from", validation_from), ("test_from", test_from), ("undated", undated)) if v}
    for key in ("validation_from", "test_from"):
        if key in split:
            try:
                date.fromisoformat(split[key])
            except ValueError:
                raise click.BadParameter(f"expected a date YYYY-MM-DD, found {split[key]!r}",
                                         param_hint="--" + key.replace("_", "-")) from None
    if quantiles:
        if validation_from or test_from:
            raise click.UsageError("give --validation-from/--test-from or --split-quantiles, not both")
        try:
            v, t = (float(x) for x in quantiles.split(","))
        except ValueError:
            raise click.BadParameter(f"expected two shares such as 0.8,0.9, found {quantiles!r}",
                                     param_hint="--split-quantiles") from None
        if not 0 < v <= t < 1:
            raise click.BadParameter(f"expected 0 < V <= T < 1, found {quantiles!r}", param_hint="--split-quantiles")
        split.update(validation_quantile=v, test_quantile=t)
    return split or None


def register_datasheet(cli: click.Group) -> None:
    @cli.command("datasheet")
    @click.argument("datasheet", type=click.Path(dir_okay=False), default="DATASHEET.md")
    @click.option("--dataset", "dataset_dir", default="dataset", show_default=True, type=click.Path(file_okay=False))
    @click.option("--check", is_flag=True, help="Only check; exit 1 if a generated block is stale.")
    def datasheet_cmd(datasheet, dataset_dir, check):
        """Regenerate the counts and tables in DATASHEET.md from the built dataset.

        Example: natostance datasheet DATASHEET.md --dataset dataset --check
        """
        from pathlib import Path

        from natostance.publish import datasheet as ds
        from natostance.errors import NatoStanceError

        if check:
            stale = ds.stale(Path(datasheet), Path(dataset_dir))
            if stale:
                raise NatoStanceError(f"{datasheet}: generated block(s) out of date: {', '.join(stale)} "
                                      "(run natostance datasheet)")
            click.echo(f"{datasheet}: generated blocks are current")
        else:
            changed = ds.update(Path(datasheet), Path(dataset_dir))
            click.echo(f"{datasheet}: updated {', '.join(changed) or 'nothing (already current)'}")
