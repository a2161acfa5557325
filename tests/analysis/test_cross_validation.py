"""Cross-validation that hides what a user would not see: a province-year (both indices, scores
and ranks) or a whole province, hidden from every step that reads published figures; and the
persistence-with-a-spread baseline, fitted on nothing after the forecast's origin."""

from __future__ import annotations

import numpy as np
import pytest
from support import clear_caches, read_csv, set_cells, write_csv

from simlib.analysis import harness, persistence, selection_checks, summary_file
from simlib.engine import data, dynamics, history, positions

DRAWS = 60


def _drop_rows(folder, figures, extremes):
    """Remove from the data copy in ``folder`` the index_results rows of ``figures`` and the
    national_summary rows ``extremes`` ((index, year, metric))."""
    header, rows = read_csv(folder / "index_results.csv")
    col = {c: header.index(c) for c in ("index", "year", "province_slug")}
    keep = [r for r in rows if (r[col["index"]], int(r[col["year"]]), r[col["province_slug"]]) not in figures]
    assert len(keep) < len(rows)
    write_csv(folder / "index_results.csv", header, keep)
    header, rows = read_csv(folder / "national_summary.csv")
    col = {c: header.index(c) for c in ("index", "year", "metric")}
    keep = [r for r in rows if (r[col["index"]], int(r[col["year"]]), r[col["metric"]]) not in extremes]
    assert len(keep) == len(rows) - len(extremes)
    write_csv(folder / "national_summary.csv", header, keep)


def _everything_read(index: str, year: int):
    """What the reconstruction of a past year reads and makes: the smoother's parameters, every
    usual position, the dynamics' pairs, and the reconstructed field itself."""
    return (
        positions.smoother(index, year, history.HISTORY_END),
        positions.predicted(index, year, history.HISTORY_END),
        dynamics.pairs(index, history.HISTORY_END),
        history.reconstruct(index, year, DRAWS, 5, history.HISTORY_END).scores,
    )


@pytest.mark.parametrize("slug,year", [("quang-ninh", 2023), ("hai-phong", 2022)])
def test_hiding_a_province_year_is_the_dataset_without_its_rows(slug, year, tmp_path, monkeypatch, data_copy):
    """Hidden in both indices (PAR and SIPAS, scores and ranks, and the national maximum it holds
    as rank 1), a province-year leaves the smoother, its fit, the placement regression, the pairs
    and the reconstruction exactly as a dataset collected without those rows would. The hidden
    dataset is read after the whole one (what the fits kept of the other provinces is reused), the
    one without the rows from nothing kept."""
    clear_caches()
    ds = data.load()
    whole = {index: _everything_read(index, year) for index in data.INDICES}
    figures = data.figures_of(ds, slug, (year,))
    assert {i for i, _, _ in figures} == {"PAR", "SIPAS"}
    extremes = data.held_extremes(ds, figures)
    if slug == "quang-ninh":  # rank 1 in both indices in 2023: both maxima are its scores
        assert extremes == {("PAR", 2023, "max_pct"), ("SIPAS", 2023, "max_pct")}
    with data.hiding(figures):
        assert all(slug not in data.load().results.get((i, y), {}) for i, y, _ in figures)
        hidden = {index: _everything_read(index, year) for index in data.INDICES}
    _drop_rows(data_copy, figures, extremes)
    monkeypatch.setenv("SIMLIB_DATA_DIR", str(data_copy))
    clear_caches()
    try:
        removed = {index: _everything_read(index, year) for index in data.INDICES}
    finally:
        monkeypatch.delenv("SIMLIB_DATA_DIR")
        clear_caches()
    for index in data.INDICES:
        (sm_h, pred_h, pairs_h, field_h), (sm_r, pred_r, pairs_r, field_r) = hidden[index], removed[index]
        assert sm_h == sm_r and pred_h == pred_r
        assert all(np.array_equal(a, b) for a, b in zip(pairs_h, pairs_r))
        assert np.array_equal(field_h, field_r)
    assert not np.array_equal(whole["PAR"][3], hidden["PAR"][3])  # the hidden figures did count before


