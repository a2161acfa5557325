"""A year's whole field as a table: published scores, and reconstructed ones with their band."""

from __future__ import annotations

import numpy as np

from ..engine import history
from ..engine.errors import InputError, Issue
from ..engine.stats import band


def check(index: str, year) -> None:
    issues = []
    if index not in ("PAR", "SIPAS"):
        issues.append(Issue("--index", index, "PAR or SIPAS"))
    else:
        years = history.reconstructable_years(index)
        if year not in years:
            issues.append(
                Issue(
                    "--year",
                    year,
                    "one of " + ", ".join(map(str, years)) + f" (years with enough published {index} figures)",
                )
            )
    if issues:
        raise InputError(issues, context="field")


def rows(index: str, year: int, draws: int = 2000, seed: int = 2024) -> list[dict]:
    """One row per unit: province_slug, score, rank, status, low, high (5–95% band)."""
    check(index, year)
    f = history.reconstruct(index, year, draws, seed, history.HISTORY_END)  # a past year: all its history
    lo, median, hi = band(f.scores, axis=0)
    published = ~np.isnan(f.published_score)
    score = np.where(published, f.published_score, median)
    low = np.where(published, f.published_score, lo)
    high = np.where(published, f.published_score, hi)
    # ranks: published where published; the other ranks go to the other units by mean draw rank
    draw_rank = 1 + np.argsort(np.argsort(-f.scores, axis=1), axis=1)
    mean_rank = draw_rank.mean(axis=0)
    rank = f.published_rank.copy()
    free = [r for r in range(1, len(f.slugs) + 1) if r not in set(rank[rank > 0])]
    loose = sorted(np.flatnonzero(rank == 0), key=lambda i: (mean_rank[i], -score[i]))
    for i, r in zip(loose, free):
        rank[i] = r
    status = f.status
    out = [
        {
            "province_slug": s,
            "score": float(score[i]),
            "rank": int(rank[i]),
            "status": status[i],
            "low": float(low[i]),
            "high": float(high[i]),
        }
        for i, s in enumerate(f.slugs)
    ]
    return sorted(out, key=lambda r: r["rank"])
