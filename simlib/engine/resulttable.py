"""One index's results for one year, as a planner types or pastes them: read, matched and checked.

``read(path, index, year, partial)`` takes a CSV or an XLSX workbook (read as cells by ``tablefile``:
a merged title row or a rank merged over a tie reads as written, cells formatted as % read as
percentages) and returns a ``Table``, or raises one InputError listing every problem at once:

* the header: the first row (of the first ``tablefile.HEADER_ROWS`` rows: title rows above it are
  skipped) naming a unit column and a score or rank column, in English or Vietnamese
  (``unit``/``Tỉnh/thành phố``, ``score``/``Điểm``/``Chỉ số``, ``rank``/``Xếp hạng``/``Thứ hạng``);
* every unit once, every name a unit of the year's field (the 34 units from 2025, the 63
  provinces before: ``unitnames``), the nearest names suggested for one that is not;
* as many units as the field has (unless the table is ``partial``: only the units the
  announcement lists);
* scores from ``MIN_SCORE`` to 100 (decimal comma or point, one of them throughout; a % sign
  allowed), ranks whole numbers from 1 to the field's size;
* ranks consistent with scores: a better score never has a worse rank, units sharing a rank
  share a score, and a whole table's ranks run from 1 to n, a tie sharing one rank and
  skipping the next (5, 5, 7).

What the reader did that the user should know is in ``Table.notes``, each a (what, fields) pair of
``NOTES`` (the words are the reports' ``say("results.note_<what>")``). A row whose unit cell reads as the national average ("Trung bình cả nước", "Average") is the
table's average, not a unit; notes, sources and totals below the table are skipped, each with a note.
``tablefile``'s limits refuse a huge or hostile file before it is parsed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from . import data, safetext, tablefile, unitnames
from .errors import InputError, Issue, short

MAX_NAME_CHARS = 120
MIN_SCORE = 40.0  # below any PAR or SIPAS result ever published; lower bound of the reconstruction too
INDICES = ("PAR", "SIPAS")
SHEET_WORDS = {"PAR": ("par", "cchc"), "SIPAS": ("sipas", "hailong")}  # in a workbook, the index's own sheet first

# Header words on the key of ``tablefile.plain`` (no diacritics, letters and digits only), in order of
# preference: where two columns could hold the scores, the one whose header comes first here is used.
HEADERS: dict[str, tuple[str, ...]] = {
    "unit": (
        "unit",
        "unitname",
        "province",
        "provincename",
        "name",
        "tinhthanhpho",
        "tinhtp",
        "tinhthanh",
        "tinh",
        "tentinh",
        "tentinhthanhpho",
        "diaphuong",
        "tendiaphuong",
        "donvi",
        "tendonvi",
        "ten",
    ),
    "score": (
        "score",
        "scorepct",
        "points",
        "chiso",
        "chisocchc",
        "chisopar",
        "parindex",
        "chisosipas",
        "chisohailong",
        "sipas",
        "par",
        "tongdiem",
        "diem",
        "diemso",
        "diemdatduoc",
        "tylehailong",
        "mucdohailong",
        "ketqua",
        "value",
    ),
    "rank": ("rank", "ranking", "xephang", "thuhang", "hang", "vitri", "vitrixephang", "xephangchung"),
}
ROLES = tuple(HEADERS)
# A unit cell starting with one of these is not a unit: the national average, or a note below the table.
AVERAGE_WORDS = ("trungbinh", "binhquan", "canuoc", "toanquoc", "average", "national", "mean")
NOTE_WORDS = ("tong", "total", "ghichu", "note", "nguon", "source", "luuy")
NOTES = ("sheet", "title_rows", "column", "average", "skipped", "partial")
YEAR_SUFFIX = re.compile(r"(nam)?(19|20)\d\d$")


@dataclass(frozen=True)
class Row:
    """One unit's result as read: ``line`` is its row in the file (1 = first)."""

    line: int
    name: str  # as written (NFC, outer spaces stripped)
    slug: str
    score: float | None  # points (PAR of 100) or % (SIPAS)
    rank: int | None  # 1 = best; units tied share a rank


@dataclass(frozen=True)
class Table:
    """A checked table of one index and year."""

    index: str
    year: int
    partial: bool  # only the units the announcement lists
    file: str  # the file's name as given
    sha256: str  # of the file's bytes
    rows: tuple[Row, ...]
    n_field: int  # units in the year's field (34 from 2025, 63 before)
    average: float | None  # the national average, where the table gives it
    notes: tuple[tuple[str, dict], ...]  # (what, fields): what the reader did that the user should know (``NOTES``)

    @property
    def ties(self) -> int:
        """Ranks shared by more than one unit."""
        ranks = [r.rank for r in self.rows if r.rank is not None]
        return sum(1 for k in set(ranks) if ranks.count(k) > 1)


