"""Adding a table of results to the user data folder: ``simlib results add``'s one write.

The shipped ``data/`` is never modified at run time. ``add`` stores a checked table
(``resulttable.Table``) as ``<user folder>/results/<INDEX>-<YEAR>.csv`` (``usertables`` reads it
back and lays it over the shipped data on load). ``--replace`` first copies the table it replaces
into ``results/replaced/``. Every write goes through a temporary file renamed into place, under a
lock on the folder: an interrupted or failed write (Ctrl-C, a full disk) leaves the folder as it was.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import atomic, csvfile, data, paths, safetext
from .errors import InputError, Issue
from .usertables import (
    COLUMNS,
    MAX_SOURCE_CHARS,
    REPLACED,
    SCORE_TOLERANCE,
    AddedTable,
    differs,
    figure_text,
    read_table,
)


def table_path(index: str, year: int) -> Path:
    return paths.added_results_dir() / f"{index}-{int(year)}.csv"


def conflicts(shipped, index: str, year: int, rows) -> list[Issue]:
    """Where ``rows`` (added) differ from a published value of the shipped dataset ``shipped``."""
    entries = shipped.results.get((index, int(year)), {})
    out = []
    for r in rows:
        p = entries.get(r.slug)
        if p is not None and (differs(p.score, r.score, SCORE_TOLERANCE) or differs(p.rank, r.rank)):
            out.append(
                Issue(
                    f"{index} {year} {r.name}",
                    figure_text(r.score, r.rank),
                    f"the shipped published figure {figure_text(p.score, p.rank)} ({'; '.join(p.sources)[:160]}), or "
                    "--override-shipped if the added table is right (each conflict is then listed)",
                )
            )
    return out


# ----------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Added:
    """What ``add`` did: ``outcome`` added | replaced | unchanged; where the table is and the one it replaced."""

    outcome: str
    path: Path
    previous: AddedTable | None
    replaced_copy: Path | None


def check_source(source) -> list[Issue]:
    problem = safetext.problem(source if isinstance(source, str) else "", MAX_SOURCE_CHARS)
    return [Issue("--source", source, f"where the figures come from: {problem}")] if problem else []


def existing(index: str, year: int) -> AddedTable | None:
    """The table already added for ``index`` and ``year`` (None if none), read from the folder now."""
    path = table_path(index, year)
    return read_table(path, data.shipped()) if path.is_file() else None


def add(table, source: str, replace_existing: bool = False, over_shipped: bool = False) -> Added:
    """Store the checked ``table`` (``resulttable.Table``) in the user folder, atomically, under a lock.

    Raises InputError (nothing written) when the source text is not acceptable, the year is there
    already (unless ``replace_existing``), or the table contradicts shipped published figures
    (unless ``over_shipped``). The same file added again (same sha256) changes nothing.
    """
    source = safetext.clean(source) if isinstance(source, str) else source
    issues = check_source(source)
    folder = paths.added_results_dir()
    target = table_path(table.index, table.year)
    with atomic.output_lock(folder, option="the user data folder"):
        previous = existing(table.index, table.year)
        if previous is not None and previous.sha256 == table.sha256 and not issues:
            return Added("unchanged", target, previous, None)
        if previous is not None and not replace_existing:
            issues.append(
                Issue(
                    "--year",
                    table.year,
                    f"a year not added yet: {table.index} {table.year} was added on {previous.added_on} from "
                    f"{previous.file} ({previous.source[:80]}); --replace replaces it (the previous version is kept)",
                )
            )
        clashing = conflicts(data.shipped(), table.index, table.year, table.rows)
        if clashing and not over_shipped:
            issues += clashing
        if issues:
            raise InputError(issues, context="results add")
        kept = None
        if previous is not None:
            kept = (
                folder
                / REPLACED
                / f"{table.index}-{table.year}.{previous.added_at.replace(':', '').replace('-', '')[:15]}.{previous.sha256[:8]}.csv"
            )
            atomic.write_with(kept, lambda tmp: shutil.copyfile(previous.path, tmp))
        body = table_text(table, source, over_shipped and bool(clashing))
        atomic.write_text(target, body)
    return Added("replaced" if previous is not None else "added", target, previous, kept)


def table_text(table, source: str, over_shipped: bool) -> str:
    """The stored CSV of ``table``: one row per unit, provenance on every row, written by the one CSV
    writer (``csvfile``: cells spreadsheet-safe)."""
    added_at = datetime.now(UTC).isoformat(timespec="seconds")
    rows = [
        (
            table.index,
            table.year,
            r.slug,
            r.name,
            r.score,
            r.rank,
            table.n_field,
            "partial" if table.partial else "complete",
            table.average,
            source,
            table.file,
            table.sha256,
            added_at,
            "yes" if over_shipped else "no",
        )
        for r in table.rows
    ]
    return csvfile.text(COLUMNS, rows)
