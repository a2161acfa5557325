"""The one door into the engine: lever settings in, declared outcomes out, on common random numbers.

Every caller — projections, reports, comparisons, grids, sensitivity, target search, the panel,
calibration — goes through ``simulate``. It takes a base scenario (focal unit, years, draws, seed,
what the other units do) and either that scenario's own lever paths, a stack of lever paths, or a
matrix of lever targets ramped by the one ramp formula (``levers.ramp``); plus optional overrides
of the parameter draws and of the field assumption. All settings of one call share every random
draw, so differences between them are the levers', not noise's.

    >>> out = simulate(scenario)                                  # one setting
    >>> out = simulate(base, targets=np.array([[0.6, 0.5]]), levers=("simplification", "delegation"))
    >>> out.arrays["par_rank"].shape                               # (settings, draws, years)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import levers as levers_mod
from . import projection
from .errors import DataError, Issue, short
from .result import Result

if TYPE_CHECKING:
    from .scenario import Scenario


@dataclass(frozen=True)
class FieldAssumption:
    """What the other units do: the share of them copying the zero online fee, and from when."""

    others_fee_waiver_share: float = 0.0  # fraction 0–1 of the other units
    others_fee_waiver_year: int = 2025

    @classmethod
    def of(cls, scenario: Scenario) -> FieldAssumption:
        return cls(float(scenario.others_fee_waiver_share), int(scenario.others_fee_waiver_year))


@dataclass
class Outcomes:
    """The declared outcomes of S lever settings on one draw set.

    ``arrays``: outcome name → (S, D, T) draws (``sipas_elements`` is (S, D, T, E));
    ``lever_paths`` (S, T, L) fractions; ``current`` (L,) the unit's lever values today.
    """

    base: Scenario
    years: np.ndarray  # (T,)
    n_units: np.ndarray  # (T,) units ranked each year
    arrays: dict
    lever_paths: np.ndarray  # (S, T, L)
    current: np.ndarray  # (L,)
    field: FieldAssumption

    def __len__(self) -> int:
        return self.lever_paths.shape[0]

    def result(self, i: int = 0, scenario: Scenario | None = None) -> Result:
        """Setting ``i`` as a Result (``scenario`` names it; default: the base scenario)."""
        return Result(
            self.base if scenario is None else scenario,
            self.years,
            self.n_units,
            {k: v[i] for k, v in self.arrays.items()},
            self.lever_paths[i],
            self.current,
        )

    def year_index(self, year: int) -> int:
        hits = np.flatnonzero(self.years == int(year))
        if not len(hits):
            raise KeyError(f"year {year} is not projected ({int(self.years[0])}–{int(self.years[-1])})")
        return int(hits[0])


def lever_paths_from_targets(
    base: Scenario, targets: np.ndarray, names: tuple[str, ...], year: int | None = None
) -> np.ndarray:
    """Lever paths (S, T, L): the base scenario's, with the levers ``names`` ramped to ``targets``.

    ``targets`` (S, len(names)) fractions reached by ``year`` (default: the base's target year),
    from the unit's current value, by the one ramp formula ``levers.ramp``.
    """
    targets = np.atleast_2d(np.asarray(targets, dtype=float))
    base_paths = base.lever_paths()
    out = np.broadcast_to(base_paths, (len(targets),) + base_paths.shape).copy()
    all_names = levers_mod.names()
    current = base.current()
    when = int(base.target_year if year is None else year)
    for col, name in enumerate(names):
        j = all_names.index(name)
        out[:, :, j] = levers_mod.ramp(current[name].value, targets[:, col, None], base.years, when)
    return out


def context_of(base: Scenario) -> projection.Context:
    """The lever-independent draws of a base scenario (field, reconstruction, parameters), cached per
    process: shared by every scenario with the same focal unit, years, draws and seed.

    A caller that needs another starting point or other field draws derives a new context from it
    (``Context.with_start``, ``Context.with_field``) and passes it to ``simulate(..., context=)``.
    """
    return projection.context(base.focal, base.baseline_year, base.horizon, base.draws, base.seed)


def others(base: Scenario, index: str, context: projection.Context | None = None) -> list[np.ndarray]:
    """The other units' scores per projected year, (D, units − 1) each, under the base scenario's
    assumption about what they do (their fee-waiver adoption)."""
    ctx = context_of(base) if context is None else context
    fa = FieldAssumption.of(base)
    return ctx.others(index, fa.others_fee_waiver_share, fa.others_fee_waiver_year)


def simulate(
    base: Scenario,
    paths: np.ndarray | None = None,
    *,
    targets: np.ndarray | None = None,
    levers: tuple[str, ...] = (),
    year: int | None = None,
    params: dict | None = None,
    field: FieldAssumption | None = None,
    context: projection.Context | None = None,
) -> Outcomes:
    """Declared outcomes for lever settings on the base scenario's common random numbers.

    Parameters
    ----------
    base : Scenario
        Focal unit, baseline year, horizon, draws, seed and (unless ``field`` is given) the
        other units' fee-waiver assumption.
    paths : array (S, T, L) or (T, L), optional
        Lever values per projected year (fractions). Default: the base scenario's own paths.
    targets, levers, year : optional
        Instead of ``paths``: a matrix (S, len(levers)) of targets for the named levers, reached
        by ``year`` (default the base's target year) on the one ramp; other levers follow the base.
    params : dict, optional
        Parameter draws to override: name → (D,) array or a scalar.
    field : FieldAssumption, optional
        What the other units do (default: the base scenario's assumption).
    context : projection.Context, optional
        A prepared lever-independent context (e.g. a re-projected field for sensitivity analysis);
        default: the cached one of the base scenario.
    """
    if paths is not None and targets is not None:
        raise TypeError("give paths or targets, not both")
    if targets is not None:
        paths = lever_paths_from_targets(base, targets, tuple(levers), year)
    elif paths is None:
        paths = base.lever_paths()
    paths = np.asarray(paths, dtype=float)
    if paths.ndim == 2:
        paths = paths[None]
    ctx = context if context is not None else context_of(base)
    fa = FieldAssumption.of(base) if field is None else field
    p = ctx.p
    if params:
        p = dict(p)
        for name, value in params.items():
            if name not in p:
                raise KeyError(f"unknown parameter {short(name)}")
            p[name] = np.broadcast_to(np.asarray(value, dtype=float), p[name].shape)
    arrays = projection.outcome_arrays(ctx, paths, fa.others_fee_waiver_share, fa.others_fee_waiver_year, p=p)
    check_finite(arrays)
    return Outcomes(base, ctx.years, projection.n_units(ctx.years), arrays, paths, ctx.current, fa)


def check_finite(arrays: dict) -> None:
    """A DataError naming every outcome with a NaN or infinite draw: never shown as a blank or
    ranked as if it were a number (a NaN score compares as neither better nor worse)."""
    issues = []
    for name, values in arrays.items():
        values = np.asarray(values)
        if values.dtype.kind != "f":
            continue
        bad = int(values.size - np.count_nonzero(np.isfinite(values)))
        if bad:
            issues.append(
                Issue(
                    f"model output {name}",
                    f"{bad} of {values.size} values not finite (NaN or inf)",
                    "finite numbers: check data/parameters.csv (a prior so wide that draws overflow?)",
                )
            )
    if issues:
        raise DataError(issues, context="model output")


def crn_key(scenario: Scenario) -> tuple:
    """What two scenarios must share to be evaluated on the same draws."""
    return (
        scenario.focal,
        scenario.baseline_year,
        scenario.horizon,
        scenario.draws,
        scenario.seed,
        FieldAssumption.of(scenario),
    )


def run_many(scenarios: list[Scenario]) -> list[Result]:
    """One Result per scenario; scenarios sharing their draws and field are evaluated in one call."""
    groups: dict[tuple, list[int]] = {}
    for i, s in enumerate(scenarios):
        groups.setdefault(crn_key(s), []).append(i)
    results: list[Result | None] = [None] * len(scenarios)
    for members in groups.values():
        first = scenarios[members[0]]
        out = simulate(first, np.stack([scenarios[i].lever_paths() for i in members]))
        for slot, i in enumerate(members):
            results[i] = out.result(slot, scenarios[i])
    return [r for r in results if r is not None]  # every one was set: each scenario is in one group


def run(scenario: Scenario) -> Result:
    """Project one scenario."""
    return run_many([scenario])[0]
