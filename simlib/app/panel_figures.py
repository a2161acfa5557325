"""The lever explorer's two figures, redrawn fast enough for a slider (no widgets here).

``ProjectionFigure``: SIPAS % and PAR score over the years, baseline vs current settings,
medians with 5–95% bands. ``RankFigure``: the distribution of the PAR and SIPAS rank in the
target year. Both keep their frame (axes, ticks, legend) and redraw only the data.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from ..engine import data
from ..engine.result import SIPAS_TARGET_PCT
from ..reports.i18n import say
from ..reports.numbers import localise_figure

if TYPE_CHECKING:
    from .state import Outcome

BLUE, GREY, RED = "#1f5fa8", "#7f7f7f", "#c0392b"
FIGURE_DPI = 80


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
        self.legend = None

    def _replace_legend(self, handles: list, labels: list[str], **options) -> None:
        """The figure's one legend above the axes, in place of the one before (labels change with the language)."""
        if self.legend is not None:
            self.legend.remove()
        self.legend = self.fig.legend(
            handles, labels, loc="upper center", ncol=len(handles), frameon=False, fontsize=10, **options
        )

    def _dynamic(self) -> list:
        raise NotImplementedError

    def _localise(self, lang: str) -> None:
        """Every tick label of the frame in ``lang``'s style (95,0 in Vietnamese): the reports' one number
        formatter put back on each axis, the plain formatter first restored when the language changed."""
        for ax in self.fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                for get, put in (
                    (axis.get_major_formatter, axis.set_major_formatter),
                    (axis.get_minor_formatter, axis.set_minor_formatter),
                ):
                    current = get()
                    if hasattr(current, "inner") and getattr(current, "lang", None) != lang:
                        put(current.inner)
        localise_figure(self.fig, lang)

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
            a = {
                "base_band": ax.fill_between(x, z, z, **self.BASE_STYLE),
                "cur_band": ax.fill_between(x, z, z, **self.CURRENT_STYLE),
            }
            (a["base_line"],) = ax.plot(x, z, color=GREY, linestyle="--", linewidth=1.6)
            (a["cur_line"],) = ax.plot(x, z, color=BLUE, linewidth=2.2, marker="o", markersize=3)
            for key in ("base_band", "cur_band", "base_line", "cur_line"):
                a[key].set_animated(True)
            (a["published"],) = ax.plot([], [], linestyle="none", marker="s", color="black", markersize=5)
            a["target_year"] = ax.axvline(0, color="#555555", linewidth=0.8, linestyle=":")
            ax.grid(True, color="#e4e4e4", linewidth=0.6)
            self.art[metric] = a
        self.sipas_target = self.axes["sipas_pct"].axhline(SIPAS_TARGET_PCT, color=RED, linewidth=1.0, linestyle="-.")

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
            for which, band_key, line_key, style in (
                ("baseline", "base_band", "base_line", self.BASE_STYLE),
                ("current", "cur_band", "cur_line", self.CURRENT_STYLE),
            ):
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
        key = (lang, tuple(self.limits.items()), tuple(int(y) for y in years), s.target_year, tuple(published.items()))
        if key != self._frame_key:
            first = min(history[0], int(years[0]))
            for metric, ax in self.axes.items():
                a = self.art[metric]
                a["published"].set_data([y for y, _ in published[metric]], [v for _, v in published[metric]])
                a["target_year"].set_xdata([s.target_year, s.target_year])
                ax.set_ylim(*self.limits[metric])
                ax.set_xlim(first - 0.3, int(years[-1]) + 0.3)
                ax.set_xticks(range(first, int(years[-1]) + 1))
                ax.set_title(
                    say("panel.sipas_projection" if metric == "sipas_pct" else "panel.par_projection", lang),
                    fontsize=11,
                )
                ax.set_xlabel(say("year", lang))
            self._set_legend(lang)
            self._localise(lang)
        return self._png(key)

    def _set_legend(self, lang: str) -> None:
        from matplotlib.legend_handler import HandlerTuple
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        handles = [
            (Patch(**self.BASE_STYLE), Line2D([], [], color=GREY, linestyle="--", linewidth=1.6)),
            (Patch(**self.CURRENT_STYLE), Line2D([], [], color=BLUE, linewidth=2.2)),
            self.art["sipas_pct"]["published"],
            self.sipas_target,
        ]
        labels = [
            say("baseline", lang),
            say("current_settings", lang),
            say("published", lang),
            say("panel.sipas_target", lang),
        ]
        self._replace_legend(handles, labels, handler_map={tuple: HandlerTuple(ndivide=1)})


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

    def _dynamic(self) -> list:
        return [self.art[m][k] for m in self.METRICS for k in ("current", "baseline")]

    def draw(self, outcome: Outcome, lang: str) -> bytes:
        from matplotlib.ticker import MaxNLocator, PercentFormatter

        year = outcome.year
        for metric in self.axes:
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
            if old is None or not (
                old[0] <= first and last <= old[1] and 0.45 * old[2] <= top <= old[2] and old[3] == n
            ):
                y_top = min(1.0, np.ceil(top * 1.25 * 20) / 20)
                self.limits[metric] = (max(1, first - 3), min(n, last + 3), y_top, n)
        key = (lang, year, tuple(self.limits.items()))
        if key != self._frame_key:
            for metric, ax in self.axes.items():
                first, last, y_top, _n = self.limits[metric]
                ax.set_xlim(first - 0.5, last + 0.5)
                ax.set_ylim(0, y_top)
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
                ax.yaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))  # whole percents: no 2.5% read as 2%
                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
                ax.set_title(say("panel.rank_in_year", lang, metric=say(metric, lang), year=year), fontsize=11)
                ax.set_xlabel(say("rank", lang))
                ax.set_ylabel(say("share_of_draws", lang))
            self._set_legend(lang)
            self._localise(lang)
        return self._png(key)

    def _set_legend(self, lang: str) -> None:
        from matplotlib.patches import Patch

        handles = [
            Patch(facecolor="none", edgecolor=GREY, linestyle="--", linewidth=1.8),
            Patch(color=BLUE, alpha=0.45),
        ]
        self._replace_legend(handles, [say("baseline", lang), say("current_settings", lang)])
