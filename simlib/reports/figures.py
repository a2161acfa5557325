"""Report figures, labelled in Vietnamese or English; each function returns a matplotlib Figure.

Figures are drawn on the Agg canvas without pyplot, so they work with no display
and are never shown twice in a notebook (``simlib.text.show`` embeds them as
PNG). Text uses DejaVu Sans, which covers every Vietnamese diacritic. Every axis
says what it measures and in which unit; ranks read 1 = best.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib import ticker
from matplotlib.patches import Patch

from ..analysis import compare, fees, fieldtable
from ..engine import data, history, outcomes
from ..engine.result import SIPAS_TARGET_PCT as SIPAS_TARGET  # %, Hà Nội's SIPAS target
from ..engine.result import Result
from ..engine.stats import band
from .figurestyle import PALETTE, new_figure, numbers_axis, pct_axis, styled, years_axis
from .i18n import say
from .text import history_slug, lever_label, num, rank_band, rank_text, share_pct, unit_name

INDEX_OF = {"sipas_pct": "SIPAS", "par_score": "PAR"}
INDEX_NAME = {"par_rank": "PAR", "sipas_rank": "SIPAS"}
PERCENT_METRICS = outcomes.percent_metrics()  # shares 0–1, drawn in % (declared in engine.outcomes)


def _summaries(items) -> list[tuple[str, object]]:
    """(name, tidy frame) per scenario from Results or a tidy DataFrame with a 'scenario' column."""
    import pandas as pd

    if isinstance(items, pd.DataFrame):
        return [(str(name), items[items["scenario"] == name]) for name in pd.unique(items["scenario"])]
    if not isinstance(items, (list, tuple)):
        items = [items]
    return [(r.scenario.name, r.frame()) for r in items]


def _label(name: str, labels) -> str:
    """A scenario's legend or tick text, drawn literally (a ``$`` never starts mathtext)."""
    if isinstance(labels, dict):
        name = labels.get(name, name)
    return str(name).replace("$", r"\$")


def _published(index: str, slug: str, up_to: int, first: int | None = None) -> list[tuple[int, float]]:
    ds = data.load()
    out = []
    for year in ds.years_with_results(index):
        p = ds.results[(index, year)].get(history_slug(slug))
        if p is not None and p.score is not None and year <= up_to and (first is None or year >= first):
            out.append((year, p.score))
    return out


# ---------------------------------------------------------------- projections


@styled
def projections(
    items,
    lang: str = "vi",
    metrics=("sipas_pct", "par_score"),
    labels=None,
    focal: str | None = None,
    target_year: int | None = None,
    history_years: int = 3,
):
    """Median line (the mean for the fees forgone, ``analysis.fees``) and 5–95% band over the years per
    metric, one colour per scenario.

    Probabilities (p_*) and the online share are drawn in %; for probabilities the band
    is the 90% interval of the Monte-Carlo estimate.

    ``items``: a Result, a list of Results (run together: common random numbers) or a
    tidy DataFrame with a 'scenario' column (e.g. a batch's results.csv files).
    ``labels``: {scenario name: legend text}, over each Result's title. The focal unit's last published scores
    (``history_years`` of them) are drawn as black dots; SIPAS gets its 86% target line.
    """
    series = _summaries(items)
    results = items if isinstance(items, (list, tuple)) else [items]
    first = results[0] if results and isinstance(results[0], Result) else None
    if labels is None or isinstance(labels, dict):  # a scenario's legend is its title, never its file name
        titles = {r.scenario.name: r.scenario.heading(lang) for r in results if isinstance(r, Result)}
        labels = {**titles, **(labels or {})}
    focal = focal or (first.scenario.focal if first is not None else None)
    target_year = target_year or (first.scenario.target_year if first is not None else None)
    fig, axes = new_figure(1, len(metrics), size=(4.6 * len(metrics), 4.0))
    handles = {}
    for ax, metric in zip(axes[0], metrics):
        scale = 100.0 if metric in PERCENT_METRICS else 1.0
        for i, (name, frame) in enumerate(series):
            rows = frame[frame["metric"] == metric].sort_values("year")
            colour = PALETTE[i % len(PALETTE)]
            ax.fill_between(
                rows["year"], scale * rows["p05"], scale * rows["p95"], color=colour, alpha=0.18, linewidth=0
            )
            centre = fees.STATISTIC if metric == fees.METRIC else "p50"  # the fees' one statistic: the mean
            (line,) = ax.plot(rows["year"], scale * rows[centre], color=colour, marker="o", markersize=3.5, linewidth=2)
            handles.setdefault(_label(name, labels), line)
        if focal and metric in INDEX_OF and series:
            start = int(series[0][1]["year"].min())
            points = _published(INDEX_OF[metric], focal, start - 1, start - history_years)
            if points:
                (dots,) = ax.plot(*zip(*points), "o", color="black", markersize=5, zorder=5)
                handles.setdefault(say("published", lang) + f" ({unit_name(focal)})", dots)
        if metric == "sipas_pct":
            target = ax.axhline(SIPAS_TARGET, color="#555555", linestyle="--", linewidth=1)
            handles.setdefault(say("target_86", lang), target)
        if target_year:
            ax.axvline(target_year, color="#999999", linestyle=":", linewidth=1)
        if scale == 100.0:
            ax.set_ylabel(say(metric, lang) + " (%)")
            pct_axis(ax)
        else:
            ax.set_ylabel(say(metric, lang))
            numbers_axis(ax, lang)
        years_axis(ax, lang)
    if not series:
        _say_if_empty(axes[0][0], series, lang)
    handles[say("band_90", lang)] = Patch(color="#888888", alpha=0.3)
    fig.legend(
        list(handles.values()),
        list(handles.keys()),
        loc="outside lower center",
        ncols=min(4, len(handles)),
        frameon=False,
    )
    return fig


