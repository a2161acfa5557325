"""The evaluation harness: proper scores on known answers, leave-future-out backtests, the
`simlib evaluate` command, and the stored summary the reports read."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pytest
from support import find_row, run_simlib, set_cells

from simlib.analysis import harness, scores, summary_file
from simlib.engine import data, field, paths

DRAWS = 60


# ----------------------------------------------------------------------------- scores on known answers


def test_crps_of_a_normal_matches_its_closed_form():
    # CRPS(N(0,1), 0) = 2φ(0) − 1/√π = (√2 − 1)/√π
    assert scores.crps_normal(0.0, 1.0, 0.0) == pytest.approx((math.sqrt(2) - 1) / math.sqrt(math.pi))
    # scaling: CRPS(N(μ, σ²), y) = σ · CRPS(N(0,1), (y − μ)/σ)
    assert scores.crps_normal(3.0, 2.0, 5.0) == pytest.approx(2 * scores.crps_normal(0.0, 1.0, 1.0))
    # far from the forecast, CRPS → |y − μ| − σ/√π
    assert scores.crps_normal(0.0, 1.0, 50.0) == pytest.approx(50 - 1 / math.sqrt(math.pi))


def test_sample_crps_converges_to_the_closed_form():
    rng = np.random.default_rng(1)
    x = rng.normal(1.0, 2.0, size=(200_000, 3))
    y = np.array([1.0, 3.5, -4.0])
    assert scores.crps_sample(x, y) == pytest.approx(scores.crps_normal(1.0, 2.0, y), rel=0.01)


def test_sample_crps_is_the_exact_estimator():
    x = np.array([1.0, 4.0, 2.0, 8.0])
    y = 3.0
    brute = np.mean(np.abs(x - y)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))
    assert scores.crps_sample(x, y) == pytest.approx(brute)
    assert scores.crps_sample(np.full(10, 2.0), 5.0) == pytest.approx(3.0)  # a point forecast: absolute error


def test_interval_score_and_coverage():
    assert scores.interval_score(0.0, 1.0, 0.5, 0.9) == pytest.approx(1.0)  # inside: the width
    assert scores.interval_score(0.0, 1.0, 2.0, 0.9) == pytest.approx(1.0 + 20 * 1.0)  # 2/α per point outside
    assert scores.interval_score(0.0, 1.0, -1.0, 0.5) == pytest.approx(1.0 + 4 * 1.0)
    assert list(scores.inside([0, 0], [1, 1], [1.0, 1.1])) == [True, False]
    from simlib.engine import stats

    lo, hi = stats.central_band(np.arange(101.0), 0.9)
    assert (lo, hi) == (5.0, 95.0)
    assert stats.central_band(np.arange(101.0), 0.5) == (25.0, 75.0)
    ranks = np.array([[1], [2], [2], [3], [9]])
    lo, hi = stats.central_band(ranks, 0.9, whole=True)  # ranks a unit can hold, the ends of band()
    assert (lo[0], hi[0]) == (1, 9) and (lo[0], hi[0]) == tuple(stats.band(ranks, whole=True)[i][0] for i in (0, 2))


def test_ranks_count_units_strictly_above():
    s = np.array([[90.0, 95.0, 90.0, 80.0], [70.0, 60.0, 80.0, 90.0]])
    assert scores.ranks_of(s).tolist() == [[2, 1, 2, 4], [3, 4, 2, 1]]
    rng = np.random.default_rng(3)
    for draws in (np.round(rng.normal(80, 3, (50, 3, 34))), rng.normal(80, 3, (50, 63))):  # many ties, none
        above = (draws[..., None, :] > draws[..., :, None]).sum(axis=-1)  # units strictly above each unit
        np.testing.assert_array_equal(scores.ranks_of(draws), above + 1)
    assert scores.ranks_of([70.0, np.nan, 80.0]).tolist() == [3, 1, 2]  # a missing score counts as above all


# ----------------------------------------------------------------------------- the harness


def test_forecast_pairs_leave_the_future_out_and_respect_the_series_start():
    for index in data.INDICES:
        pairs = harness.forecast_pairs(index)
        assert pairs
        start = data.load() and harness.params.central(f"{index.lower()}_series_start")
        for origin, year in pairs:
            assert 1 <= year - origin <= 3 and origin >= start and year < data.MERGER_YEAR
    assert (2023, 2024) in harness.forecast_pairs("PAR") and (2021, 2024) in harness.forecast_pairs("PAR")
    assert all(origin >= 2022 for origin, _ in harness.forecast_pairs("SIPAS"))  # the 2022 survey break


def test_a_forecast_does_not_see_the_year_it_forecasts(other_data, monkeypatch):
    """Changing what was published in 2024 leaves the 2024 forecast made from 2023 unchanged."""
    before = field.project("PAR", 2023, 2024, DRAWS, 5).scores[0].copy()
    path = other_data / "index_results.csv"
    set_cells(
        path, find_row(path, index="PAR", year="2024", province_slug="hai-phong", score_pct="96.17"), score_pct="80.00"
    )
    summary = other_data / "national_summary.csv"
    set_cells(summary, find_row(summary, index="PAR", year="2024", metric="avg_pct"), value="70.0")
    monkeypatch.setattr(data, "RECHECK_SECONDS", 0.0)
    assert data.load().average("PAR", 2024) == 70.0
    assert np.array_equal(field.project("PAR", 2023, 2024, DRAWS, 5).scores[0], before)


def test_naive_spread_comes_from_past_errors_only():
    sd, how = harness.naive_spread("PAR", 2023, 1)
    assert sd > 0 and how == "past_errors"
    sd_early, how_early = harness.naive_spread("SIPAS", 2022, 1)  # no earlier pair in the comparable series
    assert sd_early > 0 and how_early == "noise_prior"


@pytest.fixture(scope="module")
def evaluation():
    return harness.run(draws=DRAWS, seed=3)


def test_table_has_one_row_per_index_horizon_year_and_method(evaluation):
    assert len({tuple(r) for r in (tuple(row.values()) for row in evaluation.rows)}) == len(evaluation.rows)
    full = [(r["index"], r["horizon"], r["year"], r["method"], r["cases"]) for r in evaluation.rows]
    assert len(full) == len(set(full))
    keys = [k[:4] for k in full if k[4] == "all"]
    assert len(keys) == len(set(keys))
    for index in data.INDICES:
        for h in (1, 2):
            for method in ("model", "naive", "rank_persistence"):
                assert (index, h, "pooled", method) in keys
        assert (index, 0, "pooled", "reconstruction") in keys
    assert ("PAR", 3, "pooled", "model") in keys


def test_pooled_rows_pool_the_years(evaluation):
    for r in evaluation.rows:
        if r["year"] != "pooled":
            continue
        per_year = [
            y
            for y in evaluation.rows
            if y["year"] != "pooled"
            and (y["index"], y["horizon"], y["method"], y["cases"])
            == (r["index"], r["horizon"], r["method"], r["cases"])
        ]
        assert r["n_scores"] == sum(y["n_scores"] for y in per_year)
        if r["n_scores"]:
            weighted = sum(y["crps"] * y["n_scores"] for y in per_year if y["n_scores"]) / r["n_scores"]
            assert r["crps"] == pytest.approx(weighted)


def test_every_published_score_of_a_backtested_year_is_scored(evaluation):
    ds = data.load()
    for origin, year in harness.forecast_pairs("PAR"):
        n = sum(p.score is not None for p in ds.results[("PAR", year)].values())
        row = evaluation.row("PAR", year - origin, "model", year)
        assert row["n_scores"] == n
        assert evaluation.row("PAR", year - origin, "naive", year)["n_scores"] == n


def test_scores_are_sane(evaluation):
    for r in evaluation.rows:
        if r["n_scores"] and r["crps"] is not None:
            # CRPS ≤ the median's error holds for these pools (one case on its median would break it)
            assert (
                0 <= r["crps"] <= r["mae"] + 1e-9
                or r["method"] in ("naive", harness.PERSISTENCE_SPREAD)  # spreads from other samples than the draws
                or r["cases"] in harness.STOOD
            )
            assert 0 <= r["coverage_50"] <= r["coverage_90"] <= 1
        drawn = ("model",) + harness.RECONSTRUCTIONS  # methods whose draws carry the field's common shocks
        if r["method"] in drawn + (harness.PERSISTENCE_SPREAD,) and r["n_ranks"]:
            assert 0 <= r["rank_coverage_90"] <= 1 and r["rank_mae"] >= 0
        for prefix, n in (("", "n_scores"), ("rank_", "n_ranks")):
            for level in (50, 90):
                lo, hi = (r[f"{prefix}coverage_{level}_calibrated_{end}"] for end in ("lo", "hi"))
                if r["method"] in drawn and r[n]:
                    assert 0 <= lo <= hi <= 1, r  # a range of shares of the row's cases
                else:  # a point forecast, the naive normal, persistence's quantiles, or no case: no range
                    assert lo is None and hi is None, r


def _partition_holds(rows):
    """Every forecast row of ``all`` cases is split exactly by its two subsets (per index × horizon ×
    year-or-pooled × method): the counts add up and the shares are the subsets' weighted means."""
    by_key = {(r["index"], r["horizon"], r["year"], r["method"], r["cases"]): r for r in rows}
    checked = 0
    for (index, horizon, year, method, cases), whole in by_key.items():
        if cases != "all":
            continue
        parts = [by_key.get((index, horizon, year, method, c)) for c in harness.CASES[1:]]
        if method in harness.RECONSTRUCTIONS:  # no origin: split by where the hidden rank stood instead
            assert parts == [None, None]
            stood = [by_key.get((index, horizon, year, method, c)) for c in harness.STOOD]
            assert whole["n_ranks"] == sum(p["n_ranks"] for p in stood if p), (index, year)
            assert whole["n_scores"] >= sum(p["n_scores"] for p in stood if p)  # scores without a rank: all only
            continue
        parts = [p for p in parts if p is not None]
        assert parts, (index, horizon, year, method)
        for n, share in (("n_scores", "coverage_90"), ("n_ranks", "rank_coverage_90")):
            assert whole[n] == sum(p[n] for p in parts), (index, horizon, year, method, n)
            if whole[n] and whole[share] is not None:
                mean = sum(p[share] * p[n] for p in parts if p[n]) / whole[n]
                assert whole[share] == pytest.approx(mean, abs=1e-3), (index, horizon, year, method, share)
        checked += 1
    assert checked


