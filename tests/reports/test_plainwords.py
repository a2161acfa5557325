"""Probabilities in plain words (counts of simulated futures with their Monte-Carlo margin), rank changes
as places up or down, effect sizes marked as assumptions — wherever reports show them."""

from __future__ import annotations

import re

import pytest

from simlib.analysis import compare
from simlib.engine.scenario import Scenario
from simlib.engine.simulate import run_many
from simlib.reports import figures, plainwords, tables, text

DRAWS = 400


@pytest.fixture(scope="module")
def pair():
    s = Scenario.from_dict({"name": "pushed", "draws": DRAWS, "levers": {"simplification": 0.8, "delegation": 0.8}})
    return run_many([s, compare.baseline_of(s)])


def test_futures_counts_and_margin():
    assert (
        plainwords.futures(0.76, 2000, "en") == "in 1,520 of 2,000 simulated futures (Monte-Carlo margin ±1.6 points)"
    )
    assert plainwords.futures(0.5, 100, "vi", margin=False) == "50/100 tương lai mô phỏng"
    assert plainwords.margin_points(0.5, 100) > plainwords.margin_points(0.5, 10_000)
    assert plainwords.margin_points(0.0, 1000) < 0.5  # no draw met the target: a small one-sided margin


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_summary_and_headline_say_how_many_futures(pair, lang):
    result, base = pair
    k = list(result.years).index(result.scenario.target_year)
    hits = int(round(result.probability("p_par_top3")[k] * DRAWS))
    word = "simulated futures" if lang == "en" else "tương lai mô phỏng"
    summary = text.summary_text(result, lang, baseline=base)
    assert f"{hits} " in summary and word in summary
    cells = tables.headline(result, lang).iloc[:, 1].tolist()
    assert sum(word in c for c in cells) == 3  # the three probabilities, and only them


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_rank_differences_are_places_not_signed_numbers(pair, lang):
    result, base = pair
    frame = tables.comparison(result, base, lang)
    rank_rows = frame[frame.iloc[:, 0].str.contains("rank|Xếp hạng", regex=True)]
    assert len(rank_rows) == 2
    for cell in rank_rows.iloc[:, 3]:
        assert not re.search(r"[+−-]\d", cell), cell
        assert re.search(r"up|down|no change|tăng|giảm|giữ nguyên", cell)
    fig = figures.differences(result, base, lang="en")
    assert "places gained" in fig.axes[2].get_ylabel()
    gained = -compare.difference(result, base, "par_rank").mean()
    assert gained > 0  # the levers push the rank up: drawn above zero
    assert "assumptions" in plainwords.effects_note("en") and "giả định" in plainwords.effects_note("vi")


def test_a_median_change_between_two_places_reads_the_same_everywhere():
    """A paired median over an even number of draws can fall between two places: the reports' comparison
    and the panel both write it with its half, and a whole change without decimals."""
    from simlib.reports.tables import _rank_difference

    assert plainwords.places_moved(-2.5, "en") == "up 2.5 places"
    assert plainwords.places_moved(1.5, "vi") == "giảm 1,5 bậc"
    assert plainwords.places_moved(-3.0, "en") == "up 3 places"
    assert plainwords.places_moved(-1.0, "en") == plainwords.places_moved(-1, "en", 0)
    assert _rank_difference(-6.0, -2.5, 1.0, "en") == "up 2.5 places (5–95%: down 1 place – up 6 places)"
