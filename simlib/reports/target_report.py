"""The words and the figure of a target search (``simlib.analysis.target`` computes the numbers).

``summary_lines`` is the plain-language answer (reachable, already reached, out of reach and
why); ``tradeoff_lines`` and ``tradeoff_figure`` explain the trade-off between two levers;
``record`` is the JSON record of a search with its summaries in both languages.
"""

from __future__ import annotations

import numpy as np

from ..engine import levers
from . import costing_report
from .i18n import say
from .numbers import localise_figure, num


def describe(goal, lang: str = "en") -> str:
    """'PAR top-3 and SIPAS ≥ 86%' (or in Vietnamese) for a target search's goal."""
    parts = []
    if goal.par_rank is not None:
        parts.append(say("target.par_top", lang, rank=goal.par_rank))
    if goal.sipas is not None:
        parts.append(say("target.sipas_at_least", lang, sipas=goal.sipas))
    return say("target.and", lang).join(parts)


def _label(labels: dict, name: str, lang: str) -> str:
    vi, en = labels.get(name, (name, name))
    return vi if lang == "vi" else en


def _pct(x, lang: str = "en") -> str:
    return f"{num(100 * x, 1, lang)}%"


def settings_text(sol, x: np.ndarray, lang: str) -> str:
    """Every lever's setting ``x`` against today's value, in words; a lever counted in procedures also as
    the number more ('139 more TTHC') where the unit has a total."""
    parts = []
    for j, name in enumerate(sol.names):
        label = _label(sol.labels, name, lang)
        c, v = float(sol.current[j]), float(x[j])
        change = 100 * (v - c)
        total = sol.totals.get(name)
        fields = dict(label=label, start=_pct(c, lang), value=_pct(v, lang), change=change)
        if abs(change) < 0.05:
            parts.append(say("target.setting_kept", lang, label=label, value=_pct(v, lang)))
        elif total is not None:
            more = round(v * total) - round(c * total)
            parts.append(
                say("target.setting_moved_count", lang, more=more, what=levers.get(name).count_word(lang), **fields)
            )
        else:
            parts.append(say("target.setting_moved", lang, **fields))
    return "; ".join(parts)


def summary_lines(sol, lang: str = "en") -> list[str]:
    """The plain-language answer of a search, in Vietnamese or English."""
    t = sol.target
    what = describe(t, lang) if t else say("target.the_target", lang)
    year = say("target.in_year", lang, year=t.year) if t else ""
    budget = "" if sol.budget is None else say("target.within_budget", lang, budget=sol.budget)
    if sol.budget_infeasible:
        return [say("target.no_budget", lang, cheapest=sol.best_values.get("cost", float("nan")))]
    if sol.reachable:
        p = sol.values["p"]
        lo, hi = sol.interval(p)
        fields = dict(what=what, year=year, p=p, lo=lo, hi=hi, prob=sol.prob)
        if np.allclose(sol.x, sol.current):
            lines = [say("target.already", lang, **fields)]
        else:
            key = "target.reachable_cheapest" if sol.objective == "cost" else "target.reachable"
            lines = [say(key, lang, budget=budget, settings=settings_text(sol, sol.x, lang), **fields)]
        lines.append(say("target.effort", lang, effort=sol.effort, cost=sol.values.get("cost", 0)))
        lines += [costing_report.objective_sentence(sol, lang), costing_report.goal_cost_sentence(sol, lang)]
        return [line for line in lines if line]
    p = sol.best_values.get("p", float("nan"))
    return [
        say("target.out_of_reach", lang, budget=budget, what=what, year=year, p=p, prob=sol.prob),
        *why_lines(sol, lang),
    ]