def test_hiding_ends_with_its_block_and_blocks_add_up():
    ds = data.load()
    a, b = data.figures_of(ds, "ha-noi", (2023,)), data.figures_of(ds, "quang-ninh", (2023,))
    with data.hiding(a):
        with data.hiding(b):
            inner = data.load()
            assert "ha-noi" not in inner.results[("PAR", 2023)] and "quang-ninh" not in inner.results[("PAR", 2023)]
        assert "quang-ninh" in data.load().results[("PAR", 2023)]
    assert data.load() is ds


def _seen_by_reconstruct(monkeypatch):
    """Record, for every reconstruction, which (index, year, province) figures the dataset held."""
    seen = []
    real = history.reconstruct

    def spy(index, year, *args, **kwargs):
        ds = data.load()
        seen.append((index, year, {(i, y, s) for (i, y), e in ds.results.items() for s in e}, kwargs.get("hide", ())))
        return real(index, year, *args, **kwargs)

    monkeypatch.setattr(history, "reconstruct", spy)
    return seen


@pytest.mark.slow
def test_province_year_out_hides_the_province_in_both_indices_that_year_only(monkeypatch):
    ds = data.load()
    seen = _seen_by_reconstruct(monkeypatch)
    records = harness.province_year_cases("SIPAS", DRAWS, 3)
    assert records and {r["method"] for r in records} == {"reconstruction_province_year"}
    scored = {(r["year"], r["slug"]) for r in records}
    for year, slug in scored:
        held = [
            figs
            for index, y, figs, _ in seen
            if (index, y) == ("SIPAS", year) and not any(f[2] == slug and f[1] == year for f in figs)
        ]
        assert held, (year, slug)  # reconstructed once without any of its figures of that year
        figs = held[0]
        assert not any(s == slug and y == year for _, y, s in figs)  # neither index, that year
        others = {f for f in data.figures_of(ds, slug) if f[1] != year}
        assert others <= figs  # its other years still count


@pytest.mark.slow
def test_province_out_hides_every_year_of_thinly_published_provinces(monkeypatch):
    ds = data.load()
    thin = harness.thin_provinces()
    assert thin and all(len({y for _, y, _ in data.figures_of(ds, s)}) <= harness.THIN_YEARS for s in thin)
    seen = _seen_by_reconstruct(monkeypatch)
    records = harness.province_out_cases("PAR", DRAWS, 3)
    assert records and {r["slug"] for r in records} <= set(thin)
    for r in records:
        assert any(
            (index, y) == ("PAR", r["year"]) and not any(s == r["slug"] for _, _, s in figs)
            for index, y, figs, _ in seen
        )


@pytest.mark.slow
def test_every_cross_validation_reports_by_where_the_hidden_rank_stood():
    ev = harness.run(("SIPAS",), DRAWS, 3)
    for method in harness.RECONSTRUCTIONS:
        all_row = ev.row("SIPAS", 0, method)
        assert all_row and all_row["n_ranks"]
        parts = [ev.row("SIPAS", 0, method, cases=c) for c in harness.STOOD]
        assert sum(p["n_ranks"] for p in parts if p) == all_row["n_ranks"]


# ----------------------------------------------------------------------------- persistence with a spread


def test_persistence_changes_are_the_published_changes_up_to_the_origin():
    """Rank changes: every province ranked in two years one year apart, both ≤ the origin (ranks
    have no scale, so every published year counts), grouped by the rank it started from."""
    ds = data.load()
    got = persistence.changes("PAR", 2023, 1, "rank")
    years = [y for y in ds.years_with_results("PAR") if y + 1 <= 2023]
    expected = {g: [] for g in persistence.START_GROUPS}
    for y0 in years:
        e0, e1 = ds.results[("PAR", y0)], ds.results.get(("PAR", y0 + 1), {})
        for s in e0.keys() & e1.keys():
            if e0[s].rank and e1[s].rank:
                expected[persistence.start_group(e0[s].rank, 63)].append(e1[s].rank - e0[s].rank)
    assert {g: sorted(v) for g, v in got.items()} == {g: sorted(v) for g, v in expected.items()}
    assert got["top"].size and got["middle"].size


