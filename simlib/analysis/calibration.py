"""Calibration: how well the model would have done on the years already published.

Three checks, each a pure function returning rows (the calibration notebook only shows them):

``backtest_rows``       every year the data allow: project year Y from data up to Y − 1,
                        model (median) against the naive forecast (last year + national
                        trend), mean absolute error and 90%-band coverage.
``reconstruction_rows`` per year, how much of the field is published and how much is
                        reconstructed (scores, ranks, provinces placed by their usual position).
``hanoi_path``          Hà Nội's published path 2022 → 2024 against what the model would have
                        projected from 2022, with the levers the city actually moved and
                        without them.

The levers Hà Nội moved in 2023–24 (sources in ``data/baselines.csv``):
  online fee waiver   0 in 2022; zero online fee from July 2023 (NQ 07/2023/NQ-HĐND): 0.5 of
                      2023, 1.0 in 2024.
  simplification      211 procedures approved for simplification = 29.8% by April 2024.
  delegation          578 of 1,895 procedures delegated = 30.5% in 2024.
The lever baselines start in 2024, so where the two reform levers stood in 2022 is not
published. Two assumptions bracket it: ``all_new`` (none of the 2024 shares was in place in
2022: the whole 29.8% and 30.5% came in 2023–24, an upper bound of the levers' effect) and
``half_new`` (half was already in place in 2022). Both ramp linearly: half of the 2022 → 2024
change by 2023. Full-process online handling has no 2022–24 figure and is held; the online
share going into 2023 is taken as 0.30 (about 70% of Hà Nội's citizens still came in person in
2023; one third of dossiers nationally in 2022, VCCI).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import data, history, levers
from ..engine.scenario import Scenario
from ..engine.simulate import FieldAssumption, context_of, simulate
from ..engine.stats import band, median
from . import backtest

FOCAL = "ha-noi"
BASELINE_YEAR = 2022
LAST_YEAR = 2024
ONLINE_SHARE_2022 = 0.30  # share of dossiers submitted online going into 2023 (assumption, see above)
ASSUMPTIONS = {  # name: share of the 2024 reform-lever value already in place in 2022
    "all_new": 0.0,
    "half_new": 0.5,
}


# ----------------------------------------------------------------------------- backtests and reconstruction


def backtest_rows(draws: int = 2000, seed: int = 2024) -> list[dict]:
    """One row per (index, year) that can be backtested: errors of the model and the naive forecast."""
    rows = []
    for index in data.INDICES:
        for year in backtest.backtest_years(index):
            bt = backtest.run(index, year, draws, seed)
            rows.append(
                {
                    "index": index,
                    "year": year,
                    "published_compared": bt.n_published,
                    "mae_model": bt.mae_model,
                    "mae_naive": bt.mae_naive,
                    "coverage_90": bt.coverage_90,
                    "model_beats_naive": (
                        None if bt.mae_model is None or bt.mae_naive is None else bool(bt.mae_model < bt.mae_naive)
                    ),
                    "dynamics": bt.fit_note,
                }
            )
    return rows


def reconstruction_rows(draws: int = 500, seed: int = 2024) -> list[dict]:
    """Per (index, year): units, published scores and ranks, provinces reconstructed."""
    rows = []
    for index in data.INDICES:
        for year in history.reconstructable_years(index):
            fd = history.reconstruct(index, year, draws, seed)
            n = len(fd.slugs)
            scores = int(np.isfinite(fd.published_score).sum())
            ranks = int((fd.published_rank > 0).sum())
            only_rank = int(((fd.published_rank > 0) & ~np.isfinite(fd.published_score)).sum())
            rows.append(
                {
                    "index": index,
                    "year": year,
                    "units": n,
                    "published_scores": scores,
                    "published_ranks": ranks,
                    "rank_only": only_rank,
                    "reconstructed_scores": n - scores,
                    "average_published": data.load().average(index, year) is not None,
                    "note": fd.notes[0],
                }
            )
    return rows


# ----------------------------------------------------------------------------- Hà Nội 2022 → 2024


@dataclass(frozen=True)
class HistoricalLevers:
    """Where Hà Nội's levers stood in 2022 (fractions) and their 2023–24 paths, under one assumption."""

    name: str
    start: dict  # lever -> value in 2022
    scenario: Scenario  # baseline 2022 → 2024 with the explicit 2023–24 paths


