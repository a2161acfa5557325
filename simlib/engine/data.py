"""Load and validate everything in ``data/``; consolidate the published index results.

Every file is checked against its schema (types, ranges, known provinces, a source
on every row). A bad file raises DataError naming file, row and column. Clashes
between sources (two scores for one province and year, two provinces on one rank)
are resolved by a written rule and listed in ``Dataset.clashes``; nothing is
dropped silently.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from . import csvschema, leverfacts, wiring
from .errors import DataError, Issue

INDICES = ("PAR", "SIPAS")
STATUS_PRIORITY = {"stated": 0, "derived": 1, "conflict": 2}
MERGER_YEAR = 2025  # first year of the 34 units (NQ 202/2025/QH15, effective 1/7/2025)


from .paths import data_dir  # noqa: E402  (re-exported: data.data_dir() is used widely)


@dataclass(frozen=True)
class Published:
    """One province's consolidated published result for one index and year."""

    slug: str
    score: float | None  # %, None where only the rank is published
    rank: int | None  # 1 = best, None where only the score is published
    status: str  # stated | derived (best status among the agreeing rows)
    sources: tuple[str, ...]


@dataclass
class Dataset:
    """All data files, validated. Built once per process by ``load()``."""

    directory: Path
    provinces: dict[str, dict]  # 63 pre-2025 provinces by slug
    units: dict[str, dict]  # 34 units from 2025 by slug
    results: dict[tuple[str, int], dict[str, Published]]
    summary: dict[tuple[str, int, str], float]
    summary_rows: list[dict]
    levers: list[dict]
    baselines: list[dict]
    lever_effects: tuple  # wiring.Effect per row of lever_effects.csv, in order
    parameters: list[dict]
    sipas_elements: list[dict]
    fee_policies: list[dict]
    indicators: list[dict]  # context figures of the levers (Hà Nội and a few others), by period
    par_structure: list[dict]  # PAR Index components and their maximum points
    raw_results: list[dict]
    conflict_rules: list[dict] = field(default_factory=list)  # the written rules where sources disagree (en, vi)
    model_covariates: list[dict] = field(default_factory=list)  # which covariates the model uses, and why
    model_changes: list[dict] = field(default_factory=list)  # model changes judged by the evaluation harness
    lever_totals: list[dict] = field(default_factory=list)  # procedures a unit has in all, per counted lever
    lever_costs: list[dict] = field(default_factory=list)  # what a unit of each lever costs, and who pays
    population: dict[str, float] = field(default_factory=dict)  # 2019 average, thousand persons, by province
    covariates: dict[tuple[str, int], dict[str, float]] = field(default_factory=dict)  # (index, year) → slug → score
    clashes: list[str] = field(default_factory=list)
    file_hashes: dict[str, str] = field(default_factory=dict)
    added: tuple = ()  # usertables.AddedTable per table added in the user folder, merged over the shipped data

    def members(self, unit_slug: str) -> list[str]:
        """Pre-2025 provinces that form the 2025 unit ``unit_slug``."""
        return [p for p, row in self.provinces.items() if row["unit_2025_slug"] == unit_slug]

    def units_in(self, year: int) -> list[str]:
        """Slugs of the ranked units in ``year`` (63 before 2025, 34 from 2025)."""
        return list(self.provinces) if year < MERGER_YEAR else list(self.units)

    def average(self, index: str, year: int) -> float | None:
        return self.summary.get((index, year, "avg_pct"))

    def years_with_results(self, index: str) -> list[int]:
        return sorted(y for (i, y) in self.results if i == index)


def _unit(choices: set[str], what: str):
    def parse(value: str) -> str:
        value = value.strip()
        if value not in choices:
            raise ValueError(f"a known {what} slug")
        return value

    return parse


def _bounded(lo: float, hi: float, required: bool = False):
    def parse(value: str):
        x = csvschema.required_number(value) if required else csvschema.number(value)
        if x is not None and not lo <= x <= hi:
            raise ValueError(f"a number from {lo:g} to {hi:g}")
        return x

    return parse


