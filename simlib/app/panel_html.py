"""The lever explorer's HTML pieces: headline, comparison table, messages (no widgets here).

Each number sits in a span or cell with a stable class (e.g. ``par-rank-median``), so tests
and the browser find it; every text is escaped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..reports.i18n import say
from ..reports.plainwords import futures, places_moved
from ..reports.text import rank_band, signed
from .formatting import format_bn, format_probability, format_rank, format_score, unit_name

if TYPE_CHECKING:
    from .state import Outcome

SHOWN_TARGETS = ("p_par_top3", "p_par_top10", "p_sipas_ge_86")


def escape_text(text: str) -> str:
    """Text for an HTML element's content (quotes left readable)."""
    return html.escape(text, quote=False)


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
    cost = outcome.row("current", "fee_forgone_bn_vnd")["mean"]
    lines.append(
        f"<tr><th>{escape_text(say('panel.waiver_cost', lang))}</th>"
        f"<td colspan='2'><b>{_span('fee-cost', format_bn(cost, lang))}</b> "
        f"{escape_text(say('panel.bn_per_year', lang))}</td></tr>"
    )
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
            central=format_bn(central, lang),
            low=format_bn(low, lang),
            high=format_bn(high, lang),
        )
    return f"<tr><th>{escape_text(head)}</th><td colspan='2'>{_span('city-cost', value)}</td></tr>"


def compare_html(outcome: Outcome, lang: str) -> str:
    """Baseline vs current settings vs their paired difference (median, 5–95%) at the target year."""
    head = (
        f"<tr><th></th><th>{escape_text(say('baseline', lang))}</th>"
        f"<th>{escape_text(say('current_settings', lang))}</th>"
        f"<th>{escape_text(say('difference', lang))}</th></tr>"
    )
    body = []
    for metric in ("par_score", "par_rank", "sipas_pct", "sipas_rank"):
        cells = []
        for which in ("baseline", "current"):
            median, band = _stat_cells(metric, outcome.row(which, metric), lang)
            cells.append(f'<td class="{which}-{_cls(metric)}">{median} <small>({band})</small></td>')
        if metric.endswith("_rank"):  # a rank change in places up or down, never a signed rank number
            d = {k: escape_text(places_moved(v, lang)) for k, v in outcome.difference[metric].items()}
            cells.append(
                f'<td class="difference-{_cls(metric)}">{d["p50"]} <small>({d["p95"]} … {d["p05"]})</small></td>'
            )
        else:
            d = {k: _signed_stat(metric, v, lang) for k, v in outcome.difference[metric].items()}
            cells.append(
                f'<td class="difference-{_cls(metric)}">{d["p50"]} <small>({d["p05"]} … {d["p95"]})</small></td>'
            )
        body.append(f"<tr><th>{escape_text(say(metric, lang))}</th>{''.join(cells)}</tr>")
    for metric in SHOWN_TARGETS:
        cells = [
            f'<td class="{w}-{_cls(metric)}">{format_probability(outcome.row(w, metric)["mean"], lang)}</td>'
            for w in ("baseline", "current")
        ]
        cells.append(
            f'<td class="difference-{_cls(metric)}">'
            f"{signed(100 * outcome.difference[metric], 1, lang)} {say('panel.points', lang)}</td>"
        )
        body.append(f"<tr><th>{escape_text(say(metric, lang))}</th>{''.join(cells)}</tr>")
    cells = [
        f'<td class="{w}-fee-cost">{format_bn(outcome.row(w, "fee_forgone_bn_vnd")["mean"], lang)}</td>'
        for w in ("baseline", "current")
    ]
    cells.append(
        f'<td class="difference-fee-cost">{signed(outcome.difference["fee_forgone_bn_vnd"]["mean"], 1, lang)}</td>'
    )
    body.append(
        f"<tr><th>{escape_text(say('panel.waiver_cost', lang))} ({escape_text(say('panel.bn_per_year', lang))})"
        f"</th>{''.join(cells)}</tr>"
    )
    return (
        f"<h4>{escape_text(say('panel.compare_title', lang))} — {outcome.year}</h4>"
        f'<table class="compare-table" style="border-collapse:collapse">{head}{"".join(body)}</table>'
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