def historical_levers(assumption: str = "all_new", draws: int = 2000, seed: int = 2024) -> HistoricalLevers:
    """The 2022 starting values and the scenario of the levers Hà Nội moved in 2023–24."""
    kept = ASSUMPTIONS[assumption]
    current = levers.current_values(FOCAL, BASELINE_YEAR + 1)
    start = {name: b.value for name, b in current.items()}  # levers not moved: held at their value
    known, moved = moved_levers()
    paths = {}
    for name in known:
        start[name] = levers.baseline(FOCAL, name, BASELINE_YEAR).value
        paths[name] = {
            "path": {y: levers.baseline(FOCAL, name, y).value for y in range(BASELINE_YEAR + 1, LAST_YEAR + 1)}
        }
    for name in moved:
        value = levers.baseline(FOCAL, name, LAST_YEAR).value
        start[name] = kept * value
        paths[name] = {"path": {2023: (start[name] + value) / 2, 2024: value}}
    scenario = Scenario.from_dict(
        {
            "name": f"hanoi_2022_{assumption}",
            "focal": FOCAL,
            "baseline_year": BASELINE_YEAR,
            "horizon": LAST_YEAR,
            "target_year": LAST_YEAR,
            "levers": paths,
            "draws": draws,
            "seed": seed,
            "description": f"Hà Nội projected from 2022 with the levers it moved in 2023–24 ({assumption})",
        }
    )
    return HistoricalLevers(assumption, start, scenario)