def test_origin_subsets_partition_every_forecast_row(evaluation):
    _partition_holds(evaluation.rows)


def test_stored_summary_subsets_partition_its_rows():
    rows, _ = summary_file.stored_summary()
    _partition_holds(rows)
    assert {r["cases"] for r in rows} == set(harness.CASES + harness.STOOD)


def test_data_readme_table_of_coverage_by_origin_is_the_stored_summary():
    """The table in data/README.md (pooled 90% band coverage per subset) shows the stored rows."""
    rows, _ = summary_file.stored_summary()
    words = {
        "all": "all",
        "published at the origin": "published_at_origin",
        "not published at the origin": "reconstructed_at_origin",
    }
    text = (paths.data_dir() / "README.md").read_text(encoding="utf-8")
    shown = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith(("| PAR |", "| SIPAS |")) and len(line.split("|")) == 9
    ]
    assert len(shown) == 15  # PAR 1–3 years, SIPAS 1–2 years, three kinds of cases each

    def cell(share, n):
        return "—" if not n else f"{share * 100:.0f}% ({n})"

    def calibrated(r, prefix, n):
        lo, hi = r[f"{prefix}coverage_90_calibrated_lo"], r[f"{prefix}coverage_90_calibrated_hi"]
        return "—" if not n else f"{lo * 100:.0f}–{hi * 100:.0f}%"

    for index, horizon, cases, held_scores, right_scores, held_ranks, right_ranks in shown:
        r = next(
            r
            for r in rows
            if (r["index"], r["horizon"], r["method"], r["year"], r["cases"])
            == (index, int(horizon), "model", "pooled", words[cases])
        )
        assert (held_scores, held_ranks) == (
            cell(r["coverage_90"], r["n_scores"]),
            cell(r["rank_coverage_90"], r["n_ranks"]),
        ), (index, horizon, cases)
        assert (right_scores, right_ranks) == (
            calibrated(r, "", r["n_scores"]),
            calibrated(r, "rank_", r["n_ranks"]),
        ), (index, horizon, cases)


