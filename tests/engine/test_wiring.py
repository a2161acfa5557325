"""Wiring as data: a lever is added in data/ alone, and the wiring table is checked on load."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pytest
from support import ROOT, copy_data, read_csv, write_csv

from simlib.engine import data, levers, model, wiring
from simlib.engine.errors import DataError

NEW = "one_stop_desks"
LABEL_VI = "Tỷ lệ xã có bộ phận một cửa hiện đại"
LABEL_EN = "Communes with a modern one-stop desk"
DRAWS = 200


def append_rows(path: Path, rows: list[dict]) -> None:
    """Append rows given by column name; columns not given stay empty."""
    header, old = read_csv(path)
    write_csv(path, header, old + [[str(r.get(col, "")) for col in header] for r in rows])


def add_fifth_lever(directory: Path) -> Path:
    """A fifth lever in a copy of data/, by data alone: registry row, default baseline, wiring
    rows (to a driver and to a PAR field) and the parameters those rows name."""
    append_rows(
        directory / "levers.csv",
        [
            {
                "lever": NEW,
                "label_vi": LABEL_VI,
                "label_en": LABEL_EN,
                "description_en": "Share of communes whose one-stop desk receives and returns every dossier",
                "unit": "share of communes",
                "unit_vi": "tỷ lệ xã",
                "min": 0,
                "max": 1,
                "step": 0.01,
                "fee_cost": "no",
                "copied_by_others": "no",
                "source": "assumption: a lever added by a test",
            }
        ],
    )
    append_rows(
        directory / "baselines.csv",
        [
            {
                "unit_slug": "*",
                "quantity": NEW,
                "year": 2024,
                "value": 0.3,
                "status": "assumption",
                "source": "assumption: a test value",
                "source_vi": "giả định: giá trị kiểm thử",
            }
        ],
    )
    append_rows(
        directory / "lever_effects.csv",
        [
            {
                "lever": NEW,
                "target": "time_cut",
                "parameter": "time_k_one_stop",
                "form": "saturating",
                "basis": "assumption",
                "source": "assumption: one desk shortens the dossier's path",
                "source_vi": "giả định: một bộ phận một cửa rút ngắn đường đi của hồ sơ",
            },
            {
                "lever": NEW,
                "target": "par_apparatus",
                "parameter": "par_apparatus_per_one_stop",
                "form": "linear",
                "basis": "assumption",
                "source": "assumption: the appraisal scores the one-stop desks",
                "source_vi": "giả định: thẩm định chấm điểm các bộ phận một cửa",
            },
        ],
    )
    common = {
        "group": "drivers",
        "dist": "lognormal",
        "p2": 0.3,
        "basis": "assumption",
        "source": "assumption: a test value",
        "source_vi": "giả định: giá trị kiểm thử",
        "meaning_vi": "giá trị kiểm thử",
    }
    append_rows(
        directory / "parameters.csv",
        [
            {
                **common,
                "name": "time_k_one_stop",
                "label_vi": "Tác động của bộ phận một cửa lên thời gian",
                "label_en": "Time cut from one-stop desks",
                "p1": 1.5,
                "unit": "per unit share",
                "meaning": "Saturation rate of the time cut in the share of communes with a desk",
            },
            {
                **common,
                "name": "par_apparatus_per_one_stop",
                "group": "par",
                "label_vi": "Điểm bộ máy theo bộ phận một cửa",
                "label_en": "PAR apparatus points per one-stop share",
                "p1": 2.0,
                "unit": "points per unit share",
                "meaning": "Points of the apparatus field per 1.0 of share",
            },
        ],
    )
    return directory


@pytest.fixture(scope="module")
def fifth(tmp_path_factory):
    """SIMLIB_DATA_DIR pointing at a copy of data/ with the fifth lever, for this module's tests."""
    directory = add_fifth_lever(copy_data(tmp_path_factory.mktemp("wiring") / "data"))
    mp = pytest.MonkeyPatch()
    mp.setenv("SIMLIB_DATA_DIR", str(directory))
    yield directory
    mp.undo()


