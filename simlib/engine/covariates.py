"""Other published indices (DTI, PAPI) as covariates: where an unpublished province likely sits.

A province whose rank was not published is placed in the year's free ranks by a key per
draw. The key comes from a regression, fitted on the provinces whose rank *was* published
that year, of their rank's normal score on the covariates' normal scores (and on the
province's usual position, ``positions.predicted``, where it has one):

    z_rank = b0 + b1·z_cov1 + … + b_u·z_usual + b_h·has_usual + e,   e ~ N(0, s²)

Each draw takes its own coefficients from their sampling distribution, N(b̂, s²(XᵀX)⁻¹),
and its own residual, so the coefficients' uncertainty reaches every reconstructed field.
Which covariates are used is data (``data/model_covariates.csv``): each one was kept only
where the cross-validated reconstruction scored better with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from . import data, datafiles, merger, params

MIN_PROVINCES = 40  # a covariate year with fewer provinces is not used (PCI after 2022, DTI 2021)
MIN_EXTRA_CASES = 6  # the regression needs this many more ranked provinces than coefficients


def used(role: str) -> tuple[str, ...]:
    """Covariates kept for ``role`` ('reconstruction' or 'projection'), from data/model_covariates.csv."""
    return tuple(r["covariate"] for r in data.load().model_covariates if r["role"] == role and r["kept"] == "yes")


def normal_scores(values: dict[str, float]) -> dict[str, float]:
    """Normal score of each province's place among ``values`` (higher value → higher score)."""
    order = sorted(values, key=lambda s: values[s])
    n = len(order)
    return {s: NormalDist().inv_cdf((i + 0.5) / n) for i, s in enumerate(order)}


def latest(name: str, year: int, units: bool = False) -> dict[str, float]:
    """Normal scores of covariate ``name`` in the latest year ≤ ``year`` with enough provinces;
    ``units``: for the 34 units of 2025 on, each unit's provinces' values merged by population
    where the covariate's year is before the merger."""
    ds = data.load()
    for y in range(year, year - 4, -1):
        values = ds.covariates.get((name, y), {})
        if len(values) >= MIN_PROVINCES:
            if units and y < data.MERGER_YEAR:
                return normal_scores(merger.values(values))
            return normal_scores(values)
    return {}


OTHER_INDEX = datafiles.OTHER_INDEX  # pseudo-covariate: the province's published rank in the other index that year


def other_index_ranks(index: str, year: int) -> dict[str, float]:
    """Normal scores of the published ranks of the other index (PAR ↔ SIPAS) in ``year``."""
    other = "SIPAS" if index == "PAR" else "PAR"
    entries = data.load().results.get((other, year), {})
    n = len(data.load().units_in(year))
    return {s: -NormalDist().inv_cdf((p.rank - 0.5) / n) for s, p in entries.items() if p.rank is not None}


def design(
    slugs, names: tuple[str, ...], index: str, year: int, usual: dict[str, float], units: bool = False
) -> np.ndarray:
    """Rows of [1, z_cov…, z_usual] for ``slugs`` (``columns`` names them); a missing covariate counts
    as 0 (mid-field), and the other index's rank comes with a has-rank column. ``usual`` is the
    province's predicted position (normal score, ``positions.predicted``), 0 where it has none —
    the smoother's own prediction with no figures, so no has-position column is needed. ``units``:
    ``slugs`` are 2025 units (``latest``)."""
    cols = [latest(name, year, units) for name in names if name != OTHER_INDEX]
    cols = [c for c in cols if c]
    other = other_index_ranks(index, year) if OTHER_INDEX in names else None
    rows = []
    for s in slugs:
        extra = [] if other is None else [other.get(s, 0.0), float(s in other)]
        rows.append([1.0, *(c.get(s, 0.0) for c in cols), *extra, usual.get(s, 0.0)])
    return np.array(rows)


@dataclass(frozen=True)
class PositionFit:
    beta: np.ndarray  # coefficients
    chol: np.ndarray  # Cholesky factor of their covariance
    resid_sd: float
    n: int


def fit_positions(x: np.ndarray, z: np.ndarray) -> PositionFit | None:
    """Least squares of z on x with the coefficients' covariance; None with too few cases."""
    n, p = x.shape
    if n < p + MIN_EXTRA_CASES:
        return None
    xtx_inv = np.linalg.pinv(x.T @ x)
    beta = xtx_inv @ x.T @ z
    resid = z - x @ beta
    s2 = float(resid @ resid) / (n - p)
    cov = s2 * xtx_inv + 1e-12 * np.eye(p)
    return PositionFit(beta, np.linalg.cholesky(cov), float(np.sqrt(s2)), n)


def draw_keys(fit: PositionFit, x: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """(draws, len(x)) predicted normal scores: coefficients and residuals drawn per draw.

    With the coefficients β + L·z per draw (z standard normal, L the Cholesky factor), the keys
    x·β + (x·L)·z + residual: the per-province products x·β and x·L are taken once, not per draw.
    """
    keys = _row_blocks_product(params.normals(rng, (draws, fit.beta.size)), (x @ fit.chol).T)
    keys += x @ fit.beta
    keys += np.multiply(params.normals(rng, (draws, x.shape[0])), fit.resid_sd, dtype=float)
    return keys


SMALL_PRODUCT = 100_000  # multiply-adds of a matrix product that BLAS runs on the calling thread


def _row_blocks_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` (float64), in blocks of rows small enough that BLAS keeps to the calling thread.

    A product over all 10,000 draws at once wakes BLAS's thread pool for a fraction of a
    millisecond; its threads then keep spinning, and on a machine with few cores they take the
    CPU from the rest of the run (a cold run measured 30–70 ms slower under load).
    """
    rows = max(1, SMALL_PRODUCT // max(1, b.shape[0] * b.shape[1]))
    out = np.empty((a.shape[0], b.shape[1]))
    for lo in range(0, a.shape[0], rows):
        np.matmul(a[lo : lo + rows], b, out=out[lo : lo + rows])
    return out


def ranked_fit(
    index: str, year: int, cutoff: int, entries: dict, names: tuple[str, ...], usual: dict[str, float]
) -> PositionFit | None:
    """The placement regression on the published ranks in ``entries`` (one year of ``index``)."""
    ranked = [s for s, p in entries.items() if p.rank is not None]
    if not ranked:
        return None
    n = len(data.load().units_in(year))
    z = np.array([-NormalDist().inv_cdf((entries[s].rank - 0.5) / n) for s in ranked])
    return fit_positions(design(ranked, names, index, min(year, cutoff), usual, year >= data.MERGER_YEAR), z)
