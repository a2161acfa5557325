"""Real-browser tests: the Voilà app, the notebook in JupyterLab, and a rendered report, in chromium.

Every page is opened with the network cut off except 127.0.0.1 (and file://), as a planner's
office machine without internet would see it. Screenshots of each state are kept under
test-artifacts/screenshots/. Servers are started on free ports on 127.0.0.1 and stopped by
their PID in fixture teardown, also when a test fails.
"""
from __future__ import annotations

import shutil
import subprocess
import time

import pytest

import browser_support as bs
from simlib.engine import simulate
from simlib.engine import evaluate
from simlib.app import panel as widgets
from simlib.reports.text import rank_band
from simlib.engine.scenario import Scenario

pytestmark = pytest.mark.browser

NOTEBOOK = bs.ROOT / "notebooks" / "lever_explorer.ipynb"
APP_DRAWS, APP_SEED, APP_YEAR = 2000, 2024, 2027  # the notebook's defaults
# Requested by Voilà's page template from a CDN; the page does not need them (Voilà bundles
# Font Awesome itself). Any other outside request would be a new dependency on the internet.
OPTIONAL_CDN = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free",)
READY = ".par-score-median"


@pytest.fixture(scope="module")
def browser():
    bs.require_browser()
    with bs.chromium() as b:
        yield b


