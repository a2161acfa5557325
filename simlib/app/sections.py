"""The lever explorer's output sections: each a widget redrawn from ``ExplorerState`` after every change.

A section is a view: it reads the state's last outcome and writes its widget; it never changes the
state (sections with controls of their own, as the planner's goal-seek, act through the panel).
A new output is one ``Section`` subclass added to ``SECTIONS`` (or passed as
``LeverExplorer(sections=...)``).
"""

from __future__ import annotations

import html

from ..reports.i18n import say
from . import links
from .panel_figures import ProjectionFigure, RankFigure
from .panel_html import compare_html, escape_text, headline_html
from .state import ExplorerState


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
        shown = (
            f'<a class="share-url" href="{html.escape(url)}" target="_blank" rel="noopener">{escape_text(url)}</a>'
            if address
            else f'<code class="share-url">{escape_text(query)}</code> '
            f"<small>({escape_text(say('panel.share_query_only', lang))})</small>"
        )
        page_words = " ".join(
            f'data-{key.replace("_", "-")}="{html.escape(say(f"panel.{key}", lang))}"'
            for key in ("disconnected", "reload", "copied", "copy_failed")
        )
        self.widget.value = (
            f'<div class="share-box" style="color:#555">{escape_text(say("panel.share_link", lang))}: '
            f'{shown} <button type="button" class="copy-link">{escape_text(say("panel.copy_link", lang))}'
            f'</button><code class="share-query" style="display:none">{escape_text(query)}</code>'
            f'<span class="page-words" hidden {page_words}></span></div>'
        )


class TrackRecordSection(Section):
    """One line on how good the model has been (the stored ``simlib evaluate`` summary)."""

    css_class = "panel-track-record"

    _shown: tuple | None = None  # (what the line depends on, the line): read once, not on every move

    def render(self, state: ExplorerState) -> None:
        from ..reports.evaluation import track_record_for

        s = state.scenario
        key = (state.lang, s.focal, s.baseline_year, s.target_year)
        if self._shown is None or self._shown[0] != key:
            self._shown = (key, track_record_for(s, state.lang))
        self.widget.value = f'<p style="color:#555">{escape_text(self._shown[1])}</p>'


SECTIONS: tuple[type[Section], ...] = (
    HeadlineSection,
    TrackRecordSection,
    ProjectionSection,
    RankSection,
    ComparisonSection,
    ShareSection,
)
