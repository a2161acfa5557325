"""The lever explorer: an ipywidgets panel over the simulator (JupyterLab and Voilà).

A slider per lever of the registry (in %, today's value marked), the target year, the
focal unit, whether the other units copy the zero online fee, and the language. Every
change recomputes only what the levers change: the field's draws and the parameter
draws come from the cached ``simulate.context``; the baseline (every lever held at
today's value) and the current settings are evaluated together in one call, so they
share every random draw (common random numbers) and their difference is the levers'.

Outputs, each its own widget so a change redraws only what it touches:
  headline   the target year's PAR score, PAR rank, SIPAS %, SIPAS rank (median and
             5–95% band), the probabilities of the city's targets and the waiver's cost;
  figures    projected SIPAS % and PAR score with 5–95% bands (PNG in an Image widget),
             and the distribution of the PAR and SIPAS rank in the target year;
  comparison baseline vs current settings vs their paired difference;
  messages   anything the panel could not use, as text (never a traceback).

The numbers shown are those of ``simlib.result.Result.rows()`` for the same scenario,
i.e. what ``simlib project`` prints, written as the reports write numbers
(``simlib.report.num``: 92,81 in Vietnamese, 92.81 in English; the sliders' own readouts
always use a point). Shares are fractions 0–1 in the scenario and percentages on the sliders. For use without a browser: ``set_levers``, ``set``,
``state``, ``displayed``, ``save``, ``load``.
"""
from __future__ import annotations

import functools
import html
import io
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from . import links as app
from ..engine import atomic, data, levers, simulate
from ..reports import i18n
from ..engine.errors import InputError, Issue, ScenarioError
from ..reports.text import num, signed
from ..engine.result import SIPAS_TARGET_PCT, TARGETS, Result
from ..engine.scenario import DEFAULTS, LeverPlan, Scenario, from_parameters, load_yaml, replace_levers

DEFAULT_DRAWS = 2000
DEFAULT_SCENARIO_PATH = "scenarios/my_scenario.yaml"
SHOWN_TARGETS = ("p_par_top3", "p_par_top10", "p_sipas_ge_86")
SUMMARISED = ("par_score", "par_rank", "sipas_pct", "sipas_rank", "fee_forgone_bn_vnd", "online_share")

# Words of this panel only (vi, en); everything shared comes from simlib.i18n.

BLUE, GREY, RED = "#1f5fa8", "#7f7f7f", "#c0392b"
FIGURE_DPI = 80


def word(key: str, lang: str) -> str:
    """A label of the panel in ``lang``: its own words first, then the shared ones."""
    if key in i18n.PANEL:
        return i18n.phrase("panel", key, lang)
    return i18n.t(key, lang)


# --------------------------------------------------------------------------- formatting

def format_score(x: float, lang: str = "vi") -> str:
    """A score (points or %) as shown: two decimals, the language's decimal mark (92,81 / 92.81)."""
    return num(x, 2, lang)


def format_rank(x: float, lang: str = "vi") -> str:
    """A rank statistic as shown: whole when whole, else one decimal (a median between two ranks)."""
    x = round(float(x), 1)
    return num(x, 0 if x.is_integer() else 1, lang)


def format_rank_band(lo: float, hi: float, lang: str = "vi") -> str:
    """A 5–95% rank band in whole ranks, e.g. '1–25'."""
    return f"{num(round(lo), 0, lang)}–{num(round(hi), 0, lang)}"


def format_probability(p: float, lang: str = "vi") -> str:
    """A probability 0–1 as a percentage with one decimal (31,6% / 31.6%)."""
    return num(100 * p, 1, lang) + "%"


def format_bn(x: float, lang: str = "vi") -> str:
    """Billion VND with one decimal."""
    return num(x, 1, lang)


def parse_number(text: str) -> float:
    """A number as the panel writes it, in either language, back to a float."""
    return float(text.strip().replace("−", "-").replace(",", "."))


def unit_options() -> list[tuple[str, str]]:
    """The 34 units as (Vietnamese name, slug), in Vietnamese alphabetical order."""
    units = data.load().units

    def key(item):
        name = item[0].replace("Đ", "D~").replace("đ", "d~")
        return unicodedata.normalize("NFD", name).encode("ascii", "ignore").lower()

    return sorted(((row["name_vi"], slug) for slug, row in units.items()), key=key)


def unit_name(slug: str) -> str:
    return data.load().units[slug]["name_vi"]


def issue_text(issue: Issue, lang: str) -> str:
    return f"{issue.where}: {word('got', lang)} {issue.value!r}; {word('allowed', lang)}: {issue.allowed}"


# --------------------------------------------------------------------------- computation

def baseline_of(scenario: Scenario) -> Scenario:
    """The same scenario with every lever held at today's value (the field's assumption kept)."""
    return replace(scenario, name="baseline", levers={})


@dataclass
class Outcome:
    """The baseline and the current settings evaluated on the same draws, with their summaries."""

    scenario: Scenario
    baseline: Result
    current: Result
    rows: dict  # (which, metric, year) -> summary row; which = "baseline" | "current"
    difference: dict  # metric -> paired difference (current − baseline) at the target year
    rank_shares: dict  # (which, metric) -> share of draws per rank 1..n at the target year

    @property
    def year(self) -> int:
        return self.scenario.target_year

    def row(self, which: str, metric: str, year: int | None = None) -> dict:
        return self.rows[(which, metric, self.year if year is None else year)]


