"""The "what's new" report: a new year's published results set against the forecast frozen before them.

``build(focal, label, year)`` gathers the numbers (``WhatsNew``): the newest published year, the
tables added for it (with their sources), where the focal unit now stands, the frozen forecast
of that year (``label``, or the latest one frozen before it) scored against the result, who moved
most against it, and the projection from the new data. The notebook ``whats_new.ipynb`` shows
them (``simlib results whats-new`` renders it to HTML, like the other reports) and ``write_onepager``
makes the leader's one page (HTML + PDF). Lines meant for Markdown have every user-typed word made
inert (``text.plain``); the one-pager escapes them as HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..analysis import forecasts
from ..engine import atomic, data, stats
from .i18n import say
from .newresults import ordinal
from .numbers import num, pct
from .text import date_text, plain, unit_name

MOVERS = 3  # units named as having moved most, each way


@dataclass
class WhatsNew:
    focal: str
    year: int  # the newest published year
    added: list  # userdata.AddedTable of that year
    standing: dict  # index → (score, rank as published, units) of the focal unit; absent when not published
    frozen: object | None  # forecasts.Frozen scored against the year, or None
    scoring: object | None  # forecasts.Scoring, or None
    rows: dict = field(default_factory=dict)  # index → forecasts.unit_rows of the year
    ahead: dict = field(default_factory=dict)  # the projection from the new data (focal unit, next year)

    def indices_scored(self) -> list[str]:
        return [ix for ix in data.INDICES if self.rows.get(ix)]


def newest_year() -> int:
    """The newest year with published results of either index."""
    ds = data.load()
    return max(y for ix in data.INDICES for y in ds.years_with_results(ix))


def _frozen_for(year: int, label: str | None):
    if label:
        return forecasts.load(label)
    candidates = [m for m in forecasts.labels() if int(m["baseline_year"]) < year <= int(m["horizon"])]
    return forecasts.load(candidates[-1]["label"]) if candidates else None


def build(focal: str = "ha-noi", label: str | None = None, year: int | None = None, draws: int = 1000) -> WhatsNew:
    """The numbers of the report for ``focal`` (a 2025 unit) and the newest published year (or ``year``)."""
    from ..engine.scenario import Scenario
    from ..engine.simulate import run

    ds = data.load()
    year = int(year or newest_year())
    added = [t for t in ds.added if t.year == year]
    standing = {}
    for index in data.INDICES:
        published = forecasts.published_ranks(index, year)
        slug = focal if year >= data.MERGER_YEAR else _history_slug(focal)
        if slug in published:
            standing[index] = (*published[slug], len(ds.units_in(year)))
    frozen = _frozen_for(year, label)
    scoring, rows = None, {}
    if frozen is not None:
        scoring = forecasts.score(frozen)
        for r in forecasts.unit_rows(scoring):
            if r["year"] == year:
                rows.setdefault(r["index"], []).append(r)
    scenario = Scenario.from_dict({"name": "whats_new", "focal": focal, "draws": draws})
    result = run(scenario)
    k = 0
    lo, mid, hi = (float(x) for x in stats.band(result.arrays["par_rank"][:, k], whole=True))
    slo, smid, shi = (float(x) for x in stats.band(result.arrays["sipas_pct"][:, k]))
    ahead = {
        "year": int(result.years[k]),
        "base": int(scenario.baseline_year),
        "rank": mid,
        "lo": lo,
        "hi": hi,
        "n": int(result.n_units[k]),
        "p3": float(result.probability("p_par_top3")[k]),
        "sipas": smid,
        "slo": slo,
        "shi": shi,
    }
    return WhatsNew(focal, year, added, standing, frozen, scoring, rows, ahead)


def _history_slug(focal: str) -> str:
    from .text import history_slug

    return history_slug(focal)


# ----------------------------------------------------------------------------- words


def _f(value, markdown: bool):
    return plain(value) if markdown and isinstance(value, str) else value


def title(news: WhatsNew, lang: str = "vi") -> str:
    return say("whatsnew.title", lang, year=news.year)


def subtitle(news: WhatsNew, lang: str = "vi", markdown: bool = True) -> str:
    return say(
        "whatsnew.subtitle", lang, unit=_f(unit_name(news.focal), markdown), year=news.year, date=date_text(lang=lang)
    )


def added_lines(news: WhatsNew, lang: str = "vi", markdown: bool = True) -> list[str]:
    """One line per table added for the year, with its source and file; or why there is none."""
    if not news.added:
        return [say("whatsnew.no_added", lang, year=news.year)]
    return [
        say(
            "whatsnew.added_line",
            lang,
            index=t.index,
            year=t.year,
            n=len(t.rows),
            total=len(data.load().units_in(t.year)),
            kind=say("results.kind_partial" if t.partial else "results.kind_complete", lang),
            date=t.added_on,
            file=_f(t.file, markdown),
            source=_f(t.source, markdown),
        )
        for t in news.added
    ]


def standing_lines(news: WhatsNew, lang: str = "vi", markdown: bool = True) -> list[str]:
    """Where the focal unit stands in the new year, per index."""
    out = []
    name = _f(unit_name(news.focal), markdown)
    for index in data.INDICES:
        if index not in news.standing:
            out.append(say("whatsnew.stands_missing", lang, index=index, year=news.year, unit=name))
            continue
        score, rank, n = news.standing[index]
        out.append(
            say(
                "whatsnew.stands_line",
                lang,
                index=index,
                year=news.year,
                rank=ordinal(rank, lang) if rank else "—",
                n=n,
                score=num(score, 2, lang),
                unit_word=say("whatsnew.points" if index == "PAR" else "whatsnew.percent", lang),
            )
        )
    return out


def verdict_lines(news: WhatsNew, lang: str = "vi", brief: bool = False) -> list[str]:
    """The frozen forecast's verdict for the year (``forecast_report.verdict_lines``), or why there is none."""
    from .forecast_report import verdict_lines as lines

    if news.scoring is None:
        return [say("whatsnew.no_forecast", lang, year=news.year)]
    keep = [o for o in news.scoring.outcomes if o.year == news.year]
    sub = forecasts.Scoring(news.scoring.frozen, keep, [r for r in news.scoring.rows if r["year"] == news.year])
    return lines(sub, lang, brief)


