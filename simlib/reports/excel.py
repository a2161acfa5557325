"""The results as a memo-ready Excel workbook (openpyxl), in the reader's language.

Sheets: read me (what each sheet is, where the data come from, the scenario's name and description, the
summary paragraph), key figures, levers (counts beside shares), yearly results, league table, cost,
cost vs top 3 (the frontier), unit costs, assumptions. Headers are words in the reader's language, units
are named, statuses translated; every number is stored as a number with a format (scores 2 decimals,
probabilities as %, ranks whole), a band is two columns named for their end (Low (5%), High (95%)); the
header row is frozen and the columns sized. Every text cell goes through ``_safe`` (no formula, no
character a workbook refuses; a text starting like a formula, by ``csvfile.FORMULA_STARTS``, stored as
a text). The yearly sheet holds the rows of ``results.csv`` in its order, the same
numbers (copied from the file when given); the workbook is written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.fees import METRIC as FEE_METRIC
from ..analysis.fees import STATISTIC as FEE_STATISTIC
from ..engine import atomic, levers, outcomes, params
from ..engine.csvfile import FORMULA_STARTS
from ..engine.result import COLUMNS
from ..engine.safetext import bad_character
from .i18n import say
from .plainwords import futures
from .text import date_text, field_assumption, unit_name

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

MAX_SHEET_NAME = 31  # Excel's limit
SCORE, PERCENT, WHOLE, ONE_DECIMAL, TEXT = "0.00", "0.0%", "0", "0.0", "@"
BN = "#,##0.0"  # bn VND
COUNT = "#,##0"
HEADER_FILL, FOCAL_FILL = "DCE6F1", "FDE8C8"
MAX_WIDTH, MIN_WIDTH = 60, 8


@dataclass
class Sheet:
    """One sheet: its name, headers, rows of values and the number format of each column (``formats``;
    a row may override a cell's format with ``cell_formats[(row, column)]``)."""

    key: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    formats: list[str | None] = field(default_factory=list)
    cell_formats: dict = field(default_factory=dict)
    highlight: set = field(default_factory=set)  # row indices (0-based) drawn in the focal colour
    wrap: set = field(default_factory=set)  # columns (0-based) whose long text wraps


def sheet_name(key: str, lang: str) -> str:
    return say(f"workbook.sheet_{key}", lang)[:MAX_SHEET_NAME]


SHEETS = ("readme", "key", "levers", "yearly", "league", "cost", "frontier", "unit_costs", "assumptions")


def sheet_names(lang: str = "vi") -> list[str]:
    return [sheet_name(key, lang) for key in SHEETS]


def number_format(outcome, stat: str = "p50") -> str:
    """A declared outcome's number format: probabilities and shares in %, ranks whole (a mean to one decimal),
    the fees forgone in bn VND to one decimal, scores to two decimals."""
    if outcome.kind == "probability" or outcome.percent:
        return PERCENT
    if outcome.kind in ("rank", "count"):
        return ONE_DECIMAL if stat == "mean" else WHOLE
    if outcome.name == "fee_forgone_bn_vnd":
        return BN
    return SCORE


def _w(key: str, lang: str, **fields) -> str:
    return say(f"workbook.{key}", lang, **fields)


# ---------------------------------------------------------------- the sheets


def key_sheet(result, baseline=None, lang: str = "vi") -> Sheet:
    """The target year's figures: each declared outcome for today's policies and the scenario, the statistic
    named on each row (the median; the mean for the fees forgone; the estimate for a probability), and the
    scenario's 5–95% band."""
    year = int(result.scenario.target_year)
    sheet = Sheet(
        "key",
        [
            _w("year", lang),
            _w("indicator", lang),
            _w("unit", lang),
            _w("statistic", lang),
            _w("today_value", lang),
            _w("scenario_value", lang),
            _w("low", lang),
            _w("high", lang),
            _w("in_words", lang),
        ],
        formats=[WHOLE, None, None, None, None, None, None, None, None],
        wrap={8},
    )
    base = {r["metric"]: r for r in baseline.rows() if r["year"] == year} if baseline is not None else {}
    for r in result.rows():
        if r["year"] != year or r["metric"] == "n_units":
            continue
        o = outcomes.get(r["metric"])
        note = futures(r["p50"], result.draws, lang) if o.kind == "probability" else ""
        stat = FEE_STATISTIC if o.name == FEE_METRIC else "p50"  # the fees forgone: their one statistic
        word = _w("estimate", lang) if o.kind == "probability" else _w("mean" if stat == "mean" else "median", lang)
        b = base.get(r["metric"])
        row = [year, o.label(lang), o.unit_label(lang), word.lower(), None if b is None else b[stat], r[stat]]
        i = len(sheet.rows)
        for col in range(4, 8):
            sheet.cell_formats[(i, col)] = number_format(o, stat)
        sheet.rows.append([*row, r["p05"], r["p95"], note])
    k = list(result.years).index(year)
    sheet.rows.append([year, say("n_units", lang), "", "", None, int(result.n_units[k]), None, None, ""])
    sheet.cell_formats[(len(sheet.rows) - 1, 5)] = WHOLE
    return sheet


def lever_sheet(scenario: Scenario, lang: str = "vi") -> Sheet:
    """Each lever: today's value and the target (counts where the unit has a total, and shares in %), the
    year it is reached, its value in every projected year (%), and the source of today's value. A unit
    with no total for any lever has no count columns."""
    years = [int(y) for y in scenario.years]
    sheet = Sheet(
        "levers",
        [
            _w("lever", lang),
            _w("what_it_is", lang),
            _w("total", lang),
            _w("today_count", lang),
            _w("today_share", lang),
            _w("today_year", lang),
            _w("target_count", lang),
            _w("target_share", lang),
            _w("by_year", lang),
            *[_w("in_year", lang, year=y) for y in years],
            _w("source", lang),
        ],
        formats=[None, None, COUNT, COUNT, PERCENT, WHOLE, COUNT, PERCENT, WHOLE, *[PERCENT] * len(years), None],
        wrap={9 + len(years)},
    )
    current, paths = scenario.current(), scenario.lever_paths()
    for j, lever in enumerate(levers.registry()):
        plan = scenario.levers.get(lever.name)
        total = levers.total(lever.name, scenario.focal)
        count = lambda share, total=total: None if total is None or share is None else round(total.count(share))
        if plan is None:
            target, by = None, None
        elif plan.path:
            by, target = plan.path[-1]
        else:
            target, by = plan.target, plan.year
        now = current[lever.name]
        sheet.rows.append(
            [
                lever.label(lang),
                lever.unit_label(lang),
                None if total is None else total.total,
                count(now.value),
                now.value,
                now.year,
                count(target),
                target,
                by,
                *[float(paths[k, j]) for k in range(len(years))],
                now.source_in(lang),
            ]
        )
    if all(row[2] is None for row in sheet.rows):  # a unit without totals: shares only, no empty count columns
        keep = [i for i in range(len(sheet.headers)) if i not in (2, 3, 6)]
        sheet.headers = [sheet.headers[i] for i in keep]
        sheet.formats = [sheet.formats[i] for i in keep]
        sheet.rows = [[row[i] for i in keep] for row in sheet.rows]
        sheet.wrap = {len(keep) - 1}
    return sheet


def yearly_sheet(result, lang: str = "vi", csv_rows: list[list] | None = None) -> Sheet:
    """Every row of ``results.csv`` in its order (year, indicator, unit, mean, median, low, high), the
    numbers of ``csv_rows`` (the file read back) when given, each row in its outcome's format."""
    sheet = Sheet(
        "yearly",
        [
            _w("year", lang),
            _w("indicator", lang),
            _w("unit", lang),
            _w("mean", lang),
            _w("median", lang),
            _w("low", lang),
            _w("high", lang),
        ],
        formats=[WHOLE, None, None, None, None, None, None],
    )
    rows = (
        csv_rows if csv_rows is not None else [[result.scenario.name] + [r[c] for c in COLUMNS] for r in result.rows()]
    )
    for _, year, metric, mean, p05, p50, p95 in rows:
        o = outcomes.get(metric)
        i = len(sheet.rows)
        for col, stat in zip(range(3, 7), ("mean", "p50", "p05", "p95")):
            sheet.cell_formats[(i, col)] = number_format(o, stat)
        sheet.rows.append([int(year), o.label(lang), o.unit_label(lang), mean, p50, p05, p95])
    return sheet


def league_sheet(table, lang: str = "vi") -> Sheet:
    """Every unit by name, best median rank first: score and rank (median and the band's two ends), the
    chances of top 3 and top 10, the status of its figure, its published score, the labelled proxies."""
    from ..analysis.league import proxies
    from .leaguetable import _name

    proxy_list = proxies(table)
    sheet = Sheet(
        "league",
        [
            _w("unit_name", lang),
            _w("score_median", lang),
            _w("score_low", lang),
            _w("score_high", lang),
            _w("rank_median", lang),
            _w("rank_best", lang),
            _w("rank_worst", lang),
            _w("p_top3", lang),
            _w("p_top10", lang),
            _w("status", lang, year=table.status_year),
            _w("published_score", lang, year=table.status_year),
            *[say("planner.proxy", lang, name=say(f"planner.cov_{p.name}", lang), year=p.year) for p in proxy_list],
            _w("in_view", lang),
        ],
        formats=[None, SCORE, SCORE, SCORE, WHOLE, WHOLE, WHOLE, PERCENT, PERCENT, None, SCORE]
        + [SCORE] * len(proxy_list)
        + [None],
    )
    for r in table.rows():
        if r["focal"]:
            sheet.highlight.add(len(sheet.rows))
        sheet.rows.append(
            [
                _name(r["unit_slug"], table.year),
                r["score_p50"],
                r["score_p05"],
                r["score_p95"],
                r["rank_p50"],
                r["rank_p05"],
                r["rank_p95"],
                r["p_top3"],
                r["p_top10"],
                say(f"planner.{r['status']}", lang),
                r["published_score"],
                *[p.values.get(r["unit_slug"]) for p in proxy_list],
                _w("yes", lang) if r["focal"] else "",
            ]
        )
    return sheet


def cost_sheet(cost: dict, focal: str, lang: str = "vi") -> Sheet:
    """The scenario's cost to the city (``analysis.costing.scenario_cost``): one-off, extra fees, total."""
    from .costing_report import unknown_why

    unit = _w("bn_vnd_years", lang, first=cost["first_year"], year=cost["year"])
    sheet = Sheet(
        "cost",
        [
            _w("cost_item", lang),
            _w("cost_low", lang),
            _w("cost_central", lang),
            _w("cost_high", lang),
            _w("cost_unit", lang),
            _w("cost_note", lang),
        ],
        formats=[None, BN, BN, BN, None, None],
        wrap={5},
    )
    one_off = cost["one_off"] if cost["known"] else (None, None, None)
    note = (
        _w("one_off_note", lang)
        if cost["known"]
        else _w("cost_unknown_row", lang, why=unknown_why(cost["unknown"], lang))
    )
    sheet.rows.append([_w("one_off", lang), *one_off, unit, note])
    sheet.rows.append([_w("fees_extra", lang), *cost["fees"], unit, _w("fees_note", lang)])
    total = cost["total"] or (None, None, None)
    sheet.rows.append([_w("cost_total", lang), *total, unit, _w("total_note", lang) if cost["known"] else ""])
    return sheet


def frontier_sheet(f, lang: str = "vi") -> Sheet:
    """The frontier's mixes, cheapest first: cost (low, central, high) or effort, the chance of top 3 with its
    90% Monte-Carlo interval, and each lever's setting (a count where the unit has a total, else a share)."""
    names = list(f.names)
    setting_headers, setting_formats = [], []
    for name in names:
        lever = levers.get(name)
        counted = f.totals.get(name) is not None
        setting_headers.append(f"{lever.label(lang)} ({lever.count_word(lang) if counted else '%'})")
        setting_formats.append(COUNT if counted else PERCENT)
    measure = (
        [
            say("costs.col_cost", lang) + " — " + _w("cost_low", lang),
            say("costs.col_cost", lang),
            say("costs.col_cost", lang) + " — " + _w("cost_high", lang),
        ]
        if f.measure == "cost"
        else [say("costs.col_effort", lang)]
    )
    sheet = Sheet(
        "frontier",
        [*measure, say("costs.col_p", lang), _w("low", lang), _w("high", lang), *setting_headers],
        formats=[BN] * len(measure) + [PERCENT, PERCENT, PERCENT] + setting_formats,
    )
    for r in f.rows():
        values = list(r["cost"]) if f.measure == "cost" else [r["effort"]]
        settings = [s["count"] if s["count"] is not None else s["share"] for s in (r["settings"][n] for n in names)]
        if r["today"]:
            sheet.highlight.add(len(sheet.rows))
        sheet.rows.append([*values, r["p"], r["p_lo"], r["p_hi"], *settings])
    return sheet


def unit_cost_sheet(scenario: Scenario, lang: str = "vi") -> Sheet:
    """Every unit cost (with the scenario's own figures): lever, item, who pays, per, low, central, high,
    basis, source or reason."""
    from ..engine import costs

    sheet = Sheet(
        "unit_costs",
        [
            _w("lever", lang),
            say("costs.col_item", lang),
            say("costs.col_payer", lang),
            say("costs.col_per", lang),
            _w("cost_low", lang),
            _w("cost_central", lang),
            _w("cost_high", lang),
            _w("basis", lang),
            _w("source", lang),
        ],
        formats=[None, None, None, None, None, None, None, None, None],
        wrap={8},
    )
    for c in costs.with_overrides(scenario.costs):
        small = c.central is not None and c.central < 10 and c.amount_unit != "staff_days"
        for col in (4, 5, 6):
            sheet.cell_formats[(len(sheet.rows), col)] = "#,##0.00" if small else COUNT
        sheet.rows.append(
            [
                say("costs.all_levers", lang) if c.lever == "*" else levers.get(c.lever).label(lang),
                say(f"costs.item_{c.item}", lang),
                say(f"costs.payer_{c.payer}", lang),
                f"{say(f'costs.amount_{c.amount_unit}', lang)} / {say(f'costs.per_{c.per}', lang)}",
                c.low,
                c.central,
                c.high,
                say(f"costs.basis_{c.basis}", lang),
                c.source_in(lang),
            ]
        )
    return sheet


def assumption_sheet(scenario: Scenario, lang: str = "vi") -> Sheet:
    """What the other units do, the effect sizes' caveat, and every model parameter (numbers as numbers)."""
    from . import tables
    from .i18n import known, param_unit

    sheet = Sheet(
        "assumptions",
        [
            _w("parameter", lang),
            _w("group", lang),
            _w("meaning", lang),
            _w("distribution", lang),
            _w("p1", lang),
            _w("p2", lang),
            _w("prior", lang),
            _w("unit", lang),
            _w("basis", lang),
            _w("source", lang),
        ],
        formats=[None, None, None, None, "General", "General", None, None, None, None],
        wrap={2, 9},
    )
    sheet.rows.append([_w("field_row", lang), "", field_assumption(scenario, lang), *[None] * 7])
    sheet.rows.append([_w("effects_row", lang), "", say("planner.effects_assumed", lang), *[None] * 7])
    for r in params.table():
        group = say(f"group_{r['group']}", lang) if known(f"group_{r['group']}") else r["group"]
        sheet.rows.append(
            [
                r[f"label_{lang}"],
                group,
                r["meaning_vi" if lang == "vi" else "meaning"],
                _w(f"dist_{r['dist']}", lang),
                r["p1"],
                r["p2"],
                "" if r["dist"] == "fixed" else tables.prior_text(r, lang),  # a fixed value: the number alone
                param_unit(r["unit"], lang),
                say(f"basis_{r['basis']}", lang),
                r["source_vi" if lang == "vi" else "source"],
            ]
        )
    return sheet


def readme_sheet(result, baseline, lang: str, present: list[str]) -> Sheet:
    """What each sheet is, where the data come from, the scenario's name and description, and the summary
    paragraph a memo can take as it is."""
    from .text import memo_paragraph

    s = result.scenario
    sheet = Sheet("readme", [_w("readme_field", lang), _w("readme_value", lang)], formats=[None, None], wrap={1})
    sheet.rows += [
        [_w("readme_scenario", lang), s.heading(lang)],
        [_w("readme_description", lang), s.summary(lang)],
        [_w("readme_unit", lang), unit_name(s.focal)],
        [_w("readme_year", lang), int(s.target_year)],
        [_w("readme_made", lang), date_text(lang=lang)],
        [_w("readme_draws", lang), f"{s.draws}, {s.seed}"],
        [_w("readme_summary", lang), memo_paragraph(result, baseline, lang) if baseline is not None else ""],
    ]
    for key in present:
        if key != "readme":
            sheet.rows.append([_w("readme_sheet", lang, sheet=sheet_name(key, lang)), _w(f"what_{key}", lang)])
    sheet.rows.append([_w("readme_sources", lang), _w("readme_sources_text", lang)])
    sheet.rows.append([_w("readme_numbers", lang), _w("readme_numbers_text", lang)])
    sheet.cell_formats[(3, 1)] = WHOLE
    return sheet


# ---------------------------------------------------------------- writing


def read_results_csv(path) -> list[list]:
    """A written results.csv's rows as typed values (year an int, statistics floats), header left out, to
    copy its numbers into the workbook digit for digit."""
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return [[r[0], int(r[1]), r[2], *map(float, r[3:])] for r in rows[1:]]


def sheets(result, baseline=None, table=None, lang: str = "vi", results_csv=None, frontier=None) -> list[Sheet]:
    """The workbook's sheets, in order (the league table, cost and frontier sheets only when given)."""
    from ..analysis import costing

    s = result.scenario
    out = [
        key_sheet(result, baseline, lang),
        lever_sheet(s, lang),
        yearly_sheet(result, lang, read_results_csv(results_csv) if results_csv else None),
    ]
    if table is not None:
        out.append(league_sheet(table, lang))
    if baseline is not None:
        out.append(cost_sheet(costing.scenario_cost(result, baseline), s.focal, lang))
    if frontier is not None:
        out.append(frontier_sheet(frontier, lang))
    out += [unit_cost_sheet(s, lang), assumption_sheet(s, lang)]
    return [readme_sheet(result, baseline, lang, ["readme", *(x.key for x in out)]), *out]


def _safe(value):
    """A cell's value: numpy numbers as Python numbers, NaN empty, and a text made inert — characters a
    workbook refuses dropped (scenario texts are checked before; this is the last guard) and a text that
    would start a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM``) kept as text."""
    import math

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if bad_character(text, multiline=True) is not None:  # a lone surrogate, a direction override, …
        text = "".join(ch for ch in text if bad_character(ch, multiline=True) is None)
    return text


def workbook(result, baseline=None, table=None, lang: str = "vi", results_csv=None, frontier=None):
    """An openpyxl Workbook of ``sheets``: bold shaded header row, frozen; columns sized to their text;
    number formats per column (or cell); the focal unit's rows shaded."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold, header_fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    focal_fill = PatternFill("solid", fgColor=FOCAL_FILL)
    for n, sheet in enumerate(sheets(result, baseline, table, lang, results_csv, frontier)):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = sheet_name(sheet.key, lang)
        ws.append([_safe(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(str(h)) for h in sheet.headers]
        for i, row in enumerate(sheet.rows):
            ws.append([_safe(v) for v in row])
            for j, cell in enumerate(ws[ws.max_row]):
                if isinstance(cell.value, str):
                    if cell.data_type == "f" or cell.value.startswith(FORMULA_STARTS):
                        cell.data_type = "s"  # a text, never a formula
                        cell.quotePrefix = True
                    widths[j] = max(widths[j], min(len(cell.value), MAX_WIDTH))
                else:
                    fmt = sheet.cell_formats.get((i, j)) or (sheet.formats[j] if j < len(sheet.formats) else None)
                    if cell.value is not None and fmt:
                        cell.number_format = fmt
                    widths[j] = max(widths[j], 10)
                if j in sheet.wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if i in sheet.highlight:
                    cell.fill, cell.font = focal_fill, bold
        ws.freeze_panes = "A2"
        for j, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = max(MIN_WIDTH, min(width + 2, MAX_WIDTH))
    return wb


def write(result, path, baseline=None, table=None, lang: str = "vi", results_csv=None, frontier=None) -> Path:
    """Write the workbook to ``path`` (.xlsx) atomically."""
    path = Path(path)
    wb = workbook(result, baseline, table, lang, results_csv, frontier)
    atomic.write_with(path, lambda tmp: wb.save(tmp), suffix=".xlsx")
    return path


def read_yearly(path, lang: str = "vi") -> list[list]:
    """The yearly-results sheet of a written workbook, header first (to check it against results.csv)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    ws = wb[sheet_name("yearly", lang)]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows
