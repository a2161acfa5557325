"""The lever explorer as a web page (Voilà): links that reopen exactly the same settings.

Voilà hands the page's URL query string to the notebook's kernel as
``os.environ["QUERY_STRING"]`` (with pre-heated kernels, once the visit arrives: see
``wait_for_query``), so a planner can share a link to a scenario:

    http://127.0.0.1:8866/?focal=ha-noi&target_year=2027&simplification=0.6&delegation=0.5@2026&lang=en

Accepted keys (``QUERY_KEYS``):
  <lever>        one per lever of the registry: ``0.6`` (a share reached by the target year; also
                 ``60%`` or, with a decimal comma, ``0,6``), ``0.6@2026`` (reached by 2026, then
                 held), or per-year points ``2026:0.4_2028:0.6`` (straight lines between them);
  focal          a 2025 unit slug;  lang  vi/en;  target_year, baseline_year, horizon  years;
  others_share   the share (0–1) of the other units copying the zero online fee, and
  others_year    the year they do it (``others_copy=1/0`` is read as a share of 1 or 0);
  draws, seed    Monte-Carlo draws (at most ``MAX_LINK_DRAWS``) and the random seed;
  name, title, description   the scenario's name and the words readers see (checked as a scenario
                 file's: length, no control characters);
  cost_<key>     a planner's own unit cost (``cost_simplification=30``: staff-days per procedure; the
                 keys and units of ``engine.costs.overridable``).
A link written by the panel names every setting, so it gives the same numbers wherever and
whenever it is opened (same data). ``parse_query`` returns the values it could read and one
``Issue`` per value it could not; the panel reports those as text and ignores them.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, quote

from ..engine import levers
from ..engine.errors import Issue
from ..engine.scenario import MIN_DRAWS
from ..reports.i18n import LANGS

# The most draws a link may ask for: the app's default is 2,000; 10,000 draws take about
# 5× the memory (≈ 120 MB more per page) and 5× the time per update. A larger number in a
# link is refused with a message (the default is used), never silently reduced.
MAX_LINK_DRAWS = 10_000
YEAR_KEYS = ("target_year", "baseline_year", "horizon", "others_year")
SCENARIO_KEYS = ("focal", "target_year", "baseline_year", "horizon", "draws", "seed")
TEXT_KEYS = ("name", "title", "description")
COST_PREFIX = "cost_"
QUERY_KEYS = SCENARIO_KEYS + TEXT_KEYS + ("lang", "others_share", "others_year", "others_copy")  # + levers, cost_*
KERNEL_PORT_VARIABLE = "SIMLIB_APP_KERNEL_PORT"  # set by the lever explorer's server (simlib.app.server)
# Keys Voilà or Jupyter may add to a page's URL themselves: not the panel's business.
FOREIGN_PREFIXES = ("voila", "jupyter")
FOREIGN_KEYS = {"token", "theme", "kernel_name", "reset"}
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
PLAN_ALLOWED = (
    "a target share reached by the year (e.g. 0.6), share@year (0.6@2026) or year:share "
    "points joined by _ (2026:0.4_2028:0.6)"
)


def query_string(environ: dict | None = None) -> str:
    """The page's query string as Voilà passes it to the kernel ('' outside Voilà)."""
    environ = os.environ if environ is None else environ
    return environ.get("QUERY_STRING", "") or ""


def preheated(environ: dict | None = None) -> bool:
    """Whether this kernel was started ahead of its visit (Voilà's pre-heated pool)."""
    environ = os.environ if environ is None else environ
    return environ.get("VOILA_PREHEAT", "False") == "True"