def test_data_readme_table_of_reconstruction_by_where_the_rank_stood_is_the_stored_summary():
    rows, _ = summary_file.stored_summary()
    words = {"top 10": "ranked_top", "mid-field": "ranked_middle", "bottom 10": "ranked_bottom"}
    text = (paths.data_dir() / "README.md").read_text(encoding="utf-8")
    shown = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith(("| PAR |", "| SIPAS |")) and len(line.split("|")) == 6
    ]
    assert len(shown) == 6
    for index, stood, held, right in shown:
        r = next(
            r
            for r in rows
            if (r["index"], r["horizon"], r["method"], r["year"], r["cases"])
            == (index, 0, "reconstruction", "pooled", words[stood])
        )
        assert held == f"{r['rank_coverage_90'] * 100:.0f}% ({r['n_ranks']})", (index, stood)
        assert right == (
            f"{r['rank_coverage_90_calibrated_lo'] * 100:.0f}–{r['rank_coverage_90_calibrated_hi'] * 100:.0f}%"
        ), (index, stood)


def test_forecast_cases_are_tagged_by_what_was_published_at_the_origin(evaluation):
    ds = data.load()
    tagged = [r for r in evaluation.records if r["horizon"] > 0]
    assert {r["origin"] for r in tagged} == set(harness.CASES[1:])
    for r in tagged:
        start = ds.results.get((r["index"], r["year"] - r["horizon"]), {}).get(r["slug"])
        value = None if start is None else (start.score if r["kind"] == "score" else start.rank)
        assert r["origin"] == ("published_at_origin" if value is not None else "reconstructed_at_origin"), r
    assert not any("origin" in r for r in evaluation.records if r["method"] == "reconstruction")


def test_reconstruction_cases_are_tagged_by_where_the_hidden_rank_stood(evaluation):
    ds = data.load()
    recon = [r for r in evaluation.records if r["method"] == "reconstruction"]
    assert {r.get("stood") for r in recon} == set(harness.STOOD) | (
        {None} if any("stood" not in r for r in recon) else set()
    )
    for r in recon:
        p = ds.results[(r["index"], r["year"])][r["slug"]]
        n = len(ds.units_in(r["year"]))
        if p.rank is None:
            assert "stood" not in r and r["kind"] == "score"
        else:
            want = "ranked_top" if p.rank <= 10 else "ranked_bottom" if p.rank > n - 10 else "ranked_middle"
            assert r["stood"] == want, (r["slug"], r["year"], p.rank)
    assert harness.stood_tag(10, 63) == "ranked_top" and harness.stood_tag(11, 63) == "ranked_middle"
    assert harness.stood_tag(53, 63) == "ranked_middle" and harness.stood_tag(54, 63) == "ranked_bottom"