def _role(header: str) -> tuple[str, int] | None:
    """(role, preference) of a header cell: 'Điểm (%)' → ('score', 12); None for another column."""
    key = tablefile.plain(header)
    for candidate in (key, YEAR_SUFFIX.sub("", key)):
        for role, words in HEADERS.items():
            if candidate in words:
                return role, words.index(candidate)
    return None


def _find_header(rows: list[list[tablefile.Cell]]) -> tuple[int, dict[str, list[tuple[int, int]]]] | None:
    """(row position, role → [(column, preference)]) of the first row naming a unit column and a
    score or rank column; None when no row of the first ``tablefile.HEADER_ROWS`` does."""
    for i, row in enumerate(rows[: tablefile.HEADER_ROWS]):
        roles: dict[str, list[tuple[int, int]]] = {}
        for j, cell in enumerate(row):
            found = _role(cell.text) if cell.number is None and cell.text.strip() else None
            if found:
                roles.setdefault(found[0], []).append((j, found[1]))
        if "unit" in roles and ("score" in roles or "rank" in roles):
            return i, roles
    return None


# ----------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"^\+?\d+(?:[.,]\d+)?$")
SCORE_FORM = "a number such as 92.57 or 92,57 (one decimal mark, no thousands separator; a % sign allowed)"


def _score(cell: tablefile.Cell) -> tuple[float, str]:
    """(value, decimal mark used: ',', '.' or '') of a score cell; ValueError says what is allowed."""
    if cell.is_date:
        raise ValueError(f"{SCORE_FORM}; the spreadsheet turned this number into a date: format the column as a number")
    if cell.number is not None:
        return cell.number, ""
    t = cell.text.strip().replace("\u00a0", "").replace(" ", "")
    t = t[:-1] if t.endswith("%") else t
    if not _NUMBER.match(t):
        raise ValueError(SCORE_FORM)
    mark = "," if "," in t else ("." if "." in t else "")
    return float(t.replace(",", ".")), mark


def _rank(cell: tablefile.Cell, n: int) -> int:
    allowed = f"a whole number from 1 to {n}"
    if cell.number is not None:
        x = cell.number
    else:
        t = cell.text.strip()
        if not re.fullmatch(r"\d+(?:[.,]0+)?", t):
            raise ValueError(allowed)
        x = float(t.replace(",", "."))
    if not float(x).is_integer() or not 1 <= x <= n:
        raise ValueError(allowed)
    return int(x)


def _empty(cell: tablefile.Cell | None) -> bool:
    return cell is None or (cell.number is None and not cell.text.strip())


# ----------------------------------------------------------------------------- the table


def field_size(year: int) -> int:
    """Units ranked in ``year``: 34 from 2025, 63 before."""
    return len(data.load().units_in(int(year)))


def read(path: str | Path, index: str, year: int, partial: bool = False, display: str | None = None) -> Table:
    """Read and check the table in ``path`` for ``index`` (PAR or SIPAS) and ``year``.

    Raises InputError listing every problem (file, row, column, the value, what is allowed).
    """
    path = Path(path)
    name = safetext.printable(display or path.name, 120)
    if not path.is_file():
        raise InputError(Issue("FILE", str(path), "an existing CSV or XLSX file"), context="results add")
    size = path.stat().st_size
    if size > tablefile.MAX_FILE_BYTES:
        raise InputError(
            Issue(
                name,
                f"{size:,} bytes",
                f"a table of at most {tablefile.MAX_FILE_BYTES:,} bytes (34 or 63 rows are a few kB)",
            ),
            context=name,
        )
    raw = path.read_bytes()
    if not raw.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
        raise InputError(Issue(name, "an empty file", "a header row and one row per unit"), context=name)
    reader = tablefile.Reader(path, name)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            Issue(name, "an old Excel .xls workbook", "an XLSX workbook (Excel: Save As → .xlsx) or a CSV file"),
            context=name,
        )
    if raw.startswith(b"PK\x03\x04"):
        rows = tablefile.xlsx_rows(raw, reader, SHEET_WORDS[index], lambda rows: _find_header(rows) is not None)
    else:
        rows = tablefile.csv_rows(raw, reader)
    if len(rows) > tablefile.MAX_ROWS:
        raise InputError(
            Issue(name, f"{len(rows):,} rows", f"a table of at most {tablefile.MAX_ROWS:,} rows"), context=name
        )
    return _check(rows, reader, index, int(year), partial, hashlib.sha256(raw).hexdigest())


