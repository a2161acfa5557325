"""Report figures, tables, words and comparisons: what a reader of the report would check."""

from __future__ import annotations

import re
import string
import warnings

import numpy as np
import pandas as pd
import pytest
from support import ROOT, write_batch_folder

from simlib.analysis import compare
from simlib.engine import data, history, levers, params
from simlib.engine.errors import InputError
from simlib.engine.scenario import Scenario, load_yaml, replace_levers
from simlib.engine.simulate import run, run_many
from simlib.reports import figures, i18n
from simlib.reports import tables as tables_report
from simlib.reports import text as report

DRAWS = 200
LANGS = ("vi", "en")
# letters only Vietnamese uses (with diacritics beyond plain ASCII)
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)


@pytest.fixture(scope="module")
def pair():
    """all_levers and its baseline, run together (common random numbers)."""
    s = load_yaml(ROOT / "scenarios" / "all_levers.yaml").with_(draws=DRAWS)
    return run_many([s, compare.baseline_of(s)])


@pytest.fixture(scope="module")
def examples():
    return compare.example_batch(draws=DRAWS)


@pytest.fixture(scope="module")
def small_grid():
    return compare.grid(
        x="simplification", y="delegation", x_values=(0.3, 0.5, 0.7), y_values=(0.3, 0.4, 0.5, 0.6), draws=DRAWS
    )


# ---------------------------------------------------------------- words


def test_every_label_has_both_languages_with_the_same_fields():
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)
    for key, (vi, en) in i18n.LABELS.items():
        assert vi.strip() and en.strip(), key
        assert fields(vi) == fields(en), key


def test_headings_and_notes_are_vietnamese_by_default_and_english_on_request():
    for key in (k for k in i18n.LABELS if k.startswith(("h_", "n_", "s_"))):
        fill = {f: "X" for _, f, _, _ in string.Formatter().parse(i18n.LABELS[key][0]) if f}
        vi, en = i18n.say(key, "vi", **fill), i18n.say(key, "en", **fill)
        assert vi != en, key
        assert VIETNAMESE.search(vi), key
        assert not VIETNAMESE.search(en.replace("Hà Nội", "").replace("CCHC", "")), key
    assert report.heading("projections") == "## Dự báo qua các năm"
    assert report.heading("projections", "en", level=3) == "### Projections over the years"


def test_numbers_read_the_way_each_language_writes_them():
    assert report.num(1234.56, 1, "vi") == "1.234,6"
    assert report.num(1234.56, 1, "en") == "1,234.6"
    assert report.num(-0.04, 1, "vi") == "0,0"
    assert report.signed(-1.26, 1, "en") == "−1.3"
    assert report.signed(0.6, 1, "vi") == "+0,6"
    assert report.pct(0.36) == "36%" and report.pct(0.001) == "<1%" and report.pct(0.999) == ">99%"
    assert report.pct(1.0) == "100%" and report.pct(0.0) == "0%"
    assert report.rank_band(1.0, 23.05) == "1–23"
    assert report.rank_text(6.0) == "6" and report.rank_text(10.5, "vi") == "10,5"


def test_a_language_other_than_vi_or_en_is_a_user_error():
    with pytest.raises(InputError) as err:
        report.check_lang("fr")
    assert err.value.issues[0].where == "lang"
    with pytest.raises(InputError):
        figures.history_figure("ha-noi", lang="fr")
    with pytest.raises(InputError):
        report.check_focal("atlantis")


# ---------------------------------------------------------------- headline and summary


def _rank_stats(result, year):
    k = list(result.years).index(year)
    lo, mid, hi = np.percentile(result.arrays["par_rank"][:, k], [5, 50, 95], method="inverted_cdf")
    assert mid == int(mid), "a median rank is a rank a province can hold"
    return report.rank_text(mid), f"{round(lo)}–{round(hi)}"


