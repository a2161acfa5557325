"""The league table: every unit's score and rank in one year, with bands and top-k probabilities.

Numbers only. Built on the one door (``simulate``) and the engine's field draws
(``fielddraws.year_field``): the focal unit at its scenario's scores, every other unit at its
business-as-usual field draw (its levers held at the generic values of ``data/baselines.csv``,
plus the scenario's assumption about who copies the zero online fee). Ranks are taken per draw
over the whole field, so in every draw they are a permutation of 1..n.

    >>> table = league(scenario, year=2027)
    >>> table.rows()[0]["unit_slug"], table.rank_matrix.shape     # (units, ranks)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..engine import fielddraws, stats
from ..engine.errors import InputError, Issue
from ..engine.result import wilson
from ..engine.simulate import simulate
from . import recent

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

BAND_COLUMNS = ("score_p05", "score_p50", "score_p95", "rank_p05", "rank_p50", "rank_p95")  # each unit's 5–95% bands
COLUMNS = (
    "unit_slug",
    *BAND_COLUMNS,
    "p_top3",
    "p_top3_lo",
    "p_top3_hi",
    "p_top10",
    "p_top10_lo",
    "p_top10_hi",
    "status",
    "status_year",
    "published_score",
    "focal",
)
UNITS = {
    "score_p05": "points (PAR of 100, SIPAS %), 5th percentile",
    "score_p50": "points, median",
    "score_p95": "points, 95th percentile",
    "rank_p05": "rank (1 = best), 5th percentile",
    "rank_p50": "rank, median",
    "rank_p95": "rank, 95th percentile",
    "p_top3": "probability 0–1 (share of draws)",
    "p_top3_lo": "90% Monte-Carlo interval, low",
    "p_top3_hi": "90% Monte-Carlo interval, high",
    "p_top10": "probability 0–1 (share of draws)",
    "status": "published | partly published | reconstructed (the unit's figure in status_year)",
    "focal": "1 for the focal unit",
}
TOP = (3, 10)


@dataclass
class League:
    """One index in one year for one scenario setting: per-unit draws and their summaries."""

    index: str
    year: int
    focal: str  # the scenario's focal unit
    focal_column: int  # its column in this year's field (a pre-2025 year may name it differently)
    slugs: tuple[str, ...]
    scores: np.ndarray  # (D, units)
    ranks: np.ndarray  # (D, units), a permutation of 1..n per draw
    status: tuple[str, ...]
    status_year: int
    published_score: tuple[float, ...]
    projected: bool

    @property
    def draws(self) -> int:
        return self.scores.shape[0]

    @property
    def n_units(self) -> int:
        return len(self.slugs)

    @property
    def rank_matrix(self) -> np.ndarray:
        """(units, ranks): share of draws in which unit i holds rank r + 1; rows and columns sum to 1."""
        n = self.n_units
        counts = np.zeros((n, n))
        for i in range(n):
            counts[i] = np.bincount(self.ranks[:, i] - 1, minlength=n)
        return counts / self.draws

    def p_top(self, k: int) -> np.ndarray:
        """(units,) share of draws ranked k or better."""
        return (self.ranks <= k).mean(axis=0)

    def bands(self) -> list[dict]:
        """Per unit, in ``slugs`` order: its score (points) and rank (1 = best) at the 5th, 50th and
        95th percentiles of the draws (``BAND_COLUMNS``)."""
        s05, s50, s95 = stats.band(self.scores, axis=0)
        r05, r50, r95 = stats.band(self.ranks, axis=0, whole=True)
        scores = zip(s05.tolist(), s50.tolist(), s95.tolist(), strict=True)
        ranks = zip(r05.tolist(), r50.tolist(), r95.tolist(), strict=True)
        return [
            dict(zip(BAND_COLUMNS, (*map(float, s), *map(int, r)), strict=True))
            for s, r in zip(scores, ranks, strict=True)
        ]

    def rows(self) -> list[dict]:
        """One row per unit (columns ``COLUMNS``), best median rank first."""
        bands = self.bands()
        probs = {k: self.p_top(k) for k in TOP}
        out = []
        for i, slug in enumerate(self.slugs):
            row = {"unit_slug": slug, **bands[i]}
            for k in TOP:
                p = float(probs[k][i])
                lo, hi = wilson(p, self.draws)
                row.update({f"p_top{k}": p, f"p_top{k}_lo": float(lo), f"p_top{k}_hi": float(hi)})
            row.update(
                status=self.status[i],
                status_year=self.status_year,
                published_score=self.published_score[i],
                focal=int(slug == self.focal_slug),
            )
            out.append(row)
        return sorted(out, key=lambda r: (r["rank_p50"], -r["score_p50"], r["unit_slug"]))

    @property
    def focal_slug(self) -> str:
        """The focal unit's slug in this year's field."""
        return self.slugs[self.focal_column]


def check(scenario: Scenario, index: str, year) -> int:
    """The year as an int, or an InputError naming each bad option and what is allowed."""
    issues = []
    if index not in fielddraws.SCORE_OF:
        raise InputError([Issue("--index", index, "PAR or SIPAS")], context="league")
    allowed = fielddraws.years_available(index, scenario.baseline_year, scenario.horizon)
    try:
        y = int(str(year))
    except ValueError:
        y = None
    if y not in allowed:
        issues.append(
            Issue(
                "--year",
                year,
                f"a year from {allowed[0]} to {allowed[-1]} "
                f"({', '.join(map(str, allowed))}: published {index} years with "
                "enough figures to reconstruct the field, then every projected year "
                "to the scenario's horizon)",
            )
        )
    if issues or y is None:  # y is None only with an issue about it
        raise InputError(issues, context="league")
    return y


def from_outcomes(outcomes, index: str, year: int, setting: int = 0) -> League:
    """The league table of one setting of ``simulate``'s outcomes."""
    yf = fielddraws.year_field(outcomes, index, year)
    scores = np.asarray(yf.scores[setting])
    return League(
        index,
        yf.year,
        outcomes.base.focal,
        yf.focal_column,
        yf.slugs,
        scores,
        fielddraws.ranks(scores, yf.focal_column),
        yf.status,
        yf.status_year,
        yf.published_score,
        yf.projected,
    )


