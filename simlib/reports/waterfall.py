"""Why the rank moves, in words and a picture: the waterfall of ``analysis.decompose``, its plain
sentence, and the split by lever."""

from __future__ import annotations

from .i18n import say
from .plainwords import places_moved, rank_change
from .text import lever_label, num, signed, unit_name

GOOD, BAD, TOTAL = "#2e8b57", "#d1495b", "#7f7f7f"  # figures.PALETTE's green and red
# The HTML bars' axis spans at least this much, so that a small change is drawn small (a change of 0.9
# points filled the whole width when the axis was fitted to the data alone).
MIN_SCORE_SPAN = 5.0  # points of the index
MIN_RANK_SPAN = 6.0  # places
# The other units' movement changes the unit's rank, never its own score: the score's bars leave it out
# and say what it is instead (a bar of 0.00 beside "the other units rise by 1.6" read as a contradiction).
SCORE_FREE_PARTS = ("others",)


def part_label(part: str, lang: str = "vi") -> str:
    return say(f"planner.part_{part}", lang)


def _rank_of_n(rank: float, n: int, lang: str) -> str:
    return f"{num(rank, 0, lang)}/{n}"


def sentence(d, lang: str = "vi") -> str:
    """One plain paragraph: what the levers, the own trend and the other units do to the median rank."""
    parts = {p["part"]: p for p in d.parts()}
    unit = unit_name(d.focal)
    text = say(
        "planner.why_sentence",
        lang,
        levers=signed(parts["levers"]["score"], 1, lang),
        trend=signed(parts["trend"]["score"], 1, lang),
        unit=unit,
        others=say(
            "planner.others_rise" if d.others_rise >= 0 else "planner.others_fall",
            lang,
            x=num(abs(d.others_rise), 1, lang),
        ),
        start_rank=_rank_of_n(d.rank["start"], d.n_units["start"], lang),
        end_rank=_rank_of_n(d.rank["levers"], d.n_units["levers"], lang),
        change=rank_change(d.rank["start"], d.rank["levers"], lang),
    )
    out = [text]
    if d.n_units["merger"] != d.n_units["start"]:
        out.append(say("planner.why_merger", lang, change=places_moved(parts["merger"]["rank"], lang)))
        out.append(say("planner.why_method", lang))
    return " ".join(out)


def parts_frame(d, lang: str = "vi"):
    """Part, score change (points), rank change in words; a last row with the total (a DataFrame)."""
    import pandas as pd

    rows = [
        {
            say("planner.part", lang): part_label(p["part"], lang),
            say("planner.score_change", lang): signed(p["score"], 2, lang),
            say("planner.rank_change", lang): places_moved(p["rank"], lang),
        }
        for p in d.parts()
    ]
    rows.append(
        {
            say("planner.part", lang): say("planner.total", lang),
            say("planner.score_change", lang): signed(d.total_score, 2, lang),
            say("planner.rank_change", lang): places_moved(d.total_rank, lang),
        }
    )
    return pd.DataFrame(rows)


def levers_frame(d, lang: str = "vi"):
    """The levers' part split by lever (Shapley values): score points and rank places (a DataFrame)."""
    import pandas as pd

    rows = [
        {
            say("planner.lever_part", lang): lever_label(r["lever"], lang),
            say("planner.score_change", lang): signed(r["score"], 2, lang),
            say("planner.rank_change", lang): places_moved(r["rank"], lang, digits=1),
        }
        for r in d.by_lever
    ]
    parts = {p["part"]: p for p in d.parts()}
    rows.append(
        {
            say("planner.lever_part", lang): say("planner.total", lang),
            say("planner.score_change", lang): signed(parts["levers"]["score"], 2, lang),
            say("planner.rank_change", lang): places_moved(parts["levers"]["rank"], lang),
        }
    )
    return pd.DataFrame(rows)


