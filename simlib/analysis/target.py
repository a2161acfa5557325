"""Target search: the lever settings that reach a goal with a required probability at the least effort.

A goal is a PAR rank (top R) and/or a SIPAS level (≥ s %) in one year, reached
with probability ≥ q. Each lever ramps linearly from today's value to its setting by
that year (as a scenario's plain target does). What the search minimises (``Objective``):

- **cost**, when every lever can be priced for the unit (``engine.costs``: the one-off cost of
  raising each lever, at the central unit costs, plus the fees forgone beyond today's policies
  over the years to the target year, their mean over the draws; bn VND). The answer carries
  the cost's range (low and high unit costs, the fees' 5–95%);
- **effort** otherwise, or when weights are given: the sum of the levers' increases over
  today's values in share points, optionally weighted per lever; the answer says why.

The fees forgone in the target year (bn VND per year, ``cost`` of the surface) are kept within a
budget if one is given. The levers that carry a fee (the online fee waiver) may then also be
lowered, to their minimum; otherwise, and for the other levers, a setting ranges from today's
value to the lever's maximum (a cost search never "saves" by undoing a policy in force).

Every setting is evaluated on the same Monte-Carlo draws (common random numbers), so
the probability moves with the levers as the model says, not with noise. Search:
a coarse grid over all levers in one batched engine call; the least-effort grid point
that reaches the target is refined with SLSQP (scipy.optimize) on a smooth surrogate
of the probability (each draw's indicator replaced by a normal CDF of its margin, with
a bandwidth of a quarter point); the result is checked on the exact Monte-Carlo
probability and, if the surrogate overshot, pulled back toward the grid point until
it holds. When no setting reaches the target, the answer says so, with the best
probability reachable and why (the field's uncertainty, or effects too small).

``search`` and ``tradeoff`` take any *surface* (an object with ``names``, ``current``,
``lower``, ``upper`` and ``evaluate(X)``), so the same code runs on a synthetic
surface with a known answer. The goal and its checks are ``goals``; the engine as a surface,
``surface``; the trade-off between two levers, ``tradeoff``; ``run`` puts them together.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np

from ..engine.result import wilson
from .goals import Goal, check_target
from .surface import DEFAULT_DRAWS, EngineSurface
from .tradeoff import Tradeoff, tradeoff

GRID_POINTS = 5
FD_STEP = 0.01  # share: finite-difference step of the surrogate's gradient
LOWERING_COST = 0.01  # effort of lowering a lever by one share point, relative to raising one


# ----------------------------------------------------------------------------- the search


@dataclass
class Solution:
    """The answer of a target search (shares as fractions; effort in share points)."""

    names: tuple[str, ...]
    current: np.ndarray
    prob: float
    budget: float | None
    draws: int | None  # Monte-Carlo draws behind each probability (None: exact surface)
    reachable: bool
    x: np.ndarray | None = None  # least-effort settings
    effort: float | None = None
    values: dict = dc_field(default_factory=dict)  # p, p_rank, p_sipas, cost at x
    best_x: np.ndarray | None = None  # highest probability within the budget
    best_values: dict = dc_field(default_factory=dict)
    budget_infeasible: bool = False
    evaluations: int = 0
    seconds: float = 0.0
    method: str = ""
    target: Goal | None = None
    diagnosis: dict = dc_field(default_factory=dict)
    labels: dict = dc_field(default_factory=dict)
    tradeoff: Tradeoff | None = None
    objective: str = "effort"  # what was minimised: "cost" (bn VND) or "effort" (share points)
    unknown_costs: dict = dc_field(default_factory=dict)  # lever -> why it cannot be priced (effort then)
    cost: dict = dc_field(default_factory=dict)  # the answer's cost to the city (``cost_of``), when priced
    totals: dict = dc_field(default_factory=dict)  # lever -> the unit's total of procedures (counts)
    first_year: int | None = None  # the first projected year (costs are summed from it to the target year)

    def interval(self, p: float) -> tuple[float, float]:
        return wilson(p, self.draws) if self.draws else (p, p)

    def rows(self, lang: str = "en") -> list[dict]:
        """One row per lever: today's value, the setting found, the increase (in %); for a lever counted
        in procedures with the unit's total, the same as counts (``*_count``, ``total``; else None)."""
        x = self.x if self.reachable else self.best_x
        out = []
        for j, name in enumerate(self.names):
            vi, en = self.labels.get(name, (name, name))
            value = None if x is None else float(x[j])
            total = self.totals.get(name)
            count = lambda share, total=total: None if total is None or share is None else round(share * total)
            out.append(
                {
                    "lever": name,
                    "label": vi if lang == "vi" else en,
                    "current_pct": 100 * float(self.current[j]),
                    "setting_pct": None if value is None else 100 * value,
                    "change_pts": None if value is None else 100 * (value - float(self.current[j])),
                    "total": total,
                    "current_count": count(float(self.current[j])),
                    "setting_count": count(value),
                }
            )
        return out

    def to_dict(self) -> dict:
        """Plain JSON types."""
        f = lambda a: None if a is None else [float(v) for v in a]
        g = lambda d: {k: float(v) for k, v in d.items()}
        t = self.target
        return {
            "target": None if t is None else {"par_rank": t.par_rank, "sipas": t.sipas, "prob": t.prob, "year": t.year},
            "budget_bn_vnd": self.budget,
            "reachable": bool(self.reachable),
            "levers": list(self.names),
            "current": f(self.current),
            "setting": f(self.x),
            "effort_pts": self.effort,
            "values": g(self.values),
            "best_setting": f(self.best_x),
            "best_values": g(self.best_values),
            "budget_infeasible": self.budget_infeasible,
            "draws": self.draws,
            "evaluations": self.evaluations,
            "seconds": round(self.seconds, 3),
            "method": self.method,
            "rows": self.rows("en"),
            "tradeoff": None if self.tradeoff is None else self.tradeoff.to_dict(),
            "objective": self.objective,
            "unknown_costs": dict(self.unknown_costs),
            "cost_bn_vnd": {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.cost.items()},
        }