@pytest.mark.parametrize("lang", LANGS)
def test_summary_text_states_the_median_rank_its_band_and_the_probabilities(pair, lang):
    result, baseline = pair
    year = result.scenario.target_year
    median, band = _rank_stats(result, year)
    text = report.summary_text(result, lang, baseline=baseline)
    k = list(result.years).index(year)
    assert f" {median} " in text and band in text
    assert report.pct(result.probability("p_par_top3")[k], lang) in text
    assert report.pct(result.probability("p_sipas_ge_86")[k], lang) in text
    assert str(year) in text and "Hà Nội" in text
    assert ("xác suất" in text) == (lang == "vi")


def test_headline_table_gives_median_rank_with_band_probabilities_and_cost(pair):
    result, _ = pair
    year = result.scenario.target_year
    median, band = _rank_stats(result, year)
    table = tables_report.headline(result, "en")
    assert list(table.columns) == ["Indicator", f"Value {year}"]
    cells = dict(zip(table.iloc[:, 0], table.iloc[:, 1]))
    assert cells["PAR Index rank (of 34 units)"] == f"median {median} (5–95%: {band})"
    k = list(result.years).index(year)
    p = result.probability("p_par_top3")[k]
    assert cells["Probability PAR in the top 3"].startswith(report.pct(p, "en") + " · in ")
    assert f"{round(p * result.draws):,} of {result.draws:,} simulated futures" in cells["Probability PAR in the top 3"]
    assert cells["Fees forgone, mean (bn VND per year)"].startswith(
        f"{report.num(result.arrays['fee_forgone_bn_vnd'][:, k].mean(), 1, 'en')} bn VND per year (mean; 5–95%: "
    )
    vi = tables_report.headline(result, "vi")
    assert list(vi.columns) == ["Chỉ tiêu", f"Giá trị {year}"]
    assert vi.iloc[2, 1] == f"trung vị {median} (5–95%: {band})"


def test_lever_plan_shows_current_to_target_by_year_in_percent(pair):
    result, _ = pair
    table = tables_report.lever_plan(result.scenario, "en")
    row = table[table["Lever"] == levers.get("simplification").label_en].iloc[0]
    assert row["Current (%)"] == "29.8 (2024)"
    assert row["Target (%)"] == "60" and row["By year"] == "2027"
    assert row["2025 (%)"] == "30" and row["2027 (%)"] == "60" and row["2030 (%)"] == "60"


def test_comparison_table_difference_is_the_paired_median(pair):
    result, baseline = pair
    table = tables_report.comparison(result, baseline, "en")
    d = compare.difference(result, baseline, "par_score", result.scenario.target_year)
    cell = table[table["Indicator"] == "PAR Index score (of 100)"].iloc[0, 4]  # beside the difference shown
    assert cell.startswith(report.signed(np.median(d), 1, "en") + " (")


# ---------------------------------------------------------------- compare


def test_summary_rows_match_the_result_summaries(pair):
    result, _ = pair
    (row,) = compare.summary_rows([result])
    assert list(row) == compare.summary_columns()
    year = result.scenario.target_year
    assert row["target_year"] == year
    assert row["par_rank_p50"] == result.at("par_rank", year)["p50"]
    assert row["sipas_p05"] == result.at("sipas_pct", year)["p05"]
    assert row["p_par_top3"] == result.at("p_par_top3", year)["mean"]
    assert row["fee_forgone_bn_vnd"] == result.at("fee_forgone_bn_vnd", year)["mean"]
    assert row["simplification"] == pytest.approx(0.6) and row["full_process_online"] == pytest.approx(0.9)
    assert compare.summary_rows([result], year=2030)[0]["par_p50"] == result.at("par_score", 2030)["p50"]
    with pytest.raises(InputError):
        compare.summary_rows([result], year=2040)


