"""What moving the levers costs the city, from ``data/lever_costs.csv`` (and a planner's own unit costs).

Two kinds of cost to the city, in bn VND:
- **one-off**: raising a lever above today's value — per procedure simplified or delegated (staff-days
  × the staff-day rate; a count needs the unit's total of procedures, ``levers.total``) or per
  percentage point of dossiers brought to full-process online handling. Lowering a lever costs
  nothing here.
- **fees forgone**: the levers marked ``fee_cost`` cost the fee revenue the model computes each year
  (``fee_forgone_bn_vnd``); a setting's cost counts what it forgoes beyond today's policies.

A saving to society (the compliance cost citizens and businesses no longer pay) is shown beside,
never subtracted from the city's cost. Every unit cost has a low, central and high value (an
assumption's range); a planner's own figure (``overrides``: a number, or low/central/high) replaces
the table's and is labelled as theirs.

    >>> model = cost_model("ha-noi")
    >>> model.known, model.one_off(X, current)          # (3, S) bn VND: low, central, high
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from . import data, levers
from .leverfacts import RATE

MILLION_PER_BN = 1000.0
LEVELS = ("low", "central", "high")


@dataclass(frozen=True)
class UnitCost:
    """One row of ``data/lever_costs.csv`` (or a planner's own figure for it)."""

    lever: str  # a lever, or "*" for the staff-day rate
    item: str
    payer: str  # city | society
    kind: str  # one_off | yearly | rate
    per: str  # procedure | percentage_point | staff_day | model
    amount_unit: str  # staff_days | million_vnd | million_vnd_per_year | bn_vnd_per_year
    low: float | None
    central: float | None
    high: float | None
    basis: str  # source | derived | assumption | model | planner
    source: str
    source_vi: str

    @property
    def key(self) -> str:
        """The name a scenario's ``costs:`` and a link use for it: the lever, or ``staff_day``."""
        return RATE if self.lever == "*" else self.lever

    def amounts(self) -> np.ndarray:
        return np.array([self.low, self.central, self.high], dtype=float)

    def source_in(self, lang: str) -> str:
        return self.source_vi if lang == "vi" else self.source


def table() -> tuple[UnitCost, ...]:
    """Every row of ``data/lever_costs.csv``, in its order."""
    return tuple(
        UnitCost(
            r["lever"],
            r["item"],
            r["payer"],
            r["kind"],
            r["per"],
            r["amount_unit"],
            r["low"],
            r["central"],
            r["high"],
            r["basis"],
            r["source"],
            r["source_vi"],
        )
        for r in data.load().lever_costs
    )


def overridable() -> dict[str, UnitCost]:
    """The unit costs a planner may replace, by key: each lever's one-off cost and the staff-day rate."""
    return {c.key: c for c in table() if c.payer == "city" and c.kind in ("one_off", "rate")}


def with_overrides(overrides: dict | None = None) -> tuple[UnitCost, ...]:
    """The table with a planner's own figures: {key: (low, central, high)} (already validated)."""
    overrides = overrides or {}
    out = []
    for c in table():
        own = overrides.get(c.key) if c.payer == "city" and c.kind in ("one_off", "rate") else None
        if own is None:
            out.append(c)
        else:
            low, central, high = (float(v) for v in own)
            out.append(
                replace(
                    c,
                    low=low,
                    central=central,
                    high=high,
                    basis="planner",
                    source="the planner's own figure",
                    source_vi="số liệu do người lập kế hoạch nhập",
                )
            )
    return tuple(out)


@dataclass(frozen=True)
class CostModel:
    """The one-off cost to the city of raising each lever for one unit, per share point, in bn VND.

    ``per_point`` (3, L): low, central, high bn VND per percentage point raised (NaN where unknown);
    ``unknown``: {lever: why} for the levers whose one-off cost cannot be priced for this unit (no
    unit cost, or a cost per procedure without the unit's total); ``fee_levers``: the levers whose
    cost is the fees forgone the model computes.
    """

    focal: str
    names: tuple[str, ...]
    per_point: np.ndarray
    unknown: dict
    fee_levers: tuple[str, ...]
    rows: tuple[UnitCost, ...]

    @property
    def known(self) -> bool:
        """Whether every lever can be priced (then a search minimises cost, else effort)."""
        return not self.unknown

    def one_off(self, X: np.ndarray, current: np.ndarray) -> np.ndarray:
        """(3, S) bn VND: low, central and high one-off cost of raising the levers from ``current`` (L,)
        to the settings ``X`` (S, L) (fractions); unknown levers count as 0 (check ``known``)."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        raised = 100.0 * np.maximum(X - np.asarray(current, dtype=float)[None], 0.0)  # share points (S, L)
        return (raised @ np.nan_to_num(self.per_point, nan=0.0).T).T  # (3, S)

    def society_savings(self) -> list[UnitCost]:
        return [c for c in self.rows if c.payer == "society"]


def cost_model(focal: str, overrides: dict | None = None) -> CostModel:
    """The unit costs of ``data/lever_costs.csv`` (with ``overrides``) for ``focal``."""
    rows = with_overrides(overrides)
    rate = next((c for c in rows if c.kind == "rate"), None)
    names = levers.names()
    per_point = np.full((3, len(names)), np.nan)
    unknown: dict[str, str] = {}
    fee_levers = tuple(name for name in names if levers.get(name).fee_cost)
    for j, name in enumerate(names):
        if name in fee_levers:
            per_point[:, j] = 0.0  # its cost is the fees forgone, computed by the model
            continue
        row = next((c for c in rows if c.lever == name and c.kind == "one_off"), None)
        if row is None:
            unknown[name] = "no_cost"
            continue
        amounts = row.amounts()
        if row.amount_unit == "staff_days":
            if rate is None:  # no staff-day rate in the table: a cost in staff-days has no price
                unknown[name] = "no_cost"
                continue
            amounts = amounts * rate.amounts()  # million VND per unit (low × low, high × high)
        if row.per == "procedure":
            total = levers.total(name, focal)
            if total is None:
                unknown[name] = "no_total"
                continue
            amounts = amounts * total.total / 100.0  # per percentage point of the unit's procedures
        per_point[:, j] = amounts / MILLION_PER_BN
    return CostModel(focal, names, per_point, unknown, fee_levers, rows)


def extra_fees(fees: np.ndarray, baseline_fees: np.ndarray, upto: int) -> np.ndarray:
    """Fees forgone beyond today's policies, summed over the projected years up to index ``upto``
    (inclusive): ``fees`` (..., D, T) and ``baseline_fees`` (D, T) bn VND a year → (..., D) bn VND."""
    return (fees[..., : upto + 1] - baseline_fees[..., : upto + 1]).sum(axis=-1)
