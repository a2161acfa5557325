"""The one lever registry (read from ``data/levers.csv``) and each unit's current lever values.

Everything that shows or checks a lever — widgets, notebook parameters, scenario
validation, sensitivity analysis, the ``simlib levers`` table — reads it from here.
Shares are fractions 0–1 internally; interfaces show them in %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import data


@dataclass(frozen=True)
class Lever:
    name: str
    label_vi: str
    label_en: str
    description_en: str
    unit: str  # what the fraction is a share of (English)
    unit_vi: str  # the same in Vietnamese
    min: float  # fraction
    max: float  # fraction
    step: float  # widget step, fraction
    source: str
    fee_cost: bool = False  # its setting forgoes online-fee revenue (counted in the scenario's cost)
    copied_by_others: bool = False  # the other units may copy it (the scenario's field assumption)
    count_unit: str = ""  # what a count of it counts ("TTHC"); "" = a share only
    count_unit_vi: str = ""

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en

    def unit_label(self, lang: str = "vi") -> str:
        return self.unit_vi if lang == "vi" else self.unit

    @property
    def counted(self) -> bool:
        """Whether the lever is a share of procedures that can also be given as a count."""
        return bool(self.count_unit)

    def count_word(self, lang: str = "vi") -> str:
        return self.count_unit_vi if lang == "vi" else self.count_unit


def registry() -> tuple[Lever, ...]:
    """All levers, in the order of ``data/levers.csv``."""
    return tuple(
        Lever(
            r["lever"],
            r["label_vi"],
            r["label_en"],
            r.get("description_en", ""),
            r["unit"],
            r["unit_vi"],
            r["min"],
            r["max"],
            r["step"],
            r["source"],
            r["fee_cost"],
            r["copied_by_others"],
            r.get("count_unit", ""),
            r.get("count_unit_vi", ""),
        )
        for r in data.load().levers
    )


def with_role(role: str) -> tuple[str, ...]:
    """Names of the levers with a role of ``data/levers.csv`` (``fee_cost``, ``copied_by_others``)."""
    return tuple(lever.name for lever in registry() if getattr(lever, role))


def names() -> tuple[str, ...]:
    return tuple(lever.name for lever in registry())


def get(name: str) -> Lever:
    for lever in registry():
        if lever.name == name:
            return lever
    raise KeyError(name)


@dataclass(frozen=True)
class Total:
    """How many procedures a unit has in all for a lever counted in procedures: what its share is of."""

    lever: str
    unit_slug: str
    total: int  # procedures
    year: int  # year of the figure
    status: str  # stated | derived
    source: str
    source_vi: str

    def count(self, share: float) -> float:
        """The number of procedures a share (fraction) stands for (not rounded)."""
        return float(share) * self.total

    def share(self, count: float) -> float:
        """The share (fraction) a number of procedures is of the total."""
        return float(count) / self.total

    def source_in(self, lang: str) -> str:
        return self.source_vi if lang == "vi" else self.source


def total(lever_name: str, unit_slug: str) -> Total | None:
    """The unit's total for a lever counted in procedures (``data/lever_totals.csv``); None when the lever is
    not counted or the unit has no published total (it is then shown and given as a share only)."""
    for r in data.load().lever_totals:
        if r["lever"] == lever_name and r["unit_slug"] == unit_slug:
            return Total(r["lever"], r["unit_slug"], r["total"], r["year"], r["status"], r["source"], r["source_vi"])
    return None


def units_with_totals(lever_name: str) -> tuple[str, ...]:
    """The units that have a total for the lever."""
    return tuple(r["unit_slug"] for r in data.load().lever_totals if r["lever"] == lever_name)


def parse_share(text: str) -> float | None:
    """A share typed as text, as a fraction: '0.6' → 0.6, '60%' → 0.6; None if it is not a finite number.

    A decimal comma is read as a decimal mark ('0,6' → 0.6, '45,5%' → 0.455), as Vietnamese
    writes numbers; text with both a comma and a point, or more than one comma, is not a
    number here (None), never silently read as another value. Bounds are the caller's to check.
    """
    t = str(text).strip().replace("\u2212", "-")
    percent = t.endswith("%")
    if percent:
        t = t[:-1].strip()
    if "," in t:
        if t.count(",") > 1 or "." in t:
            return None
        t = t.replace(",", ".")
    try:
        value = float(t) / 100 if percent else float(t)  # 45.5 / 100 is exactly float("0.455")
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def ramp(start, target, years, target_year: int):
    """The one ramp formula: a lever's value per year (fractions), moving in a straight line from
    ``start`` (its value going into the first of ``years``) to ``target`` reached in ``target_year``
    and held after it. ``target`` may be an array (S, 1) to ramp S settings at once → (S, T)."""
    years = np.asarray(years)
    span = max(int(target_year) - int(years[0]), 0)
    frac = np.ones(len(years)) if span == 0 else np.clip((years - years[0]) / span, 0.0, 1.0)
    return start + (np.asarray(target, dtype=float) - start) * frac


@dataclass(frozen=True)
class Baseline:
    """A unit's value of a lever (or of ``online_share``) as of a year, with its provenance."""

    quantity: str
    value: float  # fraction 0–1
    year: int  # year of the figure used
    status: str  # stated | derived | assumption
    source: str  # the source or the reason, in English
    source_vi: str  # the same in Vietnamese (official names, document numbers and addresses as they are)

    def source_in(self, lang: str) -> str:
        """The source or reason in ``lang`` ("vi" or "en")."""
        return self.source_vi if lang == "vi" else self.source


