"""Typed CSV reading with validation that names file, row and column.

Plain ``csv`` rather than pandas: loading stays fast (``import simlib`` must not
pull pandas in) and every problem can be reported with its exact position.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path

from . import safetext
from .errors import DataError, Issue

Parser = Callable[[str], object]
MAX_FILE_BYTES = 16_000_000  # a data file larger than this is refused before it is read (the largest is ~1 MB)


def text(value: str) -> str:
    return value.strip()


def required_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("a non-empty text")
    return value


def _converted(value: str, convert: Callable[[str], object], allowed: str):
    """``convert`` of the stripped cell, or None for an empty cell; a ValueError says what is ``allowed``."""
    value = value.strip()
    if not value:
        return None
    try:
        return convert(value)
    except ValueError:
        raise ValueError(allowed) from None


def number(value: str) -> float | None:
    """A finite decimal number, or None for an empty cell."""
    x = _converted(value, float, "a decimal number (dot as separator) or empty")
    if x is not None and not math.isfinite(x):
        raise ValueError("a finite number")
    return x


def required_number(value: str) -> float:
    x = number(value)
    if x is None:
        raise ValueError("a decimal number")
    return x


def integer(value: str) -> int | None:
    """A whole number, or None for an empty cell."""
    return _converted(value, int, "a whole number or empty")


def required_integer(value: str) -> int:
    x = _converted(value, int, "a whole number (required)")
    if x is None:
        raise ValueError("a whole number (required)")
    return x


def one_of(*choices: str) -> Parser:
    def parse(value: str) -> str:
        value = value.strip()
        if value not in choices:
            raise ValueError("one of " + ", ".join(choices))
        return value

    return parse


def read_table(path: Path, schema: dict[str, Parser], display: str | None = None) -> list[dict]:
    """Read ``path`` and parse every column of ``schema``; extra columns are kept as text.

    Raises DataError listing every bad cell (file, 1-based row incl. header, column).
    """
    name = display or path.name
    if not path.is_file():
        raise DataError(Issue(name, "missing file", f"a CSV file at {name}"), context=name)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError(
            Issue(name, f"{size:,} bytes", f"a data file of at most {MAX_FILE_BYTES:,} bytes (it is read whole)"),
            context=name,
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:  # a byte-order mark (Excel) is fine
            rows = list(csv.reader(handle))
    except (UnicodeDecodeError, csv.Error, OSError) as exc:
        raise DataError(
            Issue(name, f"unreadable ({exc.__class__.__name__}: {exc})", "a UTF-8 CSV file"), context=name
        ) from None
    if not rows:
        raise DataError(Issue(name, "empty file", "a header row and data rows"), context=name)
    if not any(any(cell.strip() for cell in row) for row in rows[1:]):
        raise DataError(Issue(name, "a header and no data rows", "a header row and data rows"), context=name)
    header = [h.strip() for h in rows[0]]
    missing = [col for col in schema if col not in header]
    if missing:
        raise DataError(
            [Issue(f"{name} header", ", ".join(header), f"a column named {col!r}") for col in missing], context=name
        )
    issues: list[Issue] = []
    records: list[dict] = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            issues.append(
                Issue(f"{name} row {line_no}", f"{len(row)} fields", f"{len(header)} fields as in the header")
            )
            continue
        record: dict = {"_row": line_no}
        for col, cell in zip(header, row):
            bad = safetext.character_problem(cell, multiline=True)
            if bad:  # a NUL, an ESC, … would reach pages, terminals and workbooks
                issues.append(Issue(f"{name} row {line_no} column {col}", cell, bad))
                continue
            parser = schema.get(col, text)
            try:
                record[col] = parser(cell)
            except ValueError as exc:
                issues.append(Issue(f"{name} row {line_no} column {col}", cell, str(exc)))
        records.append(record)
    if issues:
        raise DataError(issues, context=name)
    return records
