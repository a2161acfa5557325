"""Global sensitivity: which levers and which assumptions decide a projected outcome.

Factors are the levers (each one's target share, reached by the scenario's target
year along the usual linear ramp) and the uncertain parameters of
``data/parameters.csv`` (normal, lognormal or uniform priors), each sampled uniformly
over its 5–95% prior range. A lever's range is a planner's: from today's value up to
the lever's maximum (a lever already at its maximum — the zero online fee — ranges
over its whole scale, i.e. keeping or ending it).

Design of one evaluation. A SALib sample row is one combination of factor values.
Each row is evaluated on the same ``field_draws`` draws of everything that is not a
factor (the other units' yearly noise, the reconstruction of the baseline year, the
trend shocks: common random numbers across rows), with the row's parameter values in
place of the parameter draws. The row's outcome is the mean over those draws: the
mean PAR rank, the mean SIPAS %, or the share of draws in the top 3. The field's
draw-to-draw luck is therefore averaged inside each row, and the indices say how much
of the variation of the *expected* outcome each factor explains.

Rows are batched into calls of ``engine.simulate.simulate`` that compute nothing in vain
(``plan_calls``): rows sharing their parameter values run as several lever paths of one
call; rows sharing their lever targets run as one path with their parameter values
stacked along the draw axis. A Saltelli design needs three calls per base sample. The field
parameters (``trend_continuation``, ``persistence_prior`` and a trend prior where the
fit falls back on it) change the projected field itself, so each call re-projects the
field from the baseline year for its rows with the same random innovations as
``field.project`` (checked by the tests).

``analyze`` takes any evaluation function, so the same code path runs on a synthetic
model with a known answer. The factors are ``sensitivity_factors``; the engine as the evaluation
function (``plan_calls``, the re-projected field), ``sensitivity_engine``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING

import numpy as np

from ..engine.errors import InputError, Issue
from .grid import rows_done
from .sensitivity_engine import DEFAULT_FIELD_DRAWS, EngineEvaluator
from .sensitivity_factors import Factor, default_factors, problem

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

OUTCOMES = ("par_rank", "sipas_pct", "p_par_top3")
OUTCOME_UNITS = {
    "par_rank": "mean rank over the draws (1 = best)",
    "sipas_pct": "mean SIPAS % over the draws",
    "p_par_top3": "share of draws with a PAR rank ≤ 3 (0–1)",
}
METHODS = ("sobol", "morris")
DEFAULT_SAMPLES = {"sobol": 256, "morris": 32}  # Sobol base samples N; Morris trajectories
MAX_SAMPLES = 2**16
MAX_FIELD_DRAWS = 1024
MORRIS_LEVELS = 4
CSV_COLUMNS = (
    "factor",
    "kind",
    "label_vi",
    "label_en",
    "low",
    "high",
    "unit",
    "S1",
    "S1_conf",
    "ST",
    "ST_conf",
    "mu_star",
    "mu_star_conf",
    "sigma",
    "outcome_at_low",
    "outcome_at_high",
)


# ----------------------------------------------------------------------------- the analysis


@dataclass
class Analysis:
    """Sensitivity indices of one outcome, one row per factor, most important first."""

    method: str
    outcome: str
    year: int | None
    rows: list[dict]  # CSV_COLUMNS
    n_rows: int  # sample rows evaluated (model settings)
    draws_per_row: int  # field draws each row is evaluated on (1 for a deterministic model)
    seconds: float
    base_samples: int
    seed: int
    central_outcome: float | None = None
    excluded: list[dict] = dc_field(default_factory=list)
    notes: list[str] = dc_field(default_factory=list)

    @property
    def model_runs(self) -> int:
        return self.n_rows * self.draws_per_row

    def ranking(self) -> list[str]:
        return [r["factor"] for r in self.rows]

    def row(self, name: str) -> dict:
        return next(r for r in self.rows if r["factor"] == name)

    def importance(self, r: dict) -> float:
        return r["ST"] if self.method == "sobol" else r["mu_star"]


def _sample(prob: dict, method: str, base_samples: int, seed: int) -> np.ndarray:
    if method == "sobol":
        from SALib.sample import sobol as sobol_sample

        return sobol_sample.sample(prob, base_samples, calc_second_order=False, seed=seed)
    from SALib.sample import morris as morris_sample

    return morris_sample.sample(prob, base_samples, num_levels=MORRIS_LEVELS, seed=seed)


def analyze(
    factors: list[Factor],
    evaluate_rows: Callable[[np.ndarray], np.ndarray],
    method: str = "sobol",
    base_samples: int | None = None,
    seed: int = 2024,
    outcome: str = "outcome",
    year: int | None = None,
    draws_per_row: int = 1,
    swing: bool = True,
) -> Analysis:
    """Sample the factors with SALib, evaluate every row, and compute the indices.

    ``evaluate_rows(X)``: X (rows, factors) in the order of ``factors`` → outcome (rows,).
    Sobol: Saltelli/Sobol' sequence with ``base_samples`` (a power of 2) base rows,
    N·(k + 2) evaluations, first-order and total indices with 95% bootstrap intervals.
    Morris: ``base_samples`` trajectories of k + 1 rows, μ* with its 95% interval and σ.
    ``swing``: also evaluate each factor at its low and high end, others central.
    """
    check_method(method, base_samples)
    base_samples = int(base_samples or DEFAULT_SAMPLES[method])
    prob = problem(factors)
    started = time.perf_counter()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # SALib's advice on sample sizes
        X = _sample(prob, method, base_samples, seed)
    Y = np.asarray(evaluate_rows(X), dtype=float)
    notes = []
    rows = [
        {
            "factor": f.name,
            "kind": f.kind,
            "label_vi": f.label_vi,
            "label_en": f.label_en,
            "low": f.low,
            "high": f.high,
            "unit": f.unit,
        }
        for f in factors
    ]
    flat = not np.isfinite(Y).all() or float(np.var(Y)) <= 1e-14 * max(1.0, float(np.mean(Y * Y)))
    if method == "sobol":
        if flat:
            res = {k: np.zeros(len(factors)) for k in ("S1", "S1_conf", "ST", "ST_conf")}
            notes.append("the outcome does not vary over the sample: every index is 0")
        else:
            from SALib.analyze import sobol as sobol_analyze

            res = sobol_analyze.analyze(prob, Y, calc_second_order=False, seed=seed, conf_level=0.95)
        for r, s1, s1c, st, stc in zip(rows, res["S1"], res["S1_conf"], res["ST"], res["ST_conf"]):
            r.update(S1=float(s1), S1_conf=float(s1c), ST=float(st), ST_conf=float(stc))
    else:
        if flat:
            res = {k: np.zeros(len(factors)) for k in ("mu_star", "mu_star_conf", "sigma")}
            notes.append("the outcome does not vary over the sample: every index is 0")
        else:
            from SALib.analyze import morris as morris_analyze

            res = morris_analyze.analyze(prob, X, Y, num_levels=MORRIS_LEVELS, seed=seed, conf_level=0.95)
        for r, mu, muc, sd in zip(rows, res["mu_star"], res["mu_star_conf"], res["sigma"]):
            r.update(mu_star=float(mu), mu_star_conf=float(muc), sigma=float(sd))
    central = None
    n_rows = len(X)
    if swing:
        centre = np.array([f.central for f in factors])
        S = np.repeat(centre[None], 2 * len(factors) + 1, axis=0)
        for j, f in enumerate(factors):
            S[1 + 2 * j, j], S[2 + 2 * j, j] = f.low, f.high
        ys = np.asarray(evaluate_rows(S), dtype=float)
        central = float(ys[0])
        for j, r in enumerate(rows):
            r.update(outcome_at_low=float(ys[1 + 2 * j]), outcome_at_high=float(ys[2 + 2 * j]))
        n_rows += len(S)
    analysis = Analysis(
        method, outcome, year, rows, n_rows, draws_per_row, 0.0, base_samples, seed, central, notes=notes
    )
    key = (lambda r: -r["ST"]) if method == "sobol" else (lambda r: -r["mu_star"])
    analysis.rows.sort(key=lambda r: key(r) if np.isfinite(key(r)) else 0.0)
    analysis.seconds = time.perf_counter() - started
    return analysis


def check_method(method: str, base_samples: int | None) -> None:
    issues = []
    if method not in METHODS:
        issues.append(Issue("--method", method, "sobol or morris"))
    if base_samples is not None:
        ok = (
            isinstance(base_samples, (int, np.integer))
            and 2 <= base_samples <= MAX_SAMPLES
            and (base_samples & (base_samples - 1)) == 0
        )
        if not ok:
            issues.append(
                Issue("--base-samples", base_samples, f"a power of 2 from 2 to {MAX_SAMPLES} (e.g. 256, 1024, 4096)")
            )
    if issues:
        raise InputError(issues, context="sensitivity")


# Memory of a run, measured (RSS, 2 cores, 64 field draws): ~190 MB at 1024 Sobol base samples
# (22,569 rows), ~210 MB at 4096 (90,153 rows), i.e. ~0.3 KB per row beyond a fixed part. The
# estimate below takes 1 KB per row (SALib's copies of the sample), and one engine block of
# ~64 parameter settings × field draws × 63 units × the years × ~12 arrays of 8 bytes.
FIXED_BYTES = 250e6
BYTES_PER_ROW = 1_000


def planned_rows(method: str, base_samples: int | None, n_factors: int, swing: bool = True) -> int:
    """Sample rows a run evaluates: Sobol N·(k + 2), Morris N·(k + 1), plus the 2k + 1 swing rows."""
    n = int(base_samples or DEFAULT_SAMPLES[method])
    rows = n * (n_factors + 2) if method == "sobol" else n * (n_factors + 1)
    return rows + (2 * n_factors + 1 if swing else 0)


def memory_estimate(
    scenario: Scenario,
    method: str,
    base_samples: int | None,
    field_draws: int = DEFAULT_FIELD_DRAWS,
    outcome: str = "par_rank",
) -> tuple[int, int]:
    """(sample rows, bytes of memory a run is expected to need at its peak) — an upper estimate."""
    factors, _ = default_factors(scenario, outcome)
    rows = planned_rows(method, base_samples, len(factors))
    block = 64 * int(field_draws) * 63 * len(scenario.years) * 12 * 8
    return rows, int(FIXED_BYTES + rows * BYTES_PER_ROW + block)


def check(
    scenario: Scenario,
    outcome: str,
    year: int | None,
    method: str,
    base_samples: int | None,
    field_draws: int | None = None,
) -> None:
    """Every problem with the analysis options, at once (InputError)."""
    issues = []
    if outcome not in OUTCOMES:
        issues.append(Issue("--outcome", outcome, "one of " + ", ".join(OUTCOMES)))
    years = [int(y) for y in scenario.years]
    if year is not None and year not in years:
        issues.append(Issue("--year", year, f"a projected year of the scenario, from {years[0]} to {years[-1]}"))
    if field_draws is not None and not 10 <= field_draws <= MAX_FIELD_DRAWS:
        issues.append(Issue("--draws", field_draws, f"field draws per sample row, from 10 to {MAX_FIELD_DRAWS}"))
    try:
        check_method(method, base_samples)
    except InputError as exc:
        issues.extend(exc.issues)
    if issues:
        raise InputError(issues, context="sensitivity")


def evaluate_chunk(evaluator: EngineEvaluator, X: np.ndarray) -> tuple[np.ndarray, int]:
    """The outcomes of sample rows ``X`` and the engine calls used (a task a worker can run)."""
    calls = evaluator.calls
    Y = evaluator(X)
    return Y, evaluator.calls - calls


def chunked_rows(
    evaluator: EngineEvaluator, mapper: Callable, chunks: int, progress=None
) -> Callable[[np.ndarray], np.ndarray]:
    """``evaluate_rows`` that splits the sample into ``chunks`` blocks of rows and evaluates them with
    ``mapper(fn, [args, ...]) -> [result, ...]`` (e.g. on a cluster's workers), in order. Each row's
    outcome depends only on the row (common field draws), so the answer equals the unsplit one.
    With ``progress(done, total)``, the mapper is called as ``mapper(fn, tasks, done=...)`` and
    reports each block as it ends (``Executor.map``); the rows done are passed on."""

    def evaluate_rows(X: np.ndarray) -> np.ndarray:
        blocks = [b for b in np.array_split(np.asarray(X, dtype=float), max(1, min(chunks, len(X)))) if len(b)]
        tasks = [(evaluator, b) for b in blocks]
        if progress is None:
            results = mapper(evaluate_chunk, tasks)
        else:
            results = mapper(evaluate_chunk, tasks, done=rows_done(progress, [len(b) for b in blocks]))
        evaluator.calls += sum(calls for _, calls in results)
        return np.concatenate([y for y, _ in results])

    return evaluate_rows


def run(
    scenario: Scenario,
    outcome: str = "par_rank",
    year: int | None = None,
    method: str = "sobol",
    base_samples: int | None = None,
    seed: int | None = None,
    field_draws: int = DEFAULT_FIELD_DRAWS,
    factors: list[Factor] | None = None,
    mapper: Callable | None = None,
    chunks: int = 1,
    progress=None,
) -> Analysis:
    """Sensitivity of ``outcome`` in ``year`` (default: the scenario's target year) to levers and parameters.

    ``mapper``, ``chunks``: evaluate the sample in ``chunks`` blocks with ``mapper`` (``chunked_rows``);
    ``progress(done, total)``: called as sample rows are evaluated (here, or as a ``mapper``'s blocks end)."""
    check(scenario, outcome, year, method, base_samples, field_draws)
    year = int(scenario.target_year if year is None else year)
    seed = int(scenario.seed if seed is None else seed)
    excluded: list[dict] = []
    if factors is None:
        factors, excluded = default_factors(scenario, outcome)
    evaluator = EngineEvaluator(
        scenario, factors, outcome, year, field_draws, seed, progress if mapper is None else None
    )
    rows = chunked_rows(evaluator, mapper, chunks, progress) if mapper is not None else evaluator
    analysis = analyze(factors, rows, method, base_samples, seed, outcome, year, draws_per_row=field_draws)
    analysis.excluded = excluded
    analysis.notes.append(
        f"each sample row is evaluated on the same {field_draws} draws of the field (common random numbers); "
        f"its outcome is the {OUTCOME_UNITS[outcome]}; {evaluator.calls} engine calls"
    )
    return analysis
