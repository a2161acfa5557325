"""What a planner asks the target search for (``Goal``: a PAR rank and/or a SIPAS level in one year, with a
required probability), its options checked with every problem reported at once (``check_target``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..engine import data, levers
from ..engine.errors import InputError, Issue


@dataclass(frozen=True)
class Goal:
    """What a planner asks the search for: PAR rank ≤ ``par_rank`` and/or SIPAS ≥ ``sipas`` % in ``year``,
    with probability ≥ ``prob``. (A lever's *target* is the value it reaches; a goal is the outcome sought.)"""

    prob: float
    year: int
    par_rank: int | None = None
    sipas: float | None = None


def _number(text, integer: bool = False):
    if text is None:
        return None
    try:
        x = float(str(text).strip().rstrip("%"))
    except ValueError:
        return "bad"
    if not math.isfinite(x) or (integer and not x.is_integer()):
        return "bad"
    return int(x) if integer else x


def parse_weights(text: str | None) -> tuple[dict[str, float], list[Issue]]:
    """``'simplification=1,delegation=2'`` (or ``:`` for ``=``) → {lever: weight}; every problem as an Issue."""
    if not text:
        return {}, []
    out, issues = {}, []
    names = levers.names()
    for item in str(text).split(","):
        name, _, value = item.replace(":", "=").partition("=")
        name = name.strip()
        w = _number(value) if value.strip() else "bad"
        if name not in names:
            issues.append(Issue("--weights", item.strip(), "lever=weight pairs, lever one of " + ", ".join(names)))
        elif not isinstance(w, float) or w <= 0:  # "bad", None (no number) or not positive
            issues.append(Issue(f"--weights {name}", value.strip(), "a positive number (effort per share point)"))
        else:
            out[name] = float(w)
    return out, issues


def baseline_year_or_default(year: int | None) -> int:
    """``year``, or the newest year published for both indices (``scenario.default_baseline_year``)."""
    from ..engine.scenario import default_baseline_year

    return default_baseline_year() if year is None else int(year)


def check_target(
    par_rank=None,
    prob=None,
    sipas=None,
    year=None,
    budget=None,
    focal: str = "ha-noi",
    baseline_year: int | None = None,
    horizon: int = 2030,
    weights: str | None = None,
    draws=None,
) -> tuple[Goal, float | None, dict[str, float]]:
    """Validate the options of a target search, reporting every problem at once.

    Returns (Goal, budget or None, weights). Options may be given as text (command
    line) or numbers.
    """
    issues: list[Issue] = []
    ds = data.load()
    y = _number(year if year is not None else 2027, integer=True)
    first = baseline_year_or_default(baseline_year) + 1
    year_issue = None
    if y == "bad" or not first <= y <= horizon:
        year_issue = Issue("--year", year, f"a projected year from {first} to {horizon}")
        y = None
    n_units = len(ds.units_in(y)) if y is not None else len(ds.units)
    r = _number(par_rank, integer=True)
    if r == "bad" or (r is not None and not 1 <= r <= n_units):
        issues.append(
            Issue(
                "--par-rank",
                par_rank,
                f"a whole-number rank from 1 to {n_units} (units ranked in {y or 'the target year'})",
            )
        )
        r = None
    q = _number(prob)
    if prob is None:
        issues.append(Issue("--prob", None, "a probability strictly between 0 and 1, e.g. 0.8"))
    elif q == "bad" or not 0 < q < 1:
        issues.append(Issue("--prob", prob, "a probability strictly between 0 and 1, e.g. 0.8"))
    s = _number(sipas)
    if s == "bad" or (s is not None and not 0 <= s <= 100):
        issues.append(Issue("--sipas", sipas, "a SIPAS level in % from 0 to 100, e.g. 86"))
    if year_issue is not None:
        issues.append(year_issue)
    if par_rank is None and sipas is None:
        issues.append(Issue("--par-rank / --sipas", None, "at least one target: a PAR rank and/or a SIPAS level"))
    b = _number(budget)
    if b == "bad" or (b is not None and b < 0):
        issues.append(Issue("--budget", budget, "fees forgone allowed, bn VND per year: a number ≥ 0"))
    if focal not in ds.units:
        issues.append(Issue("--focal", focal, "a 2025 unit slug, one of " + ", ".join(sorted(ds.units))))
    if draws is not None and not (isinstance(draws, int) and 10 <= draws <= 100_000):
        issues.append(Issue("--draws", draws, "a whole number from 10 to 100000"))
    w, w_issues = parse_weights(weights)
    issues.extend(w_issues)
    if issues:
        raise InputError(issues, context="target")
    return Goal(float(q), int(y), r, None if s is None else float(s)), (None if b is None else float(b)), w
