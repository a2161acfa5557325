"""model.py: lever effects saturate, lag, shrink with headroom; SIPAS feeds PAR; the waiver's cost."""

from __future__ import annotations

import numpy as np
import pytest

from simlib.engine import levers, model, params

LEVERS = levers.names()
D, T = 300, 6
BASE_ONLINE = 0.5


@pytest.fixture(scope="module")
def p():
    return params.draw(D, 11)


def step_paths(lever: str, delta: float, current: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Lever paths (1, T, L) that move one lever by ``delta`` from the first year, and the current values."""
    current = np.full(len(LEVERS), 0.3) if current is None else current
    paths = np.broadcast_to(current, (1, T, len(LEVERS))).copy()
    paths[0, :, LEVERS.index(lever)] += delta
    return paths, current


def effect(lever: str, delta: float, p) -> dict[str, np.ndarray]:
    paths, current = step_paths(lever, delta)
    return model.effects(paths, current, BASE_ONLINE, p)


# --------------------------------------------------------------------------- building blocks


def test_saturate_is_odd_bounded_and_concave():
    x = np.linspace(0.01, 5, 50)
    s = model.saturate(x)
    assert model.saturate(np.array(0.0)) == 0.0
    assert np.allclose(model.saturate(-x), -s)
    assert np.all((0 < s) & (s < 1)) and np.all(np.diff(s) > 0)
    assert np.all(model.saturate(2 * x) < 2 * s)


def test_lag_half_shows_after_one_half_life():
    targets = np.ones((1, 2, 4))
    out = model.lag(targets, np.array([1.0, 2.0]))
    assert np.allclose(out[0, 0], [0.5, 0.75, 0.875, 0.9375])
    assert np.all(out[0, 1] < out[0, 0])  # a longer half-life is slower
    assert out[0, 1, 1] == pytest.approx(0.5)  # half after two years
    extra = model.lag(np.ones((1, 2, 4, 3)), np.array([1.0, 2.0]))  # trailing axes broadcast
    assert np.allclose(extra[..., 2], out)


def test_lag_follows_a_target_that_falls_back():
    out = model.lag(np.array([[[1.0, 1.0, 0.0, 0.0]]]), np.array([1.0]))
    assert np.allclose(out[0, 0], [0.5, 0.75, 0.375, 0.1875])


def test_element_weights_share_each_driver_fully():
    elements, w = model.element_weights()
    assert len(elements) == 5 and w.shape == (5, len(model.DRIVERS))
    assert np.allclose(w.sum(axis=0), 1.0)


# --------------------------------------------------------------------------- lever effects


def test_no_lever_change_no_effect(p):
    eff = effect("simplification", 0.0, p)
    for key in ("sipas_ref", "par_ref", "time_cut", "cost_cut"):
        assert np.all(eff[key] == 0.0), key
    assert np.allclose(eff["online_share"], BASE_ONLINE)


@pytest.mark.parametrize("lever", LEVERS)
def test_more_of_a_lever_helps_with_diminishing_returns(lever, p):
    """Doubling a big push gives more, but less than double the effect (every draw, every year)."""
    one, two = effect(lever, 0.35, p), effect(lever, 0.70, p)
    for key in ("sipas_ref", "par_ref"):
        assert np.all(one[key] > 0), (lever, key)
        assert np.all(two[key] > one[key]), (lever, key)
        assert np.all(two[key] < 2 * one[key]), (lever, key)


@pytest.mark.parametrize("lever", LEVERS)
def test_lowering_a_lever_costs_points(lever, p):
    down = effect(lever, -0.3, p)
    assert np.all(down["sipas_ref"] < 0) and np.all(down["par_ref"] < 0)


def test_drivers_respond_to_their_levers(p):
    simp = effect("simplification", 0.3, p)
    assert np.all(simp["time_cut"] > 0) and np.all(simp["cost_cut"] > 0)
    assert np.allclose(simp["online_share"], BASE_ONLINE)
    fee = effect("online_fee_waiver", 0.5, p)
    assert np.all(fee["online_share"] > BASE_ONLINE) and np.all(fee["time_cut"] == 0)
    time_max = p["time_cut_max"][None, :, None]
    assert np.all(effect("delegation", 0.7, p)["time_cut"] <= time_max)


def test_online_share_stays_a_share(p):
    for delta in (-0.3, 0.7):
        for lever in ("online_fee_waiver", "full_process_online"):
            share = effect(lever, delta, p)["online_share"]
            assert np.all((0 <= share) & (share <= 1))
    # the gain is bounded by the headroom 1 − base online share
    big = effect("full_process_online", 0.7, p)["online_share"]
    assert np.all(big < 1.0)


def test_a_lever_change_shows_partly_the_first_year(p):
    """With a half-life of one year, half of a change shows in the first year, most later."""
    p1 = dict(p, lag_halflife_years=np.ones(D))
    eff = effect("delegation", 0.4, p1)
    for key in ("sipas_ref", "par_ref"):
        first, last = eff[key][0, :, 0], eff[key][0, :, -1]
        assert np.all(first > 0) and np.all(first < last)
        assert np.allclose(first / last, 0.5 / (1 - 0.5**T))
    eff = effect("delegation", 0.4, p)  # drawn half-lives: still partial in year one
    assert np.all(eff["sipas_ref"][0, :, 0] < eff["sipas_ref"][0, :, -1])


def test_sipas_is_the_mean_of_its_elements(p):
    eff = effect("simplification", 0.4, p)
    assert np.allclose(eff["sipas_elements_ref"].mean(axis=-1), eff["sipas_ref"])


# --------------------------------------------------------------------------- headroom and index scores


def test_headroom_is_bounded():
    ref = np.array([20.0])
    assert np.allclose(model.headroom(np.array([100.0, 90.0, 80.0, 50.0, 20.0]), ref), [0, 0.5, 1.0, 1.5, 1.5])


def test_effects_are_damped_near_the_top(p):
    eff = effect("simplification", 0.4, p)
    gains = {}
    for level in (80.0, 95.0):
        bau = np.full((D, T), level)
        sipas, par, _ = model.index_scores(bau, bau, eff, p)
        gains[level] = (sipas - bau, par - bau)
    assert np.allclose(gains[95.0][0], gains[80.0][0] * 0.25)  # (100 − 95) / (100 − 80)
    assert np.all(gains[95.0][1] < gains[80.0][1])
    assert np.all(gains[95.0][1] > 0)


def test_scores_never_pass_100(p):
    eff = {k: v * 50 for k, v in effect("simplification", 0.7, p).items()}
    bau = np.full((D, T), 99.0)
    sipas, par, _ = model.index_scores(bau, bau, eff, p)
    assert sipas.max() <= 100.0 and par.max() <= 100.0


def test_sipas_feeds_at_most_10_par_points_per_100_sipas_points(p):
    """A SIPAS-only change moves PAR by par_sipas_points / 100 per SIPAS point, nothing more."""
    rng = np.random.default_rng(0)
    sipas_ref = rng.uniform(0, 30, (1, D, T))
    eff = {"sipas_ref": sipas_ref, "par_ref": np.zeros((1, D, T)), "sipas_elements_ref": np.zeros((1, D, T, 5))}
    bau_sipas = rng.uniform(70, 99, (D, T))
    bau_par = np.full((D, T), 85.0)
    sipas, par, _ = model.index_scores(bau_sipas, bau_par, eff, p)
    d_sipas, d_par = sipas - bau_sipas, par - bau_par
    assert np.all(d_sipas > 0)
    assert np.allclose(d_par, 0.10 * d_sipas)
    assert np.all(d_par <= 10.0 * d_sipas / 100.0 + 1e-12)


# --------------------------------------------------------------------------- cost of the waiver


def test_fee_forgone_is_zero_without_waiver_and_positive_with_a_full_one(p):
    current = np.full(len(LEVERS), 0.3)
    online = np.full((1, D, T), 0.6)
    zero = np.broadcast_to(current, (1, T, len(LEVERS))).copy()
    zero[..., LEVERS.index("online_fee_waiver")] = 0.0
    full, half = zero.copy(), zero.copy()
    full[..., LEVERS.index("online_fee_waiver")] = 1.0
    half[..., LEVERS.index("online_fee_waiver")] = 0.5
    assert np.all(model.fee_forgone(zero, online, p) == 0.0)
    cost_full = model.fee_forgone(full, online, p)
    assert np.median(cost_full) > 0 and np.mean(cost_full > 0) > 0.99  # revenue prior is normal
    assert np.allclose(model.fee_forgone(half, online, p), cost_full / 2)
    assert np.median(cost_full) == pytest.approx(0.6 * 122, rel=0.1)  # ≈ 37 bn VND at ~30% online


# --------------------------------------------------------------------------- the wiring table


def _effects_as_written_before_the_table(paths, current, base_online, p):
    """The four levers' effects as model.py wrote them out before data/lever_effects.csv."""
    j = {name: k for k, name in enumerate(LEVERS)}
    delta = paths - current[None, None, :]
    col = lambda name: delta[:, None, :, j[name]]
    par = lambda name: p[name][None, :, None]
    x_online = par("online_k_fee") * col("online_fee_waiver") + par("online_k_full_process") * col(
        "full_process_online"
    )
    room = np.where(x_online >= 0, 1.0 - base_online, base_online)
    online = room * model.saturate(x_online)
    time_cut = par("time_cut_max") * model.saturate(
        par("time_k_simplification") * col("simplification") + par("time_k_delegation") * col("delegation")
    )
    cost_cut = np.clip(par("cost_cut_per_simplification") * col("simplification"), -0.9, 0.95)
    stacked = model.lag(np.stack([online, time_cut, cost_cut], axis=-1), p["lag_halflife_years"])
    drv = {name: stacked[..., k] for k, name in enumerate(model.DRIVERS)}
    cols = delta[..., [j["simplification"], j["delegation"]]]
    lagged = model.lag(
        np.broadcast_to(cols[:, None], (cols.shape[0], D) + cols.shape[1:]).copy(), p["lag_halflife_years"]
    )
    par_ref = (
        par("par_tthc_per_simplification") * lagged[..., 0]
        + par("par_apparatus_per_delegation") * lagged[..., 1]
        + par("par_digital_per_online_share") * drv["online_share"]
        + par("par_impact_per_time_cut") * drv["time_cut"]
    )
    online_level = np.clip(base_online + drv["online_share"], 0.0, 1.0)
    fee = paths[:, None, :, j["online_fee_waiver"]] * par("fee_revenue_bn_per_online_share") * online_level
    return {
        "par_ref": par_ref,
        "online_share": online_level,
        "time_cut": drv["time_cut"],
        "cost_cut": drv["cost_cut"],
        "fee_forgone_bn": fee,
    }


def test_the_wiring_table_gives_the_same_numbers_as_the_written_out_model(p):
    """data/lever_effects.csv read by the model reproduces, bit for bit, the formulas it replaced,
    for many lever paths (the four levers moving up and down, every year; any lever added to the
    registry since is held at its current value)."""
    four = [LEVERS.index(n) for n in ("simplification", "delegation", "online_fee_waiver", "full_process_online")]
    rng = np.random.default_rng(8)
    current = rng.uniform(0.1, 0.9, len(LEVERS))
    paths = np.broadcast_to(current, (7, T, len(LEVERS))).copy()
    paths[..., four] = np.clip(current[four] + rng.normal(0.0, 0.3, (7, T, 4)), 0.0, 1.0)
    got = model.effects(paths, current, BASE_ONLINE, p)
    want = _effects_as_written_before_the_table(paths, current, BASE_ONLINE, p)
    for name, value in want.items():
        assert np.array_equal(got[name], value), name


def test_the_model_declares_every_parameter_it_reads(p):
    """Running the model with a parameter set limited to the declared ones works; every parameter
    of the wiring table is declared, and every declared one is in data/parameters.csv."""
    from simlib.engine import data, wiring

    declared = wiring.required_parameters(model.effect_rows())
    assert {e.parameter for e in model.effect_rows()} <= set(declared)
    assert set(declared) <= set(p)
    only = {name: p[name] for name in declared}
    paths, current = step_paths("simplification", 0.3)
    model.effects(paths, current, BASE_ONLINE, only)
    assert {"simplification", "delegation"} <= set(model.appraised_levers())
    assert data.load().lever_effects == model.effect_rows()
