"""Why the rank moves (analysis.decompose, reports.waterfall): the parts add up to the total change."""

from __future__ import annotations

import numpy as np
import pytest

from simlib.analysis import decompose, league
from simlib.engine.errors import InputError
from simlib.engine.scenario import Scenario
from simlib.engine.simulate import simulate
from simlib.reports import plainwords as plain
from simlib.reports import waterfall

DRAWS = 300


def scenario(**changes):
    base = {
        "name": "pushed",
        "draws": DRAWS,
        "levers": {"simplification": 0.7, "delegation": 0.6, "full_process_online": 0.9},
    }
    base.update(changes)
    return Scenario.from_dict(base)


@pytest.mark.parametrize(
    "changes",
    [{}, {"target_year": 2030}, {"focal": "hai-phong"}, {"field": {"others_fee_waiver_share": 1.0}}, {"levers": {}}],
)
def test_parts_add_up_to_the_total(changes):
    s = scenario(**changes)
    d = decompose.decompose(s)
    parts = d.parts()
    assert [p["part"] for p in parts] == list(decompose.PARTS)
    assert sum(p["score"] for p in parts) == pytest.approx(d.total_score, abs=1e-9)
    assert sum(p["rank"] for p in parts) == pytest.approx(d.total_rank, abs=1e-9)
    assert sum(r["score"] for r in d.by_lever) == pytest.approx(parts[-1]["score"], abs=1e-9)
    assert sum(r["rank"] for r in d.by_lever) == pytest.approx(parts[-1]["rank"], abs=1e-9)


def test_end_points_are_the_published_start_and_the_projection():
    s = scenario()
    d = decompose.decompose(s)
    out = simulate(s)
    k = out.year_index(s.target_year)
    assert d.score["start"] == pytest.approx(92.75)  # Hà Nội's published PAR 2024
    assert d.rank["start"] == 3 and d.n_units["start"] == 63 and d.n_units["levers"] == 34
    assert d.score["levers"] == pytest.approx(np.median(out.arrays["par_score"][0, :, k]))
    lg = league.from_outcomes(out, "PAR", s.target_year)
    assert d.rank["levers"] == lg.rows()[[r["focal"] for r in lg.rows()].index(1)]["rank_p50"]
    # others do not change the focal unit's score; levers held → no levers' part
    assert [p for p in d.parts() if p["part"] == "others"][0]["score"] == 0
    held = decompose.decompose(s.with_(levers={}))
    assert held.by_lever == [] and held.parts()[-1] == {"part": "levers", "score": 0.0, "rank": 0.0}


def test_no_merger_part_within_one_field():
    d = decompose.decompose(scenario(baseline_year=2022, target_year=2024, horizon=2026))
    merger = d.parts()[0]
    assert merger["score"] == 0 and merger["rank"] == 0 and d.n_units["merger"] == 63


def test_bad_years_are_named():
    with pytest.raises(InputError) as exc:
        decompose.decompose(scenario(), year=2024)
    assert "target year" in exc.value.message()


def test_sentence_says_places_not_signed_numbers():
    d = decompose.decompose(scenario())
    en, vi = waterfall.sentence(d, "en"), waterfall.sentence(d, "vi")
    assert "Your levers add" in en and "median rank goes from 3/63 to" in en
    assert any(w in en for w in ("up ", "down ", "no change in rank"))
    assert "Các đòn bẩy của kịch bản thêm" in vi
    assert "merger" in en  # the baseline year is before 2025 and the target after
    fig = waterfall.figure(d, "en")
    assert len(fig.axes) == 2 and "rank" in fig.axes[1].get_ylabel()
    frame = waterfall.levers_frame(d, "en")
    assert len(frame) == len(d.by_lever) + 1
    assert not any(str(v).startswith(("+", "−", "-")) for v in frame.iloc[:, 2])


def test_rank_changes_in_words():
    assert plain.rank_change(3, 5, "en") == "down 2 places"
    assert plain.rank_change(5, 3, "en") == "up 2 places"
    assert plain.rank_change(4, 3, "en") == "up 1 place"
    assert plain.rank_change(3, 3, "vi") == "giữ nguyên thứ hạng"
    assert plain.places_moved(-1.33, "vi", digits=1) == "tăng 1,3 bậc"
    assert plain.futures(0.76, 2000, "en") == "in 1,520 of 2,000 simulated futures (Monte-Carlo margin ±1.6 points)"


def test_without_the_split_by_lever_the_parts_are_the_same():
    s = scenario()
    full, quick = decompose.decompose(s), decompose.decompose(s, by_lever=False)
    assert quick.by_lever == [] and quick.parts() == full.parts()


def test_a_scenario_asked_again_is_not_computed_again_and_another_is():
    """A report and its one-pager ask for the same decomposition and league table (kept per process);
    another lever plan, year or focal unit gets its own, equal to one computed afresh."""
    s = scenario()
    d = decompose.decompose(s)
    assert decompose.decompose(Scenario.from_dict(s.to_dict())) is d
    assert decompose.decompose(s, s.target_year) is d  # the default year named
    assert league.league(s) is league.league(s, s.target_year)
    for other in (scenario(levers={"simplification": 0.9}), scenario(focal="hai-phong"), scenario(target_year=2030)):
        e = decompose.decompose(other)
        assert e is not d and e.score != d.score
        decompose._decompose.cache_clear()
        assert decompose.decompose(other).score == e.score and decompose.decompose(other).by_lever == e.by_lever
    assert league.league(scenario(levers={})).rows() != league.league(s).rows()


def test_the_waterfalls_text_alternative_is_read_without_drawing_it():
    """The one-pager finds the report's waterfall by its text alternative: the same words the figure shows."""
    from simlib.reports import text

    for s in (scenario(), scenario(focal="hai-phong", levers={})):
        d = decompose.decompose(s)
        for lang in ("vi", "en"):
            assert waterfall.alt_text(d, lang) == text.describe_figure(waterfall.figure(d, lang))
