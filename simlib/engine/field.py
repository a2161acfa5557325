"""The field: every unit's score per draw and year — fitted to the history, projected ahead.

On the scale g = log(100 − score) (so no score passes 100 and the crowded top
moves less), with c_t = log(100 − national average):

    c_t = c_{t−1} + trend + common shock
    g_{i,t} − c_t = persistence · (g_{i,t−1} − c_{t−1}) + noise

``persistence`` < 1 is catch-up of low scorers toward the average. Trend, common
shock, persistence and noise are estimated by likelihood from the published averages
and scores up to the baseline year (``dynamics``; priors from ``data/parameters.csv``
where too few exist).

From 2025 the field is the 34 units of NQ 202/2025/QH15: a merged unit starts
from the population-weighted mean of its constituents' gaps to the average (2019
population, GSO), then moves like any unit; Hà Nội, not merged, keeps its own
history. 2025 is a break year for the PAR Index (QĐ 1187/QĐ-BNV replaced QĐ
876/QĐ-BNV): that year's step carries an extra common shock and extra unit noise
(``par_break_*`` in ``data/parameters.csv``), as a new scheme reshuffles the field in ways its past cannot tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import data, dynamics, history, params


@dataclass(frozen=True)
class FieldFit:
    """The field's dynamics for one index, estimated from data up to ``cutoff`` (see ``dynamics``)."""

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
    shock_sd: float = 0.0  # yearly common shock sd on log(100 − average)
    jump_prob: float = 0.0  # share of unit-years whose noise is a jump (``dynamics``); 0: one normal noise
    stay_sd: float | None = None  # noise sd of a unit that stays (None: noise_sd)
    jump_sd: float | None = None  # noise sd of a unit that jumps


@data.cached_per_dataset(maxsize=32)
def fit(index: str, cutoff: int) -> FieldFit:
    """Estimate trend, common shock, persistence and noise for ``index`` from data ≤ ``cutoff``."""
    c, u = dynamics.common(index, cutoff), dynamics.units(index, cutoff)
    return FieldFit(
        index,
        cutoff,
        c.trend,
        c.trend_sd,
        c.note,
        u.persistence,
        u.persistence_sd,
        u.noise_sd,
        u.n_pairs,
        u.note,
        c.shock_sd,
        u.jump_prob,
        u.stay_sd,
        u.jump_sd,
    )


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
    """(..., 63) province values → (..., 34) unit values: each unit the population-weighted mean
    of its constituent provinces (2019 average population, GSO: ``data/population_2019.csv``),
    as an elementwise weighted sum, not a matrix product, so the bits never depend on BLAS blocking.

    Units with the same number of constituents are merged together, one constituent at a time;
    each unit's sum runs over its constituents in table order (the bits of ``np.sum`` per unit)."""
    plan = _merger_plan(
        tuple(ds.provinces),
        tuple(ds.units),
        tuple(ds.provinces[p]["unit_2025_slug"] for p in ds.provinces),
        tuple(ds.population[p] for p in ds.provinces),
    )
    out = np.empty(dev.shape[:-1] + (len(ds.units),), dtype=dev.dtype)
    for units, members, weights in plan:
        weights = weights.astype(dev.dtype, copy=False)
        merged = dev[..., members[:, 0]]  # a unit of one province keeps its value (weight exactly 1)
        if members.shape[1] > 1:
            merged *= weights[:, 0]
            for j in range(1, members.shape[1]):
                merged += dev[..., members[:, j]] * weights[:, j]
        out[..., units] = merged
    return out


@lru_cache(maxsize=8)
def _merger_plan(provinces: tuple, units: tuple, unit_of: tuple, population: tuple) -> tuple:
    """The merger as data: per number k of constituents, (unit columns (m,), province columns (m, k),
    population weights (m, k) summing to 1 per unit); the provinces in their table order."""
    groups: dict[int, list] = {}
    for u, unit in enumerate(units):
        members = [i for i, slug in enumerate(unit_of) if slug == unit]
        w = np.array([population[i] for i in members])
        groups.setdefault(len(members), []).append((u, members, w / w.sum()))
    return tuple(
        (np.array([u for u, _, _ in g]), np.array([m for _, m, _ in g]), np.array([w for _, _, w in g]))
        for _, g in sorted(groups.items())
    )


