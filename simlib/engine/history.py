"""The published history of one index, and the reconstruction of a year's whole field.

Full 63-province tables are published only as images, so each year's field is
partly known: some scores, some ranks, the national average, maximum, minimum
and group counts. ``reconstruct`` draws complete fields consistent with all of
it, per Monte-Carlo draw:

1. Provinces with a published rank sit on that rank; a published score without
   a rank takes the free rank closest to where its score falls between the
   ranked scores. The published maximum and minimum sit on ranks 1 and n.
2. Unpublished scores follow a curve through the published ones: log(100 − score)
   linear in the normal quantile of the rank, plus a piecewise-linear correction
   that passes exactly through every published score; noise (``recon_slot_sd``)
   is added, each score is kept between its published neighbours and on the
   right side of 90 where the group-A count is published, then all unpublished
   scores are shifted together so the field's mean equals the published average.
3. Provinces with no published rank are put on the free ranks in the order of a
   key per draw: a regression, fitted on the year's published ranks, on DTI, PAPI and
   their usual position (a two-sided smoother of their published ranks and scores in other
   years up to ``cutoff`` and of the other index's, ``positions``; mid-field where none;
   ``covariates``), with its coefficients' and residual's uncertainty; without covariates,
   the usual position plus noise (``recon_position_sd``).

A province's reconstructed score therefore carries the uncertainty of all three
steps into every projection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from . import covariates, data, merger, params, positions, stats

MIN_PUBLISHED_SCORES = 4  # fewer published scores (max/min included) and a year cannot be reconstructed
HISTORY_END = data.MERGER_YEAR - 1  # last year of the 63-province history
# A past year's field, shown as history or scored by the cross-validation, is reconstructed with
# ``cutoff=HISTORY_END``: the provinces' published ranks in later years tell where they stood too.
# A forecast's start (and every backtest origin) uses ``cutoff=year``: nothing after it.


def loggap(score):
    """log(100 − score): the scale on which the field moves (bounded by 100)."""
    return np.log(np.maximum(100.0 - np.asarray(score, dtype=float), 1e-3))


def from_loggap(g):
    return 100.0 - np.exp(g)


def published_scores(index: str, year: int) -> dict[str, float]:
    entries = data.load().results.get((index, year), {})
    return {s: p.score for s, p in entries.items() if p.score is not None}


def reconstructable_years(index: str) -> list[int]:
    """Years with enough published figures to reconstruct the field (the 63 provinces before 2025,
    the 34 units from 2025: a year added in the user folder counts as soon as it is there)."""
    ds = data.load()
    out = []
    for year in ds.years_with_results(index):
        n = len(published_scores(index, year))
        n += ((index, year, "max_pct") in ds.summary) + ((index, year, "min_pct") in ds.summary)
        if n >= MIN_PUBLISHED_SCORES:
            out.append(year)
    return out


@dataclass(frozen=True)
class FieldDraws:
    """A year's whole field per draw: ``scores[d, i]`` for unit ``slugs[i]`` (%)."""

    index: str
    year: int
    slugs: tuple[str, ...]
    scores: np.ndarray  # (draws, units), %
    published_score: np.ndarray  # (units,), nan where not published
    published_rank: np.ndarray  # (units,), 0 where not published
    notes: tuple[str, ...]  # what the reconstruction did and any inconsistency met

    @property
    def status(self) -> list[str]:
        return ["published" if math.isfinite(s) else "reconstructed" for s in self.published_score]


def usual_positions(index: str, year: int, cutoff: int) -> dict[str, float]:
    """Each province's usual position in ``year`` (normal score, higher = better): the two-sided
    smoother of its published positions in other years ≤ ``cutoff`` and in the other index
    (``positions``); absent where it has none. From 2025, each unit's: its provinces' positions
    merged by population (``merger.values``), as the field merges their scores."""
    usual = positions.predicted(index, year, cutoff)
    return merger.values(usual) if year >= data.MERGER_YEAR else usual


