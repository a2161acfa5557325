"""The lever explorer as a web page (Voilà): shareable links to a set of lever values.

Voilà hands the page's URL query string to the notebook's kernel as
``os.environ["QUERY_STRING"]``, so a planner can share a link to a scenario:

    http://127.0.0.1:8866/?simplification=0.6&delegation=0.5&lang=en&focal=da-nang

Accepted keys (``QUERY_KEYS``): one per lever of the registry (a share reached by the
target year: a fraction 0–1 such as ``0.6``, or a percentage such as ``60%``), ``focal``
(a 2025 unit slug), ``lang`` (vi/en), ``target_year``, ``others_copy`` (the other units
copy the zero online fee: 1/0, true/false, yes/no), ``draws`` and ``seed``.
``parse_query`` returns the values it could read and one ``Issue`` per value it could
not; the panel reports those as text and ignores them.
"""
from __future__ import annotations

import os
from urllib.parse import parse_qsl, quote

from ..engine import levers
from ..engine.errors import Issue
from ..reports.i18n import LANGS

SCENARIO_KEYS = ("focal", "target_year", "draws", "seed")
QUERY_KEYS = SCENARIO_KEYS + ("lang", "others_copy")  # and every lever name
# Keys Voilà or Jupyter may add to a page's URL themselves: not the panel's business.
FOREIGN_PREFIXES = ("voila", "jupyter")
FOREIGN_KEYS = {"token", "theme", "kernel_name", "reset"}
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def query_string(environ: dict | None = None) -> str:
    """The page's query string as Voilà passes it to the kernel ('' outside Voilà)."""
    environ = os.environ if environ is None else environ
    return environ.get("QUERY_STRING", "") or ""


def parse_share(text: str, lever: levers.Lever) -> float | None:
    """A lever value from text: a fraction ('0.6'), a percentage ('60%'), either with a decimal
    comma ('0,6'); None if unreadable or outside the lever's bounds."""
    value = levers.parse_share(text)
    if value is None or not lever.min <= value <= lever.max:
        return None
    return round(value, 6)


def _parse_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("+-").isdigit() else None


def parse_query(query: str) -> tuple[dict, list[Issue]]:
    """Panel values from a URL query string, and one Issue per key or value that is not usable.

    Returns plain values: lever shares as fractions, ``target_year``/``draws``/``seed`` as
    ints, ``others_copy`` as bool, ``focal``/``lang`` as text. Range checks that depend on
    the scenario (target year within the horizon, unit slugs) are left to the scenario's
    own validation. A key given twice keeps its last value.
    """
    registry = {lever.name: lever for lever in levers.registry()}
    values: dict = {}
    issues: list[Issue] = []
    for key, text in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        key = key.strip()
        if key in FOREIGN_KEYS or key.startswith(FOREIGN_PREFIXES):
            continue
        where = f"?{key}"
        if key in registry:
            lever = registry[key]
            value = parse_share(text, lever)
            if value is None:
                issues.append(Issue(where, text, f"a share from {lever.min:g} to {lever.max:g} "
                                                 f"(e.g. 0.6) or a percentage (e.g. 60%)"))
                continue
        elif key in ("target_year", "draws", "seed"):
            value = _parse_int(text)
            if value is None:
                issues.append(Issue(where, text, "a whole number"))
                continue
        elif key == "others_copy":
            word = text.strip().lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                issues.append(Issue(where, text, "1 or 0 (also true/false, yes/no)"))
                continue
            value = word in TRUE_WORDS
        elif key == "lang":
            value = text.strip().lower()
            if value not in LANGS:
                issues.append(Issue(where, text, "one of " + ", ".join(LANGS)))
                continue
        elif key == "focal":
            value = text.strip()
        else:
            issues.append(Issue(where, text, "one of " + ", ".join(QUERY_KEYS + tuple(registry))))
            continue
        values[key] = value
    return values, issues


def share_query(values: dict) -> str:
    """The query string (with its leading '?') that reopens the panel with ``values``.

    ``values`` as returned by ``parse_query``; lever shares are written as fractions.
    """
    parts = []
    for key, value in values.items():
        if isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, float):
            text = f"{value:.4f}".rstrip("0").rstrip(".")
        else:
            text = str(value)
        parts.append(f"{quote(key)}={quote(text)}")
    return "?" + "&".join(parts) if parts else ""
