"""Errors a user can fix: each carries every problem found, not just the first."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem with one input field.

    ``where`` names the field (``levers.simplification.target``) or the file
    position (``data/index_results.csv row 12 column score_pct``); ``value`` is
    what was given; ``allowed`` says what would have been accepted.
    """

    where: str
    value: object
    allowed: str

    def __str__(self) -> str:
        return f"{self.where}: got {self.value!r}; allowed: {self.allowed}"


class InputError(ValueError):
    """Bad input from the user: reported in full, never as a traceback."""

    kind = "input"

    def __init__(self, issues: list[Issue] | Issue, context: str = ""):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        self.context = context
        super().__init__(self.message())

    def message(self) -> str:
        head = f"{len(self.issues)} problem(s) in {self.context or self.kind}:"
        return "\n".join([head] + [f"  - {issue}" for issue in self.issues])


class ScenarioError(InputError):
    """A scenario file or dict that does not describe a valid scenario."""

    kind = "scenario"


class DataError(InputError):
    """A data file that is missing, unreadable or fails validation."""

    kind = "data"
