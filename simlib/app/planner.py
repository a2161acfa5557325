"""The planner's sections of the lever explorer: league table, why the rank moves, goal-seek, each lever in
context, downloads.

Each is a ``panel.Section`` redrawn from the state after every change; sections that need the panel
(buttons that move the sliders) get it through ``attach``. The numbers come from the analysis layer
(``league``, ``decompose``, ``target``) through the one door; every word from ``i18n.PLANNER``.
The league table, the waterfall and the lever context are computed in a background worker after
each change (``_Background``), so the panel's own numbers show first; only the newest settings'
result is drawn.

Goal-seek runs the target search (``analysis.target``) in a worker thread so the panel stays
responsive: a busy line shows while it runs, and a new request cancels the one before it (the
search is stopped at its next engine call and its answer is never shown).
"""

from __future__ import annotations

import base64
import html
import io
import threading
from typing import TYPE_CHECKING

import numpy as np

from ..analysis import costing, decompose, fees, league, target
from ..engine import costs, levers, stats
from ..engine.errors import InputError
from ..engine.scenario import replace_levers
from ..engine.simulate import simulate
from ..reports import costing_report, leaguetable, target_report, waterfall
from ..reports.i18n import issue_text, say
from ..reports.plainwords import effects_note, futures, places_moved
from ..reports.text import fee_number, fee_text, memo_paragraph, num, pct, signed
from .files import file_name
from .panel import Section

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

STEP = 0.10  # "10 points" of a lever, as a share
UNCHANGED = 1e-6  # a lever the search moved by less than this (a share) is left at today's value when applied
GOAL_DRAWS = 2000  # at most this many draws in a goal-seek: the panel's own, so an applied mix shows the same chance


def _e(text) -> str:
    return html.escape(str(text), quote=False)


def _png(fig, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


# --------------------------------------------------------------------------- drawn in the background


class _Background(Section):
    """A section computed off the widget thread, so the panel's own numbers show first.

    ``render`` hands the current scenario and language to one worker (renders run one after
    another); a render superseded by a newer one is skipped, and only the newest result is shown.
    The first render runs at once, so the page as first sent already shows the section.
    ``compute(scenario, lang)`` returns what ``show`` puts on the widgets. ``settle()`` waits for
    the last render (tests and scripts).
    """

    def __init__(self, W):
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=type(self).__name__)
        self._lock = threading.Lock()
        self._generation = 0
        self._last = None
        super().__init__(W)

    def render(self, state) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
        if self._last is None:
            # the first drawing is part of the page as it is first sent (Voilà sends the widgets'
            # state when the notebook has run; an update sent before the page connects is lost)
            self._run(generation, state.scenario, state.lang)
            self._last = self._pool.submit(lambda: None)
            return
        self._last = self._pool.submit(self._run, generation, state.scenario, state.lang)

    def _run(self, generation: int, scenario: Scenario, lang: str) -> None:
        if generation != self._generation:
            return  # a newer render is queued
        try:
            shown = self.compute(scenario, lang)
        except Exception as exc:  # noqa: BLE001 - shown as text, never a traceback
            shown = exc
        with self._lock:
            if generation == self._generation:
                self.show(shown, lang)

    def settle(self, timeout: float = 120.0) -> None:
        """Wait until the last render is on the widgets."""
        if self._last is not None:
            self._last.result(timeout=timeout)

    def compute(self, scenario: Scenario, lang: str):
        raise NotImplementedError

    def show(self, shown, lang: str) -> None:
        raise NotImplementedError

    def _error(self, exc: Exception) -> str:
        return f'<p class="section-error" style="color:#a01010">{_e(type(exc).__name__)}: {_e(exc)}</p>'


def settle(explorer) -> None:
    """Wait for every background section of a panel to show its last render."""
    for section in explorer.sections:
        if isinstance(section, _Background):
            section.settle()


# --------------------------------------------------------------------------- league table


