"""The lever explorer panel without a browser: what a planner sees must be what the engine says."""

from __future__ import annotations

import datetime
import html
import re
import statistics
from pathlib import Path

import numpy as np
import pytest
import yaml
from support import ROOT

from simlib.analysis import fees
from simlib.app import formatting
from simlib.app import links as app
from simlib.app.controls import percent_text
from simlib.app.panel import LeverExplorer
from simlib.engine import levers, projection, simulate
from simlib.engine.errors import ScenarioError
from simlib.engine.scenario import Scenario
from simlib.reports.text import fee_number, fee_text, num, rank_band

DRAWS = 300
YEAR = 2027


def make_panel(tmp_path, **kwargs) -> LeverExplorer:
    kwargs.setdefault("draws", DRAWS)
    kwargs.setdefault("query", "")
    return LeverExplorer(root=tmp_path, **kwargs)


def engine(levers_=None, year=YEAR, **fields):
    """What `simlib project` computes for the same settings."""
    raw = {"draws": DRAWS, "seed": 2024, "target_year": year, **fields}
    if levers_:
        raw["levers"] = {k: {"target": v, "year": year} for k, v in levers_.items()}
    return simulate.run(Scenario.from_dict(raw))


def assert_matches(shown: dict, result, year=YEAR):
    for metric in ("par_score", "par_rank", "sipas_pct", "sipas_rank", "fee_forgone_bn_vnd"):
        row = result.at(metric, year)
        for stat in ("p05", "p50", "p95", "mean"):
            assert shown[metric][stat] == pytest.approx(row[stat], abs=1e-9), (metric, stat)
    for metric in ("p_par_top3", "p_par_top10", "p_sipas_ge_86"):
        assert shown[metric] == pytest.approx(result.at(metric, year)["mean"], abs=1e-12), metric


def spans(html_text: str) -> dict[str, str]:
    return dict(re.findall(r'<span class="([a-z0-9-]+)">([^<]*)</span>', html_text))


# --------------------------------------------------------------------------- numbers


def test_opening_panel_shows_todays_policies_as_the_engine_projects_them(tmp_path):
    panel = make_panel(tmp_path)
    shown = panel.displayed()
    assert shown["year"] == YEAR and shown["focal"] == "ha-noi"
    assert_matches(shown["current"], engine())
    assert_matches(shown["baseline"], engine())
    # sliders start at today's values (in %), marked beside them
    today = levers.current_values("ha-noi", 2025)
    for name, slider in panel.sliders.items():
        assert slider.value == pytest.approx(100 * today[name].value)
        shown_today = panel.today_labels[name].value
        total = levers.total(name, "ha-noi")
        if total is None:
            assert f"hiện tại {num(100 * today[name].value, 1, 'vi')}%" in shown_today
        else:  # the count beside the share
            count = round(total.count(today[name].value))
            assert (
                f"hiện tại {count}/{num(total.total, 0, 'vi')} TTHC ({num(100 * today[name].value, 1, 'vi')}%"
                in shown_today
            )
    assert panel.message_text == ""


def test_moving_sliders_changes_the_numbers_as_the_engine_says(tmp_path):
    panel = make_panel(tmp_path)
    before = panel.displayed()
    panel.sliders["simplification"].value = 60.0  # what a slider release does
    panel.sliders["delegation"].value = 50.0
    after = panel.displayed()
    expected = engine({"simplification": 0.6, "delegation": 0.5})
    assert_matches(after["current"], expected)
    assert after["current"]["par_score"]["p50"] > before["current"]["par_score"]["p50"]
    assert after["current"]["p_par_top3"] != before["current"]["p_par_top3"]
    # the baseline does not move, and the difference is the paired (common random numbers) one
    assert_matches(after["baseline"], engine())
    base, cur = simulate.run_many(
        [
            Scenario.from_dict({"draws": DRAWS}),
            Scenario.from_dict({"draws": DRAWS, "levers": {"simplification": 0.6, "delegation": 0.5}}),
        ]
    )
    paired = cur.arrays["par_score"][:, 2] - base.arrays["par_score"][:, 2]
    assert after["difference"]["par_score"]["p50"] == pytest.approx(np.percentile(paired, 50))
    assert (paired >= 0).all()  # more simplification never lowers the same draw's score