def test_persistence_rank_changes_are_counted_in_the_target_fields_places():
    """A forecast of 2025's 34 units from 2024's 63 provinces: a move of 63 places in the old field
    is a move of 34 in the new one, so every change is rescaled by 34 / 63 (and the groups, which
    say where a province started, stay the same)."""
    own, for_34 = persistence.changes("PAR", 2024, 1, "rank"), persistence.changes("PAR", 2024, 1, "rank", units=34)
    for g in persistence.START_GROUPS:
        np.testing.assert_allclose(for_34[g], own[g] * 34 / 63)
    old, new = persistence.spread("PAR", 2024, 1, "rank", "top"), persistence.spread("PAR", 2024, 1, "rank", "top", 34)
    assert old.source == new.source
    assert np.ptp(new.changes) == pytest.approx(np.ptp(old.changes) * 34 / 63)
    score = persistence.changes("PAR", 2024, 1, "score")
    assert all(np.array_equal(score[g], persistence.changes("PAR", 2024, 1, "score", units=34)[g]) for g in score)


def test_persistence_spread_uses_nothing_after_its_origin(other_data, monkeypatch):
    """A changed 2024 rank changes the spread of a forecast from 2024, not of one from 2023."""
    monkeypatch.setattr(data, "RECHECK_SECONDS", 0.0)

    def spreads(origin):
        return {
            (k, g): persistence.spread("PAR", origin, 1, k, g).changes
            for k in ("rank", "score")
            for g in persistence.START_GROUPS
        }

    before, before_2024 = spreads(2023), spreads(2024)
    results = other_data / "index_results.csv"
    header, rows = read_csv(results)
    row = next(
        n
        for n, r in enumerate(rows, start=2)
        if r[header.index("index")] == "PAR" and r[header.index("year")] == "2024" and r[header.index("rank")] == "7"
    )
    set_cells(results, row, rank="40")
    clear_caches()
    after, after_2024 = spreads(2023), spreads(2024)
    assert all(np.array_equal(before[key], after[key]) for key in before)
    assert not all(np.array_equal(before_2024[key], after_2024[key]) for key in before_2024)


def test_persistence_spread_carries_the_start_forward_within_the_field():
    sp = persistence.Spread(np.array([-30.0, -2.0, 0.0, 0.0, 1.0, 3.0, 40.0]), persistence.SPREAD_FROM[0])
    r = persistence.rank_draws(3, 63, sp, 700)
    assert r.min() == 1 and r.max() == 43 and np.median(r) == 3
    assert persistence.rank_draws(5, 63, persistence.Spread(np.zeros(0), "none"), 10).tolist() == [5.0] * 10


@pytest.mark.slow
def test_persistence_spread_is_scored_beside_rank_persistence():
    ev = harness.run(("PAR",), DRAWS, 3)
    for h in (1, 2):
        ps, point = ev.row("PAR", h, harness.PERSISTENCE_SPREAD), ev.row("PAR", h, "rank_persistence")
        assert ps["n_ranks"] == point["n_ranks"] and ps["n_scores"] > 0
        assert ps["rank_coverage_90"] is not None and ps["coverage_90"] is not None
        assert ps["rank_crps"] <= ps["rank_mae"] + 1e-9  # a spread never scores worse than its own median
        assert ps["coverage_90_calibrated_lo"] is None  # its draws are quantiles: no calibrated range


# ----------------------------------------------------------------------------- data/README.md against the harness


