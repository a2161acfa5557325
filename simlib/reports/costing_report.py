"""Counts and costs in words, tables and one figure (``simlib.analysis.costing`` computes the numbers).

- a lever as a count beside its share: "350 of 708 TTHC, 49.4%" where the unit has a total of procedures
  (``data/lever_totals.csv``), its share alone otherwise (``count_text``, ``change_text``);
- what a scenario costs the city, or why it cannot be priced (``cost_sentence``), and the saving to society
  shown beside it;
- what a target search minimised (``objective_sentence``) and the answer's cost (``goal_cost_sentence``);
- the unit costs with who pays and their basis (``unit_cost_frame``, ``unit_cost_short``);
- the cost vs P(top 3) frontier as a figure and a table.
"""

from __future__ import annotations

import numpy as np

from ..engine import costs, levers
from .i18n import say
from .text import num, unit_name

# ---------------------------------------------------------------- counts beside shares


def count_text(name: str, share: float, focal: str, lang: str = "vi", digits: int = 1) -> str:
    """A lever's value for ``focal``: '350 of 708 TTHC, 49.4%' where the unit has a total, else '49.4%'."""
    pct = num(100 * share, digits, lang)
    total = levers.total(name, focal)
    if total is None:
        return f"{pct}%"
    return say(
        "costs.count_of",
        lang,
        count=num(round(total.count(share)), 0, lang),
        total=num(total.total, 0, lang),
        what=levers.get(name).count_word(lang),
        pct=pct,
    )


def change_text(name: str, before: float, after: float, focal: str, lang: str = "vi") -> str:
    """How far a lever moves: '139 more TTHC' with a total, else '19.6 more points'; '' when it does not."""
    total = levers.total(name, focal)
    if total is not None:
        n = round(total.count(after)) - round(total.count(before))
        if n == 0:
            return ""
        key = "costs.count_more" if n > 0 else "costs.count_fewer"
        return say(key, lang, n=num(abs(n), 0, lang), what=levers.get(name).count_word(lang))
    points = 100 * (after - before)
    return "" if abs(points) < 0.05 else say("costs.points_more", lang, n=num(points, 1, lang))


def total_note(name: str, focal: str, lang: str = "vi") -> str:
    """Where the unit's total comes from, or that it has none (the lever is then a share only)."""
    lever = levers.get(name)
    total = levers.total(name, focal)
    if total is None:
        return say("costs.no_total", lang, unit=unit_name(focal), what=lever.count_word(lang))
    return say(
        "costs.total_note",
        lang,
        unit=unit_name(focal),
        what=lever.count_word(lang),
        total=num(total.total, 0, lang),
        year=total.year,
        status=say(f"costs.status_{total.status}", lang),
        source=total.source_in(lang),
    )


# ---------------------------------------------------------------- what a scenario costs


def unknown_why(unknown: dict, lang: str = "vi") -> str:
    """Why levers cannot be priced, in words ('Procedures simplified: no published total …; …')."""
    parts = []
    for name, why in unknown.items():
        if why == "weights":
            parts.append(say("costs.why_weights", lang))
        elif why == "no_costs":
            parts.append(say("costs.why_no_costs", lang))
        else:
            parts.append(say(f"costs.why_{why}", lang, lever=levers.get(name).label(lang)))
    return "; ".join(parts)


def cost_sentence(cost: dict, focal: str, lang: str = "vi") -> str:
    """The scenario's cost to the city (``analysis.costing.scenario_cost``) in one sentence."""
    n = lambda x: num(x, 1, lang)
    if not cost["known"]:
        return say(
            "costs.cost_unknown",
            lang,
            unit=unit_name(focal),
            why=unknown_why(cost["unknown"], lang),
            fees=n(cost["fees"][1]),
            first=cost["first_year"],
            year=cost["year"],
        )
    low, central, high = cost["total"]
    return say(
        "costs.cost_sentence",
        lang,
        first=cost["first_year"],
        year=cost["year"],
        central=n(central),
        low=n(low),
        high=n(high),
        one_off=n(cost["one_off"][1]),
        one_off_low=n(cost["one_off"][0]),
        one_off_high=n(cost["one_off"][2]),
        fees=n(cost["fees"][1]),
        fees_low=n(cost["fees"][0]),
        fees_high=n(cost["fees"][2]),
    )


