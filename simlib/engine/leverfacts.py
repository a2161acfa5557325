"""What ``data/lever_totals.csv`` and ``data/lever_costs.csv`` may hold: their schemas and the checks
across rows (``data.load`` reads both files with these and reports every problem at once).

``lever_totals.csv``: for a lever counted in procedures (``count_unit`` in ``levers.csv``), how many
procedures a unit has in all — the total its share is of — with the year, source and status. One
row per lever and unit; a unit without a row shows the lever as a share only.

``lever_costs.csv``: what one unit of a lever costs, and who pays. A row is a cost to the city
(``payer`` = city: one-off costs per procedure or per percentage point, the staff-day rate that
turns staff-days into money, the yearly fees forgone that the model computes) or a saving to
society (``payer`` = society: shown beside, never counted as the city's money). An assumption
states a range (low ≤ central ≤ high); a sourced or derived figure its central value (a range
optional).
"""

from __future__ import annotations

from . import csvschema
from .errors import Issue

PAYERS = ("city", "society")
KINDS = ("one_off", "yearly", "rate")
PER = ("procedure", "percentage_point", "staff_day", "model")
AMOUNT_UNITS = ("staff_days", "million_vnd", "million_vnd_per_year", "bn_vnd_per_year")
COST_BASES = ("source", "derived", "assumption", "model")
RATE = "staff_day"  # the item of the one rate row (lever ``*``): million VND per staff-day
MAX_TOTAL = 100_000  # procedures a unit may have in all
MAX_AMOUNT = 1e7


def _amount(value: str):
    x = csvschema.number(value)
    if x is not None and not 0 <= x <= MAX_AMOUNT:
        raise ValueError(f"a number from 0 to {MAX_AMOUNT:g} or empty")
    return x


def _total(value: str) -> int:
    n = csvschema.required_integer(value)
    if not 1 <= n <= MAX_TOTAL:
        raise ValueError(f"a whole number of procedures from 1 to {MAX_TOTAL:,}")
    return n


def totals_schema(year_parser) -> dict:
    req = csvschema.required_text
    return {
        "lever": req,
        "unit_slug": req,
        "year": year_parser,
        "total": _total,
        "status": csvschema.one_of("stated", "derived"),
        "source": req,
        "source_vi": req,
    }


def costs_schema() -> dict:
    req = csvschema.required_text
    return {
        "lever": req,
        "item": req,
        "payer": csvschema.one_of(*PAYERS),
        "kind": csvschema.one_of(*KINDS),
        "per": csvschema.one_of(*PER),
        "amount_unit": csvschema.one_of(*AMOUNT_UNITS),
        "low": _amount,
        "central": _amount,
        "high": _amount,
        "basis": csvschema.one_of(*COST_BASES),
        "source": req,
        "source_vi": req,
    }


def check_totals(rows: list[dict], counted: set[str], units: set[str], display: str = "data/lever_totals.csv"):
    """Issues of the totals: a lever counted in procedures, a 2025 unit, each (lever, unit) once."""
    issues: list[Issue] = []
    seen: dict[tuple, int] = {}
    for r in rows:
        where = f"{display} row {r['_row']}"
        if r["lever"] not in counted:
            issues.append(
                Issue(
                    f"{where} column lever",
                    r["lever"],
                    "a lever counted in procedures (count_unit in data/levers.csv): " + ", ".join(sorted(counted)),
                )
            )
        if r["unit_slug"] not in units:
            issues.append(Issue(f"{where} column unit_slug", r["unit_slug"], "a 2025 unit slug"))
        key = (r["lever"], r["unit_slug"])
        if key in seen:
            issues.append(Issue(f"{where} columns lever, unit_slug", ", ".join(key), f"once (already row {seen[key]})"))
        seen.setdefault(key, r["_row"])
    return issues


def check_costs(
    rows: list[dict], lever_names: list[str], counted: set[str], fee_levers: set[str], display="data/lever_costs.csv"
) -> list[Issue]:
    """Issues of the cost rows (see the module's docstring); fills an empty low/high of a sourced or
    derived figure with its central value."""
    issues: list[Issue] = []
    seen: dict = {}
    one_off: dict = {}
    needs_rate = []
    for r in rows:
        where = f"{display} row {r['_row']}"
        add = lambda col, value, allowed, where=where: issues.append(Issue(f"{where} column {col}", value, allowed))
        lever = r["lever"]
        if lever != "*" and lever not in lever_names:
            add("lever", lever, "a lever of data/levers.csv (or * for the staff-day rate): " + ", ".join(lever_names))
        key = (lever, r["item"])
        if key in seen:
            add("item", r["item"], f"an item used once per lever (already row {seen[key]})")
        seen.setdefault(key, r["_row"])
        amounts = [r["low"], r["central"], r["high"]]
        if r["basis"] == "model":
            if r["per"] != "model" or any(a is not None for a in amounts):
                add("per", r["per"], "model, with low, central and high empty (the model computes the amount)")
            if lever not in fee_levers:
                add("lever", lever, "a lever whose cost the model computes (fee_cost = yes in data/levers.csv)")
        elif r["per"] == "model":
            add("basis", r["basis"], "model (per = model: the model computes the amount)")
        elif r["central"] is None:
            add("central", "", "the central value (a number)")
        elif r["basis"] == "assumption" and (r["low"] is None or r["high"] is None):
            add("low, high", f"{r['low']}, {r['high']}", "a range: an assumption states its low and high values")
        else:
            r["low"] = r["central"] if r["low"] is None else r["low"]
            r["high"] = r["central"] if r["high"] is None else r["high"]
            if not r["low"] <= r["central"] <= r["high"]:
                add("low, central, high", f"{r['low']}, {r['central']}, {r['high']}", "low ≤ central ≤ high")
        if r["kind"] == "rate":
            if lever != "*" or r["item"] != RATE or r["per"] != "staff_day" or r["amount_unit"] != "million_vnd":
                add("kind", "rate", f"the one rate row: lever *, item {RATE}, per staff_day, amount_unit million_vnd")
        elif lever == "*":
            add("lever", "*", "a lever (* is for the staff-day rate only)")
        if r["per"] == "procedure" and lever not in counted:
            add("per", "procedure", "a lever counted in procedures (count_unit in data/levers.csv)")
        if r["kind"] == "one_off":
            if r["payer"] != "city" or r["per"] not in ("procedure", "percentage_point"):
                add("kind", "one_off", "a cost to the city per procedure or per percentage point")
            if lever in one_off:
                add("lever", lever, f"one one-off cost per lever (already row {one_off[lever]})")
            one_off.setdefault(lever, r["_row"])
            if r["amount_unit"] not in ("staff_days", "million_vnd"):
                add("amount_unit", r["amount_unit"], "staff_days or million_vnd (a one-off cost)")
        if r["amount_unit"] == "staff_days":
            needs_rate.append(where)
    if needs_rate and not any(r["kind"] == "rate" and r["lever"] == "*" for r in rows):
        issues.append(
            Issue(f"{display} ({needs_rate[0]})", "staff_days", f"a rate row (lever *, item {RATE}) to price them")
        )
    return issues
