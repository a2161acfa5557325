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

from . import data, history, params, stats


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
        slope = stats.line_fit(years, history.loggap([a for _, a in avgs]))[0]
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
        phi_hat = stats.dot(x, yv) / stats.dot(x, x)
        resid = yv - phi_hat * x
        sigma_hat2 = stats.dot(resid, resid) / (len(x) - 1)
        # pool the noise with its prior, weighted as min_pairs pseudo-pairs (few pairs, top-heavy sample)
        n0, n = params.central("min_pairs"), len(x)
        sigma = float(np.sqrt((n * sigma_hat2 + n0 * params.central(f"{key}_noise_prior") ** 2) / (n + n0)))
        se = float(np.sqrt(sigma_hat2 / stats.dot(x, x)))
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


def merge(dev: np.ndarray, ds) -> np.ndarray:
    """(..., 63) province values → (..., 34) unit values: each unit the equal-weight mean
    of its constituent provinces (column means, not a matrix product, so the bits never
    depend on BLAS blocking)."""
    provinces = list(ds.provinces)
    cols = {u: [provinces.index(p) for p in ds.members(u)] for u in ds.units}
    return np.stack([dev[..., cols[u]].mean(axis=-1) for u in ds.units], axis=-1)


def stacked_empty(shapes: list[tuple[int, ...]]) -> list[np.ndarray]:
    """Uninitialised arrays of ``shapes``; runs of equal shapes are views into one block.

    One large allocation instead of one per year: at 10,000 draws a cold projection spends
    much of its time asking the system for fresh memory page by page, and a block of 4 MB
    or more is backed by huge pages.
    """
    out: list[np.ndarray] = []
    k = 0
    while k < len(shapes):
        run = 1
        while k + run < len(shapes) and shapes[k + run] == shapes[k]:
            run += 1
        out.extend(np.empty((run,) + tuple(shapes[k])))
        k += run
    return out


@dataclass(frozen=True)
class Innovations:
    """The random parts of a projection: the reconstructed start and every yearly draw.

    Evolving them with other assumptions about the field (trend continuation,
    persistence) gives the field those assumptions produce on the same draws.
    """

    index: str
    baseline_year: int
    years: tuple[int, ...]
    slugs: tuple[tuple[str, ...], ...]  # units of each projected year
    fit: FieldFit
    base: history.FieldDraws
    centre0: np.ndarray  # (D,) log(100 − national average) in the baseline year
    dev0: np.ndarray  # (D, 63) gaps to it
    z_trend: np.ndarray  # (D,) standard normal: the trend's own uncertainty
    z_phi: np.ndarray  # (D,) standard normal: persistence's uncertainty
    shocks: tuple[np.ndarray, ...]  # per year (D,) standard normal: common shock
    eps: tuple[np.ndarray, ...]  # per year (D, units) standard normal: unit noise
    continuation: np.ndarray  # (D,) draws of trend_continuation
    shock_sd: float


@data.cached_per_dataset(maxsize=16)
def innovations(index: str, baseline_year: int, horizon: int, draws: int, seed: int) -> Innovations:
    """Draw everything random about the field from ``baseline_year`` to ``horizon``; cached."""
    ds = data.load()
    base = history.reconstruct(index, baseline_year, draws, seed, baseline_year)
    f = fit(index, baseline_year)
    rng = params.stream(seed, f"field:{index}:{baseline_year}")
    continuation = params.draw_one(next(r for r in ds.parameters if r["name"] == "trend_continuation"),
                                   draws, seed)
    z_trend, z_phi = rng.standard_normal(draws), rng.standard_normal(draws)
    g = np.subtract(100.0, base.scores)  # history.loggap, in place
    np.log(np.maximum(g, 1e-3, out=g), out=g)
    avg = ds.average(index, baseline_year)
    centre0 = np.full(draws, history.loggap(avg)) if avg is not None else g.mean(axis=1)
    g -= centre0[:, None]  # the gaps to the centre
    years = tuple(range(baseline_year + 1, horizon + 1))
    slugs, shocks = [], []
    names = base.slugs
    for year in years:
        if year == data.MERGER_YEAR:
            names = tuple(ds.units)
        slugs.append(names)
    eps = stacked_empty([(draws, len(names)) for names in slugs])
    for year, out in zip(years, eps):
        year_rng = params.stream(seed, f"field:{index}:{baseline_year}:{year}")
        shocks.append(year_rng.standard_normal(draws))
        year_rng.standard_normal(out=out)
    return Innovations(index, baseline_year, years, tuple(slugs), f, base, centre0, g,
                       z_trend, z_phi, tuple(shocks), tuple(eps), continuation,
                       params.central(f"{index.lower()}_common_shock_sd"))


def evolve(inn: Innovations, trend: np.ndarray, phi: np.ndarray) -> list[np.ndarray]:
    """Scores (%) per projected year from the innovations, a trend and a persistence per draw.

    ``trend`` and ``phi`` have shape (..., D): leading axes evaluate several settings of the
    field's assumptions on the same draws; each year's scores have shape (..., D, units).
    """
    ds = data.load()
    centre, dev = inn.centre0, inn.dev0
    lead = np.broadcast_shapes(np.shape(trend), np.shape(phi), centre.shape)
    out = stacked_empty([lead + e.shape[1:] for e in inn.eps])
    for k, year in enumerate(inn.years):
        if year == data.MERGER_YEAR:
            dev = merge(dev, ds)
        centre = centre + trend + inn.shock_sd * inn.shocks[k]
        # dev = phi · dev + noise_sd · eps, written in place once dev is this function's own array
        # (the same operations in the same order: the same bits)
        own = k > 0 and dev.shape == out[k].shape
        dev = np.multiply(phi[..., None], dev, out=dev if own else None)
        dev += inn.eps[k] * inn.fit.noise_sd
        scores = np.add(centre[..., None], dev, out=out[k])
        np.exp(scores, out=scores)
        np.subtract(100.0, scores, out=scores)  # history.from_loggap
    return out


def trend_and_persistence(inn: Innovations, continuation: np.ndarray | None = None,
                          persistence_mean: float | np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per-draw trend and persistence: the fit's, or with another continuation / persistence mean."""
    f = inn.fit
    continuation = inn.continuation if continuation is None else continuation
    mean_phi = f.persistence if persistence_mean is None else persistence_mean
    trend = f.trend * continuation + f.trend_sd * inn.z_trend
    phi = np.clip(np.asarray(mean_phi)[..., None] + f.persistence_sd * inn.z_phi
                  if np.ndim(mean_phi) else mean_phi + f.persistence_sd * inn.z_phi, 0.0, 1.0)
    return trend, phi


@data.cached_per_dataset(maxsize=16)
def project(index: str, baseline_year: int, horizon: int, draws: int, seed: int) -> ProjectedField:
    """Project the field from ``baseline_year`` (reconstructed) to ``horizon``; cached.

    Uses only data up to ``baseline_year``; same arguments give identical arrays.
    """
    inn = innovations(index, baseline_year, horizon, draws, seed)
    trend, phi = trend_and_persistence(inn)
    return ProjectedField(index, baseline_year, inn.years, inn.slugs, tuple(evolve(inn, trend, phi)),
                          inn.base, inn.fit)
