"""The one command-line tool, ``natostance``. Each verb is a thin shell over a function of the Python API.

Verb groups live in their own modules and register themselves here; a command body parses its
arguments, calls one API function and prints. Errors the user can fix (``NatoStanceError``, and an
``OSError`` naming a file) are printed one line each on stderr with exit code 1, never as a traceback:
each line escaped (a newline in a file name cannot start a line of its own) and cut to
``MAX_LINE_CHARS``, at most ``MAX_LINES`` of them. Anything else is a bug in natostance: one line asking
for a report, exit code 3 (``NATOSTANCE_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import os

import click

from natostance._version import DATASET_VERSION, __version__
from natostance.errors import ManyErrors, NatoStanceError
from natostance.guard import escape

MAX_LINES = 100
MAX_LINE_CHARS = 400
INTERNAL_ERROR = 3


def error_lines(exc: BaseException) -> list[str]:
    """The ``error: …`` lines for an error the user can fix, capped in number and length."""
    if isinstance(exc, ManyErrors):
        lines = exc.lines()
    elif isinstance(exc, OSError):
        lines = [f"{exc.filename}: {exc.strerror or exc}" if exc.filename else str(exc)]
    else:
        lines = [str(exc)]
    out = []
    for line in lines[:MAX_LINES]:
        line = escape(line)
        out.append(line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + f"… ({len(line):,} characters)")
    if len(lines) > MAX_LINES:
        out.append(f"{len(lines) - MAX_LINES:,} more line(s) not shown")
    return [f"error: {line}" for line in out]


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (NatoStanceError, OSError) as exc:
            if os.environ.get("NATOSTANCE_DEBUG"):
                raise
            for line in error_lines(exc):
                click.echo(line, err=True)
            ctx.exit(1)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - a bug: one line, not a traceback, and a distinct exit code
            if os.environ.get("NATOSTANCE_DEBUG"):
                raise
            what = escape(f"{type(exc).__name__}: {exc}")[:MAX_LINE_CHARS]
            click.echo(f"error: internal error ({what}); this is a bug in natostance {__version__}: please report "
                       "it with the command that caused it (NATOSTANCE_DEBUG=1 shows the traceback)", err=True)
            ctx.exit(INTERNAL_ERROR)


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
