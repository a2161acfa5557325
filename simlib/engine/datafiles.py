"""Each file of ``data/`` but the index results: its schema (types, ranges, known slugs, a source on every
row), its reader and its checks across rows; and the cell types and reader every table uses. A bad file
raises DataError naming file, row and column (``collect`` gathers the problems of several files into one)."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

from . import csvschema, leverfacts, wiring
from .errors import DataError, Issue


def slug_in(choices: set[str], what: str):
    def parse(value: str) -> str:
        value = value.strip()
        if value not in choices:
            raise ValueError(f"a known {what} slug")
        return value

    return parse


def number_in(lo: float, hi: float, required: bool = False):
    def parse(value: str):
        x = csvschema.required_number(value) if required else csvschema.number(value)
        if x is not None and not lo <= x <= hi:
            raise ValueError(f"a number from {lo:g} to {hi:g}")
        return x

    return parse


def year_cell(value: str) -> int:
    y = csvschema.required_integer(value)
    if not 2000 <= y <= 2035:
        raise ValueError("a year from 2000 to 2035")
    return y


def rank_cell(value: str) -> int | None:
    r = csvschema.integer(value)
    if r is not None and not 1 <= r <= 63:
        raise ValueError("a rank from 1 to 63 or empty")
    return r


def file_hash(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else "missing"


FILES = (
    "provinces.csv",
    "units_2025.csv",
    "index_results.csv",
    "conflict_rules.csv",
    "national_summary.csv",
    "levers.csv",
    "lever_effects.csv",
    "baselines.csv",
    "parameters.csv",
    "sipas_elements.csv",
    "fee_policies.csv",
    "hanoi_indicators.csv",
    "par_structure.csv",
    "population_2019.csv",
    "covariates.csv",
    "model_covariates.csv",
    "model_changes.csv",
    "lever_totals.csv",
    "lever_costs.csv",
)


def read(directory: Path, name: str, schema: dict) -> list[dict]:
    return csvschema.read_table(directory / name, schema, display=f"data/{name}")


def collect(loaders: list) -> list:
    """Run every loader, raising one DataError with all their problems."""
    out, issues = [], []
    for loader in loaders:
        try:
            out.append(loader())
        except DataError as exc:
            issues.extend(exc.issues)
            out.append(None)
    if issues:
        raise DataError(issues, context="data/")
    return out


REQ = csvschema.required_text


def check_folder(directory: Path) -> None:
    """A DataError naming the data folder itself (and ``SIMLIB_DATA_DIR`` when it chose it) if there is
    no such folder: one problem, not one missing file per data file."""
    import os

    if Path(directory).is_dir():
        return
    chosen = "SIMLIB_DATA_DIR" if os.environ.get("SIMLIB_DATA_DIR") else "data folder"
    what = "a file" if Path(directory).exists() else "no such folder"
    raise DataError(
        Issue(chosen, Path(directory), f"an existing folder holding the data files ({what}; see data/README.md)"),
        context="data/",
    )


def load_units(directory: Path) -> tuple[list[dict], list[dict]]:
    """The 34 units of 2025 and the 63 provinces before, each slug once, every province mapped."""
    units_rows = read(directory, "units_2025.csv", {"unit_slug": REQ, "name_vi": REQ, "source": REQ})
    unit_slugs = {r["unit_slug"] for r in units_rows}
    prov_rows = read(
        directory,
        "provinces.csv",
        {"province_slug": REQ, "name_vi": REQ, "unit_2025_slug": slug_in(unit_slugs, "2025 unit"), "source": REQ},
    )
    issues = []
    for rows, key, n, name in (
        (prov_rows, "province_slug", 63, "provinces.csv"),
        (units_rows, "unit_slug", 34, "units_2025.csv"),
    ):
        issues += once_each(rows, key, n, name)
    if issues:
        raise DataError(issues, context="data/")
    return units_rows, prov_rows


def once_each(rows: list[dict], key: str, n: int, name: str) -> list[Issue]:
    """Issues where a slug repeats in ``rows`` or the file does not hold exactly ``n`` of them."""
    counts = Counter(r[key] for r in rows)
    issues = [
        Issue(f"data/{name} row {r['_row']} column {key}", r[key], "a slug used once")
        for r in rows
        if counts[r[key]] > 1
    ]
    if len(counts) != n:
        issues.append(Issue(f"data/{name}", f"{len(counts)} units", f"exactly {n} units"))
    return issues


YES_NO = csvschema.one_of("yes", "no")


LEVERS_SCHEMA = {
    "lever": REQ,
    "label_vi": REQ,
    "label_en": REQ,
    "unit": REQ,
    "unit_vi": REQ,
    "min": number_in(0, 1, True),
    "max": number_in(0, 1, True),
    "step": number_in(0.001, 1, True),
    "fee_cost": YES_NO,  # its setting forgoes online-fee revenue (the cost of a scenario)
    "copied_by_others": YES_NO,  # the other units may copy it (the field assumption)
    "count_unit": csvschema.text,  # what a count of it counts ("TTHC"), empty: shown as a share only
    "count_unit_vi": csvschema.text,
    "source": REQ,
}


LEVER_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def load_levers(directory: Path) -> list[dict]:
    """The lever registry: names once each (lower case, digits, _), bounds in order, roles as yes/no."""
    rows = read(directory, "levers.csv", LEVERS_SCHEMA)
    issues = []
    counts = Counter(r["lever"] for r in rows)
    for r in rows:
        where = f"data/levers.csv row {r['_row']}"
        if not LEVER_NAME.match(r["lever"]):
            issues.append(
                Issue(
                    f"{where} column lever", r["lever"], "a name of lower-case letters, digits and _ (a scenario key)"
                )
            )
        if counts[r["lever"]] > 1:
            issues.append(Issue(f"{where} column lever", r["lever"], "a name used once"))
        if r["min"] >= r["max"]:
            issues.append(Issue(f"{where} column max", r["max"], f"a bound above min ({r['min']:g})"))
        for role in ("fee_cost", "copied_by_others"):
            r[role] = r[role] == "yes"
        if bool(r["count_unit"]) != bool(r["count_unit_vi"]):
            issues.append(
                Issue(f"{where} column count_unit_vi", r["count_unit_vi"], "given with count_unit, or both empty")
            )
    if not rows:
        issues.append(Issue("data/levers.csv", "no levers", "at least one lever"))
    if issues:
        raise DataError(issues, context="data/levers.csv")
    return rows


def load_totals(directory: Path, lever_rows: list[dict], units: set[str]) -> list[dict]:
    """How many procedures a unit has in all, per lever counted in procedures (``leverfacts``)."""
    rows = read(directory, "lever_totals.csv", leverfacts.totals_schema(year_cell))
    counted = {r["lever"] for r in lever_rows if r["count_unit"]}
    issues = leverfacts.check_totals(rows, counted, units)
    if issues:
        raise DataError(issues, context="data/lever_totals.csv")
    return rows


def load_costs(directory: Path, lever_rows: list[dict]) -> list[dict]:
    """What a unit of each lever costs, and who pays (``leverfacts``)."""
    rows = read(directory, "lever_costs.csv", leverfacts.costs_schema())
    issues = leverfacts.check_costs(
        rows,
        [r["lever"] for r in lever_rows],
        {r["lever"] for r in lever_rows if r["count_unit"]},
        {r["lever"] for r in lever_rows if r["fee_cost"]},
    )
    if issues:
        raise DataError(issues, context="data/lever_costs.csv")
    return rows


def load_effects(directory: Path, lever_names: list[str], params: list[dict]) -> tuple:
    """The wiring of the levers (``wiring.Effect`` rows) and the check that every parameter the
    model reads — the table's and the fixed terms' — has a row in parameters.csv."""
    rows = read(
        directory,
        "lever_effects.csv",
        {
            "lever": REQ,
            "target": REQ,
            "parameter": REQ,
            "form": csvschema.one_of(*wiring.FORMS),
            "basis": csvschema.one_of("source", "assumption"),
            "source": REQ,
            "source_vi": REQ,
        },
    )
    issues = wiring.check(rows, lever_names)
    effects = wiring.effects_of(rows)
    have = {r["name"] for r in params}
    for name in wiring.required_parameters(effects):
        if name not in have:
            used = [str(r["_row"]) for r in rows if r["parameter"] == name]
            why = f" (data/lever_effects.csv row {', '.join(used)})" if used else " (a fixed term)"
            issues.append(
                Issue(
                    "data/parameters.csv column name",
                    "(no row)",
                    f"a row for parameter {name!r}, which the model reads{why}",
                )
            )
    if issues:
        raise DataError(issues, context="data/lever_effects.csv")
    return effects


MAX_LOG_SPREAD = 3.0  # largest sd of log for a lognormal prior in parameters.csv


def load_parameters(directory: Path) -> list[dict]:
    rows = read(
        directory,
        "parameters.csv",
        {
            "name": REQ,
            "label_vi": REQ,
            "label_en": REQ,
            "group": REQ,
            "dist": csvschema.one_of("fixed", "normal", "lognormal", "uniform"),
            "p1": csvschema.required_number,
            "p2": csvschema.number,
            "unit": REQ,
            "meaning": REQ,
            "meaning_vi": REQ,
            "basis": csvschema.one_of("source", "assumption", "estimated"),
            "source": REQ,
            "source_vi": REQ,
        },
    )
    check_parameters(rows)
    return rows


def load_elements(directory: Path) -> list[dict]:
    rows = read(
        directory,
        "sipas_elements.csv",
        {
            "element": REQ,
            "label_vi": REQ,
            "label_en": REQ,
            "online_share": number_in(0, 1, True),
            "time_cut": number_in(0, 1, True),
            "cost_cut": number_in(0, 1, True),
            "source": REQ,
        },
    )
    check_elements(rows)
    return rows


def load_baselines(directory: Path, known: set[str], lever_names: set[str]) -> list[dict]:
    """Lever baselines; every lever (and the online share) needs a default row ``*``."""
    rows = read(
        directory,
        "baselines.csv",
        {
            "unit_slug": slug_in(known | {"*"}, "unit (or *)"),
            "quantity": slug_in(lever_names | {"online_share"}, "lever or online_share"),
            "year": year_cell,
            "value": number_in(0, 1, True),
            "status": csvschema.one_of("stated", "derived", "assumption"),
            "source": REQ,
            "source_vi": REQ,
        },
    )
    defaults = {r["quantity"] for r in rows if r["unit_slug"] == "*"}
    missing = [
        Issue(
            "data/baselines.csv column quantity",
            "(no default row)",
            f"a row with unit_slug * for {q!r} (the value of units without their own figure)",
        )
        for q in sorted(lever_names | {"online_share"})
        if q not in defaults
    ]
    if missing:
        raise DataError(missing, context="data/baselines.csv")
    return rows


def load_population(directory: Path, prov_slugs: set[str]) -> list[dict]:
    """Average 2019 population (thousand persons) of each of the 63 provinces, once each."""
    rows = read(
        directory,
        "population_2019.csv",
        {
            "province_slug": slug_in(prov_slugs, "province"),
            "year": year_cell,
            "population_thousand": number_in(1, 100_000, True),
            "source": REQ,
        },
    )
    issues = once_each(rows, "province_slug", 63, "population_2019.csv")
    if issues:
        raise DataError(issues, context="data/population_2019.csv")
    return rows


COVARIATE_NAME = "an index name of letters, digits and _ (e.g. DTI, PAPI_e_governance)"


def covariate_name(value: str) -> str:
    value = value.strip()
    if not value or not value.replace("_", "").isalnum() or not value[0].isalpha():
        raise ValueError(COVARIATE_NAME)
    return value


OTHER_INDEX = "other_index"  # a covariate computed, not read: the province's published rank in the other index


def check_model_covariates(model_rows: list[dict], covariate_rows: list[dict]) -> None:
    """Every covariate model_covariates.csv names is one of covariates.csv: an unknown (mistyped) one
    would otherwise be dropped silently and change the projections."""
    known = sorted({r["index"] for r in covariate_rows} | {OTHER_INDEX})
    issues = [
        Issue(
            f"data/model_covariates.csv row {r['_row']} column covariate",
            r["covariate"],
            "a covariate of data/covariates.csv (its index column) or other_index: one of " + ", ".join(known),
        )
        for r in model_rows
        if r["covariate"] not in known
    ]
    if issues:
        raise DataError(issues, context="data/model_covariates.csv")


def covariates_schema(known: set[str]) -> dict:
    return {
        "index": covariate_name,
        "year": year_cell,
        "province_slug": slug_in(known, "province or unit"),
        "score": csvschema.number,
        "rank": rank_cell,
        "source": REQ,
    }


def check_parameters(rows: list[dict]) -> None:
    issues = []
    names = Counter(r["name"] for r in rows)
    for r in rows:
        where = f"data/parameters.csv row {r['_row']}"
        if names[r["name"]] > 1:
            issues.append(Issue(f"{where} column name", r["name"], "a name used once"))
        if r["dist"] != "fixed" and r["p2"] is None:
            issues.append(Issue(f"{where} column p2", "", f"a second parameter for {r['dist']}"))
        if r["dist"] == "lognormal" and r["p1"] <= 0:
            issues.append(Issue(f"{where} column p1", r["p1"], "a positive median for lognormal"))
        if r["dist"] in ("normal", "lognormal") and r["p2"] is not None and r["p2"] < 0:
            issues.append(Issue(f"{where} column p2", r["p2"], "a spread ≥ 0"))
        elif r["dist"] == "lognormal" and r["p2"] is not None and r["p2"] > MAX_LOG_SPREAD:
            # exp() of draws this wide overflows to inf and then NaN in the scores
            issues.append(
                Issue(
                    f"{where} column p2",
                    r["p2"],
                    f"a spread of the log from 0 to {MAX_LOG_SPREAD:g} "
                    f"(a factor of {math.exp(MAX_LOG_SPREAD):.0f} at one standard deviation)",
                )
            )
        if r["dist"] == "uniform" and r["p2"] is not None and r["p2"] < r["p1"]:
            issues.append(Issue(f"{where} column p2", r["p2"], f"an upper bound ≥ p1 ({r['p1']})"))
    if issues:
        raise DataError(issues, context="data/parameters.csv")


def check_elements(rows: list[dict]) -> None:
    issues = []
    for driver in ("online_share", "time_cut", "cost_cut"):
        total = sum(r[driver] for r in rows)
        if abs(total - 1) > 1e-6:
            issues.append(
                Issue(
                    f"data/sipas_elements.csv column {driver}",
                    round(total, 6),
                    "weights over the elements that sum to 1",
                )
            )
    if issues:
        raise DataError(issues, context="data/sipas_elements.csv")
