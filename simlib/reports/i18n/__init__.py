"""Every word a reader sees, in Vietnamese (default) and English: one ``say()`` for all of them.

``say(key, lang, **fields)`` gives the words of ``key``: a label (``LABELS``, or a declared
outcome read from ``simlib.engine.outcomes``) or ``"section.key"`` for a sentence of one part of
the tool (``SECTIONS``). Unknown keys raise KeyError, so a missing word is caught by the tests
rather than shown as a raw key. The words live by role, each fact in one place:

- ``labels``: labels, table headers, headings, notes and summary sentences of the reports;
- ``analyses``: sentences of sensitivity, target, calibration and evaluation;
- ``screens``: the lever explorer's words and the planner's views (league table, one-pager, Excel);
- ``inputs``: what an input may be, in Vietnamese, and one input problem as a line;
- ``datawords``: the data's clashes between sources and the parameters' units in the reader's language;
- ``yearwords``: each year's new results, frozen forecasts and the "what's new" report.
"""

from __future__ import annotations

import numbers
import string

from ...engine import outcomes
from ..numbers import fmt
from .analyses import CALIBRATION, EVALUATION, SENSITIVITY, TARGET
from .datawords import CLASHES_VI, PARAM_UNITS_VI, clash_text, param_unit
from .inputs import ALLOWED_VI, allowed_text, issue_text
from .labels import LABELS
from .screens import PANEL, PLANNER
from .yearwords import FORECAST, RESULTS, WHATSNEW

__all__ = [
    "LANGS",
    "LABELS",
    "SECTIONS",
    "say",
    "known",
    "allowed_text",
    "issue_text",
    "clash_text",
    "param_unit",
    "ALLOWED_VI",
    "CLASHES_VI",
    "PARAM_UNITS_VI",
    "PANEL",
    "PLANNER",
    "SENSITIVITY",
    "TARGET",
    "CALIBRATION",
    "EVALUATION",
]

LANGS = ("vi", "en")

SECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "sensitivity": SENSITIVITY,
    "target": TARGET,
    "calibration": CALIBRATION,
    "evaluation": EVALUATION,
    "panel": PANEL,
    "planner": PLANNER,
    "results": RESULTS,
    "forecast": FORECAST,
    "whatsnew": WHATSNEW,
}


def _check(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")


def _words(key: str, lang: str) -> str:
    """The words of ``key`` (a label, or ``section.key``) in ``lang``, ``{fields}`` not filled in."""
    _check(lang)
    section, dot, name = key.partition(".")
    if dot and section in SECTIONS:
        vi, en = SECTIONS[section][name]
        return vi if lang == "vi" else en
    if key in outcomes.names():  # declared outcomes, read live: a new one is one declaration
        return outcomes.get(key).label(lang)
    vi, en = LABELS[key]
    return vi if lang == "vi" else en


def say(key: str, lang: str = "vi", **fields) -> str:
    """The one way to put words on a page: the words of ``key`` in ``lang`` ('vi' or 'en'), ``{fields}``
    filled in (a field missing raises KeyError); without fields, the words as written. ``key`` is a
    label (``LABELS`` or a declared outcome) or ``"section.key"`` for a sentence of one part of the
    tool (``SECTIONS``: ``say("target.nb_title", "en")``, the panel's own words ``say("panel.title")``)."""
    words = _words(key, lang)
    return _Fields(lang).vformat(words, (), fields) if fields else words


class _Fields(string.Formatter):
    """Fills a sentence's fields; a number (``{p:.2f}``, ``{n:,}``) goes through the one number
    formatter (``numbers.fmt``), so a Vietnamese sentence reads 0,60 and 1.000, never 0.60."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return fmt(value, format_spec, self.lang)
        return super().format_field(value, format_spec)


def known(key: str) -> bool:
    """Whether ``say`` has a label for ``key`` (a label of ``LABELS`` or a declared outcome)."""
    return key in LABELS or key in outcomes.names()
