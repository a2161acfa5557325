"""The plain-words track record at the horizon the reader is looking at: 1, 2 or 3 and more years
ahead of the last published year, with the score's and the rank's error, and plainly whether the
model's median rank did better than keeping last year's rank — in both languages."""

from __future__ import annotations

import pytest
from support import small

from simlib.analysis import harness, summary_file
from simlib.reports import evaluation
from simlib.reports.text import num

ROWS, _ = summary_file.stored_summary()


def _pooled(index, horizon, method, cases="all"):
    return next(
        r
        for r in ROWS
        if (r["index"], r["horizon"], r["method"], r["year"], r["cases"]) == (index, horizon, method, "pooled", cases)
    )


@pytest.mark.parametrize(
    "target_year,horizon,ahead_en,ahead_vi",
    [
        (2025, 1, "1 year ahead", "dự báo trước 1 năm"),
        (2026, 2, "2 years ahead", "dự báo trước 2 năm"),
        (2027, 3, "3 years ahead", "dự báo trước 3 năm"),
        (
            2030,
            3,
            "3 or more years ahead (tested 3 years ahead)",
            "trước từ 3 năm trở lên (số liệu kiểm định trước 3 năm)",
        ),
    ],
)
def test_a_report_quotes_the_horizon_of_its_headline_year(target_year, horizon, ahead_en, ahead_vi):
    """A 2025 report quotes the 1-year figures, a 2030 one the 3-year figures as 3 or more years ahead."""
    s = small(target_year=target_year)
    model, naive, persist = (_pooled("PAR", horizon, m) for m in ("model", "naive", "rank_persistence"))
    pub, pub_persist = (_pooled("PAR", horizon, m, "published_at_origin") for m in ("model", "rank_persistence"))
    for lang, ahead in (("en", ahead_en), ("vi", ahead_vi)):
        line = evaluation.track_record_for(s, lang)
        assert ahead in line
        for value in (model["mae"], naive["mae"], model["rank_mae"], persist["rank_mae"]):
            assert num(value, 1, lang) in line  # the score's and the rank's error, beside their baselines
        assert num(pub["rank_mae"], 1, lang) in line and num(pub_persist["rank_mae"], 1, lang) in line
    other = {1: 2, 2: 3, 3: 1}[horizon]
    assert num(_pooled("PAR", other, "model")["rank_mae"], 1, "en") not in evaluation.track_record_for(s, "en")


def test_the_line_says_plainly_when_the_median_rank_is_no_better_than_last_years():
    """Hà Nội's cases (published at the origin): the model's median rank has missed by more than last
    year's rank at every horizon, and the line says so; where it did better, it says that instead."""
    for years in (1, 2, 3, 6):
        pub = _pooled("PAR", evaluation.horizon_of(years), "model", "published_at_origin")
        persist = _pooled("PAR", evaluation.horizon_of(years), "rank_persistence", "published_at_origin")
        assert pub["rank_mae"] >= persist["rank_mae"]  # the stored record: no better
        en = evaluation.track_record("en", unit="ha-noi", years_ahead=years)
        vi = evaluation.track_record("vi", unit="ha-noi", years_ahead=years)
        assert "median rank is no better than keeping last year's rank" in en
        assert "không tốt hơn việc giữ nguyên thứ hạng năm trước" in vi
    better = [
        {**r, "rank_mae": 0.5} if (r["method"], r["horizon"], r["year"]) == ("model", 1, "pooled") else r for r in ROWS
    ]
    assert "came closer than keeping last year's rank" in evaluation.track_record("en", rows=better, unit="ha-noi")
    assert "gần đúng hơn việc giữ nguyên thứ hạng năm trước" in evaluation.track_record(
        "vi", rows=better, unit="ha-noi"
    )


def test_an_index_tested_less_far_says_which_horizon_it_quotes():
    """SIPAS has backtests only 1 and 2 years ahead: a reader looking 5 years ahead gets the 2-year
    figures, and is told they are the longest tested."""
    line = evaluation.track_record("en", "SIPAS", years_ahead=5)
    assert "3 or more years ahead (the longest tested is 2 years ahead)" in line
    assert num(_pooled("SIPAS", 2, "model")["rank_mae"], 1, "en") in line
    assert "kiểm định dài nhất là trước 2 năm" in evaluation.track_record("vi", "SIPAS", years_ahead=5)


def test_the_reconstruction_verdict_quotes_province_year_out():
    """The plain words on the reconstruction quote the cross-validation that hides a province's whole
    year (the most honest), with one value out's rank error beside it."""
    quoted = _pooled("PAR", 0, evaluation.QUOTED_RECONSTRUCTION)
    one = _pooled("PAR", 0, "reconstruction")
    assert evaluation.QUOTED_RECONSTRUCTION == "reconstruction_province_year"
    for lang, words in (("en", "whole year hidden"), ("vi", "ẩn cả năm của một tỉnh")):
        line = evaluation.reconstruction_verdict(ROWS, "PAR", lang)
        assert words in line
        assert f"{num(quoted['rank_mae'], 1, lang)}" in line and f"{num(one['rank_mae'], 1, lang)}" in line


def test_the_evaluation_table_names_every_method_in_both_languages():
    for lang in ("en", "vi"):
        shown = evaluation.table(ROWS, lang)
        assert len(set(shown.iloc[:, 2])) == len(harness.METHODS)


def test_verdicts_set_the_rank_crps_beside_persistence_with_a_spread():
    """A CRPS is set beside a baseline with a spread (not beside a point's error), and the median
    rank's error beside last year's rank; a summary stored before the new baseline keeps the old words."""
    model, spread, point = (_pooled("PAR", 1, m) for m in ("model", harness.PERSISTENCE_SPREAD, "rank_persistence"))
    line = evaluation.verdict(ROWS, "PAR", 1, "en")
    assert f"rank CRPS {num(model['rank_crps'], 1, 'en')} places against {num(spread['rank_crps'], 1, 'en')}" in line
    assert (
        f"median rank missed by {num(model['rank_mae'], 1, 'en')} places against {num(point['rank_mae'], 1, 'en')}"
        in line
    )
    assert "độ phân tán của các thay đổi đã qua" in evaluation.verdict(ROWS, "PAR", 1, "vi")
    older = [r for r in ROWS if r["method"] != harness.PERSISTENCE_SPREAD]
    assert f"against {num(point['rank_crps'], 1, 'en')} for keeping last year's rank" in evaluation.verdict(
        older, "PAR", 1, "en"
    )
