"""Every unit's score per draw in one year, with the focal unit at its lever settings' scores.

The field the focal unit is ranked against (``projection.Context.field_scores``) holds the focal
unit at business as usual; here its column is replaced by each setting's own scores from
``simulate`` (the one door), so a whole league table can be read off the same draws that gave
the focal unit's rank. Years up to the baseline come from the reconstruction of the published
field (``history.reconstruct``): the levers do not act on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import data, history, projection
from .errors import short

SCORE_OF = {"PAR": "par_score", "SIPAS": "sipas_pct"}  # index → declared outcome of the focal unit's score


@dataclass(frozen=True)
class YearField:
    """One index in one year: ``scores[s, d, i]`` of unit ``slugs[i]`` (%), setting s, draw d.

    ``focal_column`` is the focal unit's column; ``projected`` is False for a reconstructed
    published year (then every setting holds the same scores). ``status[i]`` says whether the
    unit's figure in ``status_year`` (the year itself, or the baseline year for projected years)
    was ``published``, ``reconstructed`` or, for a 2025 unit formed from several provinces of
    which only some were published, ``partly published``.
    """

    index: str
    year: int
    slugs: tuple[str, ...]
    scores: np.ndarray  # (S, D, units)
    focal_column: int
    projected: bool
    status_year: int
    status: tuple[str, ...]
    published_score: tuple[float, ...]  # the unit's published score in status_year, nan where none

    @property
    def n_units(self) -> int:
        return len(self.slugs)


def years_available(index: str, baseline_year: int, horizon: int) -> list[int]:
    """Years a field can be drawn for: reconstructable published years up to the baseline, then
    every projected year to the horizon."""
    past = [y for y in history.reconstructable_years(index) if y <= baseline_year]
    return past + list(range(baseline_year + 1, horizon + 1))


def _status(base: history.FieldDraws, slugs: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Per unit of ``slugs``: status of its figure in the field ``base``, and its published score."""
    ds = data.load()
    pos = {s: i for i, s in enumerate(base.slugs)}
    status, score = [], []
    for slug in slugs:
        members = [slug] if slug in pos else [m for m in ds.members(slug) if m in pos]
        known = [base.published_score[pos[m]] for m in members if math.isfinite(base.published_score[pos[m]])]
        if members and len(known) == len(members):
            status.append("published")
        elif known:
            status.append("partly published")
        else:
            status.append("reconstructed")
        score.append(float(known[0]) if len(members) == 1 and known else math.nan)
    return tuple(status), tuple(score)


def year_field(outcomes, index: str, year: int, context: projection.Context | None = None) -> YearField:
    """The whole field of ``index`` in ``year`` for every setting of ``outcomes`` (from ``simulate``).

    Raises KeyError naming the available years if ``year`` cannot be drawn.
    """
    if index not in SCORE_OF:
        raise KeyError(f"unknown index {short(index)}; known: {', '.join(SCORE_OF)}")
    base = outcomes.base
    allowed = years_available(index, base.baseline_year, base.horizon)
    if int(year) not in allowed:
        raise KeyError(f"{index} {year} cannot be drawn; available years: {', '.join(map(str, allowed))}")
    ctx = (
        context
        if context is not None
        else projection.context(base.focal, base.baseline_year, base.horizon, base.draws, base.seed)
    )
    pf = ctx.fields[index]
    settings = len(outcomes)
    if year <= base.baseline_year:
        f = (
            pf.base
            if year == base.baseline_year
            else history.reconstruct(index, int(year), base.draws, base.seed, base.baseline_year)
        )  # a past year: history up to the baseline
        slugs = f.slugs
        col = slugs.index(projection._slug_in(slugs, base.focal))
        scores = np.broadcast_to(f.scores, (settings,) + f.scores.shape)
        status, published = _status(f, slugs)
        return YearField(index, int(year), slugs, scores, col, False, int(year), status, published)
    k = outcomes.year_index(year)
    fa = outcomes.field
    field = ctx.field_scores(index, fa.others_fee_waiver_share, fa.others_fee_waiver_year)[k]
    slugs = pf.slugs[k]
    col = pf.column(k, projection._slug_in(slugs, base.focal))
    scores = np.broadcast_to(field, (settings,) + field.shape).copy()
    scores[:, :, col] = outcomes.arrays[SCORE_OF[index]][:, :, k]
    status, published = _status(pf.base, slugs)
    return YearField(index, int(year), slugs, scores, col, True, base.baseline_year, status, published)


def ranks(scores: np.ndarray, focal_column: int | None = None) -> np.ndarray:
    """Ranks (1 = best) of every unit per draw: a permutation of 1..n along the last axis.

    Ties (equal published scores) are broken in favour of the focal unit, then by column order,
    so the focal unit's rank equals the engine's 1 + number of units scoring above it.
    """
    scores = np.asarray(scores, dtype=float)
    n = scores.shape[-1]
    tiebreak = np.arange(n, dtype=float)
    if focal_column is not None:
        tiebreak[focal_column] = -1.0
    order = np.lexsort((np.broadcast_to(tiebreak, scores.shape), -scores), axis=-1)
    out = np.empty_like(order)
    np.put_along_axis(out, order, np.broadcast_to(np.arange(1, n + 1), scores.shape), axis=-1)
    return out
