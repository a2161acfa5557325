"""Why the rank moves: the focal unit's change in median score and rank, baseline year → target year,
split into parts that add up to the total.

The parts are the steps of a chain of states, each evaluated on the same draws (common random
numbers), so each part is the change of the median from one state to the next and the parts add up
exactly to the change of the median from the first state to the last:

  start     the baseline year's field (published where published, reconstructed elsewhere);
  merger    the same scores, the field re-formed as the 34 units of 2025 (each merged unit the
            mean of its provinces on the model's scale, as in the projection) — only when the
            target year is past the 2025 merger and the baseline year before it. The model has no
            quantified method change (the 2025 PAR criteria are not published), so this part is
            the merger's alone;
  trend     the unit's own business-as-usual score in the target year (levers held at today's
            values), against the others frozen at their baseline-year scores;
  others    the other units at their projected target-year scores (business as usual, with the
            scenario's assumption on who copies the zero online fee);
  levers    the scenario's levers: the unit's score with them, in the projected field.

The levers' part is split by lever with Shapley values: the change of the median under every
subset of the scenario's moved levers (2^L settings through the one door), averaged over every
order of adding them; they add up to the levers' part.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..engine import data, field, fielddraws, history, levers, stats
from ..engine.errors import InputError, Issue
from ..engine.simulate import simulate
from . import recent

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

PARTS = ("merger", "trend", "others", "levers")  # in the order of the chain


@dataclass
class Decomposition:
    """The chain of states (medians) and its parts; ``by_lever`` splits the levers' part."""

    index: str
    focal: str
    start_year: int
    end_year: int
    score: dict  # state → median score (start, merger, trend, others, levers)
    rank: dict  # state → median rank (whole)
    n_units: dict  # state → units ranked
    others_rise: float  # median over draws of the other units' mean score change, start (merged) → end
    by_lever: list[dict]  # lever, score (points), rank (places; negative = better)
    draws: int

    @property
    def states(self) -> tuple[str, ...]:
        return ("start",) + PARTS

    def parts(self) -> list[dict]:
        """part, score (points), rank (change of the median rank number: negative = better)."""
        out, prev = [], "start"
        for state in PARTS:
            out.append(
                {
                    "part": state,
                    "score": self.score[state] - self.score[prev],
                    "rank": self.rank[state] - self.rank[prev],
                }
            )
            prev = state
        return out

    @property
    def total_score(self) -> float:
        return self.score["levers"] - self.score["start"]

    @property
    def total_rank(self) -> float:
        return self.rank["levers"] - self.rank["start"]


def check(scenario: Scenario, index: str, start: int, end: int) -> None:
    issues = []
    if index not in fielddraws.SCORE_OF:
        issues.append(Issue("index", index, "PAR or SIPAS"))
    if start != scenario.baseline_year:
        issues.append(Issue("start year", start, f"the scenario's baseline year {scenario.baseline_year}"))
    if not scenario.baseline_year < end <= scenario.horizon:
        issues.append(Issue("target year", end, f"a projected year {scenario.baseline_year + 1}–{scenario.horizon}"))
    if issues:
        raise InputError(issues, context="rank decomposition")


def _rank_of(focal: np.ndarray, others: np.ndarray) -> np.ndarray:
    """1 + number of other units scoring above the focal unit, per draw."""
    return 1 + (others > focal[:, None]).sum(axis=1)


def _median(x: np.ndarray, whole: bool = False) -> float:
    return float(stats.band(x, whole=whole)[1])


def _subsets(moved: list[str]) -> list[tuple[str, ...]]:
    return [tuple(c) for k in range(len(moved) + 1) for c in itertools.combinations(moved, k)]


def decompose(scenario: Scenario, year: int | None = None, index: str = "PAR", by_lever: bool = True) -> Decomposition:
    """Split the focal unit's change from the baseline year to ``year`` (default: the target year).

    ``by_lever=False`` skips the split by lever (two settings through the door instead of 2^L).
    The last two decompositions are kept per process (``recent``): a report and its one-pager ask
    for the same one."""
    return _decompose(scenario, int(scenario.target_year if year is None else year), index, bool(by_lever))


