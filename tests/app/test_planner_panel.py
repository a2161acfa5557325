"""The planner's sections of the lever explorer (simlib.app.planner), without a browser."""

from __future__ import annotations

import io
import re
import threading

import pytest

from simlib.analysis import decompose, league
from simlib.app import panel, planner
from simlib.engine import levers
from simlib.reports import waterfall

DRAWS = 300


def plain(html_text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_text)).strip()


@pytest.fixture
def explorer():
    return panel.LeverExplorer(draws=DRAWS, query="", lang="en", sections=panel.SECTIONS + planner.SECTIONS)


def test_league_section_shows_every_unit_with_the_focal_unit_highlighted(explorer):
    explorer.set_levers({"simplification": 0.7})
    planner.settle(explorer)
    page = explorer.section(planner.LeagueSection).widget.value
    assert page.count("<tr") == 35 and page.count('class="focal"') == 1
    table = league.league(explorer.state(), explorer.state().target_year)
    focal = next(r for r in table.rows() if r["focal"])
    focal_row = page.split('class="focal">')[1].split("</tr>")[0]
    assert "Hà Nội" in focal_row and f"{focal['rank_p50']} ({focal['rank_p05']}–{focal['rank_p95']})" in focal_row
    assert "generic assumptions" in plain(page) and "Proxy: DTI digital-government pillar" in plain(page)


def test_waterfall_section_follows_the_settings(explorer):
    section = explorer.section(planner.WaterfallSection)
    planner.settle(explorer)
    before = section.sentence.value
    explorer.set_levers({"simplification": 0.9, "delegation": 0.9})
    planner.settle(explorer)
    d = decompose.decompose(explorer.state(), by_lever=False)
    assert plain(section.sentence.value).endswith(plain(waterfall.sentence(d, "en")))
    assert section.sentence.value != before
    assert section.bars.value.count("<tr>") == 12  # score and rank: start, four parts, end
    assert "Your levers" in plain(section.bars.value)


def test_lever_context_gains_costs_and_reset(explorer):
    rows = {r["lever"]: r for r in planner.marginal_gains(explorer.state())}
    assert rows["simplification"]["par"] > 0 and rows["simplification"]["room"] == pytest.approx(0.1)
    assert rows["online_fee_waiver"]["room"] == 0  # today's zero fee is the maximum
    planner.settle(explorer)
    text = plain(explorer.section(planner.LeverContextSection).table.value)
    assert "already at its maximum" in text
    assert "implementation cost: unknown" in text and "fees forgone" in text
    today = explorer.state().current()["delegation"].value
    explorer.set_levers({"delegation": 0.8})
    assert explorer.lever_values()["delegation"] == pytest.approx(0.8)
    explorer.section(planner.LeverContextSection).resets["delegation"].click()
    assert explorer.lever_values()["delegation"] == pytest.approx(today)
    assert explorer.sliders["delegation"].value == pytest.approx(100 * today)


def test_background_sections_show_only_the_newest_settings(explorer):
    for value in (0.5, 0.6, 0.7, 0.8):  # renders queued faster than they are drawn
        explorer.set_levers({"simplification": value})
    planner.settle(explorer)
    d = decompose.decompose(explorer.state(), by_lever=False)
    assert plain(explorer.section(planner.WaterfallSection).sentence.value).endswith(plain(waterfall.sentence(d, "en")))


def test_goal_seek_finds_a_mix_or_says_why_not(explorer):
    goal = explorer.section(planner.GoalSeekSection)
    goal.request(rank=10, prob=0.6, year=2028, wait=True)
    answer = plain(goal.answer.value)
    assert goal.busy.value == ""
    assert goal.solution is not None, answer
    assert goal.solution.reachable and "simulated futures" in answer
    assert "PAR top 10 in 2028" in answer
    goal.request(rank=1, prob=0.99, year=2026, wait=True)
    answer = plain(goal.answer.value)
    assert not goal.solution.reachable
    assert answer.startswith("Out of reach, because") and "simulated futures" in answer


