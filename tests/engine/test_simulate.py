"""simulate.py and result.py: runs, ranks, common random numbers, summaries and the tidy CSV."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from support import SMALL_DRAWS, small

from simlib.engine import data, levers, projection, simulate
from simlib.engine.result import COLUMNS, DISTRIBUTIONS, TARGETS, UNITS, Result, wilson

REQUIRED = (
    "sipas_pct",
    "par_score",
    "par_rank",
    "sipas_rank",
    "p_par_top3",
    "p_par_top10",
    "p_sipas_ge_86",
    "online_share",
    "fee_forgone_bn_vnd",
)
J = {name: j for j, name in enumerate(levers.names())}


@pytest.fixture(scope="module")
def baseline() -> Result:
    return simulate.run(small(name="baseline"))


@pytest.fixture(scope="module")
def pushed() -> Result:
    return simulate.run(
        small(name="pushed", levers={n: 0.95 for n in ("simplification", "delegation", "full_process_online")})
    )


# --------------------------------------------------------------------------- one run


def test_result_shapes_and_years(baseline):
    T = len(baseline.years)
    assert list(baseline.years) == list(range(2025, 2031))
    assert list(baseline.n_units) == [34] * T
    for metric in DISTRIBUTIONS:
        assert baseline.arrays[metric].shape == (SMALL_DRAWS, T), metric
    assert baseline.arrays["sipas_elements"].shape[:2] == (SMALL_DRAWS, T)
    assert baseline.draws == SMALL_DRAWS
    assert baseline.lever_paths.shape == (T, len(J))


def test_ranks_are_whole_numbers_within_the_field(baseline):
    for metric in ("par_rank", "sipas_rank"):
        ranks = baseline.arrays[metric]
        assert np.issubdtype(ranks.dtype, np.integer)
        assert ranks.min() >= 1 and ranks.max() <= 34


def test_rank_is_one_plus_the_units_scoring_higher(baseline):
    ctx = projection.context("ha-noi", 2024, 2030, SMALL_DRAWS, 7)
    others = ctx.others("PAR", 0.0, 2025)
    k = 2
    expected = 1 + (others[k] > baseline.arrays["par_score"][:, k, None]).sum(axis=1)
    assert np.array_equal(baseline.arrays["par_rank"][:, k], expected)
    assert others[k].shape == (SMALL_DRAWS, 33)  # every unit but the focal one


def test_scores_are_percentages(baseline):
    for metric in ("sipas_pct", "par_score"):
        x = baseline.arrays[metric]
        assert np.all((0 < x) & (x <= 100))
    assert np.all((0 <= baseline.arrays["online_share"]) & (baseline.arrays["online_share"] <= 1))


def test_baseline_holds_levers_and_starts_near_2024(baseline):
    assert np.allclose(baseline.lever_paths, baseline.current[None, :])
    first = baseline.at("par_score", 2025)
    assert 88 < first["p50"] < 97  # Hà Nội published 92.75 in 2024
    assert baseline.at("fee_forgone_bn_vnd", 2025)["mean"] > 0  # zero online fee kept


def test_pushing_levers_helps(baseline, pushed):
    for metric in ("sipas_pct", "par_score"):
        assert np.all(pushed.arrays[metric] >= baseline.arrays[metric] - 1e-9)
        assert pushed.at(metric, 2030)["p50"] > baseline.at(metric, 2030)["p50"]
    assert np.all(pushed.arrays["par_rank"] <= baseline.arrays["par_rank"])


def test_ending_the_fee_waiver_costs_nothing_and_loses_online_share():
    end = simulate.run(small(levers={"online_fee_waiver": {"path": {2026: 0.0}}}))
    k = list(end.years).index(2027)
    assert np.all(end.arrays["fee_forgone_bn_vnd"][:, k:] == 0.0)
    assert np.all(end.arrays["fee_forgone_bn_vnd"][:, 0] > 0)  # still waived in 2025
    assert end.at("online_share", 2030)["mean"] < end.at("online_share", 2025)["mean"]


# --------------------------------------------------------------------------- summaries


def test_rows_cover_every_metric_every_year(baseline):
    rows = baseline.rows()
    assert all(tuple(r) == COLUMNS for r in rows)
    for year in baseline.years:
        metrics = {r["metric"] for r in rows if r["year"] == year}
        assert set(REQUIRED) <= metrics
        assert set(DISTRIBUTIONS) | set(TARGETS) | {"n_units"} == metrics
    assert set(UNITS) >= set(DISTRIBUTIONS) | set(TARGETS)


def test_summary_statistics_are_consistent(baseline):
    for r in baseline.rows():
        assert r["p05"] <= r["p50"] <= r["p95"], r
        if r["metric"].startswith("p_"):
            assert 0 <= r["p05"] <= r["mean"] <= r["p95"] <= 1
            assert r["mean"] == r["p50"]
    for year in baseline.years:
        p3, p5, p10 = (baseline.at(m, year)["mean"] for m in ("p_par_top3", "p_par_top5", "p_par_top10"))
        assert p3 <= p5 <= p10


def test_summary_matches_the_draws(baseline):
    row = baseline.at("sipas_pct", 2027)
    x = baseline.arrays["sipas_pct"][:, 2]
    assert row["mean"] == pytest.approx(x.mean())
    assert row["p50"] == pytest.approx(np.median(x))
    assert (row["p05"], row["p95"]) == pytest.approx(tuple(np.percentile(x, [5, 95])))
    assert np.mean(x < row["p05"]) == pytest.approx(0.05, abs=0.01)
    assert baseline.at("p_sipas_ge_86", 2027)["mean"] == pytest.approx(np.mean(x >= 86))
    assert baseline.at("p_par_top10", 2027)["mean"] == pytest.approx(np.mean(baseline.arrays["par_rank"][:, 2] <= 10))
    with pytest.raises(KeyError):
        baseline.at("sipas_pct", 2040)


def test_wilson_interval():
    lo, hi = wilson(0.5, 100)
    assert lo < 0.5 < hi and hi - lo == pytest.approx(2 * 1.645 * 0.05, rel=0.05)
    assert wilson(0.0, 100)[0] == 0.0 and wilson(1.0, 100)[1] == 1.0


def test_frame(baseline):
    df = baseline.frame()
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == len(baseline.rows())


def test_write_csv_is_tidy_and_atomic(baseline, tmp_path):
    path = tmp_path / "out" / "results.csv"
    baseline.write_csv(path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["scenario", *COLUMNS]
    assert {r["scenario"] for r in rows} == {"baseline"}
    assert len(rows) == len(baseline.rows())
    assert float(rows[0]["mean"]) == pytest.approx(baseline.rows()[0]["mean"])
    assert [p.name for p in path.parent.iterdir()] == ["results.csv"]


def test_write_csv_keeps_the_old_file_when_it_fails(baseline, tmp_path, monkeypatch):
    path = tmp_path / "results.csv"
    path.write_text("old content\n", encoding="utf-8")

    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setattr(baseline, "rows", broken)
    with pytest.raises(RuntimeError):
        baseline.write_csv(path)
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]  # no temp file left


# --------------------------------------------------------------------------- reproducibility and CRN


def test_same_seed_same_numbers_different_seed_different(fresh_caches):
    a = simulate.run(small())
    projection.context.cache_clear()
    b = simulate.run(small())
    c = simulate.run(small(seed=8))
    assert a.rows() == b.rows()
    assert not np.array_equal(a.arrays["par_score"], c.arrays["par_score"])


def test_scenarios_run_together_share_their_draws():
    base = small(name="base")
    push = small(name="push", levers={"delegation": {"path": {2027: 0.9}}, "simplification": {"path": {2027: 0.9}}})
    alone = simulate.run(base)
    r_base, r_push = simulate.run_many([base, push])
    for metric in DISTRIBUTIONS:
        assert np.array_equal(r_base.arrays[metric], alone.arrays[metric])
    # levers equal in 2025 (both hold today's values): the difference is exactly zero there
    same = np.all(np.isclose(r_base.lever_paths, r_push.lever_paths), axis=1)
    assert same[0] and not same[-1]
    for metric in ("sipas_pct", "par_score", "par_rank", "sipas_rank", "online_share"):
        diff = r_push.arrays[metric] - r_base.arrays[metric]
        assert np.all(diff[:, same] == 0), metric
    assert np.all(r_push.arrays["par_score"][:, ~same] > r_base.arrays["par_score"][:, ~same])


def test_a_lever_difference_is_not_noise():
    """With common random numbers the paired difference has a far smaller spread than the scores."""
    a, b = simulate.run_many([small(), small(levers={"simplification": 0.9})])
    diff = b.arrays["sipas_pct"][:, -1] - a.arrays["sipas_pct"][:, -1]
    assert np.all(diff > 0)
    assert diff.std() < 0.5 * a.arrays["sipas_pct"][:, -1].std()


def test_other_units_copying_the_zero_fee_can_only_cost_hanoi_places():
    alone, copied = simulate.run_many(
        [
            small(levers={"simplification": 0.6}),
            small(
                levers={"simplification": 0.6}, field={"others_fee_waiver_share": 1.0, "others_fee_waiver_year": 2025}
            ),
        ]
    )
    assert np.array_equal(alone.arrays["par_score"], copied.arrays["par_score"])  # own score unchanged
    assert np.all(copied.arrays["par_rank"] >= alone.arrays["par_rank"])
    assert copied.at("par_rank", 2030)["mean"] > alone.at("par_rank", 2030)["mean"]
    assert copied.at("p_par_top3", 2030)["mean"] <= alone.at("p_par_top3", 2030)["mean"]


def test_partial_adoption_sits_between_none_and_all():
    none, half, every = simulate.run_many([small(field={"others_fee_waiver_share": s}) for s in (0.0, 0.5, 1.0)])
    ranks = [r.at("sipas_rank", 2030)["mean"] for r in (none, half, every)]
    assert ranks[0] < ranks[1] < ranks[2]


@pytest.mark.parametrize("baseline_year", [2023, 2024])
@pytest.mark.parametrize("unit", sorted(data.load().units))
def test_any_unit_can_be_the_focal_one(unit, baseline_year):
    """Every 2025 unit, also through a pre-merger year (e.g. hue was thua-thien-hue until 2025)."""
    r = simulate.run(small(focal=unit, draws=50, baseline_year=baseline_year, field={"others_fee_waiver_share": 0.5}))
    assert r.scenario.focal == unit
    for metric in ("par_rank", "sipas_rank"):
        assert np.all((1 <= r.arrays[metric]) & (r.arrays[metric] <= r.n_units[None, :]))
    assert all(math.isfinite(row["mean"]) for row in r.rows())
    assert np.all((0 < r.arrays["par_score"]) & (r.arrays["par_score"] < 100))


def test_an_earlier_baseline_projects_through_the_merger():
    r = simulate.run(small(baseline_year=2022, horizon=2026, target_year=2026))
    assert list(r.years) == [2023, 2024, 2025, 2026]
    assert list(r.n_units) == [63, 63, 34, 34]
    assert r.arrays["par_rank"][:, :2].max() <= 63 and r.arrays["par_rank"][:, 2:].max() <= 34


def test_evaluate_many_paths_at_once_and_parameter_overrides():
    s = small()
    ctx = projection.context(s.focal, s.baseline_year, s.horizon, s.draws, s.seed)
    paths = np.stack([s.lever_paths(), small(levers={"delegation": 0.9}).lever_paths()])
    out = projection.outcome_arrays(ctx, paths)
    assert out["par_score"].shape == (2, s.draws, len(s.years))
    assert np.array_equal(out["par_score"][0], simulate.run(s).arrays["par_score"])
    # no effect at all when every effect size is zero
    zero = dict(
        ctx.p,
        **{
            k: np.zeros(s.draws)
            for k in ctx.p
            if k.startswith(("par_", "sipas_per"))
            and not k.endswith(("headroom_ref", "series_start", "trend_prior", "noise_prior", "common_shock_sd"))
        },
    )
    flat = projection.outcome_arrays(ctx, paths, p=zero)
    assert np.allclose(flat["par_score"][1], ctx.bau["PAR"])
    assert np.allclose(flat["sipas_pct"][1], ctx.bau["SIPAS"])
