"""Real-browser tests: the Voilà app, the notebook in JupyterLab, and a rendered report, in chromium.

Every page is opened with the network cut off except 127.0.0.1 (and file://), as a planner's
office machine without internet would see it. Screenshots of each state are kept under
test-artifacts/screenshots/. Servers are started on free ports on 127.0.0.1 and stopped by
their PID in fixture teardown, also when a test fails.
"""

from __future__ import annotations

import shutil
import time

import browser_support as bs
import pytest

from simlib.app import formatting
from simlib.engine import levers, simulate
from simlib.engine.scenario import Scenario
from simlib.reports.text import rank_band

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = bs.LEVER_EXPLORER  # served by the `voila` fixture (conftest.py)
APP_DRAWS, APP_SEED, APP_YEAR = 2000, 2024, 2027  # the notebook's defaults
READY = ".par-score-median"
PHONE = (390, 844)
# the planner's controls beside the levers' (names, counts, own costs, goal-seek, league, memo, downloads)
PLANNER_CONTROLS = (
    ".scenario-title",
    ".scenario-description",
    ".lever-count",
    ".total-simplification",
    ".total-delegation",
    ".cost-row .cost-label",
    ".cost-box",
    ".costs-reset",
    ".goal-rank",
    ".goal-prob",
    ".goal-year",
    ".goal-run",
    ".league-index",
    ".copy-memo",
    ".download-onepager",
    ".download-excel",
)


def open_app(page, server, query: str = "", warm: bool = True) -> float:
    """Open the Voilà page (once a pre-heated kernel is ready, unless ``warm`` is false); return
    the seconds until the panel's numbers are shown."""
    if warm:
        bs.wait_warm(server)
    started = time.perf_counter()
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector(READY, state="visible", timeout=60_000)
    page.wait_for_selector("img.fig-projection", state="visible")
    return time.perf_counter() - started


def expected(levers: dict[str, float] | None = None, lang: str = "vi", scenario: Scenario | None = None) -> dict:
    """What the page must show for these lever targets: `simlib project`'s numbers, formatted."""
    if scenario is None:
        raw = {
            "draws": APP_DRAWS,
            "seed": APP_SEED,
            "target_year": APP_YEAR,
            "levers": {k: {"target": v, "year": APP_YEAR} for k, v in (levers or {}).items()},
        }
        scenario = Scenario.from_dict(raw)
    result = simulate.run(scenario)
    year = scenario.target_year
    rank = result.at("par_rank", year)
    return {
        ".par-score-median": formatting.format_score(result.at("par_score", year)["p50"], lang),
        ".par-rank-median": formatting.format_rank(rank["p50"], lang),
        ".par-rank-band": rank_band(rank["p05"], rank["p95"], lang),
        ".p-par-top3": formatting.format_probability(result.at("p_par_top3", year)["mean"], lang),
        ".p-par-top10": formatting.format_probability(result.at("p_par_top10", year)["mean"], lang),
        ".sipas-pct-median": formatting.format_score(result.at("sipas_pct", year)["p50"], lang),
    }


def shown(page, selectors) -> dict[str, str]:
    return {sel: bs.text(page, sel) for sel in selectors}


def slider_fraction(page, lever: str) -> float:
    return bs.number(bs.text(page, bs.readout(lever))) / 100.0


def wait_shown(page, want: dict[str, str], timeout: float = 30_000) -> None:
    page.wait_for_function(
        "want => Object.entries(want).every(([sel, v]) => {"
        " const e = document.querySelector(sel); return e && e.innerText.trim() === v; })",
        arg=want,
        timeout=timeout,
    )


# --------------------------------------------------------------------------- Voilà


