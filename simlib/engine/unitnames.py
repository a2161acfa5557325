"""Unit names as people write them → the slugs of the year's field.

A table typed or pasted from an announcement names a unit as "Hà Nội", "Ha Noi", "TP. Hà Nội",
"Thành phố Hà Nội", "Tỉnh Bắc Ninh" or "TP.HCM". Names are compared on a key: Unicode NFC,
lower case, diacritics dropped (đ → d), every sign other than letters and digits dropped, a
leading "tỉnh", "thành phố", "tp" or "t.p." dropped. A year from 2025 is matched against the 34
units (``data/units_2025.csv``), an earlier one against the 63 provinces (``data/provinces.csv``);
both by name and by slug, and by the aliases of ``data/unit_aliases.csv`` (short forms, older
spellings, a unit's former name), which a planner may extend.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import csvschema, data, paths
from .errors import DataError, Issue

PREFIXES = ("tinh", "thanhpho", "tp")  # on the key, where every space is gone: "Tỉnh", "Thành phố", "TP.", "T.P."
PERIODS = ("63", "34", "both")


def key(name: str) -> str:
    """The comparison key of a unit name: "TP. Hồ Chí Minh" → "hochiminh", "Tỉnh Đắk Lắk" → "daklak"."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", name).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    # the prefix must be its own word(s): "Thanh Hóa" keeps its "thanh", "Tp Huế" loses its "tp"
    stripped = True
    while stripped:  # "Tỉnh TP Hồ Chí Minh": every leading prefix
        stripped = False
        for prefix in (("thanh", "pho"), ("tinh",), ("tp",), ("t", "p")):
            if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
                words, stripped = words[len(prefix) :], True
                break
    return "".join(words)


@dataclass(frozen=True)
class Match:
    """The field a year's names are matched against: key → slug, and each slug's name to show."""

    year: int
    by_key: dict[str, str]
    names: dict[str, str]  # slug → name (Vietnamese, with diacritics)
    former: dict[str, str]  # key of a pre-2025 province name → its 2025 unit's name (a 2025 table only)

    def slug(self, name: str) -> str | None:
        return self.by_key.get(key(name))

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """Up to ``n`` names of the field closest to ``name`` (the nearest first)."""
        close = difflib.get_close_matches(key(name), list(self.by_key), n=8, cutoff=0.5)
        out: list[str] = []
        for k in close:
            shown = self.names[self.by_key[k]]
            if shown not in out:
                out.append(shown)
        return out[:n]

    def unknown(self, name: str) -> str:
        """What is allowed instead of an unknown ``name``: the nearest names, or the merger's hint."""
        merged = self.former.get(key(name))
        if merged:
            return f"one of the 34 units ranked from 2025: that province was merged into {merged} on 1/7/2025"
        near = self.suggestions(name)
        field = "the 34 units ranked from 2025" if self.year >= data.MERGER_YEAR else "the 63 provinces ranked to 2024"
        if near:
            return f"one of {field}; nearest: {', '.join(near)}"
        return f"one of {field} (data/units_2025.csv, data/provinces.csv)"


def aliases_file():
    return paths.data_dir() / "unit_aliases.csv"


def _aliases(ds) -> list[dict]:
    """The rows of data/unit_aliases.csv, each naming a known slug of its period."""
    path = aliases_file()
    if not path.is_file():
        return []
    rows = csvschema.read_table(
        path,
        {
            "alias": csvschema.required_text,
            "slug": csvschema.required_text,
            "period": csvschema.one_of(*PERIODS),
            "reason": csvschema.required_text,
            "source": csvschema.required_text,  # where the name is used, or "assumption: …"
        },
        display="data/unit_aliases.csv",
    )
    issues = []
    for r in rows:
        known = {"63": ds.provinces, "34": ds.units, "both": {**ds.provinces, **ds.units}}[r["period"]]
        if r["slug"] not in known:
            issues.append(
                Issue(
                    f"data/unit_aliases.csv row {r['_row']} column slug", r["slug"], f"a slug of period {r['period']}"
                )
            )
        if not key(r["alias"]):
            issues.append(Issue(f"data/unit_aliases.csv row {r['_row']} column alias", r["alias"], "a name"))
    if issues:
        raise DataError(issues, context="data/unit_aliases.csv")
    return rows


def for_year(year: int) -> Match:
    """The names of ``year``'s field: the 34 units from 2025, the 63 provinces before."""
    ds = data.load()
    return _for(int(year) >= data.MERGER_YEAR, str(ds.directory), tuple(sorted(ds.file_hashes.items())))


@lru_cache(maxsize=4)
def _for(units: bool, _directory: str, _hashes: tuple) -> Match:
    ds = data.load()
    rows = ds.units if units else ds.provinces
    names = {slug: row["name_vi"] for slug, row in rows.items()}
    by_key: dict[str, str] = {}
    for slug, name in names.items():
        by_key[key(name)] = slug
        by_key[key(slug)] = slug
    period = "34" if units else "63"
    for r in _aliases(ds):
        if r["period"] in (period, "both") and r["slug"] in names:
            by_key.setdefault(key(r["alias"]), r["slug"])
    former = {}
    if units:
        for row in ds.provinces.values():
            k = key(row["name_vi"])
            if k not in by_key:
                former[k] = ds.units[row["unit_2025_slug"]]["name_vi"]
    year = data.MERGER_YEAR if units else data.MERGER_YEAR - 1
    return Match(year, by_key, names, former)