def test_headline_and_comparison_show_the_displayed_numbers(tmp_path):
    panel = make_panel(tmp_path, simplification=0.7)
    shown = panel.displayed()["current"]
    text = spans(panel.headline.value)
    assert text["par-score-median"] == formatting.format_score(shown["par_score"]["p50"])
    assert text["par-rank-median"] == formatting.format_rank(shown["par_rank"]["p50"])
    assert text["par-rank-band"] == rank_band(shown["par_rank"]["p05"], shown["par_rank"]["p95"])
    assert "," in text["par-score-median"]  # Vietnamese decimal mark, as in the reports
    assert text["sipas-pct-median"] == formatting.format_score(shown["sipas_pct"]["p50"])
    assert text["p-par-top3"] == formatting.format_probability(shown["p_par_top3"])
    assert text["p-par-top10"] == formatting.format_probability(shown["p_par_top10"])
    assert text["p-sipas-ge-86"] == formatting.format_probability(shown["p_sipas_ge_86"])
    assert text["fee-cost"] == fee_number(shown["fee_forgone_bn_vnd"]["mean"])
    assert fee_text(fees.of_row(shown["fee_forgone_bn_vnd"])) in html.unescape(
        re.sub(r"<[^>]+>", "", panel.headline.value)
    )  # said to be a mean
    assert "compare-table" in panel.comparison.value
    assert panel.projection_image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert panel.rank_image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_set_levers_checks_everything_before_changing_anything(tmp_path):
    panel = make_panel(tmp_path)
    before = panel.state()
    with pytest.raises(ScenarioError) as err:
        panel.set_levers({"simplification": 0.5, "delegation": 1.5, "bribes": 0.2})
    wheres = {issue.where for issue in err.value.issues}
    assert wheres == {"delegation", "bribes"}
    assert panel.state() == before
    shown = panel.set_levers({"simplification": 0.5})
    assert panel.sliders["simplification"].value == pytest.approx(50.0)
    assert_matches(shown["current"], engine({"simplification": 0.5}))


def test_target_year_others_and_focal_controls(tmp_path):
    panel = make_panel(tmp_path)
    panel.sliders["simplification"].value = 60.0
    panel.year_slider.value = 2029
    s = panel.state()
    assert s.target_year == 2029 and s.levers["simplification"].year == 2029
    assert panel.displayed()["year"] == 2029
    assert_matches(panel.displayed()["current"], engine({"simplification": 0.6}, year=2029), year=2029)
    assert "2029" in panel.headline.value

    panel.others_box.value = True
    assert panel.state().others_fee_waiver_share == 1.0
    expected = engine({"simplification": 0.6}, year=2029, field={"others_fee_waiver_share": 1.0})
    assert_matches(panel.displayed()["current"], expected, year=2029)

    panel.focal_dropdown.value = "da-nang"
    assert panel.displayed()["focal"] == "da-nang"
    assert "Đà Nẵng" in panel.headline.value
    today = levers.current_values("da-nang", 2025)
    assert f"{num(100 * today['delegation'].value, 1, 'vi')}%" in panel.today_labels["delegation"].value
    assert panel.sliders["simplification"].value == pytest.approx(60.0)  # the user's setting is kept
    assert len(panel.focal_dropdown.options) == 34
    assert ("Hà Nội", "ha-noi") in panel.focal_dropdown.options


# --------------------------------------------------------------------------- language


def test_language_switch_changes_every_label(tmp_path):
    panel = make_panel(tmp_path)
    vi_image = panel.projection_image.value
    assert panel.sliders["simplification"].description == "Tỷ lệ TTHC được đơn giản hóa (%)"
    assert "Kết quả năm 2027" in panel.headline.value
    assert "hiện tại" in panel.today_labels["delegation"].value
    assert "Tải kịch bản về máy" in panel.download.value

    panel.lang_toggle.value = "en"
    shown = panel.displayed()["current"]
    assert spans(panel.headline.value)["par-score-median"] == formatting.format_score(shown["par_score"]["p50"], "en")
    assert "today 211 of 708 TTHC (29.8%, 2024)" in panel.today_labels["simplification"].value
    assert "today 68.7% (2025)" in panel.today_labels["full_process_online"].value
    assert (
        panel.title_box.description == "Scenario name" and "of 708 TTHC" in panel.total_labels["simplification"].value
    )
    for lever in levers.registry():
        assert panel.sliders[lever.name].description == f"{lever.label_en} (%)"
        assert "today" in panel.today_labels[lever.name].value
    assert "Results for 2027" in panel.headline.value
    assert "Median" in panel.headline.value and "Trung vị" not in panel.headline.value
    assert "Today's policies continued" in panel.comparison.value
    assert panel.focal_dropdown.description == "Province / city"
    assert panel.others_box.description == "Other units copy the zero online fee"
    assert "Download scenario (YAML)" in panel.download.value and panel.upload.description == "Open scenario file…"
    assert "Reform lever explorer" in panel.title.value
    assert panel.projection_image.value != vi_image  # the figure's words are redrawn too
    assert panel.displayed()["lang"] == "en"

    panel.lang_toggle.value = "vi"
    assert "Kết quả năm 2027" in panel.headline.value
    assert panel.projection_image.value == vi_image


# --------------------------------------------------------------------------- save / load


def test_save_then_load_round_trips_the_scenario(tmp_path):
    panel = make_panel(tmp_path)
    panel.set_levers({"simplification": 0.65, "full_process_online": 0.9})
    panel.year_slider.value = 2028
    panel.others_box.value = True
    assert panel.save("my_scenario.yaml") is True
    path = tmp_path / "scenarios" / "my_scenario.yaml"
    assert path.is_file() and str(path) in panel.file_status_text
    assert [p.name for p in path.parent.iterdir()] == ["my_scenario.yaml"]  # no temporary left behind
    saved = Scenario.from_yaml(path)
    assert saved.name == "my_scenario"
    assert saved.to_dict() == panel.state().to_dict()
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["levers"]["simplification"] == {"target": 0.65, "year": 2028}

    other = make_panel(tmp_path, lang="en")
    assert other.load("my_scenario.yaml") is True
    assert other.state().to_dict() == panel.state().to_dict()
    assert other.sliders["simplification"].value == pytest.approx(65.0)
    assert other.sliders["full_process_online"].value == pytest.approx(90.0)
    assert other.year_slider.value == 2028 and other.others_box.value is True
    assert other.displayed()["current"] == panel.displayed()["current"]
    assert "Loaded scenario" in other.file_status_text


def test_saving_over_an_existing_file_needs_a_second_request(tmp_path):
    panel = make_panel(tmp_path)
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "kept.yaml"
    path.write_text("name: kept\n", encoding="utf-8")
    assert panel.save("kept.yaml") is False
    assert path.read_text(encoding="utf-8") == "name: kept\n"
    assert "đã có" in panel.file_status_text
    assert panel.save("kept.yaml") is True
    assert Scenario.from_yaml(path).to_dict() == panel.state().with_(name="kept").to_dict()


@pytest.mark.parametrize(
    "name",
    [
        "/nonexistent_dir/x.yaml",
        "../x.yaml",
        "sub/x.yaml",
        "..",
        "notes.txt",
        "scenarios/../../x.yaml",
        "C:\\x.yaml",
        "",
        "a\x00b.yaml",  # NUL: refused as a name, never a ValueError
        "x\x1b[31m.yaml",  # a terminal escape
        "a\ud800.yaml",  # a lone surrogate: not text a file system can take
    ],
)
def test_save_and_load_reach_no_path_outside_the_scenarios_folder(tmp_path, name):
    panel = make_panel(tmp_path / "app", lang="en")
    (tmp_path / "app").mkdir()
    (tmp_path / "x.yaml").write_text("name: outside\n", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert panel.save(name) is False
    assert "a .yaml file name only, inside the folder scenarios" in panel.file_status_text
    assert panel.load(name) is False
    assert "Could not load" in panel.file_status_text
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing created
    assert not Path("/nonexistent_dir").exists()


def test_a_link_out_of_the_scenarios_folder_is_refused(tmp_path):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "secret.yaml").write_text("name: secret\n", encoding="utf-8")
    (tmp_path / "scenarios" / "escape.yaml").symlink_to(tmp_path / "secret.yaml")
    panel = make_panel(tmp_path, lang="en")
    before = (panel.state(), panel.displayed()["current"])
    assert panel.load("escape.yaml") is False
    assert "Could not load" in panel.file_status_text and "escape.yaml" in panel.file_status_text
    assert "a .yaml file name only, inside the folder scenarios" in panel.file_status_text
    assert (panel.state(), panel.displayed()["current"]) == before
    assert panel.save("escape.yaml", overwrite=True) is False  # nor written through
    assert (tmp_path / "secret.yaml").read_text(encoding="utf-8") == "name: secret\n"


def test_download_gives_the_scenario_yaml(tmp_path):
    import base64

    panel = make_panel(tmp_path)
    panel.set_levers({"delegation": 0.55})
    link = re.search(
        r'download="([^"]+)" href="data:application/x-yaml;charset=utf-8;base64,([^"]+)"', panel.download.value
    )
    assert link and link.group(1) == "scenario.yaml"
    text = base64.b64decode(link.group(2)).decode("utf-8")
    assert text == panel.scenario_yaml()
    assert Scenario.from_dict(yaml.safe_load(text)).to_dict() == panel.state().to_dict()


