"""Numbers as a reader of the language expects them: ``89,6`` and ``1.234`` in Vietnamese, ``89.6``
and ``1,234`` in English; changes with their sign, 5–95% bands, whole ranks, probabilities in %.

The one formatter of every number a reader sees: ``fmt`` (a format spec, in the reader's language)
and the helpers built on it; ``say`` fills the numbers of its sentences through it, and
``localise_figure`` puts it on every axis of a figure (ticks, offsets, colour bars)."""

from __future__ import annotations

import math
import re

_SWAP = str.maketrans({",": ".", ".": ","})


def localise(text: str, lang: str = "vi") -> str:
    """A number already written in English style (``1,234.5``, ``-0.3``, ``62.5%``) in ``lang``'s style:
    the decimal and thousands separators swapped in Vietnamese, the minus sign typeset (−)."""
    if lang == "vi":
        text = text.translate(_SWAP)
    return text.replace("-", "−")


def fmt(x, spec: str = "", lang: str = "vi") -> str:
    """``x`` formatted with the format ``spec`` (as in ``f"{x:spec}"``: ``.2f``, ``+.1f``, ``,``, ``g``,
    ``.0%``) in ``lang``'s style; '—' for a missing value (None or NaN)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return localise(format(x, spec), lang)


def num(x, digits: int = 1, lang: str = "vi") -> str:
    """A number rounded to ``digits`` decimals, with the language's separators; '—' for missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    s = f"{float(x):,.{digits}f}"
    if s.lstrip("-").strip("0.,") == "":  # no "-0.0"
        s = s.lstrip("-")
    return localise(s, lang)


def signed(x, digits: int = 1, lang: str = "vi") -> str:
    """A change with its sign: '+1,2', '−0,4', '0,0'."""
    s = num(x, digits, lang)
    return s if s.startswith("−") or float(round(x, digits)) == 0 else "+" + s


def rank_text(x, lang: str = "vi") -> str:
    """A rank statistic: whole numbers without decimals, a median between two ranks with one."""
    return num(x, 0 if abs(x - round(x)) < 1e-9 else 1, lang)


def band_text(lo, hi, digits: int = 1, lang: str = "vi", signed_values: bool = False) -> str:
    """A 5–95% band: 'lo–hi', or with signs for changes: '−0,2 – +1,3'."""
    if signed_values:
        return f"{signed(lo, digits, lang)} – {signed(hi, digits, lang)}"
    return f"{num(lo, digits, lang)}–{num(hi, digits, lang)}"


def rank_band(lo, hi, lang: str = "vi") -> str:
    """A rank band, rounded to whole ranks (the percentiles are interpolated between ranks)."""
    return f"{num(round(lo), 0, lang)}–{num(round(hi), 0, lang)}"


def pct(p, lang: str = "vi") -> str:
    """A probability (0–1) in whole percent; '<1%' and '>99%' at the ends."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{num(100 * p, 0, lang)}%"


def share_pct(x, lang: str = "vi", digits: int = 1) -> str:
    """A share (fraction 0–1) in percent, e.g. 0.298 → '29,8'."""
    return num(100 * x, digits, lang)


# ----------------------------------------------------------------------------- figures

_NUMBER_IN_TEXT = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_WORD = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: words, not a number's exponent


def _localise_label(text: str, lang: str) -> str:
    """A tick or offset label as matplotlib wrote it (numbers, maybe mathtext or a % sign), in ``lang``;
    a label of words (``set_xticklabels(["Sáp nhập 2025, …"])``) is left exactly as it was given."""
    if lang != "vi" or not text:
        return text
    if _WORD.search(text.replace("\\mathdefault", "")):
        return text
    return _NUMBER_IN_TEXT.sub(lambda m: m.group(0).translate(_SWAP), text)


def axis_formatter(inner, lang: str = "vi"):
    """A matplotlib tick formatter writing what ``inner`` (any ``matplotlib.ticker.Formatter``) writes,
    in ``lang``'s style (``62,5`` in Vietnamese). Locations, offsets and the axis reach ``inner`` as if
    it were on the axis itself."""
    from matplotlib import ticker

    class Localised(ticker.Formatter):
        def __init__(self):
            self.inner, self.lang = inner, lang

        def set_axis(self, axis):
            super().set_axis(axis)
            self.inner.set_axis(axis)

        def set_locs(self, locs):
            self.inner.set_locs(locs)

        def __call__(self, x, pos=None):
            return _localise_label(self.inner(x, pos), self.lang)

        def format_ticks(self, values):
            self.set_locs(values)
            return [self(value, i) for i, value in enumerate(values)]

        def get_offset(self):
            return _localise_label(self.inner.get_offset(), self.lang)

        def format_data(self, value):
            return _localise_label(self.inner.format_data(value), self.lang)

        def format_data_short(self, value):
            return _localise_label(self.inner.format_data_short(value), self.lang)

    return Localised()


_LEFT_AS_GIVEN = ("NullFormatter", "FixedFormatter", "StrCategoryFormatter")  # no ticks, or texts given as they are


def localise_figure(fig, lang: str = "vi"):
    """Put every tick label of ``fig`` (each axis of each Axes, colour bars included) in ``lang``'s style;
    returns ``fig``. Call it once the figure is built: a formatter set later is not localised.
    English figures are left as they are."""
    if lang != "vi":
        return fig
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for major in (True, False):
                current = axis.get_major_formatter() if major else axis.get_minor_formatter()
                if getattr(current, "lang", None) == lang or type(current).__name__ in _LEFT_AS_GIVEN:
                    continue
                wrapped = axis_formatter(current, lang)
                (axis.set_major_formatter if major else axis.set_minor_formatter)(wrapped)
    return fig
