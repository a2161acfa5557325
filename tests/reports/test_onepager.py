"""The leader's one-pager (reports.onepager) and the Excel export (reports.excel)."""

from __future__ import annotations

import html

import pytest

from simlib.analysis import compare, decompose, league
from simlib.engine.scenario import Scenario
from simlib.engine.simulate import run_many
from simlib.reports import excel, onepager, text
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
    city = onepager.city_cost_line(result, base, "en")  # one-off raises priced with the unit costs, and the fees
    assert city.startswith("Cost to the city 2025–2027") and "range" in city and city in html.unescape(page)
    assert text.memo_paragraph(result, base, "en") in html.unescape(page)
    # counts beside shares where Hà Nội has a total: 70% of 708 = 496 procedures
    assert "Procedures simplified 211 → 496 of 708 TTHC (30% → 70%)" in onepager.levers_line(s, "en")
    assert "Full-process online handling 69%" in onepager.levers_line(s, "en")
    # the default focal unit (Hà Nội) was published at the origin: the page gives that case's coverage
    from simlib.reports import evaluation

    assert s.focal == "ha-noi"
    line = evaluation.track_record_for(s, "en")
    assert line == evaluation.track_record("en", unit="ha-noi", years_ahead=s.target_year - s.baseline_year)
    assert "For provinces published in the year the forecast starts from" in line and line in html.unescape(page)


LONG_TITLE = "Đơn giản hóa thêm 139 TTHC đến năm 2027 và giữ miễn phí trực tuyến cho mọi hồ sơ của người dân Hà Nội"


@pytest.fixture(scope="module")
def wordy():
    """A scenario with a 110-character title and a 2,000-character description on two lines."""
    s = Scenario.from_dict(
        {
            "title": LONG_TITLE,
            "description": ("Thêm 139 TTHC được đơn giản hóa và ủy quyền thêm 300 TTHC. " * 40)[:1990] + "\nHai.",
            "draws": DRAWS,
            "levers": {"simplification": {"count": 350}, "delegation": {"count": 956}, "full_process_online": 0.8},
        }
    )
    result, base = run_many([s, compare.baseline_of(s)])
    return s, result, base


def test_the_description_is_shown_shortened_and_escaped(wordy):
    s, result, base = wordy
    page = onepager.html_page(result, base, None, "vi")
    assert html.escape(LONG_TITLE) in page
    shown = page.split('<div class="desc">')[1].split("</div>")[0]
    assert shown.endswith("…") and len(html.unescape(shown)) == onepager.MAX_DESCRIPTION_SHOWN


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("which", ["pair", "wordy"])
def test_pdf_is_one_page_with_the_headline_numbers(request, which, tmp_path, lang):
    from browser_support import require_browser
    from pypdf import PdfReader

    require_browser()
    s, result, base = request.getfixturevalue(which)
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


def test_workbook_has_its_sheets_in_the_readers_language(pair, tmp_path):
    from openpyxl import load_workbook

    s, result, base = pair
    path = excel.write(result, tmp_path / "r.xlsx", base, league.league(s), "vi")
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == [
        "Đọc trước",
        "Số liệu chính",
        "Đòn bẩy",
        "Kết quả theo năm",
        "Bảng xếp hạng",
        "Chi phí",
        "Đơn giá",
        "Giả định",
    ]
    yearly = [list(r) for r in wb["Kết quả theo năm"].iter_rows(values_only=True)]
    assert yearly[0] == ["Năm", "Chỉ tiêu", "Đơn vị tính", "Trung bình", "Trung vị", "Thấp (5%)", "Cao (95%)"]
    assert len(yearly) - 1 == len(result.rows())
    key = [list(r) for r in wb["Số liệu chính"].iter_rows(values_only=True)]
    top3 = next(r for r in key if r[1] == "Xác suất PAR trong top 3")
    assert top3[3] == "ước lượng" and top3[5] == pytest.approx(float(result.probability("p_par_top3")[2]))
    assert "tương lai mô phỏng" in top3[8]
    fees = next(r for r in key if r[1].startswith("Phí, lệ phí"))
    assert fees[3] == "trung bình" and fees[5] == pytest.approx(float(result.arrays["fee_forgone_bn_vnd"][:, 2].mean()))
    assumptions = [list(r) for r in wb["Giả định"].iter_rows(values_only=True)]
    assert any(r[2] and "giả định" in str(r[2]) for r in assumptions)
    wb.close()