def _readme_table(header_start: str) -> list[list[str]]:
    """The body rows of the table in data/README.md whose header line starts with ``header_start``."""
    from simlib.engine import paths

    lines = (paths.data_dir() / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows


def _pooled(rows, index, horizon, method, cases):
    return next(
        r
        for r in rows
        if (r["index"], r["horizon"], r["method"], r["year"], r["cases"]) == (index, horizon, method, "pooled", cases)
    )


def test_data_readme_table_of_ranks_beside_persistence_is_the_stored_summary():
    rows, _ = summary_file.stored_summary()
    shown = _readme_table("| index | years ahead | ranks scored |")
    assert len(shown) == 5  # PAR 1–3 years, SIPAS 1–2 years
    for index, horizon, n, errors, crps in shown:
        model, point, spread = (
            _pooled(rows, index, int(horizon), m, "published_at_origin")
            for m in ("model", "rank_persistence", harness.PERSISTENCE_SPREAD)
        )
        assert int(n) == model["n_ranks"] == point["n_ranks"] == spread["n_ranks"]
        assert errors == f"{model['rank_mae']:.1f} / {point['rank_mae']:.1f}", (index, horizon)
        assert crps == f"{model['rank_crps']:.2f} / {spread['rank_crps']:.2f}", (index, horizon)


def test_data_readme_table_of_the_three_cross_validations_is_the_stored_summary():
    rows, _ = summary_file.stored_summary()
    methods = dict(zip(("one value out", "province-year out", "province out"), harness.RECONSTRUCTIONS))
    stood = {"all": "all", "top 10": "ranked_top", "mid-field": "ranked_middle", "bottom 10": "ranked_bottom"}
    shown = _readme_table("| cross-validation | index |")
    assert len(shown) == 3 * 2 * 4

    def cell(share, n):
        return "—" if not n else f"{share * 100:.0f}% ({n})"

    for method, index, where, scores, ranks, error in shown:
        r = _pooled(rows, index, 0, methods[method], stood[where])
        assert scores == cell(r["coverage_90"], r["n_scores"]), (method, index, where)
        assert ranks == cell(r["rank_coverage_90"], r["n_ranks"]), (method, index, where)
        assert error == f"{r['rank_mae']:.1f}", (method, index, where)


def test_data_readme_table_of_the_top_five_is_the_harness():
    """Recomputed at the summary's draws and seed: the top-5 retention the README quotes."""
    rows, _ = summary_file.stored_summary()
    shown = _readme_table("| index | years ahead | top-5 provinces |")
    assert shown
    for index, horizon, cases, stayed, expected in shown:
        t = selection_checks.top_retention(index, int(horizon), draws=harness.DEFAULT_DRAWS, seed=harness.DEFAULT_SEED)
        assert (int(cases), int(stayed)) == (t["cases"], t["stayed"])
        assert expected == f"{t['model_expected']:.1f} ({t['model_lo']}–{t['model_hi']})"


def test_top_retention_counts_a_province_that_left_the_top():
    """An unselected check: every one of the origin's top 5 is counted, whether it stayed or not."""
    t = selection_checks.top_retention("PAR", 1, draws=DRAWS, seed=3)
    ds = data.load()
    assert t["cases"] == 5 * sum(
        1
        for origin, year in harness.forecast_pairs("PAR")
        if year - origin == 1
        and selection_checks.complete_top("PAR", origin, 5)
        and selection_checks.complete_top("PAR", year, 5)
    )
    assert 0 <= t["stayed"] < t["cases"]  # some left: rank persistence would have expected all to stay
    assert 0 <= t["model_lo"] <= t["model_expected"] <= t["model_hi"] <= t["cases"]
    assert ds  # the dataset is the project's own


def test_a_rank_crps_table_is_the_sample_crps_at_every_rank():
    from simlib.analysis import scores

    draws = np.random.default_rng(5).integers(1, 30, 400)
    table = scores.rank_crps_table(draws, 63)
    assert table.shape == (63,)
    np.testing.assert_allclose(table, [float(scores.crps_sample(draws, t)) for t in range(1, 64)], atol=1e-12)


@pytest.mark.parametrize("index,horizon", [("PAR", 1), ("SIPAS", 1)])
def test_against_last_rank_observes_what_the_summary_scores(index, horizon):
    """The observed half is the summary's own rows for provinces whose rank was published at the origin."""
    check = selection_checks.against_last_rank(index, horizon, draws=DRAWS, seed=4)
    rows = harness.summarise(harness.forecast_cases(index, DRAWS, 4))
    model = _pooled(rows, index, horizon, "model", "published_at_origin")
    last = _pooled(rows, index, horizon, "rank_persistence", "published_at_origin")
    spread = _pooled(rows, index, horizon, harness.PERSISTENCE_SPREAD, "published_at_origin")
    assert check["cases"] == model["n_ranks"] == last["n_ranks"]
    assert check["model_mae"] == pytest.approx(model["rank_mae"])
    assert check["last_rank_mae"] == pytest.approx(last["rank_mae"])
    assert check["model_crps"] == pytest.approx(model["rank_crps"])
    assert check["spread_crps"] == pytest.approx(spread["rank_crps"])


def test_without_the_selection_a_right_model_is_never_worse_than_last_years_rank():
    """Known answer: with every rank published, the truth drawn from the forecast itself, the median
    is the best point and the forecast the best distribution (CRPS is proper), so a right model's
    expected differences are ≤ 0; the publication of mostly top and bottom ranks is what can turn them."""
    for index, horizon in (("PAR", 1), ("PAR", 2), ("SIPAS", 1)):
        free = selection_checks.against_last_rank(index, horizon, draws=DRAWS, seed=4, selection=False)
        assert free["median_vs_last_rank_right"] <= 1e-9, (index, horizon)
        assert free["crps_vs_spread_right"] <= 1e-9, (index, horizon)
        selected = selection_checks.against_last_rank(index, horizon, draws=DRAWS, seed=4)
        assert selected["median_vs_last_rank"] == free["median_vs_last_rank"]  # the observed half is the same
        assert (
            selected["median_vs_last_rank_right"] > free["median_vs_last_rank_right"]
        )  # the selection favours last rank
        lo, hi = selected["median_vs_last_rank_right_lo"], selected["median_vs_last_rank_right_hi"]
        assert lo <= selected["median_vs_last_rank_right"] <= hi


def test_data_readme_table_against_last_rank_is_the_harness():
    """Recomputed at the summary's draws and seed: the right-model comparison the README quotes."""
    shown = _readme_table("| index | years ahead | ranks scored | median − last")
    assert len(shown) == 5

    def signed(x, digits):
        return f"{x:+.{digits}f}".replace("-", "−")

    for index, horizon, cases, median, right, free, crps, crps_right, crps_free in shown:
        kw = {"draws": harness.DEFAULT_DRAWS, "seed": harness.DEFAULT_SEED}
        c = selection_checks.against_last_rank(index, int(horizon), **kw)
        f = selection_checks.against_last_rank(index, int(horizon), selection=False, **kw)
        assert int(cases) == c["cases"]
        assert median == signed(c["median_vs_last_rank"], 1)
        lo, hi = c["median_vs_last_rank_right_lo"], c["median_vs_last_rank_right_hi"]
        assert right == f"{signed(c['median_vs_last_rank_right'], 1)} ({signed(lo, 1)} to {signed(hi, 1)})"
        assert free == signed(f["median_vs_last_rank_right"], 1)
        assert crps == signed(c["crps_vs_spread"], 2)
        lo, hi = c["crps_vs_spread_right_lo"], c["crps_vs_spread_right_hi"]
        assert crps_right == f"{signed(c['crps_vs_spread_right'], 2)} ({signed(lo, 2)} to {signed(hi, 2)})"
        assert crps_free == signed(f["crps_vs_spread_right"], 2)
