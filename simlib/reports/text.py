"""The words of a report: headings, notes, the plain-language summary, effect sizes.

Figures live in ``simlib.reports.figures`` and tables in ``simlib.reports.tables``; this module
holds what both share (unit names, titles) and what a notebook shows between them; numbers are
written by ``simlib.reports.numbers`` (re-exported here). Vietnamese is the default language.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import re
from typing import TYPE_CHECKING

import numpy as np

from ..analysis import compare
from ..engine import data, stats
from ..engine.errors import InputError, Issue
from . import i18n
from .i18n import say
from .numbers import band_text, num, pct, rank_band, rank_text, share_pct, signed  # noqa: F401 (text's API)
from .plainwords import futures

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

FULL_EFFECT_YEAR = 2030  # year at which effect sizes are read (lever changes made from the first projected year)
EFFECT_STEP = 0.10  # one "10 percentage points" move of a lever


# ---------------------------------------------------------------- language and words


def check_lang(lang) -> str:
    """``lang`` if it is 'vi' or 'en'; an InputError naming the parameter otherwise."""
    if lang not in i18n.LANGS:
        raise InputError(Issue("lang", lang, "'vi' (Vietnamese) or 'en' (English)"), context="parameters")
    return lang


def check_focal(slug) -> str:
    """``slug`` if it is one of the 34 units of 2025; an InputError listing them otherwise."""
    units = data.load().units
    if slug not in units:
        raise InputError(
            Issue("focal", slug, "a 2025 unit slug, one of " + ", ".join(sorted(units))), context="parameters"
        )
    return slug


_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:=^])")


def plain(value) -> str:
    """Text from a user (scenario name, description, a folder name) made inert for Markdown and HTML.

    This is the one place where such words become markup: whitespace (newlines included) is
    collapsed to single spaces, every Markdown sign is backslash-escaped (no link, emphasis,
    heading, list, table or math), and ``& < > " '`` become HTML entities (no tag, no
    attribute). Rendered, the reader sees exactly the text given:
    ``plain("<b>[x](javascript:y)</b>")`` → ``'&lt;b&gt;\\[x\\]\\(javascript\\:y\\)&lt;/b&gt;'``.
    """
    words = " ".join(str(value).split())
    return _html.escape(_MARKDOWN_SIGNS.sub(r"\\\1", words), quote=True)


def _plain_fields(fields: dict) -> dict:
    """Text fields of a Markdown template made inert; numbers pass as they are."""
    return {k: plain(v) if isinstance(v, str) else v for k, v in fields.items()}


def heading(key: str, lang: str = "vi", level: int = 2, **fields) -> str:
    """A Markdown heading: ``heading("projections", "en")`` → ``'## Projections over the years'``.

    Text fields are shown literally (``plain``), whoever wrote them."""
    return "#" * level + " " + say(f"h_{key}", lang, **_plain_fields(fields))


def note(key: str, lang: str = "vi", **fields) -> str:
    """An explanatory paragraph (Markdown) shown under a heading; text fields shown literally."""
    return say(f"n_{key}", lang, **_plain_fields(fields))


def fee_text(cost, lang: str = "vi", with_band: bool = True) -> str:
    """The fees forgone as every output writes them: the mean, one decimal, bn VND per year, said
    to be a mean, with its 5–95% band (``with_band``). ``cost``: a ``simlib.analysis.fees.FeeCost``."""
    from ..analysis.fees import DIGITS

    mean = num(cost.mean, DIGITS, lang)
    if not with_band:
        return say("fee_mean", lang, mean=mean)
    return say("fee_mean_band", lang, mean=mean, band=band_text(cost.p05, cost.p95, DIGITS, lang))


def fee_number(cost, lang: str = "vi") -> str:
    """Only the figure of the fees forgone (the mean, one decimal), for a cell whose header says
    'Fees forgone, mean (bn VND per year)'. ``cost``: a FeeCost or the mean itself."""
    from ..analysis.fees import DIGITS

    return num(getattr(cost, "mean", cost), DIGITS, lang)


def vi_sort_key(name: str) -> tuple[str, str]:
    """The one sort key for Vietnamese names, in the order of the Vietnamese alphabet: letters compared
    without their diacritics, Đ after every D (Đà Nẵng after Dak Nông, before Gia Lai), then the name
    itself to break ties."""
    import unicodedata

    base = unicodedata.normalize("NFD", name.replace("Đ", "D\uffff").replace("đ", "d\uffff"))
    return "".join(c for c in base if not unicodedata.combining(c)).lower(), name


def unit_name(slug: str) -> str:
    """The Vietnamese name of a unit (2025 unit or pre-2025 province), e.g. 'Hà Nội'."""
    ds = data.load()
    row = ds.units.get(slug) or ds.provinces.get(slug)
    return row["name_vi"] if row else slug


def history_slug(slug: str) -> str:
    """The pre-2025 province whose published history a unit carries: itself, or its one constituent.

    A 2025 unit named after one of its provinces (most merged units, every unmerged
    one) carries that province's history; a renamed unmerged unit (Huế) its former
    province's.
    """
    ds = data.load()
    if slug in ds.provinces:
        return slug
    members = ds.members(slug)
    return members[0] if len(members) == 1 else slug


def lever_label(name: str, lang: str = "vi") -> str:
    from ..engine import levers

    return levers.get(name).label(lang)


def date_text(day: _dt.date | None = None, lang: str = "vi") -> str:
    """A date as '24/11/2025' (vi) or '24 November 2025' (en)."""
    day = day or _dt.date.today()
    return f"{day.day}/{day.month}/{day.year}" if lang == "vi" else f"{day.day} {day:%B %Y}"


# ---------------------------------------------------------------- titles and summaries


def title(scenario: Scenario, lang: str = "vi", day: _dt.date | None = None) -> str:
    """The report's Markdown title block: the scenario's title and description in ``lang``, unit, date."""
    lines = [heading("report_title", lang, level=1, name=scenario.heading(lang), unit=unit_name(scenario.focal))]
    if scenario.summary(lang).strip():
        lines.append(f"*{plain(scenario.summary(lang))}*")
    lines.append(note("date", lang, date=date_text(day, lang)))
    return "\n\n".join(lines)


def run_note(scenario: Scenario, lang: str = "vi") -> str:
    """Draws, seed and years of a run, in one sentence."""
    return note(
        "run",
        lang,
        draws=num(scenario.draws, 0, lang),
        seed=scenario.seed,
        baseline_year=scenario.baseline_year,
        horizon=scenario.horizon,
    )


def batch_note(batch, lang: str = "vi") -> str:
    """Where a comparison's results come from: the example scenarios run here, or a batch folder."""
    if batch.in_process:
        return note("batch_examples", lang, draws=num(int(batch.summary["draws"].iloc[0]), 0, lang))
    return note("batch_dir", lang, name=batch.directory.name, ok=len(batch.ok), failed=len(batch.failed))


