"""The planner's sections on the Voilà page, in chromium: league table, waterfall (goal-seek: test_browser_answers.py).

The page is opened with outside traffic cut off (as in test_browser.py); the server runs on
127.0.0.1 on a free port and is stopped by its PID.
"""

from __future__ import annotations

import browser_support as bs
import pytest

from simlib.analysis import decompose, league
from simlib.engine.scenario import Scenario
from simlib.reports import waterfall

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.notebook]

APP_DRAWS, APP_YEAR = 2000, 2027  # the notebook's defaults


def open_app(page, server, query: str = "") -> None:
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector(".par-score-median", state="visible", timeout=90_000)
    bs.wait_background_sections(page)  # drawn in the background, after the panel's own numbers


def test_league_table_on_the_page(voila, page):
    open_app(page, voila, "?lang=en")
    bs.screenshot(page, "planner_league")
    rows = page.locator(".panel-league tbody tr")
    assert rows.count() == 34
    focal = page.locator(".panel-league tr.focal")
    assert focal.count() == 1 and "Hà Nội" in focal.inner_text()
    table = league.league(Scenario.from_dict({"draws": APP_DRAWS}), APP_YEAR)
    mine = next(r for r in table.rows() if r["focal"])
    assert f"{mine['rank_p50']} ({mine['rank_p05']}–{mine['rank_p95']})" in focal.inner_text()
    assert "generic assumptions" in bs.text(page, ".panel-league")


def test_waterfall_on_the_page_follows_a_slider(voila, page):
    open_app(page, voila, "?lang=en")
    sentence = ".panel-waterfall .why-sentence"
    d = decompose.decompose(Scenario.from_dict({"draws": APP_DRAWS}), by_lever=False)
    assert bs.text(page, sentence) == waterfall.sentence(d, "en")
    assert page.locator(".panel-waterfall table.wf-rank tr").count() == 6
    before = bs.text(page, sentence)
    bs.type_slider(page, "simplification", 80)
    after = bs.wait_text_change(page, sentence, before)
    bs.screenshot(page, "planner_waterfall_simplification_80")
    d = decompose.decompose(
        Scenario.from_dict({"draws": APP_DRAWS, "levers": {"simplification": {"target": 0.8, "year": APP_YEAR}}}),
        by_lever=False,
    )
    assert after == waterfall.sentence(d, "en")