class LeagueSection(_Background):
    """Every unit in the target year under the current settings, the focal unit highlighted, for PAR or
    SIPAS (a toggle), with the heat map of each unit's chance of each rank below the table."""

    css_class = "panel-league"
    INDICES = ("PAR", "SIPAS")

    def build(self, W):
        self.index_toggle = W.ToggleButtons(options=list(self.INDICES), value="PAR", style={"button_width": "80px"})
        self.index_toggle.add_class("league-index")
        self.index_toggle.observe(lambda _change: self._again(), names="value")
        self.table = W.HTML()
        self.table.add_class("league-table")
        self.heatmap = W.Image(format="png", layout=W.Layout(width="100%", max_width="900px"))
        self.heatmap.add_class("league-heatmap")
        self.heatmap_note = W.HTML()
        self._state = None
        return W.VBox([self.index_toggle, self.table, self.heatmap_note, self.heatmap])

    @property
    def index(self) -> str:
        return self.index_toggle.value

    def render(self, state) -> None:
        self._state = state
        self.index_toggle.description = say("answers.league_index", state.lang)
        super().render(state)

    def _again(self) -> None:
        """The index changed: the same settings drawn again for the other index."""
        if self._state is not None:
            super().render(self._state)

    def compute(self, scenario: Scenario, lang: str):
        table = league.league(scenario, scenario.target_year, self.index)
        return table, _png(leaguetable.rank_matrix_figure(table, lang), dpi=72)

    def show(self, shown, lang: str) -> None:
        if isinstance(shown, Exception):
            self.table.value, self.heatmap.value = self._error(shown), b""
            return
        table, png = shown
        self.table.value = (
            f'<h4 class="league-title">{_e(leaguetable.title(table, lang))}</h4>'
            f'<div style="max-height:420px;overflow:auto">'
            f"{leaguetable.html_table(table, lang, leaguetable.proxy_columns(table, lang))}</div>"
            f'<p class="league-note" style="color:#555;max-width:1000px">'
            f"{_e(leaguetable.note(table, lang))}</p>"
        )
        self.heatmap_note.value = f'<p style="color:#555;max-width:1000px">{_e(say("answers.heatmap_note", lang))}</p>'
        self.heatmap.value = png


# --------------------------------------------------------------------------- why the rank moves


class WaterfallSection(_Background):
    """The waterfall of the focal unit's change, baseline year → target year, and its sentence."""

    css_class = "panel-waterfall"

    def build(self, W):
        self.sentence = W.HTML()
        self.sentence.add_class("waterfall-sentence")
        self.bars = W.HTML()
        self.bars.add_class("waterfall-bars")
        return W.VBox([self.sentence, self.bars])

    def compute(self, scenario: Scenario, lang: str):
        return decompose.decompose(scenario, by_lever=False)

    def show(self, d, lang: str) -> None:
        if isinstance(d, Exception):
            self.sentence.value, self.bars.value = self._error(d), ""
            return
        self.decomposition = d
        title = say(
            "planner.waterfall_title",
            lang,
            index=d.index,
            unit=leaguetable.unit_name(d.focal),
            start=d.start_year,
            end=d.end_year,
        )
        self.sentence.value = (
            f'<h4>{_e(title)}</h4><p class="why-sentence" style="max-width:1000px">'
            f"{_e(waterfall.sentence(d, lang))}</p>"
        )
        self.bars.value = waterfall.html_bars(d, lang)


# --------------------------------------------------------------------------- each lever in context


def marginal_gains(scenario: Scenario, step: float = STEP) -> list[dict]:
    """Per lever: what ``step`` more of it (by the target year, on the current settings) does in the target
    year — median PAR points, P(top 3) in points, median rank change — on common random numbers."""
    registry = levers.registry()
    values = dict(
        zip(levers.names(), scenario.lever_paths()[int(np.searchsorted(scenario.years, scenario.target_year))])
    )
    settings = [scenario.lever_paths()]
    room = []
    for lever in registry:
        up = min(values[lever.name] + step, lever.max)
        room.append(up - values[lever.name])
        settings.append(replace_levers(scenario, {lever.name: up}).lever_paths())
    out = simulate(scenario, np.stack(settings))
    k = out.year_index(scenario.target_year)
    par, rank = out.arrays["par_score"][:, :, k], out.arrays["par_rank"][:, :, k]
    fee_draws = out.arrays[fees.METRIC][:, :, k]
    med = lambda x, whole=False: float(stats.band(x, whole=whole)[1])
    rows = []
    for j, lever in enumerate(registry, start=1):
        rows.append(
            {
                "lever": lever.name,
                "value": values[lever.name],
                "room": room[j - 1],
                "par": med(par[j]) - med(par[0]),
                "p_top3": float((rank[j] <= 3).mean() - (rank[0] <= 3).mean()),
                "rank": med(rank[j], True) - med(rank[0], True),
                "fees": fees.fee_cost(fee_draws[0]),  # the fees' one statistic (a mean) at the current settings
            }
        )
    return rows