def _year(value: str) -> int:
    y = csvschema.required_integer(value)
    if not 2000 <= y <= 2035:
        raise ValueError("a year from 2000 to 2035")
    return y


def _rank(value: str) -> int | None:
    r = csvschema.integer(value)
    if r is not None and not 1 <= r <= 63:
        raise ValueError("a rank from 1 to 63 or empty")
    return r


def _hash(path: Path) -> str:
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


def _read(directory: Path, name: str, schema: dict) -> list[dict]:
    return csvschema.read_table(directory / name, schema, display=f"data/{name}")


def _collect(loaders: list) -> list:
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


def load_from(directory: Path) -> Dataset:
    """Load and validate every data file in ``directory`` (no caching)."""
    check_folder(directory)
    units_rows, prov_rows = _load_units(directory)
    prov_slugs = {r["province_slug"] for r in prov_rows}
    known = prov_slugs | {r["unit_slug"] for r in units_rows}
    (
        results,
        rules,
        summary,
        lever_rows,
        params,
        elements,
        fees,
        indicators,
        structure,
        population,
        covariates,
        model_covariates,
        model_changes,
    ) = _collect(
        [
            lambda: _check_results(
                _read(directory, "index_results.csv", _results_schema(prov_slugs)), len(prov_rows), len(units_rows)
            ),
            lambda: _read(directory, "conflict_rules.csv", _rules_schema(prov_slugs)),
            lambda: _read(directory, "national_summary.csv", SUMMARY_SCHEMA),
            lambda: _load_levers(directory),
            lambda: _load_parameters(directory),
            lambda: _load_elements(directory),
            lambda: _read(
                directory,
                "fee_policies.csv",
                {
                    "unit_slug": _unit(known | {"national"}, "unit (or national)"),
                    "instrument": REQ,
                    "waived_share": _bounded(0, 1),
                    "source": REQ,
                },
            ),
            lambda: _read(
                directory,
                "hanoi_indicators.csv",
                {
                    "period": REQ,
                    "province_slug": REQ,
                    "metric": REQ,
                    "value": csvschema.number,
                    "unit": REQ,
                    "source": REQ,
                },
            ),
            lambda: _read(
                directory,
                "par_structure.csv",
                {"scheme": REQ, "component_en": REQ, "max_points": _bounded(0, 100), "source": REQ},
            ),
            lambda: _load_population(directory, prov_slugs),
            lambda: _read(directory, "covariates.csv", _covariates_schema(known)),
            lambda: _read(
                directory,
                "model_covariates.csv",
                {
                    "covariate": _covariate_name,
                    "role": csvschema.one_of("reconstruction", "projection"),
                    "kept": csvschema.one_of("yes", "no"),
                    "basis": csvschema.one_of("estimated", "assumption"),
                    "source": REQ,
                },
            ),
            lambda: _read(
                directory,
                "model_changes.csv",
                {
                    "change": REQ,
                    "kept": csvschema.one_of("yes", "no"),
                    "measure": REQ,
                    "measure_vi": REQ,
                    "after": REQ,
                    "source": REQ,
                    "note_en": REQ,
                    "note_vi": REQ,
                },
            ),
        ]
    )
    _check_model_covariates(model_covariates, covariates)
    lever_names = [r["lever"] for r in lever_rows]
    baselines, effects, totals, costs = _collect(
        [
            lambda: _load_baselines(directory, known, set(lever_names)),
            lambda: _load_effects(directory, lever_names, params),
            lambda: _load_totals(directory, lever_rows, {r["unit_slug"] for r in units_rows}),
            lambda: _load_costs(directory, lever_rows),
        ]
    )
    ds = Dataset(
        directory=directory,
        provinces={r["province_slug"]: r for r in prov_rows},
        units={r["unit_slug"]: r for r in units_rows},
        results={},
        summary={(r["index"], r["year"], r["metric"]): r["value"] for r in summary},
        summary_rows=summary,
        levers=lever_rows,
        baselines=baselines,
        lever_effects=effects,
        parameters=params,
        sipas_elements=elements,
        fee_policies=fees,
        indicators=indicators,
        par_structure=structure,
        raw_results=results,
        conflict_rules=rules,
        model_covariates=model_covariates,
        model_changes=model_changes,
        lever_totals=totals,
        lever_costs=costs,
        population={r["province_slug"]: r["population_thousand"] for r in population},
        file_hashes={name: _hash(directory / name) for name in FILES},
    )
    ds.results = consolidate(results, rules, ds.clashes)
    ds.covariates = consolidate_covariates(covariates, ds.clashes)
    return ds