def scenario_titles(batch, lang: str = "vi") -> dict[str, str]:
    """Scenario name → the title readers see in ``lang``, for a batch's tables and figures.

    From the scenario files of an in-process batch, else from each report's manifest; a
    scenario without a title (or whose record cannot be read) keeps its name.
    """
    import json
    from pathlib import Path

    from ..engine.scenario import Scenario, load_yaml

    titles: dict[str, str] = {}
    if batch.in_process:
        for path in sorted(Path(batch.directory).glob("*.yaml")):
            try:
                scenario = load_yaml(path)
            except InputError:
                continue
            titles[scenario.name] = scenario.heading(lang)
        return titles
    for row in batch.summary.to_dict("records"):
        folder = str(row.get("report_dir") or "")
        if not folder or folder == "nan":
            continue
        try:
            record = json.loads((Path(batch.directory) / folder / "manifest.json").read_text(encoding="utf-8"))
            scenario = Scenario.from_dict(record["scenario"])
        except (OSError, ValueError, KeyError, TypeError, InputError):
            continue
        titles[str(row["scenario"])] = scenario.heading(lang)
    return titles


def grid_note(grid, lang: str = "vi") -> str:
    """What a heat-map cell means, with the grid's year when it is known."""
    if "target_year" in grid.columns:
        return note("grid", lang, year=int(grid["target_year"].iloc[0]))
    return note("grid_any_year", lang)


def field_assumption(scenario: Scenario, lang: str = "vi") -> str:
    """One sentence on what the other units are assumed to do."""
    if scenario.others_fee_waiver_share <= 0:
        return note("field_assumption_none", lang)
    return note(
        "field_assumption",
        lang,
        share=num(100 * scenario.others_fee_waiver_share, 0, lang),
        year=scenario.others_fee_waiver_year,
    )