def unit_cost_text(name: str, scenario: Scenario, lang: str) -> str:
    """A lever's unit cost to the city in the lever-context table ('40 staff-days per procedure (20–80,
    assumption)'), with why it cannot be priced for the unit when it cannot."""
    model = costs.cost_model(scenario.focal, scenario.costs)
    row = next((c for c in model.rows if c.lever == name and c.kind == "one_off"), None)
    if row is None:
        return say("costs.why_no_cost", lang, lever=levers.get(name).label(lang))
    text = costing_report.unit_cost_short(row, lang)
    if name in model.unknown:
        text += "; " + costing_report.unknown_why({name: model.unknown[name]}, lang)
    return text


class LeverContextSection(_Background):
    """Each lever: today's value (with a reset), the current setting, the gain of 10 more points, its cost."""

    css_class = "panel-lever-context"

    def build(self, W):
        self._W = W
        self.table = W.HTML()
        self.table.add_class("lever-context-table")
        self.resets = {}
        for lever in levers.registry():
            button = W.Button(layout=W.Layout(width="auto"))
            button.add_class(f"reset-{lever.name}")
            button.on_click(lambda _b, name=lever.name: self.reset(name))
            self.resets[lever.name] = button
        self.panel = None
        return W.VBox([self.table, W.HBox(list(self.resets.values()))])

    def attach(self, panel) -> None:
        self.panel = panel

    def reset(self, name: str) -> None:
        """Put one lever back to today's value (through the panel, so sliders and outputs follow)."""
        if self.panel is not None:
            self.panel.set_levers({name: self.panel.state().current()[name].value})

    def compute(self, scenario: Scenario, lang: str):
        return scenario, marginal_gains(scenario)

    def show(self, shown, lang: str) -> None:
        if isinstance(shown, Exception):
            self.table.value = self._error(shown)
            return
        s, gains = shown
        current = s.current()
        rows = []
        for r in gains:
            lever = levers.get(r["lever"])
            gain = (
                say("planner.at_max", lang)
                if r["room"] <= 1e-9
                else say(
                    "planner.gain_text",
                    lang,
                    par=signed(r["par"], 2, lang),
                    p3=signed(100 * r["p_top3"], 1, lang),
                    rank=places_moved(r["rank"], lang),
                )
            )
            cost = (
                say("planner.cost_fees", lang, cost=fee_text(r["fees"], lang, with_band=False))
                if r["lever"] in levers.with_role("fee_cost")
                else unit_cost_text(r["lever"], s, lang)
            )
            today = f"{costing_report.count_text(r['lever'], current[r['lever']].value, s.focal, lang)} ({current[r['lever']].year})"
            rows.append(
                f'<tr class="context-{r["lever"]}"><td>{_e(lever.label(lang))}</td><td>{_e(today)}</td>'
                f"<td>{_e(costing_report.count_text(r['lever'], r['value'], s.focal, lang))}</td>"
                f'<td class="gain">{_e(gain)}</td>'
                f"<td>{_e(cost)}</td></tr>"
            )
        head = "".join(
            f"<th>{_e(h)}</th>"
            for h in (
                say("lever", lang),
                say("planner.today_col", lang),
                say("planner.setting_col", lang),
                say("planner.gain_col", lang),
                say("planner.cost_col", lang),
            )
        )
        self.table.value = (
            f"<h4>{_e(say('planner.context_title', lang, year=s.target_year))}</h4>"
            '<div class="table-scroll"><table class="simlib-table lever-context" style="border-collapse:collapse">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            f'<p style="color:#555">{_e(effects_note(lang))}</p>'
        )
        for name, button in self.resets.items():
            button.description = f"{say('planner.reset_today', lang)}: {levers.get(name).label(lang)}"


