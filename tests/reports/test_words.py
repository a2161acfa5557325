"""Words above numbers: one say() for every word, one Vietnamese sort order, analyses without words."""

from __future__ import annotations

import numpy as np
import pytest

from simlib.analysis import goals, target
from simlib.reports import i18n, target_report
from simlib.reports.text import vi_sort_key


def test_say_reads_labels_outcomes_and_sections_in_both_languages():
    assert i18n.say("year", "en") == "Year"
    assert i18n.say("par_rank", "vi") == "Xếp hạng PAR Index"
    assert i18n.say("target.in_year", "en", year=2027) == " in 2027"
    assert i18n.say("sensitivity.excluded_trend_estimated", "vi", index="PAR", year=2024).endswith("năm 2024")
    with pytest.raises(KeyError):
        i18n.say("target.no_such_sentence")
    with pytest.raises(ValueError, match="lang"):
        i18n.say("year", "fr")


def test_every_sentence_has_the_same_fields_in_both_languages():
    import string

    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}
    for name, section in i18n.SECTIONS.items():
        for key, (vi, en) in section.items():
            assert fields(vi) == fields(en), f"{name}.{key}"


def test_vietnamese_names_sort_in_the_order_of_the_vietnamese_alphabet():
    names = ["Gia Lai", "Đồng Nai", "Đà Nẵng", "Cần Thơ", "Dak Nông", "An Giang", "Hà Nội", "Hải Phòng", "Huế"]
    assert sorted(names, key=vi_sort_key) == [
        "An Giang",
        "Cần Thơ",
        "Dak Nông",
        "Đà Nẵng",
        "Đồng Nai",
        "Gia Lai",
        "Hà Nội",
        "Hải Phòng",
        "Huế",
    ]


def test_the_panels_unit_list_follows_the_one_vietnamese_order():
    from simlib.app.formatting import unit_options

    names = [name for name, _slug in unit_options()]
    assert len(names) == 34 and names == sorted(names, key=vi_sort_key)
    d_names = [n for n in names if n[0] in "DĐ"]
    assert d_names == sorted(d_names, key=lambda n: (n[0] == "Đ", vi_sort_key(n)))  # every Đ after every D


def test_the_goal_of_a_search_is_described_in_words_by_the_reports():
    goal = goals.Goal(prob=0.8, year=2027, par_rank=3, sipas=86.0)
    assert target_report.describe(goal, "en") == "PAR top-3 and SIPAS ≥ 86%"
    assert target_report.describe(goal, "vi") == "PAR trong top 3 và SIPAS ≥ 86%"
    assert not hasattr(goal, "describe")
    assert [target_report.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
    ]


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(
    ("par", "kth", "gap", "says"),
    [
        ((93.0, 95.23, 97.0), (91.23, 95.32, 97.59), (-1.0, 0.04, 1.0), "why_small"),  # paired gap ≥ 0, medians not
        ((93.0, 95.40, 97.0), (91.23, 95.32, 97.59), (-1.0, -0.02, 1.0), "why_noise"),
    ],
)
def test_why_out_of_reach_says_what_its_two_medians_show(lang, par, kth, gap, says):
    """A goal out of reach read 'Hà Nội's PAR (95,23) is above the 2nd-best other unit's (95,32)': the sentence
    was chosen by the median of the paired gap, its numbers are the two medians. It follows the numbers it shows."""
    goal = goals.Goal(prob=0.9, year=2030, par_rank=2)
    sol = target.Solution(
        names=("simplification",),
        current=np.array([0.3]),
        prob=0.9,
        budget=None,
        draws=300,
        reachable=False,
        best_values={"p": 0.51, "p_rank": 0.51},
        target=goal,
        diagnosis={"unit": "Hà Nội", "par": list(par), "kth": list(kth), "gap": list(gap), "par_gain": 1.34},
    )
    (line,) = target_report.why_lines(sol, lang)
    template = i18n.say(
        f"target.{says}",
        lang,
        unit="Hà Nội",
        par50=par[1],
        nth="2" if lang == "vi" else "2nd",
        n=2,
        k50=kth[1],
        gain=1.34,
        p=0.51,
        k05=kth[0],
        k95=kth[2],
        gap=kth[1] - par[1],
    )
    assert line == template
