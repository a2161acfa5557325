"""Where a province usually stands: a two-sided smoother of its published positions in other years.

A province whose rank in year Y was not published is placed among the free ranks by a key
(``history._placement_keys``). Its best evidence is where it stood in the other years, of this
index and of the other one (PAR includes SIPAS's result among its criteria). Each published
figure is turned into a position on the normal-score scale (higher = better):

* a published rank r of 63 → −Φ⁻¹((r − ½) / 63);
* a published score without a rank → the rank it falls on between the year's published
  (score, rank) pairs (linear interpolation, clamped to the ends), then as above.

The observed positions z_{i,t} (index j) are modelled as a latent position that moves as an
AR(1) in time, plus a year-specific part:

    cov(z_{i,t,j}, z_{i,s,k}) = λ·ρ^|t − s|·(1 if j = k else κ) + (1 − λ)·[t = s, j = k]

so λ is the share of a year's position that persists, ρ its yearly persistence and κ the
correlation of the two indices' persistent parts. The prediction of z_{i,Y} is the best linear
predictor c'Σ⁻¹z from every other published figure of the province up to ``cutoff`` (earlier
*and* later years: a two-sided smoother; the year itself only through the other index), which
shrinks a province seen once toward the middle more than one seen every year.

λ, ρ and κ are estimated for each (index, year, cutoff) by leave-one-out prediction: every
published position of both indices (this index's year Y set aside) is predicted from the
province's other figures, and the grid values with the least mean absolute error in places are kept (the
prediction serves to order provinces into ranks; a squared error on the normal-score scale
would let the few extreme ranks decide); λ and ρ from this index's figures alone, then κ given them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np
from scipy import special

from . import data

LAMBDAS = np.round(np.arange(0.5, 0.96, 0.05), 2)  # persistent share tried
RHOS = np.round(np.arange(0.5, 1.001, 0.05), 2)  # yearly persistence tried
KAPPAS = np.round(np.arange(0.0, 0.91, 0.1), 2)  # cross-index correlation tried
N_UNITS = 63  # the 63-province history


@dataclass(frozen=True)
class Smoother:
    """The smoother's parameters for one (index, year, cutoff) and how they were estimated."""

    lam: float  # share of a year's position that persists
    rho: float  # yearly persistence of that part
    kappa: float  # correlation of the two indices' persistent parts
    n_cases: int  # published positions predicted in the leave-one-out fit
    rank_error: float  # their mean absolute error (places of 63)


def _z_of_rank(rank: float) -> float:
    return -NormalDist().inv_cdf((min(max(rank, 1.0), N_UNITS) - 0.5) / N_UNITS)


@data.cached_per_dataset(maxsize=8)
def _observed(index: str) -> dict[str, tuple[tuple[int, float], ...]]:
    """Every published position of ``index`` before the merger: slug → ((year, z), …)."""
    out: dict[str, list[tuple[int, float]]] = {}
    for (i, y), entries in sorted(data.load().results.items()):
        if i != index or y >= data.MERGER_YEAR:
            continue
        pairs = sorted((p.score, p.rank) for p in entries.values() if p.rank is not None and p.score is not None)
        for s, p in entries.items():
            if p.rank is not None:
                out.setdefault(s, []).append((y, _z_of_rank(p.rank)))
            elif p.score is not None and len(pairs) >= 2:
                rank = float(np.interp(p.score, [a for a, _ in pairs], [b for _, b in pairs]))
                out.setdefault(s, []).append((y, _z_of_rank(rank)))
    return {s: tuple(v) for s, v in out.items()}


def _other(index: str) -> str:
    return "SIPAS" if index == "PAR" else "PAR"


def observations(index: str, year: int, cutoff: int) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """slug → (years, z, same-index flag) of its published positions up to ``cutoff``: this index's
    in years other than ``year``, the other index's in every year."""
    own, other = _observed(index), _observed(_other(index))
    out: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for s in own.keys() | other.keys():
        obs = [(t, z, 1.0) for t, z in own.get(s, ()) if t != year and t <= cutoff]
        obs += [(t, z, 0.0) for t, z in other.get(s, ()) if t <= cutoff]
        if obs:
            obs.sort()
            years, positions, same = (np.array(col, dtype=float) for col in zip(*obs))
            out[s] = (years, positions, same)
    return out


def _cov(t: np.ndarray, same: np.ndarray, lam: float, rho: float, kappa: float) -> np.ndarray:
    match = same[:, None] == same[None, :]
    return lam * rho ** np.abs(t[:, None] - t[None, :]) * np.where(match, 1.0, kappa) + (1 - lam) * (
        match & (t[:, None] == t[None, :])
    )


def _predict(t, z, same, year: float, lam: float, rho: float, kappa: float) -> float:
    """Best linear prediction of this index's position in ``year`` from the observations."""
    c = lam * rho ** np.abs(year - t) * np.where(same == 1.0, 1.0, kappa)
    return float(c @ np.linalg.solve(_cov(t, same, lam, rho, kappa), z))


def _share_above(z) -> np.ndarray:
    """Share of a normal field above position ``z`` (1 − Φ(z)), elementwise."""
    return 0.5 - 0.5 * special.erf(np.asarray(z, dtype=float) / math.sqrt(2))