def compute(scenario: Scenario) -> Outcome:
    """Evaluate the baseline and ``scenario`` together (one call, common random numbers)."""
    s = scenario
    ctx = simulate.context(s.focal, s.baseline_year, s.horizon, s.draws, s.seed)
    base = baseline_of(s)
    paths = np.stack([base.lever_paths(), s.lever_paths()])
    out = simulate.outcome_arrays(ctx, paths, s.others_fee_waiver_share, s.others_fee_waiver_year)
    n = simulate.n_units(ctx.years)
    results = [Result(sc, ctx.years, n, {k: v[i] for k, v in out.items()}, paths[i], ctx.current)
               for i, sc in enumerate((base, s))]
    rows = {}
    for which, result in zip(("baseline", "current"), results):
        for row in result.rows():
            rows[(which, row["metric"], row["year"])] = row
    k = int(np.searchsorted(ctx.years, s.target_year))
    difference = {}
    for metric in ("par_score", "sipas_pct", "par_rank", "sipas_rank", "fee_forgone_bn_vnd"):
        d = results[1].arrays[metric][:, k] - results[0].arrays[metric][:, k]
        q = np.percentile(d, [5, 50, 95])
        difference[metric] = {"mean": float(d.mean()), "p05": float(q[0]), "p50": float(q[1]),
                              "p95": float(q[2])}
    for metric in TARGETS:
        difference[metric] = float(results[1].probability(metric)[k] - results[0].probability(metric)[k])
    rank_shares = {}
    for which, result in zip(("baseline", "current"), results):
        for metric in ("par_rank", "sipas_rank"):
            counts = np.bincount(result.arrays[metric][:, k].astype(int), minlength=int(n[k]) + 1)
            rank_shares[(which, metric)] = counts[1:] / result.draws
    return Outcome(s, results[0], results[1], rows, difference, rank_shares)


# --------------------------------------------------------------------------- figures

def _set_band(ax, band, x, lo, hi, **style):
    """Move a fill_between band to new data (in place where matplotlib allows it)."""
    if hasattr(band, "set_data"):
        band.set_data(x, lo, hi)
        return band
    band.remove()
    new = ax.fill_between(x, lo, hi, **style)
    new.set_animated(True)
    return new


def _fits(limits: tuple[float, float] | None, lo: float, hi: float) -> bool:
    """Whether data from ``lo`` to ``hi`` sits inside ``limits`` without leaving most of it empty."""
    if limits is None:
        return False
    span = limits[1] - limits[0]
    return limits[0] <= lo and hi <= limits[1] and (hi - lo) >= 0.25 * span


class _FramedFigure:
    """A matplotlib figure whose frame (axes, ticks, titles, legend) is drawn once and reused.

    Only the data artists (marked animated) are drawn on each update, over a saved copy
    of the frame; the frame is redrawn when its key (limits, labels, language) changes.
    This keeps a redraw to a few tens of milliseconds. (The reports' figures in
    ``simlib.figures`` are drawn afresh each time, 0.2–0.4 s apiece: right for a report,
    too slow for a slider.)
    """

    def __init__(self, figsize: tuple[float, float]):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=figsize, dpi=FIGURE_DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self._background = None
        self._frame_key = None
        self.frame_redraws = 0

    def _dynamic(self) -> list:
        raise NotImplementedError

    def _png(self, frame_key) -> bytes:
        from PIL import Image

        if frame_key != self._frame_key or self._background is None:
            self.canvas.draw()  # animated artists are left out
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._frame_key = frame_key
            self.frame_redraws += 1
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in self._dynamic():
            artist.draw(renderer)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()


