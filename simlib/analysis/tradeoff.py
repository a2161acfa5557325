"""The trade-off between two levers on a target-search surface: for each setting of one lever, the least
setting of the other that reaches the goal (one batched engine call on a grid)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.stats import median


@dataclass
class Tradeoff:
    """For each setting of lever ``along``, the least setting of ``solve_for`` that reaches the target."""

    along: str
    solve_for: str
    along_values: np.ndarray  # (n,)
    solve_values: np.ndarray  # (m,) grid of the other lever
    p: np.ndarray  # (n, m) exact probability on the grid
    cost: np.ndarray  # (n, m) fees forgone, bn VND a year (what a budget limits; not the cost to the city)
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
                    "fees_forgone_bn_vnd_yr": None if j is None else float(self.cost[i, j]),
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
