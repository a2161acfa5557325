"""Result of one scenario: arrays of draws per year, and their summaries.

Every figure is reported as a distribution: mean, 5th, 50th and 95th percentile.
Probabilities (``p_*``) give the Monte-Carlo estimate in ``mean`` and ``p50``, and a
90% interval of that estimate (Wilson) in ``p05`` / ``p95``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import outcomes
from .stats import band_of

if TYPE_CHECKING:
    from .scenario import Scenario

COLUMNS = ("year", "metric", "mean", "p05", "p50", "p95")
# Views of the declarations in ``outcomes`` (the one place each metric is declared).
DISTRIBUTIONS = outcomes.distributions()
SIPAS_TARGET_PCT = outcomes.SIPAS_TARGET_PCT
TARGETS = {o.name: (o.source, o.test) for o in outcomes.OUTCOMES if o.kind == "probability"}
UNITS = outcomes.units()


def wilson(p: float, n: int, z: float = 1.645) -> tuple[float, float]:
    """90% Wilson interval of a probability estimated from ``n`` draws."""
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def table_values(arrays: dict, k: int, columns=None) -> dict[str, np.ndarray]:
    """Comparison-table columns (``outcomes.table_columns``) of S settings in year index ``k``.

    ``arrays``: outcome → (S, D, T) draws (an ``Outcomes.arrays``); ``columns``: the columns wanted
    (default all). Returns column → (S,) values: bands by ``stats.band_of`` (ranks whole), means
    over the draws, probabilities as the share of draws meeting the target.
    """
    wanted = None if columns is None else set(columns)
    out: dict[str, np.ndarray] = {}
    bands: dict[str, tuple] = {}
    for column, o, stat in outcomes.table_columns():
        if wanted is not None and column not in wanted:
            continue
        if stat in outcomes.BAND_STATS:
            if o.name not in bands:
                bands[o.name] = band_of(o.name, arrays[o.name][:, :, k], axis=1)
            out[column] = bands[o.name][outcomes.BAND_STATS.index(stat)]
        elif stat == "mean":
            out[column] = arrays[o.name][:, :, k].mean(axis=1)
        else:
            out[column] = o.test(arrays[o.source][:, :, k]).mean(axis=1)
    return out


@dataclass
class Result:
    scenario: Scenario
    years: np.ndarray  # (T,)
    n_units: np.ndarray  # (T,) units ranked each year
    arrays: dict  # metric -> (D, T) draws; sipas_elements (D, T, E)
    lever_paths: np.ndarray  # (T, L) fractions
    current: np.ndarray  # (L,) current lever values

    @property
    def draws(self) -> int:
        return self.arrays["par_score"].shape[0]

    def probability(self, metric: str) -> np.ndarray:
        """Probability per year of a declared probability outcome (``outcomes``)."""
        o = outcomes.get(metric)
        return o.test(self.arrays[o.source]).mean(axis=0)

    def rows(self) -> list[dict]:
        """The tidy summary: one row per year × metric (columns ``COLUMNS``)."""
        out = []
        for k, year in enumerate(self.years):
            for metric in outcomes.distributions():
                x = self.arrays[metric][:, k]
                q = band_of(metric, x)
                out.append(
                    {
                        "year": int(year),
                        "metric": metric,
                        "mean": float(x.mean()),
                        "p05": float(q[0]),
                        "p50": float(q[1]),
                        "p95": float(q[2]),
                    }
                )
            for metric in outcomes.probabilities():
                pr = float(self.probability(metric)[k])
                lo, hi = wilson(pr, self.draws)
                out.append({"year": int(year), "metric": metric, "mean": pr, "p05": lo, "p50": pr, "p95": hi})
            n = float(self.n_units[k])
            out.append({"year": int(year), "metric": "n_units", "mean": n, "p05": n, "p50": n, "p95": n})
        return out

    def frame(self):
        """The summary as a pandas DataFrame (pandas imported only here)."""
        import pandas as pd

        return pd.DataFrame(self.rows(), columns=list(COLUMNS))

    def write_csv(self, path) -> None:
        """Write the tidy summary (``scenario,year,metric,mean,p05,p50,p95``) atomically, through the one
        CSV writer (``csvfile``: a scenario named like a formula stays text in a spreadsheet)."""
        from . import csvfile

        rows = ([self.scenario.name] + [row[c] for c in COLUMNS] for row in self.rows())
        csvfile.write(path, ("scenario",) + COLUMNS, rows)

    def at(self, metric: str, year: int) -> dict:
        """One summary row as a dict."""
        for row in self.rows():
            if row["metric"] == metric and row["year"] == year:
                return row
        raise KeyError((metric, year))