def baseline(unit_slug: str, quantity: str, as_of: int) -> Baseline:
    """The unit's latest figure dated ``as_of`` or earlier; else its earliest figure (the
    nearest it has); else the ``*`` default. Validation guarantees a ``*`` row for each."""
    rows = data.load().baselines
    for who in (unit_slug, "*"):
        own = [r for r in rows if r["unit_slug"] == who and r["quantity"] == quantity]
        if own:
            before = [r for r in own if r["year"] <= as_of]
            r = max(before, key=lambda r: r["year"]) if before else min(own, key=lambda r: r["year"])
            return Baseline(quantity, r["value"], r["year"], r["status"], r["source"], r["source_vi"])
    raise KeyError(f"no baseline for {quantity}")


def current_values(unit_slug: str, as_of: int) -> dict[str, Baseline]:
    """Every lever's current value for a unit: the default of a scenario's levers."""
    return {name: baseline(unit_slug, name, as_of) for name in names()}


def registry_rows(unit_slug: str = "ha-noi", as_of: int = 2025) -> list[dict]:
    """The registry as table rows, with the unit's current value (in %, and as a count where the unit has a
    total of procedures: ``current_count`` of ``total`` in ``total_year``; empty otherwise) and its source."""
    current = current_values(unit_slug, as_of)
    totals = {lever.name: total(lever.name, unit_slug) for lever in registry()}

    def counted(name: str) -> dict:
        """The lever's count columns: today's count, the unit's total and its year (empty without a total)."""
        t = totals[name]
        if t is None:
            return {"current_count": None, "total": None, "total_year": None}
        return {"current_count": round(t.count(current[name].value)), "total": t.total, "total_year": t.year}

    return [
        {
            "lever": lever.name,
            "label_vi": lever.label_vi,
            "label_en": lever.label_en,
            "unit": f"% ({lever.unit})",
            "unit_vi": f"% ({lever.unit_vi})",
            "min_pct": 100 * lever.min,
            "max_pct": 100 * lever.max,
            "current_pct": round(100 * current[lever.name].value, 1),
            "current_year": current[lever.name].year,
            "current_status": current[lever.name].status,
            **counted(lever.name),
            "source": current[lever.name].source,
            "source_vi": current[lever.name].source_vi,
        }
        for lever in registry()
    ]
