"""Goal-seek in the lever explorer: "what would it take?" — a target rank, probability and year give the
cheapest lever mix (the least effort where the unit's levers cannot all be priced), found by the target search
(``analysis.target``) in a worker thread so the panel stays responsive. A busy line shows while it runs; a new
request cancels the one before it (the search stops at its next engine call and its answer is never shown);
"Apply this mix" puts the answer on the sliders, the target year and the link."""

from __future__ import annotations

import dataclasses
import threading
from typing import TYPE_CHECKING

import numpy as np

from ..analysis import target
from ..analysis.goals import check_target
from ..analysis.surface import EngineSurface
from ..engine import costs
from ..engine.errors import InputError, Issue
from ..reports import costing_report, target_report
from ..reports.i18n import issue_text, say
from ..reports.plainwords import effects_note, futures
from ..reports.text import fee_number, num, pct
from .panel import Section
from .panel_html import escape_text as _e

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

UNCHANGED = 1e-6  # a lever the search moved by less than this (a share) is left at today's value when applied
GOAL_DRAWS = 2000  # at most this many draws in a goal-seek: the panel's own, so an applied mix shows the same chance


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
    t, budget, weights = check_target(
        rank, prob, None, year, None, scenario.focal, scenario.baseline_year, scenario.horizon, None, draws
    )
    surface = EngineSurface(
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


BOX_OF_OPTION = {"--par-rank": "planner.goal_rank", "--prob": "planner.goal_prob", "--year": "planner.goal_year"}


def _as_in_panel(issue: Issue, lang: str) -> Issue:
    """A target-search problem named by the panel's box (its label in ``lang``), not by the command's option."""
    label = BOX_OF_OPTION.get(str(issue.where))
    return dataclasses.replace(issue, where=say(label, lang)) if label else issue


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
                    + "".join(f"<li>{_e(issue_text(_as_in_panel(i, lang), lang))}</li>" for i in exc.issues)
                    + "</ul></div>"
                ),
            )
        except Exception as exc:  # noqa: BLE001 - shown as text, never a traceback
            sol, answer = (
                None,
                f'<div class="goal-answer goal-error">{_e(type(exc).__name__)}: {_e(str(exc)[:300])}</div>',
            )
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