def _load_units(directory: Path) -> tuple[list[dict], list[dict]]:
    """The 34 units of 2025 and the 63 provinces before, each slug once, every province mapped."""
    units_rows = _read(directory, "units_2025.csv", {"unit_slug": REQ, "name_vi": REQ, "source": REQ})
    unit_slugs = {r["unit_slug"] for r in units_rows}
    prov_rows = _read(
        directory,
        "provinces.csv",
        {"province_slug": REQ, "name_vi": REQ, "unit_2025_slug": _unit(unit_slugs, "2025 unit"), "source": REQ},
    )
    issues = []
    for rows, key, n, name in (
        (prov_rows, "province_slug", 63, "provinces.csv"),
        (units_rows, "unit_slug", 34, "units_2025.csv"),
    ):
        issues += _once_each(rows, key, n, name)
    if issues:
        raise DataError(issues, context="data/")
    return units_rows, prov_rows


def _once_each(rows: list[dict], key: str, n: int, name: str) -> list[Issue]:
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


def _results_schema(prov_slugs: set[str]) -> dict:
    return {
        "index": csvschema.one_of(*INDICES),
        "year": _year,
        "province_slug": _unit(prov_slugs, "province"),
        "score_pct": _bounded(0, 100),
        "rank": _rank,
        "n_units": csvschema.one_of("63", "34"),
        "status": csvschema.one_of(*STATUS_PRIORITY),
        "source": REQ,
    }


def _rules_schema(prov_slugs: set[str]) -> dict:
    return {
        "index": csvschema.one_of(*INDICES),
        "year": _year,
        "province_slug": _unit(prov_slugs, "province"),
        "score_pct": _bounded(0, 100),
        "rank": _rank,
        "rule": REQ,
        "rule_vi": REQ,
        "source": REQ,
    }


SUMMARY_SCHEMA = {
    "index": csvschema.one_of(*INDICES),
    "year": _year,
    "metric": REQ,
    "value": csvschema.required_number,
    "status": csvschema.one_of("stated", "derived"),
    "source": REQ,
}

YES_NO = csvschema.one_of("yes", "no")
LEVERS_SCHEMA = {
    "lever": REQ,
    "label_vi": REQ,
    "label_en": REQ,
    "unit": REQ,
    "unit_vi": REQ,
    "min": _bounded(0, 1, True),
    "max": _bounded(0, 1, True),
    "step": _bounded(0.001, 1, True),
    "fee_cost": YES_NO,  # its setting forgoes online-fee revenue (the cost of a scenario)
    "copied_by_others": YES_NO,  # the other units may copy it (the field assumption)
    "count_unit": csvschema.text,  # what a count of it counts ("TTHC"), empty: shown as a share only
    "count_unit_vi": csvschema.text,
    "source": REQ,
}
LEVER_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def _load_levers(directory: Path) -> list[dict]:
    """The lever registry: names once each (lower case, digits, _), bounds in order, roles as yes/no."""
    rows = _read(directory, "levers.csv", LEVERS_SCHEMA)
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


def _load_totals(directory: Path, lever_rows: list[dict], units: set[str]) -> list[dict]:
    """How many procedures a unit has in all, per lever counted in procedures (``leverfacts``)."""
    rows = _read(directory, "lever_totals.csv", leverfacts.totals_schema(_year))
    counted = {r["lever"] for r in lever_rows if r["count_unit"]}
    issues = leverfacts.check_totals(rows, counted, units)
    if issues:
        raise DataError(issues, context="data/lever_totals.csv")
    return rows


