"""The lever explorer: ipywidgets views over ``ExplorerState`` (JupyterLab and Voilà).

A slider per lever of the registry (in %, today's value marked), the target year, the
focal unit, whether the other units copy the zero online fee, and the language. The state,
its validation and the computing live in ``simlib.app.state`` (plain Python); this module
only builds widgets, turns their changes into calls on the state and redraws the outputs.

Outputs are *sections* (``Section`` subclasses), each its own widget redrawn from the
state's last outcome after every change, in the order of ``SECTIONS``:
  headline   the target year's PAR score, PAR rank, SIPAS %, SIPAS rank (median and
             5–95% band), the probabilities of the city's targets and the waiver's cost;
  figures    projected SIPAS % and PAR score with 5–95% bands, and the distribution of the
             PAR and SIPAS rank in the target year;
  comparison baseline vs current settings vs their paired difference;
  share      a link to these settings.
A new output is one ``Section`` subclass added to ``SECTIONS`` (or passed as
``LeverExplorer(sections=...)``). Messages (anything the panel could not use) are shown
as text, never a traceback.

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

from ..engine import atomic, levers
from ..engine.errors import InputError
from ..engine.scenario import Scenario, load_yaml
from ..reports.text import num
from . import links
from .figures import ProjectionFigure, RankFigure
from .formatting import (format_bn, format_probability, format_rank, format_score, issue_text,  # noqa: F401
                         unit_name, unit_options, word)
from .state import DEFAULT_DRAWS, ExplorerState, Outcome, compute  # noqa: F401
from .tables import compare_html, escape_text, headline_html, messages_html

DEFAULT_SCENARIO_PATH = "scenarios/my_scenario.yaml"


# --------------------------------------------------------------------------- output sections

class Section:
    """One block of the panel's output: a widget redrawn from the state after every change.

    A subclass sets ``css_class`` (the widget's class in the page), may override ``build``
    (default: an HTML widget) and implements ``render(state)``. ``render_last`` sections are
    redrawn after the others (the headline: once it shows, everything else has been sent).
    """

    css_class = ""
    render_last = False

    def __init__(self, W):
        self.widget = self.build(W)
        if self.css_class:
            self.widget.add_class(self.css_class)

    def build(self, W):
        return W.HTML()

    def render(self, state: ExplorerState) -> None:
        raise NotImplementedError


class HeadlineSection(Section):
    css_class = "panel-headline"
    render_last = True

    def render(self, state: ExplorerState) -> None:
        self.widget.value = headline_html(state.outcome, state.lang)


class _ImageSection(Section):
    figure_class = None

    def build(self, W):
        self.figure = self.figure_class()
        return W.Image(format="png", layout=W.Layout(width="100%", max_width="1000px"))

    def render(self, state: ExplorerState) -> None:
        self.widget.value = self.figure.draw(state.outcome, state.lang)


class ProjectionSection(_ImageSection):
    css_class = "fig-projection"
    figure_class = ProjectionFigure


class RankSection(_ImageSection):
    css_class = "fig-ranks"
    figure_class = RankFigure


class ComparisonSection(Section):
    css_class = "panel-compare"

    def render(self, state: ExplorerState) -> None:
        self.widget.value = compare_html(state.outcome, state.lang)


class ShareSection(Section):
    css_class = "panel-share"

    def render(self, state: ExplorerState) -> None:
        query = links.share_query(state.share_values())
        self.widget.value = (f'<p style="color:#555">{escape_text(word("share_link", state.lang))}: '
                             f'<code class="share-query">{escape_text(query)}</code></p>')


class TrackRecordSection(Section):
    """One line on how good the model has been (the stored ``simlib evaluate`` summary)."""

    css_class = "panel-track-record"

    def render(self, state: ExplorerState) -> None:
        from ..reports.evaluation import track_record

        self.widget.value = f'<p style="color:#555">{escape_text(track_record(state.lang))}</p>'


SECTIONS: tuple[type[Section], ...] = (HeadlineSection, TrackRecordSection, ProjectionSection, RankSection,
                                       ComparisonSection, ShareSection)


# --------------------------------------------------------------------------- the panel

def _guarded(method):
    """Run a widget callback; an unexpected error becomes a message, never a traceback."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except InputError as exc:
            self.controller.error = (word("compute_failed", self.lang),
                                     [issue_text(i, self.lang) for i in exc.issues])
        except Exception as exc:  # noqa: BLE001 - shown to the user as text
            self.controller.error = (word("compute_failed", self.lang), [f"{type(exc).__name__}: {exc}"])
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


class LeverExplorer:
    """The interactive panel. ``LeverExplorer(...).show()`` displays it in a notebook or Voilà.

    Parameters: those of ``ExplorerState`` (focal, lang, draws, seed, target_year, one per
    lever, query), plus ``root`` (folder against which relative scenario paths are resolved)
    and ``sections`` (the output sections, default ``SECTIONS``).
    """

    def __init__(self, focal: str | None = None, lang: str = "vi", draws: int | None = DEFAULT_DRAWS,
                 seed: int | None = None, target_year: int | None = None, query: str | None = None,
                 root: str | Path | None = None, sections: tuple[type[Section], ...] = SECTIONS,
                 **lever_values):
        import ipywidgets as W

        self._W = W
        self.root = find_root() if root is None else Path(root)
        self.controller = ExplorerState(focal=focal, lang=lang, draws=draws, seed=seed,
                                        target_year=target_year, query=query, **lever_values)
        self._confirm_overwrite: Path | None = None
        self._syncing = False
        self.update_ms: float | None = None
        self.update_times: list[float] = []
        self.sections = [cls(W) for cls in sections]
        for section in self.sections:  # sections with controls of their own act through the panel
            getattr(section, "attach", lambda _panel: None)(self)
        self._build()
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

    # ---- construction

    def _build(self) -> None:
        W = self._W
        s = self._scenario
        self.title = W.HTML()
        self.intro = W.HTML()
        self.lang_toggle = W.ToggleButtons(options=[("Tiếng Việt", "vi"), ("English", "en")], value=self.lang,
                                           style={"button_width": "110px"})
        self.lang_toggle.add_class("lang-toggle")
        self.focal_dropdown = W.Dropdown(options=unit_options(), value=s.focal,
                                         style={"description_width": "150px"},
                                         layout=W.Layout(width="420px"))
        self.focal_dropdown.add_class("focal-dropdown")
        self.year_slider = W.IntSlider(min=s.baseline_year + 1, max=s.horizon, value=s.target_year, step=1,
                                       continuous_update=False, style={"description_width": "150px"},
                                       layout=W.Layout(width="420px"))
        self.year_slider.add_class("target-year")
        self.others_box = W.Checkbox(value=s.others_fee_waiver_share > 0, indent=False,
                                     layout=W.Layout(width="auto"))
        self.others_box.add_class("others-copy")
        self.sliders: dict[str, object] = {}
        self.today_labels: dict[str, object] = {}
        rows = []
        for lever in levers.registry():
            slider = W.FloatSlider(min=100 * lever.min, max=100 * lever.max, step=100 * lever.step,
                                   readout_format=".1f", continuous_update=False,
                                   style={"description_width": "290px"}, layout=W.Layout(width="640px"))
            slider.add_class(f"lever-{lever.name}")
            slider.observe(functools.partial(self._on_lever, lever.name), names="value")
            today = W.HTML()
            today.add_class(f"today-{lever.name}")
            self.sliders[lever.name] = slider
            self.today_labels[lever.name] = today
            rows.append(W.HBox([slider, today], layout=W.Layout(align_items="center")))
        self.message = W.HTML()
        self.message.add_class("panel-message")
        self.path_box = W.Text(value=DEFAULT_SCENARIO_PATH, style={"description_width": "150px"},
                               layout=W.Layout(width="520px"))
        self.path_box.add_class("scenario-path")
        self.save_button = W.Button(icon="save")
        self.save_button.add_class("save-scenario")
        self.load_button = W.Button(icon="folder-open")
        self.load_button.add_class("load-scenario")
        self.file_status = W.HTML()
        self.file_status.add_class("file-status")

        self.lang_toggle.observe(self._on_lang, names="value")
        self.focal_dropdown.observe(self._on_focal, names="value")
        self.year_slider.observe(self._on_year, names="value")
        self.others_box.observe(self._on_others, names="value")
        self.save_button.on_click(lambda _button: self.save())
        self.load_button.on_click(lambda _button: self.load())

        controls = W.VBox([self.lang_toggle, self.focal_dropdown, self.year_slider, self.others_box, *rows])
        files = W.VBox([W.HBox([self.path_box, self.save_button, self.load_button]), self.file_status])
        self.widget = W.VBox([self.title, self.intro, controls, self.message,
                              *(section.widget for section in self.sections), files],
                             layout=W.Layout(padding="4px 8px"))
        self.widget.add_class("lever-explorer")

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
        """The panel's settings as query-string values (levers that differ from today's value only)."""
        return self.controller.share_values()

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

    def set(self, *, focal: str | None = None, target_year: int | None = None,
            others_copy: bool | None = None, lang: str | None = None) -> dict:
        """Change the other controls programmatically (validated; ScenarioError on bad values)."""
        self.controller.set(focal=focal, target_year=target_year, others_copy=others_copy, lang=lang)
        self._sync_controls()
        self._relabel()
        self._refresh()
        return self.displayed()

    # ---- saving and loading

    def _resolve(self, path: str | Path | None) -> Path:
        p = Path(self.path_box.value.strip() if path is None else path).expanduser()
        return p if p.is_absolute() else self.root / p

    def save(self, path: str | Path | None = None, overwrite: bool = False) -> bool:
        """Write the current settings as a scenario YAML (atomically); the status line says how it went.

        An existing file is replaced only when ``overwrite`` is true or Save is pressed twice.
        """
        target = self._resolve(path)
        lang = self.lang
        try:
            if target.suffix.lower() not in (".yaml", ".yml"):
                self._set_file_status("error", word("not_yaml", lang).format(path=target))
                return False
            if target.exists() and not overwrite and self._confirm_overwrite != target:
                self._confirm_overwrite = target
                self._set_file_status("error", word("exists", lang).format(path=target))
                return False
            s = self._scenario
            name = target.stem if 0 < len(target.stem) <= 80 else s.name
            scenario = s.with_(name=name)
            atomic.write_text(target, scenario.to_yaml())
            self.controller.scenario = scenario
        except InputError as exc:
            self._set_file_status("error", word("save_failed", lang).format(
                path=target, error="; ".join(issue_text(i, lang) for i in exc.issues)))
            return False
        except OSError as exc:
            self._set_file_status("error", word("save_failed", lang).format(path=target,
                                                                            error=exc.strerror or exc))
            return False
        self._confirm_overwrite = None
        self._set_file_status("ok", word("saved", lang).format(path=target))
        return True

    def load(self, path: str | Path | None = None) -> bool:
        """Open a scenario YAML; if it is not valid, say why and change nothing."""
        target = self._resolve(path)
        lang = self.lang
        try:
            scenario = load_yaml(target)
        except InputError as exc:
            self._set_file_status("error", word("load_failed", lang),
                                  [issue_text(i, lang) for i in exc.issues])
            return False
        except (OSError, KeyError) as exc:
            self._set_file_status("error", word("load_failed", lang), [f"{target}: {exc}"])
            return False
        try:
            self.controller.adopt(scenario)
        except Exception as exc:  # noqa: BLE001 - reported as text, state restored
            self._render()
            self._set_file_status("error", word("load_failed", lang), [f"{type(exc).__name__}: {exc}"])
            return False
        self._sync_controls()
        self._render()
        self._confirm_overwrite = None
        self._set_file_status("ok", word("loaded", lang).format(name=scenario.name, path=target))
        return True

    def _set_file_status(self, kind: str, text: str, details: list[str] | None = None) -> None:
        colour = "#1a7f37" if kind == "ok" else "#a01010"
        items = "".join(f"<li>{escape_text(d)}</li>" for d in (details or []))
        self.file_status.value = (f'<div class="file-{kind}" style="color:{colour}">{escape_text(text)}'
                                  f'{"<ul>" + items + "</ul>" if items else ""}</div>')

    # ---- callbacks

    @_guarded
    def _on_lever(self, name: str, change) -> None:
        if self._syncing:
            return
        self.controller.set_levers({name: round(float(change["new"]) / 100.0, 6)})
        self._refresh()

    @_guarded
    def _on_year(self, change) -> None:
        if self._syncing:
            return
        self.controller.set(target_year=int(change["new"]))
        self._sync_controls()
        self._refresh()

    @_guarded
    def _on_focal(self, change) -> None:
        if self._syncing:
            return
        self.controller.set(focal=change["new"])
        self._sync_controls()
        self._refresh()

    @_guarded
    def _on_others(self, change) -> None:
        if self._syncing:
            return
        self.controller.set(others_copy=bool(change["new"]))
        self._refresh()

    @_guarded
    def _on_lang(self, change) -> None:
        if self._syncing:
            return
        self.controller.set(lang=change["new"])
        self._relabel()
        self._render()

    # ---- keeping widgets and state in step

    def _sync_controls(self) -> None:
        """Set every control from the state without triggering their callbacks."""
        s = self._scenario
        self._syncing = True
        try:
            self.focal_dropdown.value = s.focal
            lo, hi = s.baseline_year + 1, s.horizon
            self.year_slider.min = min(self.year_slider.min, lo)
            self.year_slider.max = max(self.year_slider.max, hi)
            self.year_slider.value = s.target_year
            self.year_slider.min, self.year_slider.max = lo, hi
            self.others_box.value = s.others_fee_waiver_share > 0
            self.lang_toggle.value = self.lang
            for name, value in self.lever_values().items():
                self.sliders[name].value = round(100.0 * value, 4)
            self._set_today_labels()
        finally:
            self._syncing = False

    def _set_today_labels(self) -> None:
        current = self._scenario.current()
        for name, label in self.today_labels.items():
            b = current[name]
            text = word("today", self.lang).format(value=num(100 * b.value, 1, self.lang), year=b.year)
            label.value = (f'<span class="today-value" title="{html.escape(b.source)}" '
                           f'style="color:#555;padding-left:8px">{escape_text(text)}</span>')

    def _relabel(self) -> None:
        """Every label in the current language."""
        lang = self.lang
        self.title.value = f"<h3>{escape_text(word('title', lang))}</h3>"
        self.focal_dropdown.description = word("focal", lang)
        self.year_slider.description = word("target_year", lang)
        self.others_box.description = word("others_copy_fee", lang)
        for lever in levers.registry():
            self.sliders[lever.name].description = f"{lever.label(lang)} (%)"
            self.sliders[lever.name].tooltip = lever.description_en if lang == "en" else lever.label_vi
        self.path_box.description = word("scenario_file", lang)
        self.save_button.description = word("save_scenario", lang)
        self.load_button.description = word("load_scenario", lang)
        self._set_today_labels()

    def _show_messages(self) -> None:
        self.message.value = messages_html(self.controller.messages())

    def _refresh(self) -> None:
        """Recompute the outcome for the current settings and redraw every output."""
        started = time.perf_counter()
        if not self.controller.recompute():
            self._show_messages()
            return
        self._render()
        self.update_ms = 1000 * (time.perf_counter() - started)
        self.update_times.append(self.update_ms)

    def _render(self) -> None:
        """Redraw the outputs from the last outcome, in the current language."""
        c = self.controller
        s = c.scenario
        self.intro.value = (f'<p class="panel-intro" style="max-width:1000px">'
                            f'{escape_text(word("intro", c.lang).format(draws=num(s.draws, 0, c.lang), seed=s.seed))}'
                            f'</p>')
        self._show_messages()
        if c.outcome is None:
            return
        for section in sorted(self.sections, key=lambda sec: sec.render_last):
            section.render(c)
