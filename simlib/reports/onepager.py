"""A leader's one-pager: one A4 page in the report's language, big numbers first.

Content: the chance of PAR top 3 and of SIPAS ≥ 86% in the target year and the median PAR rank
(today's policies → the scenario, with the count of simulated futures and its Monte-Carlo margin),
the fee waiver's cost, one figure (why the rank moves), how good the model has been (the stored
evaluation's one line), and what is assumed. ``html`` builds a self-contained page (the figure
embedded as PNG, every user-typed word escaped); ``to_pdf`` prints it with Debian's chromium,
kept warm for the whole process (``pdfprint``).
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..analysis import compare, fees
from ..engine import atomic, levers, stats
from .i18n import say
from .pdfprint import PdfError  # noqa: F401 (raised by to_pdf)
from .plainwords import futures, rank_change
from .text import date_text, fee_text, field_assumption, lever_label, num, pct, share_pct, unit_name

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

CHROMIUM = "/usr/bin/chromium"  # Debian's package (scripts/install_browser.sh)


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def headline_numbers(result, baseline, lang: str = "vi", year: int | None = None) -> list[dict]:
    """The big numbers: label, before (today's policies), after (scenario), and the plain-words line."""
    year = int(year or result.scenario.target_year)
    k, kb = compare.year_index(result, year), compare.year_index(baseline, year)
    n = result.draws
    out = []
    for key, metric in (("big_top3", "p_par_top3"), ("big_sipas", "p_sipas_ge_86")):
        p_before, p_after = float(baseline.probability(metric)[kb]), float(result.probability(metric)[k])
        out.append(
            {
                "label": say(f"planner.{key}", lang, year=year),
                "before": pct(p_before, lang),
                "after": pct(p_after, lang),
                "note": futures(p_after, n, lang),
            }
        )
    r_before = float(stats.band(baseline.arrays["par_rank"][:, kb], whole=True)[1])
    lo, mid, hi = (float(x) for x in stats.band(result.arrays["par_rank"][:, k], whole=True))
    out.append(
        {
            "label": say("planner.big_rank", lang, year=year),
            "before": num(r_before, 0, lang),
            "after": num(mid, 0, lang),
            "note": f"{rank_change(r_before, mid, lang)} · 5–95%: {num(lo, 0, lang)}–{num(hi, 0, lang)} / "
            f"{int(result.n_units[k])}",
        }
    )
    return out


def cost_line(result, baseline, lang: str = "vi", year: int | None = None) -> str:
    year = int(year or result.scenario.target_year)
    cost, base = fees.of_result(result, year), fees.of_result(baseline, year)
    return say("planner.cost_line", lang, cost=fee_text(cost, lang), base=fee_text(base, lang, with_band=False))


def levers_line(scenario: Scenario, lang: str = "vi") -> str:
    """'Procedures simplified 29.8% → 60%; …' for the levers the scenario moves (held levers: today's value)."""
    current = scenario.current()
    paths = scenario.lever_paths()
    k = int(np.flatnonzero(scenario.years == scenario.target_year)[0])
    parts = []
    for j, name in enumerate(levers.names()):
        now, then = current[name].value, paths[k, j]
        arrow = (
            f"{share_pct(now, lang, 0)}% → {share_pct(then, lang, 0)}%"
            if abs(then - now) > 1e-9
            else f"{share_pct(now, lang, 0)}%"
        )
        parts.append(f"{lever_label(name, lang)} {arrow}")
    return say("planner.assumed_levers", lang, year=scenario.target_year, levers="; ".join(parts))


def track_record_line(scenario, lang: str = "vi") -> str:
    """How good the model has been, in one line: the stored evaluation's (``reports.evaluation``) at
    the distance of the scenario's headline year, with what applies to its focal unit when that was
    published at the origin."""
    from . import evaluation

    return evaluation.track_record_for(scenario, lang)


def _png(fig, dpi: int = 110) -> str:
    from .text import png_base64

    return png_base64(fig, dpi)


CSS = """@page{size:A4;margin:11mm 12mm}
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#222;font-size:9.5pt;line-height:1.3;margin:0}
h1{font-size:14pt;margin:0 0 2mm 0}
.sub{color:#555;margin-bottom:3mm}
.big{display:flex;gap:3mm;margin-bottom:3mm}
.card{flex:1;border:1px solid #ccc;border-radius:2mm;padding:2mm 3mm;background:#f7f9fc}
.card .label{font-size:8.5pt;color:#444}
.card .value{font-size:19pt;font-weight:bold;color:#1f5fa8;white-space:nowrap}
.card .value .from{color:#777;font-weight:normal;font-size:14pt}
.card .note{font-size:7.5pt;color:#555}
h2{font-size:10.5pt;margin:3mm 0 1mm 0;border-bottom:1px solid #ddd}
p{margin:0 0 1.5mm 0}
img{width:100%;max-height:88mm;object-fit:contain}
.small{font-size:7.5pt;color:#666}
"""


def html_page(result, baseline, decomposition=None, lang: str = "vi", figure=None, png: str | None = None) -> str:
    """The one-pager as a self-contained HTML page (A4, one page). ``png``: the waterfall already drawn
    (base64, as ``report.show`` draws it at 110 dpi), e.g. taken from the report notebook."""
    from . import waterfall

    scenario = result.scenario
    year = int(scenario.target_year)
    cards = []
    for n in headline_numbers(result, baseline, lang, year):
        cards.append(
            f'<div class="card"><div class="label">{_e(n["label"])}</div>'
            f'<div class="value"><span class="from">{_e(n["before"])} →</span> {_e(n["after"])}</div>'
            f'<div class="note">{_e(n["note"])}</div></div>'
        )
    body = [
        f"<h1>{_e(say('planner.onepager_title', lang, unit=unit_name(scenario.focal), name=scenario.heading(lang)))}</h1>",
        f'<div class="sub">{_e(say("planner.today_to_scenario", lang))}</div>',
        '<div class="big">' + "".join(cards) + "</div>",
        f"<h2>{_e(say('planner.big_cost', lang, year=year))}</h2><p>{_e(cost_line(result, baseline, lang))}</p>",
    ]
    if decomposition is not None:
        if png is None:
            png = _png(figure if figure is not None else waterfall.figure(decomposition, lang))
        body.append(
            f"<h2>{_e(say('planner.waterfall_title', lang, index=decomposition.index, unit=unit_name(scenario.focal), start=decomposition.start_year, end=decomposition.end_year))}</h2>"
        )
        body.append(
            f'<img alt="{_e(say("planner.waterfall_title", lang, index=decomposition.index, unit=unit_name(scenario.focal), start=decomposition.start_year, end=decomposition.end_year))}" '
            f'src="data:image/png;base64,{png}"/>'
        )
        body.append(f"<p>{_e(waterfall.sentence(decomposition, lang))}</p>")
    body.append(f"<h2>{_e(say('planner.track_record', lang))}</h2><p>{_e(track_record_line(scenario, lang))}</p>")
    body.append(f"<h2>{_e(say('planner.assumed', lang))}</h2>")
    body.append(
        f"<p>{_e(levers_line(scenario, lang))} {_e(say('planner.assumed_field', lang, field=field_assumption(scenario, lang)))}</p>"
    )
    body.append(f"<p>{_e(say('planner.effects_assumed', lang))}</p>")
    body.append(
        f'<p class="small">{_e(say("planner.made_with", lang, draws=num(scenario.draws, 0, lang), seed=scenario.seed, date=date_text(lang=lang)))}</p>'
    )
    title = _e(say("planner.onepager_title", lang, unit=unit_name(scenario.focal), name=scenario.heading(lang)))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{CSS}</style></head><body>" + "\n".join(body) + "</body></html>"
    )