def wait_for_query(environ: dict | None = None) -> str:
    """In a pre-heated kernel: wait until a visit takes this kernel, then return its query string.

    Voilà's server sends a visit's request (its query string, server name, port…) on a websocket
    named after the kernel; the values are put in ``environ`` as Voilà's own helper does. The kernel
    asks the server on the kernels' own port when the server gives one
    (``simlib.app.server.KERNEL_PORT_VARIABLE``: the page's address answers only once a kernel is
    ready). Outside a pre-heated kernel, the query string is returned at once.

    This is Voilà's ``voila.utils.wait_for_request`` without its import: that module loads the whole
    Jupyter server, about 4 CPU-seconds in every pre-heated kernel."""
    environ = os.environ if environ is None else environ
    if not preheated(environ):
        return query_string(environ)
    for key, value in _request_info(_request_info_address(environ)).items():
        environ[key] = value
    return query_string(environ)


def _request_info_address(environ) -> str:
    """The websocket address on which the server sends this kernel its visit's request."""
    port = environ.get(KERNEL_PORT_VARIABLE, "")
    if port.isdigit():
        base = environ.get("VOILA_WS_BASE_URL") or environ.get("VOILA_SERVER_URL") or "/"
        url = f"ws://127.0.0.1:{port}{base}voila/query"
    else:  # as Voilà finds its own address
        base = environ.get("VOILA_WS_BASE_URL") or environ.get("VOILA_SERVER_URL", "/")
        url = (
            f"{environ.get('VOILA_WS_PROTOCOL', 'ws')}://{environ.get('VOILA_APP_IP', '127.0.0.1')}:"
            f"{environ.get('VOILA_APP_PORT', '8866')}{base}voila/query"
        )
    return f"{url}/{environ.get('VOILA_KERNEL_ID', '')}"


def _request_info(address: str) -> dict[str, str]:
    """The visit's request values ({} if the server cannot be reached: the page then opens with the
    notebook's own parameters, as with Voilà's helper)."""
    import json
    import warnings

    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    try:
        with connect(address, open_timeout=5, proxy=None) as socket:
            message = socket.recv()
    except (OSError, WebSocketException) as error:
        warnings.warn(f"no visit's request from {address}: {error}", stacklevel=2)
        return {}
    try:
        values = json.loads(message)
    except ValueError:
        values = None
    if not isinstance(values, dict):
        warnings.warn(f"the visit's request from {address} is not a JSON object: ignored", stacklevel=2)
        return {}
    return {str(key): str(value) for key, value in values.items()}


def page_address(environ: dict | None = None) -> str:
    """The app page's address without its query ('' when not known, e.g. in JupyterLab)."""
    environ = os.environ if environ is None else environ
    host, port = environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT", "")
    if not host:
        return ""
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}{':' + port if port else ''}{environ.get('SCRIPT_NAME', '/') or '/'}"


def parse_share(text: str, lever: levers.Lever) -> float | None:
    """A lever value from text: a fraction ('0.6'), a percentage ('60%'), either with a decimal
    comma ('0,6'); None if unreadable or outside the lever's bounds."""
    value = levers.parse_share(text)
    if value is None or not lever.min <= value <= lever.max:
        return None
    return value


def _parse_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("+-").isdigit() else None


def parse_plan(text: str, lever: levers.Lever):
    """A lever's plan from a link value: a share (float), {'target', 'year'} or {'path': {year: share}};
    None if any part cannot be read. Years are checked against the scenario's later."""
    text = text.strip()
    if ":" in text:
        points = {}
        for part in text.split("_"):
            year_text, _, value_text = part.partition(":")
            year, value = _parse_int(year_text), parse_share(value_text, lever)
            if year is None or value is None or year in points:
                return None
            points[year] = value
        return {"path": points}
    if "@" in text:
        value_text, _, year_text = text.partition("@")
        value, year = parse_share(value_text, lever), _parse_int(year_text)
        return None if value is None or year is None else {"target": value, "year": year}
    return parse_share(text, lever)


