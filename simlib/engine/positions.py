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


def _loo_cases(obs, own_only: bool) -> list[tuple[np.ndarray, ...]]:
    """The leave-one-out cases of ``obs``, stacked by how many figures predict them: per size k,
    (t_j (N,), z_j (N,), t (N, k), z (N, k), same (N, k)) — each published position of this index
    with the province's other figures (``own_only``: of this index only)."""
    groups: dict[int, list] = {}
    for t, z, same in obs.values():
        keep_all = same == 1.0 if own_only else np.ones(t.size, bool)
        for j in np.flatnonzero(same == 1.0):
            m = keep_all & (np.arange(t.size) != j)
            if m.any():
                groups.setdefault(int(m.sum()), []).append((t[j], z[j], t[m], z[m], same[m]))
    return [tuple(np.array(col, dtype=float) for col in zip(*cases)) for _, cases in sorted(groups.items())]


def _loo_errors(cases, lam: np.ndarray, rho: np.ndarray, kappa: np.ndarray) -> tuple[np.ndarray, int]:
    """Mean absolute error, in places of 63, of the leave-one-out ``cases`` (``_loo_cases``) for each
    of the G parameter sets (λ, ρ, κ arrays of length G) at once, and how many cases there were."""
    lam, rho, kappa = (np.asarray(v, dtype=float)[:, None, None, None] for v in (lam, rho, kappa))
    total, n = np.zeros(lam.shape[0]), 0
    for tj, zj, t, z, same in cases:  # N cases predicted from k figures each
        match = same[:, :, None] == same[:, None, :]  # (N, k, k)
        cov = lam * rho ** np.abs(t[:, :, None] - t[:, None, :]) * np.where(match, 1.0, kappa) + (1 - lam) * (
            match & (t[:, :, None] == t[:, None, :])
        )  # (G, N, k, k)
        c = lam[..., 0] * rho[..., 0] ** np.abs(tj[:, None] - t) * np.where(same == 1.0, 1.0, kappa[..., 0])
        weights = np.linalg.solve(cov, c[..., None])[..., 0]  # Σ⁻¹c (G, N, k)
        pred = np.einsum("gnk,nk->gn", weights, z)
        total += np.abs(_share_above(zj)[None, :] - _share_above(pred)).sum(axis=1)
        n += tj.size
    return (N_UNITS * total / n if n else np.full(total.shape, np.inf)), n


@data.cached_per_dataset(maxsize=64)
def smoother(index: str, year: int, cutoff: int) -> Smoother:
    """λ, ρ (each index's figures alone) then κ (both indices') by leave-one-out prediction of both
    indices' published positions up to ``cutoff``, this index's ``year`` set aside. One set for both
    indices: the sample of one index alone is small at early cutoffs (SIPAS restarts in 2022)."""
    sets = (observations(index, year, cutoff), observations(_other(index), -1, cutoff))
    cases = {own: [_loo_cases(obs, own) for obs in sets] for own in (True, False)}

    def error(lam, rho, kappa, own_only):
        parts = [_loo_errors(c, lam, rho, kappa) for c in cases[own_only]]
        n = sum(k for _, k in parts)
        return (sum(e * k for e, k in parts if k) / n if n else np.full(len(lam), np.inf)), n

    lams, rhos = (g.ravel() for g in np.meshgrid(LAMBDAS, RHOS, indexing="ij"))
    best = int(np.argmin(error(lams, rhos, np.zeros(lams.size), True)[0]))
    lam, rho = float(lams[best]), float(rhos[best])
    errs, n = error(np.full(KAPPAS.size, lam), np.full(KAPPAS.size, rho), KAPPAS, False)
    best = int(np.argmin(errs))
    return Smoother(lam, rho, float(KAPPAS[best]), n, float(errs[best]))


@data.cached_per_dataset(maxsize=64)
def _predicted(index: str, year: int, cutoff: int) -> tuple[tuple[str, float], ...]:
    sm = smoother(index, year, cutoff)
    out = []
    for s, (t, z, same) in sorted(observations(index, year, cutoff).items()):
        if sm.kappa == 0.0 and not (same == 1.0).any():
            continue  # only the other index's figures, and they tell nothing here
        out.append((s, _predict(t, z, same, year, sm.lam, sm.rho, sm.kappa)))
    return tuple(out)


def predicted(index: str, year: int, cutoff: int) -> dict[str, float]:
    """Each province's predicted position (normal score, higher = better) in ``year`` from its
    published positions up to ``cutoff`` except this index's in ``year``; absent where it has none."""
    return dict(_predicted(index, year, cutoff))
