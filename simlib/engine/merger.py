"""The 2025 merger applied to figures of the 63 provinces: each 2025 unit from its constituents.

The field's projection merges the provinces' gaps to the national average by 2019 population
(``field.merge``). The same rule gives a 34-unit view of anything known per province before
2025, wherever a year from 2025 is set against an earlier one: a frozen forecast's naive start,
a backtest of 2025 from 2024, the usual position of a unit whose 2025 rank was not published.
"""

from __future__ import annotations

import math

import numpy as np

from . import data


def weights(unit: str, ds=None) -> dict[str, float]:
    """Population weights (2019, summing to 1) of the provinces that formed ``unit``."""
    ds = ds or data.load()
    members = ds.members(unit)
    total = sum(ds.population[m] for m in members)
    return {m: ds.population[m] / total for m in members}


def values(by_province: dict[str, float], ds=None) -> dict[str, float]:
    """Unit → population-weighted mean of its constituents' values, over the constituents that have
    one (weights renormalised); a unit none of whose provinces has a value is left out."""
    ds = ds or data.load()
    out = {}
    for unit in ds.units:
        w = {m: x for m, x in weights(unit, ds).items() if m in by_province}
        if w:
            total = sum(w.values())
            out[unit] = sum(by_province[m] * x / total for m, x in w.items())
    return out


def scores(field_scores: np.ndarray, ds=None) -> np.ndarray:
    """(..., 63) province scores (%) → (..., 34) unit scores, merged on log(100 − score) by population
    as the field's projection merges the gaps (``field.merge``): the centre cancels, the weights sum to 1."""
    ds = ds or data.load()
    x = np.asarray(field_scores, dtype=float)
    g = np.log(np.maximum(100.0 - x, 1e-3))  # history.loggap
    pos = {s: i for i, s in enumerate(ds.provinces)}
    out = np.empty(x.shape[:-1] + (len(ds.units),))
    for j, unit in enumerate(ds.units):
        merged = np.zeros(x.shape[:-1])
        for member, w in weights(unit, ds).items():
            merged += w * g[..., pos[member]]
        out[..., j] = 100.0 - np.exp(merged)  # history.from_loggap
    return out


def published(published_score: np.ndarray, ds=None) -> np.ndarray:
    """(63,) published scores (nan where not) → (34,): a unit's merged score where every constituent
    was published, nan otherwise."""
    ds = ds or data.load()
    out = scores(np.asarray(published_score, dtype=float)[None, :], ds)[0]
    pos = {s: i for i, s in enumerate(ds.provinces)}
    for j, unit in enumerate(ds.units):
        if any(math.isnan(published_score[pos[m]]) for m in ds.members(unit)):
            out[j] = math.nan
    return out


def origin_view(base, year: int, ds=None):
    """The field ``base`` (``history.FieldDraws`` of an origin year) seen from ``year``: its own units,
    or, for a year from 2025 seen from before it, the 34 units merged from the provinces. Returns
    (slugs, scores (D, n), published scores (n,), published ranks (n,), 0 where none): a merged
    unit's score counts as published only where all its provinces' were, and its rank among the
    34 was never published."""
    ds = ds or data.load()
    if int(year) < data.MERGER_YEAR or base.year >= data.MERGER_YEAR:
        return base.slugs, base.scores, base.published_score, base.published_rank
    units = tuple(ds.units)
    ranks = np.zeros(len(units), dtype=int)
    return units, scores(base.scores, ds), published(base.published_score, ds), ranks