def test_baseline_holds_every_lever_and_shares_the_draws(pair):
    result, baseline = pair
    assert baseline.scenario.levers == {}
    assert np.allclose(baseline.lever_paths, baseline.current[None, :])
    assert np.all(compare.difference(baseline, baseline, "par_rank") == 0)
    # same field and parameter draws: the levers can only help the focal unit here
    d = compare.difference(result, baseline, "par_score")
    assert d.shape == (DRAWS, len(result.years)) and np.all(d >= -1e-9)


def test_difference_refuses_runs_that_do_not_share_draws(pair):
    result, _ = pair
    other = run(result.scenario.with_(seed=7))
    with pytest.raises(InputError) as err:
        compare.difference(result, other, "par_score", 2027)
    assert any(i.where.endswith(".seed") for i in err.value.issues)


def test_a_grid_cell_equals_the_scenario_run_on_its_own(small_grid):
    s = Scenario().with_(draws=DRAWS)
    alone = run(replace_levers(s, {"simplification": 0.5, "delegation": 0.6}))
    cell = small_grid[(small_grid["simplification"] == 0.5) & (small_grid["delegation"] == 0.6)].iloc[0]
    row = compare.summary_row(alone)
    for column in compare.METRIC_COLUMNS:
        assert cell[column] == pytest.approx(row[column], abs=1e-12), column
    assert len(small_grid) == 12 and compare.grid_levers(small_grid) == ("simplification", "delegation")


def test_grid_rejects_bad_levers_and_values_all_at_once():
    with pytest.raises(InputError) as err:
        compare.grid(x="speed", y="delegation", y_values=(0.5, 1.5), draws=DRAWS)
    assert {i.where for i in err.value.issues} == {"x", "y_values"}


def test_read_batch_splits_completed_and_failed_scenarios(tmp_path, examples):
    results = compare.run_examples(draws=DRAWS)
    write_batch_folder(tmp_path, results, examples.summary, "broken", "ScenarioError: levers.speed")
    batch = compare.read_batch(tmp_path)
    assert list(batch.failed["scenario"]) == ["broken"]
    assert set(batch.ok["scenario"]) == {r.scenario.name for r in results}
    assert len(batch.tidy) == sum(len(r.rows()) for r in results)
    with pytest.raises(InputError):
        compare.read_batch(tmp_path / "nowhere")


# ---------------------------------------------------------------- figures


def _texts(fig) -> list[str]:
    out = [fig._suptitle.get_text()] if fig._suptitle else []
    for ax in fig.axes:
        out += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
        out += [t.get_text() for t in ax.texts] + [t.get_text() for t in ax.get_yticklabels()]
        if ax.get_legend():
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    for legend in fig.legends:
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


def _labelled(ax, which: str) -> bool:
    """An axis has a label, or shares its scale with a panel whose axis has one."""
    siblings = getattr(ax, f"get_shared_{which}_axes")().get_siblings(ax)
    return any(getattr(a, f"get_{which}label")().strip() for a in siblings)


def _render_without_missing_glyphs(fig) -> None:
    import io

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=60)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert not missing, missing


