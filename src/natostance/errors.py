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
        lines = [str(e) for e in self.errors]
        head = summary or f"{len(lines)} error(s)"
        super().__init__(head + "\n" + "\n".join(lines))