def _stats(x: np.ndarray, whole: bool = False) -> tuple[float, float, float]:
    lo, mid, hi = stats.band(x, whole=whole)
    return float(lo), float(mid), float(hi)


def summary_text(result, lang: str = "vi", year: int | None = None, baseline=None) -> str:
    """A short plain-language summary of a Result in ``year`` (default: the scenario's target year).

    With ``baseline`` (a Result sharing the draws), adds the paired difference from it.
    """
    year = int(year or result.scenario.target_year)
    k = compare.year_index(result, year)
    a = result.arrays
    unit = unit_name(result.scenario.focal)
    rank = _stats(a["par_rank"][:, k], whole=True)
    par = _stats(a["par_score"][:, k])
    sipas = _stats(a["sipas_pct"][:, k])
    parts = [
        say(
            "s_par",
            lang,
            year=year,
            unit=unit,
            p_top3=pct(result.probability("p_par_top3")[k], lang),
            p_top10=pct(result.probability("p_par_top10")[k], lang),
            rank=rank_text(rank[1], lang),
            n=int(result.n_units[k]),
            rank_band=rank_band(rank[0], rank[2], lang),
            par=num(par[1], 1, lang),
            par_band=band_text(par[0], par[2], 1, lang),
        ),
        say(
            "s_sipas",
            lang,
            sipas=num(sipas[1], 1, lang),
            sipas_band=band_text(sipas[0], sipas[2], 1, lang),
            p_sipas=pct(result.probability("p_sipas_ge_86")[k], lang),
        ),
    ]

    parts.append(
        say(
            "s_futures",
            lang,
            top3=futures(result.probability("p_par_top3")[k], result.draws, lang),
            sipas=futures(result.probability("p_sipas_ge_86")[k], result.draws, lang),
        )
    )
    from ..analysis import fees

    cost = fees.fee_cost(a["fee_forgone_bn_vnd"][:, k])
    if cost.mean >= 0.05:
        parts.append(say("s_cost", lang, cost=fee_text(cost, lang), year=year))
    if baseline is not None:
        d_par = _stats(compare.difference(result, baseline, "par_score", year))
        d_sipas = _stats(compare.difference(result, baseline, "sipas_pct", year))
        kb = compare.year_index(baseline, year)
        parts.append(
            say(
                "s_compare",
                lang,
                par_diff=signed(d_par[1], 1, lang),
                par_band=band_text(d_par[0], d_par[2], 1, lang, signed_values=True),
                sipas_diff=signed(d_sipas[1], 1, lang),
                sipas_band=band_text(d_sipas[0], d_sipas[2], 1, lang, signed_values=True),
                p_base=pct(baseline.probability("p_par_top3")[kb], lang),
                p_top3=pct(result.probability("p_par_top3")[k], lang),
            )
        )
    return " ".join(parts)


# ---------------------------------------------------------------- effect sizes in planner units