def test_the_downloaded_file_is_named_after_a_vietnamese_scenario_readably(tmp_path):
    """'Hà Nội: đẩy mạnh' must not become 'H_N_i_y_m_nh': the name a planner sees in the Downloads folder."""
    panel = make_panel(tmp_path)
    panel.controller.scenario = panel.state().with_(name="Hà Nội: đẩy mạnh/2027")
    panel._render_download()
    assert re.search(r'download="([^"]+)"', panel.download.value).group(1) == "Ha-Noi-day-manh-2027.yaml"
    panel.controller.scenario = panel.state().with_(name="…")
    panel._render_download()
    assert re.search(r'download="([^"]+)"', panel.download.value).group(1) == "scenario.yaml"


def test_upload_opens_a_scenario_with_the_same_checks(tmp_path):
    panel = make_panel(tmp_path, lang="en")
    content = (ROOT / "scenarios" / "others_copy_zero_fee.yaml").read_bytes()
    # what the browser's file picker sends (ipywidgets 8 FileUpload)
    panel.upload.value = (
        {
            "name": "others_copy_zero_fee.yaml",
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime.now(datetime.UTC),
        },
    )
    assert "Loaded scenario" in panel.file_status_text and "others_copy_zero_fee.yaml" in panel.file_status_text
    assert panel.others_box.value is True
    assert panel.state().to_dict() == Scenario.from_yaml(ROOT / "scenarios" / "others_copy_zero_fee.yaml").to_dict()
    assert panel.upload.value == ()  # ready for the next file
    assert not list(tmp_path.rglob("*.yaml"))  # nothing kept on the server

    before = (panel.state(), panel.displayed()["current"])
    assert panel.load_text(b"levers:\n  simplification: 2.0\n  bribes: 0.5\n", "bad.yaml") is False
    status = panel.file_status_text
    assert "levers.simplification" in status and "levers.bribes" in status and "simlib-upload" not in status
    assert panel.load_text(b"x" * 70_000, "big.yaml") is False and "larger than 64 KB" in panel.file_status_text
    assert panel.load_text(b"name: a\n", "a.exe") is False
    assert (panel.state(), panel.displayed()["current"]) == before


@pytest.mark.parametrize(
    "content, where",
    [
        ("levers:\n  simplification: 2.0\n  bribes: 0.5\n", ["levers.simplification", "levers.bribes"]),
        ("focal: atlantis\ntarget_year: 2050\n", ["focal", "target_year"]),
        ("levers: [unclosed\n", ["dòng 2"]),
    ],
)
def test_loading_a_bad_scenario_shows_why_and_changes_nothing(tmp_path, content, where):
    panel = make_panel(tmp_path)
    panel.set_levers({"delegation": 0.55})
    before = (
        panel.state(),
        {n: s.value for n, s in panel.sliders.items()},
        panel.displayed()["current"],
        panel.year_slider.value,
        panel.focal_dropdown.value,
    )
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "bad.yaml").write_text(content, encoding="utf-8")
    assert panel.load("bad.yaml") is False
    status = panel.file_status_text
    assert "Không mở được kịch bản" in status
    for w in where:
        assert w in status
    assert "Traceback" not in status
    after = (
        panel.state(),
        {n: s.value for n, s in panel.sliders.items()},
        panel.displayed()["current"],
        panel.year_slider.value,
        panel.focal_dropdown.value,
    )
    assert after == before


@pytest.mark.parametrize(
    "content, shown",
    [
        ("name: Hà Nam\n".encode("latin-1"), ["byte 8", "b'\\xe0 Nam\\n'", "một tệp YAML mã UTF-8"]),
        (b"levers: [1, 2\nname: x\n", ["dòng 2 cột 5", "YAML hợp lệ"]),
        (b"a: &x [1]\nb: *x\n", ["dòng 1 cột 4", "neo hoặc bí danh YAML", "không dùng neo, bí danh"]),
        (b"a: 1\n<<: {b: 2}\n", ["dòng 2 cột 1", "khóa gộp", "không dùng khóa gộp"]),
    ],
)
def test_a_bad_upload_is_explained_in_vietnamese(tmp_path, content, shown):
    """Where and what, in the panel's language: no 'not UTF-8 text', 'line 2 column 5' or 'anchor' in Vietnamese."""
    panel = make_panel(tmp_path)
    assert panel.load_text(content, "my.yaml") is False
    status = panel.file_status_text
    for words in ["Không mở được kịch bản", "my.yaml", *shown]:
        assert words in status, (words, status)
    for english in ("not UTF-8", " line ", "column", "anchor", "alias (", "every value", "merge key"):
        assert english not in status, (english, status)


