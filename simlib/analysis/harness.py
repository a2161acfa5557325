"""The evaluation harness: how good the field model has been, out of sample.

Three kinds of case, each scored against what was published:

* **Forecasts** (``horizon`` 1–3): year Y projected from origin O = Y − horizon with the
  model fitted on data up to O only (leave-future-out), for every province with a published
  score or rank in Y. Origins start at the index's series start (``*_series_start``): a
  forecast across a methodology break is not a test of the model. Beside the model:
  - **naive**: the province's O score (published, else the reconstruction's median) plus
    the national trend (change between the last two published averages up to O) per year.
    Its predictive distribution is normal around that point with the spread of the naive
    forecast's *own past errors*: the root mean square of (published Y' − naive forecast of
    Y') over every province published in both Y' − h and Y' ≤ O (same horizon h; with fewer
    than ``min_pairs`` such pairs, the 1-year errors × √h; with fewer still, the noise prior
    in points × √h). So its CRPS and bands use nothing after O either.
  - **rank persistence**: the province keeps its O rank (published, else the
    reconstruction's median rank); a point forecast, so its rank CRPS is its rank error.
  - **persistence with a spread** (``persistence_spread``): the same start (and the O score)
    carried forward with the spread of the rank (score) changes published provinces showed over
    h years from a similar start, in pairs of years ≤ O (``persistence``): the fair baseline for
    the model's rank CRPS and bands.
* **Reconstruction, cross-validated** (``horizon`` 0), three ways, each year reconstructed as a
  past year is (``cutoff=history.HISTORY_END``: published figures in other years, before and
  after, still count) and the hidden province's reconstructed score and rank scored:
  - ``reconstruction`` (one value out): every published value of a year hidden in turn with
    its rank; the province's other figures, its other index's that year included, still count;
  - ``reconstruction_province_year`` (province-year out): every figure of the province in that
    year, both indices, set aside from the dataset itself (``data.hiding``), so that neither the
    position smoother and its fit nor the placement regression sees it;
  - ``reconstruction_province`` (province out): every year of a province published in at most
    ``THIN_YEARS`` years set aside.
  The 2024 field, where every forecast starts, has no later years, so its cases are the ones a
  forecast's start faces.

Each forecast case is tagged by what the forecast started from: ``published_at_origin`` when
the province's value of the same kind was published in the origin year O (its score, for the
score metrics; its rank, for the rank metrics), else ``reconstructed_at_origin`` (the start
was the reconstruction's draws). A province is mostly published because its result is
extreme, so the two kinds of start fare differently; the table gives every forecast row for
``all`` cases and again for each of the two subsets (``CASES``), which partition ``all``.
The cross-validated reconstruction has no origin; its cases are split instead by where the hidden
province's published rank stood (``STOOD``): in the top ``EXTREME_PLACES``, the bottom
``EXTREME_PLACES`` or between. A value is published mostly because it is at the top or bottom, so
hiding one tests the reconstruction on the cases least like the ones it fills in (unpublished
provinces are mostly mid-field); the ``ranked_middle`` rows are the closest to its real use. The
three partition the reconstruction's cases with a published rank (a score published without a
rank is in ``all`` only).

Scores: CRPS (sample estimator over the draws; closed form for the naive normal), absolute
error of the median, coverage and interval score of the 50% and 90% bands; for ranks the
same bands' coverage, the rank CRPS and the absolute error of the median rank.

**What coverage a calibrated model would show** (``*_calibrated_lo`` / ``*_calibrated_hi``, model
and reconstruction rows): a row's coverage is a share of few cases that are far from
independent — every province forecast for the same year shares that year's common shock, and a
horizon has only 2–4 years — so even a model whose bands are right would not hold exactly 90%
of them. Each draw of the forecast is taken in turn as the truth (it carries its own common
shock and field, so the cases of one year move together as real ones do); the share of the
row's cases whose band holds that draw is the coverage the row would show if the model were
right and that draw had happened. The 5th and 95th percentiles of that share over the draws
bound what a calibrated model shows on these same cases: an observed coverage inside them is
consistent with right bands; outside, the bands are wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine import data, field, history, merger, params, stats
from . import persistence
from . import scores as sc
from .backtest import naive_trend

HORIZONS = (1, 2, 3)
LEVELS = (0.5, 0.9)
PERSISTENCE_SPREAD = "persistence_spread"
RECONSTRUCTIONS = (
    "reconstruction",
    "reconstruction_province_year",
    "reconstruction_province",
)  # value / province-year / province out
METHODS = ("model", "naive", "rank_persistence", PERSISTENCE_SPREAD) + RECONSTRUCTIONS
THIN_YEARS = 2  # province-out cross-validation: provinces published in at most this many years
CASES = ("all", "published_at_origin", "reconstructed_at_origin")  # which forecast cases a row pools
STOOD = ("ranked_top", "ranked_middle", "ranked_bottom")  # which reconstruction cases a row pools
EXTREME_PLACES = persistence.EXTREME_PLACES  # the top and bottom lists the press publishes: ranks 1–10 and the last 10
CALIBRATED_LEVEL = 0.9  # central share (over draws taken as the truth) of the coverage a calibrated model shows
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 2024
COLUMNS = (
    "index",
    "horizon",
    "year",
    "method",
    "cases",
    "n_scores",
    "crps",
    "mae",
    "coverage_50",
    "coverage_90",
    "interval_score_50",
    "interval_score_90",
    "n_ranks",
    "rank_crps",
    "rank_mae",
    "rank_coverage_50",
    "rank_coverage_90",
    "coverage_50_calibrated_lo",
    "coverage_50_calibrated_hi",
    "coverage_90_calibrated_lo",
    "coverage_90_calibrated_hi",
    "rank_coverage_50_calibrated_lo",
    "rank_coverage_50_calibrated_hi",
    "rank_coverage_90_calibrated_lo",
    "rank_coverage_90_calibrated_hi",
)


# ----------------------------------------------------------------------------- the cases


def forecast_pairs(index: str) -> list[tuple[int, int]]:
    """(origin, year) pairs to backtest: Y published (a year added in the user folder too, 2025 set
    against the 34 units), O reconstructable, O ≥ series start."""
    ds = data.load()
    start = int(params.central(f"{index.lower()}_series_start"))
    origins = [y for y in history.reconstructable_years(index) if y >= start]
    return [(y - h, y) for y in ds.years_with_results(index) for h in HORIZONS if y - h in origins]


def _score_record(index, horizon, year, method, slug, x, y) -> dict:
    """Scores of draws ``x`` (D,) against a published score ``y``."""
    rec = {
        "index": index,
        "horizon": horizon,
        "year": year,
        "method": method,
        "slug": slug,
        "kind": "score",
        "crps": float(sc.crps_sample(x, y)),
        "abs_error": abs(float(stats.median(x)) - y),
    }
    for level in LEVELS:
        lo, hi = stats.central_band(x, level)
        rec[f"in_{int(level * 100)}"] = bool(sc.inside(lo, hi, y))
        rec[f"is_{int(level * 100)}"] = float(sc.interval_score(lo, hi, y, level))
        rec[f"draws_in_{int(level * 100)}"] = sc.inside(lo, hi, x)  # (D,) would the band hold each draw
    return rec


def _rank_record(index, horizon, year, method, slug, r, y) -> dict:
    """Scores of rank draws ``r`` (D,) against a published rank ``y``."""
    rec = {
        "index": index,
        "horizon": horizon,
        "year": year,
        "method": method,
        "slug": slug,
        "kind": "rank",
        "crps": float(sc.crps_sample(r, y)),
        "abs_error": abs(float(stats.median(r, whole=True)) - y),
    }
    for level in LEVELS:
        lo, hi = stats.central_band(r, level, whole=True)
        rec[f"in_{int(level * 100)}"] = bool(sc.inside(lo, hi, y))
        rec[f"draws_in_{int(level * 100)}"] = sc.inside(lo, hi, r)
    return rec


def _naive_record(index, horizon, year, slug, mean, sd, y) -> dict:
    from scipy.stats import norm

    rec = {
        "index": index,
        "horizon": horizon,
        "year": year,
        "method": "naive",
        "slug": slug,
        "kind": "score",
        "crps": float(sc.crps_normal(mean, sd, y)),
        "abs_error": abs(mean - y),
    }
    for level in LEVELS:
        half = norm.ppf(0.5 + level / 2) * sd
        rec[f"in_{int(level * 100)}"] = bool(sc.inside(mean - half, mean + half, y))
        rec[f"is_{int(level * 100)}"] = float(sc.interval_score(mean - half, mean + half, y, level))
    return rec


NAIVE_SPREAD_FROM = ("past_errors", "one_year_errors_scaled", "noise_prior")


def naive_spread(index: str, origin: int, horizon: int) -> tuple[float, str]:
    """Sd (points) of the naive forecast ``horizon`` years ahead of ``origin``, from its past errors,
    and where it came from (one of ``NAIVE_SPREAD_FROM``)."""
    start = int(params.central(f"{index.lower()}_series_start"))
    min_pairs = params.central("min_pairs")

    def errors(h: int) -> list[float]:
        out = []
        for t in range(start + h, origin + 1):
            s0, s1 = history.published_scores(index, t - h), history.published_scores(index, t)
            trend = naive_trend(index, t - h + 1)
            out += [s1[k] - (s0[k] + trend * h) for k in s0.keys() & s1.keys()]
        return out

    same = errors(horizon)
    if len(same) >= min_pairs:
        return float(np.sqrt(np.mean(np.square(same)))), "past_errors"
    one = errors(1)
    if len(one) >= min_pairs:
        return float(np.sqrt(np.mean(np.square(one)) * horizon)), "one_year_errors_scaled"
    avg = data.load().average(index, origin) or 85.0
    sd = params.central(f"{index.lower()}_noise_prior") * (100 - avg) * math.sqrt(horizon)
    return float(sd), "noise_prior"


def forecast_cases(index: str, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> list[dict]:
    """One record per (published province-year, horizon, method, score or rank)."""
    ds = data.load()
    out = []
    for origin, year in forecast_pairs(index):
        h = year - origin
        pf = field.project(index, origin, year, draws, seed)
        slugs, x = pf.slugs[h - 1], pf.scores[h - 1]
        r = sc.ranks_of(x)
        # the origin's field as the target year's units (2025 from 2024: the 34 units, merged)
        base_slugs, base_scores, base_score, base_published_rank = merger.origin_view(pf.base, year)
        base_mid = np.where(np.isnan(base_score), stats.median(base_scores, axis=0), base_score)
        base_rank = stats.median(sc.ranks_of(base_scores), axis=0, whole=True)
        base_rank = np.where(base_published_rank > 0, base_published_rank, base_rank)
        trend = naive_trend(index, origin + 1)
        sd, _ = naive_spread(index, origin, h)
        units = len(base_slugs)
        spreads = {
            (kind, g): persistence.spread(index, origin, h, kind, g, units)
            for kind in ("score", "rank")
            for g in persistence.START_GROUPS
        }
        for slug, p in ds.results.get((index, year), {}).items():
            i, b = slugs.index(slug), base_slugs.index(slug)
            group = persistence.start_group(float(base_rank[b]), units)
            if p.score is not None:
                start = origin_tag(not np.isnan(base_score[b]))
                out.append({**_score_record(index, h, year, "model", slug, x[:, i], p.score), "origin": start})
                out.append(
                    {
                        **_naive_record(index, h, year, slug, float(base_mid[b] + trend * h), sd, p.score),
                        "origin": start,
                    }
                )
                ps = persistence.score_draws(float(base_mid[b]), spreads[("score", group)], draws)
                out.append(
                    {
                        **_point_free(_score_record(index, h, year, PERSISTENCE_SPREAD, slug, ps, p.score)),
                        "origin": start,
                    }
                )
            if p.rank is not None:
                start = origin_tag(base_published_rank[b] > 0)
                out.append({**_rank_record(index, h, year, "model", slug, r[:, i], p.rank), "origin": start})
                ps = persistence.rank_draws(float(base_rank[b]), units, spreads[("rank", group)], draws)
                out.append(
                    {**_point_free(_rank_record(index, h, year, PERSISTENCE_SPREAD, slug, ps, p.rank)), "origin": start}
                )
                err = abs(float(base_rank[b]) - p.rank)  # a point forecast: its CRPS is its absolute error
                out.append(
                    {
                        "index": index,
                        "horizon": h,
                        "year": year,
                        "method": "rank_persistence",
                        "slug": slug,
                        "kind": "rank",
                        "crps": err,
                        "abs_error": err,
                        "origin": start,
                    }
                )
    return out


def _point_free(rec: dict) -> dict:
    """A record without its per-draw band hits: a baseline whose draws are its quantiles (the same
    level in every case) has no calibrated range (``calibrated_range``)."""
    return {k: v for k, v in rec.items() if not k.startswith("draws_in_")}


def origin_tag(published: bool) -> str:
    """The subset (of ``CASES``) a forecast case belongs to, from whether its value was published at the origin."""
    return CASES[1] if published else CASES[2]


def stood_tag(rank: int | None, units: int) -> str | None:
    """The subset (of ``STOOD``) of a reconstruction case from its published rank among ``units``; None without one."""
    if rank is None:
        return None
    return STOOD[0] if rank <= EXTREME_PLACES else (STOOD[2] if rank > units - EXTREME_PLACES else STOOD[1])


def _hidden_records(index: str, year: int, slug: str, p, method: str, fd: history.FieldDraws) -> list[dict]:
    """Scores of a hidden province's reconstructed score and rank in ``fd`` against its published ``p``,
    tagged (``stood``) by where its published rank stood."""
    i = fd.slugs.index(slug)
    stood = {"stood": tag} if (tag := stood_tag(p.rank, len(fd.slugs))) else {}
    out = []
    if p.score is not None:
        out.append({**_score_record(index, 0, year, method, slug, fd.scores[:, i], p.score), **stood})
    if p.rank is not None:
        r = sc.ranks_of(fd.scores)[:, i]
        out.append({**_rank_record(index, 0, year, method, slug, r, p.rank), **stood})
    return out


def reconstruction_cases(index: str, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> list[dict]:
    """Leave one value out: each published value of each reconstructable year hidden in turn (with
    its rank; the province's other figures, the other index's that year included, still count) and
    scored, tagged (``stood``) by where its published rank stood."""
    ds = data.load()
    out = []
    for year in history.reconstructable_years(index):
        for slug, p in ds.results[(index, year)].items():
            try:
                fd = history.reconstruct(index, year, draws, seed, history.HISTORY_END, hide=(slug,))
            except ValueError:  # too few published scores left once this one is hidden
                continue
            out += _hidden_records(index, year, slug, p, RECONSTRUCTIONS[0], fd)
    return out


def _reconstructed_without(index: str, year: int, figures, draws: int, seed: int) -> history.FieldDraws | None:
    """The ``year`` field of ``index`` reconstructed (as a past year) from the dataset without
    ``figures`` (``data.hiding``); None where too few published scores are left."""
    with data.hiding(figures):
        if year not in history.reconstructable_years(index):
            return None
        try:
            return history.reconstruct(index, year, draws, seed, history.HISTORY_END)
        except ValueError:
            return None


def province_year_cases(index: str, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> list[dict]:
    """Province-year out: for each province published in a reconstructable year, every figure of it
    in that year (both indices, scores and ranks, and the national maximum or minimum it holds) is
    set aside from the dataset, the year is reconstructed as a past year, and its value scored."""
    ds = data.load()
    out = []
    for year in history.reconstructable_years(index):
        for slug, p in ds.results[(index, year)].items():
            fd = _reconstructed_without(index, year, data.figures_of(ds, slug, (year,)), draws, seed)
            if fd is not None:
                out += _hidden_records(index, year, slug, p, RECONSTRUCTIONS[1], fd)
    return out


def thin_provinces(max_years: int = THIN_YEARS) -> list[str]:
    """Provinces published (either index, score or rank) in at most ``max_years`` years before the merger."""
    ds = data.load()
    years: dict[str, set[int]] = {}
    for (_, year), entries in ds.results.items():
        if year < data.MERGER_YEAR:
            for slug in entries:
                years.setdefault(slug, set()).add(year)
    return sorted(s for s, y in years.items() if len(y) <= max_years)


def province_out_cases(index: str, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> list[dict]:
    """Province out: for each thinly published province (``thin_provinces``), all its figures in every
    year are set aside and each of its published values of ``index`` is reconstructed and scored."""
    ds = data.load()
    recon = set(history.reconstructable_years(index))
    out = []
    for slug in thin_provinces():
        figures = data.figures_of(ds, slug)
        for year in sorted(y for (i, y, _) in figures if i == index and y in recon):
            fd = _reconstructed_without(index, year, figures, draws, seed)
            if fd is not None:
                out += _hidden_records(index, year, slug, ds.results[(index, year)][slug], RECONSTRUCTIONS[2], fd)
    return out


# ----------------------------------------------------------------------------- the table


def _mean(records, key):
    vals = [r[key] for r in records if r.get(key) is not None]
    return float(np.mean(vals)) if vals else None


def calibrated_range(records: list[dict], key: str) -> tuple[float | None, float | None]:
    """The central ``CALIBRATED_LEVEL`` band (5th–95th percentiles) of the coverage a calibrated
    model would show on ``records``: ``key`` (``draws_in_50`` / ``draws_in_90``) holds each case's
    (D,) booleans, whether its band holds draw j; the row's share for draw j is their mean over
    the cases. (None, None) for point forecasts."""
    held = [r[key] for r in records if r.get(key) is not None]
    if not held or len({len(h) for h in held}) != 1:
        return None, None
    shares = np.mean(np.vstack(held), axis=0)
    lo, hi = stats.central_band(shares, CALIBRATED_LEVEL)
    return float(lo), float(hi)


def summarise(records: list[dict]) -> list[dict]:
    """Tidy rows: one per index × horizon × (year or pooled) × method × cases (``COLUMNS``).

    Every record counts in its ``all`` row; a forecast record (one with an ``origin`` tag) also
    in the row of its subset, a reconstruction record with a ``stood`` tag in that one's. The ``all``
    rows come first, as they did before the subsets."""
    groups: dict[tuple, list[dict]] = {}
    for r in records:
        for year in (r["year"], "pooled"):
            for cases in ("all",) + tuple(r[tag] for tag in ("origin", "stood") if r.get(tag)):
                groups.setdefault((r["index"], r["horizon"], year, r["method"], cases), []).append(r)
    rows = []
    for (index, horizon, year, method, cases), recs in groups.items():
        s = [r for r in recs if r["kind"] == "score"]
        k = [r for r in recs if r["kind"] == "rank"]
        row = {
            "index": index,
            "horizon": horizon,
            "year": year,
            "method": method,
            "cases": cases,
            "n_scores": len(s),
            "crps": _mean(s, "crps"),
            "mae": _mean(s, "abs_error"),
            "coverage_50": _mean(s, "in_50"),
            "coverage_90": _mean(s, "in_90"),
            "interval_score_50": _mean(s, "is_50"),
            "interval_score_90": _mean(s, "is_90"),
            "n_ranks": len(k),
            "rank_crps": _mean(k, "crps"),
            "rank_mae": _mean(k, "abs_error"),
            "rank_coverage_50": _mean(k, "in_50"),
            "rank_coverage_90": _mean(k, "in_90"),
        }
        for prefix, recs_of_kind in (("", s), ("rank_", k)):
            for level in LEVELS:
                pc = int(level * 100)
                lo, hi = calibrated_range(recs_of_kind, f"draws_in_{pc}")
                row[f"{prefix}coverage_{pc}_calibrated_lo"], row[f"{prefix}coverage_{pc}_calibrated_hi"] = lo, hi
        rows.append(row)
    order = {m: i for i, m in enumerate(METHODS)}
    subset = {c: i for i, c in enumerate(CASES + STOOD)}
    rows.sort(
        key=lambda r: (
            subset[r["cases"]],
            r["index"],
            r["horizon"],
            r["year"] == "pooled",
            str(r["year"]),
            order[r["method"]],
        )
    )
    return rows


@dataclass(frozen=True)
class Evaluation:
    """The harness's result: per-case records and the tidy table."""

    indices: tuple[str, ...]
    draws: int
    seed: int
    records: list[dict]
    rows: list[dict]

    def row(self, index: str, horizon: int, method: str, year="pooled", cases: str = "all") -> dict | None:
        return next(
            (
                r
                for r in self.rows
                if (r["index"], r["horizon"], r["method"], r["year"], r["cases"])
                == (index, horizon, method, year, cases)
            ),
            None,
        )


def run(indices=data.INDICES, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> Evaluation:
    """Score every backtest and every cross-validated reconstruction of ``indices``."""
    records = []
    for index in indices:
        records += forecast_cases(index, draws, seed) + reconstruction_cases(index, draws, seed)
        records += province_year_cases(index, draws, seed) + province_out_cases(index, draws, seed)
    return Evaluation(tuple(indices), draws, seed, records, summarise(records))