def test_the_fifth_lever_is_in_the_registry_and_the_wiring(fifth):
    assert data.load().directory == fifth
    assert levers.names()[-1] == NEW and levers.get(NEW).label("vi") == LABEL_VI
    assert NEW in model.appraised_levers()
    assert {"time_k_one_stop", "par_apparatus_per_one_stop"} <= set(wiring.required_parameters(model.effect_rows()))


def test_a_projection_moves_with_the_fifth_lever(fifth):
    from simlib.engine.scenario import Scenario
    from simlib.engine.simulate import run_many

    raw = {"draws": DRAWS, "seed": 7, "target_year": 2027, "horizon": 2028}
    held, pushed = run_many(
        [Scenario.from_dict(raw), Scenario.from_dict({**raw, "levers": {NEW: {"target": 0.9, "year": 2027}}})]
    )
    k = list(held.years).index(2028)
    for metric in ("par_score", "sipas_pct"):
        gain = pushed.arrays[metric][:, k] - held.arrays[metric][:, k]
        assert np.median(gain) > 0.05 and np.mean(gain >= 0) > 0.95, metric
    # ranks can only improve or stay, on common random numbers
    assert np.all(pushed.arrays["par_rank"][:, k] <= held.arrays["par_rank"][:, k])


def test_the_panel_shows_a_slider_for_the_fifth_lever(fifth, tmp_path):
    from simlib.app.panel import LeverExplorer

    panel = LeverExplorer(root=tmp_path, draws=DRAWS, query="")
    assert list(panel.sliders) == list(levers.names())
    slider = panel.sliders[NEW]
    assert slider.value == pytest.approx(30.0) and LABEL_VI in slider.description
    before = panel.displayed()["current"]["par_score"]["p50"]
    slider.value = 90.0
    assert panel.displayed()["current"]["par_score"]["p50"] > before


@pytest.mark.notebook
@pytest.mark.slow
def test_the_report_renders_with_the_fifth_lever(fifth, tmp_path):
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    scenario = tmp_path / "one_stop.yaml"
    scenario.write_text(f"name: one_stop\nlevers:\n  {NEW}: 0.9\n  simplification: 0.5\n", encoding="utf-8")
    out = tmp_path / "report.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "scenario_report.ipynb"),
        str(out),
        parameters={"scenario_file": str(scenario), "draws": DRAWS, "lang": "en", "lever_targets": {NEW: 0.8}},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(nbformat.read(out, as_version=4))
    rows = [html.unescape(r) for r in re.findall(r"<tr.*?</tr>", body, flags=re.S) if LABEL_EN in r]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S) for r in rows]
    # the lever plan (a share, no total of procedures): today's default 30% (2024), the target given as a
    # parameter, 80%, by 2027; the assumption table lists the lever with its current value, labelled an
    # assumption, and its source
    assert any(c[:4] == [LABEL_EN, "30.0% (2024)", "80.0%", "2027"] for c in cells), cells
    assert any(
        c[:2] == [LABEL_EN, "% (share of communes)"] and "assumption" in c and "assumption: a test value" in c
        for c in cells
    ), cells
    # the wiring table shows how it acts, with the reason
    assert [
        LABEL_EN,
        "Cut in processing time",
        "time_k_one_stop",
        "saturating",
        "assumption",
        "assumption: one desk shortens the dossier's path",
    ] in cells, cells
    assert any(
        c[:3] == [LABEL_EN, "PAR: organisation of the apparatus field", "par_apparatus_per_one_stop"] for c in cells
    ), cells


# --------------------------------------------------------------------------- validation


def broken(tmp_path: Path, edit) -> list[str]:
    """The places named by the DataError raised for a copy of data/ changed by ``edit``."""
    directory = copy_data(tmp_path / "data")
    edit(directory)
    with pytest.raises(DataError) as info:
        data.load_from(directory)
    return [f"{i.where} | {i.value} | {i.allowed}" for i in info.value.issues]


