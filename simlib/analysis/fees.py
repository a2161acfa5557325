"""Fees forgone by the online fee waiver (bn VND per year): the one statistic every output shows.

The waiver's cost is a budget figure, so every table, sentence, figure, page, workbook and CSV
gives the same number: the **mean** over the draws in the year shown (the expected revenue
forgone, the figure that adds up across years and units), with its 5–95% band where there is
room, and always labelled as a mean (``simlib.reports.numbers.fee_text``). Changes between two
settings are the mean of the paired differences, which is the difference of the two means.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.stats import band

METRIC = "fee_forgone_bn_vnd"
STATISTIC = "mean"  # the statistic shown everywhere (a column of ``Result.rows()``)
DIGITS = 1  # decimals a reader sees (bn VND per year)


@dataclass(frozen=True)
class FeeCost:
    """Fees forgone in one year: ``mean`` (the one figure shown) and the 5–95% band of the draws,
    bn VND per year."""

    mean: float
    p05: float
    p95: float


def fee_cost(draws) -> FeeCost:
    """The statistic of the draws of one year (1-D: one value per draw), bn VND per year."""
    x = np.asarray(draws, dtype=float)
    lo, _, hi = band(x)
    return FeeCost(float(x.mean()), float(lo), float(hi))


def of_result(result, year: int) -> FeeCost:
    """The fees forgone of a ``Result`` in ``year``."""
    k = int(np.searchsorted(result.years, year))
    return fee_cost(result.arrays[METRIC][:, k])


def of_row(row: dict) -> FeeCost:
    """The fees forgone from a summary row of ``Result.rows()`` (``metric == METRIC``)."""
    return FeeCost(float(row[STATISTIC]), float(row["p05"]), float(row["p95"]))


def value(draws, axis: int = -1):
    """Only the shown figure (the mean) of draws along ``axis`` (e.g. (S, D) settings → (S,))."""
    return np.asarray(draws, dtype=float).mean(axis=axis)
