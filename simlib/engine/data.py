"""Load and validate everything in ``data/``; consolidate the published index results.

Every file is checked against its schema (types, ranges, known provinces, a source
on every row): the index results here, the other files in ``datafiles``. A bad file raises
DataError naming file, row and column. Clashes between sources (two scores for one province
and year, two provinces on one rank) are resolved by a written rule and listed in
``Dataset.clashes`` (``consolidation``); nothing is dropped silently. ``load()`` gives the
dataset, cached per process; ``hiding`` sets published figures aside for cross-validation.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from . import consolidation, csvschema, datafiles
from .consolidation import Published
from .errors import DataError, Issue

INDICES = ("PAR", "SIPAS")
MERGER_YEAR = 2025  # first year of the 34 units (NQ 202/2025/QH15, effective 1/7/2025)


from .paths import data_dir  # noqa: E402  (re-exported: data.data_dir() is used widely)


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


def load_from(directory: Path) -> Dataset:
    """Load and validate every data file in ``directory`` (no caching)."""
    datafiles.check_folder(directory)
    units_rows, prov_rows = datafiles.load_units(directory)
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
    ) = datafiles.collect(
        [
            lambda: _check_results(
                datafiles.read(directory, "index_results.csv", _results_schema(prov_slugs)),
                len(prov_rows),
                len(units_rows),
            ),
            lambda: datafiles.read(directory, "conflict_rules.csv", _rules_schema(prov_slugs)),
            lambda: datafiles.read(directory, "national_summary.csv", SUMMARY_SCHEMA),
            lambda: datafiles.load_levers(directory),
            lambda: datafiles.load_parameters(directory),
            lambda: datafiles.load_elements(directory),
            lambda: datafiles.read(
                directory,
                "fee_policies.csv",
                {
                    "unit_slug": datafiles.slug_in(known | {"national"}, "unit (or national)"),
                    "instrument": datafiles.REQ,
                    "waived_share": datafiles.number_in(0, 1),
                    "source": datafiles.REQ,
                },
            ),
            lambda: datafiles.read(
                directory,
                "hanoi_indicators.csv",
                {
                    "period": datafiles.REQ,
                    "province_slug": datafiles.REQ,
                    "metric": datafiles.REQ,
                    "value": csvschema.number,
                    "unit": datafiles.REQ,
                    "source": datafiles.REQ,
                },
            ),
            lambda: datafiles.read(
                directory,
                "par_structure.csv",
                {
                    "scheme": datafiles.REQ,
                    "component_en": datafiles.REQ,
                    "max_points": datafiles.number_in(0, 100),
                    "source": datafiles.REQ,
                },
            ),
            lambda: datafiles.load_population(directory, prov_slugs),
            lambda: datafiles.read(directory, "covariates.csv", datafiles.covariates_schema(known)),
            lambda: datafiles.read(
                directory,
                "model_covariates.csv",
                {
                    "covariate": datafiles.covariate_name,
                    "role": csvschema.one_of("reconstruction", "projection"),
                    "kept": csvschema.one_of("yes", "no"),
                    "basis": csvschema.one_of("estimated", "assumption"),
                    "source": datafiles.REQ,
                },
            ),
            lambda: datafiles.read(
                directory,
                "model_changes.csv",
                {
                    "change": datafiles.REQ,
                    "kept": csvschema.one_of("yes", "no"),
                    "measure": datafiles.REQ,
                    "measure_vi": datafiles.REQ,
                    "after": datafiles.REQ,
                    "source": datafiles.REQ,
                    "note_en": datafiles.REQ,
                    "note_vi": datafiles.REQ,
                },
            ),
        ]
    )
    datafiles.check_model_covariates(model_covariates, covariates)
    lever_names = [r["lever"] for r in lever_rows]
    baselines, effects, totals, costs = datafiles.collect(
        [
            lambda: datafiles.load_baselines(directory, known, set(lever_names)),
            lambda: datafiles.load_effects(directory, lever_names, params),
            lambda: datafiles.load_totals(directory, lever_rows, {r["unit_slug"] for r in units_rows}),
            lambda: datafiles.load_costs(directory, lever_rows),
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
        file_hashes={name: datafiles.file_hash(directory / name) for name in datafiles.FILES},
    )
    ds.results = consolidation.consolidate(results, rules, ds.clashes)
    ds.covariates = consolidation.consolidate_covariates(covariates, ds.clashes)
    return ds


def _results_schema(prov_slugs: set[str]) -> dict:
    return {
        "index": csvschema.one_of(*INDICES),
        "year": datafiles.year_cell,
        "province_slug": datafiles.slug_in(prov_slugs, "province"),
        "score_pct": datafiles.number_in(0, 100),
        "rank": datafiles.rank_cell,
        "n_units": csvschema.one_of("63", "34"),
        "status": csvschema.one_of(*consolidation.STATUS_PRIORITY),
        "source": datafiles.REQ,
    }


def _rules_schema(prov_slugs: set[str]) -> dict:
    return {
        "index": csvschema.one_of(*INDICES),
        "year": datafiles.year_cell,
        "province_slug": datafiles.slug_in(prov_slugs, "province"),
        "score_pct": datafiles.number_in(0, 100),
        "rank": datafiles.rank_cell,
        "rule": datafiles.REQ,
        "rule_vi": datafiles.REQ,
        "source": datafiles.REQ,
    }


SUMMARY_SCHEMA = {
    "index": csvschema.one_of(*INDICES),
    "year": datafiles.year_cell,
    "metric": datafiles.REQ,
    "value": csvschema.required_number,
    "status": csvschema.one_of("stated", "derived"),
    "source": datafiles.REQ,
}


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
    return tuple((directory / n).stat().st_mtime_ns if (directory / n).exists() else 0 for n in datafiles.FILES)


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
        datafiles.check_folder(directory)
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
    hidden figure no longer drops anything); only the index-years the figures are in are redone,
    since each index-year is consolidated from its own rows alone. ``file_hashes`` gains a ``hidden`` entry, so every
    per-dataset cache keeps the two apart."""
    import hashlib

    figures = frozenset(figures)
    extremes = held_extremes(ds, figures)
    rows = [r for r in ds.raw_results if (r["index"], r["year"], r["province_slug"]) not in figures]
    whole, of_results = _consolidated(ds)
    touched = {(index, year) for index, year, _ in figures}
    redone = consolidation.consolidate_years([r for r in rows if (r["index"], r["year"]) in touched], ds.conflict_rules)
    years = {
        key: redone[key] if key in touched else part
        for key, part in whole.items()
        if key in redone or key not in touched
    }
    clashes: list[str] = []
    results = consolidation.assemble(years, clashes)
    summary_rows = [r for r in ds.summary_rows if (r["index"], r["year"], r["metric"]) not in extremes]
    stamp = hashlib.sha256(repr(sorted(figures)).encode()).hexdigest()[:16]
    return replace(
        ds,
        results=results,
        raw_results=rows,
        summary={k: v for k, v in ds.summary.items() if k not in extremes},
        summary_rows=summary_rows,
        clashes=clashes + ds.clashes[of_results:],
        file_hashes={**ds.file_hashes, "hidden": stamp},
    )


_CONSOLIDATED: dict[int, tuple[Dataset, dict, int]] = {}


def _consolidated(ds: Dataset) -> tuple[dict, int]:
    """``ds``'s results consolidated again from its rows, index-year by index-year
    (``consolidation.consolidate_years``), and how many of ``ds.clashes`` come from them (they come
    first; the rest are of covariates and added tables). Kept for the few latest datasets: a
    cross-validation sets aside one province-year after another, and only those years change."""
    hit = _CONSOLIDATED.get(id(ds))
    if hit is not None and hit[0] is ds:
        return hit[1], hit[2]
    years = consolidation.consolidate_years(ds.raw_results, ds.conflict_rules)
    of_results = sum(len(part.clashes) + len(part.order_clashes) for part in years.values())
    if len(_CONSOLIDATED) >= WITHOUT_KEPT:
        _CONSOLIDATED.pop(next(iter(_CONSOLIDATED)))
    _CONSOLIDATED[id(ds)] = (ds, years, of_results)
    return years, of_results


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