@styled
def differences(a, b, lang: str = "vi", metrics=("sipas_pct", "par_score", "par_rank")):
    """Paired difference a − b per year (median and 5–95% band) of Results run together."""
    keys = {
        "sipas_pct": "diff_sipas",
        "par_score": "diff_par",
        "par_rank": "diff_par_rank",
        "sipas_rank": "diff_sipas_rank",
    }
    fig, axes = new_figure(1, len(metrics), size=(4.0 * len(metrics), 3.6))
    years = np.asarray(a.years, dtype=int)
    for ax, metric in zip(axes[0], metrics):
        d = compare.difference(a, b, metric)
        if metric.endswith("_rank"):  # drawn as places gained (up = better), never as a signed rank number
            d = -d
        lo, mid, hi = band(d, axis=0)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.fill_between(years, lo, hi, color=PALETTE[0], alpha=0.2, linewidth=0, label=say("band_90", lang))
        ax.plot(years, mid, color=PALETTE[0], marker="o", markersize=3.5, linewidth=2, label=say("median", lang))
        ax.set_ylabel(
            say("planner.places_gained", lang, index=INDEX_NAME[metric])
            if metric.endswith("_rank")
            else say(keys[metric], lang)
        )
        years_axis(ax, lang)
        numbers_axis(ax, lang)
    axes[0][0].legend(loc="upper left", frameon=False)
    return fig


# ---------------------------------------------------------------- ranks


@styled
def rank_distribution(result, lang: str = "vi", year: int | None = None, metrics=("par_rank", "sipas_rank")):
    """Share of draws at each rank in ``year`` (default: the target year), median and 5–95% marked."""
    year = int(year or result.scenario.target_year)
    k = compare.year_index(result, year)
    n = int(result.n_units[k])
    fig, axes = new_figure(1, len(metrics), size=(4.8 * len(metrics), 3.8))
    for ax, metric in zip(axes[0], metrics):
        ranks = np.asarray(result.arrays[metric][:, k], dtype=int)
        share = 100 * np.bincount(ranks, minlength=n + 1)[1 : n + 1] / len(ranks)
        lo, mid, hi = band(ranks, whole=True)
        ax.axvspan(lo - 0.5, hi + 0.5, color=PALETTE[0], alpha=0.12, linewidth=0)
        ax.bar(np.arange(1, n + 1), share, color=PALETTE[0], width=0.8)
        ax.axvline(mid, color=PALETTE[1], linewidth=2.5)
        ax.text(
            0.98,
            0.95,
            say("median_of", lang, value=rank_text(mid, lang))
            + "\n"
            + say("band_of", lang, value=rank_band(lo, hi, lang)),
            transform=ax.transAxes,
            ha="right",
            va="top",
            bbox={"facecolor": "white", "edgecolor": "#cccccc", "alpha": 0.9},
        )
        ax.set_xlim(0.5, n + 0.5)
        ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True, nbins=12))
        ax.set_xlabel(say("rank", lang))
        ax.set_ylabel(say("share_of_draws_pct", lang))
        pct_axis(ax)
        ax.set_title(say(metric, lang) + " · " + say("year_n_units", lang, year=year, n=n))
    return fig


