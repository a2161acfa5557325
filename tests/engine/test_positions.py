"""The two-sided smoother of a province's published positions (``simlib.engine.positions``)."""

from __future__ import annotations

import numpy as np
import pytest

from simlib.engine import data, history, positions


def predict(years, z, same, year, lam=0.9, rho=0.9, kappa=0.6):
    return positions._predict(np.array(years, float), np.array(z, float), np.array(same, float), year, lam, rho, kappa)


def test_a_province_seen_more_often_is_shrunk_less_toward_mid_field():
    once = predict([2021], [2.0], [1], 2022)
    thrice = predict([2019, 2021, 2023], [2.0, 2.0, 2.0], [1, 1, 1], 2022)
    assert 0 < once < thrice < 2.0  # toward the middle (0), less so with more evidence


def test_the_nearer_year_counts_more_on_either_side():
    before_near = predict([2021, 2016], [2.0, -2.0], [1, 1], 2022)
    after_near = predict([2023, 2016], [2.0, -2.0], [1, 1], 2022)
    assert before_near > 0 and after_near > 0  # later years count too: a two-sided smoother
    assert predict([2021, 2023], [2.0, -2.0], [1, 1], 2022) == pytest.approx(0.0, abs=1e-12)


def test_the_other_index_counts_through_its_correlation_only():
    assert predict([2022], [2.0], [0], 2022, kappa=0.0) == 0.0
    weak, strong = (predict([2022], [2.0], [0], 2022, kappa=k) for k in (0.3, 0.8))
    assert 0 < weak < strong < predict([2021], [2.0], [1], 2022)


def test_the_year_itself_is_never_used_for_its_own_index():
    obs = positions.observations("PAR", 2023, history.HISTORY_END)
    ds = data.load()
    quang_ninh = ds.results[("PAR", 2023)]["quang-ninh"]  # published rank 1 in 2023
    assert quang_ninh.rank == 1
    t, _, same = obs["quang-ninh"]
    assert not np.any((t == 2023) & (same == 1.0))
    assert np.any(same == 0.0)  # its SIPAS figures count, as the other index's


def test_a_forecast_start_sees_nothing_after_it():
    obs = positions.observations("SIPAS", 2022, 2022)
    assert all(t.max() <= 2022 for t, _, _ in obs.values())
    sm = positions.smoother("SIPAS", 2022, 2022)
    assert sm.n_cases > 0 and 0 < sm.lam < 1 and 0 < sm.rho <= 1 and 0 <= sm.kappa < 1


def test_a_score_without_a_rank_is_placed_between_the_published_ranks():
    # Khánh Hòa's 2023 PAR score (88.6) was published without its rank
    ds = data.load()
    p = ds.results[("PAR", 2023)]["khanh-hoa"]
    assert p.rank is None and p.score is not None
    z = dict(positions._observed("PAR"))["khanh-hoa"]
    ((year, value),) = [(y, v) for y, v in z if y == 2023]
    ranked = [(q.score, q.rank) for q in ds.results[("PAR", 2023)].values() if q.rank and q.score]
    above = min(r for s, r in ranked if s > p.score)
    below = max(r for s, r in ranked if s < p.score)
    assert positions._z_of_rank(below) <= value <= positions._z_of_rank(above)


def test_the_fit_is_the_same_whatever_order_the_provinces_come_in():
    """The leave-one-out errors are summed province by province in one fixed order, so a fit (and the
    evaluation built on it) gives the same numbers to the last digit in every process."""
    sets = tuple(positions.observations(i, y, history.HISTORY_END) for i, y in (("PAR", 2023), ("SIPAS", -1)))
    turned = tuple(dict(reversed(list(obs.items()))) for obs in sets)
    lams, rhos = (g.ravel() for g in np.meshgrid(positions.LAMBDAS, positions.RHOS, indexing="ij"))
    kappas = np.zeros(lams.size)
    for own_only in (True, False):
        errors, n = positions._loo_errors(sets, lams, rhos, kappas, own_only)
        again, m = positions._loo_errors(turned, lams, rhos, kappas, own_only)
        assert n == m > 100 and np.array_equal(errors, again)