def test_a_new_goal_seek_cancels_the_old(explorer):
    stop = threading.Event()
    stop.set()
    with pytest.raises(planner.Cancelled):
        planner.goal_seek(explorer.state(), 3, 0.8, 2027, DRAWS, stop)
    goal = explorer.section(planner.GoalSeekSection)
    first = goal.request(rank=1, prob=0.99, year=2030)
    assert "Searching" in plain(goal.busy.value)
    second = goal.request(rank=10, prob=0.6, year=2028)
    first.join()
    second.join()
    assert goal.solution.target.par_rank == 10 and goal.solution.target.year == 2028
    assert "PAR top 10 in 2028" in plain(goal.answer.value)


def test_bad_goal_is_explained(explorer):
    goal = explorer.section(planner.GoalSeekSection)
    goal.request(rank=3, prob=0.8, year=2099, wait=True)
    assert "goal-error" in goal.answer.value and "Traceback" not in goal.answer.value


def test_excel_download(explorer):
    from openpyxl import load_workbook

    content = explorer.section(planner.DownloadSection).make("xlsx")
    wb = load_workbook(io.BytesIO(content), read_only=True)
    assert wb.sheetnames[:2] == ["Read me", "Key figures"] and "Cost and top 3" in wb.sheetnames
    assert 'download="results.xlsx"' in explorer.section(planner.DownloadSection).status.value


@pytest.mark.browser
def test_onepager_download(explorer):
    from browser_support import require_browser
    from pypdf import PdfReader

    require_browser()
    content = explorer.section(planner.DownloadSection).make("pdf")
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    assert 'download="onepager.pdf"' in explorer.section(planner.DownloadSection).status.value


def test_labels_follow_the_language(explorer):
    explorer.set(lang="vi")
    planner.settle(explorer)
    assert "Cần làm gì" in explorer.section(planner.GoalSeekSection).heading.value
    assert explorer.section(planner.LeverContextSection).resets["simplification"].description.startswith("Về mức")
    assert levers.get("simplification").label_vi in explorer.section(planner.LeverContextSection).table.value


def test_panel_headline_and_comparison_in_plain_words(explorer):
    explorer.set_levers({"simplification": 0.9, "delegation": 0.9})
    head = plain(explorer.headline.value)
    assert head.count(f"of {DRAWS} simulated futures") == 3
    cells = re.findall(r'class="difference-par-rank">(.*?)</td>', explorer.comparison.value)
    assert cells and re.search(r"up|down|no change", cells[0]) and not re.search(r"[+−-]\d", cells[0])


def _places(phrase: str) -> float:
    """'up 2 places' → −2, 'down 1.5 places' → 1.5, 'no change in rank' → 0 (a change of rank number)."""
    if phrase.strip().startswith("no change"):
        return 0.0
    word, number = re.match(r"\s*(up|down) ([\d.]+) place", phrase).groups()
    return (-1 if word == "up" else 1) * float(number)


@pytest.mark.parametrize("metric", ["par_rank", "sipas_rank"])
def test_the_rank_change_shown_is_the_engines_paired_change(explorer, metric):
    """The comparison's rank difference (median, then the band from the best to the worst case)
    is what two runs of the engine give, draw by draw, at the target year."""
    import numpy as np

    from simlib.analysis.compare import baseline_of
    from simlib.engine import simulate

    explorer.set_levers({"simplification": 0.9, "delegation": 0.9})
    s = explorer.state()
    now, before = simulate.run(s), simulate.run(baseline_of(s))
    k = list(now.years).index(s.target_year)
    d = now.arrays[metric][:, k] - before.arrays[metric][:, k]
    p05, p50, p95 = np.percentile(d, [5, 50, 95])
    cell = re.search(rf'class="difference-{metric.replace("_", "-")}">(.*?)</td>', explorer.comparison.value).group(1)
    median, band = re.match(r"(.*?) <small>\((.*)\)</small>", cell).groups()
    shown = [_places(median)] + [_places(x) for x in band.split("…")]
    assert shown == pytest.approx([p50, p95, p05], abs=0.05), (cell, p05, p50, p95)
    assert p50 < 0, "levers at 90% should move the unit up"
