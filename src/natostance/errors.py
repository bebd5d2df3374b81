"""Errors that users see. Every message names the file, line or id, what was expected and what was found."""

from __future__ import annotations


class NatoStanceError(Exception):
    """Base class: the CLI prints these as one line each and exits 1, never with a traceback."""


class InputError(NatoStanceError):
    """A raw article, submission or export that cannot be read as what it claims to be."""

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class ManyErrors(NatoStanceError):
    """Several errors found at once (checkers report them all, then fail)."""

    def __init__(self, errors: list[NatoStanceError | str], summary: str = ""):
        self.errors = list(errors)
        self.summary = summary or f"{len(self.errors)} error(s)"
        super().__init__(self.summary + "\n" + "\n".join(str(e) for e in self.errors))

    def lines(self) -> list[str]:
        """What the command line prints, one error a line: the summary, then each error (just the error when
        there is one)."""
        errors = [line for e in self.errors for line in (e.lines() if isinstance(e, ManyErrors) else [str(e)])]
        return errors if len(errors) == 1 else [self.summary, *errors]
