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

from ..analysis import decompose, fees, league, target
from ..engine import levers, stats
from ..engine.errors import InputError
from ..engine.scenario import replace_levers
from ..engine.simulate import simulate
from ..reports import leaguetable, target_report, waterfall
from ..reports.i18n import issue_text, say
from ..reports.plainwords import effects_note, futures, places_moved
from ..reports.text import fee_number, fee_text, num, pct, share_pct, signed
from .panel import Section

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

STEP = 0.10  # "10 points" of a lever, as a share
GOAL_DRAWS = 1000  # draws of a goal-seek (the target search's default)


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
    """Every unit in the target year under the current settings, the focal unit highlighted."""

    css_class = "panel-league"

    def compute(self, scenario: Scenario, lang: str):
        return league.league(scenario, scenario.target_year)

    def show(self, table, lang: str) -> None:
        if isinstance(table, Exception):
            self.widget.value = self._error(table)
            return
        self.widget.value = (
            f'<h4 class="league-title">{_e(leaguetable.title(table, lang))}</h4>'
            f'<div style="max-height:420px;overflow:auto">'
            f"{leaguetable.html_table(table, lang, leaguetable.proxy_columns(table, lang))}</div>"
            f'<p class="league-note" style="color:#555;max-width:1000px">'
            f"{_e(leaguetable.note(table, lang))}</p>"
        )


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
                else say("planner.cost_unknown", lang)
            )
            today = f"{share_pct(current[r['lever']].value, lang)}% ({current[r['lever']].year})"
            rows.append(
                f'<tr class="context-{r["lever"]}"><td>{_e(lever.label(lang))}</td><td>{_e(today)}</td>'
                f'<td>{_e(share_pct(r["value"], lang))}%</td><td class="gain">{_e(gain)}</td>'
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
    """The least-effort lever mix reaching PAR top ``rank`` in ``year`` with probability ``prob``
    (the target search of ``analysis.target`` on the scenario's unit, seed and field assumption)."""
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
    )
    if stop is not None:
        surface = _Cancellable(surface, stop)
    return target.search(surface, t.prob, budget, weights, target=t)


def goal_html(sol, lang: str) -> str:
    """The answer in words: the lever mix (today → needed) and its chance, or 'out of reach, because …'."""
    t = sol.target
    n = sol.draws or GOAL_DRAWS
    if sol.reachable:
        p = sol.values["p"]
        key = "goal_already" if np.allclose(sol.x, sol.current) else "goal_reachable"
        head = say(f"planner.{key}", lang, rank=t.par_rank, year=t.year, futures=futures(p, n, lang))
        rows = "".join(
            f'<tr class="goal-{r["lever"]}"><td>{_e(r["label"])}</td><td>{_e(num(r["current_pct"], 1, lang))}%</td>'
            f'<td class="needed">{_e(num(r["setting_pct"], 1, lang))}%</td></tr>'
            for r in sol.rows(lang)
        )
        table = (
            f'<table class="simlib-table goal-mix"><thead><tr><th></th><th>{_e(say("planner.today_col", lang))}</th>'
            f"<th>{_e(say('planner.needed_col', lang))}</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        mean = fee_number(float(sol.values.get("cost", 0.0)), lang)  # target's cost: the mean over the draws
        forgone = say("planner.goal_fees", lang, year=t.year, cost=say("fee_mean", lang, mean=mean))
        return (
            f'<div class="goal-answer goal-reachable"><p>{_e(head)}</p>{table}<p>{_e(forgone)}</p>'
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
        f'{"<ul>" + why + "</ul>" if why else ""}<p style="color:#555">{_e(effects_note(lang))}</p></div>'
    )


class GoalSeekSection(Section):
    """'What would it take?': target rank, probability and year → the least-effort lever mix, in a thread."""

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
        self.run_button = W.Button(button_style="primary", layout=W.Layout(width="auto"))
        self.run_button.add_class("goal-run")
        self.run_button.on_click(lambda _b: self.request())
        self.busy = W.HTML()
        self.busy.add_class("goal-busy")
        self.answer = W.HTML()
        self.answer.add_class("goal-result")
        self.panel = None
        self.state = None
        self.solution = None
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._generation = 0
        return W.VBox(
            [
                self.heading,
                W.HBox([self.rank_box, self.prob_box, self.year_box, self.run_button]),
                self.busy,
                self.answer,
            ]
        )

    def attach(self, panel) -> None:
        self.panel = panel

    def render(self, state) -> None:
        self.state = state
        lang, s = state.lang, state.scenario
        self.heading.value = f"<h4>{_e(say('planner.goal_title', lang))}</h4>"
        self.rank_box.description = say("planner.goal_rank", lang)
        self.prob_box.description = say("planner.goal_prob", lang)
        self.year_box.description = say("planner.goal_year", lang)
        self.run_button.description = say("planner.goal_run", lang)
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
            answer = goal_html(sol, lang)
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
    """The one-page PDF and the Excel workbook of the current settings, as download links."""

    css_class = "panel-download"

    def build(self, W):
        self.pdf_button = W.Button(icon="file-pdf", layout=W.Layout(width="auto"))
        self.pdf_button.add_class("download-onepager")
        self.xlsx_button = W.Button(icon="file-excel", layout=W.Layout(width="auto"))
        self.xlsx_button.add_class("download-excel")
        self.status = W.HTML()
        self.status.add_class("download-status")
        self.pdf_button.on_click(lambda _b: self.make("pdf"))
        self.xlsx_button.on_click(lambda _b: self.make("xlsx"))
        self.state = None
        return W.VBox([W.HBox([self.pdf_button, self.xlsx_button]), self.status])

    def render(self, state) -> None:
        self.state = state
        self.pdf_button.description = say("planner.download_onepager", state.lang)
        self.xlsx_button.description = say("planner.download_excel", state.lang)

    def make(self, kind: str) -> bytes | None:
        """Build the file for the current settings and show it as a link; returns its bytes."""
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
                    name, mime = "onepager.pdf", "application/pdf"
                else:
                    path = excel.write(
                        current, Path(tmp) / "results.xlsx", o.baseline, league.league(current.scenario), lang
                    )
                    name, mime = ("results.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                content = Path(path).read_bytes()
        except Exception as exc:  # noqa: BLE001 - shown as text
            error = "; ".join(issue_text(i, lang) for i in exc.issues) if isinstance(exc, InputError) else exc
            self.status.value = f'<p class="download-error">{_e(say("planner.download_failed", lang, error=error))}</p>'
            return None
        href = f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
        link = f'<a class="download-link" download="{name}" href="{href}">{_e(name)}</a>'
        self.status.value = (
            "<p>" + _e(say("planner.ready_download", lang, link="{link}")).replace("{link}", link) + "</p>"
        )
        return content


SECTIONS = (LeagueSection, WaterfallSection, LeverContextSection, GoalSeekSection, DownloadSection)
