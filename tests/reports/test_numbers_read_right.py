"""Numbers a reader checks by hand agree: differences of the values shown, one statistic per
outcome (named), a cost-vs-effect chart whose labels never overlap, with even ticks and no
negative cost."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from support import ROOT

from simlib.analysis import compare
from simlib.engine.scenario import load_yaml
from simlib.engine.simulate import run_many
from simlib.reports import figures, tables
from simlib.reports import text as report
from simlib.reports.i18n import say

DRAWS = 400


@pytest.fixture(scope="module")
def pair():
    s = load_yaml(ROOT / "scenarios" / "all_levers.yaml").with_(draws=DRAWS)
    return run_many([s, compare.baseline_of(s)])


def _number(cell: str) -> float:
    """The first number of a cell as the table writes it ('+1.2', '−3', '80')."""
    head = cell.split(" (")[0].removesuffix(" pp").replace("−", "-").replace(",", "")
    return float(head)


def test_difference_column_is_the_difference_of_the_values_shown(pair):
    result, baseline = pair
    table = tables.comparison(result, baseline, "en")
    assert list(table.columns)[3:] == [
        "Difference of the values shown",
        "Paired difference, draw by draw: median (5–95% band)",
    ]
    from simlib.reports import plainwords

    for _, row in table.iterrows():
        if "%" in row.iloc[1] and "·" in row.iloc[1]:  # a probability: whole percent points
            a, b = (float(row.iloc[i].split("%")[0].strip("<>")) for i in (1, 2))
            assert _number(row.iloc[3]) == pytest.approx(a - b), row.tolist()
            continue
        a, b = _number(row.iloc[1]), _number(row.iloc[2])
        if "rank" in row.iloc[0]:  # ranks: the places between the two medians shown
            digits = 0 if float(a - b).is_integer() else 1
            assert row.iloc[3] == plainwords.places_moved(a - b, "en", digits), row.tolist()
            continue
        assert _number(row.iloc[3]) == pytest.approx(a - b, abs=1e-9), row.tolist()
    d = compare.difference(result, baseline, "par_score", result.scenario.target_year)
    score = table[table["Indicator"].str.startswith("PAR Index score")].iloc[0]
    lo, mid, hi = np.percentile(d, [5, 50, 95])
    assert score.iloc[4] == (
        f"{report.signed(mid, 1, 'en')} ({report.signed(lo, 1, 'en')} – {report.signed(hi, 1, 'en')})"
    )


def test_the_fee_is_a_mean_everywhere_and_says_so(pair):
    result, baseline = pair
    k = list(result.years).index(result.scenario.target_year)
    fee = result.arrays["fee_forgone_bn_vnd"][:, k]
    mean = report.num(fee.mean(), 1, "en")
    for lang, word in (("en", "mean"), ("vi", "trung bình")):
        table = tables.comparison(result, baseline, lang)
        row = table[table.iloc[:, 0].str.startswith(say("fee_forgone_bn_vnd", lang))].iloc[0]
        assert word in row.iloc[0], row.tolist()
        headline = tables.headline(result, lang)
        cell = dict(zip(headline.iloc[:, 0], headline.iloc[:, 1]))[say("fee_forgone_bn_vnd", lang)]
        assert f"({word}" in cell and cell.startswith(report.num(fee.mean(), 1, lang))
    table = tables.comparison(result, baseline, "en")
    row = table[table.iloc[:, 0].str.startswith("Fees forgone")].iloc[0]
    assert row.iloc[1].startswith(mean + " (")
    assert f"{mean} bn VND per year (mean" in report.summary_text(result, "en")
    from simlib.reports import onepager

    # the one-pager's fee line and its memo paragraph give the same mean, labelled as one
    assert onepager.cost_line(result, baseline, "en").startswith(f"{mean} bn VND per year (mean; 5–95%: ")
    vi_mean = report.num(fee.mean(), 1, "vi")
    assert onepager.cost_line(result, baseline, "vi").startswith(f"{vi_mean} tỷ đồng/năm (trung bình; khoảng 5–95%: ")
    assert f"{mean} bn VND" in report.memo_paragraph(result, baseline, "en")


def _summary(n: int = 7) -> pd.DataFrame:
    """Scenarios crowded on the cost-vs-effect plane, some on the same spot."""
    rng = np.random.default_rng(3)
    rows = [
        {
            "scenario": f"scenario_with_a_long_name_{i}",
            "fee_forgone_bn_vnd": 2.0 + 3 * rng.random(),
            "p_par_top3": 0.75 + 0.1 * rng.random(),
        }
        for i in range(n)
    ]
    rows[1].update(fee_forgone_bn_vnd=rows[0]["fee_forgone_bn_vnd"], p_par_top3=rows[0]["p_par_top3"] + 0.001)
    rows.append({"scenario": "baseline", "fee_forgone_bn_vnd": 0.0, "p_par_top3": 0.78})
    return pd.DataFrame(rows)


def test_cost_effect_labels_do_not_overlap_and_axes_read_evenly():
    fig = figures.cost_effect(_summary(), lang="en")
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) >= 7
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    assert ax.get_xlim()[0] >= 0, "the cost axis starts below 0"
    ticks = [v for v in ax.get_yticks() if ax.get_ylim()[0] <= v <= ax.get_ylim()[1]]
    steps = np.diff(ticks)
    assert np.allclose(steps, steps[0]) and all(float(v).is_integer() for v in ticks), ticks
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert all(lab.endswith("%") for lab in labels)


def test_index_lists_scenarios_by_title_and_description(tmp_path):
    from simlib.runs import batch

    scenario = load_yaml(ROOT / "scenarios" / "online_fee_waiver.yaml")
    item = batch.Item(
        ROOT / "scenarios" / "online_fee_waiver.yaml",
        scenario.name,
        "online_fee_waiver",
        scenario,
        status="failed",
        error={"ename": "X", "evalue": "y", "cell_index": None},
    )
    from simlib.runs import index_page

    page = index_page.reports_table_html([item], tmp_path, "vi")
    assert scenario.description[:40] in page and scenario.heading("vi") in page
    assert "online_fee_waiver" not in page.split("<tbody>")[1].split("</td>")[0]  # the title, not the file name
    english = index_page.reports_table_html([item], tmp_path, "en")
    assert "Ending the zero online fee in 2026" in english and scenario.description[:20] not in english


# ---------------------------------------------------------------- Vietnamese readers (item 11)


def test_input_problems_read_in_vietnamese():
    from simlib.engine.errors import InputError
    from simlib.engine.scenario import Scenario
    from simlib.reports import i18n

    with pytest.raises(InputError) as exc:
        Scenario.from_dict(
            {
                "focal": "hai-duong",
                "draws": 0,
                "levers": {"simplification": 1.5},
                "horizon": 2031,
                "field": {"others_fee_waiver_year": 2040},
            }
        )
    lines = [i18n.issue_text(i, "vi") for i in exc.value.issues]
    text = "\n".join(lines)
    for english in ("a share from", "a whole number", "a year from", "merged into", "got", "allowed:"):
        assert english not in text, text
    assert "levers.simplification: nhận 1.5; cho phép: một tỷ lệ từ 0 đến 1" in text
    assert "đã hợp nhất vào «hai-phong» từ ngày 1/7/2025" in text
    assert all(
        i18n.issue_text(i, "en") == f"{i.where}: got {i.value!r}; allowed: {i.allowed}" for i in exc.value.issues
    )


def test_data_clashes_and_parameter_units_read_in_vietnamese():
    from simlib.engine import data, params

    clashes = tables.clashes("vi")
    assert len(clashes) == len(data.load().clashes)
    for cell in clashes.iloc[:, 2]:
        assert "sources give" not in cell and "written rule" not in cell and "kept for" not in cell, cell
        assert "given to" not in cell and "kept the first" not in cell, cell
    units = set(tables.parameters("vi").iloc[:, 4])
    english = {r["unit"] for r in params.table()} - {"log(100 − score)"}
    assert not units & english, units & english
    assert all("points" not in u and "per unit" not in u and "share" not in u for u in units)


def test_wording_a_fluent_reader_accepts():
    from simlib.reports import i18n

    every_vi = " ".join(vi for table in (i18n.LABELS, i18n.PANEL) for vi, _ in table.values())
    assert "hạt giống" not in every_vi
    assert "số khởi tạo ngẫu nhiên" in every_vi
    assert i18n.say("h_assumed", "vi") == "Các giả định của kịch bản"


def test_reports_use_the_scenarios_title_and_description_in_their_language(pair):
    result, _ = pair
    scenario = result.scenario
    vi, en = report.title(scenario, "vi"), report.title(scenario, "en")
    assert "Mọi đòn bẩy cùng lúc đến năm 2027" in vi and "all\\_levers" not in vi
    assert "All levers together by 2027" in en
    assert "Đẩy mọi đòn bẩy" in vi and "Đẩy" not in en and "Pushes every lever by 2027" in en
    plain = load_yaml(ROOT / "scenarios" / "all_levers.yaml").with_(title="", description="Một dòng.")
    assert "Một dòng" in report.title(plain, "en")  # one text, any language: shown in both
    assert compare.baseline_of(scenario).heading("vi") == "baseline"


def test_comparison_tables_and_figures_name_scenarios_by_title(tmp_path):
    import json

    batch = compare.BatchOutput(ROOT / "scenarios", pd.DataFrame(), pd.DataFrame(), in_process=True)
    titles = report.scenario_titles(batch, "en")
    assert titles["online_fee_waiver"] == "Ending the zero online fee in 2026"
    assert report.scenario_titles(batch, "vi")["all_levers"] == "Mọi đòn bẩy cùng lúc đến năm 2027"
    scenario = load_yaml(ROOT / "scenarios" / "delegation.yaml")
    (tmp_path / "delegation").mkdir()
    (tmp_path / "delegation" / "manifest.json").write_text(
        json.dumps({"scenario": scenario.to_dict()}), encoding="utf-8"
    )
    summary = pd.DataFrame(
        [
            {"scenario": "delegation", "report_dir": "delegation", "status": "ok"},
            {"scenario": "broken", "report_dir": "", "status": "failed"},
        ]
    )
    titles = report.scenario_titles(compare.BatchOutput(tmp_path, summary, pd.DataFrame()), "vi")
    assert titles == {"delegation": "Ủy quyền, phân cấp 60% thủ tục hành chính"}
    table = tables.outcomes(
        pd.DataFrame(
            [
                {
                    "scenario": "delegation",
                    "target_year": 2027,
                    **{c: 0.5 for c in compare.summary_columns() if c not in ("scenario", "target_year")},
                }
            ]
        ),
        "vi",
        labels=titles,
    )
    assert table.iloc[0, 0] == "Ủy quyền, phân cấp 60% thủ tục hành chính"


def test_numbers_in_sentences_read_with_vietnamese_marks():
    """Every number ``say`` formats for a Vietnamese reader has a decimal comma and a thousands dot; English
    keeps its own marks; a year stays a year."""
    from simlib.analysis import target
    from simlib.reports import target_report

    assert say("target.effort", "vi", effort=28.4, cost=np.float64(75.25)) == (
        "Nỗ lực: 28,4 điểm phần trăm tăng thêm; phí miễn giảm 75,2 tỷ đồng/năm (trung bình)."
    )
    assert say("target.in_year", "vi", year=2027) == " năm 2027"  # no spec: as given
    assert say("target.effort", "en", effort=28.4, cost=1234.5).startswith("Effort: 28.4 share points")
    sol = target.run(par_rank=3, prob=0.5, year=2027, draws=DRAWS)
    vi, en = "\n".join(target_report.summary_lines(sol, "vi")), "\n".join(target_report.summary_lines(sol, "en"))
    assert "2027" in vi and "29,8% →" in vi and "29.8% →" in en
    for number in re.findall(r"\d+[.,]\d+", vi):
        assert "." not in number or len(number.split(".")[-1]) == 3, (number, vi)  # a dot only between thousands


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_figure_of_results_names_each_scenario_by_its_title_in_its_legend(pair, lang):
    """The scenario report's projection, drawn without labels, showed 'all_levers' (the file's name) in its legend."""
    result, baseline = pair
    for items in (result, [result, baseline]):
        fig = figures.projections(items, lang=lang)
        legend = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
        assert result.scenario.heading(lang) in legend and "all_levers" not in legend, legend
    given = figures.projections([result, baseline], lang=lang, labels={"baseline": say("baseline", lang)})
    legend = [t.get_text() for legend in given.legends for t in legend.get_texts()]
    assert say("baseline", lang) in legend and result.scenario.heading(lang) in legend