def league(scenario: Scenario, year: int | None = None, index: str = "PAR") -> League:
    """The league table of ``scenario`` in ``year`` (default: its target year). The last two are
    kept per process (``recent``): a report and its workbook ask for the same one."""
    return _league(scenario, check(scenario, index, scenario.target_year if year is None else year), index)


@recent.per_scenario(maxsize=2)
def _league(scenario: Scenario, year: int, index: str) -> League:
    return from_outcomes(simulate(scenario), index, year)


PROXIES = ("DTI_digital_government", "PAPI_e_governance")  # published covariates shown beside the table


@dataclass(frozen=True)
class Proxy:
    """A published index shown as a labelled proxy (not a PAR/SIPAS result) for each unit of a year.

    ``values`` per unit slug of the table's year; a 2025 unit gets the mean of its provinces'
    values (``merged`` lists such units), and ``None`` where no province of it is published.
    """

    name: str
    year: int  # the covariate's year: the latest published one up to the table's status year
    values: dict
    merged: tuple[str, ...]


def proxies(table, names: tuple[str, ...] = PROXIES) -> list[Proxy]:
    """The published proxies (``data/covariates.csv``) for the table's units; names without data are left out."""
    from ..engine import data

    ds = data.load()
    out = []
    for name in names:
        years = [y for (n, y) in ds.covariates if n == name and y <= max(table.status_year, table.year)]
        if not years:
            continue
        year = max(years)
        scores = ds.covariates[(name, year)]
        values, merged = {}, []
        for slug in table.slugs:
            members = [scores[m] for m in ds.members(slug) if m in scores] if table.year >= data.MERGER_YEAR else []
            if not members and slug in scores:
                members = [scores[slug]]
            values[slug] = float(np.mean(members)) if members else None
            if len(members) > 1:
                merged.append(slug)
        out.append(Proxy(name, year, values, tuple(merged)))
    return out


def rows_with_proxies(table) -> tuple[list[dict], list[str]]:
    """The table's rows with the published proxies as extra columns ``proxy_NAME_YEAR`` (not PAR/SIPAS
    results), and the columns in order: ``COLUMNS`` then the proxies."""
    rows = table.rows()
    columns = list(COLUMNS)
    for proxy in proxies(table):
        column = f"proxy_{proxy.name}_{proxy.year}"
        columns.append(column)
        for row in rows:
            row[column] = proxy.values.get(row["unit_slug"])
    return rows, columns
