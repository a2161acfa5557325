"""A new year's table as a planner types or pastes it: awkward but valid tables are read right, and bad
ones are refused with every problem named at once (file, row, column, value, what is allowed)."""

from __future__ import annotations

import io
import zipfile

import pytest
from newyear_support import fabricated, write_csv, write_xlsx

from simlib.engine import data, resulttable, tablefile, unitnames
from simlib.engine.errors import InputError


def problems(path, index="PAR", year=2025, partial=False) -> list[str]:
    with pytest.raises(InputError) as exc:
        resulttable.read(path, index, year, partial)
    return [str(i) for i in exc.value.issues]


def one(path, text, **kw) -> str:
    found = problems(path, **kw)
    hits = [p for p in found if text in p]
    assert hits, f"no problem mentions {text!r}: {found}"
    return hits[0]


# ----------------------------------------------------------------------------- read right


def test_a_whole_table_reads_every_unit_with_its_score_and_rank(tmp_path):
    rows = fabricated(2025, "PAR")
    t = resulttable.read(write_csv(tmp_path / "par.csv", rows), "PAR", 2025)
    assert len(t.rows) == 34 and not t.partial and t.n_field == 34
    by_slug = {r.slug: r for r in t.rows}
    assert set(by_slug) == set(data.load().units)
    name, score, rank = rows[0]
    first = next(r for r in t.rows if r.name == name)
    assert (first.score, first.rank) == (score, rank)
    assert len(t.sha256) == 64


def test_bom_crlf_semicolons_decimal_commas_percent_title_and_average_rows(tmp_path):
    """Excel's CSV in a Vietnamese locale: byte-order mark, CRLF, ';' between cells, '92,57%', a title above
    the header, the national average below the units."""
    rows = [(f"Tỉnh {n}", f"{s:.2f}".replace(".", ",") + "%", r) for n, s, r in fabricated(2025, "SIPAS")]
    path = tmp_path / "sipas.csv"
    lines = ["KẾT QUẢ CHỈ SỐ SIPAS NĂM 2025", "STT;Tỉnh/thành phố;Chỉ số hài lòng (%);Xếp hạng"]
    lines += [f"{i};{n};{s};{r}" for i, (n, s, r) in enumerate(rows, start=1)]
    lines.append("Trung bình cả nước;;84,50%;")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    t = resulttable.read(path, "SIPAS", 2025)
    assert len(t.rows) == 34 and t.average == 84.5
    assert {r.score for r in t.rows} == {s for _, s, _ in fabricated(2025, "SIPAS")}
    assert ("title_rows", {"n": 1, "row": 2}) in t.notes


def test_utf16_tab_separated_as_excel_unicode_text(tmp_path):
    rows = fabricated(2025, "PAR")
    t = resulttable.read(write_csv(tmp_path / "par.txt", rows, sep="\t", encoding="utf-16"), "PAR", 2025)
    assert len(t.rows) == 34


def test_names_without_diacritics_and_with_prefixes_match(tmp_path):
    match = unitnames.for_year(2025)
    for written, slug in [
        ("Thành phố Hà Nội", "ha-noi"),
        ("TP. Hồ Chí Minh", "ho-chi-minh"),
        ("TP.HCM", "ho-chi-minh"),
        ("Tinh Bac Ninh", "bac-ninh"),
        ("tỉnh đắk lắk", "dak-lak"),
        ("Thanh Hoá", "thanh-hoa"),
        ("Thừa Thiên Huế", "hue"),
        ("  Quảng\u00a0Ninh ", "quang-ninh"),
    ]:
        assert match.slug(written) == slug, written
    assert unitnames.for_year(2024).slug("Huế") == "thua-thien-hue"
    # no two units of a field share a key: a name without diacritics is never ambiguous
    for year in (2024, 2025):
        rows = data.load().units_in(year)
        keys = [unitnames.key(unitnames.for_year(year).names[s]) for s in rows]
        assert len(set(keys)) == len(keys)


def test_an_xlsx_with_a_merged_title_row_and_percent_cells(tmp_path):
    rows = fabricated(2025, "SIPAS")
    path = write_xlsx(tmp_path / "sipas.xlsx", rows, title="KẾT QUẢ SIPAS 2025", percent=True)
    t = resulttable.read(path, "SIPAS", 2025)
    assert len(t.rows) == 34
    assert sorted(r.score for r in t.rows) == sorted(s for _, s, _ in rows)


def test_ties_share_a_rank_and_skip_the_next(tmp_path):
    rows = fabricated(2025, "PAR")
    (n4, s4, _), (n5, _, _) = rows[3], rows[4]
    rows[3], rows[4] = (n4, s4, 4), (n5, s4, 4)  # a tie at 4: next is 6
    t = resulttable.read(write_csv(tmp_path / "tie.csv", rows), "PAR", 2025)
    assert t.ties == 1 and [r.rank for r in t.rows][:6] == [1, 2, 3, 4, 4, 6]


