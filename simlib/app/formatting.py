"""How the lever explorer writes numbers and words (no widgets here).

Numbers as the reports write them (``simlib.reports.text``): 92,81 in Vietnamese, 92.81 in
English; ranks whole where whole; probabilities in % with one decimal. Every word comes from
``simlib.reports.i18n.say`` (the panel's own words as ``"panel.key"``, the shared labels by their key).
"""

from __future__ import annotations

from ..engine import data
from ..reports.i18n import issue_text
from ..reports.text import num, rank_band, vi_sort_key

__all__ = [
    "format_score",
    "format_rank",
    "rank_band",
    "format_probability",
    "unit_options",
    "unit_name",
    "issue_text",
]


def format_score(x: float, lang: str = "vi") -> str:
    """A score (points or %) as shown: two decimals, the language's decimal mark (92,81 / 92.81)."""
    return num(x, 2, lang)


def format_rank(x: float, lang: str = "vi") -> str:
    """A rank statistic as shown: whole when whole, else one decimal (a median between two ranks)."""
    x = round(float(x), 1)
    return num(x, 0 if x.is_integer() else 1, lang)


def format_probability(p: float, lang: str = "vi") -> str:
    """A probability 0–1 as a percentage with one decimal (31,6% / 31.6%)."""
    return num(100 * p, 1, lang) + "%"


def unit_options() -> list[tuple[str, str]]:
    """The 34 units as (Vietnamese name, slug), in Vietnamese alphabetical order."""
    units = data.load().units
    return sorted(((row["name_vi"], slug) for slug, row in units.items()), key=lambda item: vi_sort_key(item[0]))


def unit_name(slug: str) -> str:
    return data.load().units[slug]["name_vi"]