def stacked_empty(shapes: list[tuple[int, ...]], dtype=float) -> list[np.ndarray]:
    """Uninitialised arrays of ``shapes`` (of ``dtype``); runs of equal shapes are views into one block.

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
        out.extend(np.empty((run,) + tuple(shapes[k]), dtype=dtype))
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
    dev0: np.ndarray  # (D, 63) gaps to it (float32)
    z_trend: np.ndarray  # (D,) standard normal: the trend's own uncertainty
    z_phi: np.ndarray  # (D,) standard normal: persistence's uncertainty
    shocks: tuple[np.ndarray, ...]  # per year (D,) standard normal: common shock
    eps: tuple[np.ndarray, ...]  # per year (D, units) standard normal (float32, ``params.normals``): unit noise
    continuation: np.ndarray  # (D,) draws of trend_continuation
    shock_sd: float
    break_year: int | None = None  # a methodology break in the projection (PAR 2025), else None
    break_shock: np.ndarray | None = None  # (D,) extra common shock in the break year (scaled)
    break_eps: np.ndarray | None = None  # (D, units) extra unit noise in the break year (scaled, float32)
    jumps: tuple[np.ndarray, ...] | None = None  # per year (D, units) bool: the unit-years that jump (None: no mixture)


JUMP_RESOLUTION = 65536  # a unit-year jumps where a uniform 16-bit integer falls below π · this


@data.cached_per_dataset(maxsize=16)
def innovations(index: str, baseline_year: int, horizon: int, draws: int, seed: int) -> Innovations:
    """Draw everything random about the field from ``baseline_year`` to ``horizon``; cached."""
    ds = data.load()
    base = history.reconstruct(index, baseline_year, draws, seed, baseline_year)
    f = fit(index, baseline_year)
    rng = params.stream(seed, f"field:{index}:{baseline_year}")
    continuation = params.draw_one(next(r for r in ds.parameters if r["name"] == "trend_continuation"), draws, seed)
    z_trend, z_phi = rng.standard_normal(draws), rng.standard_normal(draws)
    g = np.maximum(np.subtract(100.0, base.scores), 1e-3)  # history.loggap
    avg = ds.average(index, baseline_year)
    centre0 = np.full(draws, history.loggap(avg)) if avg is not None else np.log(g).mean(axis=1)
    g = np.log(g, dtype=np.float32)  # the field moves in float32 (see ``evolve``)
    g -= centre0[:, None]  # the gaps to the centre
    years = tuple(range(baseline_year + 1, horizon + 1))
    slugs, shocks = [], []
    names = base.slugs
    for year in years:
        if year == data.MERGER_YEAR:
            names = tuple(ds.units)
        slugs.append(names)
    eps = stacked_empty([(draws, len(names)) for names in slugs], np.float32)
    for year, out in zip(years, eps):
        year_rng = params.stream(seed, f"field:{index}:{baseline_year}:{year}")
        shocks.append(year_rng.standard_normal(draws))
        params.normals(year_rng, out.shape, out=out)
    jumps = None
    if f.jump_prob > 0:  # a stream of its own: the other draws are the same with or without the mixture
        threshold = np.uint16(round(f.jump_prob * JUMP_RESOLUTION))  # 16-bit uniforms: cheaper than floats
        jumps = tuple(
            params.stream(seed, f"field:{index}:{baseline_year}:{year}:jump").integers(
                0, JUMP_RESOLUTION, out.shape, dtype=np.uint16
            )
            < threshold
            for year, out in zip(years, eps)
        )
    brk = methodology_break(index, years, slugs, draws, seed, baseline_year)
    return Innovations(
        index,
        baseline_year,
        years,
        tuple(slugs),
        f,
        base,
        centre0,
        g,
        z_trend,
        z_phi,
        tuple(shocks),
        tuple(eps),
        continuation,
        f.shock_sd,
        *brk,
        jumps,
    )


def methodology_break(index: str, years, slugs, draws: int, seed: int, baseline_year: int) -> tuple:
    """(year, extra common shock (D,), extra unit noise (D, units)) of the index's break year if it
    falls in ``years`` (``{index}_break_year`` and its two sds in data/parameters.csv), else Nones."""
    key = index.lower()
    names = {r["name"] for r in data.load().parameters}
    if f"{key}_break_year" not in names or int(params.central(f"{key}_break_year")) not in years:
        return None, None, None
    year = int(params.central(f"{key}_break_year"))
    rng = params.stream(seed, f"field:{index}:{baseline_year}:break")
    shock = params.central(f"{key}_break_shock_sd") * rng.standard_normal(draws)
    eps = params.normals(rng, (draws, len(slugs[years.index(year)])))
    eps *= np.float32(params.central(f"{key}_break_noise_sd"))
    return year, shock, eps


def evolve(inn: Innovations, trend: np.ndarray, phi: np.ndarray) -> list[np.ndarray]:
    """Scores (%) per projected year from the innovations, a trend and a persistence per draw.

    ``trend`` and ``phi`` have shape (..., D): leading axes evaluate several settings of the
    field's assumptions on the same draws; each year's scores have shape (..., D, units).

    Each unit-year's noise is ``eps · noise_sd``; with the noise mixture (``dynamics``), ``eps ·
    stay_sd``, or ``eps · jump_sd`` where the unit-year jumps (``Innovations.jumps``).

    The units' gaps to the centre move in float32 (the centre, a few values per draw, in float64):
    half the memory of float64 to stream through each year, and an error below 10⁻⁵ points,
    far below any difference a rank or a band can show. The scores are float64.
    """
    ds = data.load()
    centre, dev = inn.centre0, inn.dev0
    kind = dev.dtype.type
    phi = np.asarray(phi).astype(kind)[..., None]
    noise_sd = kind(inn.fit.noise_sd)
    stay_sd, jump_sd = (kind(v) if v is not None else None for v in (inn.fit.stay_sd, inn.fit.jump_sd))
    lead = np.broadcast_shapes(np.shape(trend), np.shape(phi)[:-1], centre.shape)
    out = stacked_empty([lead + e.shape[1:] for e in inn.eps])
    own, gap = False, None  # whether dev is this function's own array; the log-gap scratch array
    for k, year in enumerate(inn.years):
        if year == data.MERGER_YEAR:
            dev, own = merge(dev, ds), True
        centre = centre + trend + inn.shock_sd * inn.shocks[k]
        # dev = phi · dev + noise_sd · eps, in place once dev is this function's own array of this shape
        if own and dev.shape == out[k].shape:
            np.multiply(phi, dev, out=dev)
        else:
            dev, own = phi * dev, True
        if inn.jumps is None:
            dev += inn.eps[k] * noise_sd
        else:  # the mixture: a staying unit's noise sd, or a jumping one's
            dev += inn.eps[k] * np.where(inn.jumps[k], jump_sd, stay_sd)
        if year == inn.break_year:  # a new scheme: extra common shock and extra unit noise
            centre = centre + inn.break_shock
            dev += inn.break_eps
        if gap is None or gap.shape != dev.shape:
            gap = np.empty_like(dev)
        np.add(centre[..., None].astype(kind), dev, out=gap)  # log(100 − score)
        np.exp(gap, out=gap)
        np.subtract(100.0, gap, out=out[k])  # history.from_loggap
    return out


def trend_and_persistence(
    inn: Innovations, continuation: np.ndarray | None = None, persistence_mean: float | np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-draw trend and persistence: the fit's, or with another continuation / persistence mean."""
    f = inn.fit
    continuation = inn.continuation if continuation is None else continuation
    mean_phi = f.persistence if persistence_mean is None else persistence_mean
    trend = f.trend * continuation + f.trend_sd * inn.z_trend
    phi = np.clip(
        np.asarray(mean_phi)[..., None] + f.persistence_sd * inn.z_phi
        if np.ndim(mean_phi)
        else mean_phi + f.persistence_sd * inn.z_phi,
        0.0,
        1.0,
    )
    return trend, phi


@data.cached_per_dataset(maxsize=16)
def project(index: str, baseline_year: int, horizon: int, draws: int, seed: int) -> ProjectedField:
    """Project the field from ``baseline_year`` (reconstructed) to ``horizon``; cached.

    Uses only data up to ``baseline_year``; same arguments give identical arrays.
    """
    inn = innovations(index, baseline_year, horizon, draws, seed)
    trend, phi = trend_and_persistence(inn)
    return ProjectedField(index, baseline_year, inn.years, inn.slugs, tuple(evolve(inn, trend, phi)), inn.base, inn.fit)