def _check(
    rows: list[list[tablefile.Cell]], reader: tablefile.Reader, index: str, year: int, partial: bool, sha: str
) -> Table:
    issues: list[Issue] = []
    found = _find_header(rows)
    if found is None:
        raise InputError(
            Issue(
                reader.name,
                "no header row",
                "a header row naming the unit, score and rank columns, e.g. unit,score,rank or "
                "Tỉnh/thành phố,Điểm,Xếp hạng (title rows above it are fine)",
            ),
            context=reader.name,
        )
    at, roles = found
    header = rows[at]
    notes = list(reader.notes)
    if at:
        notes.append(("title_rows", {"n": at, "row": at + 1}))
    columns: dict[str, int] = {}
    for role in ROLES:
        options = sorted(roles.get(role, []), key=lambda o: o[1])
        if not options:
            if role != "unit":
                issues.append(
                    Issue(
                        f"{reader.name} header",
                        " | ".join(c.text for c in header if c.text.strip()),
                        f"a column named {role} ({'/'.join(HEADERS[role][:4])} …)",
                    )
                )
            continue
        best = [o for o in options if o[1] == options[0][1]]
        if len(best) > 1:
            issues.append(
                Issue(
                    f"{reader.name} header",
                    " | ".join(header[j].text for j, _ in best),
                    f"one {role} column (these headers are the same; rename or remove all but one)",
                )
            )
            continue
        columns[role] = best[0][0]
        if len(options) > 1:
            notes.append(
                (
                    "column",
                    {"role": role, "used": header[best[0][0]].text, "others": [header[j].text for j, _ in options[1:]]},
                )
            )
    if issues:
        raise InputError(issues, context=reader.name)
    match = unitnames.for_year(year)
    n_field = field_size(year)
    col_name = {role: header[j].text.strip() for role, j in columns.items()}
    out: list[Row] = []
    first_line: dict[str, int] = {}
    marks: dict[str, list[int]] = {",": [], ".": []}
    average = None
    unknown = 0
    for i in range(at + 1, len(rows)):
        row, line = rows[i], i + 1
        unit_cell, *values = (_cell_of(row, columns.get(role)) for role in ROLES)
        if _empty(unit_cell) and all(_empty(v) for v in values):
            continue  # a blank row
        name = safetext.clean(unit_cell.text)
        key = tablefile.plain(name)
        if not key:  # "Trung bình cả nước" written in the number column, or merged across it
            label = next((c.text for c in row if c.number is None and re.search(r"[A-Za-zÀ-ỹĐđ]", c.text)), "")
            if tablefile.plain(label).startswith(AVERAGE_WORDS + NOTE_WORDS):
                name, key = safetext.clean(label), tablefile.plain(label)
        if key.startswith(AVERAGE_WORDS):
            try:
                average = _score(values[0])[0] if not _empty(values[0]) else None
                notes.append(("average", {"row": line, "name": name, "value": average}))
            except ValueError:
                notes.append(("skipped", {"row": line, "name": name}))
            continue
        if key.startswith(NOTE_WORDS) or not re.search(r"[a-z]", key):
            if not re.search(r"[a-z]", key) and any(not _empty(v) and _numeric(v) for v in values):
                issues.append(Issue(reader.where(line, col_name["unit"]), name, "a unit name"))
            else:  # a note or source line below the table, or a row of column numbers under the header
                notes.append(("skipped", {"row": line, "name": name}))
            continue
        text_problem = safetext.problem(name, MAX_NAME_CHARS)
        if text_problem:
            issues.append(Issue(reader.where(line, col_name["unit"]), name, text_problem))
            continue
        slug = match.slug(name)
        if slug is None:
            unknown += 1
            issues.append(Issue(reader.where(line, col_name["unit"]), name, match.unknown(name)))
        elif slug in first_line:
            issues.append(
                Issue(
                    reader.where(line, col_name["unit"]),
                    name,
                    f"each unit once: {match.names[slug]} is also on row {first_line[slug]}",
                )
            )
            slug = None
        else:
            first_line[slug] = line
        score = rank = None
        if not _empty(values[0]):
            try:
                score, mark = _score(values[0])
                if mark:
                    marks[mark].append(line)
                if not MIN_SCORE <= score <= 100:
                    issues.append(
                        Issue(
                            reader.where(line, col_name["score"]),
                            values[0].text,
                            f"a score from {MIN_SCORE:g} to 100 (PAR in points of 100, SIPAS in %)",
                        )
                    )
                    score = None
            except ValueError as exc:
                issues.append(Issue(reader.where(line, col_name["score"]), values[0].text, str(exc)))
        elif "score" in columns and not partial:
            issues.append(
                Issue(reader.where(line, col_name["score"]), "", "a score (every unit of a whole table has one)")
            )
        if not _empty(values[1]):
            try:
                rank = _rank(values[1], n_field)
            except ValueError as exc:
                issues.append(
                    Issue(
                        reader.where(line, col_name["rank"]),
                        values[1].text,
                        f"{exc} (the {year} field has {n_field} units)",
                    )
                )
        elif "rank" in columns and not partial:
            issues.append(
                Issue(reader.where(line, col_name["rank"]), "", "a rank (every unit of a whole table has one)")
            )
        if partial and _empty(values[0]) and _empty(values[1]):
            issues.append(Issue(reader.where(line), name, "a score or a rank for the unit"))
        if slug is not None:
            out.append(Row(line, name, slug, score, rank))
    if marks[","] and marks["."]:
        few, many = sorted((marks[","], marks["."]), key=len)
        issues.append(
            Issue(
                f"{reader.name} column {short(col_name.get('score', 'score'), 40)}",
                f"{len(marks[','])} scores with a decimal comma, {len(marks['.'])} with a decimal point (rows {', '.join(map(str, few[:8]))}{'…' if len(few) > 8 else ''})",
                "one decimal mark throughout the column (a mix is often a paste that went wrong)",
            )
        )
    scored = [r.score for r in out if r.score is not None]
    if scored and max(scored) <= 1.0:
        issues.append(
            Issue(
                f"{reader.name} column score",
                f"{min(scored):g}–{max(scored):g}",
                "percentages (e.g. 86.5 or 86,5%), not shares 0–1",
            )
        )
    listed = len(first_line) + unknown
    if listed > n_field:
        issues.append(
            Issue(
                reader.name,
                f"{listed} units",
                f"at most the {n_field} units of the {year} field"
                + (" (a table from 2025 names the 34 units, not the 63 provinces)" if year >= data.MERGER_YEAR else ""),
            )
        )
    elif not partial and listed < n_field:
        missing = [match.names[s] for s in match.names if s not in first_line]
        issues.append(
            Issue(
                reader.name,
                f"{listed} units",
                f"the {n_field} units of the {year} field; missing: {', '.join(missing[:12])}{'…' if len(missing) > 12 else ''} "
                "(if the announcement lists only some units, add it with --partial)",
            )
        )
    if not issues:
        issues += _rank_order(out, reader, col_name, partial, n_field)
    if issues:
        raise InputError(issues, context=reader.name)
    if partial:
        notes.append(("partial", {"n": len(out), "total": n_field}))
    return Table(index, year, partial, reader.name, sha, tuple(out), n_field, average, tuple(notes))