@data.cached_per_dataset(maxsize=32)
def reconstruct(
    index: str, year: int, draws: int, seed: int, cutoff: int | None = None, hide: tuple[str, ...] = ()
) -> FieldDraws:
    """Complete fields for ``index`` in ``year`` (before 2025), one per draw.

    ``cutoff``: last year whose data may inform positions (for backtests); defaults to ``year``.
    ``hide``: provinces whose published figures of this year are set aside (cross-validation).
    """
    cutoff = year if cutoff is None else cutoff
    ds = data.load()
    slugs = tuple(ds.units_in(year))
    n = len(slugs)
    pos = {s: i for i, s in enumerate(slugs)}
    entries = {s: p for s, p in ds.results.get((index, year), {}).items() if s not in hide}
    notes: list[str] = []
    slot_unit: list[str | None] = [None] * n
    slot_score = np.full(n, np.nan)
    for p in entries.values():
        if p.rank is not None and p.rank <= n:
            slot_unit[p.rank - 1] = p.slug
            if p.score is not None:
                slot_score[p.rank - 1] = p.score
    for metric, slot in (("max_pct", 0), ("min_pct", n - 1)):
        value = ds.summary.get((index, year, metric))
        if value is not None:
            if math.isnan(slot_score[slot]):
                slot_score[slot] = value
            elif abs(slot_score[slot] - value) > 0.05:
                notes.append(
                    f"{metric} {value:g} differs from the score at rank {slot + 1} "
                    f"({slot_score[slot]:g}); kept the province's published score"
                )
    for p in sorted((p for p in entries.values() if p.rank is None and p.score is not None), key=lambda p: -p.score):
        slot = _place(p.score, slot_score, slot_unit)
        if slot is None:
            notes.append(f"{p.slug}: published score {p.score:g} fits no free rank; treated as unpublished")
            continue
        slot_unit[slot], slot_score[slot] = p.slug, p.score
    known = ~np.isnan(slot_score)
    if known.sum() < 2:
        raise ValueError(f"{index} {year}: too few published scores to reconstruct the field")
    z = np.array([NormalDist().inv_cdf((r + 0.5) / n) for r in range(n)])
    g_known = loggap(slot_score[known])
    b, a = stats.line_fit(z[known], g_known)
    resid = np.interp(z, z[known], g_known - (a + b * z[known]))
    curve = a + b * z + resid
    lo, hi = _bounds(slot_score, index, year, ds, notes)
    free = np.flatnonzero(~known)
    rng = params.stream(seed, f"recon:{index}:{year}:{cutoff}")
    filled = _fill_free(curve[free], lo[free], hi[free], params.central("recon_slot_sd"), rng, draws)
    avg = ds.average(index, year)
    if avg is not None and free.size:
        gap = _match_average(filled, n * avg - slot_score[known].sum(), lo[free], hi[free]) / n
        if gap > 0.05:
            notes.append(
                f"average {avg:g} could be matched only to within {gap:.2f} points within the published bounds"
            )
    slots = _sorted_slots(slot_score, known, free, filled)
    scores = np.empty((draws, n))
    placed = [i for i, u in enumerate(slot_unit) if u is not None]
    scores[:, [pos[slot_unit[i]] for i in placed]] = slots[:, placed]
    placed_units = {slot_unit[i] for i in placed}
    loose = [s for s in slugs if s not in placed_units]
    open_slots = np.array([i for i, u in enumerate(slot_unit) if u is None])
    if loose:
        _place_loose(
            scores,
            np.array([pos[s] for s in loose]),
            slots[:, open_slots],
            _placement_keys(index, year, cutoff, entries, loose, draws, rng),
        )
    pub_score = np.full(n, np.nan)
    pub_rank = np.zeros(n, dtype=int)
    for s, p in entries.items():
        if s in pos:
            if p.score is not None:
                pub_score[pos[s]] = p.score
            if p.rank is not None:
                pub_rank[pos[s]] = p.rank
    notes.insert(
        0,
        f"{index} {year}: {int((~np.isnan(pub_score)).sum())} published scores, "
        f"{int((pub_rank > 0).sum())} published ranks, {len(loose)} provinces placed by "
        f"their usual position; average {'matched to ' + format(avg, 'g') if avg else 'not published'}",
    )
    return FieldDraws(index, year, slugs, scores, pub_score, pub_rank, tuple(notes))


# The drawing steps of ``reconstruct``. They work in place on one (draws, free slots) array:
# at 10,000 draws the reconstruction's cost is mostly allocating and filling such arrays.
# Each keeps the order of the floating-point operations, so the draws are the same bits.


def _fill_free(
    curve: np.ndarray, lo: np.ndarray, hi: np.ndarray, slot_sd: float, rng: np.random.Generator, draws: int
) -> np.ndarray:
    """Scores (draws, free slots), %: the curve on log(100 − score) plus noise, within the bounds."""
    g = np.multiply(params.normals(rng, (draws, curve.size)), slot_sd, dtype=float)
    g += curve
    np.exp(g, out=g)
    np.subtract(100.0, g, out=g)  # from_loggap
    return np.clip(g, lo, hi, out=g)


def _match_average(filled: np.ndarray, total: float, lo: np.ndarray, hi: np.ndarray) -> float:
    """Shift ``filled`` (in place) so each draw's sum is ``total``, within the bounds; mean gap left.

    The gap is taken up in proportion to how loosely each score is bounded: tightly
    bracketed scores barely move.
    """
    width = np.maximum(hi - lo, 1e-6)
    room = np.empty_like(filled)
    for _ in range(8):
        deficit = total - filled.sum(axis=1, keepdims=True)
        if np.abs(deficit).max() < 1e-9:
            break
        np.subtract(hi, filled, out=room)
        np.copyto(room, filled - lo, where=deficit <= 0)
        room *= width
        room /= np.maximum(room.sum(axis=1, keepdims=True), 1e-12)  # share of the gap
        room *= deficit
        room += filled
        np.clip(room, lo, hi, out=filled)
    return float(np.abs(total - filled.sum(axis=1)).mean())


