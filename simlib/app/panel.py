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

import base64
import functools
import html
import re
import tempfile
import time
from pathlib import Path, PurePath

from ..engine import atomic, levers
from ..engine.errors import InputError, Issue
from ..engine.scenario import Scenario, load_yaml
from ..reports.i18n import PANEL as PANEL_WORDS
from ..reports.text import num
from . import links
from .figures import ProjectionFigure, RankFigure
from .formatting import (format_bn, format_probability, format_rank, format_score, issue_text,  # noqa: F401
                         unit_name, unit_options, word)
from .state import DEFAULT_DRAWS, ExplorerState, Outcome, compute  # noqa: F401
from .tables import compare_html, escape_text, headline_html, messages_html

SCENARIO_FOLDER = "scenarios"  # the one server folder save()/load() may use, inside ``root``
MAX_UPLOAD_BYTES = 64 * 1024  # a scenario file is a few hundred bytes
# Layout that holds from a phone (390 px) to a desktop: rows wrap, sliders take the width left,
# wide tables scroll inside their box; the busy note shows only when an update takes > 0.3 s.
PANEL_CSS = """<style>
.lever-explorer{box-sizing:border-box;max-width:1000px;width:100%}
.lever-explorer .lever-row{display:flex;flex-wrap:wrap;align-items:center;gap:2px 8px;width:100%;max-width:900px}
.lever-explorer .lever-row .widget-hslider{flex:1 1 420px;min-width:0;max-width:640px;width:auto}
.lever-explorer .lever-row .widget-hslider .slider-container{min-width:120px}
.lever-explorer .lever-value{width:76px;flex:0 0 76px}
.lever-explorer .lever-value input{text-align:right}
.lever-explorer .panel-compare,.lever-explorer .panel-headline{overflow-x:auto;max-width:100%}
.lever-explorer .widget-dropdown,.lever-explorer .target-year{max-width:100%}
.lever-explorer img{max-width:100%;height:auto}
.lever-explorer .share-url{word-break:break-all}
.panel-busy{position:fixed;top:8px;right:8px;z-index:1000;background:#1f5fa8;color:#fff;padding:6px 14px;
 border-radius:4px;font-weight:bold;box-shadow:0 1px 4px rgba(0,0,0,.3);visibility:hidden;
 animation:simlib-busy 0s linear .3s forwards}
@keyframes simlib-busy{to{visibility:visible}}
@media (max-width:640px){
 .lever-explorer .widget-hslider,.lever-explorer .widget-dropdown,.lever-explorer .target-year{flex-wrap:wrap;width:100%!important}
 .lever-explorer .widget-hslider>.widget-label,.lever-explorer .widget-dropdown>.widget-label,
 .lever-explorer .target-year>.widget-label{width:100%!important;max-width:100%!important;text-align:left;white-space:normal}
 .lever-explorer .lever-row .widget-hslider{flex:1 1 100%}
 .lever-explorer .lever-row .widget-hslider .slider-container{flex:1 1 auto;min-width:200px}
 .lever-explorer .widget-dropdown>select{flex:1 1 auto;min-width:0}
 .lever-explorer .compare-table,.lever-explorer .headline-table{font-size:13px}
 .lever-explorer .compare-table td,.lever-explorer .compare-table th{padding:2px 4px!important}
}
</style>"""


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
    """A link to exactly these settings (the address of this page when known), a "copy link"
    button, and the words the page script shows (disconnected banner, copy feedback)."""

    css_class = "panel-share"

    def render(self, state: ExplorerState) -> None:
        lang = state.lang
        query = links.share_query(state.share_values())
        address = links.page_address()
        url = address + query
        shown = (f'<a class="share-url" href="{html.escape(url)}" target="_blank" rel="noopener">{escape_text(url)}</a>'
                 if address else f'<code class="share-url">{escape_text(query)}</code> '
                                 f'<small>({escape_text(word("share_query_only", lang))})</small>')
        page_words = " ".join(f'data-{key.replace("_", "-")}="{html.escape(word(key, lang))}"'
                              for key in ("disconnected", "reload", "copied", "copy_failed"))
        self.widget.value = (f'<div class="share-box" style="color:#555">{escape_text(word("share_link", lang))}: '
                             f'{shown} <button type="button" class="copy-link">{escape_text(word("copy_link", lang))}'
                             f'</button><code class="share-query" style="display:none">{escape_text(query)}</code>'
                             f'<span class="page-words" hidden {page_words}></span></div>')


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
    lever, query), plus ``root`` (the folder whose ``scenarios`` folder ``save``/``load`` use)
    and ``sections`` (the output sections, default ``SECTIONS``). In a pre-heated Voilà kernel
    (no query given), the panel is built at its defaults before the visit arrives, then the
    visit's link is applied: the page appears as soon as the link's numbers are computed.
    """

    def __init__(self, focal: str | None = None, lang: str = "vi", draws: int | None = DEFAULT_DRAWS,
                 seed: int | None = None, target_year: int | None = None, query: str | None = None,
                 root: str | Path | None = None, sections: tuple[type[Section], ...] = SECTIONS,
                 **lever_values):
        import ipywidgets as W

        self._W = W
        self.root = find_root() if root is None else Path(root)
        self.folder = self.root / SCENARIO_FOLDER
        waiting = query is None and links.preheated()
        self._parameters = dict(focal=focal, lang=lang, draws=draws, seed=seed, target_year=target_year,
                                **lever_values)
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
        """Reopen the panel with a link's values over the notebook's parameters (as at start)."""
        if not query:
            return
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

    # ---- construction

    def _build(self) -> None:
        W = self._W
        s = self._scenario
        self.style = W.HTML(PANEL_CSS)
        self.title = W.HTML()
        self.intro = W.HTML()
        self.lang_toggle = W.ToggleButtons(options=[("Tiếng Việt", "vi"), ("English", "en")], value=self.lang,
                                           style={"button_width": "110px"})
        self.lang_toggle.add_class("lang-toggle")
        self.focal_dropdown = W.Dropdown(options=unit_options(), value=s.focal,
                                         style={"description_width": "150px"},
                                         layout=W.Layout(width="420px", max_width="100%"))
        self.focal_dropdown.add_class("focal-dropdown")
        self.year_slider = W.IntSlider(min=s.baseline_year + 1, max=s.horizon, value=s.target_year, step=1,
                                       continuous_update=False, style={"description_width": "150px"},
                                       layout=W.Layout(width="420px", max_width="100%"))
        self.year_slider.add_class("target-year")
        self.others_box = W.Checkbox(value=s.others_fee_waiver_share > 0, indent=False,
                                     layout=W.Layout(width="auto", max_width="100%"))
        self.others_box.add_class("others-copy")
        self.sliders: dict[str, object] = {}
        self.value_boxes: dict[str, object] = {}
        self.today_labels: dict[str, object] = {}
        rows = []
        for lever in levers.registry():
            slider = W.FloatSlider(min=100 * lever.min, max=100 * lever.max, step=100 * lever.step,
                                   readout=False, continuous_update=False,
                                   style={"description_width": "290px"})
            slider.add_class(f"lever-{lever.name}")
            slider.observe(functools.partial(self._on_lever, lever.name), names="value")
            box = W.Text(continuous_update=False)
            box.add_class("lever-value")
            box.add_class(f"value-{lever.name}")
            box.observe(functools.partial(self._on_value_box, lever.name), names="value")
            today = W.HTML()
            today.add_class(f"today-{lever.name}")
            self.sliders[lever.name] = slider
            self.value_boxes[lever.name] = box
            self.today_labels[lever.name] = today
            row = W.Box([slider, box, today])
            row.add_class("lever-row")
            rows.append(row)
        self.message = W.HTML()
        self.message.add_class("panel-message")
        self.busy = W.HTML()
        self.busy.add_class("panel-busy-box")
        self.download = W.HTML()
        self.download.add_class("panel-download")
        self.upload = W.FileUpload(accept=".yaml,.yml", multiple=False)
        self.upload.add_class("upload-scenario")
        self.file_status = W.HTML()
        self.file_status.add_class("file-status")

        self.lang_toggle.observe(self._on_lang, names="value")
        self.focal_dropdown.observe(self._on_focal, names="value")
        self.year_slider.observe(self._on_year, names="value")
        self.others_box.observe(self._on_others, names="value")
        self.upload.observe(self._on_upload, names="value")

        controls = W.VBox([self.lang_toggle, self.focal_dropdown, self.year_slider, self.others_box, *rows],
                          layout=W.Layout(max_width="100%"))
        files = W.VBox([W.HBox([self.download, self.upload], layout=W.Layout(flex_flow="row wrap",
                                                                            align_items="center")),
                        self.file_status])
        self.widget = W.VBox([self.style, self.busy, self.title, self.intro, controls, self.message,
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

    def set(self, *, focal: str | None = None, target_year: int | None = None,
            others_copy: bool | None = None, lang: str | None = None) -> dict:
        """Change the other controls programmatically (validated; ScenarioError on bad values)."""
        self.controller.set(focal=focal, target_year=target_year, others_copy=others_copy, lang=lang)
        self._sync_controls()
        self._relabel()
        self._refresh()
        return self.displayed()

    # ---- saving and loading: through the browser (download / upload), or in the one server folder

    def scenario_yaml(self) -> str:
        """The current settings as a scenario YAML file's text (what Download gives)."""
        return self._scenario.to_yaml()

    def download_name(self) -> str:
        """The downloaded file's name: the scenario's name made safe for a file system."""
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", self._scenario.name).strip("_")[:60]
        return f"{stem or 'scenario'}.yaml"

    def _in_folder(self, name: str | Path) -> Path | None:
        """``name`` inside the scenarios folder, or None when it is not a plain .yaml file name."""
        text = str(name).strip()
        pure = PurePath(text)
        if (not text or pure.is_absolute() or len(pure.parts) != 1 or pure.name in (".", "..")
                or "/" in text or "\\" in text or pure.suffix.lower() not in (".yaml", ".yml")):
            return None
        target = self.folder / pure.name
        try:
            if target.resolve().parent != self.folder.resolve():  # a link out of the folder
                return None
        except OSError:
            return None
        return target

    def _bad_name(self, name, action: str) -> bool:
        """Say that ``name`` is not a file name in the scenarios folder; return False."""
        lang = self.lang
        issue = Issue(word("file_name", lang), str(name), i18n_allowed_name(lang, self.folder))
        if action == "save_failed":
            self._set_file_status("error", word("save_failed", lang).format(path=str(name)[:80],
                                                                            error=issue_text(issue, lang)))
        else:
            self._set_file_status("error", word("load_failed", lang), [issue_text(issue, lang)])
        return False

    def save(self, name: str | Path, overwrite: bool = False) -> bool:
        """Write the current settings as ``name`` (a .yaml file name) in the scenarios folder,
        atomically; the status line says how it went. No other server path can be written and
        no folder but the scenarios folder itself is ever created. An existing file is replaced
        only when ``overwrite`` is true or Save is asked twice."""
        target = self._in_folder(name)
        lang = self.lang
        if target is None:
            return self._bad_name(name, "save_failed")
        try:
            if target.exists() and not overwrite and self._confirm_overwrite != target:
                self._confirm_overwrite = target
                self._set_file_status("error", word("exists", lang).format(path=target))
                return False
            scenario = self._scenario.with_(name=target.stem[:80])
            if not self.folder.is_dir():
                self.folder.mkdir()  # the configured folder only, never its parents
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
        self._render_download()
        return True

    def load(self, name: str | Path) -> bool:
        """Open ``name`` (a .yaml file name in the scenarios folder); if it is not valid, say why
        and change nothing."""
        target = self._in_folder(name)
        if target is None:
            return self._bad_name(name, "load_failed")
        return self._adopt_file(target, str(target), word("loaded", self.lang).format(name="{name}", path=target))

    def load_text(self, content: bytes | str, file_name: str = "scenario.yaml") -> bool:
        """Open a scenario from a file's content (what Upload sends), with the same checks as a
        scenario file; nothing is kept on the server."""
        lang = self.lang
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        shown = PurePath(str(file_name)).name[:80] or "scenario.yaml"
        problems = []
        if PurePath(shown).suffix.lower() not in (".yaml", ".yml"):
            problems.append(issue_text(Issue(word("file_name", lang), shown, "a .yaml or .yml file"), lang))
        if len(data) > MAX_UPLOAD_BYTES:
            problems.append(f"{shown}: {word('upload_too_big', lang).format(limit=MAX_UPLOAD_BYTES // 1024)}")
        if problems:
            self._set_file_status("error", word("load_failed", lang), problems)
            return False
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", PurePath(shown).stem)[:60] or "scenario"
        with tempfile.TemporaryDirectory(prefix="simlib-upload-") as folder:
            path = Path(folder) / f"{stem}.yaml"
            path.write_bytes(data)
            return self._adopt_file(path, shown, word("uploaded", lang).format(name="{name}", file=shown))

    def _adopt_file(self, path: Path, shown: str, ok_text: str) -> bool:
        lang = self.lang
        try:
            scenario = load_yaml(path)
        except InputError as exc:
            self._set_file_status("error", word("load_failed", lang),
                                  [issue_text(replace_where(i, str(path), shown), lang) for i in exc.issues])
            return False
        except (OSError, KeyError, ValueError) as exc:
            self._set_file_status("error", word("load_failed", lang), [f"{shown}: {exc}"])
            return False
        try:
            self.controller.adopt(scenario)
        except Exception as exc:  # noqa: BLE001 - reported as text, state restored
            self._render()
            self._set_file_status("error", word("load_failed", lang), [f"{type(exc).__name__}: {exc}"])
            return False
        self._value_note = None
        self._sync_controls()
        self._render()
        self._confirm_overwrite = None
        self._set_file_status("ok", ok_text.replace("{name}", scenario.name))
        return True

    def _set_file_status(self, kind: str, text: str, details: list[str] | None = None) -> None:
        colour = "#1a7f37" if kind == "ok" else "#a01010"
        items = "".join(f"<li>{escape_text(d)}</li>" for d in (details or []))
        self.file_status.value = (f'<div class="file-{kind}" style="color:{colour}">{escape_text(text)}'
                                  f'{"<ul>" + items + "</ul>" if items else ""}</div>')

    def _render_download(self) -> None:
        """The Download link: the scenario YAML in the link itself (nothing is written on the server)."""
        data = base64.b64encode(self.scenario_yaml().encode("utf-8")).decode("ascii")
        self.download.value = (f'<a class="download-scenario jupyter-button" download="{html.escape(self.download_name())}" '
                               f'href="data:application/x-yaml;charset=utf-8;base64,{data}" '
                               f'style="display:inline-block;padding:0 10px;line-height:28px;text-decoration:none">'
                               f'⬇ {escape_text(word("download_scenario", self.lang))}</a>')

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
            self._value_note = word("bad_value", self.lang).format(
                lever=lever.label(self.lang), text=text[:40], lo=num(100 * lever.min, 0, self.lang),
                hi=num(100 * lever.max, 0, self.lang), value=num(100 * current, 1, self.lang))
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
        self._relabel()
        self._refresh()

    @_guarded
    def _on_lang(self, change) -> None:
        if self._syncing:
            return
        self.controller.set(lang=change["new"])
        self._sync_controls()
        self._relabel()
        self._render()

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

    # ---- keeping widgets and state in step

    def _sync_value_box(self, name: str) -> None:
        self._syncing = True
        try:
            self.value_boxes[name].value = percent_text(self.lever_values()[name], self.lang)
        finally:
            self._syncing = False

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
                self.value_boxes[name].value = percent_text(value, self.lang)
            self._set_today_labels()
        finally:
            self._syncing = False

    def _set_today_labels(self) -> None:
        current = self._scenario.current()
        lang = self.lang
        for name, label in self.today_labels.items():
            b = current[name]
            text = word("today", lang).format(value=num(100 * b.value, 1, lang), year=b.year)
            status = word(f"status_{b.status}", lang) if f"status_{b.status}" in PANEL_WORDS else b.status
            tip = f"{word('source', lang)}: {b.source_in(lang)} ({status})"
            label.value = (f'<span class="today-value" title="{html.escape(tip)}" '
                           f'style="color:#555;padding-left:4px">{escape_text(text)}</span>')

    def _relabel(self) -> None:
        """Every label in the current language."""
        lang = self.lang
        s = self._scenario
        self.title.value = f"<h3>{escape_text(word('title', lang))}</h3>"
        self.focal_dropdown.description = word("focal", lang)
        self.year_slider.description = word("target_year", lang)
        share = s.others_fee_waiver_share
        self.others_box.description = (word("others_copy_fee", lang) if share in (0.0, 1.0) else
                                       f'{word("others_copy_fee", lang)}: '
                                       + word("others_partial", lang).format(share=num(100 * share, 0, lang),
                                                                            year=s.others_fee_waiver_year))
        for lever in levers.registry():
            self.sliders[lever.name].description = f"{lever.label(lang)} (%)"
            self.sliders[lever.name].tooltip = lever.description_en if lang == "en" else lever.label_vi
            self.value_boxes[lever.name].tooltip = word("value_box", lang)
        self.upload.description = word("upload_scenario", lang)
        self._set_today_labels()
        self._render_download()

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
        self.busy.value = f'<div class="panel-busy" role="status">{escape_text(word("computing", self.lang))}</div>'
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
        self.intro.value = (f'<p class="panel-intro" style="max-width:1000px">'
                            f'{escape_text(word("intro", c.lang).format(draws=num(s.draws, 0, c.lang), seed=s.seed))}'
                            f'</p>')
        self._show_messages()
        self._render_download()
        if c.outcome is None:
            return
        for section in sorted(self.sections, key=lambda sec: sec.render_last):
            section.render(c)


def percent_text(share: float, lang: str) -> str:
    """A share as typed in a value box: percent with one decimal, two when it has them (45,5 / 7,25)."""
    x = round(100.0 * share, 2)
    return num(x, 1 if round(x, 1) == x else 2, lang)


def replace_where(issue: Issue, path: str, shown: str) -> Issue:
    """The issue with a temporary file's path replaced by the name the user knows."""
    return Issue(issue.where.replace(path, shown), issue.value, issue.allowed)


def i18n_allowed_name(lang: str, folder: Path) -> str:
    return word("not_a_file_name", lang).format(folder=folder.name)