def _cell_of(row: list[tablefile.Cell], j: int | None) -> tablefile.Cell:
    """The cell of column ``j``; a column the table does not have (or a short row) reads as an empty cell."""
    return row[j] if j is not None and j < len(row) else tablefile.Cell("")


def _numeric(cell: tablefile.Cell) -> bool:
    try:
        _score(cell)
        return True
    except ValueError:
        return False


def _rank_order(rows: list[Row], reader: tablefile.Reader, col_name: dict, partial: bool, n: int) -> list[Issue]:
    """Ranks consistent with scores (ties included), and a whole table's ranks running 1..n."""
    issues = []
    both = sorted(
        ((r, r.score, r.rank) for r in rows if r.score is not None and r.rank is not None), key=lambda t: (-t[1], t[2])
    )
    for (a, a_score, a_rank), (b, b_score, b_rank) in zip(both, both[1:]):
        if a_score > b_score and a_rank >= b_rank:
            issues.append(
                Issue(
                    reader.where(b.line, col_name.get("rank")),
                    b.rank,
                    f"a rank worse than {a.name}'s {a.rank} (row {a.line}), which scores {a.score:g} against {b.score:g}",
                )
            )
    by_rank: dict[int, list[Row]] = {}
    for r in rows:
        if r.rank is not None:
            by_rank.setdefault(r.rank, []).append(r)
    for rank, same in sorted(by_rank.items()):
        scores = {r.score for r in same if r.score is not None}
        if len(scores) > 1:
            issues.append(
                Issue(
                    reader.where(same[1].line, col_name.get("rank")),
                    rank,
                    f"a rank of its own, or the same score as the units it shares rank {rank} with "
                    f"({', '.join(f'{r.name} {r.score:g}' for r in same if r.score is not None)})",
                )
            )
    ranks = sorted(by_rank)
    if not partial and ranks:
        expected, bad = 1, []
        for rank in ranks:
            if rank != expected:
                bad.append(rank)
            expected = rank + len(by_rank[rank])
        if bad:
            issues.append(
                Issue(
                    f"{reader.name} column {short(col_name.get('rank', 'rank'), 40)}",
                    ", ".join(map(str, bad[:10])),
                    f"ranks that run from 1 to {n}, a tie sharing one rank and skipping the next (5, 5, 7)",
                )
            )
    return issues
