"""Target search: the lever settings that reach a goal with a required probability at the least effort.

A goal is a PAR rank (top R) and/or a SIPAS level (≥ s %) in one year, reached
with probability ≥ q. Each lever ramps linearly from today's value to its setting by
that year (as a scenario's plain target does). Effort is the sum of the levers'
increases over today's values in share points, optionally weighted per lever; cost
is the mean fee revenue forgone in the target year (bn VND per year), kept within a
budget if one is given. The levers that carry a cost (the online fee waiver) may also
be lowered, to their minimum, at no effort; the others range from today's value to
their maximum.

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
surface with a known answer.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np

from ..engine import data, levers
from ..engine.errors import InputError, Issue
from ..engine.result import wilson
from ..engine.stats import band, median

BANDWIDTH = 0.25  # points of PAR / SIPAS: width of the smooth indicator of the surrogate
GRID_POINTS = 5
DEFAULT_DRAWS = 1000
FD_STEP = 0.01  # share: finite-difference step of the surrogate's gradient
LOWERING_COST = 0.01  # effort of lowering a lever by one share point, relative to raising one
CHUNK_CELLS = 1_500_000  # (settings × draws) per engine call
# Peak memory of a search, an upper estimate: measured with /usr/bin/time (maximum resident set) at 340 MB
# for 1,000 draws, 442 MB for 5,000, 510 MB for 20,000 and 866 MB for 100,000 once settings are summarised
# engine call by engine call (before: 668 MB for 5,000, 1.67 GB for 20,000, killed at 5 GB for 100,000). An engine call holds at most CHUNK_CELLS settings ×
# draws, so what grows with the draws is the field's draws and one setting's arrays.
FIXED_BYTES = 450_000_000
BYTES_PER_DRAW = 12_000


def memory_estimate(draws: int) -> int:
    """Bytes of memory a target search with ``draws`` Monte-Carlo draws needs at its peak (upper estimate)."""
    return FIXED_BYTES + BYTES_PER_DRAW * int(draws)


def draws_that_fit(available: int, share: float = 0.8) -> int:
    """The most draws whose search fits in ``share`` of ``available`` bytes (at least 0)."""
    return max(0, int((share * available - FIXED_BYTES) // BYTES_PER_DRAW))


# ----------------------------------------------------------------------------- the goal


@dataclass(frozen=True)
class Goal:
    """What a planner asks the search for: PAR rank ≤ ``par_rank`` and/or SIPAS ≥ ``sipas`` % in ``year``,
    with probability ≥ ``prob``. (A lever's *target* is the value it reaches; a goal is the outcome sought.)"""

    prob: float
    year: int
    par_rank: int | None = None
    sipas: float | None = None


def _number(text, integer: bool = False):
    if text is None:
        return None
    try:
        x = float(str(text).strip().rstrip("%"))
    except ValueError:
        return "bad"
    if not math.isfinite(x) or (integer and not x.is_integer()):
        return "bad"
    return int(x) if integer else x


def parse_weights(text: str | None) -> tuple[dict[str, float], list[Issue]]:
    """``'simplification=1,delegation=2'`` (or ``:`` for ``=``) → {lever: weight}; every problem as an Issue."""
    if not text:
        return {}, []
    out, issues = {}, []
    names = levers.names()
    for item in str(text).split(","):
        name, _, value = item.replace(":", "=").partition("=")
        name = name.strip()
        w = _number(value) if value.strip() else "bad"
        if name not in names:
            issues.append(Issue("--weights", item.strip(), "lever=weight pairs, lever one of " + ", ".join(names)))
        elif w == "bad" or w is None or w <= 0:
            issues.append(Issue(f"--weights {name}", value.strip(), "a positive number (effort per share point)"))
        else:
            out[name] = float(w)
    return out, issues


def check_target(
    par_rank=None,
    prob=None,
    sipas=None,
    year=None,
    budget=None,
    focal: str = "ha-noi",
    baseline_year: int = 2024,
    horizon: int = 2030,
    weights: str | None = None,
    draws=None,
) -> tuple[Goal, float | None, dict[str, float]]:
    """Validate the options of a target search, reporting every problem at once.

    Returns (Goal, budget or None, weights). Options may be given as text (command
    line) or numbers.
    """
    issues: list[Issue] = []
    ds = data.load()
    y = _number(year if year is not None else 2027, integer=True)
    first = baseline_year + 1
    year_issue = None
    if y == "bad" or not first <= y <= horizon:
        year_issue = Issue("--year", year, f"a projected year from {first} to {horizon}")
        y = None
    n_units = len(ds.units_in(y)) if y is not None else len(ds.units)
    r = _number(par_rank, integer=True)
    if r == "bad" or (r is not None and not 1 <= r <= n_units):
        issues.append(
            Issue(
                "--par-rank",
                par_rank,
                f"a whole-number rank from 1 to {n_units} (units ranked in {y or 'the target year'})",
            )
        )
        r = None
    q = _number(prob)
    if prob is None:
        issues.append(Issue("--prob", None, "a probability strictly between 0 and 1, e.g. 0.8"))
    elif q == "bad" or not 0 < q < 1:
        issues.append(Issue("--prob", prob, "a probability strictly between 0 and 1, e.g. 0.8"))
    s = _number(sipas)
    if s == "bad" or (s is not None and not 0 <= s <= 100):
        issues.append(Issue("--sipas", sipas, "a SIPAS level in % from 0 to 100, e.g. 86"))
    if year_issue is not None:
        issues.append(year_issue)
    if par_rank is None and sipas is None:
        issues.append(Issue("--par-rank / --sipas", None, "at least one target: a PAR rank and/or a SIPAS level"))
    b = _number(budget)
    if b == "bad" or (b is not None and b < 0):
        issues.append(Issue("--budget", budget, "fees forgone allowed, bn VND per year: a number ≥ 0"))
    if focal not in ds.units:
        issues.append(Issue("--focal", focal, "a 2025 unit slug, one of " + ", ".join(sorted(ds.units))))
    if draws is not None and not (isinstance(draws, int) and 10 <= draws <= 100_000):
        issues.append(Issue("--draws", draws, "a whole number from 10 to 100000"))
    w, w_issues = parse_weights(weights)
    issues.extend(w_issues)
    if issues:
        raise InputError(issues, context="target")
    return Goal(float(q), int(y), r, None if s is None else float(s)), (None if b is None else float(b)), w


# ----------------------------------------------------------------------------- the engine as a surface


class EngineSurface:
    """The simulation engine seen as a function of the lever settings (fractions, one per lever).

    ``evaluate(X)`` (S, L) → dict of (S,) arrays: ``p`` (exact Monte-Carlo probability of
    the target), ``p_smooth`` (its smooth surrogate), ``cost`` (mean fees forgone, bn VND
    per year, target year), ``p_rank`` and ``p_sipas`` (each target alone).
    """

    def __init__(
        self,
        target: Goal,
        focal: str = "ha-noi",
        draws: int = DEFAULT_DRAWS,
        seed: int = 2024,
        baseline_year: int = 2024,
        others_fee_waiver_share: float = 0.0,
        others_fee_waiver_year: int = 2025,
        bandwidth: float = BANDWIDTH,
        progress=None,
    ):
        from ..engine.scenario import Scenario
        from ..engine.simulate import context_of, others

        self.target = target
        self.focal = focal
        # a horizon at the target year gives the same draws for that year as any later horizon
        self.base = Scenario(
            name="target_search",
            focal=focal,
            baseline_year=baseline_year,
            horizon=target.year,
            target_year=target.year,
            others_fee_waiver_share=float(others_fee_waiver_share),
            others_fee_waiver_year=int(others_fee_waiver_year),
            draws=int(draws),
            seed=int(seed),
        )
        ctx = context_of(self.base)
        self.years = np.asarray(ctx.years)
        self.k = len(self.years) - 1
        self.names = levers.names()
        registry = levers.registry()
        self.labels = {lv.name: (lv.label_vi, lv.label_en) for lv in registry}
        self.current = np.asarray(ctx.current, dtype=float)
        # a lever whose setting costs money (fee_cost in data/levers.csv) may be lowered; the others only raised
        self.lower = np.array([lv.min if lv.fee_cost else c for lv, c in zip(registry, self.current)])
        self.upper = np.array([lv.max for lv in registry])
        self.lower = np.minimum(self.lower, self.upper)
        self.bandwidth = bandwidth
        field_others = others(self.base, "PAR", ctx)[self.k]
        r = target.par_rank
        self.kth = None
        if r is not None and r <= field_others.shape[1]:
            self.kth = -np.partition(-field_others, r - 1, axis=1)[:, r - 1]  # the r-th best other unit (D,)
        self.draws = ctx.draws
        self.evaluations = 0
        self.progress = progress  # progress(done, total) after each engine call: settings of this batch

    def chunk(self) -> int:
        """Settings per engine call: ``CHUNK_CELLS`` settings × draws, at least one setting."""
        return max(1, CHUNK_CELLS // (self.draws * len(self.years)))

    def _parts(self, X: np.ndarray):
        """Per-draw PAR score, rank and SIPAS in the target year, and fees forgone, (S, D) each, for one
        engine call's settings of ``X`` at a time (so memory does not grow with the number of settings)."""
        from ..engine.simulate import simulate

        X = np.atleast_2d(np.asarray(X, dtype=float))
        chunk = self.chunk()
        for lo in range(0, len(X), chunk):
            out = simulate(self.base, targets=X[lo : lo + chunk], levers=self.names).arrays
            yield {
                "par": out["par_score"][:, :, self.k],
                "rank": out["par_rank"][:, :, self.k],
                "sipas": out["sipas_pct"][:, :, self.k],
                "fee": out["fee_forgone_bn_vnd"][:, :, self.k],
            }
            del out
            if self.progress is not None:
                self.progress(min(lo + chunk, len(X)), len(X))
        self.evaluations += len(X)

    def raw(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """Per-draw PAR score, rank and SIPAS in the target year, and fees forgone: (S, D) each."""
        parts = list(self._parts(X))
        return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}

    def evaluate(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """p (the target's probability), p_smooth, p_rank, p_sipas and cost (mean fees forgone) per
        setting of ``X``: (S,) each, summarised engine call by engine call."""
        parts = [self._summary(r) for r in self._parts(X)]
        return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}

    def _summary(self, r: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from scipy.special import ndtr

        t = self.target
        ok_rank = np.ones_like(r["par"], dtype=bool) if t.par_rank is None else r["rank"] <= t.par_rank
        ok_sipas = np.ones_like(r["par"], dtype=bool) if t.sipas is None else r["sipas"] >= t.sipas
        smooth = np.ones_like(r["par"])
        if t.par_rank is not None and self.kth is not None:
            smooth = smooth * ndtr((r["par"] - self.kth[None]) / self.bandwidth)
        if t.sipas is not None:
            smooth = smooth * ndtr((r["sipas"] - t.sipas) / self.bandwidth)
        return {
            "p": (ok_rank & ok_sipas).mean(axis=1),
            "p_smooth": smooth.mean(axis=1),
            "p_rank": ok_rank.mean(axis=1),
            "p_sipas": ok_sipas.mean(axis=1),
            "cost": r["fee"].mean(axis=1),
        }

    def diagnose(self, x: np.ndarray) -> dict:
        """Numbers behind an 'out of reach': the focal unit at ``x`` and today's settings, and the threshold."""
        r = self.raw(np.stack([np.asarray(x, dtype=float), self.current]))
        q = lambda a: np.array(band(a))
        out = {
            "unit": data.load().units[self.focal]["name_vi"] if self.focal in data.load().units else self.focal,
            "par_gain": float(median(r["par"][0] - r["par"][1])),
            "sipas_gain": float(median(r["sipas"][0] - r["sipas"][1])),
            "par": q(r["par"][0]).tolist(),
            "sipas": q(r["sipas"][0]).tolist(),
        }
        if self.kth is not None:
            out["kth"] = q(self.kth).tolist()
            out["gap"] = q(r["par"][0] - self.kth).tolist()
        return out


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

    def interval(self, p: float) -> tuple[float, float]:
        return wilson(p, self.draws) if self.draws else (p, p)

    def rows(self, lang: str = "en") -> list[dict]:
        """One row per lever: today's value, the setting found, the increase (in %)."""
        x = self.x if self.reachable else self.best_x
        out = []
        for j, name in enumerate(self.names):
            vi, en = self.labels.get(name, (name, name))
            value = None if x is None else float(x[j])
            out.append(
                {
                    "lever": name,
                    "label": vi if lang == "vi" else en,
                    "current_pct": 100 * float(self.current[j]),
                    "setting_pct": None if value is None else 100 * value,
                    "change_pts": None if value is None else 100 * (value - float(self.current[j])),
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
        }


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
    sol = Solution(
        names,
        current,
        prob,
        budget,
        getattr(surface, "draws", None),
        False,
        target=target,
        labels=getattr(surface, "labels", {}),
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
        e = np.where(ok, objective(G, current, w), np.inf)
        i0 = int(np.argmin(e))
        best = (float(e[i0]), G[i0], _at(ev, i0))
        if best[0] > 0:
            refined, n_eval = _refine(surface, cache, cons_cost, best[1], current, w, prob, budget)
            sol.evaluations += n_eval
            if refined is not None:
                best = min(best, refined, key=lambda c: c[0])
                sol.method = "grid + SLSQP"
        _, sol.x, sol.values = best
        sol.reachable = True
        sol.effort = float(effort(sol.x, current, w)[0])
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
    current: np.ndarray,
    w: np.ndarray,
    prob: float,
    budget: float | None,
):
    """Least effort on the surrogate from ``x0`` (a reaching point), then checked on the exact probability:
    walk from the refined point back toward ``x0`` until it holds (21 steps, then 21 finer steps inside the
    first step that holds). Returns ((objective, x, values) or None, evaluations made)."""
    from scipy.optimize import minimize

    lower, upper = cache.lower, cache.upper
    grad_e = lambda x: 100.0 * w * np.where(x >= current - 1e-12, 1.0, -LOWERING_COST)
    cons = [
        {
            "type": "ineq",
            "fun": lambda x: 100 * (cache.at(x)[0]["p_smooth"] - prob),
            "jac": lambda x: 100 * cache.at(x)[1]["p_smooth"],
        }
    ] + cons_cost
    res = minimize(
        lambda x: float(objective(x, current, w)[0]),
        x0,
        jac=grad_e,
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
        found = (float(objective(line[j], current, w)[0]), line[j], _at(lev, j))
        if j == 0:
            break
        t_lo, t_hi = ts[j - 1], ts[j]
    return found, n_eval


# ----------------------------------------------------------------------------- the trade-off between two levers


@dataclass
class Tradeoff:
    """For each setting of lever ``along``, the least setting of ``solve_for`` that reaches the target."""

    along: str
    solve_for: str
    along_values: np.ndarray  # (n,)
    solve_values: np.ndarray  # (m,) grid of the other lever
    p: np.ndarray  # (n, m) exact probability on the grid
    cost: np.ndarray  # (n, m)
    minimal: np.ndarray  # (n,) least reaching setting of solve_for (nan: not reachable)
    hold: np.ndarray  # (L,) settings of the other levers
    prob: float

    def rows(self) -> list[dict]:
        out = []
        for i, a in enumerate(self.along_values):
            m = self.minimal[i]
            j = None if not np.isfinite(m) else int(np.flatnonzero(self.solve_values == m)[0])
            out.append(
                {
                    f"{self.along}_pct": 100 * float(a),
                    f"{self.solve_for}_pct": None if j is None else 100 * float(m),
                    "p": None if j is None else float(self.p[i, j]),
                    "cost_bn_vnd": None if j is None else float(self.cost[i, j]),
                }
            )
        return out

    def substitution(self) -> float | None:
        """Share points of ``solve_for`` saved per share point of ``along`` (median over the curve)."""
        ok = np.isfinite(self.minimal)
        a, b = self.along_values[ok], self.minimal[ok]
        if len(a) < 2:
            return None
        lo = self.solve_values[0]
        slopes = [-(b[i + 1] - b[i]) / (a[i + 1] - a[i]) for i in range(len(a) - 1) if b[i] > lo + 1e-12]
        return float(median(slopes)) if slopes else 0.0

    def to_dict(self) -> dict:
        return {
            "along": self.along,
            "solve_for": self.solve_for,
            "rows": self.rows(),
            "substitution": self.substitution(),
            "hold": [float(v) for v in self.hold],
        }


def tradeoff(
    surface,
    prob: float,
    budget: float | None = None,
    along: str = "delegation",
    solve_for: str = "simplification",
    hold: np.ndarray | None = None,
    points: int = 11,
    fine: int = 41,
) -> Tradeoff:
    """Least ``solve_for`` reaching the target for each of ``points`` settings of ``along``.

    The other levers stay at ``hold`` (default: their upper bounds). One batched engine
    call on a (points × fine) grid; the minimal setting is the first grid value (within
    1/(fine − 1) of the lever's range) whose exact probability reaches ``prob`` within budget.
    """
    names = list(surface.names)
    a, b = names.index(along), names.index(solve_for)
    lower, upper = np.asarray(surface.lower, float), np.asarray(surface.upper, float)
    hold = np.asarray(upper if hold is None else hold, dtype=float)
    av = np.linspace(lower[a], upper[a], points)
    bv = np.linspace(lower[b], upper[b], fine)
    X = np.repeat(hold[None], points * fine, axis=0)
    X[:, a] = np.repeat(av, fine)
    X[:, b] = np.tile(bv, points)
    ev = surface.evaluate(X)
    p = ev["p"].reshape(points, fine)
    cost = ev["cost"].reshape(points, fine)
    ok = p >= prob
    if budget is not None:
        ok &= cost <= budget + 1e-9
    minimal = np.array([bv[np.flatnonzero(row)[0]] if row.any() else np.nan for row in ok])
    return Tradeoff(along, solve_for, av, bv, p, cost, minimal, hold, prob)


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
    baseline_year: int = 2024,
    horizon: int = 2030,
    others_fee_waiver_share: float = 0.0,
    others_fee_waiver_year: int = 2025,
    progress=None,
) -> Solution:
    """Validate, search, and attach the trade-off curve between ``along`` and ``solve_for``.

    ``progress(done, total)`` is called after each engine call with the lever settings of that
    batch evaluated so far (the search's grid is the long batch)."""
    target, budget, w = check_target(par_rank, prob, sipas, year, budget, focal, baseline_year, horizon, weights, draws)
    surface = EngineSurface(
        target, focal, draws, seed, baseline_year, others_fee_waiver_share, others_fee_waiver_year, progress=progress
    )
    started = time.perf_counter()
    sol = search(surface, target.prob, budget, w, target=target)
    hold = sol.x if sol.reachable else sol.best_x
    sol.tradeoff = tradeoff(surface, target.prob, budget, along, solve_for, hold)
    sol.evaluations = surface.evaluations
    sol.seconds = time.perf_counter() - started
    return sol
