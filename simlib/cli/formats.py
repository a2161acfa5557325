"""Write rows of dicts as an aligned table, CSV or JSON (the CLI's three formats)."""

from __future__ import annotations

import json
import math

from ..engine import csvfile

FORMATS = ("table", "csv", "json")


def _cell(value, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def render(rows: list[dict], columns: list[str], fmt: str = "table", digits: int = 3) -> str:
    if fmt == "json":
        clean = [
            {c: (None if isinstance(r.get(c), float) and math.isnan(r[c]) else r.get(c)) for c in columns} for r in rows
        ]
        return json.dumps(clean, ensure_ascii=False, indent=1)
    if fmt == "csv":  # the one CSV writer: a text cell never runs as a spreadsheet formula
        return csvfile.text(columns, rows, number=lambda x: f"{x:.{digits}f}").rstrip("\n")
    cells = [[_cell(r.get(c), digits) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = lambda vals: "  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in enumerate(zip(vals, widths)))
    return "\n".join([line(columns), line(["-" * w for w in widths])] + [line(row) for row in cells])