def society_lines(focal: str, overrides: dict | None = None, lang: str = "vi") -> list[str]:
    """The savings to society the data records, each with its source (never counted as the city's money)."""
    model = costs.cost_model(focal, overrides)
    return [say("costs.society_saving", lang, source=c.source_in(lang)) for c in model.society_savings()]


# ---------------------------------------------------------------- what a search minimised


def objective_sentence(sol, lang: str = "vi") -> str:
    """What a target search minimised, and why when it was effort."""
    year = sol.target.year if sol.target is not None else ""
    if sol.objective == "cost":
        return say("costs.minimises_cost", lang, first=sol.first_year or "", year=year)
    return say("costs.minimises_effort", lang, why=unknown_why(sol.unknown_costs, lang))


def goal_cost_sentence(sol, lang: str = "vi") -> str:
    """The answer's cost to the city with its range, or its effort when it cannot be priced."""
    if sol.cost:
        low, central, high = sol.cost["total"]
        return say(
            "costs.goal_cost",
            lang,
            first=sol.first_year or "",
            year=sol.target.year if sol.target is not None else "",
            central=num(central, 1, lang),
            low=num(low, 1, lang),
            high=num(high, 1, lang),
        )
    return "" if sol.effort is None else say("costs.goal_effort", lang, effort=num(sol.effort, 1, lang))


# ---------------------------------------------------------------- unit costs


def _amount(x, unit: str, lang: str) -> str:
    if x is None:
        return "—"
    return num(x, 2 if unit == "million_vnd" and x < 10 else 0, lang)


def unit_cost_short(row: costs.UnitCost, lang: str = "vi") -> str:
    """'40 staff-days per procedure (20–80, assumption)'."""
    if row.basis == "model":
        return say(f"costs.per_{row.per}", lang)
    return say(
        "costs.unit_cost_short",
        lang,
        central=_amount(row.central, row.amount_unit, lang),
        low=_amount(row.low, row.amount_unit, lang),
        high=_amount(row.high, row.amount_unit, lang),
        amount=say(f"costs.amount_{row.amount_unit}", lang),
        per=say(f"costs.per_{row.per}", lang),
        basis=say(f"costs.basis_{row.basis}", lang),
    )


def _lever_label(key: str, lang: str) -> str:
    return say("costs.all_levers", lang) if key == "*" else levers.get(key).label(lang)