class ProjectionFigure(_FramedFigure):
    """SIPAS % and PAR score over the years: medians with 5–95% bands, baseline vs current,
    the published scores of the last years and the SIPAS target."""

    METRICS = ("sipas_pct", "par_score")
    BASE_STYLE = {"color": GREY, "alpha": 0.18, "linewidth": 0}
    CURRENT_STYLE = {"color": BLUE, "alpha": 0.25, "linewidth": 0}

    def __init__(self):
        super().__init__((10, 3.6))
        self.fig.subplots_adjust(left=0.06, right=0.99, bottom=0.14, top=0.78, wspace=0.16)
        self.axes = dict(zip(self.METRICS, self.fig.subplots(1, 2)))
        self.art: dict[str, dict] = {}
        self.limits: dict[str, tuple[float, float] | None] = {m: None for m in self.METRICS}
        x, z = [0, 1], [0, 0]
        for metric, ax in self.axes.items():
            a = {"base_band": ax.fill_between(x, z, z, **self.BASE_STYLE),
                 "cur_band": ax.fill_between(x, z, z, **self.CURRENT_STYLE)}
            a["base_line"], = ax.plot(x, z, color=GREY, linestyle="--", linewidth=1.6)
            a["cur_line"], = ax.plot(x, z, color=BLUE, linewidth=2.2, marker="o", markersize=3)
            for key in ("base_band", "cur_band", "base_line", "cur_line"):
                a[key].set_animated(True)
            a["published"], = ax.plot([], [], linestyle="none", marker="s", color="black", markersize=5)
            a["target_year"] = ax.axvline(0, color="#555555", linewidth=0.8, linestyle=":")
            ax.grid(True, color="#e4e4e4", linewidth=0.6)
            self.art[metric] = a
        self.sipas_target = self.axes["sipas_pct"].axhline(SIPAS_TARGET_PCT, color=RED, linewidth=1.0, linestyle="-.")
        self.legend = None

    def _dynamic(self) -> list:
        return [self.art[m][k] for m in self.METRICS for k in ("base_band", "cur_band", "base_line", "cur_line")]

    def draw(self, outcome: Outcome, lang: str) -> bytes:
        s = outcome.scenario
        years = outcome.current.years
        ds = data.load()
        history = list(range(s.baseline_year - 2, s.baseline_year + 1))
        published = {}
        for metric, ax in self.axes.items():
            a = self.art[metric]
            lows, highs = [], []
            for which, band_key, line_key, style in (("baseline", "base_band", "base_line", self.BASE_STYLE),
                                                     ("current", "cur_band", "cur_line", self.CURRENT_STYLE)):
                rows = [outcome.row(which, metric, int(y)) for y in years]
                lo = np.array([r["p05"] for r in rows])
                hi = np.array([r["p95"] for r in rows])
                a[band_key] = _set_band(ax, a[band_key], years, lo, hi, **style)
                a[line_key].set_data(years, [r["p50"] for r in rows])
                lows.append(float(lo.min()))
                highs.append(float(hi.max()))
            index = "SIPAS" if metric == "sipas_pct" else "PAR"
            points = [(y, ds.results.get((index, y), {}).get(s.focal)) for y in history]
            published[metric] = tuple((y, p.score) for y, p in points if p is not None and p.score is not None)
            lows += [v for _, v in published[metric]]
            highs += [v for _, v in published[metric]]
            if metric == "sipas_pct":
                lows.append(SIPAS_TARGET_PCT)
                highs.append(SIPAS_TARGET_PCT)
            lo, hi = min(lows), max(highs)
            if not _fits(self.limits[metric], lo, hi):
                pad = max(1.0, 0.15 * (hi - lo))
                self.limits[metric] = (round(lo - pad, 1), round(min(100.5, hi + pad), 1))
        key = (lang, tuple(self.limits.items()), tuple(int(y) for y in years), s.target_year,
               tuple(published.items()))
        if key != self._frame_key:
            first = min(history[0], int(years[0]))
            for metric, ax in self.axes.items():
                a = self.art[metric]
                a["published"].set_data([y for y, _ in published[metric]], [v for _, v in published[metric]])
                a["target_year"].set_xdata([s.target_year, s.target_year])
                ax.set_ylim(*self.limits[metric])
                ax.set_xlim(first - 0.3, int(years[-1]) + 0.3)
                ax.set_xticks(range(first, int(years[-1]) + 1))
                ax.set_title(word("sipas_projection" if metric == "sipas_pct" else "par_projection", lang),
                             fontsize=11)
                ax.set_xlabel(word("year", lang))
            self._set_legend(lang)
        return self._png(key)

    def _set_legend(self, lang: str) -> None:
        from matplotlib.legend_handler import HandlerTuple
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        if self.legend is not None:
            self.legend.remove()
        handles = [(Patch(**self.BASE_STYLE), Line2D([], [], color=GREY, linestyle="--", linewidth=1.6)),
                   (Patch(**self.CURRENT_STYLE), Line2D([], [], color=BLUE, linewidth=2.2)),
                   self.art["sipas_pct"]["published"], self.sipas_target]
        labels = [word("baseline", lang), word("current_settings", lang), word("published", lang),
                  word("sipas_target", lang)]
        self.legend = self.fig.legend(handles, labels, handler_map={tuple: HandlerTuple(ndivide=1)},
                                      loc="upper center", ncol=4, frameon=False, fontsize=10)


class RankFigure(_FramedFigure):
    """The distribution of the PAR and the SIPAS rank in the target year: baseline vs current."""

    METRICS = ("par_rank", "sipas_rank")

    def __init__(self):
        super().__init__((10, 3.3))
        self.fig.subplots_adjust(left=0.07, right=0.99, bottom=0.16, top=0.8, wspace=0.16)
        self.axes = dict(zip(self.METRICS, self.fig.subplots(1, 2)))
        self.art: dict[str, dict] = {}
        self.limits: dict[str, tuple | None] = {m: None for m in self.METRICS}
        edges = np.arange(0, 35) + 0.5
        for metric, ax in self.axes.items():
            self.art[metric] = {
                "current": ax.stairs(np.zeros(34), edges, fill=True, color=BLUE, alpha=0.45),
                "baseline": ax.stairs(np.zeros(34), edges, color=GREY, linewidth=1.8, linestyle="--"),
            }
            for artist in self.art[metric].values():
                artist.set_animated(True)
            ax.grid(True, axis="y", color="#e4e4e4", linewidth=0.6)
        self.legend = None

    def _dynamic(self) -> list:
        return [self.art[m][k] for m in self.METRICS for k in ("current", "baseline")]

    def draw(self, outcome: Outcome, lang: str) -> bytes:
        from matplotlib.ticker import MaxNLocator, PercentFormatter

        year = outcome.year
        for metric, ax in self.axes.items():
            a = self.art[metric]
            shares = {w: outcome.rank_shares[(w, metric)] for w in ("baseline", "current")}
            n = len(shares["current"])
            edges = np.arange(0, n + 1) + 0.5
            for which, stairs in a.items():
                stairs.set_data(shares[which], edges)
            used = np.flatnonzero((shares["current"] > 0) | (shares["baseline"] > 0)) + 1
            first, last = (int(used.min()), int(used.max())) if used.size else (1, n)
            top = float(max(shares["current"].max(), shares["baseline"].max(), 0.01))
            old = self.limits[metric]
            if old is None or not (old[0] <= first and last <= old[1] and 0.45 * old[2] <= top <= old[2]
                                   and old[3] == n):
                y_top = min(1.0, np.ceil(top * 1.25 * 20) / 20)
                self.limits[metric] = (max(1, first - 3), min(n, last + 3), y_top, n)
        key = (lang, year, tuple(self.limits.items()))
        if key != self._frame_key:
            for metric, ax in self.axes.items():
                first, last, y_top, _n = self.limits[metric]
                ax.set_xlim(first - 0.5, last + 0.5)
                ax.set_ylim(0, y_top)
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
                ax.set_title(word("rank_in_year", lang).format(metric=word(metric, lang), year=year),
                             fontsize=11)
                ax.set_xlabel(word("rank", lang))
                ax.set_ylabel(word("share_of_draws", lang))
            self._set_legend(lang)
        return self._png(key)

    def _set_legend(self, lang: str) -> None:
        from matplotlib.patches import Patch

        if self.legend is not None:
            self.legend.remove()
        handles = [Patch(facecolor="none", edgecolor=GREY, linestyle="--", linewidth=1.8),
                   Patch(color=BLUE, alpha=0.45)]
        self.legend = self.fig.legend(handles, [word("baseline", lang), word("current_settings", lang)],
                                      loc="upper center", ncol=2, frameon=False, fontsize=10)


# --------------------------------------------------------------------------- HTML pieces

def _text(text: str) -> str:
    """Text for an HTML element's content (quotes left readable)."""
    return html.escape(text, quote=False)


def _span(cls: str, text: str) -> str:
    return f'<span class="{cls}">{_text(text)}</span>'


def _cls(metric: str) -> str:
    return metric.replace("_", "-")


def _stat_cells(metric: str, row: dict, lang: str) -> tuple[str, str]:
    """(median, 5–95% band) of a score or rank as the panel writes them."""
    if metric.endswith("_rank"):
        return format_rank(row["p50"], lang), format_rank_band(row["p05"], row["p95"], lang)
    return format_score(row["p50"], lang), f"{format_score(row['p05'], lang)}–{format_score(row['p95'], lang)}"


def _signed_stat(metric: str, x: float, lang: str) -> str:
    """A paired difference with its sign: ranks in whole ranks where whole, scores to 2 decimals."""
    if metric.endswith("_rank"):
        return signed(x, 0 if float(round(x, 1)).is_integer() else 1, lang)
    return signed(x, 2, lang)


def headline_html(outcome: Outcome, lang: str) -> str:
    """The target year's numbers, each in a span with a stable class (e.g. ``par-rank-median``)."""
    s = outcome.scenario
    lines = []
    for metric in ("par_score", "par_rank", "sipas_pct", "sipas_rank"):
        median, band = _stat_cells(metric, outcome.row("current", metric), lang)
        c = _cls(metric)
        unit = "%" if metric == "sipas_pct" else ""
        lines.append(
            f"<tr><th>{_text(word(metric, lang))}</th>"
            f"<td>{_text(word('median', lang))}: <b>{_span(c + '-median', median)}</b>{unit}</td>"
            f"<td>{_text(word('band', lang))}: {_span(c + '-band', band)}{unit}</td></tr>")
    for metric in SHOWN_TARGETS:
        p = outcome.row("current", metric)["mean"]
        lines.append(f"<tr><th>{_text(word(metric, lang))}</th>"
                     f"<td colspan='2'><b>{_span(_cls(metric), format_probability(p, lang))}</b></td></tr>")
    cost = outcome.row("current", "fee_forgone_bn_vnd")["mean"]
    lines.append(f"<tr><th>{_text(word('waiver_cost', lang))}</th>"
                 f"<td colspan='2'><b>{_span('fee-cost', format_bn(cost, lang))}</b> "
                 f"{_text(word('bn_per_year', lang))}</td></tr>")
    title = word("results_for", lang).format(year=outcome.year, unit=unit_name(s.focal))
    return (f'<div class="panel-headline-box"><h4 class="results-title">{_text(title)}</h4>'
            f'<table class="headline-table" style="border-collapse:collapse">{"".join(lines)}</table></div>')


def compare_html(outcome: Outcome, lang: str) -> str:
    """Baseline vs current settings vs their paired difference (median, 5–95%) at the target year."""
    head = (f"<tr><th></th><th>{_text(word('baseline', lang))}</th>"
            f"<th>{_text(word('current_settings', lang))}</th>"
            f"<th>{_text(word('difference', lang))}</th></tr>")
    body = []
    for metric in ("par_score", "par_rank", "sipas_pct", "sipas_rank"):
        cells = []
        for which in ("baseline", "current"):
            median, band = _stat_cells(metric, outcome.row(which, metric), lang)
            cells.append(f'<td class="{which}-{_cls(metric)}">{median} <small>({band})</small></td>')
        d = {k: _signed_stat(metric, v, lang) for k, v in outcome.difference[metric].items()}
        cells.append(f'<td class="difference-{_cls(metric)}">{d["p50"]} '
                     f'<small>({d["p05"]} … {d["p95"]})</small></td>')
        body.append(f"<tr><th>{_text(word(metric, lang))}</th>{''.join(cells)}</tr>")
    for metric in SHOWN_TARGETS:
        cells = [f'<td class="{w}-{_cls(metric)}">{format_probability(outcome.row(w, metric)["mean"], lang)}</td>'
                 for w in ("baseline", "current")]
        cells.append(f'<td class="difference-{_cls(metric)}">'
                     f'{signed(100 * outcome.difference[metric], 1, lang)} {word("points", lang)}</td>')
        body.append(f"<tr><th>{_text(word(metric, lang))}</th>{''.join(cells)}</tr>")
    cells = [f'<td class="{w}-fee-cost">{format_bn(outcome.row(w, "fee_forgone_bn_vnd")["mean"], lang)}</td>'
             for w in ("baseline", "current")]
    cells.append(f'<td class="difference-fee-cost">'
                 f'{signed(outcome.difference["fee_forgone_bn_vnd"]["mean"], 1, lang)}</td>')
    body.append(f"<tr><th>{_text(word('waiver_cost', lang))} ({_text(word('bn_per_year', lang))})"
                f"</th>{''.join(cells)}</tr>")
    return (f'<h4>{_text(word("compare_title", lang))} — {outcome.year}</h4>'
            f'<table class="compare-table" style="border-collapse:collapse">{head}{"".join(body)}</table>'
            f'<style>.compare-table td,.compare-table th,.headline-table td,.headline-table th'
            f'{{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}}</style>')


def messages_html(lines: list[tuple[str, list[str]]]) -> str:
    """Readable messages: (heading, detail lines) pairs; '' when there is nothing to say."""
    if not lines:
        return ""
    parts = []
    for heading, details in lines:
        items = "".join(f"<li>{_text(d)}</li>" for d in details)
        parts.append(f"<div><b>{_text(heading)}</b>{'<ul>' + items + '</ul>' if items else ''}</div>")
    return f'<div class="panel-message-box" style="color:#a01010">{"".join(parts)}</div>'


# --------------------------------------------------------------------------- the panel