def _sorted_slots(slot_score: np.ndarray, known: np.ndarray, free: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """Every slot's score per draw (draws, n), best first: the published scores and ``filled``.

    A row's sorted values do not depend on where each value stood, so the drawn scores and the
    published ones are laid side by side (two block copies, not a scatter into the free slots),
    sorted ascending in place and read backwards (a view): the same values as sorting the negated
    scores, without two more (draws, n) arrays.
    """
    slots = np.empty((filled.shape[0], slot_score.size))
    slots[:, : free.size] = filled
    slots[:, free.size :] = slot_score[known]
    slots.sort(axis=1)
    return slots[:, ::-1]


def _place_loose(scores: np.ndarray, cols: np.ndarray, values: np.ndarray, keys: np.ndarray) -> None:
    """Put the open slots' ``values`` (draws, k), best first, on the units without a published
    rank (columns ``cols`` of ``scores``) in the order of their ``keys`` (draws, k; lower = better)."""
    order = np.argsort(keys, axis=1)  # order[d, k] = k-th best loose unit in draw d
    rows = np.arange(values.shape[0])[:, None]
    scores[rows, cols[order]] = values


def _placement_keys(
    index: str, year: int, cutoff: int, entries: dict, loose: list[str], draws: int, rng: np.random.Generator
) -> np.ndarray:
    """(draws, loose) keys ordering the provinces with no published rank (lower = better placed).

    By the covariate regression of ``covariates`` fitted on this year's published ranks where it
    can be fitted; else around each province's usual position (mid-field where it has none)
    with the ``recon_position_sd`` spread.
    """
    usual = usual_positions(index, year, cutoff)
    names = covariates.used("reconstruction")
    if names:
        fit = covariates.ranked_fit(index, year, cutoff, entries, names, usual)
        if fit is not None:
            return -covariates.draw_keys(
                fit,
                covariates.design(loose, names, index, min(year, cutoff), usual, units=year >= data.MERGER_YEAR),
                draws,
                rng,
            )
    keys = np.multiply(params.normals(rng, (draws, len(loose))), params.central("recon_position_sd"), dtype=float)
    keys += np.array([NormalDist().cdf(-usual[s]) if s in usual else 0.5 for s in loose])  # share of the field above
    return keys


def _place(score: float, slot_score: np.ndarray, slot_unit: list) -> int | None:
    """Free rank for a published score with no rank: between its published neighbours."""
    n = len(slot_score)
    above = [i for i in range(n) if not math.isnan(slot_score[i]) and slot_score[i] > score]
    below = [i for i in range(n) if not math.isnan(slot_score[i]) and slot_score[i] < score]
    first = max(above) + 1 if above else 0
    last = min(below) - 1 if below else n - 1
    options = [i for i in range(first, last + 1) if slot_unit[i] is None and math.isnan(slot_score[i])]
    if not options:
        return None
    hi_i, lo_i = first - 1, last + 1
    if 0 <= hi_i and lo_i < n:
        frac = (slot_score[hi_i] - score) / max(slot_score[hi_i] - slot_score[lo_i], 1e-9)
        target = hi_i + frac * (lo_i - hi_i)
    else:
        target = (first + last) / 2
    return min(options, key=lambda i: abs(i - target))


def _bounds(slot_score: np.ndarray, index: str, year: int, ds, notes: list) -> tuple[np.ndarray, np.ndarray]:
    n = len(slot_score)
    hi, lo = np.full(n, 99.9), np.full(n, 40.0)
    best_above = 99.9
    for i in range(n):
        if not math.isnan(slot_score[i]):
            best_above = slot_score[i]
        hi[i] = best_above
    worst_below = 40.0
    for i in range(n - 1, -1, -1):
        if not math.isnan(slot_score[i]):
            worst_below = slot_score[i]
        lo[i] = worst_below
    group_a = ds.summary.get((index, year, "n_group_a"))
    if group_a is not None:
        k = int(group_a)
        lo_a, hi_a = lo.copy(), hi.copy()
        lo_a[:k] = np.maximum(lo_a[:k], 90.0)
        hi_a[k:] = np.minimum(hi_a[k:], 89.99)
        if np.all(lo_a <= hi_a):
            lo, hi = lo_a, hi_a
        else:
            notes.append(f"group A count {k} clashes with the published scores; not enforced")
    return lo, hi
