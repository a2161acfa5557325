"""The lever explorer's HTML pieces: headline, comparison table, messages (no widgets here).

Each number sits in a span or cell with a stable class (e.g. ``par-rank-median``), so tests
and the browser find it; every text is escaped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..analysis import fees
from ..reports.i18n import say
from ..reports.plainwords import futures, places_moved
from ..reports.text import fee_number, fee_text, num, rank_band, signed
from .formatting import format_probability, format_rank, format_score, unit_name

if TYPE_CHECKING:
    from .state import Outcome

SHOWN_TARGETS = ("p_par_top3", "p_par_top10", "p_sipas_ge_86")


def escape_text(text: object) -> str:
    """Text (or a number, an error: its ``str``) for an HTML element's content (quotes left readable)."""
    return html.escape(str(text), quote=False)


def _span(cls: str, text: str) -> str:
    return f'<span class="{cls}">{escape_text(text)}</span>'


def _cls(metric: str) -> str:
    return metric.replace("_", "-")


def _stat_cells(metric: str, row: dict, lang: str) -> tuple[str, str]:
    """(median, 5–95% band) of a score or rank as the panel writes them."""
    if metric.endswith("_rank"):
        return format_rank(row["p50"], lang), rank_band(row["p05"], row["p95"], lang)
    return format_score(row["p50"], lang), f"{format_score(row['p05'], lang)}–{format_score(row['p95'], lang)}"


def _signed_stat(metric: str, x: float, lang: str) -> str:
    """A paired difference with its sign: ranks in whole ranks where whole, scores to 2 decimals."""
    if metric.endswith("_rank"):
        return signed(x, 0 if float(round(x, 1)).is_integer() else 1, lang)
    return signed(x, 2, lang)


def headline_html(outcome: Outcome, lang: str) -> str:
    """The target year's numbers, each in a span with a stable class (e.g. ``par-rank-median``)."""
    s = outcome.scenario
    lines = []
    for metric in ("par_score", "par_rank", "sipas_pct", "sipas_rank"):
        median, band = _stat_cells(metric, outcome.row("current", metric), lang)
        c = _cls(metric)
        unit = "%" if metric == "sipas_pct" else ""
        lines.append(
            f"<tr><th>{escape_text(say(metric, lang))}</th>"
            f"<td>{escape_text(say('median', lang))}: <b>{_span(c + '-median', median)}</b>{unit}</td>"
            f"<td>{escape_text(say('panel.band', lang))}: {_span(c + '-band', band)}{unit}</td></tr>"
        )
    for metric in SHOWN_TARGETS:
        p = outcome.row("current", metric)["mean"]
        lines.append(
            f"<tr><th>{escape_text(say(metric, lang))}</th>"
            f"<td colspan='2'><b>{_span(_cls(metric), format_probability(p, lang))}</b> "
            f"<small>{_span('futures', futures(p, outcome.current.draws, lang))}</small></td></tr>"
        )
    cost = fees.of_row(outcome.row("current", fees.METRIC))
    number = fee_number(cost, lang)  # the fees' one statistic, said to be a mean, with its band
    words = escape_text(fee_text(cost, lang)).replace(escape_text(number), f"<b>{_span('fee-cost', number)}</b>", 1)
    lines.append(f"<tr><th>{escape_text(say('panel.waiver_cost', lang))}</th><td colspan='2'>{words}</td></tr>")
    lines.append(city_cost_row(outcome.cost, lang))
    title = say("panel.results_for", lang, year=outcome.year, unit=unit_name(s.focal))
    return (
        f'<div class="panel-headline-box"><h4 class="results-title">{escape_text(title)}</h4>'
        f'<table class="headline-table" style="border-collapse:collapse">{"".join(lines)}</table></div>'
    )


def city_cost_row(cost: dict, lang: str) -> str:
    """The settings' cost to the city beside today's policies (one-off raises and extra fees, with the
    range of the unit costs and the fees), or why it cannot be priced, as a headline row."""
    from ..reports.costing_report import unknown_why

    head = say("answers.city_cost", lang, first=cost["first_year"], year=cost["year"])
    if cost["total"] is None:
        value = say("answers.city_cost_unknown", lang, why=unknown_why(cost["unknown"], lang))
    else:
        low, central, high = cost["total"]
        value = say(
            "answers.city_cost_value",
            lang,
            central=num(central, 1, lang),
            low=num(low, 1, lang),
            high=num(high, 1, lang),
        )
    return f"<tr><th>{escape_text(head)}</th><td colspan='2'>{_span('city-cost', value)}</td></tr>"


def _places_band(d: dict, lang: str) -> str:
    """A paired rank change: its median in places, and the 5–95% band from the best to the worst
    case — the band left out when every draw moved the same ('no change in rank', not three times)."""
    median = places_moved(d["p50"], lang)
    best, worst = places_moved(d["p05"], lang), places_moved(d["p95"], lang)
    if best == worst == median:
        return escape_text(median)
    return f"{escape_text(median)} <small>({escape_text(worst)} … {escape_text(best)})</small>"


