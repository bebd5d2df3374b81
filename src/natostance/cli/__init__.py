"""The one command-line tool, ``natostance``. Each verb is a thin shell over a function of the Python API.

Verb groups live in their own modules and register themselves here; a command body parses its
arguments, calls one API function and prints. Errors the user can fix (``NatoStanceError``) are printed
one line each on stderr with exit code 1, never as a traceback.
"""

from __future__ import annotations

import click

from natostance._version import DATASET_VERSION, __version__
from natostance.errors import NatoStanceError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NatoStanceError as exc:
            for line in str(exc).splitlines():
                click.echo(f"error: {line}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, message=f"natostance %(version)s (dataset {DATASET_VERSION})")
def cli() -> None:
    """NATO-Stance: build the dataset, run annotation campaigns, check and score submissions."""


def _register() -> None:
    from natostance.cli import annotate, build, evaluate, harness, release

    for module in (build, annotate, evaluate, release, harness):
        module.register(cli)


_register()


def main() -> None:  # console-script entry point
    cli()
