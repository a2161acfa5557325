"""The planner's sections of the lever explorer: league table, why the rank moves, each lever in context,
the memo paragraph, downloads; goal-seek is its own module (``goalseek``).

Each is a ``panel.Section`` redrawn from the state after every change; sections that need the panel
(buttons that move the sliders) get it through ``attach``. The numbers come from the analysis layer
(``league``, ``decompose``, ``costing``) through the one door; every word from ``i18n.PLANNER``.
The league table, the waterfall and the lever context are computed in a background worker after
each change (``_Background``), so the panel's own numbers show first; only the newest settings'
result is drawn. While a newer result is being computed, the section carries the class
``section-updating`` (drawn faded): the numbers it still shows are those of earlier settings. A visit's
link is drawn whole before its page is sent (``LeverExplorer.apply_query``).
"""

from __future__ import annotations

import base64
import html
import io
import threading
from typing import TYPE_CHECKING

import numpy as np

from ..analysis import costing, decompose, fees, league
from ..engine import costs, levers, stats
from ..engine.errors import InputError
from ..engine.scenario import replace_levers
from ..engine.simulate import simulate
from ..reports import costing_report, leaguetable, waterfall
from ..reports.i18n import issue_text, say
from ..reports.plainwords import effects_note, places_moved
from ..reports.text import fee_text, memo_paragraph, signed
from .files import file_name
from .goalseek import GoalSeekSection
from .panel import Section
from .panel_html import escape_text as _e

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

STEP = 0.10  # "10 points" of a lever, as a share
UPDATING = "section-updating"  # class of a background section whose newest settings are still computing


def _png(fig, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


# --------------------------------------------------------------------------- drawn in the background


class _Background(Section):
    """A section computed off the widget thread, so the panel's own numbers show first.

    ``render`` hands the current scenario and language to one worker (renders run one after
    another); a render superseded by a newer one is skipped, and only the newest result is shown.
    The first render runs at once, so the page as first sent already shows the section; so does the
    render after ``draw_next_at_once`` (a visit's link, applied before its page is sent). A render in
    the worker marks the section ``UPDATING`` until its result is shown (a slider moved, the index
    switched): the earlier numbers are never read as the new ones. ``compute(scenario, lang)``
    returns what ``show`` puts on the widgets. ``settle()`` waits for the last render (tests and scripts).
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
        self.widget.add_class(UPDATING)
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
                self.widget.remove_class(UPDATING)

    def draw_next_at_once(self) -> None:
        """Draw the next render on the calling thread, as the first one is: part of the page as it is
        sent (a visit's link applied in a pre-heated kernel)."""
        self.settle()
        self._last = None

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
            error = (
                "; ".join(issue_text(i, lang) for i in exc.issues)
                if isinstance(exc, InputError)
                else f"{type(exc).__name__}: {str(exc)[:300]}"
            )
            self.status.value = f'<p class="download-error">{_e(say("planner.download_failed", lang, error=error))}</p>'
            return None
        self._made += 1
        href = f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
        link = (
            f'<a class="download-link auto-download" data-token="{kind}-{self._made}" download="{html.escape(name)}" '
            f'href="{href}">{_e(name)}</a>'
        )
        words = _e(say("answers.download_started", lang, name=name, link="{link}")).replace("{link}", link)
        self.status.value = f"<p>{words}</p>"
        return content


SECTIONS = (LeagueSection, WaterfallSection, LeverContextSection, GoalSeekSection, MemoSection, DownloadSection)