@pytest.mark.notebook
def test_voila_page_renders_offline_quickly_without_code(voila, offline_page):
    page, outside = offline_page
    seconds = open_app(page, voila)
    bs.screenshot(page, "voila_opened")
    print(f"\nVoilà page ready in {seconds:.1f} s; outside requests: {outside}")
    assert seconds < 10, f"the app took {seconds:.1f} s to render"
    assert page.locator(".jp-InputArea, .jp-Cell-inputWrapper, .CodeMirror, .cm-editor").count() == 0
    assert page.locator(".panel-message").inner_text().strip() == ""
    assert "Traceback" not in page.locator("body").inner_text()
    for img in ("img.fig-projection", "img.fig-ranks"):
        assert page.locator(img).evaluate("e => e.complete && e.naturalWidth > 300")
    assert bs.text(page, ".results-title").startswith("Kết quả năm 2027")
    assert shown(page, expected()) == expected()
    page.wait_for_timeout(1000)  # anything requested late (fonts, lazy scripts) is caught too
    assert outside == [], f"the page asked the internet for {outside}"


@pytest.mark.notebook
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
    page.wait_for_function(
        "sel => parseFloat(document.querySelector(sel).value.replace(',', '.')) > 44", arg=bs.readout("delegation")
    )  # every key press has arrived
    delegation = slider_fraction(page, "delegation")
    assert delegation > 0.44
    want = expected({"simplification": 0.6, "delegation": delegation})
    wait_shown(page, {".par-score-median": want[".par-score-median"]})
    bs.screenshot(page, "voila_simplification_60_delegation_up")
    assert slider_fraction(page, "simplification") == pytest.approx(0.6)
    now = shown(page, want)
    assert now == want
    assert now[".par-score-median"] != start[".par-score-median"]
    assert now[".p-par-top3"] != start[".p-par-top3"]


@pytest.mark.notebook
def test_voila_a_decimal_comma_is_read_as_typed(voila, offline_page):
    page, _ = offline_page
    open_app(page, voila)
    bs.type_slider(page, "simplification", "45,5")
    want = expected({"simplification": 0.455})
    wait_shown(page, want)
    assert bs.text(page, bs.readout("simplification")) == "45,5"
    bs.type_slider(page, "delegation", "4,5,5")
    page.wait_for_function("() => document.querySelector('.panel-message').innerText.includes('4,5,5')")
    assert "không dùng được" in page.locator(".panel-message").inner_text()
    assert shown(page, want) == want  # nothing changed silently
    assert bs.text(page, bs.readout("delegation")) == "34,8"


@pytest.mark.notebook
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
    assert "today 211 of 708 TTHC (29.8%, 2024)" in bs.text(page, ".today-simplification")
    assert "Median" in bs.text(page, ".panel-headline")
    assert "Probability PAR in the top 3" in bs.text(page, ".panel-headline")
    assert "Today's policies continued" in bs.text(page, ".panel-compare")
    assert "Download scenario" in page.locator(".download-scenario").inner_text()
    page.locator(".lang-toggle button", has_text="Tiếng Việt").click()
    page.wait_for_function("() => document.querySelector('.results-title').innerText.startsWith('Kết quả năm')")
    bs.screenshot(page, "voila_vietnamese_again")
    assert bs.text(page, label) == "Tỷ lệ TTHC được đơn giản hóa (%)"
    assert "hiện tại 211/708 TTHC (29,8%, 2024)" in bs.text(page, ".today-simplification")
    assert "Xác suất PAR trong top 3" in bs.text(page, ".panel-headline")


@pytest.mark.notebook
def test_voila_query_string_link_opens_those_settings_even_when_outside_requests_hang(voila, browser):
    """A link opens the panel with its settings; behind a proxy that drops outside traffic silently the
    page is not delayed, since it asks for nothing outside."""
    context, outside = bs.offline_context(browser, hold=True)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        seconds = open_app(page, voila, "?simplification=0.6&delegation=0.5&lang=en")
        print(f"\npage ready in {seconds:.2f} s with outside requests held open")
        bs.screenshot(page, "voila_query_link")
        assert outside == [], f"the page waited on the internet for {outside}"
        assert seconds < 10
        assert bs.text(page, bs.readout("simplification")) == "60.0"
        assert bs.text(page, bs.readout("delegation")) == "50.0"
        assert bs.text(page, ".results-title").startswith("Results for 2027")
        assert page.locator(".panel-message").inner_text().strip() == ""
        want = expected({"simplification": 0.6, "delegation": 0.5}, lang="en")
        assert shown(page, want) == want
    finally:
        context.close()