FIGURES = {
    "projections": lambda p, e, g, lang: figures.projections(list(p), lang=lang),
    "differences": lambda p, e, g, lang: figures.differences(p[0], p[1], lang=lang),
    "rank_distribution": lambda p, e, g, lang: figures.rank_distribution(p[0], lang=lang),
    "target_probabilities": lambda p, e, g, lang: figures.target_probabilities(e.ok, lang=lang),
    "cost_effect": lambda p, e, g, lang: figures.cost_effect(e.ok, lang=lang),
    "grid_heatmap": lambda p, e, g, lang: figures.grid_heatmap(g, lang=lang),
    "history_figure": lambda p, e, g, lang: figures.history_figure("ha-noi", lang=lang),
    "field_figure": lambda p, e, g, lang: figures.field_figure("PAR", 2024, lang=lang, draws=DRAWS),
    "effect_sizes": lambda p, e, g, lang: figures.effect_sizes(report.effect_sizes(draws=DRAWS), lang=lang),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_labels_its_axes_in_the_chosen_language(name, pair, examples, small_grid):
    made = {lang: FIGURES[name](pair, examples, small_grid, lang) for lang in LANGS}
    for lang, fig in made.items():
        plotted = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
        assert plotted
        for ax in plotted:
            assert _labelled(ax, "x") and _labelled(ax, "y"), (name, lang)
        _render_without_missing_glyphs(fig)
    vi, en = " ".join(_texts(made["vi"])), " ".join(_texts(made["en"]))
    assert VIETNAMESE.search(vi), name
    assert vi != en
    assert not VIETNAMESE.search(en.replace("Hà Nội", "").replace("ĐBSCL", "")), name


def test_every_figure_writes_vietnamese_numbers(pair, examples, small_grid):
    """Ticks, offsets, colour bars, labels and notes of every report figure in Vietnamese: 62,5, never 62.5
    (the index page's heat map colour bar had read 62.5)."""
    from support import decimal_points, figure_texts

    from simlib.analysis import decompose, league
    from simlib.reports import calibration_report, leaguetable, waterfall

    made = {name: make(pair, examples, small_grid, "vi") for name, make in FIGURES.items()}
    made["waterfall"] = waterfall.figure(decompose.decompose(pair[0].scenario), "vi")
    made["rank_matrix"] = leaguetable.rank_matrix_figure(league.league(pair[0].scenario), "vi")
    rows = [
        {"index": i, "variant": v, "year": y, "score_p05": 90.1, "score_p50": 92.35, "score_p95": 94.6, "note": ""}
        for i in ("PAR", "SIPAS")
        for v in ("published", "no_levers", "all_new", "half_new")
        for y in (2022, 2023, 2024)
    ]
    made["calibration_path"] = calibration_report.path_figure(rows, "vi")
    made["calibration_backtest"] = calibration_report.backtest_figure(
        [{"index": "PAR", "year": 2024, "mae_model": 1.25, "mae_naive": 1.75}], "vi"
    )
    for name, fig in made.items():
        texts = figure_texts(fig)
        assert texts, name
        assert not decimal_points(" | ".join(texts)), (name, decimal_points(" | ".join(texts)))
    # a label of words given by the code keeps its commas: "Sáp nhập 2025, thay đổi phương pháp"
    d = decompose.decompose(pair[0].scenario)
    ticks = [t.get_text() for t in made["waterfall"].axes[0].get_xticklabels()]
    assert [waterfall.part_label(p["part"], "vi") for p in d.parts()] == ticks[1:-1]


def test_projection_axes_name_their_units(pair):
    fig = figures.projections(list(pair), lang="en")
    assert [ax.get_ylabel() for ax in fig.axes] == ["SIPAS (%)", "PAR Index score (of 100)"]
    assert all(ax.get_xlabel() == "Year" for ax in fig.axes)
    vi = figures.projections(list(pair), lang="vi", metrics=("fee_forgone_bn_vnd",))
    assert vi.axes[0].get_ylabel() == "Phí, lệ phí miễn giảm, trung bình (tỷ đồng/năm)"


def test_rank_distribution_shares_sum_to_100_and_name_the_field_size(pair):
    result, _ = pair
    fig = figures.rank_distribution(result, lang="en", year=2027)
    for ax in fig.axes:
        heights = [p.get_height() for p in ax.patches if p.get_width() < 1]
        assert sum(heights) == pytest.approx(100.0)
        assert len(heights) == 34
        assert "34 units ranked" in ax.get_title()


def test_heat_map_has_one_cell_per_lever_combination(small_grid):
    fig = figures.grid_heatmap(small_grid, lang="vi", value="p_par_top3")
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (4, 3)  # delegation levels × simplification levels
    cell = small_grid[(small_grid["simplification"] == 0.7) & (small_grid["delegation"] == 0.3)]
    assert image[0, 2] == pytest.approx(100 * cell["p_par_top3"].iloc[0])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["30", "50", "70"]
    assert "Tỷ lệ TTHC được đơn giản hóa (%)" == fig.axes[0].get_xlabel()


def test_field_figure_draws_published_filled_and_reconstructed_hollow():
    fig = figures.field_figure("PAR", 2024, lang="en", draws=DRAWS)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Published" in labels and "Reconstructed (not published)" in labels
    hollow = [line for line in ax.lines if line.get_markerfacecolor() in ("white", (1, 1, 1, 1))]
    published = len(history.published_scores("PAR", 2024))  # 12 since the second collection
    assert hollow and len(hollow[0].get_xdata()) == 63 - published


# ---------------------------------------------------------------- assumption tables


def test_parameter_table_has_every_parameter_with_prior_unit_basis_and_source():
    for lang in LANGS:
        table = tables_report.parameters(lang)
        assert len(table) == len(params.table())
        assert table.notna().all().all()
        assert (table.iloc[:, -1].str.len() > 0).all()
    vi = tables_report.parameters("vi")
    assert list(vi.columns)[:4] == ["Tên", "Nhóm", "Ý nghĩa", "Giá trị / phân phối"]
    assert set(vi["Cơ sở"]) <= {"có nguồn", "giả định", "ước lượng từ số liệu"}
    start = vi[vi["Tên"] == "par_series_start"]["Giá trị / phân phối"].iloc[0]
    assert start == "2019"  # a year, not "2.019"


def test_lever_registry_table_lists_every_lever_with_its_current_value():
    table = tables_report.lever_registry("ha-noi", "en")
    assert list(table["Lever"]) == [lv.label_en for lv in levers.registry()]
    assert list(table["Current (%)"]) == ["29.8", "34.8", "100.0", "68.7"]


def test_clash_reconstruction_and_fit_tables_cover_the_data():
    assert len(tables_report.clashes("en")) == len(data.load().clashes)
    recon = tables_report.reconstruction("en", draws=DRAWS)
    assert {(r["Index"], int(r["Year"])) for _, r in recon.iterrows()} >= {("PAR", 2024), ("SIPAS", 2024)}
    fit = tables_report.field_fit("vi")
    assert list(fit["Chỉ số"]) == ["PAR", "SIPAS"]


def test_merger_table_puts_the_63_provinces_into_34_units():
    table = tables_report.merger("vi")
    assert len(table) == 34
    assert table["Số tỉnh, thành phố cũ"].astype(int).sum() == 63
    hanoi = table[table["Đơn vị từ 1/7/2025"] == "Hà Nội"].iloc[0]
    assert hanoi["Gồm"] == "Hà Nội"


def test_effect_sizes_are_in_planner_units():
    rows = {r["lever"]: r for r in report.effect_sizes(draws=DRAWS)}
    assert set(rows) == set(levers.names())
    simp = rows["simplification"]
    assert simp["change"] == pytest.approx(0.10) and simp["to"] == pytest.approx(simp["current"] + 0.10)
    assert 0 < simp["sipas_p50"] < 5 and 0 < simp["par_p50"] < 5
    assert simp["sipas_p05"] <= simp["sipas_p50"] <= simp["sipas_p95"]
    waiver = rows["online_fee_waiver"]  # already at 100% in Hà Nội: moved down, costs less
    assert waiver["change"] == pytest.approx(-0.10) and waiver["sipas_p50"] < 0 and waiver["fee_mean"] < 0
    table = tables_report.effect_sizes(list(rows.values()), "en")
    assert table.iloc[0, 1].startswith("+10 (29.8% → 39.8%)")


def test_tables_render_as_html_without_index_and_escaped():
    frame = pd.DataFrame({"a": ["<b>x</b>"], "b": ["1"]})
    html = report.table_html(frame)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "simlib-table" in html and "<th></th>" not in html


def test_a_grid_file_gets_its_year_from_the_manifest_and_extra_levers_are_held(tmp_path):
    import json

    parts = [
        compare.grid(
            scenario=Scenario().with_(draws=DRAWS, levers={"full_process_online": v}),
            x_values=(0.3, 0.6),
            y_values=(0.3, 0.5, 0.7),
            draws=DRAWS,
        )
        for v in (0.8, 0.9, 1.0)
    ]
    frame = pd.concat(parts, ignore_index=True).drop(columns=["target_year"])
    frame.to_csv(tmp_path / "grid.csv", index=False)
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "simlib-grid", "year": 2027}))
    grid = compare.read_grid(tmp_path / "grid.csv")
    assert set(grid["target_year"]) == {2027}
    assert "2027" in report.grid_note(grid, "en")
    fig = figures.grid_heatmap(grid, lang="en")
    assert fig.axes[0].images[0].get_array().shape == (3, 2)
    assert "Full-process online handling: 90%" in fig.axes[0].get_title()
    held = grid[grid["full_process_online"] == 0.9]
    cell = held[(held["simplification"] == 0.6) & (held["delegation"] == 0.7)]["p_par_top3"].iloc[0]
    assert fig.axes[0].images[0].get_array()[2, 1] == pytest.approx(100 * cell)
    with pytest.raises(InputError):
        compare.read_grid(tmp_path / "missing.csv")