# ---------------------------------------------------------------- scenarios side by side


def _say_if_empty(ax, rows, lang: str) -> None:
    if not len(rows):
        ax.text(0.5, 0.5, say("no_results", lang), transform=ax.transAxes, ha="center", va="center", color="#555555")


def _rows(summary) -> list[dict]:
    import pandas as pd

    if isinstance(summary, pd.DataFrame):
        return summary.to_dict("records")
    return list(summary)


@styled
def target_probabilities(
    summary, lang: str = "vi", labels=None, targets=("p_par_top3", "p_par_top10", "p_sipas_ge_86")
):
    """Probability of each target per scenario (rows of ``compare.summary_rows`` or summary.csv)."""
    rows = _rows(summary)
    fig, axes = new_figure(1, 1, size=(8.0, 1.6 + 0.75 * len(rows) * len(targets) / 3))
    ax = axes[0][0]
    _say_if_empty(ax, rows, lang)
    height = 0.8 / len(targets)
    y = np.arange(len(rows))[::-1]
    for j, target in enumerate(targets):
        values = np.array([100 * float(r[target]) for r in rows])
        pos = y + 0.4 - height * (j + 0.5)
        ax.barh(pos, values, height=height * 0.92, color=PALETTE[j], label=say(target, lang))
        for p, v in zip(pos, values):
            ax.text(min(v, 100) + 1, p, f"{num(v, 0, lang)}%", va="center", fontsize=8)
    ax.set_yticks(y, [_label(str(r["scenario"]), labels) for r in rows])
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20))
    pct_axis(ax, "x")
    ax.set_xlabel(say("probability_pct", lang))
    ax.set_ylabel(say("scenario", lang))
    ax.grid(axis="y", visible=False)
    if rows:
        fig.legend(loc="outside lower center", ncols=len(targets), frameon=False)
    return fig


def _effect_label(effect: str, lang: str) -> str:
    if effect.startswith("p_"):
        return say(effect, lang) + " (%)"
    base = {"par_p50": "par_score", "sipas_p50": "sipas_pct", "par_rank_p50": "par_rank"}[effect]
    return say("median", lang) + ": " + say(base, lang)


@styled
def cost_effect(summary, lang: str = "vi", effect: str = "p_par_top3", labels=None):
    """Fee forgone (bn VND per year, mean in the target year) against an effect, one point per scenario.

    ``effect``: a probability column (p_par_top3, p_par_top10, p_sipas_ge_86) or a
    median (par_p50, sipas_p50, par_rank_p50).
    """
    rows = _rows(summary)
    fig, axes = new_figure(1, 1, size=(7.5, 4.6))
    ax = axes[0][0]
    _say_if_empty(ax, rows, lang)
    scale = 100.0 if effect.startswith("p_") else 1.0
    points: dict[tuple, list] = {}  # scenarios on (nearly) the same spot share one label
    xs = [float(r["fee_forgone_bn_vnd"]) for r in rows]
    ys = [scale * float(r[effect]) for r in rows]
    span_x = (max(xs) - min(xs)) if xs else 0.0
    span_y = (max(ys) - min(ys)) if ys else 0.0
    span_x, span_y = span_x or 1.0, span_y or 1.0
    for i, (r, x, y) in enumerate(zip(rows, xs, ys)):
        ax.scatter([x], [y], s=60, color=PALETTE[i % len(PALETTE)], zorder=3, clip_on=False)
        key = (round(50 * x / span_x), round(50 * y / span_y))
        points.setdefault(key, [x, y, []])[2].append(_label(str(r["scenario"]), labels))
    ax.set_xlabel(say("fee_forgone_bn_vnd", lang))
    ax.set_ylabel(_effect_label(effect, lang))
    if effect.startswith("p_"):
        pct_axis(ax)
    else:
        numbers_axis(ax, lang, "y")
    if effect == "par_rank_p50":
        ax.invert_yaxis()
    numbers_axis(ax, lang, "x")
    ax.margins(x=0.25, y=0.15)
    ax.autoscale_view()
    if xs and min(xs) >= 0:  # no cost below zero on the axis when none is
        ax.set_xlim(left=max(0.0, ax.get_xlim()[0]))
    fig.canvas.draw()  # settle the layout, then keep it: labels are placed in final positions
    fig.set_layout_engine("none")
    _place_labels(ax, [(x, y, "\n".join(names)) for x, y, names in points.values()])
    return fig