@dataclass(frozen=True)
class Objective:
    """What a search minimises over settings X (S, L): ``cost`` — the one-off cost of the raises at the
    central unit costs (``per_point``: bn VND per share point) plus the fees forgone beyond today's
    policies (the surface's ``fees_extra``), bn VND — or ``effort``: share points raised, weighted, plus
    LOWERING_COST a point lowered (so a fee lever is lowered only when the budget needs it).
    ``unknown``: why cost could not be used (lever -> reason; "weights" when weights were given)."""

    kind: str
    current: np.ndarray
    weights: np.ndarray
    per_point: np.ndarray | None = None
    unknown: dict = dc_field(default_factory=dict)

    def costs_per_point(self) -> np.ndarray:
        """(L,) bn VND per share point raised; only a ``cost`` objective has them."""
        if self.per_point is None:
            raise ValueError(f"an objective of kind {self.kind!r} has no unit costs")
        return self.per_point

    def value(self, X: np.ndarray, ev: dict) -> np.ndarray:
        X = np.atleast_2d(X)
        if self.kind == "cost":
            raised = 100.0 * np.maximum(X - self.current[None], 0.0)
            return raised @ self.costs_per_point() + np.atleast_1d(ev["fees_extra"])
        return objective(X, self.current, self.weights)

    def gradient(self, x: np.ndarray, grad: dict) -> np.ndarray:
        """The gradient at ``x`` given the surface's gradients ``grad`` (``_Cached.at``)."""
        up = x >= self.current - 1e-12
        if self.kind == "cost":
            return 100.0 * self.costs_per_point() * up + grad["fees_extra"]
        return 100.0 * self.weights * np.where(up, 1.0, -LOWERING_COST)