def movers(news: WhatsNew, index: str = "PAR") -> tuple[list[dict], list[dict]]:
    """(most above the forecast, most below): units whose published rank differs most from the
    forecast's median rank, ``MOVERS`` each way."""
    rows = [r for r in news.rows.get(index, []) if r["published_rank"] is not None]
    up = sorted((r for r in rows if r["rank_move"] > 0), key=lambda r: -r["rank_move"])[:MOVERS]
    down = sorted((r for r in rows if r["rank_move"] < 0), key=lambda r: r["rank_move"])[:MOVERS]
    return up, down


def mover_lines(news: WhatsNew, index: str = "PAR", lang: str = "vi", markdown: bool = True) -> list[str]:
    up, down = movers(news, index)

    def items(rows):
        return "; ".join(
            say(
                "whatsnew.mover_item",
                lang,
                unit=_f(unit_name(r["unit_slug"]), markdown),
                forecast=r["rank_p50"],
                actual=r["published_rank"],
            )
            for r in rows
        )

    out = []
    if up:
        out.append(f"{index}: " + say("whatsnew.movers_up", lang, items=items(up)))
    if down:
        out.append(f"{index}: " + say("whatsnew.movers_down", lang, items=items(down)))
    return out


def ahead_line(news: WhatsNew, lang: str = "vi", markdown: bool = True) -> str:
    a = news.ahead
    return say(
        "whatsnew.ahead_line",
        lang,
        unit=_f(unit_name(news.focal), markdown),
        year=a["year"],
        rank=num(a["rank"], 0, lang),
        lo=num(a["lo"], 0, lang),
        hi=num(a["hi"], 0, lang),
        n=a["n"],
        p3=pct(a["p3"], lang),
        sipas=num(a["sipas"], 1, lang),
        slo=num(a["slo"], 1, lang),
        shi=num(a["shi"], 1, lang),
    )


def footer(news: WhatsNew, lang: str = "vi") -> str:
    """Where the published figures and the forecast come from, in one line."""
    parts = [say("whatsnew.footer_added", lang)] if news.added else []
    return " ".join(parts + [say("whatsnew.footer", lang)])