def test_loading_a_missing_file_is_reported(tmp_path):
    panel = make_panel(tmp_path, lang="en")
    assert panel.load("nowhere.yaml") is False
    assert "missing file" in panel.file_status_text


def test_example_scenarios_load_into_the_panel(tmp_path):
    panel = make_panel(ROOT)
    assert panel.load("others_copy_zero_fee.yaml") is True
    assert panel.sliders["simplification"].value == pytest.approx(60.0)
    assert panel.others_box.value is True
    s = Scenario.from_yaml(ROOT / "scenarios" / "others_copy_zero_fee.yaml")
    assert_matches(panel.displayed()["current"], simulate.run(s))  # its own draws (2000)


# --------------------------------------------------------------------------- query string & parameters


def test_parse_query_reads_good_values_and_reports_bad_ones():
    values, issues = app.parse_query(
        "?simplification=0.6&delegation=45%25&lang=EN&focal=da-nang&target_year=2028&others_copy=yes"
        "&draws=400&voila-template=lab&online_fee_waiver=1.7&seed=abc&colour=red&full_process_online="
    )
    assert values == {
        "simplification": 0.6,
        "delegation": 0.45,
        "lang": "en",
        "focal": "da-nang",
        "target_year": 2028,
        "others_share": 1.0,
        "draws": 400,
    }
    assert sorted(i.where for i in issues) == ["?colour", "?full_process_online", "?online_fee_waiver", "?seed"]
    assert app.parse_query("") == ({}, [])


def test_share_query_round_trips():
    values = {
        "simplification": 0.6,
        "delegation": {"target": 0.455, "year": 2026},
        "others_share": 0.5,
        "others_year": 2026,
        "focal": "hue",
        "online_fee_waiver": {"path": {2026: 0.0, 2028: 0.25}},
        "draws": 600,
        "seed": 7,
        "lang": "en",
    }
    query = app.share_query(values)
    assert query.startswith("?")
    assert app.parse_query(query) == (values, [])


def test_query_string_opens_the_panel_with_those_values(tmp_path):
    panel = make_panel(
        tmp_path, query="simplification=0.6&delegation=0.5&lang=en&target_year=2028", simplification=0.9
    )  # the link wins over the notebook's parameter
    assert panel.sliders["simplification"].value == pytest.approx(60.0)
    assert panel.sliders["delegation"].value == pytest.approx(50.0)
    assert panel.lang == "en" and panel.lang_toggle.value == "en"
    assert panel.year_slider.value == 2028
    assert panel.message_text == ""
    assert_matches(
        panel.displayed()["current"], engine({"simplification": 0.6, "delegation": 0.5}, year=2028), year=2028
    )
    assert "simplification=0.6" in panel.share_link.value


def test_query_string_is_read_from_voilas_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "delegation=0.7&lang=en")
    panel = LeverExplorer(draws=DRAWS, root=tmp_path)
    assert panel.sliders["delegation"].value == pytest.approx(70.0) and panel.lang == "en"


def test_bad_query_values_and_parameters_are_reported_and_ignored(tmp_path):
    panel = make_panel(
        tmp_path,
        query="simplification=abc&delegation=0.5&focal=atlantis&zoom=3",
        full_process_online=4.0,
        target_year=2045,
    )
    text = panel.message_text
    for where in ("?simplification", "focal", "?zoom", "full_process_online", "target_year"):
        assert where in text
    assert "Traceback" not in text
    assert "bỏ qua" in text
    assert panel.sliders["delegation"].value == pytest.approx(50.0)  # the good value is used
    today = levers.current_values("ha-noi", 2025)
    assert panel.sliders["simplification"].value == pytest.approx(100 * today["simplification"].value)
    assert panel.state().focal == "ha-noi" and panel.state().target_year == YEAR
    panel.lang_toggle.value = "en"
    assert "ignored" in panel.message_text


def test_an_engine_failure_is_shown_as_text(tmp_path, monkeypatch):
    panel = make_panel(tmp_path, lang="en")

    def broken(*args, **kwargs):
        raise FloatingPointError("overflow in the field model")

    monkeypatch.setattr(projection, "outcome_arrays", broken)
    panel.sliders["simplification"].value = 70.0  # must not raise
    assert "Could not compute the results" in panel.message_text
    assert "overflow in the field model" in panel.message_text
    monkeypatch.undo()
    panel.sliders["simplification"].value = 71.0
    assert panel.message_text == ""


# --------------------------------------------------------------------------- speed


