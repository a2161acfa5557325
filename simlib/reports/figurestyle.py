"""How every report figure looks: the report style (DejaVu Sans, which covers every Vietnamese
diacritic; light grid; no top or right spine), the palette, a figure on the Agg canvas without
pyplot, and axes whose numbers use the language's decimal separator. ``figures`` draws the report's
figures with these; ``waterfall``, ``leaguetable`` and ``costing_report`` draw theirs with them too."""

from __future__ import annotations

import functools
import inspect

import matplotlib
from matplotlib import ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .i18n import say
from .numbers import localise, localise_figure
from .text import check_lang

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.axisbelow": True,
    "axes.unicode_minus": True,
}
PALETTE = ("#1f5fa8", "#d1495b", "#2e8b57", "#e69f00", "#6a4c93", "#00798c", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf")


def styled(fn):
    """Build the figure under the report style, after checking the language."""

    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        lang = check_lang(bound.arguments["lang"])
        with matplotlib.rc_context(STYLE):
            fig = fn(*args, **kwargs)
        return localise_figure(fig, lang) if isinstance(fig, Figure) else fig

    return wrapper


def new_figure(nrows: int = 1, ncols: int = 1, size=(9.0, 4.0), **kwargs):
    """A figure (``size`` in inches) on the Agg canvas with constrained layout, and its axes as a 2-D array."""
    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
    return fig, axes


class LocalNumbers(ticker.ScalarFormatter):
    """Tick labels with the language's decimal separator (a comma in Vietnamese)."""

    def __init__(self, lang: str):
        super().__init__(useOffset=False)
        self.lang = lang

    def __call__(self, x, pos=None):
        return localise(super().__call__(x, pos), self.lang)


def numbers_axis(ax, lang: str, axes: str = "y") -> None:
    """Tick labels of ``axes`` ('x', 'y' or both) with the language's decimal separator."""
    for which in axes:
        getattr(ax, f"{which}axis").set_major_formatter(LocalNumbers(lang))


def years_axis(ax, lang: str) -> None:
    """Whole years on the x axis, labelled in the language."""
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{int(round(v))}"))
    ax.set_xlabel(say("year", lang))


def pct_axis(ax, which: str = "y") -> None:
    """Percent ticks at whole, evenly spaced values (1, 2, 5 or 10 points apart), never 75/78/80/82."""
    axis = getattr(ax, f"{which}axis")
    axis.set_major_locator(ticker.MaxNLocator(nbins=6, steps=[1, 2, 5, 10], integer=True))
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:.0f}%"))
