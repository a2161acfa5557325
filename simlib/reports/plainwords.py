"""Probabilities and rank changes in plain words.

A probability is said as a count of simulated futures with its Monte-Carlo margin ("in 1,520 of
2,000 simulated futures (Monte-Carlo margin ±1.6 points)"); a rank change as "up 2 places" /
"down 2 places", never as a signed number whose direction the reader must decode (a smaller rank
number is better).
"""

from __future__ import annotations

from ..engine.result import wilson
from .i18n import say
from .numbers import num


def margin_points(p: float, n: int) -> float:
    """Half-width of the 90% Wilson interval of a probability from ``n`` draws, in percentage points."""
    lo, hi = wilson(float(p), int(n))
    return 100.0 * (hi - lo) / 2.0


def futures(p: float, n: int, lang: str = "vi", margin: bool = True) -> str:
    """'in 1,520 of 2,000 simulated futures (Monte-Carlo margin ±1.6 points)' for p = 0.76, n = 2000."""
    k = int(round(float(p) * int(n)))
    if not margin:
        return say("planner.futures_short", lang, k=num(k, 0, lang), n=num(n, 0, lang))
    return say("planner.futures", lang, k=num(k, 0, lang), n=num(n, 0, lang), margin=num(margin_points(p, n), 1, lang))


def rank_change(before: float, after: float, lang: str = "vi", digits: int = 0) -> str:
    """'up 2 places' when the rank number falls from 5 to 3, 'down 2 places' when it rises from 3 to 5.

    ``digits`` > 0 for averaged changes (e.g. a lever's Shapley share: 'up 1.3 places').
    """
    places = round(float(before) - float(after), digits)
    if places == 0:
        return say("planner.rank_same", lang)
    if abs(places) == 1:
        return say("planner.rank_up_one" if places > 0 else "planner.rank_down_one", lang)
    return say("planner.rank_up" if places > 0 else "planner.rank_down", lang, n=num(abs(places), digits, lang))


def places_moved(delta_rank: float, lang: str = "vi", digits: int | None = None) -> str:
    """A change of rank number (after − before) as 'up/down N places'.

    ``digits`` None: whole places when the change is whole (to 0.1), else one decimal — a median
    over an even number of draws can fall between two places ('up 2.5 places'); the panel and the
    reports write the same change the same way."""
    if digits is None:
        digits = 0 if float(round(float(delta_rank), 1)).is_integer() else 1
    return rank_change(0.0, float(delta_rank), lang, digits)


def effects_note(lang: str = "vi") -> str:
    """The reminder that the levers' effect sizes are assumptions, not measured effects."""
    return say("planner.effects_assumed", lang)
