"""``natostance release``, ``diff``, ``push-to-hub`` and ``rehydrate``: versions and distribution."""

from __future__ import annotations

import json

import click


def register(cli: click.Group) -> None:
    """Attach the release and distribution verbs to the main command."""

    @cli.command("release")
    @click.argument("version")
    @click.option("--repo", default=".", show_default=True, type=click.Path(file_okay=False), help="Repository root.")
    @click.option("--tag/--no-tag", default=True, help="Commit the release and tag it vX.Y.Z (default) or only write files.")
    @click.option("--date", "day", default=None, help="Release date for the CHANGELOG (default: today).")
    def release_cmd(version, repo, tag, day):
        """Release dataset VERSION: bump, rebuild, refresh the manifest, CHANGELOG entry, datasheet, git tag.

        Example: natostance release 0.2.0
        """
        from natostance.publish.release import release

        r = release(repo, version, tag=tag, day=day)
        click.echo(f"released dataset {r['to']} ({r['kind']} step from {r['from']}, {r['date']})"
                   + (f"; tagged {r['tag']}" if r["tag"] else "; not committed or tagged (--no-tag)"))

    @cli.command("diff")
    @click.argument("old")
    @click.argument("new")
    @click.option("--repo", default=".", show_default=True, type=click.Path(file_okay=False),
                  help="Repository for git revisions.")
    @click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
    def diff_cmd(old, new, repo, as_json):
        """Rows added, removed and changed, and labels changed, by id, per config, between two versions.

        OLD and NEW are dataset folders or git revisions of the repository (their dataset/ folder).

        Example: natostance diff v0.1.0 dataset
        """
        from natostance.publish.diff import diff, summary

        d = diff(old, new, repo)
        click.echo(json.dumps(d, indent=2, ensure_ascii=False, default=str) if as_json else summary(d))

    @cli.command("push-to-hub")
    @click.argument("repo")
    @click.option("--dataset", "dataset_dir", default="dataset", show_default=True, type=click.Path(file_okay=False))
    @click.option("--revision", default=None, help="Tag to create on the Hub (default: v<dataset version>).")
    @click.option("--dry-run", is_flag=True, help="Only list what would be uploaded; no network.")
    @click.option("--json", "as_json", is_flag=True, help="Print the upload plan as JSON.")
    def push_cmd(repo, dataset_dir, revision, dry_run, as_json):
        """Upload the validated dataset folder to a Hugging Face dataset repo and tag it.

        Example: natostance push-to-hub nato-stance/nato-stance --dry-run
        """
        from natostance.publish.hub import push_to_hub

        up = push_to_hub(dataset_dir, repo, revision, dry_run=dry_run)
        text = up.summary() if dry_run else up.summary().replace("would upload", "uploaded", 1)
        click.echo(json.dumps(up.to_dict(), indent=2) if as_json else text)

    @cli.command("rehydrate")
    @click.argument("dataset_dir", type=click.Path(file_okay=False))
    @click.argument("raw_dir", type=click.Path(file_okay=False))
    def rehydrate_cmd(dataset_dir, raw_dir):
        """Restore the texts of a text-free build from your own raw files (their SHA-256 must match).

        Example: natostance rehydrate dataset ~/my-copies/raw
        """
        from natostance.publish.rehydrate import rehydrate

        report = rehydrate(dataset_dir, raw_dir)
        click.echo(f"rehydrated {report.out_dir}: " + ", ".join(f"{c} {sum(n.values())}" for c, n in report.rows.items()))
