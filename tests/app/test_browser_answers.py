"""The planner's answers on the Voilà page, in chromium, in both languages: counts beside the sliders, the
scenario's name and description in the link and the downloads (saved on the first click), our own unit costs,
goal-seek's "Apply this mix", the memo paragraph's copy button, the SIPAS league table and heat map. The new
controls at phone width are held to the layout rules of every control (test_browser.py's phone test).

Pages are cut off from every network but 127.0.0.1; the server runs on a free port and is stopped by its PID.
"""

from __future__ import annotations

import io
import re

import browser_support as bs
import pytest

from simlib.engine.scenario import Scenario

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.notebook]

READY = ".par-score-median"


def open_app(page, server, query: str = "") -> None:
    bs.wait_warm(server)
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector(READY, state="visible", timeout=90_000)
    bs.wait_background_sections(page)


def type_into(page, selector: str, text: str) -> None:
    """Type into a text box or area and commit it (Enter for a box, leaving the field for an area)."""
    box = page.locator(selector)
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    if box.evaluate("e => e.tagName") == "TEXTAREA":
        page.locator(READY).click()
    else:
        page.keyboard.press("Enter")


@pytest.mark.parametrize("lang, shown, cost", [("vi", "49,44", "3,1 tỷ đồng"), ("en", "49.44", "3.1 bn VND")])
def test_a_count_typed_moves_the_lever_the_link_and_the_cost(voila, page, lang, shown, cost):
    open_app(page, voila, f"?lang={lang}")
    assert bs.text(page, ".count-simplification input") == "211"
    total = bs.text(page, ".total-simplification")
    assert total == ("/ 708 TTHC" if lang == "vi" else "of 708 TTHC")
    before = bs.text(page, READY)
    type_into(page, ".count-simplification input", "350")
    bs.wait_text_change(page, READY, before)
    assert bs.text(page, bs.readout("simplification")) == shown
    page.wait_for_function("() => location.search.includes('simplification=0.4943502824858757')")
    assert cost in bs.text(page, ".city-cost")
    bs.screenshot(page, f"answers_counts_{lang}")
    type_into(page, ".count-simplification input", "9999")
    page.wait_for_function("() => document.querySelector('.panel-message').innerText.includes('708')")
    assert bs.text(page, ".count-simplification input") == "350"