# --------------------------------------------------------------------------- goal-seek


class Cancelled(Exception):
    """A goal-seek replaced by a newer request."""


class _Cancellable:
    """A target-search surface that stops at its next engine call once ``stop`` is set."""

    def __init__(self, surface, stop: threading.Event):
        self._surface, self._stop = surface, stop

    def __getattr__(self, name):
        return getattr(self._surface, name)

    def _check(self):
        if self._stop.is_set():
            raise Cancelled()

    def evaluate(self, X):
        self._check()
        return self._surface.evaluate(X)

    def raw(self, X):
        self._check()
        return self._surface.raw(X)

    def diagnose(self, x):
        self._check()
        return self._surface.diagnose(x)


def goal_seek(
    scenario: Scenario, rank: int, prob: float, year: int, draws: int = GOAL_DRAWS, stop: threading.Event | None = None
):
    """The cheapest lever mix (the least effort where the unit's levers cannot all be priced) reaching PAR
    top ``rank`` in ``year`` with probability ``prob``: the target search of ``analysis.target`` on the
    scenario's unit, seed, field assumption and own unit costs."""
    t, budget, weights = target.check_target(
        rank, prob, None, year, None, scenario.focal, scenario.baseline_year, scenario.horizon, None, draws
    )
    surface = target.EngineSurface(
        t,
        scenario.focal,
        draws,
        scenario.seed,
        scenario.baseline_year,
        scenario.others_fee_waiver_share,
        scenario.others_fee_waiver_year,
        cost_overrides=scenario.costs,
    )
    if stop is not None:
        surface = _Cancellable(surface, stop)
    return target.search(surface, t.prob, budget, weights, target=t)


def _mix_rows(sol, focal: str, lang: str) -> str:
    """Today → needed for each lever, a count where the unit has a total, and the change ('139 more TTHC')."""
    rows = []
    for r in sol.rows(lang):
        today = costing_report.count_text(r["lever"], r["current_pct"] / 100, focal, lang)
        needed = costing_report.count_text(r["lever"], r["setting_pct"] / 100, focal, lang)
        change = costing_report.change_text(r["lever"], r["current_pct"] / 100, r["setting_pct"] / 100, focal, lang)
        rows.append(
            f'<tr class="goal-{r["lever"]}"><td>{_e(r["label"])}</td><td>{_e(today)}</td>'
            f'<td class="needed">{_e(needed)}</td><td class="change">{_e(change or "—")}</td></tr>'
        )
    head = "".join(
        f"<th>{_e(h)}</th>"
        for h in ("", say("planner.today_col", lang), say("planner.needed_col", lang), say("answers.change_col", lang))
    )
    return f'<table class="simlib-table goal-mix"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def trust_html(scenario: Scenario, year: int, lang: str) -> str:
    """How far the rank in ``year`` can be trusted: the model's track record for the scenario's unit at the
    distance of ``year`` from the last published year (the one line of ``reports.evaluation``)."""
    from dataclasses import replace

    from ..reports import evaluation

    line = evaluation.track_record_for(replace(scenario, target_year=int(year)), lang)
    title = say("answers.trust_title", lang, year=year)
    return f'<p class="goal-trust"><b>{_e(title)}</b> {_e(line)}</p>'


