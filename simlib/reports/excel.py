"""The results as an Excel workbook (openpyxl): key figures, yearly results, league table, assumptions.

The yearly-results sheet holds exactly the rows and columns of ``results.csv``
(``scenario, year, metric, mean, p05, p50, p95``, numbers as numbers), so the two read back equal.
Sheet names and headers are in the report's language; the workbook is written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import atomic, outcomes
from ..engine.result import COLUMNS
from .i18n import say
from .plainwords import futures
from .text import field_assumption

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

_STAT_WORD = {"p50": "median", "mean": "mean"}
SHEETS = ("sheet_key", "sheet_yearly", "sheet_league", "sheet_assumptions")
MAX_SHEET_NAME = 31  # Excel's limit


def sheet_names(lang: str = "vi") -> list[str]:
    return [say(f"planner.{key}", lang)[:MAX_SHEET_NAME] for key in SHEETS]


def key_rows(result, baseline=None, lang: str = "vi") -> tuple[list[str], list[list]]:
    """Headline figures in the target year: each declared outcome, today's policies and the scenario, with
    the statistic shown named on each row (the median; the mean for the fees forgone, ``analysis.fees``;
    the estimate for a probability)."""
    from ..analysis import fees

    year = int(result.scenario.target_year)
    head = [
        say("year", lang),
        say("planner.indicator", lang),
        say("unit", lang),
        say("planner.statistic", lang),
        say("baseline", lang),
        say("scenario", lang),
        say("p05", lang),
        say("p95", lang),
        say("planner.in_words", lang),
    ]
    base = {(r["metric"]): r for r in baseline.rows() if r["year"] == year} if baseline is not None else {}
    rows = []
    for r in result.rows():
        if r["year"] != year or r["metric"] == "n_units":
            continue
        o = outcomes.get(r["metric"])
        note = futures(r["p50"], result.draws, lang) if o.kind == "probability" else ""
        b = base.get(r["metric"])
        stat = fees.STATISTIC if o.name == fees.METRIC else "p50"
        stat_word = say("planner.estimate", lang) if o.kind == "probability" else say(_STAT_WORD[stat], lang)
        rows.append(
            [
                year,
                o.label(lang),
                o.unit_label(lang),
                stat_word,
                None if b is None else b[stat],
                r[stat],
                r["p05"],
                r["p95"],
                note,
            ]
        )
    rows.append(
        [
            year,
            say("n_units", lang),
            "",
            "",
            None,
            float(result.n_units[list(result.years).index(year)]),
            None,
            None,
            "",
        ]
    )
    return head, rows


def yearly_rows(result) -> tuple[list[str], list[list]]:
    """The rows results.csv holds: scenario, year, metric, mean, p05, p50, p95."""
    return ["scenario", *COLUMNS], [[result.scenario.name] + [r[c] for c in COLUMNS] for r in result.rows()]


def read_results_csv(path) -> tuple[list[str], list[list]]:
    """A written results.csv as typed rows (year an int, statistics floats), to copy into the workbook
    digit for digit."""
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [[r[0], int(r[1]), r[2], *map(float, r[3:])] for r in rows[1:]]


def league_rows(table) -> tuple[list[str], list[list]]:
    """The league table's CSV columns (``analysis.league.COLUMNS``) plus the labelled proxies."""
    from ..analysis import league

    rows, columns = league.rows_with_proxies(table)
    return columns, [[r.get(c) for c in columns] for r in rows]


def assumption_rows(scenario: Scenario, lang: str = "vi") -> tuple[list[str], list[list]]:
    """The lever plan, the field assumption, the effect-size caveat and every model parameter."""
    from . import tables

    plan = tables.lever_plan(scenario, lang)
    params = tables.parameters(lang)
    width = max(len(plan.columns), len(params.columns))
    pad = lambda row: list(row) + [None] * (width - len(row))
    rows = [pad(plan.columns)] + [pad(r) for r in plan.itertuples(index=False)]
    rows += [pad([]), pad([field_assumption(scenario, lang)]), pad([say("planner.effects_assumed", lang)]), pad([])]
    rows += [pad(params.columns)] + [pad(r) for r in params.itertuples(index=False)]
    return [say("planner.sheet_assumptions", lang)] + [None] * (width - 1), rows


def workbook(result, baseline=None, table=None, lang: str = "vi", results_csv=None):
    """An openpyxl Workbook with the four sheets (league table sheet empty but for a note if ``table`` is None).

    ``results_csv``: a results.csv already written for this result; the yearly sheet then copies it,
    so the two files agree to the last digit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    names = sheet_names(lang)
    parts = [
        key_rows(result, baseline, lang),
        read_results_csv(results_csv) if results_csv else yearly_rows(result),
        league_rows(table) if table is not None else ([say("planner.sheet_league", lang)], []),
        assumption_rows(result.scenario, lang),
    ]
    for i, (name, (head, rows)) in enumerate(zip(names, parts)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        ws.append(list(head))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_plain(v) for v in row])
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":  # a text such as a scenario named "=HYPERLINK(…)": text, never a formula
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
    if table is not None:
        ws = wb[names[2]]
        focal_col = list(parts[2][0]).index("focal") + 1
        fill = PatternFill("solid", fgColor="FDE8C8")
        for row in ws.iter_rows(min_row=2):
            if row[focal_col - 1].value == 1:
                for cell in row:
                    cell.fill = fill
                    cell.font = Font(bold=True)
    return wb


def _plain(value):
    """Cells take plain Python values: numpy numbers become floats/ints, NaN an empty cell; a text loses any
    control character or lone surrogate (validated inputs hold none; a workbook that refuses one would
    be silently missing)."""
    import math

    from ..engine.safetext import bad_character

    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if not isinstance(value, (int, float, str)):
        value = str(value)
    if isinstance(value, str) and bad_character(value, multiline=True) is not None:
        value = "".join(ch for ch in value if bad_character(ch, multiline=True) is None)
    return value


def write(result, path, baseline=None, table=None, lang: str = "vi", results_csv=None) -> Path:
    """Write the workbook to ``path`` (.xlsx) atomically."""
    path = Path(path)
    wb = workbook(result, baseline, table, lang, results_csv)
    atomic.write_with(path, lambda tmp: wb.save(tmp), suffix=".xlsx")
    return path


def read_yearly(path, lang: str = "vi") -> list[list]:
    """The yearly-results sheet of a written workbook, header first (to check it against results.csv)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    ws = wb[sheet_names(lang)[1]]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows
