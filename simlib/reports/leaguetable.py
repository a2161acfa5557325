"""The league table in words and pictures: a table with the focal unit highlighted, and the
rank-probability matrix (units × ranks) as a heat map."""

from __future__ import annotations

import html

import numpy as np

from ..engine import data
from .i18n import say
from .plainwords import futures
from .text import band_text, num, pct, unit_name


def _name(slug: str, year: int) -> str:
    """Names of the year's units: a 2025 unit's or a pre-2025 province's."""
    ds = data.load()
    row = (ds.units.get(slug) if year >= data.MERGER_YEAR else None) or ds.provinces.get(slug) or ds.units.get(slug)
    return row["name_vi"] if row else slug


def frame(table, lang: str = "vi", proxies: dict | None = None):
    """One row per unit, best median rank first: name, score and rank bands, P(top 3 / top 10), status.

    ``proxies``: optional {column label: {unit_slug: value}} of published proxy indices, shown
    as extra columns (labelled as proxies by the caller).
    """
    import pandas as pd  # imported here: the panel shows the table without pandas

    rows = table.rows()
    status_head = say("planner.status", lang, year=table.status_year)
    out = []
    for r in rows:
        name = _name(r["unit_slug"], table.year)
        item = {
            say("planner.unit", lang): ("▶ " + name) if r["focal"] else name,
            say(
                "planner.score_band", lang
            ): f"{num(r['score_p50'], 2, lang)} ({band_text(r['score_p05'], r['score_p95'], 2, lang)})",
            say("planner.rank_band", lang): f"{r['rank_p50']} ({r['rank_p05']}–{r['rank_p95']})",
            say("planner.p_top3", lang): pct(r["p_top3"], lang),
            say("planner.p_top10", lang): pct(r["p_top10"], lang),
            status_head: say(f"planner.{r['status']}", lang),
        }
        for label, values in (proxies or {}).items():
            value = values.get(r["unit_slug"])
            item[label] = "—" if value is None else num(value, 2, lang)
        out.append(item)
    return pd.DataFrame(out)


CSS = (
    "<style>table.simlib-league td, table.simlib-league th{text-align:left;padding:2px 8px;"
    "vertical-align:top}table.simlib-league tr.focal td{font-weight:bold;background:#fde8c8}"
    "@media print{table.simlib-league tr.focal td{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}</style>"
)


def html_table(table, lang: str = "vi", proxies: dict | None = None) -> str:
    """The league table as HTML, the focal unit's row highlighted (class ``focal``), text escaped."""
    df = frame(table, lang, proxies)
    focal = [bool(r["focal"]) for r in table.rows()]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = []
    for is_focal, (_, row) in zip(focal, df.iterrows()):
        cells = "".join(f"<td>{html.escape(str(v))}</td>" for v in row)
        body.append(f'<tr class="focal">{cells}</tr>' if is_focal else f"<tr>{cells}</tr>")
    return (
        CSS
        + '<table class="simlib-league"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


def proxy_columns(table, lang: str = "vi") -> dict:
    """{column label: {unit_slug: value}} of the published proxies, each labelled as a proxy with its year."""
    from ..analysis.league import proxies

    return {
        say("planner.proxy", lang, name=say(f"planner.cov_{p.name}", lang), year=p.year): p.values
        for p in proxies(table)
    }


def title(table, lang: str = "vi") -> str:
    return say("planner.league_title", lang, index=table.index, year=table.year, n=table.n_units)


def note(table, lang: str = "vi") -> str:
    """What the table assumes, and the focal unit's top-3 chance in plain words."""
    focal = next(r for r in table.rows() if r["focal"])
    said = futures(focal["p_top3"], table.draws, lang)
    top3 = f"{unit_name(table.focal)}: {say('planner.p_top3', lang)} {pct(focal['p_top3'], lang)}, {said}."
    key = "league_note" if table.projected else "league_note_past"
    return " ".join(
        [
            top3,
            say(f"planner.{key}", lang, unit=unit_name(table.focal), draws=num(table.draws, 0, lang)),
            say("planner.proxy_note", lang),
        ]
    )


def rank_matrix_figure(table, lang: str = "vi", max_units: int | None = None):
    """Heat map of the share of draws in which each unit (rows, best median rank first) holds each rank."""
    from .figurestyle import styled  # matplotlib imported only when a figure is drawn

    return styled(_rank_matrix_figure)(table, lang, max_units)


def _rank_matrix_figure(table, lang: str = "vi", max_units: int | None = None):
    from .figurestyle import new_figure

    rows = table.rows()
    order = [table.slugs.index(r["unit_slug"]) for r in rows]
    if max_units:
        order = order[:max_units]
    matrix = table.rank_matrix[order]
    n_rows, n_ranks = matrix.shape
    fig, axes = new_figure(1, 1, size=(10.0, max(4.0, 0.2 * n_rows + 1.6)))
    ax = axes[0][0]
    ax.grid(False)
    image = ax.imshow(
        matrix,
        aspect="auto",
        cmap="Blues",
        vmin=0.0,
        vmax=max(float(matrix.max()), 1e-9),
        interpolation="nearest",
        extent=(0.5, n_ranks + 0.5, n_rows - 0.5, -0.5),
    )
    names = [_name(table.slugs[i], table.year) for i in order]
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels(names, fontsize=7 if n_rows > 40 else 8)
    focal_row = [i for i, j in enumerate(order) if j == table.focal_column]
    for i in focal_row:
        ax.get_yticklabels()[i].set_color("#d1495b")
        ax.get_yticklabels()[i].set_fontweight("bold")
        ax.axhline(i, color="#d1495b", linewidth=0.6, alpha=0.6)
    step = 1 if n_ranks <= 34 else 2
    ax.set_xticks(np.arange(1, n_ranks + 1, step))
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel(say("rank", lang))
    ax.set_title(say("planner.matrix_title", lang, index=table.index, year=table.year))
    bar = fig.colorbar(image, ax=ax, shrink=0.6)
    bar.set_label(say("planner.matrix_colour", lang))
    return fig


def show(table, lang: str = "vi") -> None:
    """The league table section of a report: title, note, the table (focal unit highlighted), heat map."""
    from IPython.display import HTML, display

    from .text import show as show_figure
    from .text import show_markdown

    show_markdown("### " + title(table, lang), note(table, lang))
    display(HTML(html_table(table, lang, proxy_columns(table, lang))))
    show_figure(rank_matrix_figure(table, lang))