def goal_html(sol, lang: str, scenario: Scenario) -> str:
    """The answer in words: the lever mix (today → needed, counts where the unit has a total) with its
    chance, what it costs and what was minimised, and how far the rank can be trusted; or 'out of reach,
    because …'."""
    t = sol.target
    n = sol.draws or GOAL_DRAWS
    if sol.reachable:
        p = sol.values["p"]
        if np.allclose(sol.x, sol.current):
            head = say("planner.goal_already", lang, rank=t.par_rank, year=t.year, futures=futures(p, n, lang))
        else:
            key = "answers.goal_reachable_cost" if sol.objective == "cost" else "planner.goal_reachable"
            head = say(key, lang, rank=t.par_rank, year=t.year, futures=futures(p, n, lang))
        mean = fee_number(float(sol.values.get("cost", 0.0)), lang)  # target's cost: the mean over the draws
        forgone = say("planner.goal_fees", lang, year=t.year, cost=say("fee_mean", lang, mean=mean))
        cost = costing_report.goal_cost_sentence(sol, lang)
        return (
            f'<div class="goal-answer goal-reachable"><p>{_e(head)}</p>{_mix_rows(sol, scenario.focal, lang)}'
            f'<p class="goal-cost">{_e(cost)} {_e(forgone)}</p>'
            f'<p class="goal-objective" style="color:#555">{_e(costing_report.objective_sentence(sol, lang))}</p>'
            f"{trust_html(scenario, t.year, lang)}"
            f'<p style="color:#555">{_e(effects_note(lang))}</p></div>'
        )
    if sol.budget_infeasible:
        reasons = target_report.summary_lines(sol, lang)
        return f'<div class="goal-answer goal-out-of-reach"><p>{_e(" ".join(reasons))}</p></div>'
    p = sol.best_values.get("p", 0.0)
    head = say(
        "planner.goal_out_of_reach",
        lang,
        rank=t.par_rank,
        year=t.year,
        futures=futures(p, n, lang),
        prob=pct(sol.prob, lang),
    )
    why = "".join(f"<li>{_e(line)}</li>" for line in target_report.why_lines(sol, lang))
    return (
        f'<div class="goal-answer goal-out-of-reach"><p>{_e(head)}</p>'
        f"{'<ul>' + why + '</ul>' if why else ''}{trust_html(scenario, t.year, lang)}"
        f'<p style="color:#555">{_e(effects_note(lang))}</p></div>'
    )