def moved_levers() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The levers Hà Nội moved in 2023–24, read from its figures in ``data/baselines.csv``:
    (levers with a figure for 2022 and a later one: their path is known, each year its latest
    figure, e.g. the fee waiver), (levers with a figure dated 2023–24 but none for 2022: their
    start is one of the ``ASSUMPTIONS``). A lever with no figure after 2022 is held."""
    rows = [r for r in data.load().baselines if r["unit_slug"] == FOCAL]
    known, moved = [], []
    for name in levers.names():
        years = {r["year"] for r in rows if r["quantity"] == name and BASELINE_YEAR <= r["year"] <= LAST_YEAR}
        if BASELINE_YEAR in years and len(years) > 1:
            known.append(name)
        elif years and BASELINE_YEAR not in years:
            moved.append(name)
    return tuple(known), tuple(moved)


def _project_from_2022(hist: HistoricalLevers, with_levers: bool) -> dict[str, np.ndarray]:
    s = hist.scenario
    start = np.array([hist.start[n] for n in levers.names()])
    ctx = context_of(s).with_start(start, ONLINE_SHARE_2022)
    paths = s.lever_paths() if with_levers else np.broadcast_to(start, s.lever_paths().shape).copy()
    out = simulate(s, paths, context=ctx, field=FieldAssumption(0.0, max(2025, s.baseline_year + 1)))
    return {k: v[0] for k, v in out.arrays.items()}


def _summary(x: np.ndarray) -> tuple[float, float, float]:
    q = band(x)
    return float(q[0]), float(q[1]), float(q[2])


def hanoi_path(draws: int = 2000, seed: int = 2024) -> list[dict]:
    """Published PAR and SIPAS of Hà Nội 2022–24 beside the projections from 2022.

    Rows: index, year, variant (published | no_levers | all_new | half_new), score p05/p50/p95
    (the published score in all three where published), rank p05/p50/p95, and for model rows
    whether the published score lies inside the 5–95% band.
    """
    ds = data.load()
    rows = []
    for index in data.INDICES:
        for year in range(BASELINE_YEAR, LAST_YEAR + 1):
            pub = ds.results.get((index, year), {}).get(FOCAL)
            score = None if pub is None else pub.score
            rank = None if pub is None else pub.rank
            if score is None and year == BASELINE_YEAR:  # the start of the projection: its reconstruction
                fd = history.reconstruct(index, year, draws, seed)
                lo, mid, hi = _summary(fd.scores[:, fd.slugs.index(FOCAL)])
                rows.append(
                    _row(
                        index,
                        year,
                        "published",
                        lo,
                        mid,
                        hi,
                        rank,
                        rank,
                        rank,
                        None,
                        None,
                        note="score not published: reconstructed from the published rank",
                    )
                )
            else:
                rows.append(_row(index, year, "published", score, score, score, rank, rank, rank, None, None))
    runs = {"no_levers": _project_from_2022(historical_levers("all_new", draws, seed), False)}
    for name in ASSUMPTIONS:
        runs[name] = _project_from_2022(historical_levers(name, draws, seed), True)
    years = list(range(BASELINE_YEAR + 1, LAST_YEAR + 1))
    for variant, out in runs.items():
        for index, metric, rank_metric in (("PAR", "par_score", "par_rank"), ("SIPAS", "sipas_pct", "sipas_rank")):
            for k, year in enumerate(years):
                pub = ds.results.get((index, year), {}).get(FOCAL)
                lo, mid, hi = _summary(out[metric][:, k])
                rlo, rmid, rhi = _summary(out[rank_metric][:, k])
                inside = None if pub is None or pub.score is None else bool(lo <= pub.score <= hi)
                rank_inside = None if pub is None or pub.rank is None else bool(rlo <= pub.rank <= rhi)
                rows.append(_row(index, year, variant, lo, mid, hi, rlo, rmid, rhi, inside, rank_inside))
    return rows


def _row(index, year, variant, lo, mid, hi, rlo, rmid, rhi, inside, rank_inside, note="") -> dict:
    return {
        "index": index,
        "year": year,
        "variant": variant,
        "score_p05": lo,
        "score_p50": mid,
        "score_p95": hi,
        "rank_p05": rlo,
        "rank_p50": rmid,
        "rank_p95": rhi,
        "published_inside_band": inside,
        "published_rank_inside_band": rank_inside,
        "note": note,
    }


def lever_effect_2024(draws: int = 2000, seed: int = 2024) -> list[dict]:
    """The model's effect of the 2023–24 levers on Hà Nội's 2024 scores (paired draws), per assumption.

    To compare with the published excess gain over the national average (SIPAS: +2.5
    points over 2022–24; PAR: +1.1 points), which the levers are calibrated to explain.
    """
    ds = data.load()
    base = _project_from_2022(historical_levers("all_new", draws, seed), False)
    rows = []
    for name in ASSUMPTIONS:
        out = _project_from_2022(historical_levers(name, draws, seed), True)
        for index, metric in (("PAR", "par_score"), ("SIPAS", "sipas_pct")):
            lo, mid, hi = _summary(out[metric][:, -1] - base[metric][:, -1])
            gain, note = published_excess_gain(index, ds, draws, seed)
            rows.append(
                {
                    "assumption": name,
                    "index": index,
                    "effect_p05": lo,
                    "effect_p50": mid,
                    "effect_p95": hi,
                    "published_excess_gain": gain,
                    "excess_gain_note": note,
                }
            )
    return rows


def published_excess_gain(index: str, ds=None, draws: int = 2000, seed: int = 2024) -> tuple[float | None, str]:
    """Hà Nội's gain 2022 → 2024 minus the national average's (points), and how it was obtained.

    Where Hà Nội's 2022 score is not published (SIPAS: only its rank, 30th), the median of
    its reconstruction stands in, and the note says so.
    """
    ds = ds or data.load()
    a0, a1 = ds.average(index, BASELINE_YEAR), ds.average(index, LAST_YEAR)
    p0 = ds.results.get((index, BASELINE_YEAR), {}).get(FOCAL)
    p1 = ds.results.get((index, LAST_YEAR), {}).get(FOCAL)
    if None in (a0, a1, p1) or p1.score is None:
        return None, "not published"
    note = "published"
    if p0 is not None and p0.score is not None:
        s0 = p0.score
    else:
        fd = history.reconstruct(index, BASELINE_YEAR, draws, seed)
        s0 = float(median(fd.scores[:, fd.slugs.index(FOCAL)]))
        note = f"{BASELINE_YEAR} score reconstructed (median {s0:.2f}) from the published rank"
    return (p1.score - s0) - (a1 - a0), note


def start_rows(lang: str = "vi") -> list[dict]:
    """The assumed 2022 lever values and their 2023–24 paths, per assumption (in %)."""
    rows = []
    for name in ASSUMPTIONS:
        hist = historical_levers(name, draws=10)
        paths = hist.scenario.lever_paths()
        for j, lever in enumerate(levers.registry()):
            rows.append(
                {
                    "assumption": name,
                    "lever": lever.label(lang),
                    "2022_pct": 100 * hist.start[lever.name],
                    "2023_pct": 100 * paths[0, j],
                    "2024_pct": 100 * paths[1, j],
                }
            )
    return rows
