"""The inputs a sensitivity analysis varies (``Factor``): the levers, from today's value to their maximum, and
the uncertain parameters of ``data/parameters.csv`` over their 5–95% prior ranges; the ones left out, with
the reason why; the SALib problem of a factor list."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine import field, levers, params

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

PRIOR_Z = 1.6448536269514722  # 5–95% of a normal


@dataclass(frozen=True)
class Factor:
    """One input of the analysis, varied uniformly over [low, high] (unit: ``unit``)."""

    name: str
    kind: str  # "lever" | "parameter"
    label_vi: str
    label_en: str
    low: float
    high: float
    central: float  # value when the factor is not varied (swing chart): mid-range lever, prior median
    unit: str
    group: str = ""  # parameter group of data/parameters.csv; "lever" for levers

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en


def prior_range(row: dict) -> tuple[float, float]:
    """The 5–95% range of a parameter's prior."""
    d, p1, p2 = row["dist"], float(row["p1"]), float(row["p2"])
    if d == "normal":
        return p1 - PRIOR_Z * p2, p1 + PRIOR_Z * p2
    if d == "lognormal":
        return p1 * math.exp(-PRIOR_Z * p2), p1 * math.exp(PRIOR_Z * p2)
    if d == "uniform":
        return p1 + 0.05 * (p2 - p1), p1 + 0.95 * (p2 - p1)
    raise ValueError(f"{row['name']}: a fixed parameter has no range")


def lever_factors(scenario: Scenario) -> list[Factor]:
    """The levers as factors: today's value → the lever's maximum (or its whole scale if already there).

    Their central value (used by the one-at-a-time swing) is the middle of that range.
    """
    current = scenario.current()
    out = []
    for lever in levers.registry():
        c = current[lever.name].value
        low, high = (c, lever.max) if c < lever.max - lever.step / 2 else (lever.min, lever.max)
        central = (low + high) / 2
        out.append(
            Factor(
                lever.name,
                "lever",
                lever.label_vi,
                lever.label_en,
                low,
                high,
                central,
                f"share of {lever.unit} (0–1) reached by {scenario.target_year}",
                "lever",
            )
        )
    return out


def _uses_trend_prior(index: str, baseline_year: int) -> bool:
    return field.fit(index, baseline_year).trend_from.startswith("prior")


def parameter_factors(scenario: Scenario, outcome: str = "par_rank") -> tuple[list[Factor], list[dict]]:
    """Uncertain parameters as factors, and the ones left out with the reason why.

    Left out: parameters that enter only the cost (not an outcome studied here) and
    trend priors that the field's fit does not use for this baseline year.
    """
    factors, excluded = [], []
    for row in params.table():
        if row["dist"] == "fixed":
            continue
        name, group = row["name"], row["group"]
        why = None  # why a parameter is left out (the reports put it in words: ``EXCLUDED``)
        if group == "cost":
            why = "cost_only"
        elif group == "field" and name.endswith("_trend_prior"):
            if not _uses_trend_prior(name.split("_")[0].upper(), scenario.baseline_year):
                why = "trend_estimated"
        elif group not in ("drivers", "sipas", "par", "field"):
            why = "group_not_varied"
        elif group == "field" and name not in FIELD_FACTORS:
            why = "field_not_varied"
        if why:
            excluded.append(
                {
                    "factor": name,
                    "why": why,
                    "group": group,
                    "index": name.split("_")[0].upper(),
                    "baseline_year": int(scenario.baseline_year),
                }
            )
            continue
        low, high = prior_range(row)
        vi, en = row["label_vi"], row["label_en"]
        factors.append(Factor(name, "parameter", vi, en, low, high, params.central(name), row["unit"], group))
    return factors, excluded


EXCLUDED = ("cost_only", "trend_estimated", "group_not_varied", "field_not_varied")  # codes of ``why``
FIELD_FACTORS = ("trend_continuation", "persistence_prior", "par_trend_prior", "sipas_trend_prior")


def default_factors(scenario: Scenario, outcome: str = "par_rank") -> tuple[list[Factor], list[dict]]:
    """Levers then parameters."""
    factors, excluded = parameter_factors(scenario, outcome)
    return lever_factors(scenario) + factors, excluded


def problem(factors: list[Factor]) -> dict:
    """The SALib problem of a factor list."""
    return {"num_vars": len(factors), "names": [f.name for f in factors], "bounds": [[f.low, f.high] for f in factors]}