def _place_labels(ax, points: list[tuple[float, float, str]], fontsize: float = 8.5) -> list:
    """Label scatter points without overlaps.

    Each label goes right of its point (left of it near the right edge); a label that would
    cover one already placed is moved up or down by half steps until it is clear, and a thin
    line then joins it to its point. Sizes are estimated from the text (DejaVu Sans).
    """
    fig = ax.figure
    to_px = fig.dpi / 72.0
    x_right = ax.get_window_extent().x1
    placed: list[tuple[float, float, float, float]] = []  # label boxes in display pixels
    order = sorted(range(len(points)), key=lambda i: -ax.transData.transform(points[i][:2])[1])
    out = []
    for i in order:
        x, y, text_ = points[i]
        px, py = ax.transData.transform((x, y))
        lines = text_.split("\n")
        w = max(len(line) for line in lines) * fontsize * 0.62 * to_px
        h = len(lines) * fontsize * 1.3 * to_px
        gap = 7 * to_px
        right = px + gap + w <= x_right
        left = px + gap if right else px - gap - w
        shifts = [0.0] + [s * h * 0.55 * k for k in range(1, 60) for s in (-1, 1)]
        for shift in shifts:
            box = (left, py - h / 2 + shift, left + w, py + h / 2 + shift)
            if all(box[2] <= b[0] or box[0] >= b[2] or box[3] <= b[1] or box[1] >= b[3] for b in placed):
                break
        placed.append(box)
        moved = abs(shift) > 0.3 * h
        out.append(
            ax.annotate(
                text_,
                (x, y),
                xytext=((left - px if right else left + w - px) / to_px, shift / to_px),
                textcoords="offset points",
                fontsize=fontsize,
                va="center",
                ha="left" if right else "right",
                arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.6, "shrinkA": 0, "shrinkB": 4}
                if moved
                else None,
            )
        )
    return out


@styled
def grid_heatmap(grid, lang: str = "vi", value: str = "p_par_top3", x: str | None = None, y: str | None = None):
    """Heat map of one outcome over a two-lever grid (a ``compare.grid`` frame or a grid.csv).

    Lever levels are shown in %; probabilities in %. The image has one cell per
    combination: shape (levels of ``y``, levels of ``x``). A grid over more than two
    levers is cut at the middle level of the others (named in the title).
    """
    grid, held = compare.grid_slice(grid)
    if x is None or y is None:
        x, y = compare.grid_levers(grid)
    table = grid.pivot_table(index=y, columns=x, values=value, aggfunc="mean").sort_index().sort_index(axis=1)
    scale = 100.0 if value.startswith("p_") else 1.0
    values = scale * table.to_numpy(dtype=float)
    fig, axes = new_figure(1, 1, size=(1.2 + 0.85 * values.shape[1] + 1.6, 1.2 + 0.6 * values.shape[0] + 0.8))
    ax = axes[0][0]
    image = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(values.shape[1]), [share_pct(v, lang, 0) for v in table.columns])
    ax.set_yticks(range(values.shape[0]), [share_pct(v, lang, 0) for v in table.index])
    ax.grid(False)
    mid = np.nanmean(values)
    for (i, j), v in np.ndenumerate(values):
        ax.text(
            j,
            i,
            num(v, 0 if scale == 100 else 1, lang),
            ha="center",
            va="center",
            fontsize=8,
            color="white" if v < mid else "black",
        )
    ax.set_xlabel(say("lever_pct", lang, lever=lever_label(x, lang)))
    ax.set_ylabel(say("lever_pct", lang, lever=lever_label(y, lang)))
    bar = fig.colorbar(image, ax=ax)
    bar.set_label(_effect_label(value, lang) if value != "fee_forgone_bn_vnd" else say(value, lang))
    title = [f"{say('year', lang)} {int(grid['target_year'].iloc[0])}"] if "target_year" in grid.columns else []
    title += [f"{lever_label(n, lang)}: {share_pct(v, lang, 0)}%" for n, v in held.items()]
    if title:
        ax.set_title(" · ".join(title))
    return fig


