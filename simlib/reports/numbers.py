"""Numbers as a reader of the language expects them: ``89,6`` and ``1.234`` in Vietnamese, ``89.6``
and ``1,234`` in English; changes with their sign, 5–95% bands, whole ranks, probabilities in %."""

from __future__ import annotations

import math


def num(x, digits: int = 1, lang: str = "vi") -> str:
    """A number rounded to ``digits`` decimals, with the language's separators; '—' for missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    s = f"{float(x):,.{digits}f}"
    if s.lstrip("-").strip("0.,") == "":  # no "-0.0"
        s = s.lstrip("-")
    return marks(s, lang).replace("-", "−")


def marks(formatted: str, lang: str = "vi") -> str:
    """A number Python formatted (``1,234.5``) with the language's marks: ``1.234,5`` in Vietnamese."""
    if lang != "vi":
        return formatted
    return formatted.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


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
