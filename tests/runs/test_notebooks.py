"""The report notebooks run top to bottom under papermill and export as code-free HTML reports.

Each notebook is executed once per module (module-scoped fixtures) and converted to
HTML in-process, the way ``jupyter nbconvert --to html --no-input`` does.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from support import ROOT, write_batch_folder

from simlib.analysis import compare
from simlib.cli import main as cli
from simlib.engine import levers
from simlib.engine.scenario import load_yaml
from simlib.engine.scenario_parameters import NOTEBOOK_PARAMETERS
from simlib.engine.simulate import run
from simlib.reports import i18n
from simlib.reports import text as report

pytestmark = pytest.mark.notebook

NOTEBOOKS = ROOT / "notebooks"
OWNED = ("history", "scenario_report", "batch_comparison", "assumptions")
DRAWS = 200
SCENARIO = ROOT / "scenarios" / "all_levers.yaml"


def execute(name: str, out_dir: Path, **parameters):
    """Run a notebook with papermill (cwd elsewhere) and export it without code; (notebook, html)."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    out = out_dir / f"{name}.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(out_dir),
    )
    nb = nbformat.read(out, as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    return nb, body


@pytest.fixture(scope="module")
def history_vi(tmp_path_factory):
    return execute("history", tmp_path_factory.mktemp("history"))


@pytest.fixture(scope="module")
def assumptions_vi(tmp_path_factory):
    return execute("assumptions", tmp_path_factory.mktemp("assumptions"))


@pytest.fixture(scope="module")
def batch_vi(tmp_path_factory):
    return execute("batch_comparison", tmp_path_factory.mktemp("batch"), draws=DRAWS)


@pytest.fixture(scope="module")
def report_vi(tmp_path_factory):
    out = tmp_path_factory.mktemp("report_vi")
    csv_path = out / "results.csv"
    nb, body = execute("scenario_report", out, scenario_file=str(SCENARIO), draws=DRAWS, results_csv=str(csv_path))
    return nb, body, csv_path


@pytest.fixture(scope="module")
def report_en(tmp_path_factory):
    return execute(
        "scenario_report",
        tmp_path_factory.mktemp("report_en"),
        draws=DRAWS,
        lang="en",
        lever_targets={"simplification": 0.7},
        target_year=2028,
    )


@pytest.fixture(scope="module")
def executed(history_vi, assumptions_vi, batch_vi, report_vi):
    return {
        "history": history_vi,
        "assumptions": assumptions_vi,
        "batch_comparison": batch_vi,
        "scenario_report": report_vi[:2],
    }


# ---------------------------------------------------------------- stored notebooks


@pytest.mark.parametrize("name", OWNED)
def test_notebook_is_stored_without_outputs_with_the_python3_kernel(name):
    nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"] == {"name": "python3", "display_name": "Python 3", "language": "python"}
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert "parameters" in code[0]["metadata"].get("tags", [])


def test_scenario_report_parameters_are_the_scenario_fields_and_one_for_every_lever():
    """No lever is named in the report: ``lever_targets`` takes any lever of the registry."""
    import papermill

    found = papermill.inspect_notebook(str(NOTEBOOKS / "scenario_report.ipynb"))
    expected = set(NOTEBOOK_PARAMETERS) | {"lang", "results_csv"}
    assert set(found) == expected and not set(found) & set(levers.names())
    source = (NOTEBOOKS / "scenario_report.ipynb").read_text(encoding="utf-8")
    assert not [name for name in levers.names() if name in source]
    defaults = {name: p["default"] for name, p in found.items()}
    assert defaults.pop("scenario_file") == '""' and defaults.pop("results_csv") == '""'
    assert defaults.pop("lang") == '"vi"'
    assert set(defaults.values()) == {"None"}


@pytest.mark.slow
def test_papermill_help_shows_every_parameters_type():
    """`papermill --help-notebook` tells an analyst each parameter's type, never "Unknown type"."""
    import subprocess
    import sys
    from pathlib import Path

    papermill = Path(sys.executable).parent / "papermill"
    expected = {
        "scenario_report.ipynb": {
            "scenario_file": "str",
            "scenario_data": "Optional[dict]",
            "focal": "Optional[str]",
            "baseline_year": "Optional[int]",
            "draws": "Optional[int]",
            "seed": "Optional[int]",
            "lang": "str",
            "results_csv": "str",
            "others_fee_waiver_share": "Optional[float]",
            "lever_targets": "Optional[dict]",
        },
        "batch_comparison.ipynb": {"batch_dir": "str", "grid_csv": "str", "lang": "str", "draws": "int"},
    }
    for name, types in expected.items():
        proc = subprocess.run(
            [str(papermill), "--help-notebook", str(NOTEBOOKS / name)], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
        assert "Unknown type" not in proc.stdout, proc.stdout
        for parameter, type_name in types.items():
            assert f"  {parameter}: {type_name} (default " in proc.stdout, (parameter, proc.stdout)
        inspected = __import__("papermill").inspect_notebook(str(NOTEBOOKS / name))
        assert all(p["inferred_type_name"] != "None" for p in inspected.values())


# ---------------------------------------------------------------- executed and exported


@pytest.mark.parametrize("name", OWNED)
@pytest.mark.slow
def test_exported_report_has_figures_and_no_code(name, executed):
    nb, body = executed[name]
    assert "data:image/png;base64" in body
    assert 'alt="No description' not in body  # every figure has a text alternative
    page = re.sub(r"<style.*?</style>", "", body, flags=re.S)
    assert not re.search(r"(In|Out)(&nbsp;|\s)?\[", page)
    assert "jp-InputArea" not in page
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if len(line) > 12 and not line.startswith("#"):
                assert html.escape(line, quote=False) not in body and html.escape(line) not in body, line


@pytest.mark.parametrize("name", OWNED)
@pytest.mark.slow
def test_executed_notebook_shows_no_warnings_errors_or_raw_reprs(name, executed):
    nb, _ = executed[name]
    assert not nb.metadata.get("papermill", {}).get("exception")
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] == "display_data", (cell.source[:60], output)
            kinds = set(output["data"])
            assert kinds & {"image/png", "text/html", "text/markdown"}, (cell.source[:60], kinds)


@pytest.mark.slow
def test_reports_say_how_good_the_model_has_been(assumptions_vi, report_vi):
    """One line from the stored evaluation in the assumptions notebook and in the scenario report."""
    import html as html_lib

    from simlib.reports import evaluation

    line = evaluation.track_record("vi")
    assert "khoảng 90%" in line and "lần trong 10" in line
    assert line in html_lib.unescape(re.sub(r"<[^>]+>", "", assumptions_vi[1]))
    # the report is about Hà Nội, published at the origin, and its headline year: the line quotes that
    # year's distance from the last published year and the coverage for provinces published at the origin
    scenario = load_yaml(SCENARIO)
    focal = evaluation.track_record_for(scenario, "vi")
    ahead = scenario.target_year - scenario.baseline_year
    assert focal == evaluation.track_record("vi", unit="ha-noi", years_ahead=ahead)
    assert focal != line and focal in html_lib.unescape(re.sub(r"<[^>]+>", "", report_vi[1]))


@pytest.mark.slow
def test_scenario_report_numbers_match_simlib_project(report_vi):
    _, body, csv_path = report_vi
    with csv_path.open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    expected = run(load_yaml(SCENARIO).with_(draws=DRAWS)).rows()
    assert len(written) == len(expected)
    for got, want in zip(written, expected):
        assert got["scenario"] == "all_levers"
        assert (int(got["year"]), got["metric"]) == (want["year"], want["metric"])
        assert [float(got[c]) for c in ("mean", "p05", "p50", "p95")] == [
            want[c] for c in ("mean", "p05", "p50", "p95")
        ]
    # and the command line prints the same numbers
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert cli.main(["project", str(SCENARIO), "--draws", str(DRAWS), "--format", "json"]) == 0
    printed = json.loads(buffer.getvalue())
    assert [[r["mean"], r["p05"], r["p50"], r["p95"]] for r in printed] == [
        [float(g[c]) for c in ("mean", "p05", "p50", "p95")] for g in written
    ]


@pytest.mark.slow
def test_scenario_report_headline_reads_the_same_numbers(report_vi):
    _, body, _ = report_vi
    s = load_yaml(SCENARIO).with_(draws=DRAWS)
    result = run(s)
    row = result.at("par_rank", s.target_year)
    band = report.rank_band(row["p05"], row["p95"])
    assert f"trung vị {report.rank_text(row['p50'])} (5–95%: {band})" in body
    # the scenario's title, not its file name (all_levers)
    assert html.escape(f"Báo cáo kịch bản «{s.heading('vi')}»: Hà Nội", quote=False) in body
    assert s.heading("vi") == "Mọi đòn bẩy cùng lúc đến năm 2027"
    assert report.pct(result.at("p_par_top3", s.target_year)["mean"]) in body


@pytest.mark.slow
def test_language_parameter_switches_every_heading(report_vi, report_en):
    _, vi, _ = report_vi
    _, en = report_en
    for key, fields in (
        ("projections", {}),
        ("assumed", {}),
        ("comparison", {}),
        ("data_notes", {}),
        ("ranks", {"year": 2027}),
        ("headline", {"year": 2027}),
    ):
        assert html.escape(i18n.say(f"h_{key}", "vi", **fields), quote=False) in vi, key
        assert html.escape(i18n.say(f"h_{key}", "vi", **fields), quote=False) not in en, key
    for key, fields in (("projections", {}), ("assumed", {}), ("ranks", {"year": 2028}), ("headline", {"year": 2028})):
        assert html.escape(i18n.say(f"h_{key}", "en", **fields), quote=False) in en, key


def _text(body: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.mark.slow
def test_data_reasons_and_sources_are_in_the_reports_language(report_vi, report_en, assumptions_vi):
    """The written rules of data/conflict_rules.csv and the parameters' sources are shown in the
    report's language (rule/rule_vi, source/source_vi): no English sentence in a Vietnamese report."""
    from simlib.engine import data

    ds = data.load()
    rule = next(r for r in ds.conflict_rules if (r["index"], r["year"], r["province_slug"]) == ("PAR", 2024, "ha-noi"))
    source = next(r for r in ds.parameters if r["name"] == "par_break_year")
    effect = next(e for e in ds.lever_effects if (e.lever, e.target) == ("simplification", "cost_cut"))
    assert "QĐ 1187/QĐ-BNV" in source["source_vi"] and "128/BC-UBND" in rule["rule_vi"]  # names kept as they are
    vi, en = _text(report_vi[1]), _text(report_en[1])
    for body in (vi, _text(assumptions_vi[1])):
        assert rule["rule_vi"] in body and source["source_vi"] in body and effect.source_vi in body
        assert rule["rule"] not in body and source["source"] not in body and effect.source not in body
        assert "nguyên văn tiếng Anh" not in body
        assert "diễn biến của các địa phương" in body  # the parameters' group, in Vietnamese too
    assert rule["rule"] in en and source["source"] in en and effect.source in en
    assert rule["rule_vi"] not in en and source["source_vi"] not in en and effect.source_vi not in en


@pytest.mark.slow
def test_batch_comparison_reads_a_batch_folder_and_a_grid_file(tmp_path, tmp_path_factory):
    results = compare.run_examples(draws=DRAWS)
    batch = compare.example_batch(draws=DRAWS)
    write_batch_folder(tmp_path, results, batch.summary, "broken_levers", "ScenarioError: levers.speed is not a lever")
    grid = compare.grid(
        x="delegation", y="full_process_online", x_values=(0.4, 0.6), y_values=(0.7, 0.8, 0.9), draws=DRAWS
    )
    grid.to_csv(tmp_path / "grid.csv", index=False)
    nb, body = execute(
        "batch_comparison",
        tmp_path_factory.mktemp("batch_dir"),
        batch_dir=str(tmp_path),
        grid_csv=str(tmp_path / "grid.csv"),
        lang="en",
    )
    assert "broken_levers" in body and "levers.speed is not a lever" in body
    assert all(r.scenario.name in body for r in results)
    assert body.count("data:image/png;base64") >= 4
    assert html.escape(i18n.say("h_grid", "en"), quote=False) in body


@pytest.mark.slow
def test_the_reports_tables_name_the_scenario_by_its_title_not_its_file(report_vi):
    """The comparison table's column for the scenario carries the scenario's title in the report's
    language (as the report's heading does), never its file name."""
    from simlib.engine.scenario import load_scenario

    scenario = load_scenario(SCENARIO)
    assert scenario.heading("vi") != scenario.name
    headers = re.findall(r"<th[^>]*>(.*?)</th>", report_vi[1], flags=re.S)
    assert html.escape(scenario.heading("vi"), quote=False) in [h.strip() for h in headers]
    assert scenario.name not in [h.strip() for h in headers]