def _guarded(method):
    """Run a widget callback; an unexpected error becomes a message, never a traceback."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except InputError as exc:
            self._error = (word("compute_failed", self.lang), [issue_text(i, self.lang) for i in exc.issues])
        except Exception as exc:  # noqa: BLE001 - shown to the user as text
            self._error = (word("compute_failed", self.lang), [f"{type(exc).__name__}: {exc}"])
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


class LeverExplorer:
    """The interactive panel. ``LeverExplorer(...).show()`` displays it in a notebook or Voilà.

    Parameters (plain values; None = today's value or the scenario default):
      focal        2025 unit slug (default ha-noi); lang 'vi' or 'en';
      draws, seed  Monte-Carlo draws (default 2000) and seed (default the scenario's);
      target_year  year the levers reach their values and the headline is reported;
      <lever>      one per lever of the registry: the share (0–1) reached by target_year;
      query        a URL query string (default: Voilà's, from $QUERY_STRING); its values
                   override the parameters above;
      root         folder against which relative scenario paths are resolved.
    Values that cannot be used are listed in the panel's message and ignored.
    """

    def __init__(self, focal: str | None = None, lang: str = "vi", draws: int | None = DEFAULT_DRAWS,
                 seed: int | None = None, target_year: int | None = None, query: str | None = None,
                 root: str | Path | None = None, **lever_values):
        import ipywidgets as W

        self._W = W
        self.root = find_root() if root is None else Path(root)
        self._error: tuple[str, list[str]] | None = None
        self._confirm_overwrite: Path | None = None
        self._syncing = False
        self._outcome: Outcome | None = None
        self.update_ms: float | None = None
        self.update_times: list[float] = []

        wanted = {"focal": focal, "target_year": target_year, "draws": draws, "seed": seed, **lever_values}
        q_values, q_issues = app.parse_query(app.query_string() if query is None else query)
        lang = q_values.pop("lang", lang)
        issues = list(q_issues)
        if lang not in i18n.LANGS:
            issues.append(Issue("lang", lang, "one of " + ", ".join(i18n.LANGS)))
            lang = "vi"
        self.lang = lang
        if "others_copy" in q_values:
            wanted["others_fee_waiver_share"] = 1.0 if q_values.pop("others_copy") else 0.0
        wanted.update(q_values)
        self._scenario, more = self._initial_scenario(wanted)
        self._issues: list[Issue] = issues + more  # parameters and link values that were ignored
        self._figures = (ProjectionFigure(), RankFigure())
        self._build()
        self._sync_controls()
        self._relabel()
        self._refresh()

    # ---- construction

    @staticmethod
    def _initial_scenario(wanted: dict) -> tuple[Scenario, list[Issue]]:
        """A valid scenario from the wanted values; each value that fails validation is dropped."""
        order = ["focal", "target_year", "draws", "seed", "others_fee_waiver_share"]
        keys = [k for k in order if k in wanted] + [k for k in wanted if k not in order]
        accepted: dict = {}
        issues: list[Issue] = []
        for key in keys:
            value = wanted[key]
            if value is None:
                continue
            try:
                from_parameters(**accepted, **{key: value})
            except ScenarioError as exc:
                issues.extend(exc.issues)
                continue
            accepted[key] = value
        return from_parameters(**accepted), issues

    def _build(self) -> None:
        W = self._W
        s = self._scenario
        self.title = W.HTML()
        self.intro = W.HTML()
        self.lang_toggle = W.ToggleButtons(options=[("Tiếng Việt", "vi"), ("English", "en")], value=self.lang,
                                           style={"button_width": "110px"})
        self.lang_toggle.add_class("lang-toggle")
        self.focal_dropdown = W.Dropdown(options=unit_options(), value=s.focal,
                                         style={"description_width": "150px"},
                                         layout=W.Layout(width="420px"))
        self.focal_dropdown.add_class("focal-dropdown")
        self.year_slider = W.IntSlider(min=s.baseline_year + 1, max=s.horizon, value=s.target_year, step=1,
                                       continuous_update=False, style={"description_width": "150px"},
                                       layout=W.Layout(width="420px"))
        self.year_slider.add_class("target-year")
        self.others_box = W.Checkbox(value=s.others_fee_waiver_share > 0, indent=False,
                                     layout=W.Layout(width="auto"))
        self.others_box.add_class("others-copy")
        self.sliders: dict[str, object] = {}
        self.today_labels: dict[str, object] = {}
        rows = []
        for lever in levers.registry():
            slider = W.FloatSlider(min=100 * lever.min, max=100 * lever.max, step=100 * lever.step,
                                   readout_format=".1f", continuous_update=False,
                                   style={"description_width": "290px"}, layout=W.Layout(width="640px"))
            slider.add_class(f"lever-{lever.name}")
            slider.observe(functools.partial(self._on_lever, lever.name), names="value")
            today = W.HTML()
            today.add_class(f"today-{lever.name}")
            self.sliders[lever.name] = slider
            self.today_labels[lever.name] = today
            rows.append(W.HBox([slider, today], layout=W.Layout(align_items="center")))
        self.message = W.HTML()
        self.message.add_class("panel-message")
        self.headline = W.HTML()
        self.headline.add_class("panel-headline")
        self.projection_image = W.Image(format="png", layout=W.Layout(width="100%", max_width="1000px"))
        self.projection_image.add_class("fig-projection")
        self.rank_image = W.Image(format="png", layout=W.Layout(width="100%", max_width="1000px"))
        self.rank_image.add_class("fig-ranks")
        self.comparison = W.HTML()
        self.comparison.add_class("panel-compare")
        self.share_link = W.HTML()
        self.share_link.add_class("panel-share")
        self.path_box = W.Text(value=DEFAULT_SCENARIO_PATH, style={"description_width": "150px"},
                               layout=W.Layout(width="520px"))
        self.path_box.add_class("scenario-path")
        self.save_button = W.Button(icon="save")
        self.save_button.add_class("save-scenario")
        self.load_button = W.Button(icon="folder-open")
        self.load_button.add_class("load-scenario")
        self.file_status = W.HTML()
        self.file_status.add_class("file-status")

        self.lang_toggle.observe(self._on_lang, names="value")
        self.focal_dropdown.observe(self._on_focal, names="value")
        self.year_slider.observe(self._on_year, names="value")
        self.others_box.observe(self._on_others, names="value")
        self.save_button.on_click(lambda _button: self.save())
        self.load_button.on_click(lambda _button: self.load())

        controls = W.VBox([self.lang_toggle, self.focal_dropdown, self.year_slider, self.others_box, *rows])
        files = W.VBox([W.HBox([self.path_box, self.save_button, self.load_button]), self.file_status])
        self.widget = W.VBox([self.title, self.intro, controls, self.message, self.headline,
                              self.projection_image, self.rank_image, self.comparison, self.share_link,
                              files], layout=W.Layout(padding="4px 8px"))
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
        return self._scenario

    def displayed(self) -> dict:
        """The numbers the panel shows, unformatted.

        ``current`` and ``baseline``: {metric: summary row (mean, p05, p50, p95)} at the target
        year, probabilities (``p_*``) as floats; ``difference``: the paired difference
        current − baseline; plus ``year``, ``focal``, ``lang``, ``update_ms``.
        """
        o = self._outcome
        if o is None:
            return {"year": self._scenario.target_year, "focal": self._scenario.focal, "lang": self.lang,
                    "current": None, "baseline": None, "difference": None, "update_ms": self.update_ms}
        out = {"year": o.year, "focal": o.scenario.focal, "lang": self.lang, "update_ms": self.update_ms,
               "difference": dict(o.difference)}
        for which in ("baseline", "current"):
            summary = {m: {k: o.row(which, m)[k] for k in ("mean", "p05", "p50", "p95")} for m in SUMMARISED}
            summary.update({m: o.row(which, m)["mean"] for m in TARGETS})
            out[which] = summary
        return out

    def lever_values(self) -> dict[str, float]:
        """Each lever's value (fraction) in the target year under the current settings."""
        s = self._scenario
        k = int(np.searchsorted(s.years, s.target_year))
        return {name: float(v) for name, v in zip(levers.names(), s.lever_paths()[k])}

    @property
    def message_text(self) -> str:
        """The message area as plain text ('' when all is well)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", " ", self.message.value)).strip()

    @property
    def file_status_text(self) -> str:
        import re

        return html.unescape(re.sub(r"<[^>]+>", " ", self.file_status.value)).strip()

    # ---- programmatic changes (raise on bad input; the widgets report instead)

    def set_levers(self, values: dict[str, float]) -> dict:
        """Set lever values (fractions 0–1, reached by the target year); all checked before any change."""
        registry = {lever.name: lever for lever in levers.registry()}
        issues = []
        for name, value in values.items():
            if name not in registry:
                issues.append(Issue(name, value, "a lever: one of " + ", ".join(registry)))
            elif (not isinstance(value, (int, float)) or isinstance(value, bool)
                  or not np.isfinite(value) or not registry[name].min <= value <= registry[name].max):
                lever = registry[name]
                issues.append(Issue(name, value, f"a share from {lever.min:g} to {lever.max:g}"))
        if issues:
            raise ScenarioError(issues, context="set_levers")
        self._scenario = replace_levers(self._scenario, {k: float(v) for k, v in values.items()})
        self._sync_controls()
        self._refresh()
        return self.displayed()

    def set(self, *, focal: str | None = None, target_year: int | None = None,
            others_copy: bool | None = None, lang: str | None = None) -> dict:
        """Change the other controls programmatically (validated; ScenarioError on bad values)."""
        s = self._scenario
        if focal is not None:
            s = s.with_(focal=focal)
        if target_year is not None:
            s = _move_target_year(s, target_year)
        if others_copy is not None:
            s = replace(s, others_fee_waiver_share=1.0 if others_copy else 0.0)
        if lang is not None:
            if lang not in i18n.LANGS:
                raise ScenarioError(Issue("lang", lang, "one of " + ", ".join(i18n.LANGS)), context="set")
            self.lang = lang
        self._scenario = s
        self._sync_controls()
        self._relabel()
        self._refresh()
        return self.displayed()

    # ---- saving and loading

    def _resolve(self, path: str | Path | None) -> Path:
        p = Path(self.path_box.value.strip() if path is None else path).expanduser()
        return p if p.is_absolute() else self.root / p

    def save(self, path: str | Path | None = None, overwrite: bool = False) -> bool:
        """Write the current settings as a scenario YAML (atomically); the status line says how it went.

        An existing file is replaced only when ``overwrite`` is true or Save is pressed twice.
        """
        target = self._resolve(path)
        lang = self.lang
        try:
            if target.suffix.lower() not in (".yaml", ".yml"):
                self._set_file_status("error", word("not_yaml", lang).format(path=target))
                return False
            if target.exists() and not overwrite and self._confirm_overwrite != target:
                self._confirm_overwrite = target
                self._set_file_status("error", word("exists", lang).format(path=target))
                return False
            s = self._scenario
            name = target.stem if 0 < len(target.stem) <= 80 else s.name
            scenario = s.with_(name=name)
            atomic.write_text(target, scenario.to_yaml())
            self._scenario = scenario
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
        return True

    def load(self, path: str | Path | None = None) -> bool:
        """Open a scenario YAML; if it is not valid, say why and change nothing."""
        target = self._resolve(path)
        lang = self.lang
        try:
            scenario = load_yaml(target)
        except InputError as exc:
            self._set_file_status("error", word("load_failed", lang),
                                  [issue_text(i, lang) for i in exc.issues])
            return False
        except (OSError, KeyError) as exc:
            self._set_file_status("error", word("load_failed", lang), [f"{target}: {exc}"])
            return False
        previous = self._scenario
        self._scenario = scenario
        self._error = None
        try:
            self._refresh(raise_errors=True)
        except Exception as exc:  # noqa: BLE001 - reported as text, state restored
            self._scenario = previous
            self._refresh()
            self._set_file_status("error", word("load_failed", lang), [f"{type(exc).__name__}: {exc}"])
            return False
        self._sync_controls()
        self._issues = []  # what the link or the parameters asked for no longer applies
        self._show_messages()
        self._confirm_overwrite = None
        self._set_file_status("ok", word("loaded", lang).format(name=scenario.name, path=target))
        return True

    def _set_file_status(self, kind: str, text: str, details: list[str] | None = None) -> None:
        colour = "#1a7f37" if kind == "ok" else "#a01010"
        items = "".join(f"<li>{_text(d)}</li>" for d in (details or []))
        self.file_status.value = (f'<div class="file-{kind}" style="color:{colour}">{_text(text)}'
                                  f'{"<ul>" + items + "</ul>" if items else ""}</div>')

    # ---- callbacks

    @_guarded
    def _on_lever(self, name: str, change) -> None:
        if self._syncing:
            return
        value = round(float(change["new"]) / 100.0, 6)
        self._scenario = replace_levers(self._scenario, {name: value})
        self._refresh()

    @_guarded
    def _on_year(self, change) -> None:
        if self._syncing:
            return
        self._scenario = _move_target_year(self._scenario, int(change["new"]))
        self._sync_controls()
        self._refresh()

    @_guarded
    def _on_focal(self, change) -> None:
        if self._syncing:
            return
        self._scenario = self._scenario.with_(focal=change["new"])
        self._sync_controls()
        self._refresh()

    @_guarded
    def _on_others(self, change) -> None:
        if self._syncing:
            return
        self._scenario = replace(self._scenario, others_fee_waiver_share=1.0 if change["new"] else 0.0)
        self._refresh()

    @_guarded
    def _on_lang(self, change) -> None:
        if self._syncing:
            return
        self.lang = change["new"]
        self._relabel()
        self._render()

    # ---- keeping widgets and state in step

    def _sync_controls(self) -> None:
        """Set every control from the scenario without triggering their callbacks."""
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
            self._set_today_labels()
        finally:
            self._syncing = False

    def _set_today_labels(self) -> None:
        current = self._scenario.current()
        for name, label in self.today_labels.items():
            b = current[name]
            text = word("today", self.lang).format(value=num(100 * b.value, 1, self.lang), year=b.year)
            label.value = (f'<span class="today-value" title="{html.escape(b.source)}" '
                           f'style="color:#555;padding-left:8px">{_text(text)}</span>')

    def _relabel(self) -> None:
        """Every label in the current language."""
        lang = self.lang
        self.title.value = f"<h3>{_text(word('title', lang))}</h3>"
        self.focal_dropdown.description = word("focal", lang)
        self.year_slider.description = word("target_year", lang)
        self.others_box.description = word("others_copy_fee", lang)
        for lever in levers.registry():
            self.sliders[lever.name].description = f"{lever.label(lang)} (%)"
            self.sliders[lever.name].tooltip = lever.description_en if lang == "en" else lever.label_vi
        self.path_box.description = word("scenario_file", lang)
        self.save_button.description = word("save_scenario", lang)
        self.load_button.description = word("load_scenario", lang)
        self._set_today_labels()

    def _show_messages(self) -> None:
        blocks = []
        if self._issues:
            blocks.append((word("ignored", self.lang), [issue_text(i, self.lang) for i in self._issues]))
        if self._error is not None:
            blocks.append(self._error)
        self.message.value = messages_html(blocks)

    def _refresh(self, raise_errors: bool = False) -> None:
        """Recompute the outcome for the current scenario and redraw every output."""
        started = time.perf_counter()
        try:
            self._outcome = compute(self._scenario)
            self._error = None
        except InputError as exc:
            if raise_errors:
                raise
            self._error = (word("compute_failed", self.lang), [issue_text(i, self.lang) for i in exc.issues])
            self._show_messages()
            return
        except Exception as exc:  # noqa: BLE001 - shown to the user as text
            if raise_errors:
                raise
            self._error = (word("compute_failed", self.lang), [f"{type(exc).__name__}: {exc}"])
            self._show_messages()
            return
        self._render()
        self.update_ms = 1000 * (time.perf_counter() - started)
        self.update_times.append(self.update_ms)

    def _render(self) -> None:
        """Redraw the outputs from the last outcome, in the current language."""
        o, lang, s = self._outcome, self.lang, self._scenario
        self.intro.value = (f'<p class="panel-intro" style="max-width:1000px">'
                            f'{_text(word("intro", lang).format(draws=num(s.draws, 0, lang), seed=s.seed))}</p>')
        self._show_messages()
        if o is None:
            return
        projection, ranks = self._figures
        self.projection_image.value = projection.draw(o, lang)
        self.rank_image.value = ranks.draw(o, lang)
        self.comparison.value = compare_html(o, lang)
        query = app.share_query(self.share_values())
        self.share_link.value = (f'<p style="color:#555">{_text(word("share_link", lang))}: '
                                 f'<code class="share-query">{_text(query)}</code></p>')
        self.headline.value = headline_html(o, lang)  # last: once it shows, everything else has been sent

    def share_values(self) -> dict:
        """The panel's settings as query-string values (levers that differ from today's value only)."""
        s = self._scenario
        out: dict = {}
        if s.focal != DEFAULTS["focal"]:
            out["focal"] = s.focal
        if s.target_year != DEFAULTS["target_year"]:
            out["target_year"] = s.target_year
        current = s.current()
        for name, value in self.lever_values().items():
            if name in s.levers and abs(value - current[name].value) > 1e-9:
                out[name] = round(value, 4)
        if s.others_fee_waiver_share > 0:
            out["others_copy"] = True
        if self.lang != "vi":
            out["lang"] = self.lang
        if s.draws != DEFAULT_DRAWS:
            out["draws"] = s.draws
        if s.seed != DEFAULTS["seed"]:
            out["seed"] = s.seed
        return out


def _move_target_year(s: Scenario, year: int) -> Scenario:
    """The scenario with a new target year; levers ramped to the old target year now ramp to the new one."""
    checked = s.with_(target_year=year)  # validates the year
    plans = {name: (LeverPlan(target=plan.target, year=year) if not plan.path and plan.year == s.target_year
                    else plan)
             for name, plan in s.levers.items()}
    return replace(checked, levers=plans, name=s.name)
