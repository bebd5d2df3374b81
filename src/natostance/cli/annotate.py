"""``natostance annotate ...``: the Label Studio campaign verbs (issue #3).

Each verb parses its options, calls one function of ``natostance.annotate`` and prints. The server
URL and API key come from ``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY`` only, never from options.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

KINDS = click.Choice(["sentences", "articles"])
ROUND = click.option("--round", "round_name", required=True, help="Campaign round name (e.g. r2); always given, so "
                     "that no command writes into another round by default.")


def _emit(as_json: bool, obj, text: str) -> None:
    click.echo(json.dumps(obj, indent=2, default=str, ensure_ascii=False) if as_json else text)


@click.group("annotate")
def annotate() -> None:
    """Run an annotation campaign in Label Studio: server, config, push, pull, agreement, adjudicate."""


@annotate.command()
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Label Studio data folder [default: ~/.local/share/natostance/label-studio]")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--username", default="admin@localhost", show_default=True)
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs --allow-remote.")
@click.option("--allow-remote", is_flag=True, help="Allow --bind to a non-loopback address (prints a warning).")
@click.option("--public-url", default=None, help="The URL annotators open (for links), e.g. http://10.0.0.5:8080.")
@click.option("--print-key", is_flag=True, help="Only print the API key of --data-dir's server (for LABEL_STUDIO_API_KEY).")
def server(data_dir, port, username, bind, allow_remote, public_url, print_key) -> None:
    """Install (once) and start Label Studio on 127.0.0.1; Ctrl-C, SIGTERM or SIGHUP stops it.

    A busy port is an error, never a silent move to another port. If Label Studio exits on its own,
    this command says so and exits 1.
    """
    from natostance.annotate.labelstudio.serve import api_key, serve

    if print_key:
        click.echo(api_key(data_dir))
        return
    serve(data_dir, port=port, username=username, bind=bind, allow_remote=allow_remote, public_url=public_url,
          echo=click.echo)


@annotate.group()
def users() -> None:
    """Annotator accounts on the server in LABEL_STUDIO_URL."""


@users.command("add")
@click.argument("emails", nargs=-1, required=True)
@click.option("--logins", type=click.Path(dir_okay=False, path_type=Path), default=Path("annotator-logins.txt"),
              show_default=True, help="Mode-600 file the new accounts' passwords are appended to.")
@click.option("--public-url", default=None, help="The URL annotators open [default: LABEL_STUDIO_URL].")
@click.option("--json", "as_json", is_flag=True)
def users_add(emails, logins, public_url, as_json) -> None:
    """Create a log-in account for each EMAIL (an e-mail with an account already is left as it is).

    Passwords are written to --logins (never printed); hand each annotator their line.
    """
    from natostance.annotate.labelstudio.client import Client
    from natostance.annotate.labelstudio.users import add_users, write_logins

    accounts = add_users(Client(), list(emails), public_url)
    written = write_logins(logins, accounts)
    lines = [f"{a.email}: {'created' if a.created else 'has an account already (unchanged; `users reset` gives it a new password)'} (user {a.user_id}); "
             f"logs in at {a.login_url}" + (f" with the password in {written}" if a.created else "")
             for a in accounts]
    _emit(as_json, [{"email": a.email, "created": a.created, "user_id": a.user_id, "login_url": a.login_url}
                    for a in accounts], "\n".join(lines))


@users.command("reset")
@click.argument("emails", nargs=-1, required=True)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The server's data folder, as given to `annotate server` [default: its default].")
@click.option("--logins", type=click.Path(dir_okay=False, path_type=Path), default=Path("annotator-logins.txt"),
              show_default=True, help="Mode-600 file the new passwords are appended to.")
@click.option("--public-url", default=None, help="The URL annotators open [default: LABEL_STUDIO_URL].")
@click.option("--json", "as_json", is_flag=True)
def users_reset(emails, data_dir, logins, public_url, as_json) -> None:
    """Give each EMAIL's existing account a new password (an account made through the API, as `submit-pass`
    makes them, cannot log in until it has one). Runs on the machine that holds the server's data folder."""
    from natostance.annotate.labelstudio import server as S
    from natostance.annotate.labelstudio.client import Client
    from natostance.annotate.labelstudio.users import reset_passwords, write_logins

    accounts = reset_passwords(Client(), list(emails), data_dir or S.default_data_dir(), public_url)
    written = write_logins(logins, accounts)
    _emit(as_json, [{"email": a.email, "user_id": a.user_id, "login_url": a.login_url} for a in accounts],
          "\n".join(f"{a.email}: new password (user {a.user_id}) in {written}; logs in at {a.login_url}" for a in accounts))