def _load_costs(directory: Path, lever_rows: list[dict]) -> list[dict]:
    """What a unit of each lever costs, and who pays (``leverfacts``)."""
    rows = _read(directory, "lever_costs.csv", leverfacts.costs_schema())
    issues = leverfacts.check_costs(
        rows,
        [r["lever"] for r in lever_rows],
        {r["lever"] for r in lever_rows if r["count_unit"]},
        {r["lever"] for r in lever_rows if r["fee_cost"]},
    )
    if issues:
        raise DataError(issues, context="data/lever_costs.csv")
    return rows


def _load_effects(directory: Path, lever_names: list[str], params: list[dict]) -> tuple:
    """The wiring of the levers (``wiring.Effect`` rows) and the check that every parameter the
    model reads — the table's and the fixed terms' — has a row in parameters.csv."""
    rows = _read(
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


def _check_results(rows: list[dict], n_provinces: int, n_units: int) -> list[dict]:
    """index_results.csv: n_units fits the year (the provinces before MERGER_YEAR, the units from it,
    as ``Dataset.units_in``), a rank at most n_units."""
    issues = []
    for r in rows:
        where = f"data/index_results.csv row {r['_row']} column"
        n = int(r["n_units"])
        expected = n_provinces if r["year"] < MERGER_YEAR else n_units
        if n != expected:
            issues.append(
                Issue(
                    f"{where} n_units",
                    r["n_units"],
                    f"{expected} for {r['year']} ({n_provinces} units "
                    f"ranked to {MERGER_YEAR - 1}, {n_units} from {MERGER_YEAR})",
                )
            )
        if r["rank"] is not None and r["rank"] > n:
            issues.append(Issue(f"{where} rank", r["rank"], f"a rank from 1 to n_units ({n})"))
    if issues:
        raise DataError(issues, context="data/index_results.csv")
    return rows


def _load_parameters(directory: Path) -> list[dict]:
    rows = _read(
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
    _check_parameters(rows)
    return rows


def _load_elements(directory: Path) -> list[dict]:
    rows = _read(
        directory,
        "sipas_elements.csv",
        {
            "element": REQ,
            "label_vi": REQ,
            "label_en": REQ,
            "online_share": _bounded(0, 1, True),
            "time_cut": _bounded(0, 1, True),
            "cost_cut": _bounded(0, 1, True),
            "source": REQ,
        },
    )
    _check_elements(rows)
    return rows


def _load_baselines(directory: Path, known: set[str], lever_names: set[str]) -> list[dict]:
    """Lever baselines; every lever (and the online share) needs a default row ``*``."""
    rows = _read(
        directory,
        "baselines.csv",
        {
            "unit_slug": _unit(known | {"*"}, "unit (or *)"),
            "quantity": _unit(lever_names | {"online_share"}, "lever or online_share"),
            "year": _year,
            "value": _bounded(0, 1, True),
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


def _load_population(directory: Path, prov_slugs: set[str]) -> list[dict]:
    """Average 2019 population (thousand persons) of each of the 63 provinces, once each."""
    rows = _read(
        directory,
        "population_2019.csv",
        {
            "province_slug": _unit(prov_slugs, "province"),
            "year": _year,
            "population_thousand": _bounded(1, 100_000, True),
            "source": REQ,
        },
    )
    issues = _once_each(rows, "province_slug", 63, "population_2019.csv")
    if issues:
        raise DataError(issues, context="data/population_2019.csv")
    return rows


COVARIATE_NAME = "an index name of letters, digits and _ (e.g. DTI, PAPI_e_governance)"


def _covariate_name(value: str) -> str:
    value = value.strip()
    if not value or not value.replace("_", "").isalnum() or not value[0].isalpha():
        raise ValueError(COVARIATE_NAME)
    return value


OTHER_INDEX = "other_index"  # a covariate computed, not read: the province's published rank in the other index


def _check_model_covariates(model_rows: list[dict], covariate_rows: list[dict]) -> None:
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


def _covariates_schema(known: set[str]) -> dict:
    return {
        "index": _covariate_name,
        "year": _year,
        "province_slug": _unit(known, "province or unit"),
        "score": csvschema.number,
        "rank": _rank,
        "source": REQ,
    }


def consolidate_covariates(rows: list[dict], clashes: list[str]) -> dict[tuple[str, int], dict[str, float]]:
    """Score per (covariate, year) and province; rank-only rows are context. Two different
    scores for one province keep the first row's and are listed in ``clashes``."""
    out: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for r in rows:
        if r["score"] is None:
            continue
        seen = out[(r["index"], r["year"])]
        slug = r["province_slug"]
        if slug in seen and abs(seen[slug] - r["score"]) > 1e-6:
            clashes.append(
                f"covariate {r['index']} {r['year']} {slug}: scores {seen[slug]:g} and "
                f"{r['score']:g} (row {r['_row']}); kept the first"
            )
            continue
        seen.setdefault(slug, r["score"])
    return dict(out)


def _check_parameters(rows: list[dict]) -> None:
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


def _check_elements(rows: list[dict]) -> None:
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


def _fmt(x) -> str:
    return "—" if x is None else f"{x:g}"


def consolidate(rows: list[dict], rules: list[dict], clashes: list[str]) -> dict:
    """One ``Published`` per (index, year, province), clashes resolved and reported.

    Rule order: a row of ``conflict_rules.csv``; else the value all rows agree on;
    else the best status (stated > derived > conflict), then the most sources.
    Then per index and year: two provinces on one rank, or a better rank with a
    lower score, keep the better-supported rank and drop the other's rank.
    """
    rule_for = {(r["index"], r["year"], r["province_slug"]): r for r in rules}
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["index"], r["year"], r["province_slug"])].append(r)
    out: dict[tuple[str, int], dict[str, Published]] = defaultdict(dict)
    for key, group in sorted(groups.items()):
        index, year, slug = key
        sources = tuple(dict.fromkeys(r["source"] for r in group))
        best_status = min((r["status"] for r in group), key=STATUS_PRIORITY.__getitem__)
        status = "derived" if best_status == "conflict" else best_status
        scores = {r["score_pct"] for r in group if r["score_pct"] is not None}
        ranks = {r["rank"] for r in group if r["rank"] is not None}
        if key in rule_for:
            rule = rule_for[key]
            score, rank = rule["score_pct"], rule["rank"]
            if len(scores) > 1 or len(ranks) > 1:
                clashes.append(
                    f"{index} {year} {slug}: sources give scores {sorted(scores)} and ranks "
                    f"{sorted(ranks)}; written rule: {_fmt(score)} / rank {_fmt(rank)} "
                    f"({rule['rule']})"
                )
        else:
            score = _pick(group, "score_pct")
            rank = _pick(group, "rank")
            if len(scores) > 1 or len(ranks) > 1:
                clashes.append(
                    f"{index} {year} {slug}: sources give scores {sorted(scores)} and ranks "
                    f"{sorted(ranks)} with no written rule; default rule (best status, then "
                    f"most sources) keeps {_fmt(score)} / rank {_fmt(rank)}"
                )
        out[(index, year)][slug] = Published(slug, score, rank, status, sources)
    for (index, year), entries in out.items():
        _check_order(index, year, entries, clashes)
    return dict(out)


def _pick(group: list[dict], column: str):
    values = [r for r in group if r[column] is not None]
    if not values:
        return None
    support = Counter(r[column] for r in values)
    return min(values, key=lambda r: (STATUS_PRIORITY[r["status"]], -support[r[column]]))[column]


def _support(p: Published) -> tuple:
    return (STATUS_PRIORITY[p.status], -len(p.sources), p.score is None)


def _check_order(index: str, year: int, entries: dict[str, Published], clashes: list[str]) -> None:
    by_rank: dict[int, list[Published]] = defaultdict(list)
    for p in entries.values():
        if p.rank is not None:
            by_rank[p.rank].append(p)
    for rank, same in by_rank.items():
        if len(same) > 1:
            keep = min(same, key=_support)
            for p in same:
                if p is not keep:
                    entries[p.slug] = Published(p.slug, p.score, None, p.status, p.sources)
            clashes.append(
                f"{index} {year}: rank {rank} given to {', '.join(p.slug for p in same)}; "
                f"kept for {keep.slug} (best supported), dropped for the others"
            )
    ranked = sorted(
        ((p.rank, p.score, p) for p in entries.values() if p.rank is not None and p.score is not None),
        key=lambda ranked_entry: ranked_entry[0],
    )
    for (_, better_score, better), (_, worse_score, worse) in zip(ranked, ranked[1:]):
        if better_score < worse_score:
            drop = max((better, worse), key=_support)
            entries[drop.slug] = Published(drop.slug, drop.score, None, drop.status, drop.sources)
            clashes.append(
                f"{index} {year}: {better.slug} rank {better.rank} scores {better.score:g} "
                f"below {worse.slug} rank {worse.rank} at {worse.score:g}; dropped the rank "
                f"of {drop.slug} (less supported)"
            )


@lru_cache(maxsize=4)
def _cached(directory: str, added: str, stamp: tuple) -> Dataset:
    """The shipped data in ``directory``, with the tables added in the folder ``added`` ('' for none)
    laid over it (``usertables.merged``)."""
    if not added:
        return load_from(Path(directory))
    from . import usertables

    shipped_ds = _cached(directory, "", stamp[0])
    return usertables.merged(shipped_ds, usertables.read_tables(Path(added), shipped_ds), Published)


def cached_per_dataset(maxsize: int):
    """``lru_cache`` whose key also holds the data files' identity (folder and hashes), so a
    changed or switched data folder (``SIMLIB_DATA_DIR``) never returns stale draws."""
    from functools import wraps

    def decorate(fn):
        cached = lru_cache(maxsize=maxsize)(lambda _data_key, *args, **kwargs: fn(*args, **kwargs))

        @wraps(fn)
        def wrapper(*args, **kwargs):
            ds = load()
            return cached((str(ds.directory), tuple(sorted(ds.file_hashes.items()))), *args, **kwargs)

        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]  # lru_cache's own names
        wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return wrapper

    return decorate


_last_check: dict[tuple[str, str], tuple[float, Dataset]] = {}  # (SIMLIB_DATA_DIR, SIMLIB_USER_DIR) → last look
RECHECK_SECONDS = 1.0  # how often the files' modification times are looked at again


def _stamp(directory: Path) -> tuple:
    return tuple((directory / n).stat().st_mtime_ns if (directory / n).exists() else 0 for n in FILES)


def load() -> Dataset:
    """The validated dataset: the shipped ``data/`` with the results added in the user folder laid
    over it (``usertables``); cached per process (reloaded if a file of either changes); inside
    ``hiding``, the dataset without the figures it sets aside."""
    import os
    import time

    key = (os.environ.get("SIMLIB_DATA_DIR", ""), os.environ.get("SIMLIB_USER_DIR", ""))  # what names the folders
    now = time.monotonic()
    seen = _last_check.get(key)
    if seen is not None and now - seen[0] < RECHECK_SECONDS:
        ds = seen[1]
    else:
        from . import paths, usertables

        directory, added = data_dir(), paths.added_results_dir()
        check_folder(directory)
        user = usertables.stamp(added)
        ds = _cached(
            str(directory), str(added) if user else "", (_stamp(directory), user) if user else _stamp(directory)
        )
        _last_check[key] = (now, ds)
    hidden = _HIDDEN.get()
    return _without_cached(ds, hidden) if hidden else ds


# ----------------------------------------------------------------------------- figures set aside
# Cross-validation hides what a user would not see: a whole province-year (both indices, scores
# and ranks) or every year of a province. Hiding works on the dataset itself, so every step that
# reads published figures (the reconstruction, the position smoother and its fit, the placement
# regression, the dynamics' pairs) sees the dataset as if those rows had never been collected.

Figure = tuple[str, int, str]  # (index, year, province slug)
_HIDDEN: ContextVar[frozenset] = ContextVar("simlib_hidden_figures", default=frozenset())


@contextmanager
def hiding(figures):
    """Within the block, ``load()`` returns the dataset without the published ``figures``
    ((index, year, province) triples; see ``without``). Blocks nest: the sets add up."""
    token = _HIDDEN.set(_HIDDEN.get() | frozenset(figures))
    try:
        yield
    finally:
        _HIDDEN.reset(token)


def figures_of(ds: Dataset, slug: str, years=None) -> frozenset[Figure]:
    """Every published figure of province ``slug`` (both indices), in ``years`` (all when None)."""
    return frozenset(
        (index, year, slug)
        for (index, year), entries in ds.results.items()
        if slug in entries and (years is None or year in years)
    )


def held_extremes(ds: Dataset, figures) -> set[tuple[str, int, str]]:
    """The national summary's maximum and minimum (``(index, year, metric)``) that are one of
    ``figures``: the province holds rank 1 (or the last rank), or its score without a rank is the
    published maximum (minimum) to the second decimal."""
    out = set()
    for index, year, slug in figures:
        p = ds.results.get((index, year), {}).get(slug)
        if p is None:
            continue
        n = len(ds.units_in(year))
        for metric, rank in (("max_pct", 1), ("min_pct", n)):
            value = ds.summary.get((index, year, metric))
            if value is None:
                continue
            if p.rank == rank or (p.rank is None and p.score is not None and abs(p.score - value) < 0.005):
                out.add((index, year, metric))
    return out


def without(ds: Dataset, figures) -> Dataset:
    """``ds`` as if the rows of ``figures`` ((index, year, province) triples) were absent from
    index_results.csv, and the national maximum or minimum they hold (``held_extremes``) from
    national_summary.csv: the results consolidated again from the remaining rows (a clash with a
    hidden figure no longer drops anything). ``file_hashes`` gains a ``hidden`` entry, so every
    per-dataset cache keeps the two apart."""
    import hashlib

    figures = frozenset(figures)
    extremes = held_extremes(ds, figures)
    rows = [r for r in ds.raw_results if (r["index"], r["year"], r["province_slug"]) not in figures]
    clashes: list[str] = []
    results = consolidate(rows, ds.conflict_rules, clashes)
    of_results: list[str] = []  # the full dataset's clashes of results; the rest are of covariates
    consolidate(ds.raw_results, ds.conflict_rules, of_results)
    summary_rows = [r for r in ds.summary_rows if (r["index"], r["year"], r["metric"]) not in extremes]
    stamp = hashlib.sha256(repr(sorted(figures)).encode()).hexdigest()[:16]
    return replace(
        ds,
        results=results,
        raw_results=rows,
        summary={k: v for k, v in ds.summary.items() if k not in extremes},
        summary_rows=summary_rows,
        clashes=clashes + ds.clashes[len(of_results) :],
        file_hashes={**ds.file_hashes, "hidden": stamp},
    )


_WITHOUT: dict[tuple[int, frozenset], tuple[Dataset, Dataset]] = {}
WITHOUT_KEPT = 8  # datasets with figures set aside kept at once


def _without_cached(ds: Dataset, figures: frozenset) -> Dataset:
    """``without(ds, figures)``, kept for the few latest (dataset, figures): a cross-validation
    reads the same masked dataset many times while it reconstructs one case."""
    key = (id(ds), figures)
    hit = _WITHOUT.get(key)
    if hit is not None and hit[0] is ds:
        return hit[1]
    if len(_WITHOUT) >= WITHOUT_KEPT:
        _WITHOUT.pop(next(iter(_WITHOUT)))
    out = without(ds, figures)
    _WITHOUT[key] = (ds, out)
    return out


def refresh() -> None:
    """Look at the files again on the next ``load()`` (after this process wrote into the user folder)."""
    _last_check.clear()


def shipped() -> Dataset:
    """The shipped ``data/`` alone, without what the user added."""
    directory = data_dir()
    return _cached(str(directory), "", _stamp(directory))
