"""The words of adding a year's results: what ``simlib results add`` did, ``simlib results list``'s
table, and an input problem of either in the reader's language."""

from __future__ import annotations

from ..engine import data, history, safetext
from ..engine.errors import MAX_ISSUES_SHOWN, InputError, short
from .i18n import issue_text, say
from .i18n.yearwords import WHERE_VI
from .numbers import num


def ordinal(rank, lang: str = "vi") -> str:
    """A rank as a reader says it: '3' in Vietnamese (after «thứ»), '3rd' in English."""
    r = int(round(float(rank)))
    if lang == "vi":
        return str(r)
    suffix = "th" if 10 <= r % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(r % 10, "th")
    return f"{r}{suffix}"


def error_message(exc: InputError, lang: str = "vi") -> str:
    """``exc``'s problems, each on its own line, in ``lang`` (the engine writes them in English)."""
    if lang == "en":
        return exc.message()
    lines = [say("results.error_head", lang, n=len(exc.issues), context=exc.context or exc.kind)]
    for issue in exc.issues[:MAX_ISSUES_SHOWN]:
        line = issue_text(issue, lang)
        where = issue.where
        for en, vi in WHERE_VI:
            where = where.replace(en, vi)
        lines.append("  - " + where + line[len(issue.where) :])
    if len(exc.issues) > MAX_ISSUES_SHOWN:
        lines.append("  " + say("results.error_more", lang, n=len(exc.issues) - MAX_ISSUES_SHOWN))
    return "\n".join(lines)


def note_lines(table, lang: str = "vi") -> list[str]:
    """What the reader of ``table`` (``resulttable.Table``) did that the user should know."""
    out = []
    for what, fields in table.notes:
        f = dict(fields)
        if what == "column":
            f["role"] = say(f"results.role_{f['role']}", lang)
            f["others"] = ", ".join(short(o, 40) for o in f["others"])
            f["used"] = short(f["used"], 40)[1:-1]
        if "name" in f:
            f["name"] = safetext.printable(f["name"], 60)
        if "sheet" in f:
            f["sheet"] = safetext.printable(f["sheet"], 40)
        if "value" in f and isinstance(f["value"], float):
            f["value"] = num(f["value"], 2, lang)
        out.append(say(f"results.note_{what}", lang, **f))
    return out


def added_lines(added, table, source: str, lang: str = "vi") -> list[str]:
    """What ``userdata.add`` did (``added``: its ``Added``) with ``table``, then where the data stand now."""
    what = f"{table.index} {table.year}"
    if added.outcome == "unchanged":
        return [say("results.unchanged", lang, what=what, date=added.previous.added_on)]
    kind = say("results.kind_partial" if table.partial else "results.kind_complete", lang)
    fields = dict(
        what=what,
        n=len(table.rows),
        total=table.n_field,
        kind=kind,
        source=safetext.printable(source, 120),
        file=table.file,
        sha=table.sha256[:12],
    )
    if added.outcome == "replaced":
        lines = [say("results.replaced", lang, **fields, date=added.previous.added_on, kept=str(added.replaced_copy))]
    else:
        lines = [say("results.added", lang, **fields)]
    if table.ties:
        lines.append(say("results.ties", lang, n=table.ties))
    lines += note_lines(table, lang)
    lines.append(say("results.stored", lang, path=str(added.path)))
    return lines


def standing_lines(index: str, year: int, lang: str = "vi") -> list[str]:
    """Where the data stand after a table of ``index`` ``year`` was added: the baseline year of projections,
    whether the year can be one, the national average, conflicts kept."""
    from ..engine.scenario import default_baseline_year

    ds = data.load()
    lines = []
    avg = ds.average(index, year)
    row = next(
        (r for r in reversed(ds.summary_rows) if (r["index"], r["year"], r["metric"]) == (index, year, "avg_pct")), None
    )
    if avg is not None:
        how = say(f"results.average_{row['status']}", lang) if row and row["status"] in ("stated", "derived") else ""
        lines.append(say("results.average", lang, avg=num(avg, 2, lang), how=how))
    if year not in history.reconstructable_years(index):
        lines.append(
            say(
                "results.not_reconstructable",
                lang,
                what=f"{index} {year}",
                n=len(history.published_scores(index, year)),
                need=history.MIN_PUBLISHED_SCORES,
            )
        )
    base = default_baseline_year()
    if base >= year:
        lines.append(say("results.baseline_now", lang, year=base))
    else:
        other = "SIPAS" if index == "PAR" else "PAR"
        lines.append(say("results.baseline_waits", lang, base=base, other=other, year=year))
    n = sum(1 for c in ds.clashes if c.startswith(f"{index} {year} ") and "added table" in c)
    if n:
        lines.append(say("results.conflicts_kept", lang, n=n))
    return lines


LIST_COLUMNS = ("index", "year", "status", "published", "units", "baseline", "origin", "source", "conflicts")


def list_rows(lang: str = "vi") -> list[dict]:
    """``simlib results list``: per index and year, how much is published and where it comes from."""
    ds = data.load()
    added = {(t.index, t.year): t for t in ds.added}
    rows = []
    for index in data.INDICES:
        recon = set(history.reconstructable_years(index))
        for year in ds.years_with_results(index):
            entries = ds.results[(index, year)]
            units = len(ds.units_in(year))
            published = sum(1 for p in entries.values() if p.score is not None or p.rank is not None)
            status = (
                "published" if published >= units and all(p.score is not None for p in entries.values()) else "partial"
            )
            t = added.get((index, year))
            shipped_sources = {src for p in entries.values() for src in p.sources if not t or "(added " not in src}
            if t is None:
                origin = say("results.origin_shipped", lang, n=len(shipped_sources))
                source = ""
            else:
                key = "results.origin_both" if shipped_sources else "results.origin_added"
                origin = say(key, lang, date=t.added_on, file=t.file)
                source = t.source
            conflicts = sum(1 for c in ds.clashes if c.startswith(f"{index} {year} ") and "added table" in c)
            rows.append(
                {
                    "index": index,
                    "year": year,
                    "status": say(f"results.status_{status}", lang),
                    "published": published,
                    "units": units,
                    "baseline": say("results.yes" if year in recon else "results.no", lang),
                    "origin": origin,
                    "source": source,
                    "conflicts": conflicts,
                }
            )
    return rows


def list_headers(lang: str = "vi") -> dict[str, str]:
    return {c: say(f"results.col_{c}", lang) for c in LIST_COLUMNS}


def data_line(lang: str = "vi") -> str:
    """One line for the panel and the reports: the newest published year, and the data added by the user
    ("data added on <date> from <source>") with the day it was added (plain text, to be escaped)."""
    import datetime as dt

    from .text import date_text

    ds = data.load()
    latest = max(y for ix in data.INDICES for y in ds.years_with_results(ix))
    parts = [say("results.data_latest", lang, year=latest)]
    for t in sorted(ds.added, key=lambda t: (-t.year, t.index)):
        parts.append(
            say(
                "results.data_added",
                lang,
                what=f"{t.index} {t.year}",
                date=date_text(dt.date.fromisoformat(t.added_on), lang),
                source=safetext.printable(t.source, 120),
            )
        )
    return " ".join(parts)
