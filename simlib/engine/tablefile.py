"""A table file as a planner saves it, read as rows of cells within limits: a CSV (UTF-8 with or without
a byte-order mark, or UTF-16 as Excel's "Unicode text"; comma, semicolon or tab separated, the one its
first lines use) or an XLSX workbook (merged cells filled from their top-left cell; cells formatted as %
read as percentages; dates kept as dates). Limits (``MAX_FILE_BYTES``, ``MAX_ROWS``, ``MAX_COLUMNS``,
``MAX_UNPACKED_BYTES``) refuse a huge or hostile file before it is parsed. What the header and the rows
mean is ``resulttable``'s business.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, Issue, short

MAX_FILE_BYTES = 2_000_000  # a table of 34 or 63 units is a few kB; a formatted workbook some 100 kB
MAX_UNPACKED_BYTES = 40_000_000  # an XLSX is a zip: what it may unpack to (a "zip bomb" is refused)
MAX_ROWS = 1_000  # rows of the sheet or file, header and notes included
MAX_COLUMNS = 60
HEADER_ROWS = 20  # the header is looked for in this many first rows (title rows above it)


def plain(text: str) -> str:
    """Letters and digits only, lower case, no diacritics: 'Tỉnh/thành phố' → 'tinhthanhpho'."""
    text = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^0-9a-z]+", "", "".join(ch for ch in text if not unicodedata.combining(ch)).lower())


@dataclass
class Cell:
    text: str  # as shown (numbers as Python writes them)
    number: float | None = None  # a number cell of a workbook (×100 when formatted as %)
    is_date: bool = False


class Reader:
    """Cells of the file as rows of ``Cell`` (CSV or XLSX), with where each came from."""

    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name
        self.sheet: str | None = None
        self.notes: list[tuple[str, dict]] = []

    def where(self, line: int, column: str | None = None) -> str:
        sheet = f" sheet {short(self.sheet, 40)}" if self.sheet else ""
        col = f" column {short(column, 40)}" if column is not None else ""
        return f"{self.name}{sheet} row {line}{col}"


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    raise InputError(
        Issue(name, "a file that is not UTF-8 text", "a CSV saved as UTF-8 (Excel: “CSV UTF-8”) or an XLSX workbook"),
        context=name,
    )


def csv_rows(raw: bytes, reader: Reader) -> list[list[Cell]]:
    text = _decode(raw, reader.name)
    if "\x00" in text:
        raise InputError(
            Issue(reader.name, "a binary file", "a CSV text file or an XLSX workbook"), context=reader.name
        )
    lines = text.splitlines()
    sample = "\n".join(lines[:HEADER_ROWS])
    delimiter = max(
        (",", ";", "\t"), key=lambda d: sum(line.count(d) > 0 for line in sample.splitlines()) * 1000 + sample.count(d)
    )
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(Issue(reader.name, f"unreadable CSV ({exc})", "a CSV table"), context=reader.name) from None
    return [[Cell(c) for c in row] for row in rows]


def xlsx_rows(
    raw: bytes, reader: Reader, preferred: tuple[str, ...], has_header: Callable[[list[list[Cell]]], bool]
) -> list[list[Cell]]:
    """The rows of the workbook's table: the first sheet within the limits whose rows ``has_header``,
    sheets whose plain title holds one of the ``preferred`` words looked at first (a note says which
    sheet was read when there are several); the first sheet's rows when none has a header."""
    import datetime
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise InputError(
            Issue(reader.name, "a damaged XLSX file", "an XLSX workbook or a CSV file"), context=reader.name
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            Issue(
                reader.name, f"a workbook that unpacks to {unpacked:,} bytes", f"at most {MAX_UNPACKED_BYTES:,} bytes"
            ),
            context=reader.name,
        )
    if "xl/workbook.xml" not in names:
        raise InputError(
            Issue(reader.name, "a zip file that is not a workbook", "an XLSX workbook"), context=reader.name
        )
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # noqa: BLE001 - any reading failure is the file's problem, reported
        raise InputError(
            Issue(
                reader.name, f"unreadable XLSX ({type(exc).__name__})", "an XLSX workbook saved by Excel or LibreOffice"
            ),
            context=reader.name,
        ) from None
    sheets = list(book.worksheets)
    sheets.sort(key=lambda ws: not any(w in plain(ws.title) for w in preferred))  # the index's own sheet first
    chosen, big = None, []
    for ws in sheets:
        extent = _extent(ws)
        if extent[0] > MAX_ROWS or extent[1] > MAX_COLUMNS:
            big.append(ws.title)
            continue
        rows = _sheet_cells(ws, extent, datetime)
        if has_header(rows):
            chosen = (ws, rows)
            break
    if chosen is None:
        if big:
            raise InputError(
                Issue(
                    reader.name,
                    f"sheet(s) {', '.join(short(t, 30) for t in big)} too large",
                    f"at most {MAX_ROWS} rows and {MAX_COLUMNS} columns",
                ),
                context=reader.name,
            )
        return _sheet_cells(sheets[0], _extent(sheets[0]), datetime) if sheets else []
    ws, rows = chosen
    if len(book.worksheets) > 1:
        reader.sheet = ws.title
        reader.notes.append(("sheet", {"sheet": ws.title, "n": len(book.worksheets)}))
    return rows


def _extent(ws) -> tuple[int, int]:
    """(last row, last column) of the sheet that hold a value: a sheet formatted far below or beside its
    table is read to the table's end (counting stops once it is past the limits)."""
    if ws.max_row <= MAX_ROWS and ws.max_column <= MAX_COLUMNS:
        return ws.max_row, ws.max_column
    last_row = last_col = 0
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        for c, v in enumerate(row, start=1):
            if v is not None and str(v).strip():
                last_row, last_col = r, max(last_col, c)
        if last_row > MAX_ROWS or last_col > MAX_COLUMNS:
            break
    return last_row, last_col


def _sheet_cells(ws, extent: tuple[int, int], datetime) -> list[list[Cell]]:
    n_rows, n_cols = extent
    if not n_rows or not n_cols:
        return []
    values = [list(row) for row in ws.iter_rows(max_row=n_rows, max_col=n_cols)]
    filled: dict[tuple[int, int], Any] = {}  # openpyxl's cells (untyped)
    for rng in ws.merged_cells.ranges:  # a merged cell reads as its top-left value in every cell it covers
        top = ws.cell(rng.min_row, rng.min_col)
        for r in range(rng.min_row, min(rng.max_row, n_rows) + 1):
            for c in range(rng.min_col, min(rng.max_col, n_cols) + 1):
                filled[(r, c)] = top
    out = []
    for r, row in enumerate(values, start=1):
        cells = []
        for c, cell in enumerate(row, start=1):
            src = filled.get((r, c), cell)
            v = src.value
            if v is None:
                cells.append(Cell(""))
            elif isinstance(v, bool):
                cells.append(Cell(str(v)))
            elif isinstance(v, (int, float)):
                x = float(v) * (100.0 if "%" in str(src.number_format or "") else 1.0)
                cells.append(Cell(f"{x:g}", number=round(x, 6)))
            elif isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
                cells.append(Cell(str(v), is_date=True))
            else:
                cells.append(Cell(str(v)))
        out.append(cells)
    return out