def objective_for(surface, weights: dict[str, float] | None = None) -> Objective:
    """Cost when the surface prices every lever (``surface.costs`` known) and no weights are given, else effort."""
    names = tuple(surface.names)
    current = np.asarray(surface.current, dtype=float)
    w = np.array([(weights or {}).get(n, 1.0) for n in names])
    model = getattr(surface, "costs", None)
    if weights:
        return Objective("effort", current, w, unknown={"weights": "weights"})
    if model is None:
        return Objective("effort", current, w, unknown={"*": "no_costs"})
    if not model.known:
        return Objective("effort", current, w, unknown=dict(model.unknown))
    return Objective("cost", current, w, per_point=np.nan_to_num(model.per_point[1], nan=0.0))


def cost_of(surface, x: np.ndarray) -> dict:
    """The cost to the city of setting ``x`` (bn VND): one-off (low, central, high), the fees forgone
    beyond today's policies (p05, mean, p95) and the total (low, central, high: low unit costs with the
    fees' p05, central with their mean, high with their p95). {} when the surface cannot price it."""
    model = getattr(surface, "costs", None)
    if model is None or not model.known or not hasattr(surface, "fees_band"):
        return {}
    one_off = tuple(float(v) for v in model.one_off(np.asarray(x)[None], surface.current)[:, 0])
    fees = surface.fees_band(x)
    total = (one_off[0] + fees[0], one_off[1] + fees[1], one_off[2] + fees[2])
    return {"one_off": one_off, "fees": fees, "total": total}


