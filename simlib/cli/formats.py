"""Write rows of dicts as an aligned table, CSV or JSON (the CLI's three formats).

The table is for a reader: its numbers are written in the reader's language (``lang``: 89,6 in
Vietnamese) and its headers may be words (``headers``); CSV and JSON are for machines: the column
names and plain numbers, whatever the language."""

from __future__ import annotations

import json
import math

from ..engine import csvfile
from ..engine.safetext import printable

FORMATS = ("table", "csv", "json")


def _cell(value, digits: int, lang: str = "en") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        from ..reports.numbers import localise

        text = f"{value:.{digits}f}"
        return localise(text, lang) if lang == "vi" else text
    return printable(str(value))


def render(
    rows: list[dict],
    columns: list[str],
    fmt: str = "table",
    digits: int = 3,
    lang: str = "en",
    headers: list[str] | None = None,
) -> str:
    """``rows`` (dicts) by ``columns`` in ``fmt``; ``lang`` and ``headers`` (the table's column titles, in
    the order of ``columns``) apply to the table only."""
    if fmt == "json":
        clean = [
            {c: (None if isinstance(r.get(c), float) and math.isnan(r[c]) else r.get(c)) for c in columns} for r in rows
        ]
        return json.dumps(clean, ensure_ascii=False, indent=1)
    if fmt == "csv":  # the one CSV writer: a text cell never runs as a spreadsheet formula
        return csvfile.text(columns, rows, number=lambda x: f"{x:.{digits}f}").rstrip("\n")
    titles = [printable(h) for h in (headers or columns)]
    cells = [[_cell(r.get(c), digits, lang) for c in columns] for r in rows]
    widths = [max([len(t)] + [len(row[i]) for row in cells]) for i, t in enumerate(titles)]
    line = lambda vals: "  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in enumerate(zip(vals, widths)))
    return "\n".join([line(titles), line(["-" * w for w in widths])] + [line(row) for row in cells])
