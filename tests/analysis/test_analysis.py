"""Sensitivity analysis, target search and calibration: known answers, the engine, the commands, the notebooks.

The analysis code takes any evaluation function (sensitivity) or probability surface
(target search), so its answers are first checked on small synthetic models whose
answer is known; then on the engine, against a scenario run on the same draws.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import norm
from support import ROOT, small

from simlib.analysis import goals, sensitivity, sensitivity_engine, sensitivity_factors, surface, target, tradeoff
from simlib.cli.main import main
from simlib.reports import sensitivity_report, target_report

FACTORS = [sensitivity_factors.Factor(f"x{i}", "parameter", f"x{i}", f"x{i}", 0.0, 1.0, 0.5, "") for i in (1, 2, 3)]


def linear(X: np.ndarray) -> np.ndarray:
    """y = 4·x1 + 1·x2 + 0·x3 on [0, 1]³: S1 = 16/17, 1/17, 0 (no interactions)."""
    return 4 * X[:, 0] + X[:, 1] + 0 * X[:, 2]


# ----------------------------------------------------------------------------- sensitivity: known answers


def test_sobol_recovers_the_known_ranking_and_the_inert_factor():
    calls = []
    analysis = sensitivity.analyze(FACTORS, lambda X: calls.append(len(X)) or linear(X), "sobol", 512, seed=1)
    assert analysis.ranking() == ["x1", "x2", "x3"]
    x1, x2, x3 = (analysis.row(n) for n in ("x1", "x2", "x3"))
    assert x1["S1"] == pytest.approx(16 / 17, abs=0.05)
    assert x2["S1"] == pytest.approx(1 / 17, abs=0.03)
    assert abs(x3["S1"]) < 0.01 and x3["ST"] < 0.01
    assert x1["ST_conf"] > 0  # a confidence interval is reported
    assert x1["outcome_at_high"] - x1["outcome_at_low"] == pytest.approx(4.0)  # one-at-a-time swing
    assert sensitivity_report.headline(analysis, "en").startswith("The answer depends most on x1")
    # every sample row is evaluated in one batched call (plus one for the swing), not one call per row
    assert calls == [512 * (3 + 2), 2 * 3 + 1]


def test_sobol_is_reproducible_with_its_seed_and_rejects_a_bad_sample_size():
    a = sensitivity.analyze(FACTORS, linear, "sobol", 64, seed=3)
    b = sensitivity.analyze(FACTORS, linear, "sobol", 64, seed=3)
    assert [r["S1"] for r in a.rows] == [r["S1"] for r in b.rows]
    with pytest.raises(sensitivity.InputError, match="power of 2"):
        sensitivity.analyze(FACTORS, linear, "sobol", 100)


def test_morris_screen_ranks_the_factors_the_same_way():
    analysis = sensitivity.analyze(FACTORS, linear, "morris", 32, seed=2)
    assert analysis.ranking() == ["x1", "x2", "x3"]
    assert analysis.row("x1")["mu_star"] == pytest.approx(4.0, rel=0.05)
    assert analysis.row("x3")["mu_star"] == pytest.approx(0.0, abs=1e-9)


def test_a_flat_outcome_says_that_nothing_decides_it():
    analysis = sensitivity.analyze(FACTORS, lambda X: np.ones(len(X)), "sobol", 16, seed=1)
    assert all(r["ST"] == 0 for r in analysis.rows)
    assert "no factor decides it" in sensitivity_report.headline(analysis, "en")


# ----------------------------------------------------------------------------- sensitivity: the engine


def test_reprojected_field_equals_the_engines_field_on_the_same_draws():
    from simlib.engine import field

    for index, base in (("PAR", 2024), ("SIPAS", 2022)):
        inn = sensitivity_engine.innovations(index, base, 2026, 50, 7)
        projected = field.project(index, base, 2026, 50, 7)
        again = sensitivity_engine.reproject(inn, inn.continuation[None])
        for a, b in zip(again, projected.scores, strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


def test_engine_rows_agree_with_scenario_runs_on_the_same_draws():
    """A sample row of lever targets and parameter values is the scenario with those targets and values."""
    from simlib.engine import params, projection

    scenario = small(draws=40)
    factors = sensitivity_factors.lever_factors(scenario) + [
        f
        for f in sensitivity_factors.parameter_factors(scenario)[0]
        if f.name in ("par_tthc_per_simplification", "lag_halflife_years")
    ]
    ev = sensitivity_engine.EngineEvaluator(scenario, factors, "par_rank", 2027, field_draws=40, seed=7)
    X = np.array(
        [[f.low for f in factors], [f.high for f in factors], [f.high if f.kind == "lever" else f.low for f in factors]]
    )
    got = ev(X)
    ctx = projection.context(scenario.focal, scenario.baseline_year, scenario.horizon, 40, 7)
    k = list(ctx.years).index(2027)
    for row, y in zip(X, got):
        targets = {f.name: v for f, v in zip(factors, row) if f.kind == "lever"}
        p = params.draw(40, 7, overrides={f.name: v for f, v in zip(factors, row) if f.kind == "parameter"})
        s = scenario.with_(levers={n: {"target": float(v), "year": 2027} for n, v in targets.items()})
        out = projection.outcome_arrays(ctx, s.lever_paths()[None], p=p)
        assert y == pytest.approx(out["par_rank"][0, :, k].mean())
    assert got[1] < got[0]  # every lever at its maximum: a better (lower) mean rank than at today's values


def test_engine_sensitivity_covers_levers_and_uncertain_parameters():
    scenario = small(draws=40)
    analysis = sensitivity.run(scenario, "p_par_top3", base_samples=4, field_draws=16, seed=7)
    kinds = {r["factor"]: r["kind"] for r in analysis.rows}
    assert {"simplification", "delegation", "online_fee_waiver", "full_process_online"} <= set(kinds)
    assert kinds["persistence_prior"] == "parameter" and kinds["online_k_fee"] == "parameter"
    assert "fee_revenue_bn_per_online_share" in {e["factor"] for e in analysis.excluded}  # cost only
    assert all(np.isfinite(r["ST"]) for r in analysis.rows)
    assert analysis.model_runs == analysis.n_rows * 16


# ----------------------------------------------------------------------------- target search: known answers


class LinearSurface:
    """P = cap · Φ((2·Δa + 1·Δb + 0·Δc − 0.5) / 0.1): monotone; cost = 100·Δa bn VND."""

    names = ("a", "b", "c")
    current = np.array([0.2, 0.2, 0.5])
    lower = np.array([0.2, 0.2, 0.5])
    upper = np.array([1.0, 1.0, 1.0])

    def __init__(self, cap: float = 1.0):
        self.cap = cap

    def evaluate(self, X):
        X = np.atleast_2d(X)
        d = X - self.current
        p = self.cap * norm.cdf((2 * d[:, 0] + d[:, 1] - 0.5) / 0.1)
        return {"p": p, "p_smooth": p, "cost": 100 * d[:, 0]}


NEED = 0.5 + 0.1 * norm.ppf(0.8)  # 2·Δa + Δb needed for P = 0.8


def test_target_search_finds_the_known_least_effort_point():
    sol = target.search(LinearSurface(), 0.8)
    assert sol.reachable
    np.testing.assert_allclose(sol.x, [0.2 + NEED / 2, 0.2, 0.5], atol=0.01)  # a is twice as effective
    assert sol.effort == pytest.approx(100 * NEED / 2, abs=1.0)
    assert sol.values["p"] >= 0.8


def test_target_search_follows_the_weights_and_the_budget():
    weighted = target.search(LinearSurface(), 0.8, weights={"a": 3.0})  # a now costs more effort per unit of P
    np.testing.assert_allclose(weighted.x, [0.2, 0.2 + NEED, 0.5], atol=0.01)
    capped = target.search(LinearSurface(), 0.8, budget=10.0)  # Δa ≤ 0.1
    np.testing.assert_allclose(capped.x, [0.3, 0.2 + NEED - 0.2, 0.5], atol=0.01)
    assert capped.values["cost"] <= 10.0 + 1e-6


def test_target_search_says_when_the_target_is_out_of_reach():
    sol = target.search(LinearSurface(cap=0.6), 0.8)
    assert not sol.reachable and sol.x is None
    assert sol.best_values["p"] == pytest.approx(0.6, abs=1e-3)
    assert target_report.summary_lines(sol, "en")[0].startswith("Out of reach")
    assert "0.60 < 0.80" in target_report.summary_lines(sol, "en")[0]
    assert "Ngoài tầm với" in target_report.summary_lines(sol, "vi")[0]


class _Prices:
    """A stand-in cost model: a costs 3 bn VND a share point raised, b 1, c nothing (low = central = high)."""

    known, unknown = True, {}
    per_point = np.array([[3.0, 1.0, 0.0]] * 3)

    def one_off(self, X, current):
        return np.repeat((100 * np.maximum(np.atleast_2d(X) - current, 0) @ self.per_point[1])[None], 3, axis=0)


class PricedSurface(LinearSurface):
    """LinearSurface with unit costs: b is the cheaper way to the target (1 bn per unit of 2·Δa + Δb against
    a's 1.5), though a is the least effort (half the share points)."""

    costs = _Prices()

    def evaluate(self, X):
        ev = super().evaluate(X)
        return {**ev, "fees_extra": np.zeros(len(ev["p"]))}

    def fees_band(self, x):
        return 0.0, 0.0, 0.0


def test_target_search_minimises_cost_when_every_lever_is_priced():
    sol = target.search(PricedSurface(), 0.8)
    assert sol.objective == "cost" and sol.unknown_costs == {}
    np.testing.assert_allclose(sol.x, [0.2, 0.2 + NEED, 0.5], atol=0.01)  # b, not the least-effort a
    assert sol.cost["total"][1] == pytest.approx(100 * NEED, abs=1.5)
    by_effort = target.search(PricedSurface(), 0.8, weights={"a": 1.0})  # weights ask for effort
    assert by_effort.objective == "effort" and by_effort.unknown_costs == {"weights": "weights"}
    np.testing.assert_allclose(by_effort.x, [0.2 + NEED / 2, 0.2, 0.5], atol=0.01)
    unpriced = target.search(LinearSurface(), 0.8)
    assert unpriced.objective == "effort" and unpriced.unknown_costs == {"*": "no_costs"} and unpriced.cost == {}


def test_tradeoff_curve_recovers_the_substitution_rate():
    tr = tradeoff.tradeoff(LinearSurface(), 0.8, along="a", solve_for="b", hold=np.array([0.2, 0.2, 0.5]))
    for a, b in zip(tr.along_values, tr.minimal):
        expected = 0.2 + max(0.0, NEED - 2 * (a - 0.2))
        if expected <= 1.0:
            assert expected - 1e-9 <= b <= expected + 0.021  # the first grid step that reaches it
        else:
            assert np.isnan(b)
    assert tr.substitution() == pytest.approx(2.0, abs=0.2)


# ----------------------------------------------------------------------------- target search: the engine


def test_engine_surface_probabilities_are_the_scenarios():
    """The search's probability for a setting is the scenario run's, on the same draws."""
    from simlib.engine import simulate

    t = goals.Goal(prob=0.5, year=2027, par_rank=3, sipas=86.0)
    engine = surface.EngineSurface(t, draws=60, seed=7)
    x = np.array([0.6, 0.6, 1.0, 0.9])
    ev = engine.evaluate(x[None])
    s = small(
        draws=60,
        levers={"simplification": 0.6, "delegation": 0.6, "online_fee_waiver": 1.0, "full_process_online": 0.9},
    )
    r = simulate.run(s)
    k = list(r.years).index(2027)
    rank, sipas = r.arrays["par_rank"][:, k], r.arrays["sipas_pct"][:, k]
    assert ev["p_rank"][0] == pytest.approx((rank <= 3).mean())
    assert ev["p"][0] == pytest.approx(((rank <= 3) & (sipas >= 86)).mean())
    assert ev["p_smooth"][0] == pytest.approx(ev["p"][0], abs=0.1)
    # fees forgone beyond today's policies, over 2025–2027: the scenario's minus today's settings'
    today = simulate.run(small(draws=60))
    extra = r.arrays["fee_forgone_bn_vnd"][:, : k + 1].sum(1) - today.arrays["fee_forgone_bn_vnd"][:, : k + 1].sum(1)
    assert ev["fees_extra"][0] == pytest.approx(extra.mean())
    assert engine.costs.known and engine.totals == {"simplification": 708, "delegation": 1885}


def test_engine_search_prices_ha_noi_and_falls_back_to_effort_where_totals_are_unknown():
    t = goals.Goal(prob=0.3, year=2027, par_rank=10)
    sol = target.search(surface.EngineSurface(t, draws=60, seed=7), t.prob, target=t)
    assert sol.objective == "cost" and sol.reachable
    low, central, high = sol.cost["total"]
    assert low <= central <= high and sol.cost["one_off"][1] >= 0
    assert np.all(sol.x >= sol.current - 1e-9)  # no policy in force is undone to save money
    hue = target.search(surface.EngineSurface(t, focal="hue", draws=60, seed=7), t.prob, target=t)
    assert hue.objective == "effort" and set(hue.unknown_costs) == {"simplification", "delegation"}


# ----------------------------------------------------------------------------- the commands


def _errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("  - ")]


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--par-rank", "0", "--prob", "0.8"], [("--par-rank", "'0'", "from 1 to 34")]),
        (["--par-rank", "35", "--prob", "0.8"], [("--par-rank", "'35'", "from 1 to 34")]),
        (["--par-rank", "3", "--prob", "1"], [("--prob", "'1'", "strictly between 0 and 1")]),
        (["--par-rank", "3", "--prob", "0"], [("--prob", "'0'", "strictly between 0 and 1")]),
        (["--sipas", "101", "--prob", "0.8"], [("--sipas", "'101'", "from 0 to 100")]),
        (["--sipas", "86", "--prob", "0.8", "--year", "2024"], [("--year", "'2024'", "from 2025 to 2030")]),
        (["--sipas", "86", "--prob", "0.8", "--budget", "-3"], [("--budget", "'-3'", "≥ 0")]),
        (["--prob", "0.8"], [("--par-rank / --sipas", "None", "at least one target")]),
        (
            ["--par-rank", "0", "--prob", "2", "--sipas", "-1", "--year", "2040", "--budget", "x"],
            [
                ("--par-rank", "'0'", "rank"),
                ("--prob", "'2'", "probability"),
                ("--sipas", "'-1'", "SIPAS"),
                ("--year", "'2040'", "2025 to 2030"),
                ("--budget", "'x'", "bn VND"),
            ],
        ),
    ],
)
def test_target_command_rejects_bad_targets(capsys, argv, expected):
    assert main(["target", *argv]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "Traceback" not in out.err
    lines = [line for line in out.err.splitlines() if line.startswith("  - ")]
    assert len(lines) == len(expected)  # every problem at once, one line each
    for (option, value, allowed), line in zip(expected, lines):
        assert line.startswith(f"  - {option}: got {value}") and allowed in line


def test_sensitivity_command_rejects_bad_options(capsys, tmp_path):
    argv = [
        "sensitivity",
        str(ROOT / "scenarios" / "baseline.yaml"),
        "--out",
        str(tmp_path / "o"),
        "--base-samples",
        "100",
        "--outcome",
        "rank",
        "--method",
        "fast",
        "--year",
        "2031",
    ]
    assert main(argv) == 2
    lines = _errors(capsys)
    assert any(
        x.startswith("  - --base-samples: got '100'") or x.startswith("  - --base-samples: got 100") for x in lines
    )
    assert any(x.startswith("  - --outcome: got 'rank'") and "p_par_top3" in x for x in lines)
    assert any(x.startswith("  - --method: got 'fast'") and "sobol or morris" in x for x in lines)
    assert any(x.startswith("  - --year: got 2031") and "2025 to 2030" in x for x in lines)
    assert not (tmp_path / "o").exists()  # nothing written


def test_sensitivity_command_writes_its_outputs(capsys, tmp_path):
    scen = tmp_path / "s.yaml"
    scen.write_text("name: small\ndraws: 50\nseed: 7\n", encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(
            [
                "sensitivity",
                str(scen),
                "--out",
                str(out),
                "--base-samples",
                "4",
                "--draws",
                "16",
                "--outcome",
                "sipas_pct",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "The answer depends most on" in printed
    header = (out / "sensitivity.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:7] == ["factor", "kind", "label_vi", "label_en", "low", "high", "unit"]
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(header)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["method"] == "sobol" and manifest["outcome"] == "sipas_pct"
    assert manifest["model_runs"] == manifest["sample_rows"] * 16 and manifest["headline_vi"]
    assert (out / "tornado.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_target_command_answers_in_json(capsys, tmp_path):
    assert (
        main(
            [
                "target",
                "--par-rank",
                "3",
                "--prob",
                "0.95",
                "--year",
                "2027",
                "--draws",
                "60",
                "--format",
                "json",
                "--out",
                str(tmp_path / "t"),
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    answer = json.loads(out.out)
    assert answer["target"] == {"par_rank": 3, "sipas": None, "prob": 0.95, "year": 2027}
    assert answer["reachable"] is False  # a 95% chance of the top 3 is beyond the model's field uncertainty
    assert answer["summary_en"][0].startswith("Out of reach")
    assert {"target.json", "tradeoff.csv", "tradeoff.png"} <= {p.name for p in (tmp_path / "t").iterdir()}


# ----------------------------------------------------------------------------- calibration


def test_hanoi_path_projects_2023_and_2024_with_and_without_levers():
    from simlib.analysis import calibration

    rows = calibration.hanoi_path(draws=200)
    published = {(r["index"], r["year"]): r for r in rows if r["variant"] == "published"}
    assert published[("PAR", 2024)]["score_p50"] == pytest.approx(92.75)
    # Hà Nội's 2022 SIPAS score (80.16, rank 30) is now printed: shown as published, no reconstruction note
    assert published[("SIPAS", 2022)]["score_p50"] == pytest.approx(80.16)
    assert published[("SIPAS", 2022)]["note"] == ""
    median = {(r["index"], r["year"], r["variant"]): r["score_p50"] for r in rows}
    for index in ("PAR", "SIPAS"):
        for year in (2023, 2024):
            assert median[(index, year, "all_new")] > median[(index, year, "no_levers")]  # the levers help
            assert median[(index, year, "all_new")] >= median[(index, year, "half_new")]


def test_the_levers_hanoi_moved_in_2023_24_are_read_from_its_baselines():
    """Known paths where 2022 and later figures are published (the fee waiver: 0 in 2022, half of
    2023, 1 in 2024); an assumed start where only the 2024 figure is (simplification, delegation)."""
    from simlib.analysis import calibration

    known, moved = calibration.moved_levers()
    assert known == ("online_fee_waiver",) and set(moved) == {"simplification", "delegation"}
    hist = calibration.historical_levers("half_new", draws=10)
    assert hist.start["online_fee_waiver"] == 0.0
    assert dict(hist.scenario.levers["online_fee_waiver"].path) == {2023: 0.5, 2024: 1.0}
    assert hist.start["simplification"] == pytest.approx(0.5 * 0.298)
    assert dict(hist.scenario.levers["simplification"].path)[2024] == pytest.approx(0.298)
    assert "full_process_online" not in hist.scenario.levers  # no 2022–24 figure: held


def test_backtest_rows_cover_every_backtestable_year():
    from simlib.analysis import backtest, calibration

    rows = calibration.backtest_rows(draws=200)
    assert {(r["index"], r["year"]) for r in rows} == {
        (ix, y) for ix in ("PAR", "SIPAS") for y in backtest.backtest_years(ix)
    }
    assert all(0 <= r["coverage_90"] <= 1 for r in rows)


# ----------------------------------------------------------------------------- notebooks


@pytest.mark.notebook
@pytest.mark.parametrize(
    "name, parameters",
    [
        ("sensitivity", {"base_samples": 4, "field_draws": 16, "lang": "en"}),
        ("target_search", {"draws": 100, "prob": 0.5, "sipas": None}),
        ("calibration", {"draws": 100}),
    ],
)
@pytest.mark.slow
def test_notebook_runs_under_papermill(tmp_path, name, parameters):
    import nbformat
    import papermill

    out = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / f"{name}.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(ROOT),
    )
    nb = nbformat.read(str(out), as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the figure is embedded
    if name == "calibration":  # "How good is the model?", from the stored evaluation (kept current by a test)
        from simlib.reports import evaluation
        from simlib.reports.i18n import say

        shown = "".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
        assert say("evaluation.nb_title", "vi") in shown
        assert evaluation.track_record("vi") in shown
        assert evaluation.verdict_lines(evaluation.stored_rows(), lang="vi")[0] in shown


def test_notebooks_are_saved_without_outputs_and_with_the_python3_kernel():
    import nbformat

    for name in ("sensitivity", "target_search", "calibration"):
        nb = nbformat.read(str(ROOT / "notebooks" / f"{name}.ipynb"), as_version=4)
        assert nb.metadata.kernelspec["name"] == "python3"
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
        assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1


def test_sensitivity_in_blocks_gives_the_same_indices():
    """Evaluating the sample in blocks (as on a cluster's workers) changes nothing, whatever the split."""
    from simlib.analysis import sensitivity
    from simlib.engine.scenario import load_yaml

    scenario = load_yaml(ROOT / "scenarios" / "all_levers.yaml")
    whole = sensitivity.run(scenario, base_samples=4, field_draws=30)
    serial = lambda fn, tasks: [fn(*t) for t in tasks]
    for chunks in (3, 8, 13):
        split = sensitivity.run(scenario, base_samples=4, field_draws=30, mapper=serial, chunks=chunks)
        assert split.rows == whole.rows
    # two lever settings under one parameter setting: one call, and no empty call after it
    assert [(k, list(r)) for k, r in sensitivity_engine.plan_calls(np.array([0, 1]), np.array([0, 0]))] == [
        ("levers", [0, 1])
    ]


def test_target_search_reports_its_progress_through_every_engine_batch():
    """A long target search says where it is: progress(done, total) after each engine call,
    ending every batch at done == total; the command writes it to stderr as plain lines."""
    import io

    from simlib.analysis import target
    from simlib.runs.progress import Progress

    calls = []
    sol = target.run(par_rank=10, prob=0.5, year=2026, draws=50, seed=3, progress=lambda d, t: calls.append((d, t)))
    assert sol.evaluations > 0 and calls
    totals = {}
    for done, total in calls:
        assert 0 < done <= total
        totals[total] = max(totals.get(total, 0), done)
    assert all(done == total for total, done in totals.items())
    assert sum(t for d, t in calls if d == t) == sol.evaluations  # every setting evaluated was counted once

    stream = io.StringIO()
    show = Progress("target", "lever settings", stream=stream, quiet_s=0.0)
    show(5, 10)
    show(10, 10)
    lines = stream.getvalue().splitlines()
    assert (
        lines[0].startswith("target: 5 / 10 lever settings (50%)")
        and lines[-1] == "target: 10 / 10 lever settings (100%)"
    )