@pytest.fixture(scope="module")
def voila(tmp_path_factory, browser):
    server = bs.voila_server(NOTEBOOK, tmp_path_factory.mktemp("voila-home"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def offline_page(browser):
    context, blocked = bs.offline_context(browser)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page, blocked
    finally:
        context.close()


def open_app(page, server, query: str = "") -> float:
    """Open the Voilà page; return the seconds until the panel's numbers are shown."""
    started = time.perf_counter()
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector(READY, state="visible", timeout=60_000)
    page.wait_for_selector("img.fig-projection", state="visible")
    return time.perf_counter() - started


def expected(levers: dict[str, float] | None = None, lang: str = "vi") -> dict[str, str]:
    """What the page must show for these lever targets: `simlib project`'s numbers, formatted."""
    raw = {"draws": APP_DRAWS, "seed": APP_SEED, "target_year": APP_YEAR,
           "levers": {k: {"target": v, "year": APP_YEAR} for k, v in (levers or {}).items()}}
    result = evaluate.run(Scenario.from_dict(raw))
    rank = result.at("par_rank", APP_YEAR)
    return {
        ".par-score-median": widgets.format_score(result.at("par_score", APP_YEAR)["p50"], lang),
        ".par-rank-median": widgets.format_rank(rank["p50"], lang),
        ".par-rank-band": rank_band(rank["p05"], rank["p95"], lang),
        ".p-par-top3": widgets.format_probability(result.at("p_par_top3", APP_YEAR)["mean"], lang),
        ".p-par-top10": widgets.format_probability(result.at("p_par_top10", APP_YEAR)["mean"], lang),
        ".sipas-pct-median": widgets.format_score(result.at("sipas_pct", APP_YEAR)["p50"], lang),
    }


def shown(page, selectors) -> dict[str, str]:
    return {sel: bs.text(page, sel) for sel in selectors}


def slider_fraction(page, lever: str) -> float:
    return float(bs.text(page, bs.readout(lever))) / 100.0


# --------------------------------------------------------------------------- Voilà

def test_voila_page_renders_offline_quickly_without_code(voila, offline_page):
    page, blocked = offline_page
    seconds = open_app(page, voila)
    bs.screenshot(page, "voila_opened")
    print(f"\nVoilà page ready in {seconds:.1f} s; refused outside requests: {blocked}")
    assert seconds < 10, f"the app took {seconds:.1f} s to render"
    assert page.locator(".jp-InputArea, .jp-Cell-inputWrapper, .CodeMirror, .cm-editor").count() == 0
    assert page.locator(".panel-message").inner_text().strip() == ""
    assert "Traceback" not in page.locator("body").inner_text()
    for img in ("img.fig-projection", "img.fig-ranks"):
        assert page.locator(img).evaluate("e => e.complete && e.naturalWidth > 300")
    assert bs.text(page, ".results-title").startswith("Kết quả năm 2027")
    assert shown(page, expected()) == expected()
    unexpected = [u for u in blocked if not u.startswith(OPTIONAL_CDN)]
    assert unexpected == [], f"the page asked the internet for {unexpected}"


def test_voila_sliders_move_the_numbers_as_the_engine_says(voila, offline_page):
    page, _ = offline_page
    open_app(page, voila)
    watched = (".par-score-median", ".par-rank-band", ".p-par-top3")
    start = shown(page, watched)
    assert start == {k: v for k, v in expected().items() if k in watched}

    before = bs.text(page, ".par-score-median")
    bs.type_slider(page, "simplification", 60)
    bs.wait_text_change(page, ".par-score-median", before)
    bs.screenshot(page, "voila_simplification_60")

    before = bs.text(page, ".p-par-top3")
    bs.press_slider(page, "delegation", "ArrowRight", 10)
    bs.wait_text_change(page, ".p-par-top3", before)
    delegation = slider_fraction(page, "delegation")
    assert delegation > 0.40
    want = expected({"simplification": 0.6, "delegation": delegation})
    page.wait_for_function("([sel, want]) => document.querySelector(sel).innerText.trim() === want",
                           arg=[".par-score-median", want[".par-score-median"]])
    bs.screenshot(page, "voila_simplification_60_delegation_up")
    assert slider_fraction(page, "simplification") == pytest.approx(0.6)
    now = shown(page, want)
    assert now == want
    assert now[".par-score-median"] != start[".par-score-median"]
    assert now[".p-par-top3"] != start[".p-par-top3"]


def test_voila_language_toggle_switches_the_labels(voila, offline_page):
    page, _ = offline_page
    open_app(page, voila)
    label = ".lever-simplification .widget-label"
    assert bs.text(page, label) == "Tỷ lệ TTHC được đơn giản hóa (%)"
    assert "Trung vị" in bs.text(page, ".panel-headline")
    page.locator(".lang-toggle button", has_text="English").click()
    page.wait_for_function("() => document.querySelector('.results-title').innerText.startsWith('Results for')")
    bs.screenshot(page, "voila_english")
    assert bs.text(page, label) == "Procedures simplified (%)"
    assert bs.text(page, ".lever-delegation .widget-label") == "Procedures delegated (%)"
    assert "today 29.8% (2024)" in bs.text(page, ".today-simplification")
    assert "Median" in bs.text(page, ".panel-headline")
    assert "Probability PAR in the top 3" in bs.text(page, ".panel-headline")
    assert "Today's policies continued" in bs.text(page, ".panel-compare")
    assert page.locator(".save-scenario").inner_text().strip() == "Save scenario"
    page.locator(".lang-toggle button", has_text="Tiếng Việt").click()
    page.wait_for_function("() => document.querySelector('.results-title').innerText.startsWith('Kết quả năm')")
    bs.screenshot(page, "voila_vietnamese_again")
    assert bs.text(page, label) == "Tỷ lệ TTHC được đơn giản hóa (%)"
    assert "hiện tại 29,8% (2024)" in bs.text(page, ".today-simplification")
    assert "Xác suất PAR trong top 3" in bs.text(page, ".panel-headline")


def test_voila_query_string_link_opens_those_settings(voila, offline_page):
    page, _ = offline_page
    open_app(page, voila, "?simplification=0.6&delegation=0.5&lang=en")
    bs.screenshot(page, "voila_query_link")
    assert bs.text(page, bs.readout("simplification")) == "60.0"
    assert bs.text(page, bs.readout("delegation")) == "50.0"
    assert bs.text(page, ".results-title").startswith("Results for 2027")
    assert page.locator(".panel-message").inner_text().strip() == ""
    want = expected({"simplification": 0.6, "delegation": 0.5}, lang="en")
    assert shown(page, want) == want


def test_voila_bad_link_values_are_reported_as_text(voila, offline_page):
    page, _ = offline_page
    open_app(page, voila, "?simplification=0.6&delegation=lots&focal=atlantis&lang=en")
    bs.screenshot(page, "voila_bad_query_link")
    message = page.locator(".panel-message").inner_text()
    assert "ignored" in message and "?delegation" in message and "focal" in message
    assert "Traceback" not in page.locator("body").inner_text()
    assert bs.text(page, bs.readout("simplification")) == "60.0"  # the good value is kept
    assert bs.text(page, bs.readout("delegation")) == "34.8"  # today's value


# --------------------------------------------------------------------------- JupyterLab

def test_jupyterlab_runs_the_notebook_and_updates_on_a_slider(tmp_path, browser):
    root = tmp_path / "server-root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    server = bs.lab_server(root, tmp_path / "jupyter-home")
    context, _ = bs.offline_context(browser, viewport=(1400, 1000))
    try:
        server.start()
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{server.url}/lab/tree/{NOTEBOOK.name}?reset")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        page.wait_for_function("() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]"
                               ".some(e => /Idle/.test(e.innerText))")
        bs.screenshot(page, "lab_opened")
        page.locator("li.lm-MenuBar-item", has_text="Run").first.click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        page.wait_for_selector(READY, state="visible")
        page.wait_for_selector("img.fig-projection", state="visible")
        bs.screenshot(page, "lab_ran_all_cells")
        score = bs.text(page, READY)
        figure = page.locator("img.fig-projection").get_attribute("src")
        bs.press_slider(page, "simplification", "ArrowRight", 5)
        bs.wait_text_change(page, READY, score)
        page.wait_for_function("([before]) => document.querySelector('img.fig-projection').src !== before",
                               arg=[figure])
        bs.screenshot(page, "lab_after_slider")
        assert bs.number(bs.text(page, READY)) > bs.number(score)
        assert slider_fraction(page, "simplification") > 0.30
    finally:
        context.close()
        server.stop()


