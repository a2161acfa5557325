"""The one CSV writer of every CSV a user may open in a spreadsheet (results.csv, summary.csv, grid.csv,
league.csv, sensitivity.csv, tradeoff.csv, evaluation_summary.csv, ``--format csv``; in the user data
folder, each added year's table and a frozen forecast's forecast.csv and quantiles.csv).

A text cell a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``-2``, ``@SUM``, or one
starting with a tab or carriage return) gets a leading apostrophe, so it shows as the text it is; a
line break inside a text becomes a space (one row per line, whatever reads the file). Numbers stay
numbers (a negative number is not text), written by ``number``; None and NaN are empty cells.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell that no spreadsheet runs as a formula (a leading apostrophe before ``FORMULA_STARTS``),
    on one line; anything but a text is returned as it is (a negative number stays a number)."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell(value, number: Callable[[float], str] = repr) -> str:
    """One cell as written: a safe text, a number by ``number``, '' for None or NaN."""
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        return "" if math.isnan(x) else number(x)
    return spreadsheet_safe(str(value))


def text(
    columns: Sequence[str],
    rows: Iterable[Mapping | Sequence],
    number: Callable[[float], str] = repr,
) -> str:
    """The CSV text (``\\n`` line ends): the header, then one line per row (a mapping read by
    ``columns``, or a sequence in their order)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([spreadsheet_safe(str(c)) for c in columns])
    for row in rows:
        values = [row.get(c) for c in columns] if isinstance(row, Mapping) else row
        writer.writerow([cell(v, number) for v in values])
    return buf.getvalue()


def write(
    path,
    columns: Sequence[str],
    rows: Iterable[Mapping | Sequence],
    number: Callable[[float], str] = repr,
) -> Path:
    """Write ``text(columns, rows, number)`` to ``path`` atomically (UTF-8)."""
    from . import atomic

    atomic.write_text(path, text(columns, rows, number))
    return Path(path)
