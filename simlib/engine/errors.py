"""Errors a user can fix: each carries every problem found, not just the first."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from pathlib import PurePath

from .safetext import printable

MAX_VALUE_CHARS = 80  # a value is shown with at most this many characters, then "…"
MAX_ISSUES_SHOWN = 20  # a message lists this many problems, then "and N more"


def _bounded_repr() -> reprlib.Repr:
    r = reprlib.Repr()
    r.maxstring = r.maxother = r.maxlong = MAX_VALUE_CHARS + 2
    r.maxlevel, r.maxdict, r.maxlist, r.maxtuple, r.maxset = 3, 6, 6, 6, 6
    return r


_REPR = _bounded_repr()


def short(value, limit: int = MAX_VALUE_CHARS) -> str:
    """``repr(value)`` in at most ``limit`` characters ("…" marks a cut).

    A path (``pathlib``) keeps its end, where the file's name is ('…/out/grid.csv'); any other value
    keeps its beginning. The cost is bounded too: a huge string, list or deeply nested value is never
    written out in full (only its first items and levels are looked at).
    """
    if isinstance(value, PurePath):
        text = repr(str(value))
        return text if len(text) <= limit else text[0] + "…" + text[len(text) - limit + 2 :]
    if isinstance(value, str):
        text = repr(value[: limit + 1])
    else:
        try:
            text = _REPR.repr(value)
        except ValueError:  # an int too long to write out (Python's 4300-digit limit)
            text = (
                f"<a number of {int(value.bit_length() * 0.30103)}+ digits>"
                if isinstance(value, int)
                else f"<{type(value).__name__}>"
            )
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        where = printable(str(self.where))
        where = where if len(where) <= 2 * MAX_VALUE_CHARS else where[: 2 * MAX_VALUE_CHARS - 1] + "…"
        return f"{where}: got {short(self.value)}; allowed: {printable(str(self.allowed))}"


class InputError(ValueError):
    """Bad input from the user: reported in full, never as a traceback."""

    kind = "input"

    def __init__(self, issues: list[Issue] | Issue, context: str = ""):
        issues = [issues] if isinstance(issues, Issue) else list(issues)
        seen: set[str] = set()  # one problem found by two checks (e.g. data loaded twice) is listed once
        self.issues: list[Issue] = []
        for issue in issues:
            if str(issue) not in seen:
                seen.add(str(issue))
                self.issues.append(issue)
        self.context = context
        super().__init__(self.message())

    def message(self) -> str:
        """Every problem on its own line: the first MAX_ISSUES_SHOWN, then how many more."""
        head = f"{len(self.issues)} problem(s) in {printable(str(self.context or self.kind))}:"
        lines = [head] + [f"  - {issue}" for issue in self.issues[:MAX_ISSUES_SHOWN]]
        if len(self.issues) > MAX_ISSUES_SHOWN:
            lines.append(f"  … and {len(self.issues) - MAX_ISSUES_SHOWN} more")
        return "\n".join(lines)


class ScenarioError(InputError):
    """A scenario file or dict that does not describe a valid scenario."""

    kind = "scenario"


class DataError(InputError):
    """A data file that is missing, unreadable or fails validation."""

    kind = "data"