@annotate.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("annotation/config"), show_default=True)
@click.option("--check", is_flag=True, help="Only check that the files in --out are current (exit 1 if not).")
def config(out, check) -> None:
    """Write the labeling configs generated from schemas/labels.schema.json."""
    from natostance.annotate.labelstudio.config import check_configs, write_configs

    if check:
        check_configs(out)
        click.echo(f"{out}: labeling configs are current")
        return
    for path in write_configs(out):
        click.echo(f"wrote {path}")


@annotate.command()
@click.argument("dataset", type=click.Path(path_type=Path), default=Path("dataset"))
@ROUND
@click.option("--kind", "kinds", type=KINDS, multiple=True, help="Only this project (repeatable).")
@click.option("--predictions", type=click.Path(exists=True, path_type=Path), help="Submission JSONL as pre-annotations.")
@click.option("--model-version", default=None, help="model_version of the predictions [default: the file's].")
@click.option("--overlap", type=click.IntRange(1), default=None, help="Annotations per task.")
@click.option("--batch-size", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--update-config", is_flag=True, help="Replace an out-of-date labeling config.")
@click.option("--json", "as_json", is_flag=True)
def push(dataset, round_name, kinds, predictions, model_version, overlap, batch_size, update_config, as_json) -> None:
    """Create the round's projects and import the tasks the server does not have yet."""
    from natostance.annotate.labelstudio.push import push as run

    results = run(dataset, round_name=round_name, kinds=kinds or ("sentences", "articles"),
                  predictions=predictions, model_version=model_version, overlap=overlap,
                  batch_size=batch_size, update_config=update_config)
    _emit(as_json, [asdict(r) | {"batches": len(r.batches)} for r in results], "\n".join(
        f"{r.kind}: project {r.project_id}: {r.imported} imported, {r.already} already there, "
        f"{r.predictions} predictions ({r.units} units)" for r in results))


@annotate.command()
@ROUND
@click.option("--kind", "kinds", type=KINDS, multiple=True)
@click.option("--out", type=click.Path(path_type=Path), default=Path("annotation"), show_default=True)
@click.option("--replace", is_flag=True, help="Overwrite records of this round that came from other projects.")
@click.option("--json", "as_json", is_flag=True)
def pull(round_name, kinds, out, replace, as_json) -> None:
    """Export the round (full JSON), keep it with its SHA-256, convert it to records, say how far it is.

    Any time in a round: units that have all their annotations and units still open are counted.
    """
    from natostance.annotate.labelstudio.pull import pull as run
    from natostance.annotate.rounds import summary_lines

    r = run(round_name, kinds=kinds or ("sentences", "articles"), out=out, replace=replace)
    obj = {"exports": [str(p) for p in r.exports], "stance": str(r.stance_path), "claims": str(r.claims_path),
           "stance_records": len(r.stances), "claim_records": len(r.claims), "seconds": r.seconds,
           "progress": r.progress, "manifest": str(r.manifest)}
    _emit(as_json, obj, "\n".join([*(f"saved {p}" for p in r.exports),
                                   f"{len(r.stances)} stance records -> {r.stance_path}",
                                   f"{len(r.claims)} claim spans -> {r.claims_path}",
                                   *summary_lines(r.progress), f"round status -> {r.manifest}"]))


@annotate.command("submit-pass")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--annotator", required=True, help="The annotator's Label Studio user (e-mail); created if missing.")
@ROUND
@click.option("--dataset", type=click.Path(path_type=Path), default=Path("dataset"), show_default=True)
@click.option("--partial", is_flag=True, help="A part of a pass: units may be missing (they stay open).")
@click.option("--json", "as_json", is_flag=True)
def submit_pass(folder, annotator, round_name, dataset, partial, as_json) -> None:
    """Check an offline pass (label files) and post it as the annotator's own Label Studio annotations.

    Units the annotator has annotated already are skipped, so a pass can be submitted in parts (--partial)
    or again. Example: natostance annotate submit-pass passes/p1 --annotator p1@example.org --round r2
    """
    from natostance.annotate.labelstudio.client import Client
    from natostance.annotate.passfile import submit_pass as run

    r = run(Client(), folder, annotator, round_name, dataset, partial)
    _emit(as_json, r, f"{annotator} (user {r['user_id']}): posted {r['posted']['sentences']} sentence and "
          f"{r['posted']['articles']} article annotations ({r['claims']} claim spans); already there: "
          f"{r['already']['sentences']} sentences, {r['already']['articles']} articles; still open for this "
          f"annotator: {r['open']['sentences']} sentences, {r['open']['articles']} articles")


def register(cli: click.Group) -> None:
    """Attach the ``annotate`` group (with the gold verbs of ``annotate_gold``) to the main command."""
    from natostance.cli import annotate_gold

    annotate_gold.register(annotate)
    cli.add_command(annotate)
