"""Compare scenarios: one summary row each, paired differences, baselines, two-lever grids.

Scenarios that share (focal, baseline year, horizon, draws, seed) share every random
draw (common random numbers), so ``difference`` of two of them is the levers' effect
draw by draw, not noise. Outputs of a batch run (``DIR/summary.csv``,
``DIR/<scenario>/results.csv``) are read back by ``read_batch``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..engine import levers, outcomes
from ..engine.errors import InputError, Issue
from ..engine.result import table_values

if TYPE_CHECKING:
    import pandas as pd

    from ..engine.scenario import Scenario

# Columns of summary_rows() before the per-lever target values (fractions 0–1, one column per lever):
# the scenario, the year, then every comparison-table column declared in ``engine.outcomes``.
SUMMARY_COLUMNS = ("scenario", "target_year") + tuple(column for column, _, _ in outcomes.table_columns())
RUN_COLUMNS = ("focal", "others_fee_waiver_share", "draws", "seed")
METRIC_COLUMNS = SUMMARY_COLUMNS[2:]
GRID_METRICS = ("target_year",) + METRIC_COLUMNS  # grid columns after the levers
CRN_FIELDS = ("focal", "baseline_year", "horizon", "draws", "seed")  # what two runs must share to be paired
GRID_VALUES = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)  # default grid levels per lever (fractions)


def summary_columns() -> list[str]:
    """Every column of a summary row: SUMMARY_COLUMNS, one per lever, then RUN_COLUMNS."""
    columns = ("scenario", "target_year") + tuple(column for column, _, _ in outcomes.table_columns())
    return list(columns) + list(levers.names()) + list(RUN_COLUMNS)


def year_index(result, year: int) -> int:
    """Position of ``year`` among a Result's projected years (InputError if it is not one)."""
    years = [int(y) for y in result.years]
    if int(year) not in years:
        raise InputError(
            Issue("year", year, f"a projected year of {result.scenario.name!r}: {years[0]}–{years[-1]}"),
            context="compare",
        )
    return years.index(int(year))


def summary_row(result, year: int | None = None) -> dict:
    """One Result summarised in ``year`` (default: its scenario's target year); see summary_columns()."""
    s = result.scenario
    year = int(year or s.target_year)
    k = year_index(result, year)
    row = {"scenario": s.name, "target_year": year}
    values = table_values({name: a[None] for name, a in result.arrays.items()}, k)
    row.update({column: float(v[0]) for column, v in values.items()})
    return {**row, **_scenario_columns(s, result.lever_paths[k])}


def summary_row_of_tidy(scenario: Scenario, tidy_rows, year: int | None = None) -> dict:
    """The summary row of a scenario read back from its tidy summary (``Result.rows`` or a report's
    results.csv: year, metric, mean, p05, p50, p95), without evaluating anything again.

    The same numbers as ``summary_row`` of the Result that wrote them: bands are its p05/p50/p95,
    probabilities and means its ``mean``. InputError if the summary lacks the year or a metric.
    """
    year = int(year or scenario.target_year)
    at = {str(r["metric"]): r for r in tidy_rows if int(float(r["year"])) == year}
    row = {"scenario": scenario.name, "target_year": year}
    missing = []
    for column, o, stat in outcomes.table_columns():
        r = at.get(o.name)
        if r is None:
            missing.append(o.name)
            continue
        row[column] = float(r[stat if stat in outcomes.BAND_STATS else "mean"])
    if missing:
        raise InputError(
            Issue("results", ", ".join(sorted(set(missing))), f"a tidy summary with every declared outcome in {year}"),
            context=scenario.name,
        )
    k = [int(y) for y in scenario.years].index(year)
    return {**row, **_scenario_columns(scenario, scenario.lever_paths()[k])}


def _scenario_columns(s: Scenario, lever_values) -> dict:
    """The columns of a summary row that describe the scenario: its levers in the year, then RUN_COLUMNS."""
    row: dict[str, object] = {name: float(lever_values[j]) for j, name in enumerate(levers.names())}
    row.update(
        {
            "focal": s.focal,
            "others_fee_waiver_share": float(s.others_fee_waiver_share),
            "draws": int(s.draws),
            "seed": int(s.seed),
        }
    )
    return row


def summary_rows(results, year: int | None = None) -> list[dict]:
    """One dict per Result (columns ``summary_columns()``), each in ``year`` or its target year."""
    return [summary_row(r, year) for r in results]