def test_reconstruction_verdict_gives_the_coverage_by_where_the_rank_stood():
    from simlib.reports import evaluation as words
    from simlib.reports.text import pct

    rows, _ = summary_file.stored_summary()
    line = words.reconstruction_verdict(rows, "PAR", "en")
    top, middle, bottom = (
        next(
            r
            for r in rows
            if (r["index"], r["horizon"], r["method"], r["year"], r["cases"])
            == ("PAR", 0, "reconstruction_province_year", "pooled", c)  # the one the plain words quote
        )
        for c in harness.STOOD
    )
    assert (
        f"the 90% band held {pct(middle['rank_coverage_90'], 'en')} of {middle['n_ranks']} ranks in mid-field, "
        f"{pct(top['rank_coverage_90'], 'en')} of {top['n_ranks']} in the top 10 and "
        f"{pct(bottom['rank_coverage_90'], 'en')} of {bottom['n_ranks']} in the bottom 10"
    ) in line
    assert "nhóm 10 cuối" in words.reconstruction_verdict(rows, "PAR", "vi")
    old = [r for r in rows if r["cases"] not in harness.STOOD]  # a summary stored before the split
    assert "where the hidden rank stood" not in words.reconstruction_verdict(old, "PAR", "en")


def test_summarise_splits_a_hand_made_case_set_by_origin():
    def case(method, kind, slug, inside, origin=None, year=2023):
        rec = {
            "index": "PAR",
            "horizon": 1,
            "year": year,
            "method": method,
            "slug": slug,
            "kind": kind,
            "crps": 1.0 if inside else 3.0,
            "abs_error": 1.0 if inside else 3.0,
            "in_50": False,
            "in_90": inside,
        }
        return rec if origin is None else {**rec, "origin": origin}

    records = [
        case("model", "score", "a", True, "published_at_origin"),
        case("model", "score", "b", True, "published_at_origin", year=2024),
        case("model", "score", "c", False, "reconstructed_at_origin"),
        case("model", "rank", "a", False, "published_at_origin"),
        case("model", "rank", "c", True, "reconstructed_at_origin"),
        {**case("reconstruction", "score", "d", True), "horizon": 0},
    ]
    rows = harness.summarise(records)
    get = {(r["method"], r["year"], r["cases"]): r for r in rows}
    pooled = {c: get[("model", "pooled", c)] for c in harness.CASES}
    assert [pooled[c]["n_scores"] for c in harness.CASES] == [3, 2, 1]
    assert [pooled[c]["coverage_90"] for c in harness.CASES] == [pytest.approx(2 / 3), 1.0, 0.0]
    assert [pooled[c]["n_ranks"] for c in harness.CASES] == [2, 1, 1]
    assert [pooled[c]["rank_coverage_90"] for c in harness.CASES] == [0.5, 0.0, 1.0]
    assert [pooled[c]["crps"] for c in harness.CASES] == [pytest.approx(5 / 3), 1.0, 3.0]
    assert get[("model", 2023, "published_at_origin")]["n_scores"] == 1
    assert ("reconstruction", "pooled", "all") in get
    assert not any(k[0] == "reconstruction" and k[2] != "all" for k in get)
    assert [r["cases"] for r in rows][: len([r for r in rows if r["cases"] == "all"])] == ["all"] * 5
    _partition_holds(rows)


def _forecast_cases(rng, years: int, per_year: int, draws: int, shock_share: float):
    """Hand-made score forecasts of ``years`` × ``per_year`` provinces that are right by construction:
    draws and truth come from the same model, where the provinces of a year share a common shock
    carrying ``shock_share`` of the variance. Records as the harness makes them."""
    records = []
    for year in range(years):
        shock, truth_shock = rng.standard_normal((draws, 1)), rng.standard_normal()
        x = math.sqrt(shock_share) * shock + math.sqrt(1 - shock_share) * rng.standard_normal((draws, per_year))
        truth = math.sqrt(shock_share) * truth_shock + math.sqrt(1 - shock_share) * rng.standard_normal(per_year)
        records += [
            {
                **harness._score_record("PAR", 1, 2020 + year, "model", f"p{i}", x[:, i], float(truth[i])),
                "origin": "published_at_origin",
            }
            for i in range(per_year)
        ]
    return records


def _pooled(records):
    return next(r for r in harness.summarise(records) if (r["year"], r["cases"]) == ("pooled", "all"))


def test_calibrated_range_of_independent_cases_is_the_binomial_range():
    """60 independent cases whose bands are right: the coverage a right model shows is binomial(60, 0.9) / 60,
    whose 5th and 95th percentiles are 83.3% and 96.7%."""
    row = _pooled(_forecast_cases(np.random.default_rng(1), years=60, per_year=1, draws=4000, shock_share=0.0))
    assert row["coverage_90_calibrated_lo"] == pytest.approx(50 / 60, abs=0.02)
    assert row["coverage_90_calibrated_hi"] == pytest.approx(58 / 60, abs=0.02)
    assert row["coverage_50_calibrated_lo"] < 0.5 < row["coverage_50_calibrated_hi"]