def test_the_name_and_description_reach_the_link_and_the_files_saved_on_the_first_click(voila, page, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    open_app(page, voila, "?lang=vi&simplification=0.6")
    type_into(page, ".scenario-title input", "Đơn giản hóa thêm 214 TTHC")
    type_into(page, ".scenario-description textarea", "Giữ miễn phí trực tuyến\nBáo cáo lãnh đạo")
    page.wait_for_function("() => new URLSearchParams(location.search).get('description') !== null")
    query = page.evaluate("() => Object.fromEntries(new URLSearchParams(location.search))")
    assert query["title"] == "Đơn giản hóa thêm 214 TTHC"
    assert query["description"] == "Giữ miễn phí trực tuyến\nBáo cáo lãnh đạo"
    with page.expect_download(timeout=120_000) as info:  # one click, and the browser saves the file
        page.locator(".download-onepager").click()
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    reader = PdfReader(pdf)
    assert pdf.name == "Don-gian-hoa-them-214-TTHC.pdf" and len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Đơn giản hóa thêm 214 TTHC" in text and "Giữ miễn phí trực tuyến" in text
    with page.expect_download(timeout=120_000) as info:
        page.locator(".download-excel").click()
    book = tmp_path / info.value.suggested_filename
    info.value.save_as(book)
    assert book.name == "Don-gian-hoa-them-214-TTHC.xlsx"
    wb = load_workbook(io.BytesIO(book.read_bytes()), read_only=True)
    readme = {r[0]: r[1] for r in wb["Đọc trước"].iter_rows(min_row=2, values_only=True)}
    assert readme["Kịch bản"] == "Đơn giản hóa thêm 214 TTHC"
    assert readme["Mô tả"] == "Giữ miễn phí trực tuyến\nBáo cáo lãnh đạo"
    bs.screenshot(page, "answers_name_downloads")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_goal_seek_answers_in_counts_and_cost_and_applies_the_mix(voila, page, lang):
    open_app(page, voila, f"?lang={lang}")
    rank, prob = page.locator(".goal-rank input"), page.locator(".goal-prob input")
    rank.fill("3")
    rank.press("Enter")
    prob.fill("50")
    prob.press("Enter")
    page.locator(".goal-year select").select_option("2028")
    page.locator(".goal-run").click()
    page.wait_for_selector(".goal-busy .goal-working", state="visible", timeout=30_000)  # said while it runs
    page.wait_for_selector(".goal-result .goal-reachable", state="visible", timeout=180_000)
    answer = bs.text(page, ".goal-result")
    assert page.locator(".goal-result table.goal-mix tr").count() == 5  # header + four levers
    assert page.locator(".goal-busy .goal-working").count() == 0
    if lang == "vi":
        assert re.search(r"thêm [\d.]+ TTHC", answer) and "chi phí thấp nhất cho thành phố" in answer
        assert "Thứ hạng năm 2028 tin được đến đâu?" in answer
    else:
        assert "PAR top 3 in 2028" in answer and "simulated futures" in answer
        assert re.search(r"[\d,]+ more TTHC", answer) and "Minimised: the cost to the city" in answer
        assert "How far can the 2028 rank be trusted?" in answer
    bs.screenshot(page, f"answers_goal_{lang}")
    page.locator(".goal-apply").click()
    page.wait_for_function("() => location.search.includes('target_year=2028')", timeout=60_000)
    page.wait_for_selector(".goal-applied-note", state="visible")
    needed = bs.text(page, ".goal-mix tr.goal-simplification td.needed")
    count = re.match(r"([\d.,]+)", needed).group(1).replace(".", "").replace(",", "")
    assert bs.text(page, ".count-simplification input") == count
    if lang == "en":  # a target beyond reach is explained
        rank.fill("1")
        rank.press("Enter")
        prob.fill("99")
        prob.press("Enter")
        page.locator(".goal-run").click()
        page.wait_for_selector(".goal-result .goal-out-of-reach", state="visible", timeout=180_000)
        assert bs.text(page, ".goal-result").startswith("Out of reach, because")


def test_the_memo_paragraph_is_copied_with_one_click(voila, page):
    open_app(page, voila, "?lang=en")
    memo = bs.text(page, ".memo-text")
    assert memo.startswith("With these levers, by 2027 Hà Nội") or "Hà Nội" in memo
    page.locator(".copy-memo").click()
    page.wait_for_function("() => window.__simlibCopiedMemo !== undefined")
    assert page.evaluate("() => window.__simlibCopiedMemo") == memo
    page.wait_for_function("() => document.querySelector('.copy-memo').innerText === 'Paragraph copied'")


def test_the_sipas_league_table_and_the_heat_map_beside_par(voila, page):
    open_app(page, voila, "?lang=vi")
    assert "PAR" in bs.text(page, ".panel-league .league-title")
    assert page.locator(".league-heatmap").bounding_box()["height"] > 200
    page.locator(".league-index button", has_text="SIPAS").click()
    page.wait_for_function(
        "() => document.querySelector('.panel-league .league-title').innerText.includes('SIPAS')", timeout=90_000
    )
    assert page.locator(".panel-league tbody tr").count() == 34 and page.locator(".panel-league tr.focal").count() == 1
    bs.screenshot(page, "answers_sipas_league")


def test_our_own_unit_costs_change_the_cost_and_travel_in_the_link(voila, page):
    open_app(page, voila, "?lang=en&simplification=0.4943502824858757")
    assert "3.1 bn VND" in bs.text(page, ".city-cost")
    bs.open_costs(page)
    type_into(page, ".cost-simplification input", "80")
    page.wait_for_function("() => document.querySelector('.city-cost').innerText.includes('6.1 bn VND')")
    page.wait_for_function("() => location.search.includes('cost_simplification=80.0')")
    again = Scenario.from_dict({"costs": {"simplification": 80}})
    assert again.costs["simplification"] == (80.0, 80.0, 80.0)
