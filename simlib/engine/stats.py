"""The one way a distribution of draws is summarised: 5th, 50th and 95th percentiles (``band``),
the median, and central bands of other levels (``central_band``, for scoring forecasts).

Ranks are whole numbers, so their percentiles are taken as actual ranks
(``inverted_cdf``): a median rank is a rank a province can hold, never 4.5.
"""

from __future__ import annotations

import math

import numpy as np


def _method(whole: bool) -> str:
    return "inverted_cdf" if whole else "linear"


def band(x, axis: int = 0, whole: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p05, p50, p95) of draws along ``axis``; ``whole=True`` for ranks."""
    q = np.percentile(np.asarray(x), [5, 50, 95], axis=axis, method=_method(whole))
    return q[0], q[1], q[2]


def median(x, axis: int = 0, whole: bool = False):
    """The 50th percentile of draws along ``axis`` (as ``band``'s middle value)."""
    return np.percentile(np.asarray(x), 50, axis=axis, method=_method(whole))


def central_band(x, level: float, axis: int = 0, whole: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper ends of the central ``level`` band of draws along ``axis``
    (0.9 → p05–p95, the ends of ``band``; 0.5 → p25–p75); ``whole=True`` for ranks."""
    tail = round(50 * (1 - level), 10)  # percent in each tail
    q = np.percentile(np.asarray(x), [tail, 100 - tail], axis=axis, method=_method(whole))
    return q[0], q[1]


def quantiles(x, levels, axis: int = 0, whole: bool = False) -> np.ndarray:
    """Quantiles of draws along ``axis`` at ``levels`` (shares 0–1): the whole distribution kept in a
    few numbers (a frozen forecast stores 100 of them); ``whole=True`` takes them as values of the
    sample itself (``inverted_cdf``: ranks, or an empirical distribution resampled evenly)."""
    return np.quantile(np.asarray(x, dtype=float), np.asarray(levels, dtype=float), axis=axis, method=_method(whole))


def dot(a, b) -> float:
    """Exactly rounded sum of products: the same bits whatever the arrays' memory layout
    (a BLAS dot product may round differently with alignment)."""
    return math.fsum(np.asarray(a, dtype=float) * np.asarray(b, dtype=float))


def line_fit(x, y) -> tuple[float, float]:
    """Least-squares (slope, intercept) of y on x, computed with exact sums (see ``dot``)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    mx, my = math.fsum(x) / len(x), math.fsum(y) / len(y)
    slope = dot(x - mx, y - my) / dot(x - mx, x - mx)
    return slope, my - slope * mx


def band_of(metric: str, x, axis: int = 0):
    """``band`` with the right method for a declared outcome (ranks are whole)."""
    from .outcomes import get

    return band(x, axis=axis, whole=get(metric).whole)
