"""The leader's one-pager (reports.onepager) and the Excel export (reports.excel)."""

from __future__ import annotations

import html

import pytest

from simlib.analysis import compare, decompose, league
from simlib.engine.scenario import Scenario
from simlib.engine.simulate import run_many
from simlib.reports import excel, onepager
from simlib.runs import leaders

DRAWS = 200


@pytest.fixture(scope="module")
def pair():
    s = Scenario.from_dict(
        {"name": "<script>alert(1)</script> & co", "draws": DRAWS, "levers": {"simplification": 0.7, "delegation": 0.6}}
    )
    result, base = run_many([s, compare.baseline_of(s)])
    return s, result, base


def test_page_has_big_numbers_first_and_escapes_the_name(pair):
    s, result, base = pair
    page = onepager.html_page(result, base, decompose.decompose(s), "en")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    numbers = onepager.headline_numbers(result, base, "en")
    assert numbers[0]["label"] == "Chance of PAR top 3 in 2027"
    first_card = page.index('class="card"')
    for key in ("Fees forgone in 2027", "How good the model has been", "What is assumed"):
        assert page.index(key) > first_card
    assert f"of {DRAWS} simulated futures" in numbers[0]["note"]
    assert "bn VND per year" in onepager.cost_line(result, base, "en")
    assert "unknown" in onepager.cost_line(result, base, "en")  # implementation cost: no data, no made-up figure
    assert "Procedures simplified" in onepager.levers_line(s, "en") and "→ 70%" in onepager.levers_line(s, "en")
    # the default focal unit (Hà Nội) was published at the origin: the page gives that case's coverage
    from simlib.reports import evaluation

    assert s.focal == "ha-noi"
    line = evaluation.track_record_for(s, "en")
    assert line == evaluation.track_record("en", unit="ha-noi", years_ahead=s.target_year - s.baseline_year)
    assert "For provinces published in the year the forecast starts from" in line and line in html.unescape(page)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_pdf_is_one_page_with_the_headline_numbers(pair, tmp_path, lang):
    from browser_support import require_browser
    from pypdf import PdfReader

    require_browser()
    s, result, base = pair
    paths = onepager.write(result, base, tmp_path, lang)
    reader = PdfReader(paths["pdf"])
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for n in onepager.headline_numbers(result, base, lang):
        assert n["label"] in text and f"{n['before']} → {n['after']}" in text
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_missing_chromium_is_reported_not_raised_by_a_report(pair, tmp_path, monkeypatch):
    s, result, base = pair
    monkeypatch.setattr(onepager, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(onepager.shutil, "which", lambda name: None)
    with pytest.raises(onepager.PdfError, match="install_browser.sh"):
        onepager.to_pdf("<p>x</p>", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    status = leaders.leader_files(s, tmp_path, "vi")
    assert status["results.xlsx"] == "ok" and status["onepager.pdf"].startswith("failed: PdfError")


def test_workbook_has_the_four_sheets(pair, tmp_path):
    from openpyxl import load_workbook

    s, result, base = pair
    path = excel.write(result, tmp_path / "r.xlsx", base, league.league(s), "vi")
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["Số liệu chính", "Kết quả theo năm", "Bảng xếp hạng", "Giả định"]
    yearly = [list(r) for r in wb["Kết quả theo năm"].iter_rows(values_only=True)]
    assert yearly[0] == ["scenario", "year", "metric", "mean", "p05", "p50", "p95"]
    assert len(yearly) - 1 == len(result.rows())
    key = [list(r) for r in wb["Số liệu chính"].iter_rows(values_only=True)]
    top3 = next(r for r in key if r[1] == "Xác suất PAR trong top 3")
    assert top3[3] == "Ước lượng" and top3[5] == pytest.approx(float(result.probability("p_par_top3")[2]))
    assert "tương lai mô phỏng" in top3[8]
    fee = next(r for r in key if r[1].startswith("Phí, lệ phí miễn giảm"))
    assert fee[3] == "Trung bình" and fee[5] == pytest.approx(float(result.arrays["fee_forgone_bn_vnd"][:, 2].mean()))
    assumptions = [list(r) for r in wb["Giả định"].iter_rows(values_only=True)]
    assert any(r[0] and "giả định" in str(r[0]) for r in assumptions)
    wb.close()
