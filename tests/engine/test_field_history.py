"""history.py and field.py: reconstructed fields keep what was published; the field moves on."""

from __future__ import annotations

import numpy as np
import pytest

from simlib.engine import data, field, history, params, positions, projection

DRAWS = 300
YEARS = [(ix, y) for ix in data.INDICES for y in history.reconstructable_years(ix)]


@pytest.fixture(scope="module", params=YEARS, ids=lambda k: f"{k[0]}-{k[1]}")
def recon(request):
    index, year = request.param
    return history.reconstruct(index, year, DRAWS, 3)


def test_reconstructable_years():
    assert {2022, 2023, 2024} <= set(history.reconstructable_years("PAR"))
    assert {2022, 2023, 2024} <= set(history.reconstructable_years("SIPAS"))
    assert all(y < data.MERGER_YEAR for _, y in YEARS)


def test_reconstruction_keeps_every_published_score(recon):
    assert recon.scores.shape == (DRAWS, 63)
    pub = ~np.isnan(recon.published_score)
    assert pub.any()
    assert np.all(recon.scores[:, pub] == recon.published_score[pub])
    assert recon.status == ["published" if p else "reconstructed" for p in pub]


def test_reconstruction_keeps_every_published_rank(recon):
    """Per draw: each published rank r is the unit's rank (ties with unpublished scores aside)."""
    s = recon.scores
    strictly_above = (s[:, None, :] > s[:, :, None]).sum(axis=2)  # (D, N)
    at_least = (s[:, None, :] >= s[:, :, None]).sum(axis=2)  # includes the unit itself
    for i in np.flatnonzero(recon.published_rank > 0):
        r = recon.published_rank[i]
        assert np.all(strictly_above[:, i] + 1 <= r), recon.slugs[i]
        assert np.all(at_least[:, i] >= r), recon.slugs[i]


def test_scores_descend_with_published_ranks(recon):
    ranked = np.flatnonzero(recon.published_rank > 0)
    order = ranked[np.argsort(recon.published_rank[ranked])]
    assert np.all(np.diff(recon.scores[:, order], axis=1) <= 0)


def test_reconstruction_matches_the_published_average(recon):
    avg = data.load().average(recon.index, recon.year)
    if avg is None:
        pytest.skip("no published average this year")
    assert np.all(np.abs(recon.scores.mean(axis=1) - avg) <= 0.1)


def test_scores_are_plausible(recon):
    assert np.all((40 <= recon.scores) & (recon.scores < 100))
    mx = data.load().summary.get((recon.index, recon.year, "max_pct"))
    if mx is not None:
        assert np.all(recon.scores.max(axis=1) <= mx + 1e-9)


def test_units_with_no_published_rank_get_wider_bands(recon):
    width = np.percentile(recon.scores, 95, axis=0) - np.percentile(recon.scores, 5, axis=0)
    unpublished = np.isnan(recon.published_score)
    with_rank = unpublished & (recon.published_rank > 0)
    no_rank = unpublished & (recon.published_rank == 0)
    if not with_rank.any():
        pytest.skip("no unit with a rank but no score this year")
    assert width[no_rank].mean() > 2 * width[with_rank].mean()
    assert np.median(width[no_rank]) > np.median(width[with_rank])


def test_reconstruction_is_reproducible_and_seeded():
    a = history.reconstruct("SIPAS", 2023, 50, 1)
    history.reconstruct.cache_clear()
    b = history.reconstruct("SIPAS", 2023, 50, 1)
    c = history.reconstruct("SIPAS", 2023, 50, 2)
    assert a is not b and np.array_equal(a.scores, b.scores)
    assert not np.array_equal(a.scores, c.scores)


def test_reconstruction_notes_say_what_was_done():
    f = history.reconstruct("PAR", 2024, 50, 1)
    assert f.notes[0].startswith("PAR 2024:") and "published scores" in f.notes[0]
    assert "average matched to 88.37" in f.notes[0]


def test_a_year_with_too_little_data_cannot_be_reconstructed():
    assert 2016 not in history.reconstructable_years("PAR")
    with pytest.raises(ValueError, match="too few published scores"):
        history.reconstruct("PAR", 2016, 10, 1)