def test_update_time_is_measured(tmp_path):
    panel = make_panel(tmp_path, draws=500)
    times = []
    for value in range(40, 52):
        panel.sliders["simplification"].value = float(value)
        times.append(panel.update_ms)
    assert all(t is not None and t > 0 for t in times)
    print(
        f"\nwidget update (draws=500, Python side): median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms over {len(times)} slider moves"
    )


# --------------------------------------------------------------------------- the notebook


@pytest.mark.notebook
@pytest.mark.slow
def test_lever_explorer_notebook_runs_with_parameters(tmp_path):
    import papermill

    nb = ROOT / "notebooks" / "lever_explorer.ipynb"
    declared = papermill.inspect_notebook(str(nb))
    expected = {"focal", "lang", "draws", "seed", "target_year", *levers.names()}
    assert set(declared) == expected
    assert all(declared[n]["default"] == "None" for n in levers.names())
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(nb),
        str(out),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
        parameters={"draws": 200, "simplification": 0.6, "lang": "en"},
    )
    import nbformat

    executed = nbformat.read(out, as_version=4)
    last = executed.cells[-1]
    assert not any(o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", []))
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in last.outputs)
    code_cells = [c for c in executed.cells if c.cell_type == "code"]
    assert len(code_cells) == 3  # papermill's injected parameters, the parameters cell, the panel