@recent.per_scenario(maxsize=2)
def _decompose(scenario: Scenario, end: int, index: str, by_lever: bool) -> Decomposition:
    start = int(scenario.baseline_year)
    check(scenario, index, start, end)
    ds = data.load()
    names = levers.names()
    own = scenario.lever_paths()  # (T, L)
    held = np.broadcast_to(np.array([scenario.current()[n].value for n in names]), own.shape)
    moved = [n for j, n in enumerate(names) if not np.allclose(own[:, j], held[:, j])]
    subsets = _subsets(moved) if by_lever else ([(), tuple(moved)] if moved else [()])
    paths = np.empty((len(subsets),) + own.shape)
    for s, subset in enumerate(subsets):
        paths[s] = held
        for name in subset:
            paths[s][:, names.index(name)] = own[:, names.index(name)]
    out = simulate(scenario, paths)
    end_field = fielddraws.year_field(out, index, end)
    start_field = fielddraws.year_field(out, index, start)
    # start: the baseline year's field
    f0 = np.asarray(start_field.scores[0])
    c0 = start_field.focal_column
    s_start = f0[:, c0]
    others0 = np.delete(f0, c0, axis=1)
    # merger: the baseline field re-formed as the end year's units
    if start < data.MERGER_YEAR <= end:
        fm = history.from_loggap(field.merge(history.loggap(f0), ds))
        cm = end_field.focal_column
    else:
        fm, cm = f0, c0
    s_merger = fm[:, cm]
    others_m = np.delete(fm, cm, axis=1)
    cT = end_field.focal_column
    held_T = np.asarray(end_field.scores[0])  # subset () = levers held
    full_T = np.asarray(end_field.scores[len(subsets) - 1])
    s_trend = held_T[:, cT]
    others_T = np.delete(held_T, cT, axis=1)
    score = {
        "start": _median(s_start),
        "merger": _median(s_merger),
        "trend": _median(s_trend),
        "others": _median(s_trend),
        "levers": _median(full_T[:, cT]),
    }
    rank = {
        "start": _median(_rank_of(s_start, others0), True),
        "merger": _median(_rank_of(s_merger, others_m), True),
        "trend": _median(_rank_of(s_trend, others_m), True),
        "others": _median(_rank_of(s_trend, others_T), True),
        "levers": _median(_rank_of(full_T[:, cT], others_T), True),
    }
    n_units = {
        "start": f0.shape[1],
        "merger": fm.shape[1],
        "trend": fm.shape[1],
        "others": held_T.shape[1],
        "levers": held_T.shape[1],
    }
    others_rise = _median(others_T.mean(axis=1) - others_m.mean(axis=1))
    split = _shapley(subsets, moved, end_field, others_T) if by_lever else []
    return Decomposition(
        index, scenario.focal, start, end, score, rank, n_units, others_rise, split, int(scenario.draws)
    )


def _shapley(subsets, moved, end_field, others_T) -> list[dict]:
    """Shapley value of each moved lever for the median score and the median rank in the end year."""
    cT = end_field.focal_column
    v_score = {s: _median(np.asarray(end_field.scores[i])[:, cT]) for i, s in enumerate(subsets)}
    v_rank = {
        s: _median(_rank_of(np.asarray(end_field.scores[i])[:, cT], others_T), True) for i, s in enumerate(subsets)
    }
    n = len(moved)
    out = []
    for name in moved:
        phi_s = phi_r = 0.0
        for subset in subsets:
            if name in subset:
                continue
            with_it = tuple(m for m in moved if m in subset or m == name)
            w = math.factorial(len(subset)) * math.factorial(n - len(subset) - 1) / math.factorial(n)
            phi_s += w * (v_score[with_it] - v_score[subset])
            phi_r += w * (v_rank[with_it] - v_rank[subset])
        out.append({"lever": name, "score": phi_s, "rank": phi_r})
    return out