def test_cases_sharing_a_years_shock_widen_the_range_and_it_holds_a_right_models_coverage():
    """60 cases in 3 years, half the variance a common shock: the same number of cases tells much less,
    the range is far wider than the binomial one, and a right model's observed coverage falls inside it
    about 9 times in 10 (the binomial range would call the bands wrong far more often)."""
    rng = np.random.default_rng(2)
    inside = inside_binomial = 0
    widths = []
    reps = 60
    for _ in range(reps):
        row = _pooled(_forecast_cases(rng, years=3, per_year=20, draws=1000, shock_share=0.5))
        lo, hi = row["coverage_90_calibrated_lo"], row["coverage_90_calibrated_hi"]
        widths.append(hi - lo)
        inside += lo <= row["coverage_90"] <= hi
        inside_binomial += 50 / 60 <= row["coverage_90"] <= 58 / 60
    assert np.mean(widths) > 1.5 * (58 - 50) / 60  # the binomial range is 0.13 wide
    assert inside / reps >= 0.8
    assert inside_binomial / reps < inside / reps - 0.15


def test_bands_that_are_too_narrow_fall_below_the_range():
    """A model whose draws are half as spread as the truth: 60 independent cases, coverage well under the range."""
    rng = np.random.default_rng(3)
    records = []
    for i in range(60):
        x = 0.5 * rng.standard_normal(2000)
        records.append(harness._score_record("PAR", 1, 2023, "model", f"p{i}", x, float(rng.standard_normal())))
    row = _pooled(records)
    assert row["coverage_90"] < row["coverage_90_calibrated_lo"]


def test_verdicts_say_whether_the_coverage_is_what_a_right_model_would_show():
    from simlib.reports import evaluation as words
    from simlib.reports.text import pct

    rows, _ = summary_file.stored_summary()
    model = next(
        r
        for r in rows
        if (r["index"], r["horizon"], r["method"], r["year"], r["cases"]) == ("PAR", 1, "model", "pooled", "all")
    )
    line = words.verdict(rows, "PAR", 1, "en")
    lo, hi = pct(model["coverage_90_calibrated_lo"], "en"), pct(model["coverage_90_calibrated_hi"], "en")
    assert f"a model whose bands were right would hold between {lo} and {hi} of these same cases" in line
    # the same coverage outside the range: the words say the bands are off
    moved = [
        {**r, "coverage_90_calibrated_lo": 0.9, "coverage_90_calibrated_hi": 0.97} if r is model else r for r in rows
    ]
    off = words.verdict(moved, "PAR", 1, "en")
    assert "between 90% and 97% of these same cases: below that, the bands are too narrow" in off.split("; ranks")[0]
    assert "target" not in off.split("; ranks")[0]  # judged once: never "below target" beside "consistent"
    assert "một mô hình có khoảng đúng sẽ chứa từ" in words.verdict(rows, "PAR", 1, "vi")
    # a summary stored before the range existed: the verdict without the clause
    old = [{k: v for k, v in r.items() if "calibrated" not in k} for r in rows]
    assert "a model whose bands were right" not in words.verdict(old, "PAR", 1, "en")
    # the reconstruction's verdict carries its own range
    assert "a model whose bands were right" in words.reconstruction_verdict(rows, "PAR", "en")


def test_the_evaluation_table_shows_the_range_a_right_model_would_hold():
    from simlib.reports import evaluation as words

    rows, _ = summary_file.stored_summary()
    table = words.table(rows, "en")
    model = next(
        r
        for r in rows
        if (r["index"], r["horizon"], r["method"], r["year"], r["cases"]) == ("PAR", 1, "model", "pooled", "all")
    )
    shown = table[(table["Method"] == "Model") & (table["Years ahead"] == 1) & (table["Index"] == "PAR Index")]
    lo, hi = model["coverage_90_calibrated_lo"], model["coverage_90_calibrated_hi"]
    assert shown["A right model would hold"].iloc[0] == f"{lo * 100:.0f}%–{hi * 100:.0f}%"
    naive = table[table["Method"] == "Last year + national trend"]
    assert set(naive["A right model would hold"]) == {""}


def test_cross_validated_reconstruction_hides_the_value_it_scores():
    from simlib.engine import history

    year = 2023
    slug = "quang-ninh"  # rank 1 in 2023, score 92.18
    hidden = history.reconstruct("PAR", year, DRAWS, 1, year, hide=(slug,))
    i = hidden.slugs.index(slug)
    assert math.isnan(hidden.published_score[i]) and hidden.published_rank[i] == 0
    full = history.reconstruct("PAR", year, DRAWS, 1, year)
    assert full.published_score[i] == pytest.approx(92.18)


# ----------------------------------------------------------------------------- the command