def chromium() -> str:
    """The chromium executable, or PdfError saying how to install it."""
    path = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if not path:
        raise PdfError(f"no chromium at {CHROMIUM}: run scripts/install_browser.sh")
    return path


def to_pdf(page_html: str, pdf_path) -> Path:
    """Print an HTML page to ``pdf_path`` (atomically) with headless chromium: this process's kept
    browser (``pdfprint``), started once and reused for every page."""
    from . import pdfprint

    exe = chromium()
    pdf_path = Path(pdf_path)
    data = pdfprint.print_pdf(page_html, exe)
    atomic.write_with(pdf_path, lambda target: target.write_bytes(data), suffix=".pdf")
    return pdf_path


def write(
    result, baseline, out_dir, lang: str = "vi", decomposition=None, figure=None, png: str | None = None
) -> dict[str, Path]:
    """DIR/onepager.html and DIR/onepager.pdf (the waterfall of ``decomposition``, computed if not given;
    ``figure`` / ``png``: that waterfall already built / drawn)."""
    from ..analysis import decompose

    out = Path(out_dir)
    d = decomposition if decomposition is not None else decompose.decompose(result.scenario)
    page = html_page(result, baseline, d, lang, figure, png)
    paths = {"html": out / "onepager.html", "pdf": out / "onepager.pdf"}
    atomic.write_text(paths["html"], page)
    to_pdf(page, paths["pdf"])
    return paths
