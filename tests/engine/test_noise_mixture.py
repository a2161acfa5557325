"""The units' yearly noise as a stay/jump mixture: estimated by likelihood (known answers), and
driving the projected field (the share of jumps and both sds show in the draws)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from support import clear_caches

from simlib.engine import dynamics, field, history


def _pairs(rng, n, phi, jump_prob, stay_sd, jump_sd, measured=0.02):
    """Published pairs simulated from the model: gaps x, a year or two later y = φ^k·x + noise, each
    year's noise a jump with probability ``jump_prob``; some gaps measured with error (ranks
    published without a score)."""
    x = rng.normal(0, 0.3, n)
    k = np.where(rng.random(n) < 0.3, 2.0, 1.0)

    def noise():
        return np.where(rng.random(n) < jump_prob, jump_sd, stay_sd) * rng.standard_normal(n)

    e = np.where(k > 1, phi * noise() + noise(), noise())
    mx = np.where(rng.random(n) < 0.3, measured**2, 0.0)
    my = np.where(rng.random(n) < 0.3, measured**2, 0.0)
    y = phi**k * x + e + np.sqrt(my) * rng.standard_normal(n)
    return x + np.sqrt(mx) * rng.standard_normal(n), y, k, mx, my


@pytest.mark.slow
def test_persistence_jump_share_and_both_sds_are_recovered_by_likelihood():
    x, y, k, mx, my = _pairs(np.random.default_rng(7), 700, 0.9, 0.2, 0.05, 0.2)
    phi, shape, stay = dynamics.mixture(x, y, k, mx, my)
    assert phi == pytest.approx(0.9, abs=0.02)
    assert shape.jump_prob == pytest.approx(0.2, abs=0.06)
    assert stay == pytest.approx(0.05, rel=0.12)
    assert stay * shape.ratio == pytest.approx(0.2, rel=0.15)


@pytest.mark.slow
def test_normal_noise_is_recovered_as_normal():
    """Pairs with one normal noise: the mixture finds no jumps worth the name, and its overall sd is
    the noise's."""
    x, y, k, mx, my = _pairs(np.random.default_rng(7), 700, 0.85, 0.0, 0.1, 0.1)
    phi, shape, stay = dynamics.mixture(x, y, k, mx, my)
    assert phi == pytest.approx(0.85, abs=0.02)
    overall = stay / np.sqrt(shape.stay_share())
    assert overall == pytest.approx(0.1, rel=0.06)
    assert shape.jump_prob <= 0.06 or shape.ratio <= 1.25


def test_given_a_shape_only_persistence_and_the_scale_are_estimated():
    x, y, k, mx, my = _pairs(np.random.default_rng(11), 800, 0.95, 0.25, 0.04, 0.16)
    phi, shape, stay = dynamics.mixture(x, y, k, mx, my, dynamics.Shape(0.25, 4.0, 0))
    assert (shape.jump_prob, shape.ratio) == (0.25, 4.0)
    assert phi == pytest.approx(0.95, abs=0.02) and stay == pytest.approx(0.04, rel=0.12)


@pytest.fixture
def mixture_fit(monkeypatch):
    """PAR's field from 2021 with a known noise mixture, no common shock and no trend uncertainty."""
    clear_caches()
    real = field.fit

    def fit(index, cutoff):
        f = real(index, cutoff)
        return replace(f, jump_prob=0.25, stay_sd=0.02, jump_sd=0.3, shock_sd=0.0, trend_sd=0.0)

    monkeypatch.setattr(field, "fit", fit)
    yield
    clear_caches()


def test_the_projected_field_moves_by_the_mixture(mixture_fit):
    inn = field.innovations("PAR", 2021, 2022, 4000, 9)
    assert inn.jumps is not None and inn.jumps[0].mean() == pytest.approx(0.25, abs=0.01)
    d = inn.eps[0].shape[0]
    (scores,) = field.evolve(inn, np.zeros(d), np.ones(d))  # persistence 1, no trend: only the unit noise moves
    moved = history.loggap(scores) - history.loggap(inn.base.scores)
    jumped = inn.jumps[0]
    assert moved[jumped].std() == pytest.approx(0.3, rel=0.03)
    assert moved[~jumped].std() == pytest.approx(0.02, rel=0.03)


def test_the_mixture_keeps_every_other_draw(mixture_fit, monkeypatch):
    """Common random numbers: the jumps come from a stream of their own, so the field's other draws
    (unit noise, shocks, the reconstructed start) are the same with the mixture as without."""
    with_mixture = field.innovations("PAR", 2021, 2023, 500, 4)
    monkeypatch.setattr(field, "fit", lambda index, cutoff: replace(dynamics_fit(index, cutoff), jump_prob=0.0))
    clear_caches()
    without = field.innovations("PAR", 2021, 2023, 500, 4)
    assert without.jumps is None
    assert all(np.array_equal(a, b) for a, b in zip(with_mixture.eps, without.eps))
    assert all(np.array_equal(a, b) for a, b in zip(with_mixture.shocks, without.shocks))
    assert np.array_equal(with_mixture.dev0, without.dev0)


def dynamics_fit(index, cutoff):
    c, u = dynamics.common(index, cutoff), dynamics.units(index, cutoff)
    return field.FieldFit(
        index, cutoff, c.trend, c.trend_sd, c.note, u.persistence, u.persistence_sd, u.noise_sd, u.n_pairs, u.note
    )
