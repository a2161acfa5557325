"""The lever explorer's controls: the widgets a planner sets, their labels, and keeping them in step
with the state (``ExplorerState``) without firing their callbacks.

A slider and a value box per lever of the registry (in %, today's value beside it; for a lever
counted in procedures, a count box "350 / 708 TTHC" where the focal unit has a total), the scenario's
name and description, the focal unit, the target year, whether the other units copy the zero online
fee, the language, and the planner's own unit costs (folded away); the page's style sheet. ``PanelControls`` is the part of ``LeverExplorer`` that builds and relabels them; the
callbacks they are wired to (``_on_*``) are the panel's.
"""

from __future__ import annotations

import functools
import html

from ..engine import costs, levers
from ..reports.i18n import say
from ..reports.text import num
from .formatting import unit_options
from .panel_html import escape_text

# Layout that holds from a phone (390 px) to a desktop: rows wrap, sliders take the width left,
# wide tables scroll inside their box; the busy note shows only when an update takes > 0.3 s.
# Below 640 px every labelled control puts its label on a line of its own above it, rows of controls
# wrap, buttons wrap their words, and text boxes never grow wider than the screen (a table alone
# scrolls sideways, inside its own box). Written for every widget of the panel, not one by one, so a
# control added later is held to it (tests/app/test_browser.py checks every control at 390 px).
PANEL_CSS = """<style>
.lever-explorer{box-sizing:border-box;max-width:1000px;width:100%}
.lever-explorer .widget-html,.lever-explorer .widget-html-content{min-width:0;max-width:100%}
.lever-explorer .lever-row{display:flex;flex-wrap:wrap;align-items:center;gap:2px 8px;width:100%;max-width:900px}
.lever-explorer .lever-row .widget-hslider{flex:1 1 420px;min-width:0;max-width:640px;width:auto}
.lever-explorer .lever-row .widget-hslider .slider-container{min-width:120px}
.lever-explorer .lever-value{width:76px;flex:0 0 76px}
.lever-explorer .lever-value input{text-align:right}
.lever-explorer .lever-count{width:70px;flex:0 0 70px}
.lever-explorer .lever-count input{text-align:right}
.lever-explorer .scenario-texts{display:flex;flex-wrap:wrap;gap:2px 8px;max-width:900px}
.lever-explorer .scenario-texts .widget-text,.lever-explorer .scenario-texts .widget-textarea{width:440px!important;max-width:100%}
.lever-explorer .own-costs .cost-row{display:flex;flex-wrap:wrap;align-items:center;gap:2px 8px;max-width:100%}
.lever-explorer .own-costs .cost-box{width:110px;flex:0 0 110px}
.lever-explorer .own-costs .cost-label{max-width:100%;white-space:normal}
.lever-explorer .panel-compare,.lever-explorer .panel-headline{overflow-x:auto;max-width:100%}
.lever-explorer .table-scroll{overflow-x:auto;max-width:100%}
.lever-explorer .widget-dropdown,.lever-explorer .target-year{max-width:100%}
.lever-explorer .widget-hbox{flex-wrap:wrap;max-width:100%}
.lever-explorer img{max-width:100%;height:auto}
.lever-explorer .share-url{word-break:break-all}
.panel-busy{position:fixed;top:8px;right:8px;z-index:1000;background:#1f5fa8;color:#fff;padding:6px 14px;
 border-radius:4px;font-weight:bold;box-shadow:0 1px 4px rgba(0,0,0,.3);visibility:hidden;
 animation:simlib-busy 0s linear .3s forwards}
@keyframes simlib-busy{to{visibility:visible}}
.lever-explorer .section-updating{opacity:.45;transition:opacity .2s}
@media (max-width:640px){
 .lever-explorer .widget-inline-hbox:not(.widget-html){flex-wrap:wrap;height:auto!important;width:100%!important;
  max-width:100%!important}
 .lever-explorer .widget-inline-hbox>.widget-label{width:100%!important;max-width:100%!important;text-align:left;
  white-space:normal;overflow:visible;height:auto;line-height:1.35;margin-bottom:2px}
 .lever-explorer .widget-inline-hbox>select,.lever-explorer .widget-inline-hbox>input,
 .lever-explorer .widget-inline-hbox>.slider-container{flex:1 1 auto;min-width:0}
 .lever-explorer .widget-checkbox .widget-label-basic{height:auto;align-items:flex-start}
 .lever-explorer .widget-checkbox .widget-label-basic span{white-space:normal;overflow:visible}
 .lever-explorer .lever-row .widget-hslider{flex:1 1 100%}
 .lever-explorer .lever-row .widget-hslider .slider-container{flex:1 1 auto;min-width:200px}
 .lever-explorer .widget-dropdown>select{flex:1 1 auto;min-width:0}
 .lever-explorer .scenario-texts .widget-text,.lever-explorer .scenario-texts .widget-textarea{flex-wrap:wrap;width:100%!important}
 .lever-explorer .scenario-texts .widget-label{width:100%!important;max-width:100%!important;text-align:left}
 .lever-explorer .scenario-texts input,.lever-explorer .scenario-texts textarea{flex:1 1 100%;min-width:0}
 .lever-explorer .lever-row .lever-value{width:76px!important;flex:0 0 76px}
 .lever-explorer .jupyter-button{height:auto!important;min-height:28px;max-width:100%;white-space:normal;
  line-height:1.35;padding-top:4px;padding-bottom:4px;text-align:left}
 .lever-explorer .jupyter-button.widget-toggle-button{text-align:center}
 .lever-explorer .compare-table,.lever-explorer .headline-table{font-size:13px}
 .lever-explorer .compare-table td,.lever-explorer .compare-table th{padding:2px 4px!important}
 .lever-explorer .panel-waterfall td{white-space:normal!important}
 .lever-explorer .panel-waterfall td:first-child{min-width:6.5em}
 .lever-explorer .panel-waterfall td.wf-value{min-width:4.5em}
}
</style>"""