# ----------------------------------------------------------------------------- tables and figures


def league_frame(news: WhatsNew, index: str, lang: str = "vi"):
    """The year's published table beside the frozen forecast, best published rank first."""
    import pandas as pd

    rows = sorted(news.rows.get(index, []), key=lambda r: (r["published_rank"] or 999, r["unit_slug"]))
    cols = ("unit", "published_score", "published_rank", "forecast_rank", "forecast_score", "move", "p_top3")
    out = []
    for r in rows:
        name = unit_name(r["unit_slug"])
        out.append(
            [
                f"▶ {name}" if r["focal"] else name,
                num(r["published_score"], 2, lang),
                "—" if r["published_rank"] is None else str(r["published_rank"]),
                f"{r['rank_p50']} ({r['rank_p05']}–{r['rank_p95']})",
                f"{num(r['score_p50'], 1, lang)} ({num(r['score_p05'], 1, lang)}–{num(r['score_p95'], 1, lang)})",
                "—"
                if r["rank_move"] is None
                else (f"+{r['rank_move']}" if r["rank_move"] > 0 else str(r["rank_move"]).replace("-", "−")),
                pct(r["p_top3"], lang),
            ]
        )
    return pd.DataFrame(out, columns=[say(f"whatsnew.col_{c}", lang) for c in cols], dtype=object)


def scores_frame(news: WhatsNew, lang: str = "vi"):
    """How the frozen forecast did in the year: model, naive and persistence, per index."""
    import pandas as pd

    cols = ("method", "n", "crps", "coverage", "rank_mae", "rank_coverage", "brier")
    out = []
    for r in news.scoring.rows if news.scoring else []:
        if r["year"] != news.year:
            continue
        out.append(
            [
                f"{r['index']} · {say('forecast.method_' + r['method'], lang)}",
                str(max(r["n_scores"], r["n_ranks"])),
                num(r["crps"], 2, lang) if r["crps"] is not None else "—",
                pct(r["coverage_90"], lang) if r["coverage_90"] is not None else "—",
                num(r["rank_mae"], 1, lang) if r["rank_mae"] is not None else "—",
                pct(r["rank_coverage_90"], lang) if r["rank_coverage_90"] is not None else "—",
                num(r["brier_top3"], 3, lang) if r["brier_top3"] is not None else "—",
            ]
        )
    return pd.DataFrame(out, columns=[say(f"whatsnew.col_{c}", lang) for c in cols], dtype=object)