def effort(X: np.ndarray, current: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted sum of the increases over today's values, in share points: (S,)."""
    X = np.atleast_2d(X)
    return 100.0 * (np.maximum(X - current[None], 0.0) * weights[None]).sum(axis=1)


def objective(X: np.ndarray, current: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """What the search minimises: the effort, plus LOWERING_COST of a share point for each point a
    lever is lowered below today's value, so a costly lever is lowered only when the budget needs it."""
    X = np.atleast_2d(X)
    lowered = 100.0 * (np.maximum(current[None] - X, 0.0) * weights[None]).sum(axis=1)
    return effort(X, current, weights) + LOWERING_COST * lowered


def grid(lower: np.ndarray, upper: np.ndarray, points: int = GRID_POINTS) -> np.ndarray:
    axes = [np.unique(np.linspace(lo, hi, points)) for lo, hi in zip(lower, upper)]
    return np.array(list(itertools.product(*axes)), dtype=float)


class _Cached:
    """Surface values and forward-difference gradients at a point, one batched call per point."""

    def __init__(self, surface, lower, upper):
        self.surface, self.lower, self.upper = surface, lower, upper
        self.key, self.value, self.grad = None, None, None

    def at(self, x: np.ndarray):
        x = np.clip(np.asarray(x, dtype=float), self.lower, self.upper)
        key = tuple(np.round(x, 12))
        if key != self.key:
            L = len(x)
            h = np.where(x + FD_STEP <= self.upper, FD_STEP, -FD_STEP)
            X = np.repeat(x[None], L + 1, axis=0)
            X[1:] += np.diag(h)
            ev = self.surface.evaluate(X)
            self.key = key
            self.value = {k: float(v[0]) for k, v in ev.items()}
            self.grad = {k: (v[1:] - v[0]) / h for k, v in ev.items()}
        return self.value, self.grad


def _within(ev: dict, prob: float, budget: float | None) -> np.ndarray:
    ok = ev["p"] >= prob
    return ok & (ev["cost"] <= budget + 1e-9) if budget is not None else ok


def search(
    surface,
    prob: float,
    budget: float | None = None,
    weights: dict[str, float] | None = None,
    grid_points: int = GRID_POINTS,
    target: Goal | None = None,
) -> Solution:
    """The least-effort lever settings with P(goal) ≥ ``prob`` and cost ≤ ``budget``.

    Three steps: a coarse grid over every lever (``grid``); if no grid point reaches the goal, a
    climb of the smooth surrogate from the best one (``_climb``); from the least-effort point that
    reaches it, a refinement on the surrogate checked on the exact probability (``_refine``).
    """
    started = time.perf_counter()
    names = tuple(surface.names)
    current, lower, upper = (np.asarray(a, dtype=float) for a in (surface.current, surface.lower, surface.upper))
    w = np.array([(weights or {}).get(n, 1.0) for n in names])
    goal = objective_for(surface, weights)
    if budget is None:  # lowering a fee lever only to meet a budget
        lower = np.maximum(lower, np.minimum(current, upper))
    sol = Solution(
        names,
        current,
        prob,
        budget,
        getattr(surface, "draws", None),
        False,
        target=target,
        labels=getattr(surface, "labels", {}),
        objective=goal.kind,
        unknown_costs=dict(goal.unknown),
        totals=dict(getattr(surface, "totals", {})),
        first_year=int(surface.years[0]) if hasattr(surface, "years") else None,
    )
    G = np.vstack([grid(lower, upper, grid_points), current[None], upper[None]])
    ev = surface.evaluate(G)
    sol.evaluations = len(G)
    affordable = ev["cost"] <= budget + 1e-9 if budget is not None else np.ones(len(G), dtype=bool)
    if not affordable.any():
        i = int(np.argmin(ev["cost"]))
        sol.budget_infeasible = True
        sol.best_x, sol.best_values = G[i], _at(ev, i)
        sol.seconds, sol.method = time.perf_counter() - started, "grid"
        return sol
    i_best = int(np.argmax(np.where(affordable, ev["p"] + 1e-6 * ev["p_smooth"], -np.inf)))
    sol.best_x, sol.best_values, sol.method = G[i_best], _at(ev, i_best), "grid"
    cache = _Cached(surface, lower, upper)
    cons_cost = _budget_constraint(cache, budget)
    ok = _within(ev, prob, budget)
    if not ok.any():  # is the goal reachable off the grid?
        sol.evaluations += _climb(sol, surface, cache, cons_cost)
        if sol.best_values["p"] >= prob:
            G, ev = np.vstack([G, sol.best_x[None]]), {k: np.r_[v, sol.best_values[k]] for k, v in ev.items()}
            ok = _within(ev, prob, budget)
    if ok.any():
        e = np.where(ok, goal.value(G, ev), np.inf)
        i0 = int(np.argmin(e))
        best = (float(e[i0]), G[i0], _at(ev, i0))
        if not np.allclose(best[1], current):
            refined, n_eval = _refine(surface, cache, cons_cost, best[1], goal, prob, budget)
            sol.evaluations += n_eval
            if refined is not None:
                best = min(best, refined, key=lambda c: c[0])
                sol.method = "grid + SLSQP"
        _, sol.x, sol.values = best
        sol.reachable = True
        sol.effort = float(effort(sol.x, current, w)[0])
    answer = sol.x if sol.reachable else sol.best_x
    if answer is not None:
        sol.cost = cost_of(surface, answer)
    sol.evaluations = getattr(surface, "evaluations", sol.evaluations)
    if not sol.reachable and hasattr(surface, "diagnose"):
        sol.diagnosis = surface.diagnose(sol.best_x)
    sol.seconds = time.perf_counter() - started
    return sol


def _at(ev: dict, i: int) -> dict:
    """The surface's values at row ``i`` as plain floats."""
    return {k: float(v[i]) for k, v in ev.items()}


def _budget_constraint(cache: _Cached, budget: float | None) -> list[dict]:
    """SLSQP's inequality constraint keeping the fees forgone within ``budget`` (none without one)."""
    if budget is None:
        return []
    return [
        {
            "type": "ineq",
            "fun": lambda x: (budget - cache.at(x)[0]["cost"]) / max(budget, 1.0),
            "jac": lambda x: -cache.at(x)[1]["cost"] / max(budget, 1.0),
        }
    ]


def _climb(sol: Solution, surface, cache: _Cached, cons_cost: list[dict]) -> int:
    """Climb the smooth surrogate from the best grid point; keep the end point in ``sol.best_*`` if its
    exact probability is higher (and it is affordable). Returns the evaluations made."""
    from scipy.optimize import minimize

    lower, upper = cache.lower, cache.upper
    res = minimize(
        lambda x: -100 * cache.at(x)[0]["p_smooth"],
        sol.best_x,
        jac=lambda x: -100 * cache.at(x)[1]["p_smooth"],
        method="SLSQP",
        bounds=list(zip(lower, upper)),
        constraints=cons_cost,
        options={"maxiter": 60, "ftol": 1e-6},
    )
    x = np.clip(res.x, lower, upper)
    check = surface.evaluate(x[None])
    affordable = sol.budget is None or check["cost"][0] <= sol.budget + 1e-9
    if check["p"][0] > sol.best_values["p"] and affordable:
        sol.best_x, sol.best_values, sol.method = x, _at(check, 0), "grid + SLSQP"
    return 1


def _refine(
    surface,
    cache: _Cached,
    cons_cost: list[dict],
    x0: np.ndarray,
    goal: Objective,
    prob: float,
    budget: float | None,
):
    """The least objective on the surrogate from ``x0`` (a reaching point), then checked on the exact
    probability: walk from the refined point back toward ``x0`` until it holds (21 steps, then 21 finer
    steps inside the first step that holds). Returns ((objective, x, values) or None, evaluations made)."""
    from scipy.optimize import minimize

    lower, upper = cache.lower, cache.upper
    cons = [
        {
            "type": "ineq",
            "fun": lambda x: 100 * (cache.at(x)[0]["p_smooth"] - prob),
            "jac": lambda x: 100 * cache.at(x)[1]["p_smooth"],
        }
    ] + cons_cost
    res = minimize(
        lambda x: float(goal.value(x, cache.at(x)[0])[0]),
        x0,
        jac=lambda x: goal.gradient(x, cache.at(x)[1]),
        method="SLSQP",
        bounds=list(zip(lower, upper)),
        constraints=cons,
        options={"maxiter": 100, "ftol": 1e-4},
    )
    xr = np.clip(res.x, lower, upper)
    t_lo, t_hi, found, n_eval = 0.0, 1.0, None, 0
    for _ in range(2):
        ts = np.linspace(t_lo, t_hi, 21)
        line = xr[None] + ts[:, None] * (x0 - xr)[None]
        lev = surface.evaluate(line)
        n_eval += len(line)
        good = np.flatnonzero(_within(lev, prob, budget))
        if not good.size:
            break
        j = int(good[0])
        found = (float(goal.value(line[j], _at(lev, j))[0]), line[j], _at(lev, j))
        if j == 0:
            break
        t_lo, t_hi = ts[j - 1], ts[j]
    return found, n_eval


# ----------------------------------------------------------------------------- one call for the CLI and notebooks


def run(
    par_rank=None,
    prob=None,
    sipas=None,
    year=2027,
    budget=None,
    focal: str = "ha-noi",
    draws: int = DEFAULT_DRAWS,
    seed: int = 2024,
    weights: str | None = None,
    along: str = "delegation",
    solve_for: str = "simplification",
    baseline_year: int | None = None,
    horizon: int = 2030,
    others_fee_waiver_share: float = 0.0,
    others_fee_waiver_year: int = 2025,
    progress=None,
    cost_overrides: dict | None = None,
) -> Solution:
    """Validate, search, and attach the trade-off curve between ``along`` and ``solve_for``.

    ``progress(done, total)`` is called after each engine call with the lever settings of that
    batch evaluated so far (the search's grid is the long batch). ``cost_overrides``: the planner's
    own unit costs ({key: (low, central, high)}, as a scenario's ``costs``)."""
    target, budget, w = check_target(par_rank, prob, sipas, year, budget, focal, baseline_year, horizon, weights, draws)
    surface = EngineSurface(
        target,
        focal,
        draws,
        seed,
        baseline_year,
        others_fee_waiver_share,
        others_fee_waiver_year,
        progress=progress,
        cost_overrides=cost_overrides,
    )
    started = time.perf_counter()
    sol = search(surface, target.prob, budget, w, target=target)
    hold = sol.x if sol.reachable else sol.best_x
    sol.tradeoff = tradeoff(surface, target.prob, budget, along, solve_for, hold)
    sol.evaluations = surface.evaluations
    sol.seconds = time.perf_counter() - started
    return sol
