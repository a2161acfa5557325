"""Persistence with a spread: the simplest honest forecast a planner could make without the model.

A province keeps its last rank (and score), and its uncertainty is the spread of the changes that
published provinces actually showed over the same number of years, from a similar start: the
rank changes r_t − r_{t−h} (and score changes s_t − s_{t−h}) of every province published in both
years t − h and t, **both years at or before the forecast's origin**, grouped by where the province
started (``START_GROUPS``: its rank among the top ``EXTREME_PLACES``, the bottom ``EXTREME_PLACES``,
or between). Added to the start, these changes are the forecast's predictive distribution; ranks
are clipped to the field (1 … n).

Where a group has fewer than ``MIN_CHANGES`` changes, the changes of every start are used; where
the horizon has fewer still, the changes over every horizon k of 1 … ``MAX_HORIZON`` years, each
scaled by √(h / k) (a random walk); with none at all, the forecast is the point forecast of rank
persistence (no spread). ``SPREAD_FROM`` names each step. Rank changes count in every published
year (a rank has no scale); score changes only within the index's comparable series. The changes
are centred on their median, so the forecast's median is the start carried forward (rank
persistence's point forecast, and the last score): a published pair is mostly a province on the
lists in both years, and their mean change says more about who gets published than about where
a province goes. The baseline needs nothing but the published figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine import data, params, stats

EXTREME_PLACES = 10  # the top and bottom lists the press publishes: ranks 1–10 and the last 10
START_GROUPS = ("top", "middle", "bottom")
MIN_CHANGES = 8  # fewer changes in a group (or a horizon) and the next, broader source is used
MAX_HORIZON = 3  # changes over 1 … this many years may stand in for another horizon's (scaled)
SPREAD_FROM = ("same_start_and_horizon", "same_horizon", "every_horizon_scaled", "none")


def start_group(rank: float, units: int) -> str:
    """``START_GROUPS`` member of a start at ``rank`` among ``units``."""
    if rank <= EXTREME_PLACES:
        return START_GROUPS[0]
    return START_GROUPS[2] if rank > units - EXTREME_PLACES else START_GROUPS[1]


def _position(entries: dict, slug: str) -> float | None:
    """A province's rank in one year: published, or for a score published without a rank the rank
    it falls on between the year's published (score, rank) pairs (linear, clamped to the ends)."""
    p = entries.get(slug)
    if p is None:
        return None
    if p.rank is not None:
        return float(p.rank)
    pairs = sorted((q.score, q.rank) for q in entries.values() if q.rank is not None and q.score is not None)
    if p.score is None or len(pairs) < 2:
        return None
    return float(np.interp(p.score, [s for s, _ in pairs], [r for _, r in pairs]))


def changes(index: str, origin: int, horizon: int, kind: str) -> dict[str, np.ndarray]:
    """Published changes over ``horizon`` years with both years ≤ ``origin`` (and before the 2025
    merger), by start group: ``kind`` ``"rank"`` (places, positive = worse) or ``"score"`` (points).

    Score changes count only within the index's comparable series (``*_series_start``: a
    methodology break moves the scale); rank changes in every year (a rank has no scale)."""
    ds = data.load()
    first = (
        int(params.central(f"{index.lower()}_series_start")) if kind == "score" else min(ds.years_with_results(index))
    )
    out: dict[str, list[float]] = {g: [] for g in START_GROUPS}
    for t in range(first + horizon, min(origin, data.MERGER_YEAR - 1) + 1):
        e0, e1 = ds.results.get((index, t - horizon), {}), ds.results.get((index, t), {})
        units = len(ds.units_in(t))
        for slug in sorted(e0.keys() & e1.keys()):
            where = _position(e0, slug)
            if where is None:
                continue
            a, b = e0[slug], e1[slug]
            if kind == "rank" and a.rank is not None and b.rank is not None:
                out[start_group(where, units)].append(b.rank - a.rank)
            elif kind == "score" and a.score is not None and b.score is not None:
                out[start_group(where, units)].append(b.score - a.score)
    return {g: np.array(v, dtype=float) for g, v in out.items()}


@dataclass(frozen=True)
class Spread:
    """The changes a forecast adds to its start, and where they came from (``SPREAD_FROM``)."""

    changes: np.ndarray  # (m,) changes (places or points); empty for a point forecast
    source: str


def spread(index: str, origin: int, horizon: int, kind: str, group: str) -> Spread:
    """The changes for a start in ``group``, ``horizon`` years ahead of ``origin`` (see the module),
    centred on their median: the forecast's median is the start carried forward."""
    sp = _raw_spread(index, origin, horizon, kind, group)
    if sp.changes.size:
        return Spread(sp.changes - stats.median(sp.changes), sp.source)
    return sp


def _raw_spread(index: str, origin: int, horizon: int, kind: str, group: str) -> Spread:
    same = changes(index, origin, horizon, kind)
    if same[group].size >= MIN_CHANGES:
        return Spread(same[group], SPREAD_FROM[0])
    pooled = np.concatenate([same[g] for g in START_GROUPS])
    if pooled.size >= MIN_CHANGES:
        return Spread(pooled, SPREAD_FROM[1])
    scaled = [
        np.concatenate(list(changes(index, origin, k, kind).values())) * math.sqrt(horizon / k)
        for k in range(1, MAX_HORIZON + 1)
    ]
    scaled = np.concatenate(scaled)
    if scaled.size:
        return Spread(scaled, SPREAD_FROM[2])
    return Spread(np.zeros(0), SPREAD_FROM[3])


def quantile_draws(values: np.ndarray, draws: int) -> np.ndarray:
    """``draws`` values with the empirical distribution of ``values``: its quantiles at (j + ½) / draws."""
    return stats.quantiles(values, (np.arange(draws) + 0.5) / draws, whole=True)


def rank_draws(start_rank: float, units: int, sp: Spread, draws: int) -> np.ndarray:
    """(draws,) ranks: the start plus the changes, rounded and clipped to 1 … ``units``."""
    if not sp.changes.size:
        return np.full(draws, float(start_rank))
    return np.clip(np.rint(start_rank + quantile_draws(sp.changes, draws)), 1, units)


def score_draws(start_score: float, sp: Spread, draws: int) -> np.ndarray:
    """(draws,) scores (%): the start plus the changes, kept within 0–100."""
    if not sp.changes.size:
        return np.full(draws, float(start_score))
    return np.clip(start_score + quantile_draws(sp.changes, draws), 0.0, 100.0)