def _bars(
    ax,
    start: float,
    steps: list[tuple[str, float]],
    end: float,
    start_label: str,
    end_label: str,
    better_is_lower: bool,
    label_of,
    floor: float = 0.0,
) -> None:
    labels = [start_label] + [name for name, _ in steps] + [end_label]
    ax.bar(0, start - floor, bottom=floor, color=TOTAL, width=0.6)
    level = start
    for i, (_, delta) in enumerate(steps, start=1):
        good = (delta < 0) if better_is_lower else (delta > 0)
        ax.bar(i, delta, bottom=level, color=GOOD if good else BAD, width=0.6)
        ax.annotate(
            label_of(delta),
            (i, level + delta / 2),
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
        ax.plot([i - 0.7, i + 0.3], [level, level], color="#555555", linewidth=0.6)
        level += delta
    ax.bar(len(steps) + 1, end - floor, bottom=floor, color=TOTAL, width=0.6)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=20, ha="right", fontsize=8)


def figure(d, lang: str = "vi"):
    """Waterfall of the median score (left) and the median rank (right, 1 = best at the top)."""
    from .figurestyle import styled  # matplotlib imported only when a figure is drawn

    return styled(_figure_of)(d, lang)


def _figure_of(d, lang: str = "vi"):
    from .figurestyle import new_figure, numbers_axis

    fig, axes = new_figure(1, 2, size=(10.5, 4.2))
    parts = d.parts()
    steps_s = [(part_label(p["part"], lang), p["score"]) for p in parts]
    steps_r = [(part_label(p["part"], lang), p["rank"]) for p in parts]
    ax = axes[0][0]
    low = min(d.score.values()) - 1.0
    _bars(
        ax,
        d.score["start"],
        steps_s,
        d.score["levers"],
        str(d.start_year),
        str(d.end_year),
        False,
        lambda x: signed(x, 2, lang),
        floor=low,
    )
    ax.set_ylim(low, max(d.score.values()) + 0.8)
    ax.set_ylabel(say("planner.waterfall_score", lang, index=d.index))
    numbers_axis(ax, lang)
    ax = axes[0][1]
    worst = max(d.rank.values()) + 1.5
    _bars(
        ax,
        d.rank["start"],
        steps_r,
        d.rank["levers"],
        str(d.start_year),
        str(d.end_year),
        True,
        lambda x: places_moved(x, lang),
        floor=worst,
    )
    ax.set_ylim(worst, 0.5)
    ax.set_ylabel(say("planner.waterfall_rank", lang, index=d.index))
    fig.suptitle(
        say("planner.waterfall_title", lang, index=d.index, unit=unit_name(d.focal), start=d.start_year, end=d.end_year)
    )
    return fig


def alt_text(d, lang: str = "vi") -> str:
    """The waterfall's text alternative without drawing it: what ``text.describe_figure`` reads off
    ``figure(d, lang)`` (its title and the names of its two axes)."""
    parts: list[str] = []
    for label in (
        say(
            "planner.waterfall_title", lang, index=d.index, unit=unit_name(d.focal), start=d.start_year, end=d.end_year
        ),
        say("planner.waterfall_score", lang, index=d.index),
        say("planner.waterfall_rank", lang, index=d.index),
    ):
        if label and label not in parts:
            parts.append(label)
    return " · ".join(parts)


def show(d, lang: str = "vi") -> None:
    """The 'why the rank moves' section of a report: the sentence, the waterfall, the parts, the split by lever."""
    from .text import show as show_figure
    from .text import show_markdown, show_table

    show_markdown(sentence(d, lang))
    show_figure(figure(d, lang), alt=alt_text(d, lang))  # the one-pager finds it by this text
    show_table(parts_frame(d, lang))
    if d.by_lever:
        show_markdown(say("planner.why_order", lang))
        show_table(levers_frame(d, lang))