# --------------------------------------------------------------------------- a rendered report

def test_rendered_report_opens_from_disk_offline(tmp_path, browser):
    out = tmp_path / "report"
    cmd = [str(bs.VENV_BIN / "simlib"), "run", str(bs.ROOT / "scenarios" / "baseline.yaml"),
           "--out", str(out), "--draws", "200"]
    proc = subprocess.run(cmd, cwd=bs.ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"`{' '.join(cmd[1:])}` failed:\n{proc.stdout}\n{proc.stderr}"
    report = out / "report.html"
    assert report.is_file()
    context, blocked = bs.offline_context(browser, viewport=(1280, 1600))
    try:
        page = context.new_page()
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        bs.screenshot(page, "report_offline")
        print(f"\nreport.html refused outside requests: {blocked}")
        figures = page.locator('img[src^="data:image/png"]')
        assert figures.count() >= 2
        for i in range(figures.count()):
            assert figures.nth(i).evaluate("e => e.complete && e.naturalWidth > 100"), f"figure {i} not drawn"
        assert figures.first.is_visible()
        tables = page.locator("table")
        assert tables.count() >= 1 and tables.first.is_visible()
        assert tables.first.locator("td").count() > 0
        visible_code = page.locator(".jp-InputArea-editor, .input_area, .jp-CodeMirrorEditor")
        assert not any(visible_code.nth(i).is_visible() for i in range(visible_code.count()))
    finally:
        context.close()


def test_servers_are_stopped_by_pid(tmp_path):
    """The helper the fixtures rely on: a stopped server leaves no process behind."""
    port = bs.free_port()
    server = bs.Server("http", [str(bs.VENV_BIN / "python"), "-m", "http.server", str(port),
                                "--bind", "127.0.0.1"], port, tmp_path, dict(bs.os.environ))
    server.start(timeout=30)
    pid = server.pid
    assert bs._alive(pid)
    server.stop()
    assert not bs._alive(pid)
    assert server.pid is None