@pytest.mark.notebook
def test_voila_bad_link_values_are_reported_as_text(voila, offline_page):
    page, _ = offline_page
    open_app(page, voila, "?simplification=0.6&delegation=lots&focal=atlantis&lang=en")
    bs.screenshot(page, "voila_bad_query_link")
    message = page.locator(".panel-message").inner_text()
    assert "ignored" in message and "?delegation" in message and "focal" in message
    assert "Traceback" not in page.locator("body").inner_text()
    assert bs.text(page, bs.readout("simplification")) == "60.0"  # the good value is kept
    assert bs.text(page, bs.readout("delegation")) == "34.8"  # today's value


@pytest.mark.notebook
def test_voila_address_bar_and_copy_link_reopen_the_same_numbers(voila, browser):
    context, _ = bs.offline_context(browser)
    try:
        page = context.new_page()
        open_app(page, voila, "?others_share=0.5&others_year=2026&simplification=0.7@2026")
        assert "others_share=0.5" in page.url and "simplification=0.7@2026" in page.url
        before = bs.text(page, READY)
        bs.type_slider(page, "delegation", 55)
        bs.wait_text_change(page, READY, before)
        page.wait_for_function("() => location.search.includes('delegation=0.55')")
        url = page.url
        for part in (
            "focal=ha-noi",
            "target_year=2027",
            "simplification=0.7@2026",
            "delegation=0.55",
            "others_share=0.5",
            "others_year=2026",
            "draws=2000",
            "seed=2024",
            "lang=vi",
        ):
            assert part in url, part
        page.locator(".copy-link").click()
        page.wait_for_function("() => window.__simlibCopied !== undefined")
        copied = page.evaluate("() => window.__simlibCopied")
        assert copied == url and copied.startswith(voila.url + "/?")
        assert page.locator(".share-url").get_attribute("href") == url
        numbers = shown(page, expected())
        again = context.new_page()
        open_app(again, voila, url[len(voila.url) + 1 :])
        assert shown(again, expected()) == numbers  # the link reproduces the scenario's numbers exactly
        saved = Scenario.from_dict(
            {
                "target_year": 2027,
                "levers": {"simplification": {"target": 0.7, "year": 2026}, "delegation": 0.55},
                "field": {"others_fee_waiver_share": 0.5, "others_fee_waiver_year": 2026},
            }
        )
        assert numbers == expected(scenario=saved)
    finally:
        context.close()


def upload(page, path) -> None:
    """Pick a file with the panel's upload button, as a user does in the browser's file chooser."""
    with page.expect_file_chooser() as chooser:
        page.locator(".upload-scenario").click()
    chooser.value.set_files(str(path))


@pytest.mark.notebook
def test_voila_download_and_upload_a_scenario_through_the_browser(voila, offline_page, tmp_path):
    page, _ = offline_page
    open_app(page, voila, "?simplification=0.65")
    with page.expect_download() as info:
        page.locator(".download-scenario").click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert Scenario.from_yaml(path).levers["simplification"].target == pytest.approx(0.65)
    source = bs.ROOT / "scenarios" / "online_fee_waiver.yaml"
    upload(page, source)
    page.wait_for_function("() => document.querySelector('.file-status').innerText.includes('online_fee_waiver')")
    assert "Đã mở kịch bản" in page.locator(".file-status").inner_text()
    want = expected(scenario=Scenario.from_yaml(source))
    wait_shown(page, want)
    bad = tmp_path / "bad.yaml"
    bad.write_text("levers:\n  simplification: 2.0\n", encoding="utf-8")
    upload(page, bad)
    page.wait_for_function("() => document.querySelector('.file-status').innerText.includes('levers.simplification')")
    assert shown(page, want) == want  # a bad file changes nothing