def parse_query(query: str) -> tuple[dict, list[Issue]]:
    """Panel values from a URL query string, and one Issue per key or value that is not usable.

    Returns plain values: lever plans (a share as a fraction, {'target', 'year'} or {'path'}),
    years, ``draws`` and ``seed`` as ints, ``others_share`` as a fraction (``others_copy`` is
    read as 1.0 or 0.0), ``focal``/``lang`` as text. Range checks that depend on the scenario
    (years within the horizon, unit slugs) are left to the scenario's own validation. A key
    given twice keeps its last value.
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
            value = parse_plan(text, lever)
            if value is None:
                issues.append(
                    Issue(
                        where,
                        text,
                        f"a share from {lever.min:g} to {lever.max:g} (e.g. 0.6) or a percentage (e.g. 60%)"
                        if ":" not in text and "@" not in text
                        else PLAN_ALLOWED,
                    )
                )
                continue
        elif key in YEAR_KEYS or key == "seed":
            value = _parse_int(text)
            if value is None:
                issues.append(Issue(where, text, "a whole number"))
                continue
        elif key == "draws":
            value = _parse_int(text)
            if value is None or not MIN_DRAWS <= value <= MAX_LINK_DRAWS:
                issues.append(
                    Issue(
                        where,
                        text,
                        f"a whole number from {MIN_DRAWS} to {MAX_LINK_DRAWS:,} (the most draws a link may ask for)",
                    )
                )
                continue
        elif key == "others_share":
            value = levers.parse_share(text)
            if value is None or not 0.0 <= value <= 1.0:
                issues.append(Issue(where, text, "a share from 0 to 1 (e.g. 0.5) or a percentage (e.g. 50%)"))
                continue
        elif key == "others_copy":
            word = text.strip().lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                issues.append(Issue(where, text, "1 or 0 (also true/false, yes/no)"))
                continue
            key, value = "others_share", 1.0 if word in TRUE_WORDS else 0.0
        elif key == "lang":
            value = text.strip().lower()
            if value not in LANGS:
                issues.append(Issue(where, text, "one of " + ", ".join(LANGS)))
                continue
        elif key == "focal":
            value = text.strip()
        elif key in TEXT_KEYS:
            value = text  # checked by the scenario's own validation (length, control characters)
        elif key.startswith(COST_PREFIX):
            cost = parse_cost(text)
            if cost is None:
                issues.append(Issue(where, text, "a unit cost: a number ≥ 0 (e.g. 30 or 30,5)"))
                continue
            values.setdefault("costs", {})[key[len(COST_PREFIX) :]] = cost
            continue
        else:
            issues.append(Issue(where, text, "one of " + ", ".join(QUERY_KEYS + tuple(registry))))
            continue
        values[key] = value
    return values, issues


def parse_cost(text: str) -> float | None:
    """A unit cost from a link: a number ≥ 0, with a decimal point or comma; None if unreadable."""
    t = text.strip()
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    try:
        x = float(t)
    except ValueError:
        return None
    return x if x >= 0 and x == x and x != float("inf") else None


def _number(x: float) -> str:
    """A share as written in a link: the shortest text that reads back as the same number ('0.6')."""
    return repr(float(x))


def plan_text(plan) -> str:
    """A lever plan (share, {'target', 'year'} or {'path'}) as a link value."""
    if isinstance(plan, dict) and "path" in plan:
        return "_".join(f"{int(y)}:{_number(v)}" for y, v in sorted(plan["path"].items()))
    if isinstance(plan, dict):
        return f"{_number(plan['target'])}@{int(plan['year'])}"
    return _number(plan)


def share_query(values: dict) -> str:
    """The query string (with its leading '?') that reopens the panel with ``values``.

    ``values`` as returned by ``parse_query``; shares are written as fractions.
    """
    registry = set(levers.names())
    parts = []
    for key, value in values.items():
        if key == "costs":
            for cost_key, cost in value.items():
                parts.append(f"{quote(COST_PREFIX + cost_key)}={quote(_number(cost))}")
            continue
        if key in registry:
            text = plan_text(value)
        elif isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, float):
            text = _number(value)
        else:
            text = str(value)
        parts.append(f"{quote(key)}={quote(text, safe=':@_')}")
    return "?" + "&".join(parts) if parts else ""
