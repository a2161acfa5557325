"""The lever explorer: ipywidgets over ``ExplorerState`` (JupyterLab and Voilà) — the wiring.

The state, its validation and the computing live in ``simlib.app.state`` (plain Python). This
module wires widgets to the state: each control's change becomes a call on the state, then the
outputs are redrawn. The views are elsewhere, one role a module:
  controls   ``PanelControls`` (``simlib.app.controls``): a slider and a value box per lever of the
             registry (in %, today's value marked), the target year, the focal unit, whether the
             other units copy the zero online fee, the language; their labels and syncing;
  sections   the outputs (``simlib.app.sections``), each a ``Section`` redrawn from the state's
             last outcome after every change, in the order of ``SECTIONS``: headline (the target
             year's PAR score and rank, SIPAS % and rank with 5–95% bands, the targets'
             probabilities, the waiver's cost), the model's track record, figures (projections,
             rank distributions), comparison (baseline vs current settings vs their paired
             difference), share (a link to these settings);
  files      ``ScenarioFiles`` (``simlib.app.files``): Download / Upload, save / load.
A new output is one ``Section`` subclass added to ``SECTIONS`` (or passed as
``LeverExplorer(sections=...)``). Messages (anything the panel could not use) are shown as
text, never a traceback.

The numbers shown are those of ``simlib.engine.result.Result.rows()`` for the same scenario,
i.e. what ``simlib project`` prints, written as the reports write numbers (92,81 in
Vietnamese, 92.81 in English; the sliders' own readouts always use a point). Shares are
fractions 0–1 in the scenario and percentages on the sliders. For use without a browser:
``set_levers``, ``set``, ``state``, ``displayed``, ``save``, ``load``.
"""

from __future__ import annotations

import functools
import html
import re
import time
from pathlib import Path

from ..engine import levers
from ..engine.errors import InputError, ScenarioError
from ..engine.scenario import Scenario
from ..reports.i18n import say
from ..reports.newresults import data_line
from ..reports.text import num
from . import links
from .controls import PanelControls
from .files import SCENARIO_FOLDER, ScenarioFiles
from .formatting import issue_text
from .panel_html import escape_text, messages_html
from .sections import (
    SECTIONS,
    ComparisonSection,
    HeadlineSection,
    ProjectionSection,
    RankSection,
    Section,
    ShareSection,
)
from .state import DEFAULT_DRAWS, ExplorerState, Outcome