@pytest.mark.notebook
def test_voila_a_huge_upload_is_refused_with_a_message_and_the_panel_keeps_working(voila, offline_page, tmp_path):
    """A 30 MB file is refused in the page before it is sent (the connection would drop it silently);
    a 1 MB one is refused by the panel; both say why, and a good file still opens afterwards."""
    page, _ = offline_page
    open_app(page, voila)
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.write(b"name: huge\n# " + b"x" * (30 * 1024 * 1024) + b"\n")
    upload(page, huge)
    page.wait_for_selector(".file-status .upload-refused", state="visible")
    message = page.locator(".file-status").inner_text()
    assert "huge.yaml" in message and "lớn hơn 64 KB" in message and "Không mở được kịch bản" in message
    big = tmp_path / "big.yaml"
    big.write_bytes(b"name: big\n# " + b"x" * (1024 * 1024) + b"\n")
    upload(page, big)
    page.wait_for_function("() => document.querySelector('.file-status').innerText.includes('big.yaml')")
    assert "lớn hơn 64 KB" in page.locator(".file-status").inner_text()
    upload(page, bs.ROOT / "scenarios" / "online_fee_waiver.yaml")
    page.wait_for_function("() => document.querySelector('.file-status').innerText.includes('Đã mở kịch bản')")
    assert page.locator("#simlib-disconnected").count() == 0


@pytest.mark.notebook
def test_voila_busy_note_shows_only_when_an_update_is_slow(voila, offline_page):
    """The page shows the busy note the panel sends only after 0.3 s, and a real update leaves none.

    Whether a given update lasts longer than 0.3 s depends on the machine, so the page's side is
    checked with the note the panel sends (the panel's side — the note is sent before every update
    and cleared after it — is tested in test_widgets)."""
    page, _ = offline_page
    open_app(page, voila)
    before = bs.text(page, ".results-title")
    page.locator(".focal-dropdown select").select_option(label="Đà Nẵng")
    bs.wait_text_change(page, ".results-title", before, timeout=60_000)
    page.wait_for_selector(".panel-busy", state="detached", timeout=30_000)  # cleared after the update
    visibility = page.evaluate("""async () => {
        const box = document.querySelector('.panel-busy-box');
        box.insertAdjacentHTML('beforeend', '<div class="panel-busy" role="status">…</div>');
        const note = box.querySelector('.panel-busy');
        const at = () => getComputedStyle(note).visibility;
        const early = at();
        await new Promise(r => setTimeout(r, 600));
        const late = at();
        note.remove();
        return [early, late]; }""")
    assert visibility == ["hidden", "visible"], visibility


@pytest.mark.notebook
def test_voila_dead_kernel_shows_a_disconnected_banner(tmp_path, browser):
    server = bs.voila_server(NOTEBOOK, tmp_path / "home", pool=0)
    context, _ = bs.offline_context(browser)
    try:
        server.start()
        page = context.new_page()
        open_app(page, server, warm=False)
        kernel_id = page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )
        kernels = [
            pid
            for pid in bs.descendants(server.pid)
            if kernel_id in open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace")
        ]
        assert len(kernels) == 1
        bs.os.kill(kernels[0], bs.signal.SIGKILL)
        page.wait_for_selector("#simlib-disconnected", state="visible", timeout=20_000)
        bs.screenshot(page, "voila_disconnected")
        banner = page.locator("#simlib-disconnected").inner_text()
        assert "Mất kết nối" in banner and "tải lại" in banner.lower()
        assert page.evaluate("() => document.body.classList.contains('simlib-disconnected')")
        assert float(page.locator(".lever-explorer").evaluate("e => getComputedStyle(e).opacity")) < 0.5
    finally:
        context.close()
        server.stop()


def open_whole_panel(page, server, query: str = "") -> None:
    """Open the page and wait for every section, the ones drawn in the background too."""
    open_app(page, server, query)
    bs.wait_background_sections(page)
    page.wait_for_selector(".lever-context-table table", state="visible", timeout=90_000)
    page.evaluate("() => Promise.all([...document.images].map(i => i.decode().catch(() => null)))")


