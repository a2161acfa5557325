"""Counts beside shares (data/lever_totals.csv) and what the levers cost (data/lever_costs.csv): the data,
their checks, a scenario's counts and own unit costs, and the cost model."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from support import append_row, find_row, set_cells

from simlib.engine import costs, data, levers, safetext
from simlib.engine.errors import DataError, ScenarioError
from simlib.engine.scenario import Scenario, load_yaml

# --------------------------------------------------------------------------- totals


def test_totals_are_known_for_ha_noi_only_and_match_the_published_counts():
    simp, dele = levers.total("simplification", "ha-noi"), levers.total("delegation", "ha-noi")
    assert (simp.total, simp.year, simp.status) == (708, 2024, "derived")
    assert (dele.total, dele.year, dele.status) == (1885, 2025, "derived")
    # the published counts read back from today's shares: 211 simplified (29.8%), 656 delegated (34.8%)
    today = levers.current_values("ha-noi", 2025)
    assert round(simp.count(today["simplification"].value)) == 211
    assert round(dele.count(today["delegation"].value)) == 656
    assert "211" in simp.source and "29,8%" in simp.source_in("vi")
    assert levers.total("simplification", "hue") is None
    assert levers.total("full_process_online", "ha-noi") is None  # a share of dossiers, not counted
    assert [lv.name for lv in levers.registry() if lv.counted] == ["simplification", "delegation"]
    assert levers.get("delegation").count_word("en") == "TTHC"


# --------------------------------------------------------------------------- scenario counts


def test_a_count_is_converted_with_the_focal_units_total():
    s = Scenario.from_dict(
        {
            "levers": {
                "simplification": {"count": 350},
                "delegation": {"count": 900, "year": 2028},
                "full_process_online": {"path": {2026: 0.8}},
            }
        }
    )
    assert s.levers["simplification"].target == 350 / 708 and s.levers["simplification"].year == 2027
    assert s.levers["delegation"].target == 900 / 1885 and s.levers["delegation"].year == 2028
    path = Scenario.from_dict({"levers": {"simplification": {"path": {2026: {"count": 300}, 2028: 0.6}}}})
    assert path.levers["simplification"].path == ((2026, 300 / 708), (2028, 0.6))
    same = Scenario.from_dict({"levers": {"simplification": {"target": {"count": 350}, "year": 2027}}})
    assert same.levers == {"simplification": s.levers["simplification"]}


def test_a_scenario_file_keeps_whole_counts_and_reads_back_the_same(tmp_path):
    s = Scenario.from_dict({"name": "counts", "levers": {"simplification": {"count": 350}, "delegation": 0.5}})
    text = s.to_yaml()
    plain = yaml.safe_load(text)
    assert plain["levers"]["simplification"] == {"count": 350, "year": 2027}
    assert plain["levers"]["delegation"] == {"target": 0.5, "year": 2027}  # 942.5 procedures: not whole
    (tmp_path / "counts.yaml").write_text(text, encoding="utf-8")
    assert load_yaml(tmp_path / "counts.yaml") == s
    assert s.to_dict()["levers"]["simplification"] == {"target": 350 / 708, "year": 2027}  # the machine form


def test_bad_counts_are_all_named_with_what_is_allowed():
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict(
            {
                "levers": {
                    "simplification": {"count": 709},
                    "delegation": {"path": {2026: {"count": 12.5}}},
                    "full_process_online": {"count": 3},
                }
            }
        )
    got = {i.where: i for i in err.value.issues}
    assert set(got) == {
        "levers.simplification.count",
        "levers.delegation.path.2026.count",
        "levers.full_process_online.count",
    }
    assert got["levers.simplification.count"].value == 709
    assert "from 0 to 708" in got["levers.simplification.count"].allowed
    assert "708 TTHC, 2024" in got["levers.simplification.count"].allowed
    assert "from 0 to 1885" in got["levers.delegation.path.2026.count"].allowed
    assert "not counted in procedures" in got["levers.full_process_online.count"].allowed
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict({"focal": "hue", "levers": {"simplification": {"count": 50}}})
    (issue,) = err.value.issues
    assert "hue has no published total" in issue.allowed and "ha-noi" in issue.allowed


# --------------------------------------------------------------------------- a scenario's own unit costs


def test_own_unit_costs_in_a_scenario():
    s = Scenario.from_dict({"costs": {"simplification": 30, "staff_day": {"low": 0.5, "central": 0.6, "high": 0.8}}})
    assert s.costs == {"simplification": (30.0, 30.0, 30.0), "staff_day": (0.5, 0.6, 0.8)}
    assert Scenario.from_dict(s.to_dict()) == s
    assert "costs" not in Scenario().to_dict()  # a scenario without them reads as before
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict(
            {
                "costs": {
                    "teleport": 1,
                    "delegation": -2,
                    "full_process_online": {"low": 3, "central": 2, "high": 4},
                    "online_fee_waiver": 1,
                }
            }
        )
    where = sorted(i.where for i in err.value.issues)
    assert where == ["costs.delegation", "costs.full_process_online", "costs.online_fee_waiver", "costs.teleport"]
    assert "staff days per procedure" in next(i.allowed for i in err.value.issues if i.where == "costs.delegation")


# --------------------------------------------------------------------------- text a user typed


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Hà Nội\x1b]0;owned\x07"),
        ("name", "x\ud800"),
        ("title", "nul\x00"),
        ("title", "two\nlines"),
        ("description", "bell\x07"),
        ("description", {"vi": "ok", "en": "esc\x1b"}),
    ],
)
def test_control_characters_and_lone_surrogates_are_refused(field, value):
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict({field: value})
    (issue,) = err.value.issues
    assert (
        issue.where.startswith(field)
        and "control or direction-override characters" in issue.allowed
        and "found U+" in issue.allowed
    )


def test_a_description_may_have_line_breaks():
    s = Scenario.from_dict({"name": "Kịch bản 1", "description": "Dòng một\nDòng hai"})
    assert s.description == "Dòng một\nDòng hai"
    assert safetext.character_problem("Hà Nội – “nhanh”") is None
    assert "U+001B" in safetext.character_problem("a\x1b")


def test_every_character_is_judged_by_its_unicode_category():
    """Every code point: refused exactly when its category is a control, surrogate, private use, unassigned,
    line or paragraph separator, or a format character other than the two joiners; a line break only in a
    multi-line text. (The unassigned and private-use code points, a million alike, are checked one in 500.)"""
    import unicodedata

    refused = {"Cc", "Cs", "Co", "Cn", "Zl", "Zp"}
    allowed, bad = [], []
    for code in range(0x110000):
        ch = chr(code)
        category = unicodedata.category(ch)
        if category in refused or (category == "Cf" and ch not in "\u200c\u200d"):
            if category not in ("Cn", "Co") or code % 500 == 0:
                bad.append(ch)
        else:
            allowed.append(ch)
    assert safetext.bad_character("".join(allowed)) is None
    assert safetext.bad_character("\n".join(allowed), multiline=True) is None
    assert safetext.bad_character("Dòng\nhai") == "\n"
    for ch in bad:
        assert safetext.bad_character(f"Hà Nội {ch}.") == ch, f"U+{ord(ch):04X}"
        assert safetext.bad_character(f"Dòng\n{ch}", multiline=True) == (None if ch == "\n" else ch)


# --------------------------------------------------------------------------- the cost model


def test_cost_model_prices_procedures_with_the_units_total():
    model = costs.cost_model("ha-noi")
    assert model.known and model.fee_levers == ("online_fee_waiver",)
    names = list(model.names)
    current = np.array([levers.current_values("ha-noi", 2025)[n].value for n in names])
    x = current.copy()
    x[names.index("simplification")] = (211 + 139) / 708  # 139 more procedures simplified
    x[names.index("full_process_online")] += 0.05  # 5 more percentage points of dossiers
    low, central, high = model.one_off(x[None], current)[:, 0]
    # by hand: 139 procedures × 40 staff-days × 0.55 million VND, + 5 points × 1,500 million VND (bn VND)
    assert central == pytest.approx(139 * 40 * 0.55 / 1000 + 5 * 1500 / 1000, rel=1e-3)
    assert low == pytest.approx(139 * 20 * 0.4 / 1000 + 5 * 500 / 1000, rel=1e-3)
    assert high == pytest.approx(139 * 80 * 0.95 / 1000 + 5 * 5000 / 1000, rel=1e-3)
    assert model.one_off((current - 0.1)[None], current)[1, 0] == 0  # lowering a lever costs nothing here
    assert [c.item for c in model.society_savings()] == ["compliance_saving"]


def test_cost_model_without_totals_says_which_levers_are_unknown():
    model = costs.cost_model("hue")
    assert not model.known
    assert model.unknown == {"simplification": "no_total", "delegation": "no_total"}


def test_own_unit_costs_replace_the_tables_and_are_labelled():
    model = costs.cost_model("ha-noi", {"simplification": (10.0, 10.0, 10.0), "staff_day": (1.0, 1.0, 1.0)})
    j = list(model.names).index("simplification")
    assert model.per_point[:, j] == pytest.approx([10 * 1.0 * 7.08 / 1000] * 3)
    own = {c.key: c for c in model.rows if c.payer == "city"}
    assert own["simplification"].basis == "planner" and own["staff_day"].basis == "planner"
    assert own["delegation"].basis == "assumption"


# --------------------------------------------------------------------------- the data's checks


def test_every_cost_row_has_a_source_or_an_assumption_with_a_range():
    for c in costs.table():
        assert c.source and c.source_vi
        if c.basis == "assumption":
            assert c.source.startswith("assumption") and c.low < c.central < c.high
        if c.basis == "model":
            assert c.central is None
    payers = {c.item: c.payer for c in costs.table()}
    assert payers["compliance_saving"] == "society" and payers["fees_forgone"] == "city"


def test_broken_totals_and_costs_are_named_by_file_row_and_column(data_copy):
    totals = data_copy / "lever_totals.csv"
    set_cells(totals, find_row(totals, lever="delegation"), lever="full_process_online")
    append_row(
        totals,
        lever="simplification",
        unit_slug="atlantis",
        year="2024",
        total="5",
        status="stated",
        source="x",
        source_vi="x",
    )
    cost_file = data_copy / "lever_costs.csv"
    set_cells(cost_file, find_row(cost_file, item="staff_time", lever="delegation"), low="", central="30")
    set_cells(cost_file, find_row(cost_file, item="it_and_staff"), per="procedure")
    set_cells(cost_file, find_row(cost_file, item="fees_forgone"), central="37")
    with pytest.raises(DataError) as err:
        data.load_from(data_copy)
    where = {i.where for i in err.value.issues}
    assert "data/lever_totals.csv row 3 column lever" in where  # full_process_online is not counted
    assert "data/lever_totals.csv row 4 column unit_slug" in where
    assert any(
        w.startswith(f"data/lever_costs.csv row {find_row(cost_file, item='staff_time', lever='delegation')}")
        and "low, high" in w
        for w in where
    )
    assert any("column per" in w for w in where)
    assert len(err.value.issues) >= 5  # every problem at once
