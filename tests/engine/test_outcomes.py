"""Outcomes are declared once (simlib.engine.outcomes): results, summary rows, tables and labels read them."""

from __future__ import annotations

import numpy as np
import pytest
from support import small

from simlib.analysis import compare, grid
from simlib.engine import outcomes, simulate
from simlib.reports import figures, i18n, tables

TOP2 = outcomes.Outcome(
    "p_par_top2",
    "probability",
    "probability (0–1)",
    "xác suất (0–1)",
    "Probability PAR in the top 2",
    "Xác suất PAR trong top 2",
    "par_rank",
    2,
    "<=",
    table=("p",),
    percent=True,
)


@pytest.fixture
def with_top2(monkeypatch):
    monkeypatch.setattr(outcomes, "OUTCOMES", outcomes.OUTCOMES + (TOP2,))


def test_a_new_metric_is_one_declaration(with_top2):
    result = simulate.run(small(name="pushed", levers={"simplification": 0.9, "delegation": 0.9}))
    k = list(result.years).index(result.scenario.target_year)
    expected = float((result.arrays["par_rank"][:, k] <= 2).mean())
    row = result.at("p_par_top2", int(result.scenario.target_year))
    assert row["mean"] == pytest.approx(expected)
    assert row["p05"] <= expected <= row["p95"]  # its Monte-Carlo interval, as every probability

    summary = compare.summary_row(result)
    assert summary["p_par_top2"] == pytest.approx(expected)
    assert "p_par_top2" in compare.summary_columns()

    table = tables.outcomes([summary], lang="en")
    assert "Probability PAR in the top 2" in table.columns
    assert i18n.say("p_par_top2", "vi") == "Xác suất PAR trong top 2"


def test_tables_columns_and_units_come_from_the_declarations():
    declared = [column for column, _, _ in outcomes.table_columns()]
    assert list(compare.SUMMARY_COLUMNS[2:]) == declared
    assert set(grid.METRICS) <= set(declared) and set(grid.UNITS) == set(grid.METRICS)
    assert "median" in grid.UNITS["par_p50"] and "whole rank" in grid.UNITS["par_rank_p05"]
    assert set(figures.PERCENT_METRICS) == {o.name for o in outcomes.OUTCOMES if o.percent}
    for o in outcomes.OUTCOMES:
        assert i18n.say(o.name, "vi") == o.label_vi and i18n.say(o.name, "en") == o.label_en


def test_comparison_table_values_match_the_draws():
    result = simulate.run(small(name="plain"))
    k = list(result.years).index(result.scenario.target_year)
    row = compare.summary_row(result)
    ranks = result.arrays["par_rank"][:, k]
    assert row["par_rank_p50"] == np.percentile(ranks, 50, method="inverted_cdf")
    assert row["fee_forgone_bn_vnd"] == pytest.approx(result.arrays["fee_forgone_bn_vnd"][:, k].mean())
    assert row["p_sipas_ge_86"] == pytest.approx((result.arrays["sipas_pct"][:, k] >= 86).mean())