def test_a_partial_table_lists_only_some_units(tmp_path):
    t = resulttable.read(write_csv(tmp_path / "top10.csv", fabricated(2025, "PAR", n=10)), "PAR", 2025, partial=True)
    assert t.partial and len(t.rows) == 10 and ("partial", {"n": 10, "total": 34}) in t.notes


def test_a_2024_table_is_matched_to_the_63_provinces(tmp_path):
    t = resulttable.read(write_csv(tmp_path / "par2024.csv", fabricated(2024, "PAR")), "PAR", 2024)
    assert len(t.rows) == 63 and t.n_field == 63


# ----------------------------------------------------------------------------- refused, every problem named


def test_a_missing_unit(tmp_path):
    rows = fabricated(2025)
    gone = rows.pop(7)[0]
    text = one(write_csv(tmp_path / "t.csv", rows), "units of the 2025 field; missing")
    assert gone in text and "--partial" in text


def test_a_duplicate_unit(tmp_path):
    rows = fabricated(2025)
    rows[5] = ("Hà Nội", rows[5][1], rows[5][2]) if rows[5][0] != "Hà Nội" else ("Huế", rows[5][1], rows[5][2])
    text = one(write_csv(tmp_path / "t.csv", rows), "each unit once")
    assert "row" in text


def test_an_unknown_name_with_the_nearest_suggested(tmp_path):
    rows = fabricated(2025)
    i = next(i for i, r in enumerate(rows) if r[0] == "Hà Nội")
    rows[i] = ("Hà Nộii", rows[i][1], rows[i][2])
    assert "nearest: Hà Nội" in one(write_csv(tmp_path / "t.csv", rows), "Hà Nộii")


def test_63_units_given_for_2025(tmp_path):
    found = problems(write_csv(tmp_path / "t.csv", fabricated(2024)))
    assert any("at most the 34 units of the 2025 field" in p for p in found)
    assert any("merged into" in p for p in found)  # e.g. Bắc Giang → Bắc Ninh


def test_a_province_merged_in_2025_named_in_a_2025_table(tmp_path):
    rows = fabricated(2025)
    rows[0] = ("Bắc Giang", rows[0][1], rows[0][2])
    assert "merged into Bắc Ninh on 1/7/2025" in one(write_csv(tmp_path / "t.csv", rows), "Bắc Giang")


def test_a_rank_that_contradicts_the_scores(tmp_path):
    rows = fabricated(2025)
    (a, sa, ra), (b, sb, rb) = rows[2], rows[9]
    rows[2], rows[9] = (a, sa, rb), (b, sb, ra)
    one(write_csv(tmp_path / "t.csv", rows), "a rank worse than")


def test_a_mix_of_decimal_commas_and_points(tmp_path):
    rows = [
        (n, f"{s:.2f}".replace(".", ",") if i % 3 else f"{s:.2f}", r) for i, (n, s, r) in enumerate(fabricated(2025))
    ]
    path = tmp_path / "t.csv"
    path.write_text("unit;score;rank\n" + "\n".join(f"{n};{s};{r}" for n, s, r in rows) + "\n", encoding="utf-8")
    one(path, "one decimal mark throughout the column")


def test_an_empty_file(tmp_path):
    (tmp_path / "t.csv").write_bytes(b"")
    one(tmp_path / "t.csv", "an empty file")
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    one(tmp_path / "bom.csv", "an empty file")


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "t.csv"
    with path.open("wb") as f:
        f.write(b"unit,score,rank\n")
        f.write(b"x" * (tablefile.MAX_FILE_BYTES + 1))
    one(path, "bytes")


def test_too_many_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("unit,score,rank\n" + "Hà Nội,90,1\n" * (tablefile.MAX_ROWS + 5), encoding="utf-8")
    one(path, "rows")


def test_no_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("\n".join(f"{n},{s},{r}" for n, s, r in fabricated(2025)) + "\n", encoding="utf-8")
    one(path, "no header row")


def test_a_missing_rank_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Tỉnh,Điểm\n" + "\n".join(f"{n},{s}" for n, s, _ in fabricated(2025)) + "\n", encoding="utf-8")
    one(path, "a column named rank")


def test_two_score_columns_with_the_same_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "unit,Điểm,Điểm,rank\n" + "\n".join(f"{n},{s},{s},{r}" for n, s, r in fabricated(2025)) + "\n", encoding="utf-8"
    )
    one(path, "one score column")


def test_a_score_out_of_range_and_a_word_for_a_score(tmp_path):
    rows = fabricated(2025)
    rows[0] = (rows[0][0], 150.0, rows[0][2])
    rows[1] = (rows[1][0], "n/a", rows[1][2])
    found = problems(write_csv(tmp_path / "t.csv", rows))
    assert any("a score from 40 to 100" in p for p in found)
    assert any("'n/a'" in p and "a number such as 92.57" in p for p in found)


