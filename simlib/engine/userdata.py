"""Results a user added, kept in the user data folder and merged with the shipped ``data/`` on load.

The shipped ``data/`` is never modified at run time. ``simlib results add`` stores each checked
table (``resulttable``) as ``<user folder>/results/<INDEX>-<YEAR>.csv``: one row per unit, each
carrying the file it came from, that file's sha256, when it was added and the source the user
named. ``--replace`` first copies the table it replaces into ``results/replaced/``. Every write goes
through a temporary file renamed into place, under a lock on the folder: an interrupted or
failed write (Ctrl-C, a full disk) leaves the folder as it was.

``merged`` lays the added tables over the shipped dataset (``data.load`` does it):

* an added value replaces a reconstructed one (the unit was not published), and a shipped
  published value only as a conflict: it is listed in ``Dataset.clashes`` (and ``simlib results
  add`` refuses it unless ``--override-shipped`` says the added table is right);
* a partial table's units are published, the others stay as the shipped data has them (a
  shipped rank that an added unit now holds, or that contradicts the added order, is dropped,
  and listed);
* units tied in an added table sit on consecutive ranks in the field the model draws (their
  shared score is what matters there); the table's own ranks, ties included, are kept for scoring;
* the national average is the table's where it gives one, else the mean of a whole table's
  scores (``derived``); a shipped average is kept;
* every added file's hash joins ``Dataset.file_hashes`` (as ``user/results/<file>``), so every
  cache, stored evaluation, report manifest and ``--resume`` tells the merged data apart.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from . import atomic, data, paths, safetext
from .errors import DataError, InputError, Issue

COLUMNS = (
    "index",
    "year",
    "unit_slug",
    "name_given",
    "score_pct",
    "rank",
    "n_units",
    "table",
    "average_pct",
    "source",
    "file",
    "sha256",
    "added_at",
    "over_shipped",
)
TABLE_FILE = re.compile(r"^(?P<index>PAR|SIPAS)-(?P<year>\d{4})\.csv$")
MAX_SOURCE_CHARS = 300
REPLACED = "replaced"
SCORE_TOLERANCE = 0.011  # points: two published scores closer than this are the same figure rounded


@dataclass(frozen=True)
class AddedRow:
    slug: str
    name: str  # as the user's table wrote it
    score: float | None
    rank: int | None  # the table's own rank (units tied share it)


@dataclass(frozen=True)
class AddedTable:
    """One added table of one index and year, as stored in the user folder."""

    index: str
    year: int
    partial: bool
    rows: tuple[AddedRow, ...]
    average: float | None
    source: str
    file: str  # the name of the file it was read from
    sha256: str  # of that file
    added_at: str  # ISO time (UTC)
    over_shipped: bool  # the user said the table is right where it differs from shipped published values
    path: Path  # where it is stored

    @property
    def added_on(self) -> str:
        """The date it was added (YYYY-MM-DD)."""
        return self.added_at[:10]

    @property
    def label(self) -> str:
        return f"{self.index} {self.year}"


def table_path(index: str, year: int) -> Path:
    return paths.added_results_dir() / f"{index}-{int(year)}.csv"


# ----------------------------------------------------------------------------- reading


def stamp(folder: Path) -> tuple:
    """What changes when the folder's tables do: (name, size, mtime) of each table file."""
    try:
        entries = sorted(p for p in folder.iterdir() if TABLE_FILE.match(p.name))
    except (FileNotFoundError, NotADirectoryError):
        return ()
    out = []
    for p in entries:
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        out.append((p.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def read_tables(folder: Path, ds) -> list[AddedTable]:
    """Every table stored in ``folder``, validated against the shipped dataset ``ds`` (a hand-edited
    or damaged file raises DataError naming file, row and column)."""
    if not folder.is_dir():
        return []
    tables, issues = [], []
    for path in sorted(p for p in folder.iterdir() if TABLE_FILE.match(p.name) and p.is_file()):
        try:
            tables.append(_read_table(path, ds))
        except DataError as exc:
            issues += exc.issues
    if issues:
        raise DataError(issues, context=str(folder))
    return tables


def _read_table(path: Path, ds) -> AddedTable:
    m = TABLE_FILE.match(path.name)
    index, year = m["index"], int(m["year"])
    units = ds.units_in(year) if year >= 2000 else []
    n = len(units)
    where = str(path)
    issues: list[Issue] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            raw = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(
            Issue(where, f"unreadable ({type(exc).__name__})", "a table written by simlib results add")
        ) from None
    if not raw or set(COLUMNS) - set(raw[0]):
        raise DataError(Issue(where, "missing columns or rows", f"the columns {', '.join(COLUMNS)}"))
    rows, seen = [], set()
    first = raw[0]
    for i, r in enumerate(raw, start=2):
        at = f"{where} row {i} column"
        for col in ("index", "year", "table", "source", "file", "sha256", "added_at", "over_shipped", "average_pct"):
            if r[col] != first[col]:
                issues.append(Issue(f"{at} {col}", r[col], f"the same value on every row ({first[col]!r})"))
        if r["index"] != index or r["year"] != str(year):
            issues.append(Issue(f"{at} index", f"{r['index']} {r['year']}", f"{index} {year}, as the file's name"))
        if r["unit_slug"] not in units or r["unit_slug"] in seen:
            issues.append(Issue(f"{at} unit_slug", r["unit_slug"], f"a unit of the {year} field, once"))
        seen.add(r["unit_slug"])
        score = _number(r["score_pct"], 0, 100, f"{at} score_pct", issues)
        rank = _number(r["rank"], 1, n, f"{at} rank", issues, whole=True)
        if r["n_units"] != str(n):
            issues.append(Issue(f"{at} n_units", r["n_units"], str(n)))
        if score is None and rank is None:
            issues.append(Issue(f"{at} score_pct", "", "a score or a rank"))
        rows.append(AddedRow(r["unit_slug"], r["name_given"], score, None if rank is None else int(rank)))
    if first["table"] not in ("complete", "partial"):
        issues.append(Issue(f"{where} column table", first["table"], "complete or partial"))
    if not re.fullmatch(r"[0-9a-f]{64}", first["sha256"]):
        issues.append(Issue(f"{where} column sha256", first["sha256"], "a sha256 (64 hexadecimal digits)"))
    if first["over_shipped"] not in ("yes", "no"):
        issues.append(Issue(f"{where} column over_shipped", first["over_shipped"], "yes or no"))
    for col, limit in (("source", MAX_SOURCE_CHARS), ("file", 255)):
        problem = safetext.problem(first[col], limit)
        if problem:
            issues.append(Issue(f"{where} column {col}", first[col], problem))
    try:
        datetime.fromisoformat(first["added_at"])
    except ValueError:
        issues.append(Issue(f"{where} column added_at", first["added_at"], "an ISO date and time"))
    average = _number(first["average_pct"], 0, 100, f"{where} column average_pct", issues)
    if first["table"] == "complete" and len(rows) != n:
        issues.append(Issue(where, f"{len(rows)} units", f"the {n} units of a complete {year} table"))
    if issues:
        raise DataError(issues, context=where)
    return AddedTable(
        index,
        year,
        first["table"] == "partial",
        tuple(rows),
        average,
        first["source"],
        first["file"],
        first["sha256"],
        first["added_at"],
        first["over_shipped"] == "yes",
        path,
    )


def _number(text: str, lo: float, hi: float, where: str, issues: list, whole: bool = False) -> float | None:
    if text == "":
        return None
    try:
        x = float(text)
    except ValueError:
        x = None
    if x is None or not lo <= x <= hi or (whole and not x.is_integer()):
        issues.append(Issue(where, text, f"{'a whole number' if whole else 'a number'} from {lo:g} to {hi:g} or empty"))
        return None
    return x


# ----------------------------------------------------------------------------- merging


def differs(a: float | None, b: float | None, tolerance: float = 0.0) -> bool:
    """Two published figures that both exist and disagree (beyond ``tolerance``)."""
    return a is not None and b is not None and abs(a - b) > tolerance


def model_ranks(rows) -> dict[str, int]:
    """The rank each unit takes in the model's field: the table's rank, units tied on consecutive
    ranks in the table's order (the model ranks by score, one unit per place)."""
    out: dict[str, int] = {}
    taken: dict[int, int] = {}
    for r in rows:
        if r.rank is not None:
            out[r.slug] = r.rank + taken.get(r.rank, 0)
            taken[r.rank] = taken.get(r.rank, 0) + 1
    return out


def merged(ds, tables: list[AddedTable]):
    """The dataset ``ds`` with ``tables`` laid over it (a new Dataset; ``ds`` is left as it was)."""
    if not tables:
        return ds
    out = replace(
        ds,
        results={k: dict(v) for k, v in ds.results.items()},
        summary=dict(ds.summary),
        summary_rows=list(ds.summary_rows),
        raw_results=list(ds.raw_results),
        clashes=list(ds.clashes),
        file_hashes=dict(ds.file_hashes),
        added=tuple(tables),
    )
    for t in tables:
        _lay_over(out, t)
        out.file_hashes[f"user/results/{t.path.name}"] = hashlib.sha256(t.path.read_bytes()).hexdigest()[:16]
    return out


def _lay_over(ds, t: AddedTable) -> None:
    source = f"{t.source} (added {t.added_on} from {t.file})"
    entries = ds.results.setdefault((t.index, t.year), {})
    ranks = model_ranks(t.rows)
    n = len(ds.units_in(t.year))
    for r in t.rows:
        shipped = entries.get(r.slug)
        sources: tuple[str, ...] = (source,)
        if shipped is not None:
            if differs(shipped.score, r.score, SCORE_TOLERANCE) or differs(shipped.rank, r.rank):
                ds.clashes.append(
                    f"{t.index} {t.year} {r.slug}: the added table ({t.file}) gives {_fig(r.score, r.rank)}, "
                    f"the shipped data {_fig(shipped.score, shipped.rank)} ({'; '.join(shipped.sources)}); "
                    "the added table is used"
                )
            else:
                sources += tuple(s for s in shipped.sources if s != source)
        entries[r.slug] = data.Published(r.slug, r.score, ranks.get(r.slug), "stated", sources)
        ds.raw_results.append(
            {
                "index": t.index,
                "year": t.year,
                "province_slug": r.slug,
                "score_pct": r.score,
                "rank": r.rank,
                "n_units": str(n),
                "status": "stated",
                "source": source,
                "quote": r.name,
                "_row": 0,
            }
        )
    added = {r.slug: r for r in t.rows}
    for slug, p in list(entries.items()):
        if slug in added or p.rank is None:
            continue
        against = [
            a
            for a in t.rows
            if a.rank == p.rank
            or (
                a.rank is not None
                and a.score is not None
                and p.score is not None
                and (a.score - p.score) * (a.rank - p.rank) > 0
            )
        ]
        if against:
            entries[slug] = data.Published(p.slug, p.score, None, p.status, p.sources)
            ds.clashes.append(
                f"{t.index} {t.year} {slug}: shipped rank {p.rank} contradicts the added table ({against[0].slug} "
                f"{_fig(against[0].score, against[0].rank)}); dropped the shipped rank"
            )
    key = (t.index, t.year, "avg_pct")
    scores = [r.score for r in t.rows]
    if key not in ds.summary:
        if t.average is not None:
            value, status, how = t.average, "stated", f"{source}: the national average the table gives"
        elif not t.partial and all(s is not None for s in scores):
            value, status, how = (
                round(sum(scores) / len(scores), 4),
                "derived",
                f"mean of the {len(scores)} scores of {source}",
            )
        else:
            return
        ds.summary[key] = value
        ds.summary_rows.append(
            {"index": t.index, "year": t.year, "metric": "avg_pct", "value": value, "status": status, "source": how}
        )


def _fig(score, rank) -> str:
    parts = []
    if score is not None:
        parts.append(f"{score:g}")
    if rank is not None:
        parts.append(f"rank {rank}")
    return " / ".join(parts) or "nothing"


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
                    _fig(r.score, r.rank),
                    f"the shipped published figure {_fig(p.score, p.rank)} ({'; '.join(p.sources)[:160]}), or "
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
    return _read_table(path, data.shipped()) if path.is_file() else None


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
    """The stored CSV of ``table``: one row per unit, provenance on every row, cells spreadsheet-safe."""
    added_at = datetime.now(UTC).isoformat(timespec="seconds")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in table.rows:
        w.writerow(
            [
                safetext.spreadsheet_cell(v) if isinstance(v, str) else ("" if v is None else v)
                for v in (
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
            ]
        )
    return buf.getvalue()