def test_a_bad_wiring_row_is_named_with_what_is_allowed(tmp_path):
    def edit(d):
        append_rows(
            d / "lever_effects.csv",
            [
                {
                    "lever": "teleport",
                    "target": "time_cut",
                    "parameter": "k_teleport",
                    "form": "saturating",
                    "basis": "assumption",
                    "source": "x",
                    "source_vi": "x",
                },
                {
                    "lever": "delegation",
                    "target": "happiness",
                    "parameter": "k_happy",
                    "form": "linear",
                    "basis": "assumption",
                    "source": "x",
                    "source_vi": "x",
                },
                {
                    "lever": "delegation",
                    "target": "cost_cut",
                    "parameter": "k_cost",
                    "form": "saturating",
                    "basis": "assumption",
                    "source": "x",
                    "source_vi": "x",
                },
                {
                    "lever": "simplification",
                    "target": "time_cut",
                    "parameter": "online_k_fee",
                    "form": "saturating",
                    "basis": "assumption",
                    "source": "x",
                    "source_vi": "x",
                },
            ],
        )

    issues = broken(tmp_path, edit)
    text = "\n".join(issues)
    assert "row 9 column lever | teleport | a lever of data/levers.csv: simplification" in text
    assert "row 10 column target | happiness | one of online_share" in text
    assert "row 11 column form | saturating | linear (the form of cost_cut)" in text
    assert "row 12 columns lever, target | simplification, time_cut | a pair used once (already in row 4)" in text
    assert "row 12 column parameter | online_k_fee | a parameter used by one row only (already in row 2)" in text
    # the rows' parameters are missing from parameters.csv: each named, with its row
    assert any("'k_teleport'" in i and "lever_effects.csv row 9" in i for i in issues)


def test_a_parameter_the_model_reads_cannot_go_missing(tmp_path):
    def edit(d):
        header, rows = read_csv(d / "parameters.csv")
        keep = [r for r in rows if r[0] not in ("time_k_delegation", "par_headroom_ref")]
        write_csv(d / "parameters.csv", header, keep)

    issues = broken(tmp_path, edit)
    assert any("'time_k_delegation'" in i and "lever_effects.csv row 5" in i for i in issues)
    assert any("'par_headroom_ref', which the model reads (a fixed term)" in i for i in issues)


def test_lever_roles_are_checked(tmp_path):
    def edit(d):
        header, rows = read_csv(d / "levers.csv")
        rows[0][header.index("fee_cost")] = "maybe"
        write_csv(d / "levers.csv", header, rows)

    text = "\n".join(broken(tmp_path, edit))
    assert "data/levers.csv row 2 column fee_cost | maybe | one of yes, no" in text


def test_lever_names_are_checked(tmp_path):
    def edit(d):
        header, rows = read_csv(d / "levers.csv")
        rows[1][header.index("lever")] = "Delegation share"
        rows[2][header.index("lever")] = rows[0][header.index("lever")]
        write_csv(d / "levers.csv", header, rows)

    text = "\n".join(broken(tmp_path, edit))
    assert "row 3 column lever | Delegation share | a name of lower-case letters" in text
    assert "row 4 column lever | simplification | a name used once" in text


def test_roles_are_read_from_the_registry():
    assert levers.with_role("fee_cost") == ("online_fee_waiver",)
    assert levers.with_role("copied_by_others") == ("online_fee_waiver",)
    assert levers.get("online_fee_waiver").fee_cost and not levers.get("delegation").fee_cost


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_target_and_form_has_words(lang):
    from simlib.reports import i18n, tables

    for key in [f"target_{t}" for t in wiring.TARGETS] + [f"form_{f}" for f in wiring.FORMS]:
        assert i18n.say(key, lang) and i18n.say(key, "vi") != i18n.say(key, "en"), key
    frame = tables.lever_effects(lang)
    assert len(frame) == len(model.effect_rows()) and frame.iloc[:, -1].str.len().min() > 10