def paired_issues(a, b) -> list[Issue]:
    """What stops two Results from sharing their random draws (empty if they are paired)."""
    return [
        Issue(
            f"{b.scenario.name}.{f}",
            getattr(b.scenario, f),
            f"the same as {a.scenario.name!r} ({getattr(a.scenario, f)!r}) for a paired comparison",
        )
        for f in CRN_FIELDS
        if getattr(a.scenario, f) != getattr(b.scenario, f)
    ]


def difference(a, b, metric: str, year: int | None = None) -> np.ndarray:
    """Paired (common-random-number) difference a − b of ``metric`` draws.

    ``year`` given: shape (draws,); None: (draws, years). Raises InputError if the two
    Results do not share their draws (different focal unit, years, draws or seed).
    """
    issues = paired_issues(a, b)
    if metric not in a.arrays:
        issues.append(Issue("metric", metric, "one of " + ", ".join(sorted(a.arrays))))
    if issues:
        raise InputError(issues, context="paired difference")
    if year is None:
        return a.arrays[metric] - b.arrays[metric]
    return a.arrays[metric][:, year_index(a, year)] - b.arrays[metric][:, year_index(b, year)]


def baseline_of(scenario: Scenario):
    """The same scenario with every lever held at its current value (same field, draws and seed)."""
    return scenario.with_(name="baseline", title="", description="", levers={})


def tidy(results):
    """Tidy summaries of several Results in one DataFrame: scenario, year, metric, mean, p05, p50, p95."""
    import pandas as pd

    from ..engine.result import COLUMNS

    frames = [r.frame().assign(scenario=r.scenario.name) for r in results]
    return pd.concat(frames, ignore_index=True)[["scenario", *COLUMNS]]


# ---------------------------------------------------------------- two-lever grid


def grid(
    scenario: Scenario | None = None,
    x: str = "simplification",
    y: str = "delegation",
    x_values=GRID_VALUES,
    y_values=GRID_VALUES,
    draws: int = 300,
    seed: int | None = None,
):
    """Outcomes over a grid of two levers' target values, everything else as in ``scenario``.

    Each cell ramps lever ``x`` and lever ``y`` to the given shares (fractions 0–1) by the
    scenario's target year; all cells share one set of random draws. Returns a DataFrame
    with one row per combination: every lever's value in the target year (fractions),
    then the target year and the summary metrics of ``summary_row`` in it (``GRID_METRICS``).
    """
    import pandas as pd

    from ..engine.scenario import Scenario
    from .grid import sweep

    scenario = Scenario() if scenario is None else scenario
    names = levers.names()
    issues = []
    for where, name in (("x", x), ("y", y)):
        if name not in names:
            issues.append(Issue(where, name, "a lever: one of " + ", ".join(names)))
    if x == y:
        issues.append(Issue("y", y, "a lever other than x"))
    for where, name, values in (("x_values", x, x_values), ("y_values", y, y_values)):
        if name in names:
            lever = levers.get(name)
            bad = [v for v in values if not lever.min <= float(v) <= lever.max]
            if bad or not len(values):
                issues.append(Issue(where, list(values), f"shares from {lever.min:g} to {lever.max:g}"))
    if issues:
        raise InputError(issues, context="grid")
    scenario = scenario.with_(draws=int(draws), **({} if seed is None else {"seed": int(seed)}))
    axes = {y: np.asarray(y_values, dtype=float), x: np.asarray(x_values, dtype=float)}  # x changes fastest
    rows = sweep(scenario, axes, columns=METRIC_COLUMNS, lever_values=True)
    for row in rows:
        row["target_year"] = int(scenario.target_year)
    return pd.DataFrame(rows, columns=list(names) + list(GRID_METRICS))


def grid_slice(frame):
    """A two-lever slice of a grid: (rows, {lever: level held}) — levers beyond the first two that
    vary are held at their middle level."""
    varying = [c for c in levers.names() if c in frame.columns and frame[c].nunique() > 1]
    held = {}
    for name in varying[2:]:
        levels = sorted(frame[name].unique())
        held[name] = float(levels[(len(levels) - 1) // 2])
        frame = frame[frame[name] == held[name]]
    return frame.reset_index(drop=True), held


def grid_levers(frame) -> tuple[str, str]:
    """The two lever columns that vary in a grid DataFrame (x first: the one that changes fastest)."""
    varying = [c for c in levers.names() if c in frame.columns and frame[c].nunique() > 1]
    if len(varying) != 2:
        raise InputError(
            Issue(
                "grid",
                ", ".join(varying) or "no lever column varies",
                "a grid over exactly two levers (take a grid_slice first)",
            ),
            context="grid",
        )
    a, b = varying
    changes_a = int((frame[a].diff().fillna(0) != 0).sum())
    changes_b = int((frame[b].diff().fillna(0) != 0).sum())
    return (a, b) if changes_a >= changes_b else (b, a)


# ---------------------------------------------------------------- example scenarios and batch outputs


def examples_dir() -> Path:
    """The project's folder of example scenario files."""
    from ..engine.paths import scenarios_dir

    return scenarios_dir()


def run_examples(directory: str | Path | None = None, draws: int = 200, seed: int | None = None) -> list:
    """Run every scenario file of ``directory`` (default: the examples) with ``draws``, together.

    All files get the same draws (and ``seed`` if given), so those sharing a seed are
    compared with common random numbers. The baseline scenario, if any, comes first.
    """
    from ..engine.scenario import load_yaml
    from ..engine.simulate import run_many

    directory = Path(directory) if directory else examples_dir()
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    if not files:
        raise InputError(Issue("scenarios", str(directory), "a folder with scenario .yaml files"), context="examples")
    changes = {"draws": int(draws), **({} if seed is None else {"seed": int(seed)})}
    scenarios = [load_yaml(f).with_(**changes) for f in files]
    scenarios.sort(key=lambda s: (s.name != "baseline", s.name))
    return run_many(scenarios)


@dataclass
class BatchOutput:
    """What a batch directory holds: its summary (all rows) and the tidy results of the scenarios that ran."""

    directory: Path
    summary: pd.DataFrame  # one row per scenario with status and error
    tidy: pd.DataFrame  # scenario, year, metric, mean, p05, p50, p95
    in_process: bool = False  # True: the example scenarios run here, not read from a batch folder

    @property
    def ok(self):
        """Summary rows of the scenarios that completed."""
        if "status" not in self.summary.columns:
            return self.summary
        return self.summary[self.summary["status"] == "ok"].reset_index(drop=True)

    @property
    def failed(self):
        if "status" not in self.summary.columns:
            return self.summary.iloc[0:0]
        return self.summary[self.summary["status"] != "ok"].reset_index(drop=True)


def example_batch(draws: int = 200, seed: int | None = None) -> BatchOutput:
    """The example scenarios run in-process, shaped like a batch's outputs (every status 'ok')."""
    import pandas as pd

    results = run_examples(draws=draws, seed=seed)
    summary = pd.DataFrame(summary_rows(results), columns=summary_columns()).assign(status="ok", error="")
    return BatchOutput(examples_dir(), summary, tidy(results), in_process=True)


def read_grid(grid_csv: str | Path):
    """A grid.csv written by ``simlib grid`` (lever columns as fractions, then summary metrics)."""
    import json

    import pandas as pd

    path = Path(grid_csv)
    if not path.is_file():
        raise InputError(Issue("grid_csv", str(path), "an existing grid.csv file"), context="batch comparison")
    frame = pd.read_csv(path)
    varying = [c for c in levers.names() if c in frame.columns and frame[c].nunique() > 1]
    if len(varying) < 2:
        raise InputError(Issue("grid_csv", str(path), "a grid over at least two levers"), context="batch comparison")
    manifest = path.parent / "manifest.json"
    if "target_year" not in frame.columns and manifest.is_file():
        try:
            year = json.loads(manifest.read_text(encoding="utf-8")).get("year")
        except (ValueError, OSError):
            year = None
        if isinstance(year, int):
            frame["target_year"] = year
    return frame


def read_batch(batch_dir: str | Path) -> BatchOutput:
    """Read ``DIR/summary.csv`` and every finished report's ``results.csv`` (in the folder named by
    the ``report_dir`` column, else ``DIR/<scenario>``)."""
    import pandas as pd

    from ..engine.result import COLUMNS

    directory = Path(batch_dir)
    summary_path = directory / "summary.csv"
    if not summary_path.is_file():
        raise InputError(
            Issue("batch_dir", str(directory), "a batch output folder containing summary.csv"),
            context="batch comparison",
        )
    summary = pd.read_csv(summary_path)
    frames = []
    done = summary if "status" not in summary else summary[summary["status"] == "ok"]
    folders = done["report_dir"] if "report_dir" in done else done["scenario"]
    for folder in folders:
        path = directory / str(folder) / "results.csv"
        if path.is_file():
            frames.append(pd.read_csv(path))
    tidy_frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["scenario", *COLUMNS])
    return BatchOutput(directory, summary, tidy_frame)