@pytest.mark.notebook
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_voila_every_control_fits_a_phone(voila, browser, lang):
    """At 390 × 844 (a phone), in each language, with "our own unit costs" unfolded: every control of the
    page — whatever sections it has, the planner's answers included — is on the screen, none lies over
    another, no label or button is cut off, and only a table may be wider than the screen, inside a
    box of its own that scrolls (bs.layout_problems). Then a value typed on the phone still moves the numbers."""
    context, _ = bs.offline_context(browser, viewport=PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        open_whole_panel(page, voila, f"?lang={lang}")
        bs.open_costs(page)
        for control in PLANNER_CONTROLS:  # held to the rules below, so they must be on the page
            assert page.locator(control).first.is_visible(), f"{control} is not shown on a phone"
        problems = bs.layout_problems(page)
        page.set_viewport_size({"width": PHONE[0], "height": 5600})  # the whole page in the screenshot
        bs.screenshot(page, f"voila_phone_390_{lang}")
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        assert problems == [], "\n".join(problems)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE[0] + 1, f"the page is {width} px wide at a {PHONE[0]} px screen"
        for lever in levers.names():
            track = page.locator(f".lever-{lever} .slider-container").bounding_box()
            box = page.locator(bs.readout(lever)).bounding_box()
            label = page.locator(f".lever-{lever} .widget-label")
            assert track["width"] >= 200, (lever, track)
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], (lever, box)
            assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), f"{lever}'s label is cut off"
            assert bs.text(page, bs.readout(lever))  # its value is shown
        for img in ("img.fig-projection", "img.fig-ranks"):
            assert page.locator(img).bounding_box()["width"] <= PHONE[0]
        before = bs.text(page, READY)
        bs.type_slider(page, "simplification", 60)
        bs.wait_text_change(page, READY, before)
        want = expected({"simplification": 0.6}, lang=lang)
        assert shown(page, want) == want
    finally:
        context.close()


@pytest.mark.notebook
def test_voila_every_control_fits_a_desktop_and_a_tablet(voila, browser):
    """The same layout rules at 1280 and 768 px wide (a desktop, a tablet: the page turned or its window
    narrowed, as a planner does with a page already open)."""
    context, _ = bs.offline_context(browser, viewport=(1280, 900))
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        open_whole_panel(page, voila, "?lang=vi")
        for width in (1280, 768):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_function(  # the page's boxes are laid out again on the next frames
                "w => document.querySelector('.lever-explorer').getBoundingClientRect().right <= w", arg=width
            )
            problems = bs.layout_problems(page)
            assert problems == [], f"at {width} px:\n" + "\n".join(problems)
    finally:
        context.close()


# --------------------------------------------------------------------------- JupyterLab


@pytest.mark.notebook
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
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(e => /Idle/.test(e.innerText))"
        )
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
        page.wait_for_function(
            "([before]) => document.querySelector('img.fig-projection').src !== before", arg=[figure]
        )
        bs.screenshot(page, "lab_after_slider")
        assert bs.number(bs.text(page, READY)) > bs.number(score)
        assert slider_fraction(page, "simplification") > 0.30
    finally:
        context.close()
        server.stop()


# --------------------------------------------------------------------------- a rendered report


@pytest.mark.notebook
def test_rendered_report_opens_from_disk_offline(rendered_report, browser):
    proc, out = rendered_report  # `simlib run` as a user runs it (conftest)
    assert proc.returncode == 0, f"`simlib run` failed:\n{proc.stdout}\n{proc.stderr}"
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
    server = bs.Server(
        "http",
        [str(bs.VENV_BIN / "python"), "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        port,
        tmp_path,
        dict(bs.os.environ),
    )
    server.start(timeout=30)
    pid = server.pid
    assert bs._alive(pid)
    server.stop()
    assert not bs._alive(pid)
    assert server.pid is None
