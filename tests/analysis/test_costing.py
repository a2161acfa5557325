"""analysis.costing: a scenario's cost to the city, and the cost vs P(top 3) frontier of lever mixes."""

from __future__ import annotations

import numpy as np
import pytest

from simlib.analysis import compare, costing
from simlib.engine import costs
from simlib.engine.scenario import Scenario
from simlib.engine.simulate import run_many

DRAWS = 200


def test_the_efficient_set_keeps_the_mixes_no_other_beats_on_both():
    value = np.array([0.0, 1.0, 1.0, 2.0, 3.0, 3.0, 5.0])
    p = np.array([0.40, 0.45, 0.50, 0.48, 0.60, 0.55, 0.60])
    assert costing.efficient_set(value, p).tolist() == [0, 2, 4]  # 1 ≤ 2 at the same cost; 3 and 6 beaten


def test_a_scenarios_cost_is_its_raises_priced_plus_the_extra_fees():
    s = Scenario.from_dict({"draws": DRAWS, "levers": {"simplification": {"count": 350}, "full_process_online": 0.8}})
    result, baseline = run_many([s, compare.baseline_of(s)])
    cost = costing.scenario_cost(result, baseline)
    model = costs.cost_model("ha-noi")
    k = list(result.years).index(2027)
    one_off = model.one_off(result.lever_paths[k][None], result.current)[:, 0]
    assert cost["one_off"] == pytest.approx(tuple(one_off))
    extra = (result.arrays["fee_forgone_bn_vnd"][:, : k + 1] - baseline.arrays["fee_forgone_bn_vnd"][:, : k + 1]).sum(1)
    assert cost["fees"][1] == pytest.approx(extra.mean()) and cost["fees"][1] > 0  # more dossiers online, more fees
    low, central, high = cost["total"]
    assert low <= central <= high and central == pytest.approx(one_off[1] + extra.mean())
    assert (cost["first_year"], cost["year"], cost["known"]) == (2025, 2027, True)
    hue = Scenario.from_dict({"focal": "hue", "draws": DRAWS, "levers": {"simplification": 0.5}})
    r, b = run_many([hue, compare.baseline_of(hue)])
    unknown = costing.scenario_cost(r, b)
    assert unknown["total"] is None and set(unknown["unknown"]) == {"simplification", "delegation"}


def test_the_frontier_starts_at_todays_policies_and_rises_in_both_cost_and_chance():
    s = Scenario.from_dict({"draws": DRAWS, "seed": 7})
    f = costing.frontier(s)
    assert f.measure == "cost" and f.draws == DRAWS and f.year == 2027
    rows = f.rows()
    assert rows[0]["today"] and rows[0]["cost"] == (0.0, 0.0, 0.0)
    central = [r["cost"][1] for r in rows]
    chance = [r["p"] for r in rows]
    assert central == sorted(central) and all(a < b for a, b in zip(chance, chance[1:]))
    # no mix tried is both cheaper and more likely than a frontier mix
    for i in f.efficient:
        assert not np.any((f.cost[1] < f.cost[1, i] - 1e-9) & (f.p > f.p[i] + 1e-12))
    assert np.all(f.X >= f.current - 1e-12)  # mixes from today's values up, never undoing a policy
    assert rows[-1]["settings"]["simplification"]["count"] is not None  # counts where Hà Nội has totals
    hue = costing.frontier(Scenario.from_dict({"focal": "hue", "draws": DRAWS}))
    assert hue.measure == "effort" and set(hue.unknown) == {"simplification", "delegation"}


# --------------------------------------------------------------------------- a new year's results, a merged unit


def test_counts_costs_and_the_frontier_from_a_2025_baseline_the_user_added(results_2025):
    from simlib.analysis import goals, surface, target
    from simlib.engine.scenario import default_baseline_year

    assert default_baseline_year() == 2025
    s = Scenario.from_dict({"draws": DRAWS, "levers": {"simplification": {"count": 350}}})
    assert s.baseline_year == 2025 and s.levers["simplification"].target == pytest.approx(350 / 708)
    result, baseline = run_many([s, compare.baseline_of(s)])
    cost = costing.scenario_cost(result, baseline)
    assert (cost["first_year"], cost["year"], cost["known"]) == (2026, 2027, True)
    # 139 more procedures simplified at 40 staff-days and 0.55 million VND a day (central): 3.1 bn VND once
    assert cost["one_off"][1] == pytest.approx(139 * 40 * 0.55 / 1000, rel=0.01)
    f = costing.frontier(s)
    assert f.measure == "cost" and f.first_year == 2026 and f.rows()[0]["today"]
    # the target search starts from the same newest year when not told otherwise
    sol = target.run(par_rank=34, prob=0.5, year=2027, draws=DRAWS)
    assert sol.reachable and sol.objective == "cost"
    assert surface.EngineSurface(goals.Goal(prob=0.5, year=2027, par_rank=3), draws=DRAWS).years[0] == 2026


def test_a_merged_unit_has_shares_only_and_is_searched_by_effort(results_2025):
    from simlib.analysis import target
    from simlib.engine import data, levers
    from simlib.engine.errors import ScenarioError

    ds = data.load()
    assert len(ds.members("can-tho")) > 1  # Cần Thơ, Sóc Trăng and Hậu Giang since 2025
    assert levers.total("simplification", "can-tho") is None
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict({"focal": "can-tho", "levers": {"simplification": {"count": 300}}})
    (issue,) = err.value.issues
    assert issue.where == "levers.simplification.count" and "can-tho has no published total" in issue.allowed
    s = Scenario.from_dict({"focal": "can-tho", "draws": DRAWS, "levers": {"simplification": 0.6}})
    result, baseline = run_many([s, compare.baseline_of(s)])
    cost = costing.scenario_cost(result, baseline)
    assert cost["total"] is None and set(cost["unknown"]) == {"simplification", "delegation"}
    f = costing.frontier(s)
    assert f.measure == "effort" and f.first_year == 2026 and len(f.efficient) >= 2
    assert all(r["settings"]["simplification"]["count"] is None for r in f.rows())
    sol = target.run(par_rank=34, prob=0.5, year=2027, focal="can-tho", draws=DRAWS)
    assert sol.reachable and sol.objective == "effort"


def test_the_frontiers_note_says_when_no_mix_beats_todays_chance():
    from dataclasses import replace

    from simlib.reports import costing_report

    f = costing.frontier(Scenario.from_dict({"draws": DRAWS, "seed": 7}))
    assert "single point" not in costing_report.frontier_note(f, "en")
    flat = replace(f, p=np.zeros_like(f.p), efficient=costing.efficient_set(f.value(), np.zeros_like(f.p)))
    assert flat.efficient.tolist() == [int(np.flatnonzero(f.effort == 0)[0])]  # today's mix, the cheapest
    assert "No mix tried gives a better chance of PAR top 3 in 2027 than today's policies (at most 0.0%)" in (
        costing_report.frontier_note(flat, "en")
    )
    assert "không mua được top 3" in costing_report.frontier_note(flat, "vi")