def _guarded(method):
    """Run a widget callback; an unexpected error becomes a message, never a traceback."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except InputError as exc:
            self.controller.error = (
                say("panel.compute_failed", self.lang),
                [issue_text(i, self.lang) for i in exc.issues],
            )
        except Exception as exc:  # noqa: BLE001 - shown to the user as text
            self.controller.error = (say("panel.compute_failed", self.lang), [f"{type(exc).__name__}: {exc}"])
        self._show_messages()
        return None

    return run


def find_root(start: Path | None = None) -> Path:
    """The folder relative scenario paths are resolved against: the first of the working
    directory and its parent that holds a ``scenarios`` folder, else the working directory."""
    start = Path.cwd() if start is None else Path(start)
    for folder in (start, start.parent):
        if (folder / "scenarios").is_dir():
            return folder
    return start


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", html_text)).strip()


def whole_number(text: str) -> int | None:
    """A whole number as typed: digits, optionally grouped by thousands with '.', ',' or a space
    ('1.885', '1,885', '1 885'); None for anything else (a decimal is not a number of procedures)."""
    t = text.strip()
    if len(t) > 12:  # no unit has a trillion procedures; a longer text is not read at all
        return None
    if re.fullmatch(r"\d+", t):
        return int(t)
    if re.fullmatch(r"\d{1,3}([.,\s]\d{3})+", t) and len(set(re.findall(r"[.,\s]", t))) == 1:
        return int(re.sub(r"[.,\s]", "", t))
    return None


# How the value of each setting control is read (keyword of ``ExplorerState.set`` → conversion).
SETTING_VALUES = {"focal": str, "target_year": int, "others_copy": bool, "lang": str}


class LeverExplorer(PanelControls, ScenarioFiles):
    """The interactive panel. ``LeverExplorer(...).show()`` displays it in a notebook or Voilà.

    Parameters: those of ``ExplorerState`` (focal, lang, draws, seed, target_year, one per
    lever, query), plus ``root`` (the folder whose ``scenarios`` folder ``save``/``load`` use)
    and ``sections`` (the output sections, default ``SECTIONS``). In a pre-heated Voilà kernel
    (no query given), the panel is built at its defaults before the visit arrives, then the
    visit's link is applied: the page appears as soon as the link's numbers are computed.
    """

    def __init__(
        self,
        focal: str | None = None,
        lang: str = "vi",
        draws: int | None = DEFAULT_DRAWS,
        seed: int | None = None,
        target_year: int | None = None,
        query: str | None = None,
        root: str | Path | None = None,
        sections: tuple[type[Section], ...] = SECTIONS,
        **lever_values,
    ):
        import ipywidgets as W

        self._W = W
        self.root = find_root() if root is None else Path(root)
        self.folder = self.root / SCENARIO_FOLDER
        waiting = query is None and links.preheated()
        self._parameters = dict(focal=focal, lang=lang, draws=draws, seed=seed, target_year=target_year, **lever_values)
        self.controller = ExplorerState(query="" if waiting else query, **self._parameters)
        self._confirm_overwrite: Path | None = None
        self._syncing = False
        self._value_note: str | None = None  # a typed value that could not be used
        self.update_ms: float | None = None
        self.update_times: list[float] = []
        self.sections = [cls(W) for cls in sections]
        for section in self.sections:  # sections with controls of their own act through the panel
            getattr(section, "attach", lambda _panel: None)(self)
        self._build()
        self._sync_controls()
        self._relabel()
        self._refresh()
        if waiting:
            self.apply_query(links.wait_for_query())

    def apply_query(self, query: str) -> None:
        """Reopen the panel with a link's values over the notebook's parameters (as at start): every
        section, those drawn in the background too, is drawn before this returns, so the page a
        pre-heated kernel sends shows the link's numbers (an update made before the page connects
        would never reach it)."""
        if not query:
            return
        for section in self.sections:
            getattr(section, "draw_next_at_once", lambda: None)()
        self.controller = ExplorerState(query=query, **self._parameters)
        self._sync_controls()
        self._relabel()
        self._refresh()

    @property
    def lang(self) -> str:
        return self.controller.lang

    @property
    def _scenario(self) -> Scenario:
        return self.controller.scenario

    @property
    def _outcome(self) -> Outcome | None:
        return self.controller.outcome

    def section(self, cls: type[Section]) -> Section | None:
        """The panel's section of class ``cls`` (None if it has none)."""
        return next((s for s in self.sections if isinstance(s, cls)), None)

    def _widget_of(self, cls):
        found = self.section(cls)
        return None if found is None else found.widget

    # the output widgets by name (tests and notebooks read them)
    headline = property(lambda self: self._widget_of(HeadlineSection))
    projection_image = property(lambda self: self._widget_of(ProjectionSection))
    rank_image = property(lambda self: self._widget_of(RankSection))
    comparison = property(lambda self: self._widget_of(ComparisonSection))
    share_link = property(lambda self: self._widget_of(ShareSection))

    # ---- display

    def show(self) -> None:
        """Display the panel (in a notebook cell or a Voilà page)."""
        from IPython.display import display

        display(self.widget)

    def _ipython_display_(self) -> None:
        self.show()

    # ---- state

    def state(self) -> Scenario:
        """The scenario the panel currently shows (validated; shares as fractions)."""
        return self.controller.scenario

    def displayed(self) -> dict:
        """The numbers the panel shows, unformatted.

        ``current`` and ``baseline``: {metric: summary row (mean, p05, p50, p95)} at the target
        year, probabilities (``p_*``) as floats; ``difference``: the paired difference
        current − baseline; plus ``year``, ``focal``, ``lang``, ``update_ms``.
        """
        return {**self.controller.displayed(), "update_ms": self.update_ms}

    def lever_values(self) -> dict[str, float]:
        """Each lever's value (fraction) in the target year under the current settings."""
        return self.controller.lever_values()

    def share_values(self) -> dict:
        """Every setting as query-string values (see ``ExplorerState.share_values``)."""
        return self.controller.share_values()

    def share_query(self) -> str:
        """The query string of a link to exactly these settings ('?focal=…&…')."""
        return links.share_query(self.share_values())

    @property
    def message_text(self) -> str:
        """The message area as plain text ('' when all is well)."""
        return _plain(self.message.value)

    @property
    def file_status_text(self) -> str:
        return _plain(self.file_status.value)

    # ---- programmatic changes (raise on bad input; the widgets report instead)

    def set_levers(self, values: dict[str, float]) -> dict:
        """Set lever values (fractions 0–1, reached by the target year); all checked before any change."""
        self.controller.set_levers(values)
        self._sync_controls()
        self._refresh()
        return self.displayed()

    def set(
        self,
        *,
        focal: str | None = None,
        target_year: int | None = None,
        others_copy: bool | None = None,
        lang: str | None = None,
    ) -> dict:
        """Change the other controls programmatically (validated; ScenarioError on bad values)."""
        self.controller.set(focal=focal, target_year=target_year, others_copy=others_copy, lang=lang)
        self._sync_controls()
        self._relabel()
        self._refresh()
        return self.displayed()

    def set_texts(self, title: str | None = None, description: str | None = None) -> dict:
        """The scenario's name (title) and description, as typed in the panel (ScenarioError on a bad one)."""
        self.controller.set_texts(title=title, description=description)
        self._sync_controls()
        self._render_texts()
        return self.displayed()

    def set_costs(self, costs: dict) -> dict:
        """The planner's own unit costs ({key: value in the row's unit, None = the default}); validated."""
        self.controller.set_costs(costs)
        self._sync_controls()
        self._refresh()
        return self.displayed()

    # ---- callbacks

    @_guarded
    def _on_lever(self, name: str, change) -> None:
        if self._syncing:
            return
        self._value_note = None
        self.controller.set_levers({name: round(float(change["new"]) / 100.0, 6)})
        self._sync_value_box(name)
        self._refresh()

    @_guarded
    def _on_value_box(self, name: str, change) -> None:
        """A value typed in % (decimal comma or point); anything else is refused with a message."""
        if self._syncing:
            return
        lever = levers.get(name)
        text = str(change["new"]).strip()
        value = levers.parse_share(text if text.endswith("%") else text + "%")
        if value is None or not lever.min <= value <= lever.max:
            current = self.lever_values()[name]
            self._value_note = say(
                "panel.bad_value",
                self.lang,
                lever=lever.label(self.lang),
                text=text[:40],
                lo=num(100 * lever.min, 0, self.lang),
                hi=num(100 * lever.max, 0, self.lang),
                value=num(100 * current, 1, self.lang),
            )
            self._sync_value_box(name)
            self._show_messages()
            return
        self._value_note = None
        self.controller.set_levers({name: value})
        self._syncing = True
        try:
            self.sliders[name].value = round(100.0 * value, 6)
        finally:
            self._syncing = False
        self._sync_value_box(name)
        self._refresh()

    @_guarded
    def _on_count(self, name: str, change) -> None:
        """A number of procedures typed beside a lever counted in procedures (thousands marks allowed)."""
        if self._syncing:
            return
        lever, total = levers.get(name), levers.total(name, self._scenario.focal)
        if total is None:  # the box is hidden for a unit without a total
            return
        text = str(change["new"]).strip()
        count = whole_number(text)
        lo, hi = round(lever.min * total.total), round(lever.max * total.total)
        if count is None or not lo <= count <= hi:
            self._value_note = say(
                "answers.bad_count",
                self.lang,
                lever=lever.label(self.lang),
                text=text[:40],
                lo=num(lo, 0, self.lang),
                hi=num(hi, 0, self.lang),
                what=lever.count_word(self.lang),
                value=num(round(total.count(self.lever_values()[name])), 0, self.lang),
            )
            self._sync_value_box(name)
            self._show_messages()
            return
        self._value_note = None
        self.controller.set_levers({name: total.share(count)})
        self._syncing = True
        try:
            self.sliders[name].value = round(100.0 * total.share(count), 6)
        finally:
            self._syncing = False
        self._sync_value_box(name)
        self._refresh()

    @_guarded
    def _on_texts(self, change) -> None:
        """The scenario's name or description typed: checked, then the link and downloads follow (the
        numbers do not change)."""
        if self._syncing:
            return
        try:
            self.controller.set_texts(title=self.title_box.value, description=self.description_box.value)
        except ScenarioError as exc:
            self._value_note = " ".join(
                [say("answers.bad_text", self.lang)] + [issue_text(i, self.lang) for i in exc.issues]
            )
            self._sync_controls()
            self._show_messages()
            return
        self._value_note = None
        self._show_messages()
        self._render_texts()

    @_guarded
    def _on_cost(self, key: str, change) -> None:
        """A planner's own unit cost typed (empty: the default again); the costs and answers follow."""
        if self._syncing:
            return
        text = str(change["new"]).strip()
        value = None if not text else links.parse_cost(text)
        if text and value is None:
            what = self.cost_labels[key].value
            self._value_note = say("answers.bad_cost", self.lang, what=_plain(what).split(" — ")[0], text=text[:40])
            self._sync_controls()
            self._show_messages()
            return
        self._value_note = None
        self.controller.set_costs({key: value})
        self._refresh()

    @_guarded
    def _on_costs_reset(self) -> None:
        self.controller.set_costs({key: None for key in self.cost_boxes})
        self._sync_controls()
        self._refresh()

    def _render_texts(self) -> None:
        """After the name or description changed: the link and the scenario download say it."""
        for section in self.sections:
            if isinstance(section, ShareSection):
                section.render(self.controller)
        self._render_download()

    @_guarded
    def _on_setting(self, key: str, change) -> None:
        """The focal unit, target year, others-copy box or language changed (``key``: the keyword of
        ``ExplorerState.set``): set it, bring every control and label in step, then recompute — or,
        for the language, only redraw the same numbers in other words."""
        if self._syncing:
            return
        self.controller.set(**{key: SETTING_VALUES[key](change["new"])})
        self._sync_controls()
        self._relabel()
        if key == "lang":
            self._render()
        else:
            self._refresh()

    @_guarded
    def _on_upload(self, change) -> None:
        if self._syncing or not change["new"]:
            return
        item = change["new"][0]
        try:
            self.load_text(item["content"], item.get("name", "scenario.yaml"))
        finally:
            self._syncing = True
            try:
                self.upload.value = ()
            finally:
                self._syncing = False

    def _show_messages(self) -> None:
        blocks = self.controller.messages()
        if self._value_note:
            blocks.append((self._value_note, []))
        self.message.value = messages_html(blocks)

    def _refresh(self) -> None:
        """Recompute the outcome for the current settings and redraw every output.

        A busy note is sent first and cleared last; the page shows it only if the update
        takes longer than 0.3 s (a CSS delay), so quick updates do not flicker."""
        started = time.perf_counter()
        self.busy.value = (
            f'<div class="panel-busy" role="status">{escape_text(say("panel.computing", self.lang))}</div>'
        )
        try:
            if not self.controller.recompute():
                self._show_messages()
                return
            self._render()
        finally:
            self.busy.value = ""
        self.update_ms = 1000 * (time.perf_counter() - started)
        self.update_times.append(self.update_ms)

    def _render(self) -> None:
        """Redraw the outputs from the last outcome, in the current language."""
        c = self.controller
        s = c.scenario
        self.intro.value = (
            f'<p class="panel-intro" style="max-width:1000px">'
            f"{escape_text(say('panel.intro', c.lang, draws=num(s.draws, 0, c.lang), seed=s.seed))}"
            f"</p>"
            f'<p class="panel-data" style="max-width:1000px;color:#555">{escape_text(data_line(c.lang))}</p>'
        )
        self._show_messages()
        self._render_download()
        if c.outcome is None:
            return
        for section in sorted(self.sections, key=lambda sec: sec.render_last):
            section.render(c)
