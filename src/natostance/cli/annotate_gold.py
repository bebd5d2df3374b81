"""``natostance annotate agreement | adjudicate | show | close | use-gold | audit``: from a pulled round to gold in the
dataset. Each verb parses its options, calls one function of ``natostance.annotate`` and prints."""

from __future__ import annotations

import json
from pathlib import Path

import click

from natostance.cli.annotate import ROUND, _emit
from natostance.files import atomic_write

RECORDS = click.option("--records", type=click.Path(path_type=Path), default=Path("annotation/records"),
                       show_default=True, help="Folder of the rounds' records (annotation/records).")
FILE = click.option("--file", "adjudication", type=click.Path(path_type=Path), default=None,
                    help="The round's adjudication file [default: annotation/adjudication/<round>.jsonl].")


def _adjudication_file(adjudication: Path | None, records: Path, round_name: str) -> Path:
    return adjudication or records.parent / "adjudication" / f"{round_name}.jsonl"


@click.command()
@ROUND
@RECORDS
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write <out>.md and <out>.json.")
@click.option("--bootstrap", type=click.IntRange(0), default=1000, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def agreement(round_name, records, out, bootstrap, as_json) -> None:
    """Krippendorff's alpha, Cohen's kappa and claim-span agreement of a pulled round."""
    from natostance.annotate.agreement import agreement as run, to_markdown
    from natostance.annotate.records import read_records

    folder = records / round_name
    spans = read_records(folder / "claims.jsonl") if (folder / "claims.jsonl").is_file() else []
    report = run(read_records(folder / "stance.jsonl"), spans, n_boot=bootstrap)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out.with_suffix(".json"), [json.dumps(report, indent=2) + "\n"])
        atomic_write(out.with_suffix(".md"), [to_markdown(report)])
    _emit(as_json, report, to_markdown(report))


@click.command()
@ROUND
@RECORDS
@FILE
@click.option("--gold", type=click.Path(path_type=Path), default=Path("annotation/gold"), show_default=True)
@click.option("--min-annotators", type=click.IntRange(1), default=2, show_default=True,
              help="Labels a unit needs before it is voted on; fewer: the unit waits (counted, not adjudicated).")
@click.option("--dataset", type=click.Path(path_type=Path), default=Path("dataset"), show_default=True,
              help="The built dataset the round was pushed from: span boundaries an adjudicator set take their text "
                   "from its articles (read only then).")
@click.option("--json", "as_json", is_flag=True)
def adjudicate(round_name, records, adjudication, gold, min_annotators, dataset, as_json) -> None:
    """Majority vote per field; every field without a majority goes to the round's adjudication file; write gold.

    Fill in decision, reason and who of the open entries (`annotate show` prints each with its context),
    then run it again. Other rounds' entries are never touched.
    """
    from natostance.annotate.adjudicate import run
    from natostance.annotate.rounds import check_not_closed

    check_not_closed(records, round_name, "adjudicate")
    folder = records / round_name
    r = run(folder / "stance.jsonl", folder / "claims.jsonl", _adjudication_file(adjudication, records, round_name),
            gold / round_name, round_name=round_name, min_annotators=min_annotators, dataset=dataset)
    by_field = ", ".join(f"{n} {k}" for k, n in r["open_by_field"].items())
    lines = [f"gold: {r['gold_stance']} stance labels, {r['gold_claims']} claim spans -> {r['gold_dir']}",
             f"adjudication: {r['open']} open{f' ({by_field})' if by_field else ''}, {r['decided']} decisions used "
             f"-> {r['adjudication']}"]
    if r["waiting"]:
        lines.append(f"waiting: {r['waiting']} unit(s) have fewer than {min_annotators} labels (e.g. "
                     f"{', '.join(r['waiting_examples'])}): not voted on yet")
    if r["unused_decisions"]:
        lines.append(f"note: {len(r['unused_decisions'])} decision(s) no longer match an open unit, e.g. "
                     f"{r['unused_decisions'][0]}")
    if r["open"]:
        lines.append(f"next: `natostance annotate show --round {round_name}`, decide each open entry, run adjudicate again")
    _emit(as_json, r, "\n".join(lines))


@click.command()
@ROUND
@RECORDS
@FILE
@click.option("--dataset", type=click.Path(path_type=Path), default=Path("dataset"), show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Decided entries too, not only the open ones.")
@click.option("--unit", "units", multiple=True, help="Only this unit (repeatable).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write Markdown here.")
def show(round_name, records, adjudication, dataset, show_all, units, out) -> None:
    """Print each open adjudication entry of a round with its full context, for a reason specific to the unit."""
    from natostance.annotate.show import render

    text = render(round_name, _adjudication_file(adjudication, records, round_name), records / round_name, dataset,
                  show_all=show_all, units=set(units))
    if out:
        atomic_write(out, [text])
        click.echo(f"wrote {out}")
    else:
        click.echo(text, nl=False)


@click.command()
@ROUND
@RECORDS
@click.option("--because", required=True, help="Why the round is closed, e.g. 'gold built into dataset 1.0.0'.")
@click.option("--annotators", type=click.Choice(["automated", "human", "mixed"]), required=True,
              help="Who made the round's labels: automated (AI language-model agents working from the guidelines), "
                   "human (people) or mixed; the datasheet, card and Croissant file say so.")
@click.option("--guidelines", default=None,
              help="Guidelines version the round was labelled under [default: the one annotation/guidelines.md states].")
def close(round_name, records, because, annotators, guidelines) -> None:
    """Close a finished round: no verb rewrites its records, adjudication or gold afterwards."""
    from natostance.annotate.rounds import close as run

    click.echo(f"round {round_name} closed -> {run(records, round_name, because, annotators, guidelines)}")


@click.command("use-gold")
@ROUND
@click.option("--raw", type=click.Path(file_okay=False, path_type=Path), default=Path("dataset/raw"),
              show_default=True, help="The dataset's raw folder (its sources.yaml is edited).")
@click.option("--annotation", type=click.Path(file_okay=False, path_type=Path), default=Path("annotation"),
              show_default=True)
@click.option("--records-of", "record_rounds", multiple=True,
              help="Rounds whose raw labels go into the 'annotations' config [default: every round with records].")
def use_gold(round_name, raw, annotation, record_rounds) -> None:
    """Point the dataset at a round's gold (raw/sources.yaml, `annotations:`); then rebuild the dataset."""
    from natostance.annotate.usegold import use_gold as run

    r = run(round_name, raw, annotation, list(record_rounds) or None)
    click.echo(f"{r['sources']}: annotations -> gold {r['gold']}, raw labels of {', '.join(r['rounds'])}")
    if r["open"]:
        click.echo(f"note: round {round_name} has {r['open']} open adjudication entries: their units have no gold yet")
    click.echo(f"next: natostance build {raw} --out {raw.parent}")


@click.command("audit")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dataset", type=click.Path(file_okay=False, path_type=Path), default=Path("dataset"), show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write <out>.md and <out>.json.")
@click.option("--json", "as_json", is_flag=True)
def audit(folder, dataset, out, as_json) -> None:
    """Compare a blind audit pass over a sample of units (a pass folder) with the dataset's gold stance labels."""
    from natostance.annotate.audit import audit as run, to_markdown

    report = run(folder, dataset)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out.with_suffix(".json"), [json.dumps(report, indent=2) + "\n"])
        atomic_write(out.with_suffix(".md"), [to_markdown(report)])
    _emit(as_json, report, to_markdown(report))


def register(group: click.Group) -> None:
    for command in (agreement, adjudicate, show, close, use_gold, audit):
        group.add_command(command)
