"""Backtest: project year Y from data before Y and compare with what was published.

The model's projection (the field model of ``field.py`` started from the
reconstructed Y − 1 field, with dynamics fitted on data up to Y − 1) is set
beside a naive forecast: each province keeps its Y − 1 score (published, or the
reconstruction's median) plus the national trend (the change between the last two
published averages before Y, per year).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import data, field, history, merger, params
from ..engine.errors import InputError, Issue
from ..engine.stats import band, median


@dataclass(frozen=True)
class Backtest:
    index: str
    year: int
    rows: list[dict]  # province_slug, published, p05, p50, p95, naive
    mae_model: float | None
    mae_naive: float | None
    coverage_90: float | None
    n_published: int
    fit_note: str

    def summary_lines(self) -> list[str]:
        if not self.n_published:
            return [f"no published {self.index} {self.year} scores to compare"]
        verdict = (
            "the model beats the naive forecast"
            if self.mae_model < self.mae_naive
            else "the model does NOT beat the naive forecast"
        )
        return [
            f"published scores compared: {self.n_published}",
            f"mean absolute error, model (median): {self.mae_model:.2f} points",
            f"mean absolute error, naive (last year + national trend): {self.mae_naive:.2f} points",
            f"90% band coverage: {self.coverage_90:.0%} of published scores inside p05–p95 (target 90%)",
            f"verdict: {verdict}",
            f"field dynamics: {self.fit_note}",
        ]


def backtest_years(index: str) -> list[int]:
    """Years Y that can be backtested: Y − 1 reconstructable, Y published (2025 once its results are added)."""
    recon = set(history.reconstructable_years(index))
    return [y for y in data.load().years_with_results(index) if y - 1 in recon and history.published_scores(index, y)]


def check(index: str, year: int) -> None:
    issues = []
    if index not in data.INDICES:
        issues.append(Issue("--index", index, "PAR or SIPAS"))
    elif year not in backtest_years(index):
        issues.append(
            Issue(
                "--year",
                year,
                "one of "
                + ", ".join(map(str, backtest_years(index)))
                + f" (years with published {index} scores whose previous year can be reconstructed)",
            )
        )
    if issues:
        raise InputError(issues, context="backtest")


def naive_trend(index: str, before: int) -> float:
    """National change per year between the last two published averages before ``before``,
    within the index's comparable series (``*_series_start``: never across a methodology break)."""
    from ..engine.dynamics import break_year

    ds = data.load()
    start = max(before - 10, int(params.central(f"{index.lower()}_series_start")))
    brk = break_year(index)
    if brk is not None and brk < before:  # the new criteria's averages only
        start = max(start, brk)
    avgs = [(y, ds.average(index, y)) for y in range(start, before) if ds.average(index, y) is not None]
    if len(avgs) < 2:
        return 0.0
    (y0, a0), (y1, a1) = avgs[-2], avgs[-1]
    return (a1 - a0) / (y1 - y0)


def run(index: str, year: int, draws: int = 2000, seed: int = 2024) -> Backtest:
    check(index, year)
    pf = field.project(index, year - 1, year, draws, seed)
    scores = pf.scores[0]
    base_slugs, base_scores, base_published, _ = merger.origin_view(pf.base, year)
    base_median = np.where(np.isnan(base_published), median(base_scores, axis=0), base_published)
    trend = naive_trend(index, year)
    published = history.published_scores(index, year)
    q = np.array(band(scores, axis=0))
    rows = []
    for i, slug in enumerate(pf.slugs[0]):
        rows.append(
            {
                "province_slug": slug,
                "published": published.get(slug),
                "p05": float(q[0, i]),
                "p50": float(q[1, i]),
                "p95": float(q[2, i]),
                "naive": float(base_median[base_slugs.index(slug)] + trend),
            }
        )
    pub = [r for r in rows if r["published"] is not None]
    if pub:
        y = np.array([r["published"] for r in pub])
        mae_model = float(np.mean(np.abs(y - np.array([r["p50"] for r in pub]))))
        mae_naive = float(np.mean(np.abs(y - np.array([r["naive"] for r in pub]))))
        cover = float(np.mean([(r["p05"] <= r["published"] <= r["p95"]) for r in pub]))
    else:
        mae_model = mae_naive = cover = None
    return Backtest(
        index,
        year,
        rows,
        mae_model,
        mae_naive,
        cover,
        len(pub),
        f"{pf.fit.trend_from}; persistence {pf.fit.persistence:.2f} ({pf.fit.dynamics_from}); "
        f"noise sd {pf.fit.noise_sd:.3f} on log(100 − score)",
    )