class PanelControls:
    """Builds the panel's widgets and keeps them in step with the state (mixed into ``LeverExplorer``)."""

    def _build(self) -> None:
        W = self._W
        s = self._scenario
        self.style = W.HTML(PANEL_CSS)
        self.title = W.HTML()
        self.intro = W.HTML()
        self.lang_toggle = W.ToggleButtons(
            options=[("Tiếng Việt", "vi"), ("English", "en")], value=self.lang, style={"button_width": "110px"}
        )
        self.lang_toggle.add_class("lang-toggle")
        self.focal_dropdown = W.Dropdown(
            options=unit_options(),
            value=s.focal,
            style={"description_width": "150px"},
            layout=W.Layout(width="420px", max_width="100%"),
        )
        self.focal_dropdown.add_class("focal-dropdown")
        self.year_slider = W.IntSlider(
            min=s.baseline_year + 1,
            max=s.horizon,
            value=s.target_year,
            step=1,
            continuous_update=False,
            style={"description_width": "150px"},
            layout=W.Layout(width="420px", max_width="100%"),
        )
        self.year_slider.add_class("target-year")
        self.others_box = W.Checkbox(
            value=s.others_fee_waiver_share > 0, indent=False, layout=W.Layout(width="auto", max_width="100%")
        )
        self.others_box.add_class("others-copy")
        self.sliders: dict[str, object] = {}
        self.value_boxes: dict[str, object] = {}
        self.today_labels: dict[str, object] = {}
        self.count_boxes: dict[str, object] = {}  # levers counted in procedures
        self.total_labels: dict[str, object] = {}
        self.title_box = W.Text(continuous_update=False, style={"description_width": "150px"})
        self.title_box.add_class("scenario-title")
        self.description_box = W.Textarea(rows=2, continuous_update=False, style={"description_width": "150px"})
        self.description_box.add_class("scenario-description")
        for box in (self.title_box, self.description_box):
            box.observe(self._on_texts, names="value")
        texts = W.Box([self.title_box, self.description_box])
        texts.add_class("scenario-texts")
        rows = []
        for lever in levers.registry():
            slider = W.FloatSlider(
                min=100 * lever.min,
                max=100 * lever.max,
                step=100 * lever.step,
                readout=False,
                continuous_update=False,
                style={"description_width": "290px"},
            )
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
            parts = [slider, box]
            if lever.counted:
                count = W.Text(continuous_update=False)
                count.add_class("lever-count")
                count.add_class(f"count-{lever.name}")
                count.observe(functools.partial(self._on_count, lever.name), names="value")
                of_total = W.HTML()
                of_total.add_class(f"total-{lever.name}")
                self.count_boxes[lever.name] = count
                self.total_labels[lever.name] = of_total
                parts += [count, of_total]
            row = W.Box([*parts, today])
            row.add_class("lever-row")
            rows.append(row)
        self.message = W.HTML()
        self.message.add_class("panel-message")
        self.busy = W.HTML()
        self.busy.add_class("panel-busy-box")
        self.download = W.HTML()
        self.download.add_class("panel-download")
        self.upload = W.FileUpload(accept=".yaml,.yml", multiple=False, layout=W.Layout(width="auto", max_width="100%"))
        self.upload.add_class("upload-scenario")
        self.file_status = W.HTML()
        self.file_status.add_class("file-status")

        for key, control in (
            ("lang", self.lang_toggle),
            ("focal", self.focal_dropdown),
            ("target_year", self.year_slider),
            ("others_copy", self.others_box),
        ):
            control.observe(functools.partial(self._on_setting, key), names="value")
        self.upload.observe(self._on_upload, names="value")

        self.cost_panel = self._build_costs(W)
        controls = W.VBox(
            [self.lang_toggle, texts, self.focal_dropdown, self.year_slider, self.others_box, *rows, self.cost_panel],
            layout=W.Layout(max_width="100%"),
        )
        files = W.VBox(
            [
                W.HBox([self.download, self.upload], layout=W.Layout(flex_flow="row wrap", align_items="center")),
                self.file_status,
            ]
        )
        self.widget = W.VBox(
            [
                self.style,
                self.busy,
                self.title,
                self.intro,
                controls,
                self.message,
                *(section.widget for section in self.sections),
                files,
            ],
            layout=W.Layout(padding="4px 8px"),
        )
        self.widget.add_class("lever-explorer")

    def _build_costs(self, W):
        """The planner's own unit costs, folded away: a labelled box per overridable unit cost (empty = the
        data's value, shown as the placeholder) and a button back to the defaults."""
        self.cost_boxes: dict[str, object] = {}
        self.cost_labels: dict[str, object] = {}
        self.cost_note = W.HTML()
        rows = []
        for key in costs.overridable():
            label = W.HTML()
            label.add_class("cost-label")
            box = W.Text(continuous_update=False)
            box.add_class("cost-box")
            box.add_class(f"cost-{key}")
            box.observe(functools.partial(self._on_cost, key), names="value")
            self.cost_boxes[key], self.cost_labels[key] = box, label
            row = W.Box([label, box])
            row.add_class("cost-row")
            rows.append(row)
        self.costs_reset = W.Button(layout=W.Layout(width="auto", max_width="100%"))
        self.costs_reset.add_class("costs-reset")
        self.costs_reset.on_click(lambda _b: self._on_costs_reset())
        panel = W.Accordion(children=[W.VBox([self.cost_note, *rows, self.costs_reset])], selected_index=None)
        panel.add_class("own-costs")
        panel.layout.max_width = "100%"
        return panel

    def _sync_value_box(self, name: str) -> None:
        self._syncing = True
        try:
            self.value_boxes[name].value = percent_text(self.lever_values()[name], self.lang)
            self._sync_count_box(name, self.lever_values()[name])
        finally:
            self._syncing = False

    def _sync_count_box(self, name: str, share: float) -> None:
        """The count box of a lever counted in procedures: the number for the focal unit's total, shown
        only when the unit has one (callers hold ``_syncing``)."""
        if name not in self.count_boxes:
            return
        total = levers.total(name, self._scenario.focal)
        box, label = self.count_boxes[name], self.total_labels[name]
        shown = total is not None
        box.layout.display = label.layout.display = None if shown else "none"
        if shown:
            box.value = str(round(total.count(share)))
            label.value = escape_text(
                say(
                    "answers.of_total",
                    self.lang,
                    total=num(total.total, 0, self.lang),
                    what=levers.get(name).count_word(self.lang),
                )
            )

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
                self._sync_count_box(name, value)
            self.title_box.value = s.heading(self.lang) if s.title or s.title_en or s.name != "scenario" else ""
            self.description_box.value = s.summary(self.lang)
            for key, box in self.cost_boxes.items():
                own = s.costs.get(key)
                box.value = "" if own is None else num(own[1], 2, self.lang).rstrip("0").rstrip(",.")
            self._set_today_labels()
        finally:
            self._syncing = False

    def _set_today_labels(self) -> None:
        current = self._scenario.current()
        lang = self.lang
        for name, label in self.today_labels.items():
            b = current[name]
            total = levers.total(name, self._scenario.focal)
            text = (
                say("panel.today", lang, value=num(100 * b.value, 1, lang), year=b.year)
                if total is None
                else say(
                    "answers.today_count",
                    lang,
                    count=num(round(total.count(b.value)), 0, lang),
                    total=num(total.total, 0, lang),
                    what=levers.get(name).count_word(lang),
                    value=num(100 * b.value, 1, lang),
                    year=b.year,
                )
            )
            status = say(f"panel.status_{b.status}", lang)  # stated | derived | assumption, checked by the loader
            tip = f"{say('panel.source', lang)}: {b.source_in(lang)} ({status})"
            label.value = (
                f'<span class="today-value" title="{html.escape(tip)}" '
                f'style="color:#555;padding-left:4px">{escape_text(text)}</span>'
            )

    def _relabel(self) -> None:
        """Every label in the current language."""
        lang = self.lang
        s = self._scenario
        self.title.value = f"<h3>{escape_text(say('panel.title', lang))}</h3>"
        self.focal_dropdown.description = say("focal", lang)
        self.year_slider.description = say("target_year", lang)
        share = s.others_fee_waiver_share
        self.others_box.description = (
            say("others_copy_fee", lang)
            if share in (0.0, 1.0)
            else f"{say('others_copy_fee', lang)}: "
            + say("panel.others_partial", lang, share=num(100 * share, 0, lang), year=s.others_fee_waiver_year)
        )
        for lever in levers.registry():
            self.sliders[lever.name].description = f"{lever.label(lang)} (%)"
            self.sliders[lever.name].tooltip = lever.description_en if lang == "en" else lever.label_vi
            self.value_boxes[lever.name].tooltip = say("panel.value_box", lang)
        self.upload.description = say("panel.upload_scenario", lang)
        self.title_box.description = say("answers.title_box", lang)
        self.title_box.placeholder = say("answers.title_placeholder", lang)
        self.description_box.description = say("answers.description_box", lang)
        self.description_box.placeholder = say("answers.description_placeholder", lang)
        for box in self.count_boxes.values():
            box.tooltip = say("answers.count_box", lang)
        self._relabel_costs()
        self._set_today_labels()
        self._render_download()

    def _relabel_costs(self) -> None:
        lang = self.lang
        self.cost_panel.set_title(0, say("answers.own_costs", lang))
        self.cost_note.value = (
            f'<p style="color:#555;max-width:900px">{escape_text(say("answers.own_costs_note", lang))}</p>'
        )
        for key, row in costs.overridable().items():
            amount, per = say(f"costs.amount_{row.amount_unit}", lang), say(f"costs.per_{row.per}", lang)
            head = (
                say("answers.cost_box_rate", lang, amount=f"{amount}/{per}" if lang == "vi" else f"{amount} per {per}")
                if row.kind == "rate"
                else say("answers.cost_box", lang, lever=levers.get(key).label(lang), amount=amount, per=per)
            )
            default = say(
                "answers.cost_default",
                lang,
                central=num(row.central, 2, lang),
                low=num(row.low, 2, lang),
                high=num(row.high, 2, lang),
                basis=say(f"costs.basis_{row.basis}", lang),
            )
            self.cost_labels[key].value = f"<span>{escape_text(head)} — {escape_text(default)}</span>"
            self.cost_boxes[key].placeholder = num(row.central, 2, lang)
            self.cost_boxes[key].tooltip = f"{head}: {default}"
        self.costs_reset.description = say("answers.costs_reset", lang)


def percent_text(share: float, lang: str) -> str:
    """A share as typed in a value box: percent with one decimal, two when it has them (45,5 / 7,25)."""
    x = round(100.0 * share, 2)
    return num(x, 1 if round(x, 1) == x else 2, lang)