def test_shares_instead_of_percentages(tmp_path):
    rows = [(n, round(s / 100, 4), r) for n, s, r in fabricated(2025, "SIPAS")]
    found = problems(write_csv(tmp_path / "t.csv", rows), index="SIPAS")
    assert any("percentages" in p or "a score from 40" in p for p in found)


def test_a_rank_beyond_the_field(tmp_path):
    rows = fabricated(2025)
    rows[-1] = (rows[-1][0], rows[-1][1], 35)
    one(write_csv(tmp_path / "t.csv", rows), "a whole number from 1 to 34")


def test_a_tie_with_different_scores(tmp_path):
    rows = fabricated(2025)
    rows[4] = (rows[4][0], rows[4][1], 4)  # shares rank 4 with a better score
    found = problems(write_csv(tmp_path / "t.csv", rows))
    assert any("shares rank 4" in p or "a rank worse than" in p for p in found)


def test_a_tie_that_does_not_skip_the_next_rank(tmp_path):
    rows = fabricated(2025)
    (n4, s4, _), (n5, _, _) = rows[3], rows[4]
    rows[3], rows[4] = (n4, s4, 4), (n5, s4, 4)
    rows = rows[:5] + [(n, s, r - 1) for n, s, r in rows[5:]]  # 4, 4, 5 … 33: the tie should skip 5
    one(write_csv(tmp_path / "t.csv", rows), "ranks that run from 1 to 34, a tie sharing one rank")


def test_an_old_xls_workbook(tmp_path):
    (tmp_path / "t.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    one(tmp_path / "t.xls", "an old Excel .xls workbook")


def test_a_file_that_is_not_utf8(tmp_path):
    rows = fabricated(2025)
    path = tmp_path / "t.csv"
    path.write_bytes(
        ("unit,score,rank\n" + "\n".join(f"{n},{s},{r}" for n, s, r in rows)).encode("utf-8").replace(b"\xe1", b"\xff")
    )
    one(path, "not UTF-8")


def test_a_zip_that_unpacks_to_too_much(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (tablefile.MAX_UNPACKED_BYTES + 1))
    (tmp_path / "bomb.xlsx").write_bytes(buf.getvalue())
    one(tmp_path / "bomb.xlsx", "unpacks to")


def test_a_zip_that_is_not_a_workbook(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    (tmp_path / "t.xlsx").write_bytes(buf.getvalue())
    one(tmp_path / "t.xlsx", "not a workbook")


def test_a_control_character_in_a_name(tmp_path):
    rows = fabricated(2025)
    rows[3] = ("Hà Nội\x1b[2J", rows[3][1], rows[3][2])
    one(write_csv(tmp_path / "t.csv", rows), "no control")


def test_a_date_where_excel_turned_a_score_into_one(tmp_path):
    import datetime

    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "t.xlsx", fabricated(2025))
    wb = load_workbook(path)
    wb.active.cell(2, 2, datetime.date(2025, 9, 12))
    wb.save(path)
    one(path, "turned this number into a date")


def test_an_empty_score_in_a_whole_table(tmp_path):
    rows = fabricated(2025)
    rows[6] = (rows[6][0], None, rows[6][2])
    one(write_csv(tmp_path / "t.csv", rows), "every unit of a whole table has one")


def test_every_problem_is_reported_at_once(tmp_path):
    rows = fabricated(2025)
    rows[0] = ("Hà Nộii", rows[0][1], rows[0][2])
    rows[1] = (rows[1][0], 150.0, rows[1][2])
    rows[2] = (rows[2][0], rows[2][1], 99)
    found = problems(write_csv(tmp_path / "t.csv", rows))
    assert len(found) >= 3
    assert any("Hà Nộii" in p for p in found) and any("150" in p for p in found) and any("99" in p for p in found)


def test_a_file_name_with_a_control_character_is_shown_harmless(tmp_path):
    path = write_csv(tmp_path / "bad\x1bname.csv", fabricated(2025, n=3))
    found = problems(path)
    assert found and all("\x1b" not in p for p in found)


def test_a_workbook_formatted_far_below_its_table_is_read_to_the_table_s_end(tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "t.xlsx", fabricated(2025), title="KẾT QUẢ 2025")
    wb = load_workbook(path)
    wb.active.cell(5000, 3).number_format = "0.00"  # an empty but formatted cell far below
    wb.active.merge_cells("E1:F9000")  # and a merged range running down the sheet
    wb.save(path)
    assert len(resulttable.read(path, "PAR", 2025).rows) == 34


def test_a_workbook_with_too_many_filled_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["unit", "score", "rank"])
    for _ in range(tablefile.MAX_ROWS + 10):
        wb.active.append(["Hà Nội", 90, 1])
    wb.save(tmp_path / "t.xlsx")
    one(tmp_path / "t.xlsx", "too large")