def rank_figure(news: WhatsNew, index: str = "PAR", lang: str = "vi"):
    """Each unit's published rank (dot) against the frozen forecast's 5–95% band (bar) and median (tick),
    best published rank at the top; the focal unit in the accent colour."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    rows = sorted(
        (r for r in news.rows.get(index, []) if r["published_rank"] is not None),
        key=lambda r: (r["published_rank"], r["unit_slug"]),
    )
    fig = Figure(figsize=(7.2, 0.2 * max(len(rows), 5) + 1.2))
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows):
        colour = "#c0392b" if r["focal"] else "#1f5fa8"
        ax.plot([r["rank_p05"], r["rank_p95"]], [yi, yi], color=colour, alpha=0.35, lw=5, solid_capstyle="butt")
        ax.plot([r["rank_p50"]], [yi], marker="|", color=colour, ms=9)
        ax.plot([r["published_rank"]], [yi], marker="o", color=colour, ms=5)
    ax.set_yticks(y, [unit_name(r["unit_slug"]) for r in rows], fontsize=7)
    for label, r in zip(ax.get_yticklabels(), rows):
        if r["focal"]:
            label.set_fontweight("bold")
            label.set_color("#c0392b")
    n = max((r["rank_p95"] for r in rows), default=1)
    ax.set_xlim(0.5, max(n, max((r["published_rank"] for r in rows), default=1)) + 0.5)
    ax.set_xlabel(say("whatsnew.figure_x", lang), fontsize=8)
    ax.set_title(say("whatsnew.figure_title", lang, index=index, year=news.year), fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- the one-pager


CSS = """@page{size:A4;margin:11mm 12mm}
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#222;font-size:9.5pt;line-height:1.3;margin:0}
h1{font-size:14pt;margin:0 0 1mm 0}
.sub{color:#555;margin-bottom:3mm}
.big{display:flex;gap:3mm;margin-bottom:3mm}
.card{flex:1;border:1px solid #ccc;border-radius:2mm;padding:2mm 3mm;background:#f7f9fc}
.card .label{font-size:8.5pt;color:#444}
.card .value{font-size:19pt;font-weight:bold;color:#1f5fa8}
.card .note{font-size:7.5pt;color:#555}
h2{font-size:10.5pt;margin:3mm 0 1mm 0;border-bottom:1px solid #ddd}
p{margin:0 0 1.5mm 0}
img{width:100%;max-height:92mm;object-fit:contain}
.small{font-size:7.5pt;color:#666}
"""


def onepager_html(news: WhatsNew, lang: str = "vi", png: str | None = None) -> str:
    """The leader's one page (A4): the focal unit's published ranks against the forecast, the verdict,
    who moved most, the projection from the new data, the sources; every word escaped."""
    from .text import png_base64

    e = lambda s: html.escape(str(s), quote=True)  # noqa: E731
    cards = []
    for index in data.INDICES:
        if index not in news.standing:
            continue
        score, rank, n = news.standing[index]
        f = next((r for r in news.rows.get(index, []) if r["focal"]), None)
        note = (
            say("whatsnew.big_forecast", lang, rank=f["rank_p50"], lo=f["rank_p05"], hi=f["rank_p95"])
            if f
            else say("whatsnew.big_no_forecast", lang)
        )
        cards.append(
            f'<div class="card"><div class="label">{e(say("whatsnew.big_rank", lang, index=index, year=news.year))}</div>'
            f'<div class="value">{e(rank if rank else "—")} / {n}</div><div class="note">{e(num(score, 2, lang))} · {e(note)}</div></div>'
        )
    body = [
        f"<h1>{e(say('whatsnew.onepager_title', lang, year=news.year))}</h1>",
        f'<div class="sub">{e(subtitle(news, lang, markdown=False))}</div>',
        '<div class="big">' + "".join(cards) + "</div>",
        f"<h2>{e(say('whatsnew.forecast_heading', lang))}</h2>",
        *(f"<p>{e(line)}</p>" for line in verdict_lines(news, lang, brief=True)),
    ]
    if news.rows.get("PAR"):
        if png is None:
            png = png_base64(rank_figure(news, "PAR", lang))
        alt = say("whatsnew.figure_title", lang, index="PAR", year=news.year)
        body.append(f'<img alt="{e(alt)}" src="data:image/png;base64,{png}"/>')
        body += [f"<p>{e(line)}</p>" for line in mover_lines(news, "PAR", lang, markdown=False)]
    body.append(f"<h2>{e(say('whatsnew.ahead_heading', lang, year=news.ahead['year']))}</h2>")
    body.append(f"<p>{e(ahead_line(news, lang, markdown=False))}</p>")
    body.append(f"<h2>{e(say('whatsnew.added_heading', lang))}</h2>")
    body += [f"<p>{e(line)}</p>" for line in added_lines(news, lang, markdown=False)]
    body.append(f'<p class="small">{e(footer(news, lang))}</p>')
    title_text = e(say("whatsnew.onepager_title", lang, year=news.year))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title_text}</title>'
        f"<style>{CSS}</style></head><body>" + "\n".join(body) + "</body></html>"
    )


def write_onepager(news: WhatsNew, folder, lang: str = "vi") -> dict[str, str]:
    """DIR/onepager.html and DIR/onepager.pdf; file → "ok" or why it is missing (the PDF needs chromium)."""
    from .onepager import to_pdf

    folder = Path(folder)
    page = onepager_html(news, lang)
    atomic.write_text(folder / "onepager.html", page)
    out = {"onepager.html": "ok"}
    try:
        to_pdf(page, folder / "onepager.pdf")
        out["onepager.pdf"] = "ok"
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest; the page itself is written
        out["onepager.pdf"] = f"failed: {type(exc).__name__}: {str(exc)[:300]}"
    return out
