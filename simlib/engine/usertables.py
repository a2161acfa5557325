"""Result tables a user added in the user data folder: read, validated and laid over the shipped data.

``simlib results add`` (``userdata``) stores each checked table as ``<user folder>/results/<INDEX>-<YEAR>.csv``,
one row per unit, each carrying the file it came from, that file's sha256, when it was added and
the source the user named. ``read_tables`` reads them back (a hand-edited or damaged file raises
DataError naming file, row and column) and ``merged`` lays them over the shipped dataset
(``data.load`` does both):

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
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from . import safetext
from .errors import DataError, Issue

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
            tables.append(read_table(path, ds))
        except DataError as exc:
            issues += exc.issues
    if issues:
        raise DataError(issues, context=str(folder))
    return tables


def read_table(path: Path, ds) -> AddedTable:
    m = TABLE_FILE.match(path.name)
    if m is None:
        raise ValueError(f"not a stored table's file name: {path.name}")
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


def merged(ds, tables: list[AddedTable], published):
    """The dataset ``ds`` with ``tables`` laid over it (a new Dataset; ``ds`` is left as it was);
    ``published`` makes a consolidated figure (``consolidation.Published``)."""
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
        _lay_over(out, t, published)
        out.file_hashes[f"user/results/{t.path.name}"] = hashlib.sha256(t.path.read_bytes()).hexdigest()[:16]
    return out


def _lay_over(ds, t: AddedTable, published) -> None:
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
                    f"{t.index} {t.year} {r.slug}: the added table ({t.file}) gives {figure_text(r.score, r.rank)}, "
                    f"the shipped data {figure_text(shipped.score, shipped.rank)} ({'; '.join(shipped.sources)}); "
                    "the added table is used"
                )
            else:
                sources += tuple(s for s in shipped.sources if s != source)
        entries[r.slug] = published(r.slug, r.score, ranks.get(r.slug), "stated", sources)
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
            entries[slug] = published(p.slug, p.score, None, p.status, p.sources)
            ds.clashes.append(
                f"{t.index} {t.year} {slug}: shipped rank {p.rank} contradicts the added table ({against[0].slug} "
                f"{figure_text(against[0].score, against[0].rank)}); dropped the shipped rank"
            )
    key = (t.index, t.year, "avg_pct")
    scores = [r.score for r in t.rows if r.score is not None]
    if key not in ds.summary:
        if t.average is not None:
            value, status, how = t.average, "stated", f"{source}: the national average the table gives"
        elif not t.partial and len(scores) == len(t.rows):
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


def figure_text(score, rank) -> str:
    parts = []
    if score is not None:
        parts.append(f"{score:g}")
    if rank is not None:
        parts.append(f"rank {rank}")
    return " / ".join(parts) or "nothing"