def _loo_cases(t, z, same, own_only: bool) -> tuple[np.ndarray, ...] | None:
    """One province's leave-one-out cases: each of its published positions of this index (m of them)
    with its other figures (``own_only``: of this index only), k each — (t_j (m,), z_j (m,),
    t (m, k), z (m, k), same (m, k)); None when no figure is left to predict from."""
    own = np.flatnonzero(same == 1.0)
    kept = own if own_only else np.arange(t.size)
    if own.size == 0 or kept.size < 2:
        return None
    rows = np.array([kept[kept != j] for j in own])  # (m, k): the figures that predict figure j
    return t[own], z[own], t[rows], z[rows], same[rows]


@lru_cache(maxsize=8192)  # a whole evaluation keeps about 2,200 (some 3 MB)
def _absolute_errors(observed: bytes, own_only: bool, grid: bytes) -> tuple[np.ndarray, int]:
    """Sum of the absolute errors, as shares of the field (×63 = places), of one province's
    leave-one-out predictions (``_loo_cases``) for each of the G parameter sets, and how many there
    were. ``observed``: its (years, z, same) as one float array's bytes (3, n); ``grid``: (λ, ρ, κ)
    likewise (3, G). Kept per province: a cross-validation that hides one province refits the
    smoother on the others' unchanged figures."""
    t, z, same = np.frombuffer(observed).reshape(3, -1)
    lam, rho, kappa = (v[:, None, None, None] for v in np.frombuffer(grid).reshape(3, -1))
    cases = _loo_cases(t, z, same, own_only)
    if cases is None:
        errors = np.zeros(lam.shape[0])
        errors.setflags(write=False)
        return errors, 0
    tj, zj, t, z, same = cases  # m cases predicted from k figures each
    match = same[:, :, None] == same[:, None, :]  # (m, k, k)
    cov = lam * rho ** np.abs(t[:, :, None] - t[:, None, :]) * np.where(match, 1.0, kappa) + (1 - lam) * (
        match & (t[:, :, None] == t[:, None, :])
    )  # (G, m, k, k)
    c = lam[..., 0] * rho[..., 0] ** np.abs(tj[:, None] - t) * np.where(same == 1.0, 1.0, kappa[..., 0])
    weights = np.linalg.solve(cov, c[..., None])[..., 0]  # Σ⁻¹c (G, m, k)
    pred = np.einsum("gmk,mk->gm", weights, z)
    errors = np.abs(_share_above(zj)[None, :] - _share_above(pred)).sum(axis=1)
    errors.setflags(write=False)  # kept: shared by every later fit
    return errors, tj.size


def _loo_errors(sets, lam, rho, kappa, own_only: bool) -> tuple[np.ndarray, int]:
    """Mean absolute error, in places of 63, of the leave-one-out predictions of every province of
    ``sets`` (``observations``' dicts) for each of the G parameter sets (λ, ρ, κ arrays of length G)
    at once, and how many predictions there were."""
    grid = np.array([lam, rho, kappa], dtype=float).tobytes()
    total, n = np.zeros(len(lam)), 0
    for obs in sets:
        for slug in sorted(obs):  # a fixed order: the same sum in every process
            errors, k = _absolute_errors(np.array(obs[slug], dtype=float).tobytes(), own_only, grid)
            total, n = total + errors, n + k
    return (N_UNITS * total / n if n else np.full(total.shape, np.inf)), n


@data.cached_per_dataset(maxsize=64)
def smoother(index: str, year: int, cutoff: int) -> Smoother:
    """λ, ρ (each index's figures alone) then κ (both indices') by leave-one-out prediction of both
    indices' published positions up to ``cutoff``, this index's ``year`` set aside. One set for both
    indices: the sample of one index alone is small at early cutoffs (SIPAS restarts in 2022)."""
    sets = (observations(index, year, cutoff), observations(_other(index), -1, cutoff))
    lams, rhos = (g.ravel() for g in np.meshgrid(LAMBDAS, RHOS, indexing="ij"))
    best = int(np.argmin(_loo_errors(sets, lams, rhos, np.zeros(lams.size), True)[0]))
    lam, rho = float(lams[best]), float(rhos[best])
    errs, n = _loo_errors(sets, np.full(KAPPAS.size, lam), np.full(KAPPAS.size, rho), KAPPAS, False)
    best = int(np.argmin(errs))
    return Smoother(lam, rho, float(KAPPAS[best]), n, float(errs[best]))


@data.cached_per_dataset(maxsize=64)
def _predicted(index: str, year: int, cutoff: int) -> tuple[tuple[str, float], ...]:
    sm = smoother(index, year, cutoff)
    out = []
    for s, (t, z, same) in sorted(observations(index, year, cutoff).items()):
        if sm.kappa == 0.0 and not (same == 1.0).any():
            continue  # only the other index's figures, and they tell nothing here
        out.append((s, _predicted_position(np.array((t, z, same)).tobytes(), year, sm.lam, sm.rho, sm.kappa)))
    return tuple(out)


@lru_cache(maxsize=16384)  # a whole evaluation keeps about 1,400
def _predicted_position(observed: bytes, year: int, lam: float, rho: float, kappa: float) -> float:
    """``_predict`` of one province from its (years, z, same) as one float array's bytes (3, n); kept per
    province, as its leave-one-out errors are: a cross-validation changes one province's figures at a time."""
    t, z, same = np.frombuffer(observed).reshape(3, -1)
    return _predict(t, z, same, year, lam, rho, kappa)


def predicted(index: str, year: int, cutoff: int) -> dict[str, float]:
    """Each province's predicted position (normal score, higher = better) in ``year`` from its
    published positions up to ``cutoff`` except this index's in ``year``; absent where it has none."""
    return dict(_predicted(index, year, cutoff))