# ---------------------------------------------------------------- history and the field


@styled
def history_figure(focal: str = "ha-noi", lang: str = "vi"):
    """The focal unit's published PAR and SIPAS scores and ranks over the years.

    Scores are drawn against the national average and the top score; ranks with
    1 at the top, out of 63 provinces before 2025 (34 units from 2025).
    """
    ds = data.load()
    name = unit_name(focal)
    slug = history_slug(focal)
    fig, axes = new_figure(2, 2, size=(10.0, 6.8), sharex="col")
    handles = {}
    for col, index in enumerate(data.INDICES):
        years = ds.years_with_results(index)
        own = [(y, ds.results[(index, y)].get(slug)) for y in years]
        score_ax, rank_ax = axes[0][col], axes[1][col]
        pts = [(y, p.score) for y, p in own if p is not None and p.score is not None]
        avg = [(y, ds.average(index, y)) for y in years if ds.average(index, y) is not None]
        top = [(y, ds.summary[(index, y, "max_pct")]) for y in years if (index, y, "max_pct") in ds.summary]
        if top:
            (h,) = score_ax.plot(*zip(*top), linestyle=":", marker="^", color=PALETTE[2])
            handles.setdefault(say("top_score", lang), h)
        if avg:
            (h,) = score_ax.plot(*zip(*avg), linestyle="--", marker="s", markersize=4, color="#777777")
            handles.setdefault(say("national_average", lang), h)
        if pts:
            (h,) = score_ax.plot(*zip(*pts), marker="o", linewidth=2, color=PALETTE[1])
            handles.setdefault(say("focal_score", lang, unit=name), h)
        score_ax.set_ylabel(say("sipas_pct" if index == "SIPAS" else "par_score", lang))
        score_ax.set_title(say("sipas_name" if index == "SIPAS" else "par_name", lang))
        numbers_axis(score_ax, lang)
        ranks = [(y, p.rank) for y, p in own if p is not None and p.rank is not None]
        if ranks:
            (h,) = rank_ax.plot(*zip(*ranks), marker="D", markersize=5, linewidth=2, color=PALETTE[0])
            handles.setdefault(say("focal_rank", lang, unit=name), h)
            for y, r in ranks:
                rank_ax.annotate(str(r), (y, r), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8)
        n = max((len(ds.units_in(y)) for y in years), default=63)
        rank_ax.set_ylim(n + 1, 0)
        rank_ax.set_yticks([1, 10, 20, 30, 40, 50, 63] if n == 63 else [1, 5, 10, 20, 30, n])
        rank_ax.set_ylabel(say("rank", lang))
        rank_ax.text(
            0.01, 0.03, say("field_size_note", lang, n=n), transform=rank_ax.transAxes, fontsize=8.5, color="#555555"
        )
        years_axis(rank_ax, lang)
    fig.legend(
        list(handles.values()), list(handles.keys()), loc="outside lower center", ncols=len(handles), frameon=False
    )
    return fig


