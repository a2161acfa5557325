"""Tables of a new year's results, fabricated by the tests (never shipped: data/ holds only published figures)."""

from __future__ import annotations

import random
from pathlib import Path

from simlib.engine import data

HEADER = ("unit", "score", "rank")


def fabricated(
    year: int = 2025, index: str = "PAR", seed: int = 1, n: int | None = None
) -> list[tuple[str, float, int]]:
    """(name, score, rank) of every unit of ``year``'s field (or its first ``n`` by rank): invented scores
    (PAR 84–96 points, SIPAS 78–92%), two decimals, ranks by score (no ties)."""
    ds = data.load()
    rows = ds.units if year >= data.MERGER_YEAR else ds.provinces
    rng = random.Random(f"{index}-{year}-{seed}")
    lo, hi = (84.0, 96.0) if index == "PAR" else (78.0, 92.0)
    scores = {}
    for slug in rows:
        s = round(rng.uniform(lo, hi), 2)
        while s in scores.values():
            s = round(s + 0.01, 2)
        scores[slug] = s
    order = sorted(scores, key=lambda s: -scores[s])
    out = [(rows[s]["name_vi"], scores[s], i + 1) for i, s in enumerate(order)]
    return out[:n] if n else out


def write_csv(
    path: Path,
    rows,
    header=HEADER,
    sep: str = ",",
    decimal: str = ".",
    encoding: str = "utf-8",
    newline: str = "\n",
    before: str = "",
    after: str = "",
) -> Path:
    """A CSV of ``rows`` as a planner would save it (``before``/``after``: title and footer lines)."""
    lines = ([before] if before else []) + [sep.join(header)]
    for name, score, rank in rows:
        cell = (
            "" if score is None else (f"{score:.2f}".replace(".", decimal) if isinstance(score, float) else str(score))
        )
        if sep == "," and "," in cell:
            cell = f'"{cell}"'
        lines.append(sep.join([name, cell, "" if rank is None else str(rank)]))
    if after:
        lines.append(after)
    path = Path(path)
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def write_xlsx(
    path: Path, rows, title: str | None = None, percent: bool = False, header=("Tỉnh/thành phố", "Điểm", "Xếp hạng")
) -> Path:
    """An XLSX of ``rows``: an optional title row merged across the columns, scores optionally as
    %-formatted fractions (as Excel stores 86.5% typed into a cell)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    r = 1
    if title:
        ws.cell(1, 1, title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
        r = 3
    for j, h in enumerate(header, start=1):
        ws.cell(r, j, h)
    for i, (name, score, rank) in enumerate(rows, start=r + 1):
        ws.cell(i, 1, name)
        c = ws.cell(i, 2, score / 100 if percent and score is not None else score)
        if percent:
            c.number_format = "0.00%"
        ws.cell(i, 3, rank)
    wb.save(path)
    return Path(path)