def test_evaluate_command_writes_a_tidy_csv(tmp_path, simlib_cli):
    proc = simlib_cli(["evaluate", "--index", "SIPAS", "--format", "csv", "--draws", "50"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert {"index", "horizon", "year", "method", "crps", "coverage_90", "rank_mae"} <= set(rows[0])
    assert {r["index"] for r in rows} == {"SIPAS"}
    assert {r["method"] for r in rows} == {
        "model",
        "naive",
        "rank_persistence",
        "persistence_spread",
        "reconstruction",
        "reconstruction_province_year",
        "reconstruction_province",
    }
    assert {r["cases"] for r in rows} == {
        "all",
        "published_at_origin",
        "reconstructed_at_origin",
        "ranked_top",
        "ranked_middle",
        "ranked_bottom",
    }
    for method in harness.RECONSTRUCTIONS:
        assert {r["cases"] for r in rows if r["method"] == method} == {
            "all",
            "ranked_top",
            "ranked_middle",
            "ranked_bottom",
        }


@pytest.mark.slow
def test_evaluate_command_gives_verdicts_first_then_a_short_table(tmp_path):
    """Readable by default: the verdicts first (wrapped), then two short tables of the pooled rows and how
    to get the full table; never "below target" beside "consistent with right bands"."""
    proc = run_simlib(["evaluate", "--draws", "50", "--lang", "vi"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("- PAR Index, dự báo trước 1 năm")
    # was 210 lines up to 653 characters; both indices' verdicts and two short tables of 21 methods' rows
    assert len(lines) < 125 and max(map(len, lines)) <= 125
    verdicts = " ".join(ln.strip() for ln in lines[: lines.index("")]).split("- ")[1:]
    assert any(v.startswith("SIPAS, dự báo trước 1 năm, theo điểm xuất phát: ") for v in verdicts)
    for v in verdicts:
        assert not ("mục tiêu 85–95%" in v and "phù hợp với khoảng đúng" in v), v
    assert "Khoảng 90% chứa" in proc.stdout and "--all" in lines[-1]
    assert "published_at_origin" not in proc.stdout  # the full table only on request
    full = run_simlib(["evaluate", "--index", "SIPAS", "--draws", "50", "--all"], tmp_path)
    assert "published_at_origin" in full.stdout and "reconstructed_at_origin" in full.stdout


def test_evaluate_command_rejects_bad_options_at_once(tmp_path, simlib_cli):
    proc = simlib_cli(["evaluate", "--index", "PAPI", "--draws", "5", "--lang", "fr"], tmp_path)
    assert proc.returncode == 2
    for name in ("--index", "--draws", "--lang"):
        assert name in proc.stderr
    assert "Traceback" not in proc.stderr


# ----------------------------------------------------------------------------- the stored summary


def test_stored_summary_matches_the_data_and_the_model():
    stored = summary_file.stored_summary()
    assert stored is not None, "no data/evaluation_summary.csv: run `simlib evaluate --write`"
    rows, stamp = stored
    assert stamp == summary_file.fingerprint(), (
        "data/evaluation_summary.csv is stale (the data or the model's numbers changed): "
        "run `.venv/bin/simlib evaluate --write` and commit the file"
    )
    assert {(r["index"], r["horizon"], r["method"]) for r in rows if r["year"] == "pooled"} >= {
        ("PAR", 1, "model"),
        ("PAR", 1, "naive"),
        ("SIPAS", 1, "model"),
        ("SIPAS", 1, "naive"),
    }


def test_fingerprint_follows_the_published_data(other_data, monkeypatch):
    first = summary_file.fingerprint()
    summary = other_data / "national_summary.csv"
    set_cells(summary, find_row(summary, index="PAR", year="2023", metric="avg_pct"), value="86.90")
    monkeypatch.setattr(data, "RECHECK_SECONDS", 0.0)
    assert summary_file.fingerprint() != first


def test_summary_round_trips_and_feeds_the_leaders_line(tmp_path, evaluation):
    from simlib.reports import evaluation as words

    path = tmp_path / "summary.csv"
    summary_file.write_summary(evaluation, path)
    rows, stamp = summary_file.stored_summary(path)
    assert stamp == summary_file.fingerprint()
    assert len(rows) == len(evaluation.rows)
    for stored, computed in zip(rows, evaluation.rows):
        for key in ("coverage_90_calibrated_lo", "coverage_90_calibrated_hi", "rank_coverage_90_calibrated_hi"):
            assert stored[key] == (None if computed[key] is None else pytest.approx(computed[key], abs=1e-4))
    # a summary stored before the range existed reads with no range, not an error
    older = tmp_path / "older.csv"
    with path.open(encoding="utf-8", newline="") as src, older.open("w", encoding="utf-8", newline="") as dst:
        reader = csv.DictReader(src)
        fields = [f for f in reader.fieldnames if "calibrated" not in f]
        writer = csv.DictWriter(dst, fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(reader)
    old_rows, _ = summary_file.stored_summary(older)
    assert len(old_rows) == len(rows) and all(r["coverage_90_calibrated_lo"] is None for r in old_rows)
    model = evaluation.row("PAR", 1, "model")
    naive = evaluation.row("PAR", 1, "naive")
    line = words.track_record("en", rows=rows)
    assert f"about {round(model['coverage_90'] * 10)} times in 10" in line
    assert f"{model['mae']:.1f} points" in line and f"against {naive['mae']:.1f}" in line
    assert "90%" in words.track_record("vi", rows=rows)


def _a_province_not_published_in(index, year):
    ds = data.load()
    published = {s for s, p in ds.results[(index, year)].items() if p.score is not None}
    return next(s for s in sorted(ds.provinces) if s not in published and not ds.members(s))


def test_leaders_line_for_a_unit_published_at_the_origin_gives_its_coverage():
    """Hà Nội is published every year: its line adds how the 90% band did for provinces published at
    the origin, beside those that were not, with the stored summary's numbers."""
    from simlib.engine import history
    from simlib.reports import evaluation as words

    rows, _ = summary_file.stored_summary()
    assert "ha-noi" in history.published_scores("PAR", history.HISTORY_END)
    pooled = {
        r["cases"]: r
        for r in rows
        if (r["index"], r["horizon"], r["method"], r["year"]) == ("PAR", 1, "model", "pooled")
    }
    pub, rec = (round(pooled[c]["coverage_90"] * 10) for c in ("published_at_origin", "reconstructed_at_origin"))
    plain = words.track_record("en", rows=rows)
    line = words.track_record("en", rows=rows, unit="ha-noi")
    first = plain[: plain.index("rank).") + len("rank).")]  # the sentence on all cases
    assert line.startswith(first) and line != plain
    clause = line[len(first) :]
    assert (
        f"published in the year the forecast starts from, the 90% band held the real result about {pub} times in 10"
        in clause
    )
    assert f"(about {rec} times in 10 for those that were not)" in clause
    vi = words.track_record("vi", rows=rows, unit="ha-noi")
    assert f"khoảng {pub} lần trong 10 (với các tỉnh chưa được công bố năm đó: khoảng {rec} lần trong 10)" in vi
    # a unit whose score was not published at the origin gets the line for all cases only
    other = _a_province_not_published_in("PAR", history.HISTORY_END)
    assert words.track_record("en", rows=rows, unit=other) == plain
    # the clause moves with the summary: change the published subset's coverage, the words follow
    changed = [{**r, "coverage_90": 0.5} if r is pooled["published_at_origin"] else r for r in rows]
    assert "about 5 times in 10 (" in words.track_record("en", rows=changed, unit="ha-noi")


def test_verdicts_give_the_coverage_by_origin_from_the_summary():
    from simlib.reports import evaluation as words
    from simlib.reports.text import pct

    rows, _ = summary_file.stored_summary()
    lines = words.verdict_lines(rows, lang="en")
    for index, horizon in (("PAR", 1), ("PAR", 2), ("SIPAS", 1)):
        pub, rec = (
            next(
                r
                for r in rows
                if (r["index"], r["horizon"], r["method"], r["year"], r["cases"])
                == (index, horizon, "model", "pooled", c)
            )
            for c in harness.CASES[1:]
        )
        line = next(
            v
            for v in lines
            if v.startswith(f"{words.say(f'evaluation.index_{index}', 'en')}, {horizon} ")
            and "by where the forecast started" in v
        )
        assert (
            f"held {pct(pub['coverage_90'], 'en')} of {pub['n_scores']} scores of provinces published at the "
            f"origin and {pct(rec['coverage_90'], 'en')} of {rec['n_scores']} of those that were not"
        ) in line
        assert (
            f"ranks: {pct(pub['rank_coverage_90'], 'en')} of {pub['n_ranks']} (published) and "
            f"{pct(rec['rank_coverage_90'], 'en')} of {rec['n_ranks']} (not published)"
        ) in line
    # a summary stored before the subsets (all rows only) gives the verdicts without them
    old = [r for r in rows if r["cases"] == "all"]
    assert not any("by where the forecast started" in v for v in words.verdict_lines(old, lang="en"))
    assert len(words.verdict_lines(old, lang="en")) == len(lines) - 5  # PAR 1–3 and SIPAS 1–2 years


def test_leaders_line_without_a_stored_summary(other_data):
    from simlib.reports import evaluation as words

    paths.evaluation_summary().unlink(missing_ok=True)
    assert "simlib evaluate --write" in words.track_record("en")


# ----------------------------------------------------------------------------- the model's estimators on known answers


def test_persistence_and_noise_are_recovered_by_maximum_likelihood():
    from simlib.engine import dynamics

    rng = np.random.default_rng(4)
    x = rng.normal(0, 0.3, 4000)
    k = np.where(rng.random(4000) < 0.3, 2.0, 1.0)  # some pairs two years apart
    phi, sd = 0.8, 0.1
    y = phi**k * x + sd * np.sqrt(np.where(k > 1, 1 + phi**2, 1.0)) * rng.standard_normal(4000)
    phi_hat, sd_hat = dynamics._max_likelihood(x, y, k)
    assert phi_hat == pytest.approx(phi, abs=0.01) and sd_hat == pytest.approx(sd, rel=0.05)


def test_common_shock_is_estimated_from_the_averages(other_data, monkeypatch):
    """The drift is each segment's change of log(100 − average) (before the 2019 break, from it on)
    summed, over their summed years."""
    from simlib.engine import dynamics, history

    summary = other_data / "national_summary.csv"
    for year, gap in ((2022, 16.0), (2023, 14.0), (2024, 12.25)):  # ratio 0.875 a year: a constant drift
        set_cells(summary, find_row(summary, index="PAR", year=str(year), metric="avg_pct"), value=str(100 - gap))
    monkeypatch.setattr(data, "RECHECK_SECONDS", 0.0)
    c = dynamics.common("PAR", 2024)
    change = years = 0.0
    for seg in dynamics.segments("PAR", 2024):  # before the 2019 break, and from it on
        if len(seg) >= 2:
            g = [float(history.loggap(data.load().average("PAR", y))) for y in (seg[0], seg[-1])]
            change, years = change + g[1] - g[0], years + seg[-1] - seg[0]
    assert c.trend == pytest.approx(change / years)


def test_position_regression_recovers_its_coefficients():
    from simlib.engine import covariates

    rng = np.random.default_rng(2)
    x = np.c_[np.ones(500), rng.standard_normal((500, 2))]
    z = x @ np.array([0.3, 0.7, -0.2]) + 0.1 * rng.standard_normal(500)
    fit = covariates.fit_positions(x, z)
    assert fit.beta == pytest.approx([0.3, 0.7, -0.2], abs=0.02) and fit.resid_sd == pytest.approx(0.1, rel=0.1)
    keys = covariates.draw_keys(fit, x[:3], 4000, np.random.default_rng(0))
    assert keys.mean(axis=0) == pytest.approx(x[:3] @ fit.beta, abs=0.01)  # centred on the fit
    assert covariates.fit_positions(x[:5], z[:5]) is None  # too few cases for three coefficients


@pytest.mark.slow
def test_evaluate_write_stores_a_current_summary(tmp_path, data_copy):
    (data_copy / "evaluation_summary.csv").unlink()
    proc = run_simlib(
        ["evaluate", "--write", "--draws", "50", "--format", "csv"], tmp_path, SIMLIB_DATA_DIR=str(data_copy)
    )
    assert proc.returncode == 0, proc.stderr
    rows, stamp = summary_file.stored_summary(data_copy / "evaluation_summary.csv")
    assert stamp == summary_file.fingerprint()  # same data as the project's: the same fingerprint
    assert {r["index"] for r in rows} == {"PAR", "SIPAS"}
    proc = run_simlib(["evaluate", "--write", "--index", "PAR"], tmp_path, SIMLIB_DATA_DIR=str(data_copy))
    assert proc.returncode == 2 and "--write" in proc.stderr  # the stored table covers both indices


def test_ranks_without_scores_enter_the_dynamics_with_their_measurement_error():
    """A province published with a rank but no score in one of two years is a pair too: its gap
    is the reconstruction's median score on that rank, with the reconstruction's variance."""
    from simlib.engine import dynamics

    ds = data.load()
    rank_only = {s for s, p in ds.results[("PAR", 2022)].items() if p.rank is not None and p.score is None}
    assert rank_only
    g = dynamics.gaps("PAR", 2022, 2022)
    assert all(g[s][1] > 0 for s in rank_only)
    assert all(v == 0 for s, (_, v) in g.items() if s not in rank_only)
    x, y, k, mx, my = dynamics.pairs("PAR", 2022)
    assert len(x) == len(mx) == len(my) and np.any((mx > 0) | (my > 0))
    score_pairs = sum(1 for s in history_scores(2021).keys() & history_scores(2022).keys())
    assert len(x) > score_pairs  # more pairs than the provinces with a score in both years


def history_scores(year):
    from simlib.engine import history

    return history.published_scores("PAR", year)


def test_persistence_and_noise_are_recovered_with_measurement_error():
    from simlib.engine import dynamics

    rng = np.random.default_rng(5)
    n = 3000
    latent0 = rng.normal(0, 0.3, n)
    phi, sd = 0.9, 0.1
    latent1 = phi * latent0 + sd * rng.standard_normal(n)
    mx = np.where(rng.random(n) < 0.4, 0.05**2, 0.0)  # some gaps measured with error
    my = np.where(rng.random(n) < 0.4, 0.05**2, 0.0)
    x = latent0 + np.sqrt(mx) * rng.standard_normal(n)
    y = latent1 + np.sqrt(my) * rng.standard_normal(n)
    phi_hat, sd_hat = dynamics._max_likelihood(x, y, np.ones(n), mx, my)
    assert phi_hat == pytest.approx(phi, abs=0.02) and sd_hat == pytest.approx(sd, rel=0.08)
    # ignoring the measurement error would overstate the noise
    assert dynamics._max_likelihood(x, y, np.ones(n))[1] > sd_hat