def _html_panel(
    title: str,
    start_label: str,
    end_label: str,
    levels: list[float],
    steps: list[tuple[str, float]],
    better_is_lower: bool,
    label_of,
    value_of,
    css: str,
    min_span: float = 0.0,
    note: str = "",
) -> str:
    """One horizontal waterfall as an HTML table: a row per step, each bar from the level before to the
    level after on a common axis (better to the right) that spans at least ``min_span``; ``note`` under it."""
    import html as _h

    lo, hi = min(levels), max(levels)
    pad = max((hi - lo) * 0.08, 0.5 if better_is_lower else 0.05)
    lo, hi = lo - pad, hi + pad
    if hi - lo < min_span:
        widen = (min_span - (hi - lo)) / 2
        lo, hi = lo - widen, hi + widen
    pos = (lambda v: 100 * (hi - v) / (hi - lo)) if better_is_lower else (lambda v: 100 * (v - lo) / (hi - lo))

    def bar(a: float, b: float, colour: str) -> str:
        left, right = sorted((pos(a), pos(b)))
        width = max(right - left, 0.6)
        return (
            f'<div style="position:relative;height:14px;background:#f3f3f3">'
            f'<div style="position:absolute;left:{left:.2f}%;width:{width:.2f}%;height:14px;'
            f'background:{colour}"></div></div>'
        )

    rows = [(start_label, levels[0], None, TOTAL, value_of(levels[0]))]
    level = levels[0]
    for name, delta in steps:
        good = (delta < 0) if better_is_lower else (delta > 0)
        rows.append((name, level, level + delta, GOOD if good else (BAD if delta else TOTAL), label_of(delta)))
        level += delta
    rows.append((end_label, level, None, TOTAL, value_of(level)))
    body = []
    for name, a, b, colour, text in rows:
        cell = bar(a, a, colour) if b is None else bar(a, b, colour)
        body.append(
            f'<tr><td style="white-space:nowrap;padding-right:8px">{_h.escape(name)}</td>'
            f'<td style="width:55%">{cell}</td><td class="wf-value" style="padding-left:8px;'
            f'white-space:nowrap">{_h.escape(text)}</td></tr>'
        )
    table = (
        f'<table class="{css}" style="width:100%;max-width:900px;border-collapse:collapse;margin-bottom:6px">'
        f'<caption style="text-align:left;font-weight:bold">{_h.escape(title)}</caption>' + "".join(body) + "</table>"
    )
    return table + (f'<p class="{css}-note" style="color:#555;margin:0 0 8px 0">{_h.escape(note)}</p>' if note else "")


def others_note(d, lang: str = "vi") -> str:
    """What the other units do, said under the score's bars: their mean change moves the rank only."""
    return say(
        "planner.others_score_note",
        lang,
        unit=unit_name(d.focal),
        others=say(
            "planner.others_rise" if d.others_rise >= 0 else "planner.others_fall",
            lang,
            x=num(abs(d.others_rise), 1, lang),
        ),
    )


def html_bars(d, lang: str = "vi") -> str:
    """The waterfall as HTML bars (fast enough for a slider): median score, then median rank. The score's
    bars leave out the other units' movement (it moves the rank only) and say what it is in a line."""
    parts = d.parts()
    steps_s = [(part_label(p["part"], lang), p["score"]) for p in parts if p["part"] not in SCORE_FREE_PARTS]
    steps_r = [(part_label(p["part"], lang), p["rank"]) for p in parts]
    levels_s = [d.score[s] for s in d.states if s not in SCORE_FREE_PARTS]
    levels_r = [d.rank[s] for s in d.states]
    score = _html_panel(
        say("planner.waterfall_score", lang, index=d.index),
        str(d.start_year),
        str(d.end_year),
        levels_s,
        steps_s,
        False,
        lambda x: signed(x, 2, lang),
        lambda v: num(v, 2, lang),
        "wf-score",
        MIN_SCORE_SPAN,
        others_note(d, lang),
    )
    rank = _html_panel(
        say("planner.waterfall_rank", lang, index=d.index),
        str(d.start_year),
        str(d.end_year),
        levels_r,
        steps_r,
        True,
        lambda x: places_moved(x, lang),
        lambda v: num(v, 0, lang),
        "wf-rank",
        MIN_RANK_SPAN,
    )
    return score + rank