def _shown_value(metric: str, row: dict) -> float:
    """A score or rank as the table shows it (rounded as written), so the difference of two shown values
    is what a reader gets by subtracting them — and what the waterfall shows for the levers."""
    return round(float(row["p50"]), 1 if metric.endswith("_rank") else 2)


def compare_html(outcome: Outcome, lang: str) -> str:
    """Baseline vs current settings at the target year: each by its median (5–95%), the difference of the
    two values shown (what the columns and the waterfall say), and beside it the paired difference draw by
    draw (its median and 5–95% band: how sure the change is). A median of the draws' differences need not
    equal the difference of the two medians (5 → 3 is 'up 2 places' while half the draws gain at most one),
    so both are shown, each under its own name, with a line saying why they differ."""
    head = (
        f"<tr><th></th><th>{escape_text(say('baseline', lang))}</th>"
        f"<th>{escape_text(say('current_settings', lang))}</th>"
        f"<th>{escape_text(say('difference_shown', lang))}</th>"
        f"<th>{escape_text(say('paired_difference', lang))}</th></tr>"
    )
    body = []
    for metric in ("par_score", "par_rank", "sipas_pct", "sipas_rank"):
        cells = []
        for which in ("baseline", "current"):
            median, band = _stat_cells(metric, outcome.row(which, metric), lang)
            cells.append(f'<td class="{which}-{_cls(metric)}">{median} <small>({band})</small></td>')
        change = _shown_value(metric, outcome.row("current", metric)) - _shown_value(
            metric, outcome.row("baseline", metric)
        )
        d = outcome.difference[metric]
        if metric.endswith("_rank"):  # a rank change in places up or down, never a signed rank number
            shown = escape_text(places_moved(change, lang))
            paired = _places_band(d, lang)
        else:
            shown = _signed_stat(metric, change, lang)
            paired = (
                f"{_signed_stat(metric, d['p50'], lang)} "
                f"<small>({_signed_stat(metric, d['p05'], lang)} … {_signed_stat(metric, d['p95'], lang)})</small>"
            )
        cells.append(f'<td class="difference-{_cls(metric)}">{shown}</td>')
        cells.append(f'<td class="paired-{_cls(metric)}">{paired}</td>')
        body.append(f"<tr><th>{escape_text(say(metric, lang))}</th>{''.join(cells)}</tr>")
    for metric in SHOWN_TARGETS:
        shown = {w: format_probability(outcome.row(w, metric)["mean"], lang) for w in ("baseline", "current")}
        cells = [f'<td class="{w}-{_cls(metric)}">{shown[w]}</td>' for w in ("baseline", "current")]
        percent = {w: round(100 * outcome.row(w, metric)["mean"], 1) for w in ("baseline", "current")}
        change = percent["current"] - percent["baseline"]
        cells.append(
            f'<td class="difference-{_cls(metric)}">{signed(change, 1, lang)} {say("panel.points", lang)}</td>'
            f'<td class="paired-{_cls(metric)}">—</td>'
        )
        body.append(f"<tr><th>{escape_text(say(metric, lang))}</th>{''.join(cells)}</tr>")
    cost = {w: fees.of_row(outcome.row(w, fees.METRIC)) for w in ("baseline", "current")}
    shown = {w: round(cost[w].mean, fees.DIGITS) for w in cost}
    paired = outcome.difference[fees.METRIC]
    cells = [f'<td class="{w}-fee-cost">{fee_number(cost[w], lang)}</td>' for w in ("baseline", "current")]
    cells.append(
        f'<td class="difference-fee-cost">{signed(shown["current"] - shown["baseline"], fees.DIGITS, lang)}</td>'
        f'<td class="paired-fee-cost">{signed(paired["mean"], fees.DIGITS, lang)} '
        f"<small>({signed(paired['p05'], fees.DIGITS, lang)} … {signed(paired['p95'], fees.DIGITS, lang)})</small></td>"
    )
    header = f"{say('panel.waiver_cost', lang)} ({say('fee_statistic', lang)}, {say('panel.bn_per_year', lang)})"
    body.append(f"<tr><th>{escape_text(header)}</th>{''.join(cells)}</tr>")
    return (
        f"<h4>{escape_text(say('panel.compare_title', lang))} — {outcome.year}</h4>"
        f'<div class="table-scroll"><table class="compare-table" style="border-collapse:collapse">'
        f"{head}{''.join(body)}</table></div>"
        f'<p class="compare-note" style="color:#555;max-width:1000px">{escape_text(say("panel.paired_note", lang))}</p>'
        f"<style>.compare-table td,.compare-table th,.headline-table td,.headline-table th"
        f"{{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}}</style>"
    )


def messages_html(lines: list[tuple[str, list[str]]]) -> str:
    """Readable messages: (heading, detail lines) pairs; '' when there is nothing to say."""
    if not lines:
        return ""
    parts = []
    for heading, details in lines:
        items = "".join(f"<li>{escape_text(d)}</li>" for d in details)
        parts.append(f"<div><b>{escape_text(heading)}</b>{'<ul>' + items + '</ul>' if items else ''}</div>")
    return f'<div class="panel-message-box" style="color:#a01010">{"".join(parts)}</div>'
