"""Engine-only sweep over lever targets: one summary row per combination, no notebook per point.

Every combination shares the same random draws (common random numbers: one cached
simulation context), so neighbouring rows differ only by their levers, and a
probability such as ``p_par_top3`` moves with a lever as the model says, not with noise.
Each swept lever ramps linearly from its current value to the combination's target by
the base scenario's ``target_year`` (a lever the base gives as an explicit path is
replaced by that ramp); levers not swept keep the base scenario's plans.

``sweep`` is a pure function returning rows (dicts), so the comparison notebook, the
benchmarks and any target search can reuse it; ``simlib grid`` writes them to grid.csv.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable

import numpy as np

from ..engine import levers, outcomes
from ..engine.errors import InputError, Issue
from ..engine.scenario import Scenario

MIN_STEPS, MAX_STEPS = 2, 101
MAX_COMBINATIONS = 20_000
METRICS = outcomes.GRID_COLUMNS  # grid.csv's columns after the levers
UNITS = {column: unit for column, unit in outcomes.column_units().items() if column in METRICS}
# Memory of one simulate() call grows with combinations × draws × years; keep a chunk near
# this many (combination, draw, year) cells: ≈ 80 combinations at 2,000 draws × 6 years, about
# 100 MB at peak (smaller chunks also run faster: their arrays stay in the CPU cache).
CELLS_PER_CHUNK = 1_000_000

_SPEC = re.compile(r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<start>[^:]+):(?P<stop>[^:]+):(?P<steps>[^:]+)$")


def parse_specs(specs: list[str]) -> dict[str, np.ndarray]:
    """``NAME=START:STOP:STEPS`` specs → {lever: target values (fractions)}; every problem at once.

    START and STOP are shares (``0.3`` or ``30%``) within the lever's bounds, START < STOP;
    STEPS is a whole number from 2 to 101 (STEPS values evenly spaced, ends included);
    the product of the STEPS is at most 20,000.
    """
    registry = {lever.name: lever for lever in levers.registry()}
    issues: list[Issue] = []
    axes: dict[str, np.ndarray] = {}
    if not specs:
        issues.append(Issue("--lever", None, "at least one NAME=START:STOP:STEPS"))
    for spec in specs:
        where = f"--lever {spec}"
        m = _SPEC.match(spec)
        if not m:
            issues.append(Issue(where, spec, "NAME=START:STOP:STEPS, e.g. simplification=0.3:0.9:7"))
            continue
        name = m["name"]
        lever = registry.get(name)
        if lever is None:
            issues.append(Issue(where, name, "a lever: one of " + ", ".join(registry)))
            continue
        if name in axes:
            issues.append(Issue(where, name, "each lever at most once"))
            continue
        bounds = f"a share from {lever.min:g} to {lever.max:g} (fraction, e.g. 0.6, or 60%)"
        start, stop = levers.parse_share(m["start"]), levers.parse_share(m["stop"])
        ok = True
        for label, raw, value in (("START", m["start"], start), ("STOP", m["stop"], stop)):
            if value is None or not lever.min - 1e-12 <= value <= lever.max + 1e-12:
                issues.append(Issue(f"{where} {label}", raw.strip(), bounds))
                ok = False
        if ok and start is not None and stop is not None and not start < stop:
            issues.append(Issue(where, f"{m['start'].strip()}:{m['stop'].strip()}", "START below STOP"))
            ok = False
        steps_raw = m["steps"].strip()
        if not steps_raw.isdigit() or not MIN_STEPS <= int(steps_raw) <= MAX_STEPS:
            issues.append(Issue(f"{where} STEPS", steps_raw, f"a whole number from {MIN_STEPS} to {MAX_STEPS}"))
            ok = False
        if ok and start is not None and stop is not None:
            axes[name] = np.round(np.linspace(start, stop, int(steps_raw)), 10)
    if not issues:
        total = math.prod(len(v) for v in axes.values())
        if total > MAX_COMBINATIONS:
            sizes = " × ".join(str(len(v)) for v in axes.values())
            issues.append(
                Issue(
                    "--lever (all)",
                    f"{sizes} = {total:,} combinations",
                    f"at most {MAX_COMBINATIONS:,} combinations (fewer STEPS)",
                )
            )
    if issues:
        raise InputError(issues, context="grid")
    return axes


def combinations(axes: dict[str, np.ndarray]) -> np.ndarray:
    """Cartesian product of the axes, first lever varying slowest: (N, len(axes))."""
    return np.array(list(itertools.product(*axes.values())), dtype=float).reshape(-1, len(axes))


def chunk_size(draws: int, years: int) -> int:
    return int(max(10, min(200, CELLS_PER_CHUNK // max(1, draws * years))))


def sweep_block(
    base: Scenario,
    names: tuple[str, ...],
    block: np.ndarray,
    k: int,
    columns: tuple[str, ...],
    lever_values: bool = False,
) -> list[dict]:
    """The rows of one block of combinations (a task a worker can run): the engine on common draws."""
    from ..engine.result import table_values
    from ..engine.simulate import simulate

    out = simulate(base, targets=block, levers=names)
    stats = table_values(out.arrays, k, columns)
    rows = []
    for s, combo in enumerate(block):
        if lever_values:
            row = {n: float(v) for n, v in zip(levers.names(), out.lever_paths[s, k])}
        else:
            row = {n: float(v) for n, v in zip(names, combo)}
        row.update({m: float(stats[m][s]) for m in columns})
        rows.append(row)
    return rows


def rows_done(progress, sizes: list[int]) -> Callable[[int], None]:
    """``done(n)`` for a mapper: block ``n`` (of ``sizes[n]`` rows) ended, so ``progress(rows done, rows in all)``."""
    done = [0]

    def block_done(n: int) -> None:
        done[0] += sizes[n]
        progress(done[0], sum(sizes))

    return block_done


def sweep(
    base: Scenario,
    axes: dict[str, np.ndarray],
    year: int | None = None,
    chunk: int | None = None,
    columns: tuple[str, ...] = METRICS,
    lever_values: bool = False,
    mapper=None,
    blocks: int | None = None,
    progress=None,
) -> list[dict]:
    """One row per combination of lever targets: {lever: target fraction, ..., columns...}.

    ``base``: the scenario supplying everything else (focal unit, years, other levers, the
    field's fee-waiver adoption, draws, seed); ``axes``: {lever name: target values
    (fractions)}, e.g. from ``parse_specs``; ``year``: the year of the metrics (default the
    base's target_year); ``chunk``: combinations per engine call (memory bound); ``columns``:
    comparison-table columns (``outcomes.table_columns``), default the grid's;
    ``lever_values``: give every lever's value in ``year`` instead of the swept targets;
    ``mapper(fn, [args, ...]) -> [result, ...]``: where the blocks run (e.g. a cluster's workers;
    default here, one after the other), in at least ``blocks`` blocks where there are enough
    combinations. The rows are the same either way;
    ``progress(done, total)``: called after each block (run here, or as a ``mapper``'s blocks end,
    which then takes ``done=``) with the combinations done.
    """
    year = int(base.target_year if year is None else year)
    years = [int(y) for y in base.years]
    if year not in years:
        raise InputError(Issue("--year", year, f"a projected year from {years[0]} to {years[-1]}"), context="grid")
    names = tuple(axes)
    targets = combinations(axes)
    k = years.index(year)
    size = chunk or chunk_size(base.draws, len(years))
    if blocks:
        size = max(1, min(size, -(-len(targets) // blocks)))
    tasks = [(base, names, targets[lo : lo + size], k, columns, lever_values) for lo in range(0, len(targets), size)]
    if mapper is not None and progress is not None:  # each block reported as it ends (Executor.map's done)
        swept = mapper(sweep_block, tasks, done=rows_done(progress, [len(task[2]) for task in tasks]))
    elif mapper is not None:
        swept = mapper(sweep_block, tasks)
    else:
        swept, done = [], 0
        for task in tasks:
            swept.append(sweep_block(*task))
            done += len(task[2])
            if progress is not None:
                progress(done, len(targets))
    return [row for block in swept for row in block]
