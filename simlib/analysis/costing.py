"""What a scenario costs the city, and which lever mixes buy the best chance of PAR top 3 for their cost.

Numbers only (bn VND; probabilities 0–1). The cost of a setting, beside today's policies continued,
over the projected years up to the target year: the one-off cost of raising each lever above today's
value (``engine.costs``: low, central and high unit costs) plus the fees forgone beyond today's
(the draws' 5–95% and mean). When a lever cannot be priced for the unit (no total of procedures, no
unit cost), the cost is unknown and the frontier is drawn against effort (share points raised).

    >>> scenario_cost(result, baseline)["total"]            # (low, central, high) bn VND
    >>> f = frontier(scenario); f.rows()                     # the mixes no other mix beats on both
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import costs, levers, stats
from ..engine.result import wilson
from . import compare, recent

FRONTIER_POINTS = (
    4  # settings per lever on the frontier's grid, today's value to the maximum (4³ = 64 mixes for Hà Nội)
)
FRONTIER_DRAWS = 1000  # at most this many draws (the scenario's own if fewer)
TOP = 3


def _fees_extra(result, baseline, year: int) -> np.ndarray:
    """(D,) fees forgone beyond today's policies, summed over the projected years to ``year``, bn VND."""
    k = compare.year_index(result, year)
    return costs.extra_fees(result.arrays["fee_forgone_bn_vnd"], baseline.arrays["fee_forgone_bn_vnd"], k)


def scenario_cost(result, baseline, year: int | None = None) -> dict:
    """The cost to the city of ``result``'s scenario beside ``baseline`` (today's policies, on the same
    draws) over the projected years to ``year`` (default: the target year), bn VND.

    Returns ``known`` (every lever priced), ``unknown`` ({lever: why}), ``one_off`` (low, central, high:
    raising each lever to its value in ``year``), ``fees`` (p05, mean, p95 of the extra fees forgone),
    ``total`` (low + p05, central + mean, high + p95; None when unknown), ``first_year`` and ``year``.
    """
    s = result.scenario
    year = int(year or s.target_year)
    model = costs.cost_model(s.focal, s.costs)
    k = compare.year_index(result, year)
    current = np.asarray(result.current, dtype=float)
    one_off = tuple(float(v) for v in model.one_off(result.lever_paths[k][None], current)[:, 0])
    extra = _fees_extra(result, baseline, year)
    lo, _, hi = stats.band(extra)
    fees = (float(lo), float(extra.mean()), float(hi))
    total = tuple(a + b for a, b in zip(one_off, fees)) if model.known else None
    return {
        "known": model.known,
        "unknown": dict(model.unknown),
        "one_off": one_off,
        "fees": fees,
        "total": total,
        "first_year": int(result.years[0]),
        "year": year,
    }


@dataclass
class Frontier:
    """Lever mixes on a grid (each lever from today's value to its maximum, reached by ``year``), their
    chance of PAR top ``top`` in ``year`` and their cost; ``efficient``: the mixes no other mix beats on
    both (cheaper or as cheap with at least as good a chance), by rising cost."""

    focal: str
    year: int
    first_year: int
    top: int
    draws: int
    names: tuple[str, ...]
    current: np.ndarray  # (L,)
    X: np.ndarray  # (M, L) the mixes (fractions)
    p: np.ndarray  # (M,) P(PAR rank ≤ top in year)
    cost: np.ndarray  # (3, M) low, central, high bn VND (central: unit costs' central + mean fees)
    effort: np.ndarray  # (M,) share points raised
    measure: str  # "cost" when every lever is priced, else "effort"
    unknown: dict  # lever -> why it cannot be priced
    efficient: np.ndarray  # indices into X, by rising measure
    totals: dict  # lever -> the unit's total of procedures

    def value(self) -> np.ndarray:
        """(M,) what the frontier is drawn against: the central cost, or the effort."""
        return self.cost[1] if self.measure == "cost" else self.effort

    def rows(self) -> list[dict]:
        """One row per efficient mix: settings (fractions, and counts where the unit has a total), cost
        (low, central, high), effort, P(top) with its 90% Monte-Carlo interval."""
        out = []
        for i in self.efficient:
            lo, hi = wilson(float(self.p[i]), self.draws)
            settings = {}
            for j, name in enumerate(self.names):
                x, total = float(self.X[i, j]), self.totals.get(name)
                settings[name] = {"share": x, "count": None if total is None else round(x * total)}
            out.append(
                {
                    "settings": settings,
                    "cost": tuple(float(c) for c in self.cost[:, i]),
                    "effort": float(self.effort[i]),
                    "p": float(self.p[i]),
                    "p_lo": lo,
                    "p_hi": hi,
                    "today": bool(np.allclose(self.X[i], self.current)),
                }
            )
        return out


