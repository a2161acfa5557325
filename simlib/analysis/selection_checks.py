"""Checks of the rank forecast that the publication selection does not bias: how many of a year's top list
stayed in it (``top_retention``), and what a right model would show against last year's rank under the same
selection as the published record (``against_last_rank``)."""

from __future__ import annotations

import numpy as np

from ..engine import data, field, stats
from . import persistence
from . import scores as sc
from .harness import CALIBRATED_LEVEL, DEFAULT_DRAWS, DEFAULT_SEED, forecast_pairs

RETENTION_PLACES = 5  # the top list published in full nearly every year


def complete_top(index: str, year: int, places: int) -> bool:
    ranks = {p.rank for p in data.load().results.get((index, year), {}).values() if p.rank is not None}
    return all(r in ranks for r in range(1, places + 1))


def top_retention(
    index: str, horizon: int, places: int = RETENTION_PLACES, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> dict | None:
    """How many of the origin's top ``places`` were still in the top ``places`` ``horizon`` years
    later, beside how many the model expected, over every backtest origin whose top list and target
    year's top list were both published in full.

    Unlike the published-value cases, this count is not selected on the outcome: a province that
    fell out of the top is counted as surely as one that stayed (the full list says it is not there).
    Rank persistence expects all of them to stay. Returns the cases, the observed count, the model's
    expected count and the 5–95% range of the count over the draws taken as the truth; None
    without such origins."""
    ds = data.load()
    stayed, expected, held = 0, 0.0, []
    for origin, year in forecast_pairs(index):
        if year - origin != horizon or not (complete_top(index, origin, places) and complete_top(index, year, places)):
            continue
        pf = field.project(index, origin, year, draws, seed)
        r = sc.ranks_of(pf.scores[horizon - 1])
        for slug, p in ds.results[(index, origin)].items():
            if p.rank is None or p.rank > places:
                continue
            later = ds.results[(index, year)].get(slug)
            stayed += bool(later is not None and later.rank is not None and later.rank <= places)
            inside = r[:, pf.slugs[horizon - 1].index(slug)] <= places
            expected += float(inside.mean())
            held.append(inside)
    if not held:
        return None
    lo, hi = stats.central_band(np.sum(held, axis=0), CALIBRATED_LEVEL, whole=True)
    return {
        "index": index,
        "horizon": horizon,
        "places": places,
        "cases": len(held),
        "stayed": stayed,
        "model_expected": expected,
        "model_lo": int(lo),
        "model_hi": int(hi),
    }


def against_last_rank(
    index: str, horizon: int, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, selection: bool = True
) -> dict | None:
    """The model's median rank against last year's rank, and its rank CRPS against persistence with
    a spread, for the provinces whose rank was published at the origin (Hà Nội's case): what was
    observed, and what a right model would show on the same cases under the same publication.

    A rank is scored only if it was published in the target year too, and the lists published are
    mostly the top and the bottom: a province that stayed near the top is scored, one that fell to
    mid-field mostly is not, so the scored cases favour last year's rank. Each draw of the forecast
    is taken in turn as the truth (a whole field, so a year's cases move together, as in
    ``calibrated_range``), and a case counts in that draw only where its rank is one of the ranks
    published in the target year (the lists are published by place, whoever holds it). The mean
    differences over the counted cases (model − baseline; negative = the model better) are what a
    right model would show under this selection; their 5–95% range over the draws bounds them.
    An observed difference above the range says the model is worse than a right one would be.
    ``selection=False`` counts every case in every draw: what a right model would show if every rank
    were published (its median and its CRPS are then never worse on average: both are optimal under
    the forecast's own distribution).

    Returns the observed cases and means, the differences observed, expected and their ranges;
    None without cases.
    """
    ds = data.load()
    sums = np.zeros(
        (4, draws)
    )  # per draw taken as the truth: model error, last rank's error, model CRPS, spread's CRPS
    counted = np.zeros(draws)
    seen: dict[str, list[float]] = {"model_mae": [], "last_rank_mae": [], "model_crps": [], "spread_crps": []}
    for origin, year in forecast_pairs(index):
        if year - origin != horizon or origin < data.MERGER_YEAR <= year:  # no rank of the 34 before the merger
            continue
        pf = field.project(index, origin, year, draws, seed)
        slugs, r = pf.slugs[horizon - 1], sc.ranks_of(pf.scores[horizon - 1])
        units = len(slugs)
        published = np.zeros(units + 1, dtype=bool)
        published[[p.rank for p in ds.results[(index, year)].values() if p.rank is not None]] = True
        for slug, start in ds.results[(index, origin)].items():
            if start.rank is None or slug not in slugs:
                continue
            truth = r[:, slugs.index(slug)].astype(int)  # (D,) the rank in each draw taken as the truth
            median = float(stats.median(truth, whole=True))
            spread = persistence.rank_draws(
                float(start.rank),
                len(pf.base.slugs),
                persistence.spread(
                    index, origin, horizon, "rank", persistence.start_group(start.rank, len(pf.base.slugs))
                ),
                draws,
            )
            model_crps, spread_crps = sc.rank_crps_table(truth, units), sc.rank_crps_table(spread, units)
            scored = published[truth] if selection else np.ones(draws, dtype=bool)
            sums += scored * np.stack(
                [np.abs(truth - median), np.abs(truth - start.rank), model_crps[truth - 1], spread_crps[truth - 1]]
            )
            counted += scored
            later = ds.results[(index, year)].get(slug)
            if later is not None and later.rank is not None:
                seen["model_mae"].append(abs(median - later.rank))
                seen["last_rank_mae"].append(abs(start.rank - later.rank))
                seen["model_crps"].append(float(model_crps[later.rank - 1]))
                seen["spread_crps"].append(float(spread_crps[later.rank - 1]))
    if not seen["model_mae"]:
        return None
    ok = counted > 0
    right = sums[:, ok] / counted[ok]
    out: dict = {"index": index, "horizon": horizon, "cases": len(seen["model_mae"])}
    out.update({k: float(np.mean(v)) for k, v in seen.items()})
    for name, model_row, base_row, observed in (
        ("median_vs_last_rank", 0, 1, out["model_mae"] - out["last_rank_mae"]),
        ("crps_vs_spread", 2, 3, out["model_crps"] - out["spread_crps"]),
    ):
        diff = right[model_row] - right[base_row]
        lo, hi = stats.central_band(diff, CALIBRATED_LEVEL)
        out.update(
            {
                name: observed,
                f"{name}_right": float(np.mean(diff)),
                f"{name}_right_lo": float(lo),
                f"{name}_right_hi": float(hi),
            }
        )
    return out