class GoalSeekSection(Section):
    """'What would it take?': target rank, probability and year → the cheapest lever mix (or the least effort
    where it cannot be priced), in a thread; "Apply this mix" puts it on the sliders, the year and the link."""

    css_class = "panel-goal"

    def build(self, W):
        self._W = W
        self.heading = W.HTML()
        self.rank_box = W.BoundedIntText(
            value=3, min=1, max=34, layout=W.Layout(width="auto"), style={"description_width": "initial"}
        )
        self.rank_box.add_class("goal-rank")
        self.prob_box = W.BoundedFloatText(
            value=80.0,
            min=1.0,
            max=99.0,
            step=5.0,
            layout=W.Layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.prob_box.add_class("goal-prob")
        self.year_box = W.Dropdown(
            options=[2027], value=2027, layout=W.Layout(width="auto"), style={"description_width": "initial"}
        )
        self.year_box.add_class("goal-year")
        self.run_button = W.Button(button_style="primary", layout=W.Layout(width="auto", max_width="100%"))
        self.run_button.add_class("goal-run")
        self.run_button.on_click(lambda _b: self.request())
        self.busy = W.HTML()
        self.busy.add_class("goal-busy")
        self.answer = W.HTML()
        self.answer.add_class("goal-result")
        self.apply_button = W.Button(button_style="success", layout=W.Layout(width="auto", max_width="100%"))
        self.apply_button.add_class("goal-apply")
        self.apply_button.layout.display = "none"
        self.apply_button.on_click(lambda _b: self.apply())
        self.applied = W.HTML()
        self.applied.add_class("goal-applied")
        self.panel = None
        self.state = None
        self.solution = None
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._generation = 0
        row = W.Box([self.rank_box, self.prob_box, self.year_box, self.run_button])
        row.layout.flex_flow, row.layout.max_width = "row wrap", "100%"
        return W.VBox([self.heading, row, self.busy, self.answer, self.apply_button, self.applied])

    def attach(self, panel) -> None:
        self.panel = panel

    def render(self, state) -> None:
        self.state = state
        lang, s = state.lang, state.scenario
        self.heading.value = f"<h4>{_e(say('planner.goal_title', lang))}</h4>"
        self.rank_box.description = say("planner.goal_rank", lang)
        self.prob_box.description = say("planner.goal_prob", lang)
        self.year_box.description = say("planner.goal_year", lang)
        priced = costs.cost_model(s.focal, s.costs).known
        self.run_button.description = say("answers.goal_run_cost" if priced else "planner.goal_run", lang)
        self.apply_button.description = say("answers.apply", lang)
        years = list(range(s.baseline_year + 1, s.horizon + 1))
        if list(self.year_box.options) != years:
            keep = self.year_box.value if self.year_box.value in years else s.target_year
            self.year_box.options = years
            self.year_box.value = keep
        self.rank_box.max = int(state.outcome.current.n_units[-1]) if state.outcome is not None else 34

    def request(self, rank: int | None = None, prob: float | None = None, year: int | None = None, wait: bool = False):
        """Start a goal-seek (cancelling the one running); ``wait`` blocks until it is done (for tests)."""
        if self.state is None:
            return None
        rank = int(self.rank_box.value if rank is None else rank)
        prob = float(self.prob_box.value / 100.0 if prob is None else prob)
        year = int(self.year_box.value if year is None else year)
        scenario, lang = self.state.scenario, self.state.lang
        with self._lock:
            if self._stop is not None:
                self._stop.set()
            self._generation += 1
            generation, stop = self._generation, threading.Event()
            self._stop = stop
        self.busy.value = (
            f'<p class="goal-working" style="color:#1f5fa8">'
            f'<span class="goal-spinner">⏳</span> {_e(say("planner.goal_busy", lang))}</p>'
        )
        self.apply_button.layout.display = "none"
        self.applied.value = ""
        thread = threading.Thread(
            target=self._work, args=(generation, stop, scenario, rank, prob, year, lang), daemon=True
        )
        self._thread = thread
        thread.start()
        if wait:
            thread.join()
        return thread

    def _work(self, generation, stop, scenario: Scenario, rank, prob, year, lang) -> None:
        try:
            sol = goal_seek(scenario, rank, prob, year, min(GOAL_DRAWS, scenario.draws), stop)
            answer = goal_html(sol, lang, scenario)
        except Cancelled:
            return
        except InputError as exc:
            sol, answer = (
                None,
                (
                    '<div class="goal-answer goal-error"><ul>'
                    + "".join(f"<li>{_e(i.where)}: {_e(i.value)} — {_e(i.allowed)}</li>" for i in exc.issues)
                    + "</ul></div>"
                ),
            )
        except Exception as exc:  # noqa: BLE001 - shown as text, never a traceback
            sol, answer = None, f'<div class="goal-answer goal-error">{_e(type(exc).__name__)}: {_e(exc)}</div>'
        with self._lock:
            if generation != self._generation:
                return  # a newer request owns the output
            self.solution = sol
            self.answer.value = answer
            self.busy.value = ""
            movable = sol is not None and sol.reachable and not np.allclose(sol.x, sol.current)
            self.apply_button.layout.display = None if movable else "none"

    def apply(self) -> bool:
        """Put the found mix on the panel: the goal's year as the target year, each lever at its setting
        (so the sliders, the outputs and the link follow; a lever the search left where it is stays at today's
        value exactly, not at the optimiser's rounding of it); False when there is nothing to apply."""
        sol = self.solution
        if self.panel is None or sol is None or not sol.reachable:
            return False
        self.panel.set(target_year=sol.target.year)
        # a lever the search left where it is (within the optimiser's rounding) stays at today's value exactly
        kept = np.abs(np.asarray(sol.x, float) - np.asarray(sol.current, float)) < UNCHANGED
        values = np.where(kept, sol.current, sol.x)
        self.panel.set_levers({name: float(v) for name, v in zip(sol.names, values)})
        lang, current = self.panel.lang, self.panel.controller.outcome.current
        k = list(current.years).index(sol.target.year)
        p = float((current.arrays["par_rank"][:, k] <= sol.target.par_rank).mean())
        words = say(
            "answers.applied",
            lang,
            year=sol.target.year,
            rank=sol.target.par_rank,
            draws=num(current.draws, 0, lang),
            futures=futures(p, current.draws, lang),
        )
        self.applied.value = f'<p class="goal-applied-note" style="color:#1a7f37">{_e(words)}</p>'
        return True


# --------------------------------------------------------------------------- the memo paragraph


class MemoSection(Section):
    """The report's plain-language summary for the current settings, with a button that copies it (the
    page script copies ``.memo-text``; the text can also be selected by hand)."""

    css_class = "panel-memo"

    def render(self, state) -> None:
        o, lang = state.outcome, state.lang
        paragraph = memo_paragraph(o.current, o.baseline, lang)
        self.widget.value = (
            f'<div class="memo-box" style="max-width:1000px"><h4>{_e(say("answers.memo_title", lang))}</h4>'
            f'<p class="memo-text" style="background:#f7f9fc;border:1px solid #dde;padding:6px 10px">{_e(paragraph)}</p>'
            f'<button type="button" class="copy-memo" data-copied="{html.escape(say("answers.memo_copied", lang))}" '
            f'data-failed="{html.escape(say("panel.copy_failed", lang))}">{_e(say("answers.copy_memo", lang))}</button>'
            "</div>"
        )


# --------------------------------------------------------------------------- downloads


def titled(result):
    """``result`` with a title readers can read: the panel's own settings, untitled, are 'the settings chosen
    in the panel' in either language (a one-pager had read 'scenario “scenario”'); a loaded file keeps its title."""
    from dataclasses import replace

    s = result.scenario
    if s.title or s.title_en:
        return result
    return replace(result, scenario=s.with_(title={lang: say("planner.untitled", lang) for lang in ("vi", "en")}))


class DownloadSection(Section):
    """The one-page PDF and the Excel workbook of the current settings, named after the scenario (as its
    YAML file): a click makes the file and the page saves it at once (the page script clicks the new link,
    marked ``auto-download``); the link stays as a fallback, e.g. in JupyterLab."""

    css_class = "panel-download"

    def build(self, W):
        self.pdf_button = W.Button(icon="file-pdf", layout=W.Layout(width="auto", max_width="100%"))
        self.pdf_button.add_class("download-onepager")
        self.xlsx_button = W.Button(icon="file-excel", layout=W.Layout(width="auto", max_width="100%"))
        self.xlsx_button.add_class("download-excel")
        self.status = W.HTML()
        self.status.add_class("download-status")
        self.pdf_button.on_click(lambda _b: self.make("pdf"))
        self.xlsx_button.on_click(lambda _b: self.make("xlsx"))
        self.state = None
        self._made = 0
        buttons = W.Box([self.pdf_button, self.xlsx_button])
        buttons.layout.flex_flow, buttons.layout.max_width = "row wrap", "100%"
        return W.VBox([buttons, self.status])

    def render(self, state) -> None:
        self.state = state
        self.pdf_button.description = say("planner.download_onepager", state.lang)
        self.xlsx_button.description = say("planner.download_excel", state.lang)

    def make(self, kind: str) -> bytes | None:
        """Build the file for the current settings and hand it to the page to save; returns its bytes."""
        import tempfile
        from pathlib import Path

        from ..reports import excel, onepager

        o, lang = self.state.outcome, self.state.lang
        self.status.value = f"<p>{_e(say('planner.preparing', lang))}</p>"
        try:
            current = titled(o.current)
            with tempfile.TemporaryDirectory(prefix="simlib-download-") as tmp:
                if kind == "pdf":
                    d = decompose.decompose(current.scenario)
                    path = onepager.write(current, o.baseline, tmp, lang, d)["pdf"]
                    name, mime = file_name(o.current.scenario.name, ".pdf", "onepager"), "application/pdf"
                else:
                    path = excel.write(
                        current,
                        Path(tmp) / "results.xlsx",
                        o.baseline,
                        league.league(current.scenario),
                        lang,
                        frontier=costing.frontier(current.scenario),
                    )
                    name = file_name(o.current.scenario.name, ".xlsx", "results")
                    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                content = Path(path).read_bytes()
        except Exception as exc:  # noqa: BLE001 - shown as text
            error = "; ".join(issue_text(i, lang) for i in exc.issues) if isinstance(exc, InputError) else exc
            self.status.value = f'<p class="download-error">{_e(say("planner.download_failed", lang, error=error))}</p>'
            return None
        self._made += 1
        href = f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
        link = (
            f'<a class="download-link auto-download" data-token="{kind}-{self._made}" download="{_e(name)}" '
            f'href="{href}">{_e(name)}</a>'
        )
        words = _e(say("answers.download_started", lang, name=name, link="{link}")).replace("{link}", link)
        self.status.value = f"<p>{words}</p>"
        return content


SECTIONS = (LeagueSection, WaterfallSection, LeverContextSection, GoalSeekSection, MemoSection, DownloadSection)