def test_loggap_roundtrip():
    x = np.array([0.0, 50.0, 88.37, 99.9])
    assert np.allclose(history.from_loggap(history.loggap(x)), x)
    assert np.isfinite(history.loggap(100.0))


def test_published_scores():
    scores = history.published_scores("PAR", 2024)
    assert scores["ha-noi"] == 92.75 and scores["hai-phong"] == 96.17
    assert history.published_scores("PAR", 1990) == {}


# --------------------------------------------------------------------------- field dynamics


@pytest.mark.parametrize("index", data.INDICES)
def test_fit_uses_only_data_up_to_the_cutoff(index):
    f = field.fit(index, 2024)
    assert f.trend < 0  # scores rising: log(100 − score) falls
    assert 0 <= f.persistence <= 1 and f.noise_sd > 0 and f.trend_sd > 0
    early = field.fit(index, 2023)
    assert "2024" not in early.trend_from and early.n_pairs <= f.n_pairs


def test_the_2025_break_widens_par_only():
    """QĐ 1187/QĐ-BNV: PAR's step into 2025 carries an extra common shock and extra unit noise; SIPAS none."""
    par = field.innovations("PAR", 2024, 2026, 400, 3)
    sipas = field.innovations("SIPAS", 2024, 2026, 400, 3)
    assert par.break_year == 2025 and sipas.break_year is None
    assert par.break_eps.shape == (400, 34)
    assert np.std(par.break_eps) == pytest.approx(params.central("par_break_noise_sd"), rel=0.1)
    assert np.std(par.break_shock) == pytest.approx(params.central("par_break_shock_sd"), rel=0.2)
    assert field.innovations("PAR", 2021, 2023, 50, 3).break_year is None  # backtests never cross it


def test_merger_weights_constituents_by_population():
    ds = data.load()
    provinces, units = list(ds.provinces), list(ds.units)
    values = np.arange(2 * 63, dtype=float).reshape(2, 63)  # two draws, one value per province
    merged = field.merge(values, ds)
    assert merged.shape == (2, 34)
    hn, hp = units.index("ha-noi"), units.index("hai-phong")
    assert np.array_equal(merged[:, hn], values[:, provinces.index("ha-noi")])
    # Hải Phòng (2019: ~2,033 thousand) absorbed Hải Dương (~1,895 thousand): weights by population
    w_hp, w_hd = ds.population["hai-phong"], ds.population["hai-duong"]
    expected = (w_hp * values[:, provinces.index("hai-phong")] + w_hd * values[:, provinces.index("hai-duong")]) / (
        w_hp + w_hd
    )
    assert np.allclose(merged[:, hp], expected)
    assert not np.allclose(
        merged[:, hp], values[:, [provinces.index("hai-phong"), provinces.index("hai-duong")]].mean(axis=1)
    )
    equal = np.full((1, 63), 7.0)  # equal values stay equal whatever the weights
    assert np.allclose(field.merge(equal, ds), 7.0)
    every = np.concatenate([ds.members(u) for u in units])
    assert sorted(every) == sorted(provinces)  # each province in exactly one unit


@pytest.fixture(scope="module")
def projected():
    return field.project("PAR", 2023, 2030, DRAWS, 5)


def test_projection_switches_to_34_units_in_2025(projected):
    assert projected.years == tuple(range(2024, 2031))
    assert [len(s) for s in projected.slugs] == [63] + [34] * 6
    assert projected.slugs[1] == tuple(data.load().units)
    assert all(s.shape == (DRAWS, len(u)) for s, u in zip(projected.scores, projected.slugs))
    assert projected.column(1, "ha-noi") == list(data.load().units).index("ha-noi")


def test_projection_stays_below_100_and_the_field_rises(projected):
    assert all(np.all(s < 100) for s in projected.scores)
    means = np.array([np.median(s.mean(axis=1)) for s in projected.scores])
    assert means[-1] > data.load().average("PAR", 2023)
    # uncertainty grows with the horizon
    spread = [np.percentile(s.mean(axis=1), 95) - np.percentile(s.mean(axis=1), 5) for s in projected.scores]
    assert spread[-1] > spread[0]


