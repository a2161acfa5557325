"""index.html of a batch: the rendered comparison with links to every report, or a page of its own."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

from ..engine import atomic
from .render import one_line


def _report_link(item, out: Path, lang: str = "vi") -> str:
    """The scenario's title (its name if it has none), linked to its report when there is one."""
    label = html.escape(item.scenario.heading(lang) if item.scenario is not None else item.name)
    return f'<a href="{html.escape(item.dir)}/report.html">{label}</a>' if has_report(item, out) else label


def _leader_links(item, out: Path, lang: str) -> str:
    """Links to a report's one-page PDF and Excel workbook, where they were written."""
    from ..reports import i18n

    links = []
    for name, key in (("onepager.pdf", "download_onepager"), ("results.xlsx", "download_excel")):
        if (out / item.dir / name).is_file():
            links.append(
                f'<a href="{html.escape(item.dir)}/{name}">{html.escape(i18n.say(f"planner.{key}", lang))}</a>'
            )
    return " · ".join(links)


def has_report(item, out: Path) -> bool:
    """The batch item (``batch.Item``) ran in this batch (or was resumed) and left a rendered page."""
    return item.scenario is not None and item.status != "pending" and (out / item.dir / "report.html").is_file()


def _units_link(out: Path, lang: str) -> str:
    """A link to units.html (an --all-units batch) followed by a separator, or ''."""
    from ..reports import i18n

    if not (out / "units.html").is_file():
        return ""
    return f'<a href="units.html">{html.escape(i18n.say("units_title", lang))}</a> · '


def nav_html(items: list, out: Path, lang: str) -> str:
    """One line of links to every report (relative, so the batch folder can be moved or zipped)."""
    from ..reports import i18n

    links = " · ".join(_report_link(item, out, lang) for item in items)
    links = _units_link(out, lang) + links
    return f"<p><strong>{html.escape(i18n.say('scenario_reports', lang))}:</strong> {links}</p>"


