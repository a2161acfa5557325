"""Proper scores of probabilistic forecasts: CRPS, interval score, band coverage, rank error.

All functions are pure and vectorised over the forecast cases: draws along axis 0,
one column per case. The bands and medians they are given come from ``simlib.engine.stats``. Lower CRPS and interval scores are better; they are in the
forecast's own unit (points for scores, places for ranks).

References: Gneiting & Raftery (2007), "Strictly proper scoring rules, prediction,
and estimation", JASA 102 — CRPS (eq. 21) and the interval score (eq. 43).
"""

from __future__ import annotations

import math

import numpy as np

SQRT_PI = math.sqrt(math.pi)


def crps_sample(draws, observed) -> np.ndarray:
    """CRPS of the empirical distribution of ``draws`` (D, N) at ``observed`` (N,).

    The sample estimator E|X − y| − ½ E|X − X'| over the draws (exact for the empirical
    distribution), computed from the sorted draws in O(D log D):
    E|X − X'| = 2 / D² · Σ_i (2i − D − 1) x_(i).
    """
    x = np.sort(np.asarray(draws, dtype=float), axis=0)
    y = np.asarray(observed, dtype=float)
    d = x.shape[0]
    first = np.mean(np.abs(x - y), axis=0)
    weights = (2 * np.arange(1, d + 1) - d - 1)[:, None] if x.ndim == 2 else 2 * np.arange(1, d + 1) - d - 1
    spread = 2.0 / d**2 * np.sum(weights * x, axis=0)
    return first - 0.5 * spread


def crps_normal(mean, sd, observed) -> np.ndarray:
    """Closed-form CRPS of a normal forecast N(mean, sd²) at ``observed`` (Gneiting & Raftery eq. 5)."""
    from scipy.stats import norm

    mean, sd, y = (np.asarray(v, dtype=float) for v in (mean, sd, observed))
    z = (y - mean) / sd
    return sd * (z * (2 * norm.cdf(z) - 1) + 2 * norm.pdf(z) - 1 / SQRT_PI)


def interval_score(lower, upper, observed, level: float) -> np.ndarray:
    """Interval score of the central ``level`` band: width + (2/α)·distance outside, α = 1 − level."""
    lower, upper, y = (np.asarray(v, dtype=float) for v in (lower, upper, observed))
    alpha = 1 - level
    return (upper - lower) + 2 / alpha * (np.maximum(lower - y, 0) + np.maximum(y - upper, 0))


def inside(lower, upper, observed) -> np.ndarray:
    """True where ``observed`` lies in [lower, upper] (ends included)."""
    y = np.asarray(observed, dtype=float)
    return (np.asarray(lower) <= y) & (y <= np.asarray(upper))


def ranks_of(scores) -> np.ndarray:
    """Rank of every unit per draw: 1 + number of units scoring strictly above (ties share a rank)."""
    s = np.asarray(scores, dtype=float)
    order = np.sort(s, axis=-1)
    n = s.shape[-1]
    # units strictly above = n − (units ≤ this score), found by binary search in the sorted row
    above = n - np.stack(
        [np.searchsorted(row, vals, side="right") for row, vals in zip(order.reshape(-1, n), s.reshape(-1, n))]
    ).reshape(s.shape)
    return above + 1


def rank_crps_table(rank_draws, units: int) -> np.ndarray:
    """CRPS of the empirical distribution of ``rank_draws`` (D,) at every possible rank 1 … ``units``:
    (units,), entry t − 1 the score had the outcome been rank t.

    For integer outcomes the CRPS is Σ_k (F(k) − [k ≥ t])² over the ranks k, F the forecast's
    cumulative share at k; the same number as ``crps_sample`` at each t, for every t at once.
    """
    r = np.clip(np.rint(np.asarray(rank_draws, dtype=float)), 1, units).astype(int)
    cdf = np.cumsum(np.bincount(r, minlength=units + 1)[1:]) / r.size  # F(1) … F(units)
    step = np.arange(1, units + 1)[None, :] >= np.arange(1, units + 1)[:, None]  # [k ≥ t], (t, k)
    return np.sum((cdf[None, :] - step) ** 2, axis=1)
