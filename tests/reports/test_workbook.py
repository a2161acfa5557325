"""The Excel workbook is memo-ready in both languages: opened as a reader would (openpyxl), its headers are
words, units are names, statuses are translated, numbers are numbers with formats, the header row is frozen,
columns are sized, and a read-me sheet says what each sheet is and where the data come from."""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook

from simlib.analysis import compare, costing, league
from simlib.engine import data
from simlib.engine.scenario import Scenario
from simlib.engine.simulate import run_many
from simlib.reports import excel, text

DRAWS = 300
CODE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")  # a code header such as unit_slug or score_p05


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The workbook of a scenario with counts, a name and a two-line description, in both languages."""
    s = Scenario.from_dict(
        {
            "name": "nhanh",
            "title": "Đơn giản hóa thêm 139 TTHC",
            "description": "Thêm 139 TTHC đến 2027\nGiữ miễn phí trực tuyến",
            "levers": {"simplification": {"count": 350}},
            "draws": DRAWS,
        }
    )
    result, baseline = run_many([s, compare.baseline_of(s)])
    folder = tmp_path_factory.mktemp("book")
    paths = {}
    for lang in ("vi", "en"):
        paths[lang] = excel.write(
            result, folder / f"{lang}.xlsx", baseline, league.league(s), lang, frontier=costing.frontier(s)
        )
    return s, result, baseline, paths


def sheet_rows(ws) -> list[list]:
    return [[c for c in row] for row in ws.iter_rows()]


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def column(ws, name: str) -> list:
    """The cells of the column headed ``name``, below the header."""
    j = header(ws).index(name)
    return [row[j] for row in ws.iter_rows(min_row=2)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_sheet_reads_without_reformatting(book, lang):
    _s, _result, _baseline, paths = book
    wb = load_workbook(paths[lang])
    assert wb.sheetnames == excel.sheet_names(lang)
    for ws in wb.worksheets:
        heads = header(ws)
        assert all(isinstance(h, str) and h and not CODE.match(h) for h in heads), (ws.title, heads)
        assert ws.freeze_panes == "A2", ws.title
        assert all(c.font.bold for c in ws[1])
        for j in range(1, len(heads) + 1):
            width = ws.column_dimensions[ws.cell(1, j).column_letter].width
            assert width and excel.MIN_WIDTH <= width <= excel.MAX_WIDTH + 2, (ws.title, j)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float):  # a number never shows 14 decimals: it has a format
                    assert cell.number_format != "General" or ws.title == excel.sheet_name("assumptions", lang)
                assert not (isinstance(cell.value, str) and re.fullmatch(r"−?\d+([.,]\d+)?%?", cell.value)), (
                    ws.title,
                    cell.coordinate,
                    cell.value,
                )


def test_formats_by_kind_of_number_in_both_languages(book):
    _s, result, _baseline, paths = book
    for lang, words in (("vi", ("Thứ hạng (trung vị)", "Khả năng top 3", "Điểm (trung vị)")), ("en", None)):
        wb = load_workbook(paths[lang])
        ws = wb[excel.sheet_name("league", lang)]
        rank, p3, score = words or ("Rank (median)", "Chance of top 3", "Score (median)")
        assert {c.number_format for c in column(ws, rank)} == {"0"}
        assert all(isinstance(c.value, int) for c in column(ws, rank))
        assert {c.number_format for c in column(ws, p3)} == {"0.0%"}
        assert all(0 <= c.value <= 1 for c in column(ws, p3))  # stored 0–1, shown in %
        assert {c.number_format for c in column(ws, score)} == {"0.00"}
        key = wb[excel.sheet_name("key", lang)]
        formats = {row[1].value: row[5].number_format for row in key.iter_rows(min_row=2)}
        label = "Xác suất PAR trong top 3" if lang == "vi" else "Probability PAR in the top 3"
        assert formats[label] == "0.0%"
        assert formats["Xếp hạng PAR Index" if lang == "vi" else "PAR Index rank"] == "0"
        assert formats["Điểm PAR Index (/100)" if lang == "vi" else "PAR Index score (of 100)"] == "0.00"


def test_units_are_names_and_statuses_are_words(book):
    _s, _result, _baseline, paths = book
    names = {row["name_vi"] for row in data.load().units.values()}
    slugs = set(data.load().units)
    for lang in ("vi", "en"):
        ws = load_workbook(paths[lang])[excel.sheet_name("league", lang)]
        shown = [c.value for c in column(ws, header(ws)[0])]
        assert len(shown) == 34 and set(shown) <= names and not set(shown) & slugs
        status = [c.value for c in column(ws, header(ws)[9])]
        if lang == "vi":
            assert not {"published", "reconstructed", "partly published"} & set(status)
        in_view = [c.value for c in column(ws, header(ws)[-1])]
        assert in_view.count("có" if lang == "vi" else "yes") == 1
        focal_row = in_view.index("có" if lang == "vi" else "yes") + 2
        assert ws.cell(focal_row, 1).value == "Hà Nội" and ws.cell(focal_row, 1).fill.fgColor.rgb.endswith("FDE8C8")


def test_levers_are_counts_beside_shares(book):
    _s, _result, _baseline, paths = book
    ws = load_workbook(paths["vi"])[excel.sheet_name("levers", "vi")]
    simp = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2))]
    heads = header(ws)
    row = dict(zip(heads, simp))
    assert row["Tổng số TTHC"] == 708 and row["Hiện tại (số TTHC)"] == 211 and row["Mục tiêu (số TTHC)"] == 350
    assert row["Hiện tại (%)"] == pytest.approx(0.298) and row["Mục tiêu (%)"] == pytest.approx(350 / 708)
    assert ws.cell(2, heads.index("Mục tiêu (%)") + 1).number_format == "0.0%"
    online = dict(zip(heads, [c.value for c in next(ws.iter_rows(min_row=5, max_row=5))]))
    assert online["Tổng số TTHC"] is None and online["Hiện tại (%)"] == pytest.approx(0.687)


def test_a_unit_without_totals_has_shares_only(tmp_path):
    s = Scenario.from_dict({"focal": "can-tho", "draws": 50, "levers": {"simplification": 0.6}})
    sheet = excel.lever_sheet(s, "en")
    assert not any("procedures" in h for h in sheet.headers), sheet.headers
    assert len(sheet.formats) == len(sheet.headers) == len(sheet.rows[0]) and sheet.wrap == {len(sheet.headers) - 1}
    row = dict(zip(sheet.headers, sheet.rows[0]))
    assert row["Target (%)"] == 0.6 and sheet.headers[-1] == "Source"


def test_read_me_says_what_each_sheet_is_with_the_scenario_and_the_memo_paragraph(book):
    s, result, baseline, paths = book
    for lang in ("vi", "en"):
        wb = load_workbook(paths[lang])
        ws = wb[excel.sheet_names(lang)[0]]
        rows = {r[0].value: r[1].value for r in ws.iter_rows(min_row=2)}
        assert s.heading(lang) in rows.values() and s.summary(lang) in rows.values()
        assert text.memo_paragraph(result, baseline, lang) in rows.values()
        for name in wb.sheetnames[1:]:
            assert any(name in str(k) for k in rows), name
        assert any("data/" in str(v) for v in rows.values())


def test_no_text_becomes_a_formula_and_no_character_is_refused(tmp_path):
    name = '=HYPERLINK("http://example.org","x")'
    s = Scenario.from_dict({"name": name, "description": "+SUM(A1)", "draws": 50})
    result, baseline = run_many([s, compare.baseline_of(s)])
    path = excel.write(result, tmp_path / "r.xlsx", baseline, None, "en")
    with zipfile.ZipFile(path) as book:
        sheets = [book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in x for x in sheets)
    ws = load_workbook(path)["Read me"]
    cells = {r[0].value: r[1] for r in ws.iter_rows(min_row=2)}
    assert cells["Scenario"].value == name and cells["Scenario"].data_type == "s" and cells["Scenario"].quotePrefix
    assert cells["Description"].value == "+SUM(A1)" and cells["Description"].quotePrefix
    assert excel._safe("a\x00b\x1bc") == "abc"  # the last guard (scenario texts are refused before)