def reports_table_html(items: list, out: Path, lang: str) -> str:
    """Every scenario: link to its report, status, and the error of a failed one."""
    from ..reports import i18n

    head = "".join(
        f"<th>{html.escape(i18n.say(k, lang))}</th>" for k in ("scenario", "scenario_description", "status", "note")
    )
    rows = []
    for item in items:
        description = item.scenario.summary(lang) if item.scenario is not None else ""
        status = i18n.say("status_ok" if item.status == "ok" else "status_failed", lang)
        err = item.error or {}
        where = f"cell {err['cell_index']}: " if err.get("cell_index") is not None else ""
        note = f"{where}{err.get('ename')}: {one_line(err.get('evalue'), 300)}" if item.error else ""
        rows.append(
            f"<tr><td>{_report_link(item, out, lang)}</td>"
            f'<td class="simlib-description">{html.escape(one_line(description, 300))}</td>'
            f"<td>{html.escape(status)}</td>"
            f"<td>{html.escape(note)}{_leader_links(item, out, lang)}</td></tr>"
        )
    return (
        f"<h2>{html.escape(i18n.say('scenario_reports', lang))}</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n"
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def numbers_table_html(out: Path, lang: str) -> str:
    """The headline numbers of summary.csv (target year): medians with 5–95% bands, probabilities, cost."""
    from ..reports import i18n

    try:
        with open(out / "summary.csv", newline="", encoding="utf-8") as handle:
            rows = [r for r in csv.DictReader(handle) if r.get("status") == "ok"]
    except OSError:
        return ""
    if not rows:
        return ""
    from ..reports.numbers import num as number
    from ..reports.numbers import pct as percent
    from ..reports.text import fee_number

    num = lambda x, d=1: number(float(x), d, lang)
    band = lambda r, p: f"{num(r[p + '_p50'])} ({num(r[p + '_p05'])}–{num(r[p + '_p95'])})"
    rank = lambda r: f"{num(r['par_rank_p50'], 0)} ({num(r['par_rank_p05'], 0)}–{num(r['par_rank_p95'], 0)})"
    pct = lambda x: html.escape(percent(float(x), lang))  # "<1%" at the low end
    columns = [
        ("scenario", lambda r: html.escape(r["scenario"])),
        ("target_year", lambda r: html.escape(r["target_year"])),
        ("sipas_pct", lambda r: band(r, "sipas")),
        ("par_score", lambda r: band(r, "par")),
        ("par_rank", rank),
        ("p_par_top3", lambda r: pct(r["p_par_top3"])),
        ("p_par_top10", lambda r: pct(r["p_par_top10"])),
        ("p_sipas_ge_86", lambda r: pct(r["p_sipas_ge_86"])),
        ("fee_forgone_bn_vnd", lambda r: fee_number(float(r["fee_forgone_bn_vnd"]), lang)),  # the mean
    ]
    head = "".join(f"<th>{html.escape(i18n.say(key, lang))}</th>" for key, _ in columns)
    body = "\n".join("<tr>" + "".join(f"<td>{fmt(r)}</td>" for _, fmt in columns) + "</tr>" for r in rows)
    return (
        f"<h2>{html.escape(i18n.say('h_outcomes', lang))}</h2>\n"
        f"<p>{html.escape(i18n.say('median_band', lang))}</p>\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"
    )


def _output_cell(inner: str) -> str:
    """HTML placed in the page like a notebook output (same fonts, tables and link colours)."""
    return (
        '<div class="jp-Cell jp-CodeCell jp-Notebook-cell jp-mod-noInput simlib-reports">\n'
        '<div class="jp-Cell-outputWrapper"><div class="jp-OutputArea jp-Cell-outputArea">'
        '<div class="jp-OutputArea-child"><div class="jp-RenderedHTMLCommon jp-OutputArea-output">\n'
        f"{inner}\n</div></div></div></div>\n</div>"
    )


_PAGE_CSS = """body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;color:#222;max-width:72em}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{padding:.3em .8em;text-align:right;
border-bottom:1px solid #ddd}td{white-space:nowrap}td.simlib-description{white-space:normal;text-align:left}th:first-child,td:first-child{text-align:left}
thead th{border-bottom:2px solid #888}a{color:#1565c0}"""


def write_index(out: Path, items: list, comparison: dict, lang: str) -> None:
    """index.html: the rendered comparison, with links to every report at its top and a table of
    every report (status, error) at its end; if the comparison is missing or failed, a page of
    its own with the reports and the headline numbers of summary.csv."""
    from ..reports import i18n

    page = comparison.get("html")
    title = html.escape(i18n.say("h_batch_title", lang))
    if page:
        top = re.search(r"<main[^>]*>", page) or re.search(r"<body[^>]*>", page)
        end = page.rfind("</main>") if "</main>" in page else page.rfind("</body>")
        if top and end > top.end():
            page = (
                page[: top.end()]
                + "\n"
                + _output_cell(nav_html(items, out, lang))
                + page[top.end() : end]
                + _output_cell(reports_table_html(items, out, lang))
                + "\n"
                + page[end:]
            )
        else:
            page = None
    if not page:
        note = ""
        if comparison.get("status") == "failed":
            err = comparison.get("error") or {}
            note = (
                f"<p>{html.escape(i18n.say('comparison_failed', lang))} ({html.escape(str(err.get('ename')))}: "
                f"{html.escape(one_line(err.get('evalue'), 300))}; comparison.ipynb)</p>"
            )
        page = (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n<title>{title}</title>\n'
            f"<style>{_PAGE_CSS}</style></head>\n<body>\n<h1>{title}</h1>\n{note}\n"
            f"{_units_nav(out, lang)}"
            f"{reports_table_html(items, out, lang)}\n{numbers_table_html(out, lang)}\n</body>\n</html>\n"
        )
    atomic.write_text(out / "index.html", page)


# ----------------------------------------------------------------------------- every unit as focal


def _target_numbers(directory: Path, year: int) -> dict | None:
    """P(top 3/5/10) with its 90% Monte-Carlo interval (the run's p05/p95) and the PAR rank's
    p05/p50/p95 in ``year``, from a report's results.csv."""
    try:
        with open(directory / "results.csv", newline="", encoding="utf-8") as handle:
            rows = {r["metric"]: r for r in csv.DictReader(handle) if int(float(r["year"])) == year}
        found = {
            "rank": float(rows["par_rank"]["p50"]),
            "rank_lo": float(rows["par_rank"]["p05"]),
            "rank_hi": float(rows["par_rank"]["p95"]),
        }
        for k in (3, 5, 10):  # the probability with the 90% Wilson interval the run wrote beside it
            row = rows[f"p_par_top{k}"]
            found[f"p{k}"], found[f"p{k}_lo"], found[f"p{k}_hi"] = (
                float(row["mean"]),
                float(row["p05"]),
                float(row["p95"]),
            )
        return found
    except (OSError, KeyError, ValueError):
        return None


def units_table(out: Path, items: list, lang: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(scenario headers, [(unit name, cells)]): one HTML cell per unit × scenario of an --all-units batch."""
    from ..reports import i18n
    from ..reports.text import num, pct, rank_band, unit_name

    scenarios = list(dict.fromkeys(i.name for i in items))
    by = {(i.unit, i.name): i for i in items}
    units = list(dict.fromkeys(i.unit for i in items if i.unit))
    rows = []
    for unit in units:
        cells = []
        for name in scenarios:
            item = by.get((unit, name))
            numbers = None
            if item is not None and item.status == "ok" and item.scenario is not None:
                numbers = _target_numbers(out / item.dir, int(item.scenario.target_year))
            if numbers is None:
                cells.append(f'<td class="simlib-missing">{html.escape(i18n.say("not_run", lang))}</td>')
                continue
            probs = " · ".join(
                f"{i18n.say('top_k', lang, k=k)} {pct(numbers[f'p{k}'], lang)} "
                f"({pct(numbers[f'p{k}_lo'], lang)}–{pct(numbers[f'p{k}_hi'], lang)})"
                for k in (3, 5, 10)
            )
            rank = (
                f"{html.escape(i18n.say('median_rank', lang))} {num(round(numbers['rank']), 0, lang)} "
                f"({rank_band(numbers['rank_lo'], numbers['rank_hi'], lang)})"
            )
            text = f"{html.escape(probs)}<br>{rank}"
            cells.append(
                f'<td><a href="{html.escape(item.dir)}/report.html">{text}</a></td>'
                if has_report(item, out)
                else f"<td>{text}</td>"
            )
        rows.append((html.escape(unit_name(unit)), cells))
    return [html.escape(n) for n in scenarios], rows


def write_units_page(out: Path, items: list, lang: str) -> None:
    """units.html of an --all-units batch: units × scenarios, P(top-k) with their Monte-Carlo
    intervals and the median rank, each cell linking to its report."""
    from ..reports import i18n

    heads, rows = units_table(out, items, lang)
    years = sorted({int(i.scenario.target_year) for i in items if i.scenario is not None})
    title = html.escape(i18n.say("units_title", lang))
    intro = html.escape(i18n.say("units_intro", lang, year="/".join(map(str, years)) or "—"))
    head = f"<th>{html.escape(i18n.say('focal', lang))}</th>" + "".join(f"<th>{h}</th>" for h in heads)
    body = "\n".join(f"<tr><td>{name}</td>{''.join(cells)}</tr>" for name, cells in rows)
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n<title>{title}</title>\n'
        f"<style>{_PAGE_CSS} td{{white-space:normal;font-size:.9em}} td a{{text-decoration:none}}</style>"
        f"</head>\n<body>\n<h1>{title}</h1>\n<p>{intro}</p>\n"
        f'<p><a href="index.html">index.html</a></p>\n'
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</body>\n</html>\n"
    )
    atomic.write_text(out / "units.html", page)


def _units_nav(out: Path, lang: str) -> str:
    """The units.html link as a paragraph of its own ('' without one)."""
    link = _units_link(out, lang)
    return f"<p>{link.rstrip(' ·')}</p>\n" if link else ""
