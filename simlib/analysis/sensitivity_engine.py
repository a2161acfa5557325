"""The simulation engine as a sensitivity analysis's evaluation function (``EngineEvaluator``): one outcome
per sample row (lever targets and parameter values), rows batched into engine calls that compute nothing
twice (``plan_calls``), the field re-projected under each row's field factors on the same innovations as
``field.project`` (``reproject``)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..engine import data, field
from ..engine.simulate import context_of, lever_paths_from_targets, simulate
from .sensitivity_factors import FIELD_FACTORS, Factor

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

DEFAULT_FIELD_DRAWS = 64


# ----------------------------------------------------------------------------- the field, re-projected


def innovations(index: str, baseline_year: int, last_year: int, draws: int, seed: int) -> field.Innovations:
    """The draws ``field.project(index, baseline_year, last_year, draws, seed)`` uses."""
    return field.innovations(index, baseline_year, last_year, draws, seed)


def reproject(
    inn: field.Innovations,
    continuation: np.ndarray,
    persistence_prior: np.ndarray | None = None,
    trend_prior: np.ndarray | None = None,
) -> list[np.ndarray]:
    """Scores per year (m·D, units) for m settings of the field's assumptions on the same draws.

    ``continuation`` (m, D) or (m, 1); ``persistence_prior``, ``trend_prior`` (m, 1) or None
    (the table's value). Row block i of the result belongs to setting i. A persistence prior
    moves the fitted persistence by its weight in the fit (prior precision over posterior
    precision); a trend prior matters only where the trend was not estimated.
    """
    f = inn.fit
    m = continuation.shape[0]
    trend_mean: float | np.ndarray = f.trend
    if trend_prior is not None and f.trend_from.startswith("prior"):
        trend_mean = trend_prior
    trend = trend_mean * continuation + f.trend_sd * inn.z_trend[None]  # (m, D)
    mean_phi: float | np.ndarray = f.persistence
    if persistence_prior is not None:
        pp = next(r for r in data.load().parameters if r["name"] == "persistence_prior")
        weight = (f.persistence_sd / float(pp["p2"])) ** 2
        mean_phi = np.clip(f.persistence + weight * (persistence_prior - float(pp["p1"])), 0.0, 1.0)
    phi = np.clip(mean_phi + f.persistence_sd * inn.z_phi[None], 0.0, 1.0)  # (m, D)
    return [
        np.broadcast_to(scores, (m,) + scores.shape[1:]).reshape(m * scores.shape[1], -1)
        for scores in field.evolve(inn, trend, phi)
    ]


# ----------------------------------------------------------------------------- the engine as an evaluation function


class EngineEvaluator:
    """``evaluate_rows`` for the simulation engine: one outcome per (lever targets, parameters) row.

    Each row runs on ``field_draws`` common draws; the row's outcome is their mean
    (``par_rank``: mean rank; ``sipas_pct``: mean SIPAS %; ``p_par_top3``: share of draws
    with rank ≤ 3). Rows are grouped into ``simulate`` calls by ``plan_calls``.
    """

    def __init__(
        self,
        scenario: Scenario,
        factors: list[Factor],
        outcome: str = "par_rank",
        year: int | None = None,
        field_draws: int = DEFAULT_FIELD_DRAWS,
        seed: int | None = None,
        progress=None,
    ):
        self.scenario = scenario
        self.progress = progress  # progress(rows done, rows of this call), after each engine call
        self.factors = factors
        self.outcome = outcome
        self.year = int(scenario.target_year if year is None else year)
        self.draws = int(field_draws)
        self.seed = int(scenario.seed if seed is None else seed)
        years = [int(y) for y in scenario.years]
        self.k = years.index(self.year)
        self.years = np.array(years[: self.k + 1])
        self.base = replace(scenario, draws=self.draws, seed=self.seed)
        self.ctx = context_of(self.base)
        self.lever_cols = [(j, f.name) for j, f in enumerate(factors) if f.kind == "lever"]
        self.param_cols = [(j, f.name) for j, f in enumerate(factors) if f.kind == "parameter"]
        self.innovations = {
            ix: innovations(ix, scenario.baseline_year, int(self.years[-1]), self.draws, self.seed)
            for ix in data.INDICES
        }
        self.calls = 0

    def paths(self, X: np.ndarray) -> np.ndarray:
        """Lever paths (S, T', L) of sample rows X (S, factors): the scenario's, with the factor levers
        ramped to the rows' targets by the scenario's target year (``simulate.lever_paths_from_targets``)."""
        targets = np.asarray(X, dtype=float)[:, [j for j, _ in self.lever_cols]]
        names = tuple(name for _, name in self.lever_cols)
        return lever_paths_from_targets(self.base, targets, names)[:, : self.k + 1]

    def block_context(self, P: np.ndarray):
        """A context for m parameter rows stacked along the draw axis (the rows' parameter values in
        place of the parameter draws, the field re-projected under the rows' field factors)."""
        m, D = len(P), self.draws
        values = {name: P[:, j] for j, name in self.param_cols}
        p = {}
        for name, draws in self.ctx.p.items():
            p[name] = np.repeat(values[name], D) if name in values else np.tile(draws, m)
        # the field depends only on the field factors: project each distinct setting once
        field_names = [n for n in FIELD_FACTORS if n in values]
        if field_names:
            settings, which = np.unique(np.stack([values[n] for n in field_names], axis=1), axis=0, return_inverse=True)
            which = np.asarray(which).reshape(-1)
        else:
            settings, which = np.zeros((1, 0)), np.zeros(m, dtype=int)
        col = lambda name: settings[:, [field_names.index(name)]] if name in field_names else None
        u = len(settings)
        fields = {}
        for ix, inn in self.innovations.items():
            cont = col("trend_continuation")
            if cont is None:  # not a factor: every row keeps the per-draw values of the table's prior
                cont = np.broadcast_to(inn.continuation[None], (u, D))
            scores = reproject(inn, cont, col("persistence_prior"), col(f"{ix.lower()}_trend_prior"))
            if u != m or u > 1:
                scores = [sc.reshape(u, D, -1)[which].reshape(m * D, -1) for sc in scores]
            fields[ix] = field.ProjectedField(
                ix,
                inn.baseline_year,
                tuple(int(y) for y in self.years),
                inn.slugs[: len(scores)],
                tuple(scores),
                inn.base,
                inn.fit,
            )
        return self.ctx.with_field(fields, p)

    def outcome_of(self, values: np.ndarray) -> np.ndarray:
        """The row outcome from per-draw values (..., D) at the outcome year: mean or share in the top 3."""
        if self.outcome == "p_par_top3":
            return (values <= 3).mean(axis=-1)
        return values.mean(axis=-1)

    def metric(self, out) -> np.ndarray:
        return out.arrays["sipas_pct" if self.outcome == "sipas_pct" else "par_rank"][:, :, self.k]

    def __call__(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        Y = np.full(len(X), np.nan)
        lever_j = [j for j, _ in self.lever_cols]
        param_j = [j for j, _ in self.param_cols]
        lever_id = _ids(X[:, lever_j])
        param_id = _ids(X[:, param_j])
        done = 0
        for kind, rows in plan_calls(lever_id, param_id):
            if kind == "levers":  # one parameter setting, several lever settings: S paths, m = 1
                ids, slot = np.unique(lever_id[rows], return_inverse=True)
                first = [rows[np.flatnonzero(slot == i)[0]] for i in range(len(ids))]
                out = simulate(self.base, self.paths(X[first]), context=self.block_context(X[rows[:1]]))
                Y[rows] = self.outcome_of(self.metric(out))[np.asarray(slot).reshape(-1)]  # (S, D) → rows
            else:  # one lever setting, m parameter settings stacked along the draw axis
                out = simulate(self.base, self.paths(X[rows[:1]]), context=self.block_context(X[rows]))
                Y[rows] = self.outcome_of(self.metric(out)[0].reshape(len(rows), self.draws))
            self.calls += 1
            done += len(rows)
            if self.progress is not None:
                self.progress(done, len(X))
        return Y


def _ids(columns: np.ndarray) -> np.ndarray:
    """An integer id per row: equal rows (exactly) get equal ids."""
    if columns.shape[1] == 0:
        return np.zeros(len(columns), dtype=int)
    return np.asarray(np.unique(columns, axis=0, return_inverse=True)[1]).reshape(-1)


def plan_calls(lever_id: np.ndarray, param_id: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Split rows into engine calls that compute no cell twice and none in vain.

    A parameter setting shared by rows with two or more lever settings becomes one
    call over those lever paths ("levers"); the remaining rows are grouped by lever
    setting, their parameter settings stacked along the draw axis ("params"). In a
    Saltelli design this is three calls per base row: A with the rows that change one
    of A's levers; the rows that change one of A's parameters; B.
    """
    calls, done = [], np.zeros(len(lever_id), dtype=bool)
    order = np.argsort(param_id, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(param_id[order]) != 0, True])
    for a, b in zip(bounds[:-1], bounds[1:]):
        rows = order[a:b]
        if len(np.unique(lever_id[rows])) >= 2:
            calls.append(("levers", rows))
            done[rows] = True
    rest = np.flatnonzero(~done)
    if not len(rest):  # every row went into a "levers" call
        return calls
    order = rest[np.argsort(lever_id[rest], kind="stable")]
    bounds = np.flatnonzero(np.r_[True, np.diff(lever_id[order]) != 0, True])
    calls.extend(("params", order[a:b]) for a, b in zip(bounds[:-1], bounds[1:]))
    return calls