def test_comparison_figures_say_so_when_no_scenario_completed():
    empty = pd.DataFrame(columns=compare.summary_columns())
    for fig in (figures.target_probabilities(empty, lang="en"), figures.cost_effect(empty, lang="en")):
        assert "No scenario completed" in [t.get_text() for t in fig.axes[0].texts]
        _render_without_missing_glyphs(fig)
    assert len(tables_report.outcomes(empty, "en")) == 0


def test_the_field_figure_drawn_once_per_process_is_the_figure_show_draws(monkeypatch):
    """Reports of a batch on the same unit and year show the same field: drawn once per kernel
    (``figures.show_field_figure``), it is byte for byte what ``report.show`` of the figure shows."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append(obj))
    figures.field_figure_image.cache_clear()
    report.show(figures.field_figure("SIPAS", 2024, "en", "ha-noi"))
    figures.show_field_figure("SIPAS", 2024, "en", "ha-noi")
    figures.show_field_figure("SIPAS", 2024, "en", "ha-noi")
    assert figures.field_figure_image.cache_info().hits == 1
    assert shown[0] == shown[1] == shown[2] and shown[0]["image/png"]
    figures.show_field_figure("SIPAS", 2024, "vi", "ha-noi")
    assert shown[3]["text/plain"] != shown[0]["text/plain"]  # another language, another picture


def test_the_source_conflicts_table_names_provinces_and_cites_only_the_project():
    """The report's table of clashes between sources had shown slugs (son-la) and cited
    a relative path leading outside the project."""
    ds = data.load()
    slugs = set(ds.provinces) | set(ds.units)
    for lang in LANGS:
        table = tables_report.clashes(lang)
        cells = " ".join(str(v) for v in table.to_numpy().ravel())
        assert "Sơn La" in cells
        assert not [w for w in re.findall(r"\b[a-z]+(?:-[a-z]+)+\b", cells) if w in slugs], lang
    params = " ".join(str(v) for v in tables_report.parameters("vi").to_numpy().ravel())
    assert "../" not in params and "shared/" not in params


def test_no_data_file_cites_a_path_outside_the_project():
    import csv

    for path in sorted((ROOT / "data").glob("*.csv")) + [ROOT / "data" / "README.md"]:
        text = path.read_text(encoding="utf-8")
        cells = [c for row in csv.reader(text.splitlines()) for c in row] if path.suffix == ".csv" else [text]
        for cell in cells:
            assert not re.search(r"\.\./|(?<![\w.])/(?:work|home|root|tmp)/", cell), (path.name, cell[:120])