def effect_sizes(
    focal: str = "ha-noi",
    year: int = FULL_EFFECT_YEAR,
    step: float = EFFECT_STEP,
    draws: int = 1000,
    seed: int = 2024,
    baseline_year: int | None = None,
) -> list[dict]:
    """What 10 percentage points of each lever alone do, in SIPAS and PAR points.

    Each lever is moved by ``step`` (a fraction: 0.10 = 10 percentage points) from the
    first projected year and held, the other levers at their current values; the
    change from holding every lever is read in ``year`` (default 2030, when the lag
    has played out). A lever with less than ``step`` of room above its current value
    is moved down instead (``change`` is then negative). Returns one dict per lever:
    lever, change (fraction), current, to (fractions), sipas_p05/p50/p95 (SIPAS
    percentage points), par_p05/p50/p95 (PAR points), fee_mean (bn VND per year, the mean change),
    years_to_90 (years after the change until the median SIPAS — or PAR — effect
    reaches 90% of its value in ``year``), first_year and year.
    """
    from ..engine import levers
    from ..engine import scenario as scenario_mod
    from ..engine.simulate import simulate

    first = baseline_year or scenario_mod.default_baseline_year()
    base = scenario_mod.Scenario(
        name="effect_sizes", focal=focal, baseline_year=first, horizon=year, target_year=year, draws=draws, seed=seed
    )
    names = levers.names()
    current = base.lever_paths()[0]  # every lever held at its current value
    T, L = len(base.years), len(names)
    paths = np.broadcast_to(current, (L + 1, T, L)).copy()
    changes = []
    for j, name in enumerate(names):
        lever = levers.get(name)
        change = step if current[j] + step <= lever.max + 1e-9 else -step
        paths[j + 1, :, j] = np.clip(current[j] + change, lever.min, lever.max)
        changes.append(change)
    out = simulate(base, paths).arrays
    rows = []
    for j, name in enumerate(names):
        d_sipas = out["sipas_pct"][j + 1] - out["sipas_pct"][0]  # (D, T)
        d_par = out["par_score"][j + 1] - out["par_score"][0]
        d_fee = out["fee_forgone_bn_vnd"][j + 1] - out["fee_forgone_bn_vnd"][0]
        s, p = _stats(d_sipas[:, -1]), _stats(d_par[:, -1])
        rows.append(
            {
                "lever": name,
                "change": changes[j],
                "current": float(current[j]),
                "to": float(paths[j + 1, 0, j]),
                "sipas_p05": s[0],
                "sipas_p50": s[1],
                "sipas_p95": s[2],
                "par_p05": p[0],
                "par_p50": p[1],
                "par_p95": p[2],
                "fee_mean": float(d_fee[:, -1].mean()),  # the fees' one statistic (analysis.fees)
                "years_to_90": _years_to(stats.median(d_sipas) if abs(s[1]) >= abs(p[1]) / 10 else stats.median(d_par)),
                "first_year": int(base.years[0]),
                "year": int(year),
            }
        )
    return rows


def _years_to(path: np.ndarray, share: float = 0.9) -> int | None:
    """Years (1 = the year of the change) until a median effect path reaches ``share`` of its last value."""
    final = path[-1]
    if abs(final) < 1e-9:
        return None
    reached = np.flatnonzero(path / final >= share)
    return int(reached[0]) + 1 if reached.size else None


# ---------------------------------------------------------------- showing in a notebook


def describe_figure(fig) -> str:
    """A figure's text alternative: its title and the names of its axes."""
    parts = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else []
    for ax in fig.axes:
        for label in (ax.get_title(), ax.get_ylabel()):
            if label and label not in parts:
                parts.append(label)
    return " · ".join(parts)


def show(fig, dpi: int = 110, alt: str | None = None) -> None:
    """Show a matplotlib Figure in a notebook as an embedded PNG (survives HTML export).

    The output carries the PNG and an HTML ``<img>`` with a text alternative (``alt``,
    default: the figure's titles and axis names); exported HTML uses the latter.
    """
    show_png(png_base64(fig, dpi), alt if alt is not None else describe_figure(fig))


def png_base64(fig, dpi: int = 110) -> str:
    """The figure as a PNG (``dpi`` dots per inch, cropped to what is drawn), base64-encoded."""
    import base64
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches=crop(fig))
    return base64.b64encode(buf.getvalue()).decode("ascii")


def crop(fig) -> str | None:
    """``bbox_inches`` for saving ``fig``: none for a figure whose constrained layout already fits what it
    draws inside it (cropping "tight" would draw it twice: a third of a report's figure time), "tight"
    for any other."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    return None if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine) else "tight"


def show_png(png: str, alt: str) -> None:
    """Show a base64 PNG with its text alternative, as ``show`` does."""
    import html

    from IPython.display import display

    alt = html.escape(alt, quote=True)
    display(
        {"image/png": png, "text/html": f'<img src="data:image/png;base64,{png}" alt="{alt}"/>', "text/plain": alt},
        raw=True,
    )


TABLE_STYLE = (
    "<style>table.simlib-table td, table.simlib-table th {text-align: left !important; vertical-align: top;}</style>"
)


def table_html(frame) -> str:
    """A DataFrame as a plain HTML table: no index, cells left-aligned, text escaped."""
    return TABLE_STYLE + frame.to_html(
        index=False, escape=True, border=0, na_rep="—", classes="simlib-table", justify="left"
    )


def show_table(frame) -> None:
    """Show a DataFrame as a plain HTML table without its index."""
    from IPython.display import HTML, display

    display(HTML(table_html(frame)))


def show_markdown(*paragraphs: str) -> None:
    """Show paragraphs of Markdown (headings, notes, summaries)."""
    from IPython.display import Markdown, display

    display(Markdown("\n\n".join(p for p in paragraphs if p)))