def test_projection_starts_from_the_reconstructed_baseline(projected):
    base = projected.base
    assert (base.index, base.year) == ("PAR", 2023)
    first = projected.scores[0]
    # persistence: the baseline order carries into the next year
    corr = np.corrcoef(base.scores.mean(axis=0), first.mean(axis=0))[0, 1]
    assert corr > 0.8


@pytest.mark.parametrize("index", data.INDICES)
def test_merged_units_start_from_their_constituents(index):
    """In 2025 each unit sits where the mean of its constituent provinces stood in 2024."""
    ds = data.load()
    pf = field.project(index, 2024, 2025, DRAWS, 5)
    base = np.median(pf.base.scores, axis=0)
    start = {u: np.mean([base[pf.base.slugs.index(p)] for p in ds.members(u)]) for u in ds.units}
    projected = np.median(pf.scores[0], axis=0)
    x = np.array([start[u] for u in pf.slugs[0]])
    assert np.corrcoef(x, projected)[0, 1] > 0.8
    hn = pf.column(0, "ha-noi")
    assert abs(projected[hn] - ds.results[(index, 2024)]["ha-noi"].score) < 3.0


def test_projection_is_reproducible():
    a = field.project("SIPAS", 2024, 2026, 50, 9)
    projection.clear_caches()
    b = field.project("SIPAS", 2024, 2026, 50, 9)
    c = field.project("SIPAS", 2024, 2026, 50, 10)
    assert all(np.array_equal(x, y) for x, y in zip(a.scores, b.scores))
    assert not np.array_equal(a.scores[0], c.scores[0])


def test_sorted_slots_are_each_draw_sorted_best_first():
    """The reconstruction's slots, sorted in place and read backwards, equal the scores sorted
    best first, whether or not the published scores themselves descend."""
    rng = np.random.default_rng(5)
    slot_score = np.array([96.0, np.nan, np.nan, 91.0, np.nan, 88.0, np.nan, np.nan, np.nan, 80.0])
    known = ~np.isnan(slot_score)
    free = np.flatnonzero(~known)
    hi = np.array([96, 96, 96, 91, 91, 88, 88, 88, 88, 80], dtype=float)
    lo = np.array([96, 91, 91, 91, 88, 88, 80, 80, 80, 80], dtype=float)
    filled = rng.uniform(lo[free], hi[free], (50, free.size))
    full = np.broadcast_to(slot_score, (50, 10)).copy()
    full[:, free] = filled
    assert np.array_equal(history._sorted_slots(slot_score, known, free, filled), -np.sort(-full, axis=1))
    disordered = slot_score.copy()
    disordered[3] = 97.0  # a published score above the one before it
    full[:, 3] = 97.0
    assert np.array_equal(history._sorted_slots(disordered, known, free, filled), -np.sort(-full, axis=1))


@pytest.mark.parametrize("index", data.INDICES)
def test_evolve_is_the_plain_recurrence(index):
    """The in-place projection gives the same bits as the recurrence written out (the gaps in float32),
    for the fitted assumptions and for several settings evaluated at once (leading axis); and the
    float32 gaps move the scores by far less than anything a band or a rank shows (vs float64)."""
    inn = field.innovations(index, 2023, 2027, 200, 11)
    trend, phi = field.trend_and_persistence(inn)

    def plain(trend, phi, kind):
        centre, dev, out = inn.centre0, inn.dev0.astype(kind), []
        for k, year in enumerate(inn.years):
            if year == data.MERGER_YEAR:
                dev = field.merge(dev, data.load())
            centre = centre + trend + inn.shock_sd * inn.shocks[k]
            sd = kind(inn.fit.noise_sd)  # the noise's sd, or with the mixture a staying or jumping unit's
            if inn.jumps is not None:
                sd = np.where(inn.jumps[k], kind(inn.fit.jump_sd), kind(inn.fit.stay_sd))
            dev = phi[..., None].astype(kind) * dev + inn.eps[k].astype(kind) * sd
            if year == inn.break_year:  # PAR 2025: the new scheme's extra shocks
                centre, dev = centre + inn.break_shock, dev + inn.break_eps.astype(kind)
            out.append((100.0 - np.exp(centre[..., None].astype(kind) + dev)).astype(float))
        return out

    assert inn.dev0.dtype == np.float32
    for t, p in ((trend, phi), (np.stack([trend, 0.5 * trend]), np.stack([phi, np.clip(phi + 0.1, 0, 1)]))):
        got, want = field.evolve(inn, t, p), plain(t, p, np.float32)
        assert [g.shape for g in got] == [w.shape for w in want]
        assert all(g.dtype == np.float64 for g in got)
        assert all(np.array_equal(g, w) for g, w in zip(got, want))
        assert max(np.abs(g - w).max() for g, w in zip(got, plain(t, p, np.float64))) < 1e-4  # points