def efficient_set(value: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Indices of the points no other point beats on both (a lower ``value`` and a higher ``p``), by rising
    value: a point is kept when its chance beats every cheaper point's (ties: the cheapest, then the most
    likely)."""
    order = np.lexsort((-p, value))
    kept, best = [], -np.inf
    for i in order:
        if p[i] > best + 1e-12:
            kept.append(i)
            best = p[i]
    return np.array(kept, dtype=int)


@recent.per_scenario()
def frontier(scenario, points: int = FRONTIER_POINTS, draws: int | None = None) -> Frontier:
    """The cost vs P(PAR top 3) frontier of lever mixes for ``scenario``'s unit, field assumption, seed and
    target year (each mix ramped from today's values to its settings by the target year), on common
    random numbers (at most ``FRONTIER_DRAWS`` draws)."""
    from .goals import Goal
    from .surface import EngineSurface
    from .target import grid

    year = int(scenario.target_year)
    n = int(min(scenario.draws, FRONTIER_DRAWS) if draws is None else draws)
    surface = EngineSurface(
        Goal(prob=0.5, year=year, par_rank=TOP),
        scenario.focal,
        n,
        scenario.seed,
        scenario.baseline_year,
        scenario.others_fee_waiver_share,
        scenario.others_fee_waiver_year,
        cost_overrides=scenario.costs,
    )
    current = np.asarray(surface.current, dtype=float)
    upper = np.asarray(surface.upper, dtype=float)
    X = np.unique(np.vstack([current[None], grid(np.minimum(current, upper), upper, points)]), axis=0)
    raw = surface.raw(X)
    p = (raw["rank"] <= TOP).mean(axis=1)
    extra = raw["fees_sum"] - surface.today_fees()[None]
    q05, _, q95 = stats.band(extra, axis=1)
    one_off = surface.costs.one_off(X, current)
    cost = np.vstack([one_off[0] + q05, one_off[1] + extra.mean(axis=1), one_off[2] + q95])
    effort = 100.0 * np.maximum(X - current[None], 0.0).sum(axis=1)
    measure = "cost" if surface.costs.known else "effort"
    value = cost[1] if measure == "cost" else effort
    return Frontier(
        scenario.focal,
        year,
        int(surface.years[0]),
        TOP,
        n,
        tuple(levers.names()),
        current,
        X,
        p,
        cost,
        effort,
        measure,
        dict(surface.costs.unknown),
        efficient_set(value, p),
        dict(surface.totals),
    )


def scenario_point(f: Frontier, result, cost: dict) -> tuple[float, float]:
    """Where a scenario sits on ``f``'s axes: (its central cost, or its effort when the frontier is against
    effort; its P(PAR top 3) in the frontier's year)."""
    k = compare.year_index(result, f.year)
    p = float(result.probability(f"p_par_top{f.top}")[k])
    if f.measure == "cost" and cost.get("total") is not None:
        return float(cost["total"][1]), p
    raised = 100.0 * np.maximum(result.lever_paths[k] - np.asarray(result.current, dtype=float), 0.0).sum()
    return float(raised), p
