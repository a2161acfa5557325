"""The field: every unit's score per draw and year — fitted to the history, projected ahead.

On the scale g = log(100 − score) (so no score passes 100 and the crowded top
moves less), with c_t = log(100 − national average):

    c_t = c_{t−1} + trend + common shock
    g_{i,t} − c_t = persistence · (g_{i,t−1} − c_{t−1}) + noise

``persistence`` < 1 is catch-up of low scorers toward the average. The trend is
the least-squares slope of c over the published averages since the series start;
persistence and noise are estimated from provinces published in two consecutive
years (priors from ``data/parameters.csv`` where too few pairs exist).

From 2025 the field is the 34 units of NQ 202/2025/QH15: a merged unit starts
from the equal-weight mean of its constituents' gaps to the average (population
weights are not in the data), then moves like any unit; Hà Nội, not merged,
keeps its own history.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import data, history, params


@dataclass(frozen=True)
class FieldFit:
    """The field's dynamics for one index, estimated from data up to ``cutoff``."""

    index: str
    cutoff: int
    trend: float  # per year, on log(100 − score); negative = scores rising
    trend_sd: float
    trend_from: str  # "estimated from N averages (years)" or "prior"
    persistence: float
    persistence_sd: float
    noise_sd: float  # province-level yearly sd on log(100 − score)
    n_pairs: int
    dynamics_from: str


def fit(index: str, cutoff: int) -> FieldFit:
    """Estimate trend, persistence and noise for ``index`` from published data ≤ ``cutoff``."""
    ds = data.load()
    key = index.lower()
    start = int(params.central(f"{key}_series_start"))
    avgs = sorted((y, ds.average(index, y)) for y in range(start, cutoff + 1)
                  if ds.average(index, y) is not None)
    prior = next(r for r in ds.parameters if r["name"] == f"{key}_trend_prior")
    extra = params.central("trend_extra_sd")
    if len(avgs) >= 2:
        years = np.array([y for y, _ in avgs], dtype=float)
        slope = float(np.polyfit(years, history.loggap([a for _, a in avgs]), 1)[0])
        trend, trend_sd = slope, extra
        trend_from = f"estimated from {len(avgs)} published averages ({', '.join(str(y) for y, _ in avgs)})"
    else:
        trend, trend_sd = prior["p1"], float(np.hypot(prior["p2"], extra))
        trend_from = "prior (fewer than two published averages in the window)"
    prev_dev, dev = [], []
    for y in range(start + 1, cutoff + 1):
        a0, a1 = ds.average(index, y - 1), ds.average(index, y)
        if a0 is None or a1 is None:
            continue
        s0, s1 = history.published_scores(index, y - 1), history.published_scores(index, y)
        for slug in s0.keys() & s1.keys():
            prev_dev.append(history.loggap(s0[slug]) - history.loggap(a0))
            dev.append(history.loggap(s1[slug]) - history.loggap(a1))
    x, yv = np.array(prev_dev), np.array(dev)
    pp = next(r for r in ds.parameters if r["name"] == "persistence_prior")
    if len(x) >= params.central("min_pairs"):
        phi_hat = float((x @ yv) / (x @ x))
        resid = yv - phi_hat * x
        sigma_hat2 = float(resid @ resid / (len(x) - 1))
        # pool the noise with its prior, weighted as min_pairs pseudo-pairs (few pairs, top-heavy sample)
        n0, n = params.central("min_pairs"), len(x)
        sigma = float(np.sqrt((n * sigma_hat2 + n0 * params.central(f"{key}_noise_prior") ** 2) / (n + n0)))
        se = float(np.sqrt(sigma_hat2) / np.sqrt(x @ x))
        # precision-weighted combination of the prior and the estimate: published
        # provinces are mostly the best, so the estimate alone overstates persistence
        w_prior, w_data = pp["p2"] ** -2, se ** -2
        phi = float(np.clip((w_prior * pp["p1"] + w_data * phi_hat) / (w_prior + w_data), 0.0, 1.0))
        phi_sd = float((w_prior + w_data) ** -0.5)
        dyn = (f"estimated from {len(x)} provinces published in consecutive years "
               f"(persistence estimate {phi_hat:.2f} ± {se:.2f}, noise estimate "
               f"{np.sqrt(sigma_hat2):.3f}, each combined with its prior)")
    else:
        phi, phi_sd = pp["p1"], pp["p2"]
        sigma = params.central(f"{key}_noise_prior")
        dyn = f"prior ({len(x)} consecutive-year pairs, fewer than {int(params.central('min_pairs'))})"
    return FieldFit(index, cutoff, trend, trend_sd, trend_from, phi, phi_sd, sigma, len(x), dyn)


@dataclass(frozen=True)
class ProjectedField:
    """Business-as-usual scores of every unit, per draw and projected year.

    ``scores[k]`` has shape (draws, len(slugs[k])) for year ``years[k]``.
    """

    index: str
    baseline_year: int
    years: tuple[int, ...]
    slugs: tuple[tuple[str, ...], ...]
    scores: tuple[np.ndarray, ...]
    base: history.FieldDraws
    fit: FieldFit

    def column(self, k: int, slug: str) -> int:
        return self.slugs[k].index(slug)


def merger_matrix(ds) -> np.ndarray:
    """(34, 63) equal-weight averaging of each 2025 unit's constituent provinces."""
    provinces, units = list(ds.provinces), list(ds.units)
    m = np.zeros((len(units), len(provinces)))
    for j, p in enumerate(provinces):
        m[units.index(ds.provinces[p]["unit_2025_slug"]), j] = 1.0
    return m / m.sum(axis=1, keepdims=True)


@data.cached_per_dataset(maxsize=16)
def project(index: str, baseline_year: int, horizon: int, draws: int, seed: int) -> ProjectedField:
    """Project the field from ``baseline_year`` (reconstructed) to ``horizon``; cached.

    Uses only data up to ``baseline_year``; same arguments give identical arrays.
    """
    ds = data.load()
    base = history.reconstruct(index, baseline_year, draws, seed, baseline_year)
    f = fit(index, baseline_year)
    key = index.lower()
    rng = params.stream(seed, f"field:{index}:{baseline_year}")
    continuation = params.draw_one(next(r for r in ds.parameters if r["name"] == "trend_continuation"),
                                   draws, seed)
    trend = f.trend * continuation + f.trend_sd * rng.standard_normal(draws)
    phi = np.clip(f.persistence + f.persistence_sd * rng.standard_normal(draws), 0.0, 1.0)
    shock_sd = params.central(f"{key}_common_shock_sd")
    g = history.loggap(base.scores)
    avg = ds.average(index, baseline_year)
    centre = np.full(draws, history.loggap(avg)) if avg is not None else g.mean(axis=1)
    dev = g - centre[:, None]
    slugs = base.slugs
    out_years, out_slugs, out_scores = [], [], []
    for year in range(baseline_year + 1, horizon + 1):
        year_rng = params.stream(seed, f"field:{index}:{baseline_year}:{year}")
        if year == data.MERGER_YEAR:
            dev = dev @ merger_matrix(ds).T
            slugs = tuple(ds.units)
        centre = centre + trend + shock_sd * year_rng.standard_normal(draws)
        dev = phi[:, None] * dev + f.noise_sd * year_rng.standard_normal(dev.shape)
        out_years.append(year)
        out_slugs.append(slugs)
        out_scores.append(history.from_loggap(centre[:, None] + dev))
    return ProjectedField(index, baseline_year, tuple(out_years), tuple(out_slugs),
                          tuple(out_scores), base, f)