def test_a_past_year_uses_later_ranks_but_a_forecast_start_does_not():
    """Reconstructing 2021 as history, a province first ranked later has a usual position; the
    same year as a backtest origin knows nothing after it, and the projection starts from that."""
    ds = data.load()
    later_only = {
        s
        for (i, y), e in ds.results.items()
        if i == "PAR" and 2021 < y <= history.HISTORY_END
        for s, p in e.items()
        if p.rank is not None
    }
    later_only -= {
        s for (i, y), e in ds.results.items() if i == "PAR" and y < 2021 for s, p in e.items() if p.rank is not None
    }
    assert later_only
    as_history = history.usual_positions("PAR", 2021, history.HISTORY_END)
    as_origin = history.usual_positions("PAR", 2021, 2021)
    seen = positions.observations("PAR", 2021, 2021)  # both indices' figures up to 2021
    assert later_only <= as_history.keys()
    assert all(t.max() <= 2021 for t, _, _ in seen.values())
    assert not (later_only - seen.keys()) & as_origin.keys()
    pf = field.project("PAR", 2021, 2022, 40, 3)
    np.testing.assert_array_equal(pf.base.scores, history.reconstruct("PAR", 2021, 40, 3, 2021).scores)


def test_a_series_starting_at_a_break_takes_its_drift_from_the_averages_before_it():
    """SIPAS changed its design in 2022: from 2022 alone the drift is the mean yearly change of
    log(100 − average) over the published averages of the years before (none after the cutoff)."""
    from simlib.engine import dynamics

    ds = data.load()
    before = [y for y in range(2022 - dynamics.MAX_PRE_YEARS, 2022) if ds.average("SIPAS", y) is not None]
    assert len(before) >= 2
    c = dynamics.common("SIPAS", 2022)
    expected = (history.loggap(ds.average("SIPAS", before[-1])) - history.loggap(ds.average("SIPAS", before[0]))) / (
        before[-1] - before[0]
    )
    assert c.trend == pytest.approx(float(expected))
    assert "before the 2022 break" in c.note
    later = dynamics.common("SIPAS", 2023).note
    assert "before the 2022 break" in later and "2 from 2022 on (2022, 2023)" in later


def test_the_drift_is_one_across_the_segments_before_and_after_a_break():
    """PAR's scale changed in 2019: from 2021 the drift is the summed change of log(100 − average)
    within each segment (2016–2018, 2019–2021) over their summed years; the step across the
    break counts for neither the drift nor the shock."""
    from simlib.engine import dynamics

    ds = data.load()
    before, after = dynamics.segments("PAR", 2021)
    assert before and before[-1] < 2019 <= after[0] and after[-1] == 2021 and len(after) >= 2
    g = {y: float(history.loggap(ds.average("PAR", y))) for y in before + after}
    change = (g[before[-1]] - g[before[0]]) + (g[after[-1]] - g[after[0]])
    years = (before[-1] - before[0]) + (after[-1] - after[0])
    c = dynamics.common("PAR", 2021)
    assert c.trend == pytest.approx(change / years)
    # the residuals of both segments count: a shock sd above the prior, which only the prior would give
    assert c.shock_sd > params.central("par_common_shock_sd")