def test_lever_explorer_notebook_is_stored_thin_and_clean():
    import json

    nb = json.loads((ROOT / "notebooks" / "lever_explorer.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"] == {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = nb["cells"]
    assert [c["cell_type"] for c in cells] == ["code", "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in cells)
    assert "parameters" in cells[0]["metadata"].get("tags", [])
    panel_cell = "".join(cells[1]["source"])
    assert "LeverExplorer(" in panel_cell and panel_cell.rstrip().endswith(".show()")
    assert "import numpy" not in panel_cell and "simulate" not in panel_cell  # no model logic in the notebook


def test_one_share_parser_for_links_and_grid_specs():
    from simlib.analysis import grid

    # links and `simlib grid --lever` read shares with the same parser (engine.levers.parse_share)
    assert levers.parse_share("0.6") == levers.parse_share("60%") == levers.parse_share("0,6") == pytest.approx(0.6)
    assert levers.parse_share("45,5%") == pytest.approx(0.455)
    for bad in ("1,2.5", "0,5,5", "abc", "nan", "inf", ""):
        assert levers.parse_share(bad) is None, bad
    axes = grid.parse_specs(["simplification=0,3:90%:4"])
    assert axes["simplification"] == pytest.approx([0.3, 0.5, 0.7, 0.9])
    values, issues = app.parse_query("simplification=0,6&delegation=1,2.5")
    assert values == {"simplification": 0.6} and [i.where for i in issues] == ["?delegation"]


# --------------------------------------------------------------------------- links that reproduce the scenario


def reopened(tmp_path, panel, **kwargs) -> LeverExplorer:
    """A new panel opened from ``panel``'s link (as a visitor following it would)."""
    return make_panel(tmp_path, query=panel.share_query(), **kwargs)


@pytest.mark.parametrize("scenario_file", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_a_link_to_a_saved_scenario_gives_its_numbers_exactly(tmp_path, scenario_file):
    panel = make_panel(ROOT)
    assert panel.load(scenario_file) is True
    query = panel.share_query()
    other = make_panel(tmp_path, query=query)
    assert other.message_text == ""
    saved = Scenario.from_yaml(ROOT / "scenarios" / scenario_file)
    s = other.state()
    assert (s.focal, s.target_year, s.draws, s.seed, s.others_fee_waiver_share, s.others_fee_waiver_year) == (
        saved.focal,
        saved.target_year,
        saved.draws,
        saved.seed,
        saved.others_fee_waiver_share,
        saved.others_fee_waiver_year,
    )
    np.testing.assert_array_equal(s.lever_paths(), saved.lever_paths())
    assert other.displayed()["current"] == panel.displayed()["current"]  # the very same numbers
    assert_matches(other.displayed()["current"], simulate.run(saved), year=saved.target_year)


def test_a_link_keeps_ramp_years_paths_a_partial_field_share_seed_and_draws(tmp_path):
    raw = {
        "name": "mixed",
        "target_year": 2027,
        "draws": 400,
        "seed": 99,
        "levers": {
            "simplification": {"target": 0.7, "year": 2026},
            "online_fee_waiver": {"path": {2026: 0.5, 2028: 0.0}},
            "delegation": 0.45,
        },
        "field": {"others_fee_waiver_share": 0.5, "others_fee_waiver_year": 2026},
    }
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mixed.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    panel = make_panel(tmp_path)
    assert panel.load("mixed.yaml") is True
    query = panel.share_query()
    for part in (
        "simplification=0.7@2026",
        "online_fee_waiver=2026:0.5_2028:0.0",
        "delegation=0.45",
        "others_share=0.5",
        "others_year=2026",
        "seed=99",
        "draws=400",
        "target_year=2027",
    ):
        assert part in query, part
    other = reopened(tmp_path, panel)
    assert other.state().to_dict() | {"name": "x"} == panel.state().to_dict() | {"name": "x"}
    assert other.displayed()["current"] == panel.displayed()["current"]
    assert "50% các địa phương khác làm theo, từ năm 2026" in other.others_box.description


def test_the_share_line_is_never_blank_and_names_the_page_address(tmp_path, monkeypatch):
    panel = make_panel(tmp_path)
    query = panel.share_query()
    assert query.startswith("?focal=ha-noi&target_year=2027") and "draws=300" in query and "seed=2024" in query
    assert "share-query" in panel.share_link.value and "copy-link" in panel.share_link.value
    assert "Sao chép liên kết" in panel.share_link.value
    monkeypatch.setenv("SERVER_NAME", "127.0.0.1")
    monkeypatch.setenv("SERVER_PORT", "8866")
    monkeypatch.setenv("SCRIPT_NAME", "/")
    panel.sliders["delegation"].value = 50.0
    url = re.search(r'<a class="share-url" href="([^"]+)"', panel.share_link.value).group(1)
    assert url == "http://127.0.0.1:8866/" + panel.share_query().replace("&", "&amp;")


def test_a_link_may_not_ask_for_more_draws_than_the_cap(tmp_path):
    panel = make_panel(tmp_path, query="draws=100000&lang=en")
    assert panel.state().draws == DRAWS  # the notebook's value is kept, not a silently reduced one
    assert "?draws" in panel.message_text and f"{app.MAX_LINK_DRAWS:,}" in panel.message_text
    ok = make_panel(tmp_path, query=f"draws={app.MAX_LINK_DRAWS}")
    assert ok.state().draws == app.MAX_LINK_DRAWS and ok.message_text == ""


def test_a_busy_note_is_sent_before_an_update_and_cleared_after(tmp_path, monkeypatch):
    from simlib.app import state as state_mod

    panel = make_panel(tmp_path)
    seen = []
    real = state_mod.compute

    def watched(scenario):
        seen.append(panel.busy.value)
        return real(scenario)

    monkeypatch.setattr(state_mod, "compute", watched)
    panel.sliders["simplification"].value = 55.0
    assert seen and "panel-busy" in seen[0] and "Đang tính" in seen[0]
    assert panel.busy.value == ""
    assert "animation:simlib-busy 0s linear .3s" in panel.style.value  # shown only after 0.3 s


# --------------------------------------------------------------------------- decimal commas and Vietnamese words


@pytest.mark.parametrize(
    "typed, expected", [("45,5", 0.455), ("45.5", 0.455), ("60", 0.6), ("60%", 0.6), (" 7,25 ", 0.0725)]
)
def test_typed_values_accept_a_decimal_comma_or_point(tmp_path, typed, expected):
    panel = make_panel(tmp_path)
    panel.value_boxes["simplification"].value = typed
    assert panel.lever_values()["simplification"] == pytest.approx(expected, abs=1e-12)
    assert panel.sliders["simplification"].value == pytest.approx(100 * expected)
    assert panel.message_text == ""
    assert panel.value_boxes["simplification"].value == typed.strip().rstrip("%").replace(".", ",") + (
        ",0" if "," not in typed and "." not in typed else ""
    )  # what was typed, never another value
    assert_matches(panel.displayed()["current"], engine({"simplification": expected}))


@pytest.mark.parametrize("typed", ["45abc", "4,5,5", "4,5.5", "150", "-3", "", "nan"])
def test_a_value_that_is_not_a_percentage_is_refused_never_changed(tmp_path, typed):
    panel = make_panel(tmp_path)
    before = (panel.state(), panel.displayed()["current"])
    panel.value_boxes["delegation"].value = typed
    assert (panel.state(), panel.displayed()["current"]) == before
    assert "không dùng được" in panel.message_text and "dấu phẩy" in panel.message_text
    assert panel.value_boxes["delegation"].value == percent_text(panel.lever_values()["delegation"], "vi")


def test_the_vietnamese_panel_speaks_vietnamese_in_errors_and_tooltips(tmp_path):
    panel = make_panel(tmp_path, query="simplification=abc&focal=atlantis&draws=100000")
    text = panel.message_text
    assert "một tỷ lệ từ 0 đến 1" in text and "a share from" not in text
    assert "mã một đơn vị hành chính từ năm 2025" in text and "a 2025 unit slug" not in text
    assert "10.000" in text
    tip = re.search(r'title="([^"]+)"', panel.today_labels["simplification"].value).group(1)
    assert tip.startswith("Nguồn: ") and "số liệu công bố" in tip
    assert "hạt giống" not in panel.intro.value and "số khởi tạo ngẫu nhiên" in panel.intro.value
    panel.lang_toggle.value = "en"
    assert "a share from 0 to 1" in panel.message_text
    assert re.search(r'title="([^"]+)"', panel.today_labels["simplification"].value).group(1).startswith("Source: ")


def test_the_source_tooltips_are_in_the_panels_language(tmp_path):
    """data/baselines.csv gives each figure's source in English (source) and Vietnamese (source_vi)."""
    from simlib.engine import data

    panel = make_panel(tmp_path, query="focal=cao-bang")  # no published figures: the '*' assumptions
    b = levers.baseline("cao-bang", "online_fee_waiver", panel.state().baseline_year)
    row = next(r for r in data.load().baselines if r["unit_slug"] == "*" and r["quantity"] == "online_fee_waiver")
    assert (b.source, b.source_vi) == (row["source"], row["source_vi"]) and b.source != b.source_vi

    def tip():
        return html.unescape(re.search(r'title="([^"]+)"', panel.today_labels["online_fee_waiver"].value).group(1))

    assert b.source_vi in tip() and "giả định" in tip() and b.source not in tip()
    panel.lang_toggle.value = "en"
    assert b.source in tip() and b.source_vi not in tip()


def test_hues_online_fee_waiver_today_is_its_policy_with_its_source(tmp_path):
    """Huế charges 60% of the in-person fee online since 2023 (data/fee_policies.csv): the panel shows
    today's waiver as 40%, citing that resolution — not 0% from the generic assumption."""
    panel = make_panel(tmp_path, focal="hue")
    label = panel.today_labels["online_fee_waiver"].value
    assert "hiện tại 40,0% (2023)" in html.unescape(label)
    tip = html.unescape(re.search(r'title="([^"]+)"', label).group(1))
    assert "60%" in tip and "Huế" in tip and "thu đủ phí" not in tip
    assert panel.lever_values()["online_fee_waiver"] == pytest.approx(0.4)


def test_panel_says_how_good_the_model_has_been_in_both_languages(tmp_path):
    from simlib.app.sections import TrackRecordSection
    from simlib.reports import evaluation

    panel = make_panel(tmp_path)
    s = panel.state()
    ahead = s.target_year - s.baseline_year  # the headline year's distance from the last published year
    line = html.unescape(panel.section(TrackRecordSection).widget.value)
    # Hà Nội was published at the origin: the line adds the coverage for provinces in that situation
    assert line.count(evaluation.track_record("vi", unit="ha-noi", years_ahead=ahead)) == 1 and "lần trong 10" in line
    assert "đã có kết quả công bố ở năm bắt đầu dự báo" in line and f"dự báo trước {ahead} năm" in line
    assert "thứ hạng trung vị của mô hình" in line  # and says plainly how its rank did beside last year's
    panel.lang_toggle.value = "en"
    line = html.unescape(panel.section(TrackRecordSection).widget.value)
    assert evaluation.track_record("en", unit="ha-noi", years_ahead=ahead) in line
    assert "For provinces published in the year the forecast starts from" in line and f"{ahead} years ahead" in line


# --------------------------------------------------------------------------- each year's new results


@pytest.mark.slow
def test_the_panel_shows_the_latest_published_year_and_where_added_data_come_from(tmp_path, user_folder):
    from newyear_support import fabricated, write_csv

    from simlib.engine import data, resulttable, userdata

    panel = make_panel(tmp_path)
    assert "Số liệu công bố mới nhất: năm 2024." in html.unescape(panel.intro.value)
    for index in ("PAR", "SIPAS"):
        path = write_csv(tmp_path / f"{index}.csv", fabricated(2025, index))
        userdata.add(resulttable.read(path, index, 2025), f"<b>{index}</b> công bố 2025")
    data.refresh()
    panel = make_panel(tmp_path, lang="en")
    text = html.unescape(panel.intro.value)
    today = datetime.date.today()
    assert "Latest published results: 2025." in text
    assert f"PAR 2025: data added on {today.day} {today:%B %Y} from “<b>PAR</b> công bố 2025”" in text
    assert "<b>PAR</b>" not in panel.intro.value  # escaped: shown, never markup
    assert panel.controller.scenario.baseline_year == 2025