@styled
def field_figure(
    index: str = "PAR",
    year: int | None = None,
    lang: str = "vi",
    focal: str = "ha-noi",
    draws: int = 2000,
    seed: int = 2024,
):
    """A year's whole field by rank: published scores filled, reconstructed ones hollow with 5–95% whiskers."""
    year = int(year or max(history.reconstructable_years(index)))
    rows = fieldtable.rows(index, year, draws, seed)
    fig, axes = new_figure(1, 1, size=(10.0, 4.2))
    ax = axes[0][0]
    pub = [r for r in rows if r["status"] == "published"]
    rec = [r for r in rows if r["status"] != "published"]
    if rec:
        ax.errorbar(
            [r["rank"] for r in rec],
            [r["score"] for r in rec],
            yerr=[[r["score"] - r["low"] for r in rec], [r["high"] - r["score"] for r in rec]],
            fmt="o",
            markerfacecolor="white",
            markeredgecolor=PALETTE[0],
            ecolor=PALETTE[0],
            elinewidth=1,
            capsize=2,
            markersize=5,
            label=say("reconstructed", lang),
        )
    if pub:
        ax.plot(
            [r["rank"] for r in pub],
            [r["score"] for r in pub],
            "o",
            color=PALETTE[0],
            markersize=6,
            label=say("published", lang),
        )
    avg = data.load().average(index, year)
    if avg is not None:
        ax.axhline(
            avg,
            color="#777777",
            linestyle="--",
            linewidth=1,
            label=f"{say('national_average', lang)} ({num(avg, 2, lang)})",
        )
    own = focal if year >= data.MERGER_YEAR else history_slug(focal)
    for r in rows:
        if r["province_slug"] == own:
            ax.plot([r["rank"]], [r["score"]], "o", color=PALETTE[1], markersize=9, zorder=5)
            ax.annotate(
                f"{unit_name(focal)}: {num(r['score'], 2, lang)}",
                (r["rank"], r["score"]),
                xytext=(8, -4),
                textcoords="offset points",
                color=PALETTE[1],
                fontsize=9,
            )
    ax.set_xlim(0, len(rows) + 1)
    ax.set_xlabel(say("rank", lang) + " · " + say("field_size_note", lang, n=len(rows)))
    ax.set_ylabel(say("sipas_pct" if index == "SIPAS" else "par_score", lang))
    ax.set_title(f"{say('sipas_name' if index == 'SIPAS' else 'par_name', lang)} {year}")
    numbers_axis(ax, lang)
    ax.legend(loc="lower left", frameon=False)
    return fig


@functools.lru_cache(maxsize=16)
def field_figure_image(
    index: str = "PAR", year: int | None = None, lang: str = "vi", focal: str = "ha-noi", dpi: int = 110
) -> tuple[str, str]:
    """``field_figure`` as (base64 PNG, text alternative), drawn once per process: every report of a
    batch on the same unit and year shows the same field, and a worker's kept kernel draws it once."""
    from .text import describe_figure, png_base64

    fig = field_figure(index, year, lang, focal)
    return png_base64(fig, dpi), describe_figure(fig)


def show_field_figure(index: str = "PAR", year: int | None = None, lang: str = "vi", focal: str = "ha-noi") -> None:
    """Show ``field_figure`` in a notebook as ``report.show`` would (the same PNG and text alternative)."""
    from .text import show_png

    show_png(*field_figure_image(index, year, lang, focal))


# ---------------------------------------------------------------- effect sizes


@styled
def effect_sizes(rows, lang: str = "vi"):
    """Median and 5–95% band of each lever's effect (rows of ``report.effect_sizes``), SIPAS and PAR."""
    fig, axes = new_figure(1, 2, size=(10.0, 0.9 + 0.6 * len(rows) + 0.6), sharey=True)
    y = np.arange(len(rows))[::-1]
    names = [
        f"{lever_label(r['lever'], lang)} ({'+' if r['change'] > 0 else '−'}{num(100 * abs(r['change']), 0, lang)})"
        for r in rows
    ]
    for ax, key, label in ((axes[0][0], "sipas", "effect_sipas"), (axes[0][1], "par", "effect_par")):
        mid = np.array([r[f"{key}_p50"] for r in rows])
        lo = np.array([r[f"{key}_p05"] for r in rows])
        hi = np.array([r[f"{key}_p95"] for r in rows])
        ax.axvline(0, color="black", linewidth=0.8)
        ax.barh(y, mid, color=[PALETTE[0] if m >= 0 else PALETTE[1] for m in mid], height=0.55)
        ax.errorbar(mid, y, xerr=[mid - lo, hi - mid], fmt="none", ecolor="#333333", capsize=3)
        ax.set_xlabel(say(label, lang))
        numbers_axis(ax, lang, "x")
        ax.grid(axis="y", visible=False)
    axes[0][0].set_yticks(y, names)
    axes[0][0].set_ylabel(say("lever", lang))
    fig.suptitle(say("effect_per_10", lang), fontsize=11)
    return fig