def unit_cost_frame(overrides: dict | None = None, lang: str = "vi"):
    """Every unit cost (with a planner's own figures): lever, item, who pays, per, low/central/high, basis,
    source — the table the reports show under the assumptions."""
    import pandas as pd

    rows = []
    for c in costs.with_overrides(overrides):
        rows.append(
            {
                say("lever", lang): _lever_label(c.lever, lang),
                say("costs.col_item", lang): say(f"costs.item_{c.item}", lang),
                say("costs.col_payer", lang): say(f"costs.payer_{c.payer}", lang),
                say("costs.col_per", lang): say(f"costs.amount_{c.amount_unit}", lang)
                + " / "
                + say(f"costs.per_{c.per}", lang),
                say("costs.col_low", lang): _amount(c.low, c.amount_unit, lang),
                say("costs.col_central", lang): _amount(c.central, c.amount_unit, lang),
                say("costs.col_high", lang): _amount(c.high, c.amount_unit, lang),
                say("costs.col_basis", lang): say(f"costs.basis_{c.basis}", lang),
                say("costs.col_source", lang): c.source_in(lang),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the frontier


def setting_text(name: str, share: float, focal: str, lang: str = "vi") -> str:
    """A lever's setting in a table cell: a count where the unit has a total ('459 TTHC'), else '64.8%'."""
    total = levers.total(name, focal)
    if total is None:
        return f"{num(100 * share, 1, lang)}%"
    return f"{num(round(total.count(share)), 0, lang)} {levers.get(name).count_word(lang)}"


def frontier_frame(f, lang: str = "vi"):
    """The frontier's mixes, cheapest first: cost (and range) or effort, the chance with its interval, and
    each lever's setting (a count where the unit has a total)."""
    import pandas as pd

    rows = []
    for r in f.rows():
        row = {}
        if f.measure == "cost":
            low, central, high = r["cost"]
            row[say("costs.col_cost", lang)] = num(central, 1, lang)
            row[say("costs.col_cost_range", lang)] = f"{num(low, 1, lang)}–{num(high, 1, lang)}"
        else:
            row[say("costs.col_effort", lang)] = num(r["effort"], 1, lang)
        row[say("costs.col_p", lang)] = f"{num(100 * r['p'], 1, lang)}%"
        row[say("costs.col_p_interval", lang)] = f"{num(100 * r['p_lo'], 1, lang)}–{num(100 * r['p_hi'], 1, lang)}%"
        for name, value in r["settings"].items():
            row[levers.get(name).label(lang)] = setting_text(name, value["share"], f.focal, lang)
        if r["today"]:
            row[say("costs.col_p", lang)] += f" ({say('costs.today_mix', lang)})"
        rows.append(row)
    return pd.DataFrame(rows)


def frontier_note(f, lang: str = "vi") -> str:
    note = say("costs.frontier_note", lang, year=f.year, n=num(f.draws, 0, lang))
    if f.measure != "cost":
        note += " " + say("costs.frontier_effort_note", lang, unit=unit_name(f.focal), why=unknown_why(f.unknown, lang))
    if len(f.efficient) == 1:
        note += " " + say("costs.frontier_flat", lang, year=f.year, best=num(100 * float(f.p.max()), 1, lang))
    return note


def frontier_figure(f, lang: str = "vi", scenario_point: tuple[float, float] | None = None):
    """Cost (or effort) against the chance of PAR top 3: every mix tried, the frontier with its cost range,
    today's policies and (``scenario_point``: (cost or effort, probability)) the scenario."""
    from .figurestyle import styled

    return styled(_frontier_figure)(f, lang, scenario_point)


def _frontier_figure(f, lang: str = "vi", scenario_point=None):
    from matplotlib import ticker

    from .figurestyle import new_figure

    fig, axes = new_figure(1, 1, size=(8.0, 4.6))
    ax = axes[0][0]
    value = f.value()
    ax.scatter(value, 100 * f.p, s=12, color="#b8c4d6", label=say("costs.fig_all", lang), zorder=1)
    e = f.efficient
    if f.measure == "cost":
        ax.hlines(100 * f.p[e], f.cost[0, e], f.cost[2, e], color="#1f5fa8", alpha=0.35, linewidth=2, zorder=2)
    ax.plot(value[e], 100 * f.p[e], "o-", color="#1f5fa8", ms=4, label=say("costs.fig_frontier", lang), zorder=3)
    today = int(np.flatnonzero(np.all(np.isclose(f.X, f.current[None]), axis=1))[0])
    ax.plot(value[today], 100 * f.p[today], "s", color="#555555", ms=8, label=say("costs.fig_today", lang), zorder=4)
    if scenario_point is not None:
        ax.plot(
            scenario_point[0],
            100 * scenario_point[1],
            "*",
            color="#d1495b",
            ms=14,
            label=say("costs.fig_scenario", lang),
            zorder=5,
        )
    if f.measure == "cost":
        ax.set_xlabel(say("costs.fig_cost", lang, first=f.first_year, year=f.year))
    else:
        ax.set_xlabel(say("costs.fig_effort", lang))
    ax.set_ylabel(say("costs.fig_p", lang, year=f.year))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: num(v, 0, lang)))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{num(v, 0, lang)}%"))
    ax.set_title(say("costs.frontier_heading", lang, year=f.year))
    ax.legend(loc="lower right", fontsize=8)
    return fig
