"""The simulation engine seen as a function of the lever settings (``EngineSurface``), for the target search:
every setting evaluated on the same Monte-Carlo draws, engine call by engine call, and the memory a search
needs at its peak."""

from __future__ import annotations

import numpy as np

from ..engine import costs, data, levers
from ..engine.stats import band, median
from .goals import Goal, baseline_year_or_default

BANDWIDTH = 0.25  # points of PAR / SIPAS: width of the smooth indicator of the surrogate
DEFAULT_DRAWS = 1000
CHUNK_CELLS = 1_500_000  # (settings × draws) per engine call
# Peak memory of a search, an upper estimate: measured with /usr/bin/time (maximum resident set) at 340 MB
# for 1,000 draws, 442 MB for 5,000, 510 MB for 20,000 and 866 MB for 100,000 once settings are summarised
# engine call by engine call (before: 668 MB for 5,000, 1.67 GB for 20,000, killed at 5 GB for 100,000).
# An engine call holds at most CHUNK_CELLS settings × draws, so what grows with the draws is the field's
# draws and one setting's arrays.
FIXED_BYTES = 450_000_000
BYTES_PER_DRAW = 12_000


def memory_estimate(draws: int) -> int:
    """Bytes of memory a target search with ``draws`` Monte-Carlo draws needs at its peak (upper estimate)."""
    return FIXED_BYTES + BYTES_PER_DRAW * int(draws)


def draws_that_fit(available: int, share: float = 0.8) -> int:
    """The most draws whose search fits in ``share`` of ``available`` bytes (at least 0)."""
    return max(0, int((share * available - FIXED_BYTES) // BYTES_PER_DRAW))


class EngineSurface:
    """The simulation engine seen as a function of the lever settings (fractions, one per lever).

    ``evaluate(X)`` (S, L) → dict of (S,) arrays: ``p`` (exact Monte-Carlo probability of
    the target), ``p_smooth`` (its smooth surrogate), ``cost`` (mean fees forgone, bn VND
    per year, target year), ``fees_extra`` (mean fees forgone beyond today's policies, summed
    over the projected years to the target year, bn VND), ``p_rank`` and ``p_sipas`` (each
    target alone). ``costs``: the unit's cost model (``engine.costs``, with ``cost_overrides``).
    """

    def __init__(
        self,
        target: Goal,
        focal: str = "ha-noi",
        draws: int = DEFAULT_DRAWS,
        seed: int = 2024,
        baseline_year: int | None = None,
        others_fee_waiver_share: float = 0.0,
        others_fee_waiver_year: int = 2025,
        bandwidth: float = BANDWIDTH,
        progress=None,
        cost_overrides: dict | None = None,
    ):
        from ..engine.scenario import Scenario
        from ..engine.simulate import context_of, others

        self.target = target
        self.focal = focal
        # a horizon at the target year gives the same draws for that year as any later horizon
        self.base = Scenario(
            name="target_search",
            focal=focal,
            baseline_year=baseline_year_or_default(baseline_year),
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
        self.costs = costs.cost_model(focal, cost_overrides)
        self.totals = {lv.name: t.total for lv in registry if (t := levers.total(lv.name, focal)) is not None}
        # (D,) fees forgone over the years under today's settings, once asked
        self._today_fees: np.ndarray | None = None

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
                "fees_sum": out["fee_forgone_bn_vnd"][:, :, : self.k + 1].sum(axis=2),
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
            "fees_extra": (r["fees_sum"] - self.today_fees()[None]).mean(axis=1),
        }

    def today_fees(self) -> np.ndarray:
        """(D,) fees forgone under today's settings, summed over the projected years to the target year."""
        fees = self._today_fees
        if fees is None:
            fees = self._today_fees = self.raw(self.current[None])["fees_sum"][0]
        return fees

    def fees_band(self, x: np.ndarray) -> tuple[float, float, float]:
        """(p05, mean, p95) bn VND of the fees forgone beyond today's policies over the years, at ``x``."""
        extra = self.raw(np.asarray(x, dtype=float)[None])["fees_sum"][0] - self.today_fees()
        lo, _, hi = band(extra)
        return float(lo), float(extra.mean()), float(hi)

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
