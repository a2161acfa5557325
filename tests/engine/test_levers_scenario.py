"""levers.py, params.py and scenario.py: the registry, the priors, and scenarios as data."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from support import SCENARIOS, small

from simlib.engine import data, levers, params
from simlib.engine.errors import ScenarioError
from simlib.engine.scenario import (
    DEFAULTS,
    LeverPlan,
    Scenario,
    baseline_years,
    load_yaml,
    replace_levers,
)
from simlib.engine.scenario_parameters import NOTEBOOK_PARAMETERS, from_parameters


def _levers_in_csv() -> tuple[str, ...]:
    """The lever names of data/levers.csv, read here without simlib."""
    with (data.data_dir() / "levers.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(row["lever"] for row in csv.DictReader(handle))


LEVERS = _levers_in_csv()


# --------------------------------------------------------------------------- levers


def test_registry_is_every_lever_of_the_csv_as_fractions():
    reg = levers.registry()
    assert levers.names() == LEVERS
    assert {"simplification", "delegation", "online_fee_waiver", "full_process_online"} <= set(LEVERS)
    for lever in reg:
        assert lever.label_vi and lever.label_en and lever.label_vi != lever.label_en
        assert lever.label("vi") == lever.label_vi and lever.label("en") == lever.label_en
        assert 0.0 <= lever.min < lever.max <= 1.0 and 0 < lever.step <= lever.max - lever.min
        assert lever.source and lever.unit
    assert levers.get("delegation").name == "delegation"
    with pytest.raises(KeyError):
        levers.get("teleport")


def test_ha_noi_current_values_are_its_latest_published_figures():
    cur = levers.current_values("ha-noi", 2025)
    assert set(cur) == set(LEVERS)
    assert cur["simplification"].value == 0.298 and cur["simplification"].status == "stated"
    assert cur["delegation"].value == 0.348 and cur["delegation"].year == 2025
    assert cur["online_fee_waiver"].value == 1.0
    assert cur["full_process_online"].value == 0.687
    # as of 2024 the mid-2025 delegation figure is not known yet
    assert levers.current_values("ha-noi", 2024)["delegation"].value == 0.305


def test_units_without_figures_use_the_labelled_default():
    cur = levers.current_values("bac-ninh", 2025)
    assert all(b.status == "assumption" for b in cur.values())
    assert cur == levers.current_values("*", 2025)
    assert levers.baseline("ha-noi", "online_share", 2025).value == 0.597


def test_registry_rows_show_percent():
    rows = levers.registry_rows("ha-noi")
    assert [r["lever"] for r in rows] == list(LEVERS)
    simp = rows[0]
    assert simp["current_pct"] == 29.8 and simp["min_pct"] == 0 and simp["max_pct"] == 100
    assert simp["unit"].startswith("%")


# --------------------------------------------------------------------------- params


def test_parameter_table_has_basis_unit_and_source():
    rows = params.table()
    assert len(rows) == len({r["name"] for r in rows}) >= 20
    for r in rows:
        assert r["basis"] in ("source", "assumption", "estimated")
        assert r["unit"] and r["meaning"] and r["source"]
        assert "_row" not in r


def test_describe_reads_like_a_prior():
    rows = {r["name"]: r for r in params.table()}
    assert params.describe(rows["par_sipas_points"]) == "10"
    assert params.describe(rows["time_cut_max"]) == "uniform 0.3–0.6"
    normal = next(r for r in rows.values() if r["dist"] == "normal")
    assert params.describe(normal).startswith(f"normal, mean {normal['p1']:g}, sd {normal['p2']:g}")
    assert "median 0.7" in params.describe(rows["online_k_fee"]) and "90%" in params.describe(rows["online_k_fee"])


def test_draws_follow_their_priors():
    p = params.draw(20_000, 1)
    assert set(p) == {r["name"] for r in params.table()}
    assert all(v.shape == (20_000,) for v in p.values())
    assert np.all(p["par_sipas_points"] == 10.0)
    assert 0.3 <= p["time_cut_max"].min() and p["time_cut_max"].max() <= 0.6
    assert np.median(p["online_k_fee"]) == pytest.approx(0.7, rel=0.05)
    assert np.all(p["online_k_fee"] > 0)
    for row in params.table():
        x = p[row["name"]]
        if row["dist"] == "normal":
            assert x.mean() == pytest.approx(row["p1"], abs=0.05 * abs(row["p2"]) + 1e-9)
            assert x.std() == pytest.approx(row["p2"], rel=0.05)
        if row["dist"] == "lognormal":
            assert np.all(x > 0), row["name"]
            assert np.median(x) == pytest.approx(row["p1"], rel=0.05)
            assert np.log(x).std() == pytest.approx(row["p2"], rel=0.05)


def test_draws_are_reproducible_and_each_parameter_has_its_own_stream():
    a, b = params.draw(100, 5), params.draw(100, 5)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    c = params.draw(100, 6)
    assert not np.array_equal(a["online_k_fee"], c["online_k_fee"])
    # overriding one parameter leaves every other draw as it was
    d = params.draw(100, 5, overrides={"online_k_fee": 2.0})
    assert np.all(d["online_k_fee"] == 2.0)
    assert all(np.array_equal(a[k], d[k]) for k in a if k != "online_k_fee")
    with pytest.raises(KeyError):
        params.draw(10, 5, overrides={"no_such": 1.0})


def test_fast_normals_are_standard_normal_and_reproducible():
    """params.normals (Box–Muller on float32 uniforms) against the normal law: moments, quantiles,
    tails, independence of the pair it makes from one radius, and the same draws per stream."""
    from scipy import stats as sps

    assert params.normals(params.stream(3, "odd"), (3, 7)).shape == (3, 7)
    z = params.normals(params.stream(3, "test"), (200_000,))
    assert z.shape == (200_000,) and z.dtype == np.float32
    assert abs(z.mean()) < 0.01 and z.std() == pytest.approx(1.0, abs=0.01)
    assert sps.kstest(z, "norm").pvalue > 0.001
    assert np.quantile(z, [0.05, 0.5, 0.95]) == pytest.approx([-1.645, 0.0, 1.645], abs=0.03)
    assert np.mean(np.abs(z) > 3) == pytest.approx(2 * sps.norm.sf(3), rel=0.25)
    half = 100_000  # z[i] and z[half + i] share a radius: they must still be uncorrelated, squares too
    assert abs(np.corrcoef(z[:half], z[half:])[0, 1]) < 0.015
    assert abs(np.corrcoef(z[:half] ** 2, z[half:] ** 2)[0, 1]) < 0.015
    assert np.array_equal(params.normals(params.stream(3, "a"), (7, 5)), params.normals(params.stream(3, "a"), (7, 5)))
    assert not np.array_equal(params.normals(params.stream(3, "a"), 9), params.normals(params.stream(4, "a"), 9))
    out = np.empty((7, 5), dtype=np.float32)
    assert params.normals(params.stream(3, "a"), (7, 5), out=out) is out
    assert np.array_equal(out, params.normals(params.stream(3, "a"), (7, 5)))


def test_central_values():
    assert params.central("par_sipas_points") == 10
    assert params.central("time_cut_max") == pytest.approx(0.45)
    assert params.central("online_k_fee") == 0.7
    with pytest.raises(KeyError):
        params.central("no_such")


# --------------------------------------------------------------------------- scenario: defaults, paths


def test_defaults():
    s = Scenario.from_dict({})
    assert (s.focal, s.baseline_year, s.horizon, s.target_year) == ("ha-noi", 2024, 2030, 2027)
    assert (s.draws, s.seed) == (DEFAULTS["draws"], DEFAULTS["seed"])
    assert list(s.years) == [2025, 2026, 2027, 2028, 2029, 2030]
    assert s.levers == {}
    cur = s.current()
    assert np.allclose(s.lever_paths(), [[cur[n].value for n in LEVERS]] * 6)


def test_baseline_years_are_reconstructable_for_both_indices():
    years = baseline_years()
    assert 2024 in years and all(y < data.MERGER_YEAR for y in years)


def test_lever_ramps_linearly_to_its_target_then_holds():
    s = small(levers={"simplification": {"target": 0.6, "year": 2028}})
    path = s.lever_paths()[:, LEVERS.index("simplification")]
    start = s.current()["simplification"].value
    assert path[0] == pytest.approx(start)  # 2025: still today's value
    steps = np.diff(path[:4])  # 2025 → 2028: equal steps
    assert np.allclose(steps, (0.6 - start) / 3)
    assert np.allclose(path[3:], 0.6)  # reached in 2028, held after
    other = s.lever_paths()[:, LEVERS.index("delegation")]
    assert np.allclose(other, s.current()["delegation"].value)  # untouched levers hold


def test_plain_lever_value_ramps_to_target_year():
    s = small(target_year=2026, levers={"delegation": 0.9})
    path = s.lever_paths()[:, LEVERS.index("delegation")]
    assert s.levers["delegation"] == LeverPlan(target=0.9, year=2026)
    assert path[1] == pytest.approx(0.9) and np.allclose(path[1:], 0.9)


def test_lever_reached_in_the_first_year():
    s = small(levers={"delegation": {"target": 0.7, "year": 2025}})
    assert np.allclose(s.lever_paths()[:, LEVERS.index("delegation")], 0.7)


def test_explicit_path_interpolates_between_points_and_holds_after():
    s = small(levers={"online_fee_waiver": {"path": {2026: 0.0, 2028: 1.0}}})
    path = s.lever_paths()[:, LEVERS.index("online_fee_waiver")]
    start = s.current()["online_fee_waiver"].value
    assert np.allclose(path, [start, 0.0, 0.5, 1.0, 1.0, 1.0])
    s2 = small(levers={"simplification": {"path": {"2025": 0.4, "2027": 0.8}}})  # year keys as text too
    assert np.allclose(s2.lever_paths()[:, 0], [0.4, 0.6, 0.8, 0.8, 0.8, 0.8])


def test_lever_paths_stay_within_bounds():
    s = small(levers={n: 1.0 for n in LEVERS})
    assert s.lever_paths().min() >= 0 and s.lever_paths().max() <= 1


# --------------------------------------------------------------------------- scenario: validation


def test_all_problems_are_reported_at_once():
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict({"focal": "atlantis", "draws": 5, "levers": {"simplification": 2, "x": 1}, "colour": "red"})
    where = {i.where for i in err.value.issues}
    assert where == {"focal", "draws", "levers.simplification", "levers.x", "colour"}
    assert all(i.allowed for i in err.value.issues)


def test_merged_province_names_its_new_unit():
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict({"focal": "binh-duong"})
    assert "ho-chi-minh" in err.value.issues[0].allowed


@pytest.mark.parametrize("unit", sorted(data.load().units))
def test_every_unit_is_a_valid_focal(unit):
    assert Scenario.from_dict({"focal": unit}).focal == unit


def test_not_a_mapping():
    for raw in ([1, 2], "text", None, 3):
        with pytest.raises(ScenarioError) as err:
            Scenario.from_dict(raw)
        assert "a mapping" in err.value.issues[0].allowed


def test_whole_floats_are_accepted_as_years_and_counts():
    s = Scenario.from_dict({"target_year": 2028.0, "draws": 100.0, "seed": 3.0})
    assert (s.target_year, s.draws, s.seed) == (2028, 100, 3)
    assert isinstance(s.draws, int)


def test_roundtrip_through_dict_and_yaml(tmp_path):
    s = small(
        name="rt",
        description="Hà Nội, 60%",
        target_year=2028,
        horizon=2029,
        levers={
            "simplification": 0.6,
            "delegation": {"target": 0.5, "year": 2026},
            "online_fee_waiver": {"path": {2026: 0.0, 2027: 1.0}},
        },
        field={"others_fee_waiver_share": 0.5, "others_fee_waiver_year": 2026},
    )
    assert Scenario.from_dict(s.to_dict()) == s
    path = tmp_path / "rt.yaml"
    path.write_text(s.to_yaml(), encoding="utf-8")
    assert load_yaml(path) == s
    assert "Hà Nội" in path.read_text(encoding="utf-8")  # readable Vietnamese, not escapes


def test_with_validates_the_copy():
    s = small()
    assert s.with_(seed=9).seed == 9 and s.with_(seed=9).draws == s.draws
    with pytest.raises(ScenarioError) as err:
        s.with_(draws=5)
    assert [i.where for i in err.value.issues] == ["draws"]


def test_replace_levers():
    s = replace_levers(small(), {"delegation": 0.8}, year=2026)
    assert s.levers["delegation"] == LeverPlan(target=0.8, year=2026)


def test_yaml_file_name_is_the_default_name(tmp_path):
    path = tmp_path / "my_plan.yaml"
    path.write_text("levers: {delegation: 0.5}\n", encoding="utf-8")
    assert load_yaml(path).name == "my_plan"
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert load_yaml(empty) == Scenario.from_dict({"name": "empty"})


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_scenarios_load(path: Path):
    s = load_yaml(path)
    assert s.name == path.stem and s.description
    assert s.focal == "ha-noi"


def test_example_scenarios_cover_each_lever_alone():
    names = {p.stem for p in SCENARIOS.glob("*.yaml")}
    assert {"baseline", "all_levers", "others_copy_zero_fee"} | set(LEVERS) <= names
    for lever in LEVERS:
        assert set(load_yaml(SCENARIOS / f"{lever}.yaml").levers) == {lever}
    assert load_yaml(SCENARIOS / "baseline.yaml").levers == {}
    assert set(load_yaml(SCENARIOS / "all_levers.yaml").levers) == set(LEVERS)
    assert load_yaml(SCENARIOS / "others_copy_zero_fee.yaml").others_fee_waiver_share == 1.0


# --------------------------------------------------------------------------- notebook parameters


def test_from_parameters_defaults_and_levers():
    assert from_parameters() == Scenario.from_dict({})
    s = from_parameters(focal="da-nang", delegation=0.7, draws=100, seed=None, horizon=None)
    assert s.focal == "da-nang" and s.draws == 100 and s.seed == DEFAULTS["seed"]
    assert s.levers["delegation"] == LeverPlan(target=0.7, year=s.target_year)
    assert set(NOTEBOOK_PARAMETERS) <= {"scenario_file", "scenario_data", "lever_targets"} | {
        f.name for f in Scenario.__dataclass_fields__.values()
    }
    # lever_targets: any lever of the registry, each checked; a lever given twice is refused
    t = from_parameters(lever_targets={"delegation": 0.7, "simplification": 0.5})
    assert t.levers["delegation"] == s.levers["delegation"] and t.levers["simplification"].target == 0.5
    with pytest.raises(ScenarioError) as err:
        from_parameters(lever_targets={"speed": 0.7, "delegation": 0.6}, delegation=0.5)
    assert [i.where for i in err.value.issues] == ["lever_targets.speed", "lever_targets.delegation"]
    with pytest.raises(ScenarioError) as err:
        from_parameters(lever_targets=[0.5])
    assert [i.where for i in err.value.issues] == ["lever_targets"]


def test_from_parameters_starts_from_a_file_and_moves_its_ramps():
    s = from_parameters(str(SCENARIOS / "simplification.yaml"), target_year=2029, delegation=0.5)
    assert s.name == "simplification"
    assert s.levers["simplification"] == LeverPlan(target=0.6, year=2029)
    assert s.levers["delegation"] == LeverPlan(target=0.5, year=2029)


def test_from_parameters_takes_a_scenario_as_data_as_it_would_its_file():
    """What `simlib run` gives a report's kernel (the validated scenario as plain data) builds the
    same scenario as the file, with the same overrides and the same moved ramps; never both."""
    for path in sorted(SCENARIOS.glob("*.yaml")):
        plain = load_yaml(path).to_dict()
        assert from_parameters(scenario_data=plain) == load_yaml(path)
        assert from_parameters(scenario_data=plain, draws=50, seed=3, focal="hue") == from_parameters(
            str(path), draws=50, seed=3, focal="hue"
        )
        assert from_parameters(scenario_data=plain, target_year=2029) == from_parameters(str(path), target_year=2029)
    with pytest.raises(ScenarioError) as err:
        from_parameters(str(SCENARIOS / "baseline.yaml"), scenario_data={"name": "x"})
    assert [i.where for i in err.value.issues] == ["scenario_data"]
    with pytest.raises(ScenarioError) as err:
        from_parameters(scenario_data=["baseline"])
    assert [i.where for i in err.value.issues] == ["scenario_data"]
    with pytest.raises(ScenarioError) as err:  # checked as any parameter: a bad value is named
        from_parameters(scenario_data={"name": "x", "draws": 0})
    assert [i.where for i in err.value.issues] == ["draws"]


def test_from_parameters_rejects_unknown_and_invalid_values():
    with pytest.raises(ScenarioError) as err:
        from_parameters(focus="ha-noi")
    assert err.value.issues[0].where == "focus"
    with pytest.raises(ScenarioError) as err:
        from_parameters(simplification=math.inf, draws=0)
    assert {i.where for i in err.value.issues} == {"levers.simplification", "draws"}