def why_lines(sol, lang: str = "en") -> list[str]:
    """Why a target is out of reach: which part binds, and whether noise or small effects decide."""
    t, d, bv = sol.target, sol.diagnosis, sol.best_values
    if t is None or not d:
        return []
    out = []
    unit = d.get("unit", "")
    p_rank, p_sipas = bv.get("p_rank", 1.0), bv.get("p_sipas", 1.0)
    if t.par_rank is not None and "kth" in d and p_rank < sol.prob:
        k05, k50, k95 = d["kth"]
        nth = str(t.par_rank) if lang == "vi" else ordinal(t.par_rank)
        fields = dict(unit=unit, par50=d["par"][1], nth=nth, n=t.par_rank, k50=k50, gain=d["par_gain"], p=p_rank)
        # chosen by the two medians the sentence shows (the median of the paired gap can have the other sign)
        if d["par"][1] >= k50:
            out.append(say("target.why_noise", lang, k05=k05, k95=k95, **fields))
        else:
            out.append(say("target.why_small", lang, gap=k50 - d["par"][1], **fields))
    if t.sipas is not None and p_sipas < sol.prob:
        s05, s50, s95 = d["sipas"]
        out.append(
            say(
                "target.why_sipas",
                lang,
                sipas=t.sipas,
                share=100 * p_sipas,
                gain=d["sipas_gain"],
                s05=s05,
                s50=s50,
                s95=s95,
            )
        )
    if not out and t.par_rank is not None and t.sipas is not None:
        out.append(say("target.why_both", lang, p_rank=p_rank, p_sipas=p_sipas, p=bv.get("p", float("nan"))))
    return out


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … (English)."""
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def tradeoff_lines(tr, labels: dict, lang: str = "en") -> list[str]:
    """The trade-off between two levers in words: none reaches, none needed, or the substitution rate."""
    along, solve = _label(labels, tr.along, lang), _label(labels, tr.solve_for, lang)
    if not np.isfinite(tr.minimal).any():
        return [say("target.tradeoff_none", lang, along=along)]
    if np.all(tr.minimal[np.isfinite(tr.minimal)] <= tr.solve_values[0] + 1e-12):
        return [say("target.tradeoff_free", lang, along=along, solve=solve)]
    rate = tr.substitution()
    if rate is None:
        return []
    return [say("target.tradeoff_rate", lang, along=along, solve=solve, rate=rate)]


def tradeoff_figure(tr, labels: dict, lang: str = "vi", solution=None):
    """Probability of the target over two levers, the target's contour and the least-effort point."""
    from matplotlib.figure import Figure

    la, lb = _label(labels, tr.along, lang), _label(labels, tr.solve_for, lang)
    fig = Figure(figsize=(7.5, 5.2))
    ax = fig.subplots()
    A, B = np.meshgrid(100 * tr.along_values, 100 * tr.solve_values, indexing="ij")
    cs = ax.contourf(A, B, tr.p, levels=np.linspace(0, 1, 11), cmap="Blues", vmin=0, vmax=1)
    fig.colorbar(cs, ax=ax, label=say("target.fig_probability", lang))
    if tr.p.min() < tr.prob <= tr.p.max():
        ax.contour(A, B, tr.p, levels=[tr.prob], colors="#c0392b", linewidths=1.5)
    ok = np.isfinite(tr.minimal)
    ax.plot(
        100 * tr.along_values[ok],
        100 * tr.minimal[ok],
        "o-",
        color="#c0392b",
        ms=4,
        label=say("target.fig_least", lang, prob=tr.prob),
    )
    if solution is not None and solution.reachable:
        names = list(solution.names)
        ax.plot(
            100 * solution.x[names.index(tr.along)],
            100 * solution.x[names.index(tr.solve_for)],
            "*",
            color="#f39c12",
            ms=14,
            label=say("target.fig_least_effort", lang),
        )
    ax.set_xlabel(f"{la} (%)")
    ax.set_ylabel(f"{lb} (%)")
    ax.set_title(say("target.nb_tradeoff", lang), fontsize=10)
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return localise_figure(fig, lang)


def record(sol) -> dict:
    """The search as plain JSON types (``Solution.to_dict``) with its answer in both languages."""
    out = {}
    for key, value in sol.to_dict().items():
        out[key] = value
        if key == "method":
            out["summary_en"], out["summary_vi"] = summary_lines(sol, "en"), summary_lines(sol, "vi")
    return out
