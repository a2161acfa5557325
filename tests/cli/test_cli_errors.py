"""Catalogue of bad inputs to the `simlib` command: each is a user error, never a crash.

Every case runs the command (``simlib.cli.main.main``, in this process: the ``simlib_cli``
fixture) in an empty folder holding only the case's inputs, and checks what a user sees:
exit code 2, nothing on stdout, no traceback, one line of stderr naming the field, the bad
value and what is allowed, and no file written or changed. A few cases also run through the
installed console script in a subprocess (``SUBPROCESS_SMOKE``), as do the tests of what only
a process shows: signals, exit codes to the shell, stdout to a full device.

To add a case: one ``Case`` in ``CASES`` (its scenario file, command line, a change to a copy
of data/, and the (field, value, allowed) it must name).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support import DATA, ROOT, append_row, copy_data, listing, read_csv, run_simlib, set_cells, write_csv

SCEN = "scenario.yaml"
VALID = "name: ok\ndraws: 50\n"


@dataclass(frozen=True)
class Case:
    """One bad input. ``expect``: (field, value, allowed) substrings, all on one stderr line."""

    id: str
    expect: tuple[str, str, str]
    yaml: str | bytes | None = VALID  # written to scenario.yaml (None: no file)
    argv: tuple[str, ...] = ("project", SCEN)
    data: Callable[[Path], None] | None = None  # breaks a copy of data/ used via SIMLIB_DATA_DIR
    also: tuple[tuple[str, str, str], ...] = field(default=())  # further problems reported at once


def lever(text: str) -> str:
    return f"name: bad\ndraws: 50\nlevers:\n  {text}\n"


def drop_lines(name: str, prefix: str) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        p = d / name
        lines = p.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [ln for ln in lines if not ln.startswith(prefix)]
        assert len(kept) < len(lines), f"no line of {name} starts with {prefix!r}"
        p.write_text("".join(kept), encoding="utf-8")

    return edit


def append(name: str, text: str | bytes) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        with (d / name).open("ab") as handle:
            handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))

    return edit


def remove(name: str) -> Callable[[Path], None]:
    return lambda d: (d / name).unlink()


def cells(name: str, row: int, **values: str) -> Callable[[Path], None]:
    return lambda d: set_cells(d / name, row, **values)


def add_row(name: str, **values: str) -> Callable[[Path], None]:
    return lambda d: append_row(d / name, **values)


def rename_column(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(d: Path) -> None:
        header, rows = read_csv(d / name)
        write_csv(d / name, [new if h == old else h for h in header], rows)

    return edit


def _weights_total_after(column: str, row: int, value: float) -> str:
    """The sum the loader reports once a SIPAS element weight is changed (as its message prints it)."""
    header, rows = read_csv(DATA / "sipas_elements.csv")
    weights = [float(r[header.index(column)]) for r in rows]
    weights[row - 2] = value
    return repr(round(sum(weights), 6))


ELEMENTS_TOTAL = _weights_total_after("online_share", 2, 0.9)


SHARE = "a share from 0 to 1"
HORIZON_YEARS = "a year from 2025 to 2030"

CASES = [
    # ---- lever values: out of range, wrong type, not finite
    Case(
        "lever-target-above-1",
        ("levers.simplification.target", "1.5", SHARE),
        lever("simplification: {target: 1.5, year: 2027}"),
    ),
    Case("lever-plain-negative", ("levers.delegation", "-0.2", SHARE), lever("delegation: -0.2")),
    Case("lever-percent-not-fraction", ("levers.simplification", "60", SHARE), lever("simplification: 60")),
    Case("lever-string", ("levers.online_fee_waiver", "'lots'", SHARE), lever("online_fee_waiver: lots")),
    Case("lever-bool", ("levers.full_process_online", "True", SHARE), lever("full_process_online: true")),
    Case("lever-null", ("levers.delegation", "None", SHARE), lever("delegation: null")),
    Case("lever-nan", ("levers.simplification", "nan", "a share"), lever("simplification: .nan")),
    Case("lever-target-inf", ("levers.delegation.target", "inf", SHARE), lever("delegation: {target: .inf}")),
    Case(
        "lever-target-minus-inf",
        ("levers.delegation.target", "-inf", SHARE),
        lever("delegation: {target: -.inf, year: 2027}"),
    ),
    Case(
        "lever-target-string",
        ("levers.simplification.target", "'0.6'", SHARE),
        lever("simplification: {target: '0.6', year: 2027}"),
    ),
    Case("lever-target-missing", ("levers.delegation.target", "None", SHARE), lever("delegation: {year: 2027}")),
    Case("lever-list", ("levers.delegation", "[0.5, 0.6]", "{target, year}"), lever("delegation: [0.5, 0.6]")),
    Case(
        "path-value-above-1",
        ("levers.online_fee_waiver.path.2026", "1.2", SHARE),
        lever("online_fee_waiver: {path: {2026: 1.2}}"),
    ),
    Case(
        "path-value-nan",
        ("levers.online_fee_waiver.path.2027", "nan", SHARE),
        lever("online_fee_waiver: {path: {2026: 0.5, 2027: .nan}}"),
    ),
    Case(
        "path-empty",
        ("levers.simplification.path", "{}", "a non-empty mapping of year to share"),
        lever("simplification: {path: {}}"),
    ),
    # ---- lever years outside the horizon
    Case(
        "lever-year-after-horizon",
        ("levers.delegation.year", "2031", HORIZON_YEARS),
        lever("delegation: {target: 0.5, year: 2031}"),
    ),
    Case(
        "lever-year-before-projection",
        ("levers.delegation.year", "2024", HORIZON_YEARS),
        lever("delegation: {target: 0.5, year: 2024}"),
    ),
    Case(
        "lever-year-string",
        ("levers.delegation.year", "'soon'", HORIZON_YEARS),
        lever("delegation: {target: 0.5, year: soon}"),
    ),
    Case(
        "path-year-after-horizon",
        ("levers.simplification.path year", "2035", HORIZON_YEARS),
        lever("simplification: {path: {2035: 0.5}}"),
    ),
    Case(
        "path-year-in-the-past",
        ("levers.simplification.path year", "2020", HORIZON_YEARS),
        lever("simplification: {path: {2020: 0.5}}"),
    ),
    # ---- unknown keys at every level
    Case(
        "unknown-top-key", ("budget", "5", "one of baseline_year, costs, description, draws"), "name: bad\nbudget: 5\n"
    ),
    Case("unknown-lever", ("levers.teleport", "0.5", "a lever: one of simplification"), lever("teleport: 0.5")),
    Case(
        "unknown-lever-key",
        ("levers.simplification", "'when'", "{target: share, year: year}"),
        lever("simplification: {target: 0.5, when: 2027}"),
    ),
    Case(
        "path-with-target",
        ("levers.simplification", "'path'", "either {target: share, year: year}, {count: N, year: year} or {path"),
        lever("simplification: {target: 0.5, path: {2026: 0.5}}"),
    ),
    Case(
        "unknown-field-key",
        ("field.others_copy", "True", "one of others_fee_waiver_share, others_fee_waiver_year"),
        "name: bad\nfield: {others_copy: true}\n",
    ),
    # ---- the rest of the field
    Case(
        "field-share-above-1",
        ("field.others_fee_waiver_share", "2", SHARE),
        "name: bad\nfield: {others_fee_waiver_share: 2}\n",
    ),
    Case(
        "field-share-bool",
        ("field.others_fee_waiver_share", "True", SHARE),
        "name: bad\nfield: {others_fee_waiver_share: yes}\n",
    ),
    Case(
        "field-year-after-horizon",
        ("field.others_fee_waiver_year", "2040", HORIZON_YEARS),
        "name: bad\nfield: {others_fee_waiver_year: 2040}\n",
    ),
    Case(
        "field-not-a-mapping",
        ("field", "['all']", "a mapping with others_fee_waiver_share"),
        "name: bad\nfield: [all]\n",
    ),
    Case(
        "levers-not-a-mapping",
        ("levers", "['simplification']", "a mapping of lever name"),
        "name: bad\nlevers: [simplification]\n",
    ),
    # ---- focal unit
    Case("unknown-province", ("focal", "'atlantis'", "a 2025 unit slug, one of an-giang"), "focal: atlantis\n"),
    Case("merged-province", ("focal", "'hai-duong'", "hai-duong merged into 'hai-phong'"), "focal: hai-duong\n"),
    Case("merged-province-2", ("focal", "'ha-giang'", "merged into 'tuyen-quang'"), "focal: ha-giang\n"),
    Case("focal-number", ("focal", "42", "a 2025 unit slug"), "focal: 42\n"),
    # ---- years outside the data or the horizon
    Case("baseline-before-data", ("baseline_year", "2017", "one of 2021, 2022, 2023, 2024"), "baseline_year: 2017\n"),
    Case("baseline-after-merger", ("baseline_year", "2025", "one of 2021, 2022, 2023, 2024"), "baseline_year: 2025\n"),
    Case("baseline-string", ("baseline_year", "'2024'", "one of 2021"), "baseline_year: '2024'\n"),
    Case("horizon-beyond-2030", ("horizon", "2031", "a whole number from 2025 to 2030"), "horizon: 2031\n"),
    Case("horizon-before-baseline", ("horizon", "2023", "a whole number from 2025 to 2030"), "horizon: 2023\n"),
    Case(
        "target-year-beyond-horizon",
        ("target_year", "2029", "a whole number from 2025 to 2027"),
        "horizon: 2027\ntarget_year: 2029\n",
    ),
    Case(
        "target-year-fraction", ("target_year", "2027.5", "a whole number from 2025 to 2030"), "target_year: 2027.5\n"
    ),
    Case("target-year-bool", ("target_year", "True", "a whole number from 2025 to 2030"), "target_year: true\n"),
    # ---- draws, seed, name in the file
    Case("draws-zero", ("draws", "0", "a whole number from 10 to 100000"), "draws: 0\n"),
    Case("draws-negative", ("draws", "-100", "a whole number from 10 to 100000"), "draws: -100\n"),
    Case("draws-huge", ("draws", "1000000000", "a whole number from 10 to 100000"), "draws: 1000000000\n"),
    Case("draws-inf", ("draws", "inf", "a whole number from 10 to 100000"), "draws: .inf\n"),
    Case("draws-nan", ("draws", "nan", "a whole number from 10 to 100000"), "draws: .nan\n"),
    Case("draws-bool", ("draws", "True", "a whole number from 10 to 100000"), "draws: true\n"),
    Case("draws-string", ("draws", "'many'", "a whole number from 10 to 100000"), "draws: many\n"),
    Case("seed-negative", ("seed", "-1", "a whole number from 0 to 4294967295"), "seed: -1\n"),
    Case("seed-too-big", ("seed", "4294967296", "a whole number from 0 to 4294967295"), "seed: 4294967296\n"),
    Case("name-empty", ("name", "''", "a non-empty text of at most 80 characters"), "name: ''\n"),
    Case("description-list", ("description", "['a', 'b']", "a text"), "description: [a, b]\n"),
    # ---- the file itself
    Case("malformed-yaml", (f"{SCEN} line 3", "expected", "valid YAML"), "name: x\nlevers: [\n"),
    Case(
        "malformed-yaml-tab",
        (f"{SCEN} line 3 column 1", "cannot start any token", "valid YAML"),
        "name: x\nlevers:\n\tsimplification: 0.5\n",
    ),
    Case(
        "yaml-python-tag",
        (f"{SCEN} line 1", "could not determine a constructor", "valid YAML"),
        'name: !!python/object/apply:os.system ["echo hi"]\n',
    ),
    Case(
        "yaml-duplicate-key",
        (f"{SCEN} line 5 column 3", "duplicate key 'simplification'", "valid YAML"),
        lever("simplification: 0.5\n  simplification: 0.7"),
    ),
    Case("yaml-is-a-list", (SCEN, "'list'", "a mapping of scenario fields"), "- simplification\n- delegation\n"),
    Case("yaml-is-a-string", (SCEN, "'str'", "a mapping of scenario fields"), "just some words\n"),
    Case("not-utf8", (f"{SCEN} byte 8", r"b'\xe0 Nam\n'", "a UTF-8 YAML file"), "name: Hà Nam\n".encode("latin-1")),
    Case(
        "missing-file",
        ("nowhere.yaml", "missing file", "an existing scenario YAML file"),
        None,
        ("project", "nowhere.yaml"),
    ),
    Case("scenario-is-a-folder", (".", "missing file", "an existing scenario YAML file"), None, ("project", ".")),
    # ---- command-line options
    Case(
        "option-draws-zero",
        ("--draws", "'0'", "a whole number from 10 to 100000"),
        argv=("project", SCEN, "--draws", "0"),
    ),
    Case(
        "option-draws-negative",
        ("--draws", "'-5'", "a whole number from 10 to 100000"),
        argv=("project", SCEN, "--draws=-5"),
    ),
    Case(
        "option-draws-huge",
        ("--draws", "'1000000000'", "a whole number from 10 to 100000"),
        argv=("project", SCEN, "--draws", "1000000000"),
    ),
    Case("option-draws-float", ("--draws", "'1e3'", "a whole number"), argv=("project", SCEN, "--draws", "1e3")),
    Case(
        "option-seed-word",
        ("--seed", "'abc'", "a whole number from 0 to 4294967295"),
        argv=("project", SCEN, "--seed", "abc"),
    ),
    Case(
        "option-seed-negative",
        ("--seed", "'-1'", "a whole number from 0 to 4294967295"),
        argv=("project", SCEN, "--seed=-1"),
    ),
    Case("option-format", ("--format", "'xml'", "'table', 'csv', 'json'"), argv=("project", SCEN, "--format", "xml")),
    Case("unknown-option", ("unrecognized arguments", "--colour", "--help"), argv=("project", SCEN, "--colour", "red")),
    Case("unknown-command", ("simlib", "'simulate'", "'project'"), argv=("simulate", SCEN)),
    Case("levers-unknown-focal", ("--focal", "'atlantis'", "a 2025 unit slug"), argv=("levers", "--focal", "atlantis")),
    Case(
        "levers-merged-focal",
        ("--focal", "'hai-duong'", "merged into 'hai-phong'"),
        argv=("levers", "--focal", "hai-duong"),
    ),
    # ---- field and backtest: index and year
    Case("field-index", ("--index", "'XYZ'", "'PAR', 'SIPAS'"), argv=("field", "--index", "XYZ", "--year", "2024")),
    Case(
        "field-index-lowercase",
        ("--index", "'par'", "'PAR', 'SIPAS'"),
        argv=("field", "--index", "par", "--year", "2024"),
    ),
    Case(
        "field-year-unpublished",
        ("--year", "2017", "one of 2018, 2019, 2021, 2022, 2023, 2024"),
        argv=("field", "--index", "PAR", "--year", "2017"),
    ),
    Case(
        "field-year-after-merger",
        ("--year", "2025", "one of 2021, 2022, 2023, 2024"),
        argv=("field", "--index", "SIPAS", "--year", "2025"),
    ),
    Case(
        "field-year-word",
        ("--year", "'last'", "a whole number from 1900 to 2100"),
        argv=("field", "--index", "PAR", "--year", "last"),
    ),
    Case(
        "backtest-year-first",
        ("--year", "2021", "one of 2022, 2023, 2024"),
        argv=("backtest", "--index", "SIPAS", "--year", "2021"),
    ),
    Case(
        "backtest-year-future",
        ("--year", "2030", "one of 2019, 2022, 2023, 2024"),
        argv=("backtest", "--index", "PAR", "--year", "2030"),
    ),
    Case(
        "backtest-index", ("--index", "'CPI'", "'PAR', 'SIPAS'"), argv=("backtest", "--index", "CPI", "--year", "2024")
    ),
    # ---- data files: missing or corrupted (a copy of data/ through SIMLIB_DATA_DIR)
    Case(
        "data-file-missing",
        ("data/levers.csv", "missing file", "a CSV file at data/levers.csv"),
        data=remove("levers.csv"),
    ),
    Case(
        "data-folder-missing",
        ("data/units_2025.csv", "missing file", "a CSV file"),
        data=lambda d: [p.unlink() for p in d.iterdir()],
    ),
    Case(
        "data-cell-not-a-number",
        ("data/index_results.csv row 2 column score_pct", "'abc'", "a decimal number"),
        data=cells("index_results.csv", 2, score_pct="abc"),
    ),
    Case(
        "data-cell-nan",
        ("data/index_results.csv row 2 column score_pct", "'nan'", "a finite number"),
        data=cells("index_results.csv", 2, score_pct="nan"),
    ),
    Case(
        "data-score-out-of-range",
        ("data/index_results.csv row 2 column score_pct", "'182.79'", "a number from 0 to 100"),
        data=cells("index_results.csv", 2, score_pct="182.79"),
    ),
    Case(
        "data-unknown-province",
        ("data/index_results.csv row 2 column province_slug", "'atlantis'", "a known province slug"),
        data=cells("index_results.csv", 2, province_slug="atlantis"),
    ),
    Case(
        "data-lever-bound",
        ("data/levers.csv row 2 column max", "'1.5'", "a number from 0 to 1"),
        data=cells("levers.csv", 2, max="1.5"),
    ),
    Case(
        "data-header",
        ("data/index_results.csv header", "idx", "a column named 'index'"),
        data=rename_column("index_results.csv", "index", "idx"),
    ),
    Case(
        "data-short-row",
        ("data/provinces.csv row 65", "2 fields", "fields as in the header"),
        data=append("provinces.csv", "ha-noi-2,Hà Nội 2\n"),
    ),
    Case(
        "data-not-utf8",
        ("data/provinces.csv", "UnicodeDecodeError", "a UTF-8 CSV file"),
        data=append("provinces.csv", b"\xff\xfe\n"),
    ),
    Case(
        "data-empty-file",
        ("data/units_2025.csv", "empty file", "a header row and data rows"),
        data=lambda d: (d / "units_2025.csv").write_bytes(b""),
    ),
    Case(
        "data-duplicate-province",
        ("data/provinces.csv row 65 column province_slug", "'ha-noi'", "a slug used once"),
        data=add_row(
            "provinces.csv",
            province_slug="ha-noi",
            name_vi="Hà Nội",
            unit_2025_slug="ha-noi",
            source="https://example.org",
        ),
    ),
    Case(
        "data-parameter-prior",
        ("data/parameters.csv row 2 column p1", "-0.7", "a positive median for lognormal"),
        data=cells("parameters.csv", 2, dist="lognormal", p1="-0.7", p2="0.5"),
    ),
    Case(
        "data-parameter-dist",
        ("data/parameters.csv row 3 column dist", "'gamma'", "one of fixed, normal"),
        data=cells("parameters.csv", 3, dist="gamma"),
    ),
    Case(
        "data-element-weights",
        ("data/sipas_elements.csv column online_share", ELEMENTS_TOTAL, "sum to 1"),
        data=cells("sipas_elements.csv", 2, online_share="0.9"),
    ),
    Case(
        "data-parameter-missing",
        ("data/parameters.csv", "lag_halflife_years", "row"),
        data=drop_lines("parameters.csv", "lag_halflife_years,"),
    ),
    Case(
        "data-baseline-missing",
        ("data/baselines.csv", "simplification", "*"),
        data=lambda d: (
            drop_lines("baselines.csv", "*,simplification,")(d),
            drop_lines("baselines.csv", "ha-noi,simplification,")(d),
        ),
    ),
    Case(
        "data-broken-for-field",
        ("data/index_results.csv row 2 column year", "'20x2'", "a whole number"),
        argv=("field", "--index", "PAR", "--year", "2024"),
        data=cells("index_results.csv", 2, year="20x2"),
    ),
    # ---- hostile or huge YAML: refused before anything is built
    Case(
        "yaml-alias-bomb",
        (f"{SCEN} line 1 column 4", "anchor or alias", "aliases are not accepted"),
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\nname: *h\n",
    ),
    Case(
        "yaml-anchor-reused",
        (f"{SCEN} line 3 column 13", "anchor or alias", "every value written out"),
        "name: x\ndraws: 50\nlevers: {a: &t {target: 0.5, year: 2027}}\n",
    ),
    Case(
        "yaml-merge-key",
        (f"{SCEN} line 3 column 1", "a merge key (<<)", "merge keys, anchors and aliases are not"),
        "name: m\ndraws: 50\n<<: {seed: 5}\n",
    ),
    Case(
        "yaml-unhashable-key",
        (f"{SCEN} line 1 column 3", "a key that is a list or mapping", "plain keys"),
        "? [a, b]\n: 1\n",
    ),
    Case(
        "yaml-mapping-key",
        (f"{SCEN} line 2 column 1", "a key that is a list or mapping", "plain keys"),
        "name: k\n{a: 1}: 2\n",
    ),
    Case(
        "yaml-nested-500-deep",
        (f"{SCEN} line 1", "nested more than 10 deep", "nesting at most 10 deep"),
        "levers: " + "[" * 500 + "]" * 500 + "\n",
    ),
    Case(
        "yaml-nested-mappings",
        (f"{SCEN} line 1", "nested more than 10 deep", "nesting at most 10 deep"),
        "levers: " + "{a: " * 300 + "1" + "}" * 300 + "\n",
    ),
    Case(
        "yaml-too-many-values",
        (f"{SCEN} line", "more than 5000 values", "at most 5000 values"),
        "name: many\nlevers: [" + ", ".join(["1"] * 6000) + "]\n",
    ),
    Case(
        "yaml-file-too-big",
        (SCEN, "bytes", "a scenario file of at most 100,000 bytes"),
        "name: big\n" + "".join(f"unknown_{i}: {i}\n" for i in range(12_000)),
    ),
    Case("yaml-int-too-long", (SCEN, "ValueError", "valid YAML"), "name: x\ndraws: 1" + "0" * 5000 + "\n"),
    Case(
        "path-year-given-twice",
        ("levers.online_fee_waiver.path year", "'2026'", "each year once (2026 and '2026'"),
        lever('online_fee_waiver: {path: {2026: 0.5, "2026": 0.1}}'),
    ),
    Case(
        "description-too-long",
        ("description", "…", "a text of at most 2000 characters"),
        "name: d\ndescription: " + "x" * 5000 + "\n",
    ),
    Case("name-1-kb", ("name", "…", "a non-empty text of at most 80 characters"), "name: " + "n" * 1000 + "\n"),
    # ---- data checks
    Case(
        "data-header-only",
        ("data/index_results.csv", "no data rows", "a header row and data rows"),
        data=lambda d: (d / "index_results.csv").write_text(
            (d / "index_results.csv").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"
        ),
    ),
    Case(
        "data-lever-min-above-max",
        ("data/levers.csv row 2 column max", "0.1", "a bound above min (0.9)"),
        data=cells("levers.csv", 2, min="0.9", max="0.1"),
    ),
    Case(
        "data-rank-above-n-units",
        ("data/index_results.csv row 2 column rank", "50", "a rank from 1 to n_units (34)"),
        data=cells("index_results.csv", 2, year="2025", n_units="34", rank="50"),
    ),
    Case(
        "data-n-units-wrong-for-year",
        ("data/index_results.csv row 2 column n_units", "'34'", "63 for 2012"),
        data=cells("index_results.csv", 2, n_units="34"),
    ),
    Case(
        "data-lognormal-spread-huge",
        ("data/parameters.csv row 2 column p2", "1000000.0", "a spread of the log"),
        data=cells("parameters.csv", 2, dist="lognormal", p1="0.7", p2="1e6"),
    ),
    Case(
        "data-required-year-empty",
        ("data/index_results.csv row 2 column year", "''", "a whole number (required)"),
        data=cells("index_results.csv", 2, year=""),
    ),
    # ---- the Vietnamese texts of the data files are required like every other column
    Case(
        "data-vietnamese-texts-missing",
        ("data/conflict_rules.csv row 2 column rule_vi", "''", "a non-empty text"),
        data=lambda d: (
            cells("conflict_rules.csv", 2, rule_vi="")(d),
            rename_column("parameters.csv", "source_vi", "source_vietnamese")(d),
        ),
        also=(("data/parameters.csv header", "'name, label_vi", "a column named 'source_vi'"),),
    ),
    Case(
        "data-baseline-source-vi-blank",
        ("data/baselines.csv row 3 column source_vi", "'  '", "a non-empty text"),
        data=cells("baselines.csv", 3, source_vi="  "),
    ),
    Case(
        "data-lever-effect-source-vi-empty",
        ("data/lever_effects.csv row 2 column source_vi", "''", "a non-empty text"),
        data=cells("lever_effects.csv", 2, source_vi=""),
    ),
    # ---- bad input into an --out that does not exist yet: not even its folders are made
    Case(
        "batch-missing-source-new-out",
        ("missing.yaml", "no such file or folder", "scenario files"),
        argv=("batch", "missing.yaml", "--out", "made/for/out"),
    ),
    Case(
        "grid-bad-axis-new-out",
        ("--lever simplification=0.3:nine:2 STOP", "'nine'", "a share from 0 to 1"),
        argv=("grid", "--lever", "simplification=0.3:nine:2", "--out", "made/for/out"),
    ),
    # ---- several problems at once: every one reported
    Case(
        "many-problems",
        ("levers.simplification.target", "1.5", SHARE),
        "name: many\nfocal: hai-duong\nextra: 1\nhorizon: 2031\ndraws: 0\nseed: -3\n"
        "levers:\n  simplification: {target: 1.5, year: 2027}\n  delegation: lots\n  foo: 0.3\n"
        "  full_process_online: {target: .inf}\n"
        "field: {others_fee_waiver_share: true, bar: 2}\n",
        also=(
            ("focal", "'hai-duong'", "merged into 'hai-phong'"),
            ("extra", "1", "one of baseline_year"),
            ("horizon", "2031", "a whole number from 2025 to 2030"),
            ("draws", "0", "a whole number from 10 to 100000"),
            ("seed", "-3", "a whole number from 0 to 4294967295"),
            ("levers.delegation", "'lots'", SHARE),
            ("levers.foo", "0.3", "a lever: one of"),
            ("levers.full_process_online.target", "inf", SHARE),
            ("field.bar", "2", "one of others_fee_waiver_share"),
            ("field.others_fee_waiver_share", "True", SHARE),
        ),
    ),
    # ---- text fields: encodable UTF-8 without control characters
    Case(
        "name-lone-surrogate",
        ("name", "'\\ud800x'", "encodable UTF-8, no control or direction-override characters"),
        'name: "\\ud800x"\n',
    ),
    Case(
        "name-escape-sequence",
        ("name", "'x\\x1b]0;pwned\\x07'", "found U+001B"),
        'name: "x\\e]0;pwned\\a"\ndraws: 50\n',
    ),
    Case(
        "name-nul",
        ("name", "'a\\x00b'", "no control or direction-override characters, no line breaks); found U+0000"),
        'name: "a\\0b"\n',
    ),
    Case(
        "description-control-character",
        ("description", "'ok\\x01'", "printable characters and line breaks"),
        'name: d\ndescription: "ok\\x01"\n',
    ),
    Case(
        "title-direction-override",
        ("title.en", "'\\u202eb'", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        'name: t\ntitle: {vi: "a", en: "\\u202eb"}\n',
    ),
    Case(
        "name-private-use-character",
        ("name", "'a\\ue000'", "found U+E000"),
        'name: "a\ue000"\n',
    ),
    # ---- data checks, round 2
    Case(
        "data-nul-in-free-text",
        (
            "data/index_results.csv row 2 column source",
            "'a\\x00b'",
            "no other control or direction-override characters); found U+0000",
        ),
        data=cells("index_results.csv", 2, source="a\x00b"),
    ),
    Case(
        "data-unknown-covariate",
        ("data/model_covariates.csv row 10 column covariate", "'DTI_typo'", "a covariate of data/covariates.csv"),
        data=add_row(
            "model_covariates.csv",
            covariate="DTI_typo",
            role="reconstruction",
            kept="yes",
            basis="estimated",
            source="x",
        ),
    ),
    Case(
        "data-folder-gone",
        ("SIMLIB_DATA_DIR", "data'", "an existing folder holding the data files (no such folder"),
        data=lambda d: shutil.rmtree(d),
    ),
    Case(
        "data-file-too-big",
        ("data/covariates.csv", "'17,000,000 bytes'", "a data file of at most 16,000,000 bytes"),
        data=lambda d: os.truncate(d / "covariates.csv", 17_000_000),
    ),
    Case(
        "data-evaluation-summary-garbage",
        ("data/evaluation_summary.csv header", "garbage", "a column named 'index'"),
        argv=("run", SCEN, "--out", "report"),
        data=lambda d: (d / "evaluation_summary.csv").write_text("garbage,x\n1,2\n", encoding="utf-8"),
    ),
    Case(
        "data-evaluation-summary-bad-cell",
        ("data/evaluation_summary.csv row 3 column coverage_90", "'1.7'", "a share from 0 to 1"),
        argv=("batch", SCEN, "--out", "batch"),
        data=cells("evaluation_summary.csv", 3, coverage_90="1.7"),
    ),
    # ---- every command that writes follows one rule for its --out
    *[
        Case(
            f"out-root-{argv[0]}",
            ("--out", "'/'", "(not the root of the file system)"),
            argv=(*argv, "--out", "/"),
        )
        for argv in (
            ("grid", "--lever", "simplification=0.3:0.9:3"),
            ("sensitivity", SCEN),
            ("target", "--par-rank", "3", "--prob", "0.8"),
            ("league", "--year", "2027"),
            ("batch", SCEN),
            ("run", SCEN),
            ("results", "whats-new", "--lang", "en"),
        )
    ],
    Case(
        "whatsnew-out-root-in-vietnamese",
        ("--out", "'/'", "không phải thư mục gốc của hệ thống tệp"),
        argv=("results", "whats-new", "--out", "/"),
    ),
    Case(
        "whatsnew-out-holds-other-files",
        ("--out", "'.'", "an earlier what's-new report folder (this one holds files simlib did not write"),
        argv=("results", "whats-new", "--out", ".", "--lang", "en"),
    ),
    Case(
        "league-out-is-a-file",
        ("--out", "'scenario.yaml'", "a directory path (this is a file)"),
        argv=("league", "--year", "2027", "--out", SCEN),
    ),
    Case(
        "grid-out-name-too-long",
        ("--out", "'" + "x" * 20, "a folder name of at most 200 bytes"),
        argv=("grid", "--lever", "simplification=0.3:0.9:3", "--out", "x" * 230),
    ),
    Case(
        "many-options",
        ("--draws", "'0'", "a whole number from 10 to 100000"),
        argv=("project", SCEN, "--draws", "0", "--seed", "x"),
        also=(("--seed", "'x'", "a whole number from 0 to 4294967295"),),
    ),
]


def _case(p):
    return p.values[0] if hasattr(p, "values") else p


def test_catalogue_is_large_enough():
    assert len(CASES) >= 35
    assert len({_case(p).id for p in CASES}) == len(CASES)


def case_inputs(case: Case, folder: Path) -> dict[str, str]:
    """Write the case's scenario file and broken data copy into ``folder``; the environment to run it with."""
    env = {}
    if case.yaml is not None:
        content = case.yaml if isinstance(case.yaml, bytes) else case.yaml.encode("utf-8")
        (folder / SCEN).write_bytes(content)
    if case.data is not None:
        data_dir = copy_data(folder / "data")
        case.data(data_dir)
        env["SIMLIB_DATA_DIR"] = str(data_dir)
    return env


def assert_reported(case: Case, proc, folder: Path, before: dict) -> None:
    """What the user sees of a bad input: exit 2, nothing on stdout, no traceback, every expected
    problem on one stderr line (field, value, allowed), and ``folder`` as it was."""
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    for where, value, allowed in (case.expect,) + case.also:
        assert any(where in ln and value in ln and allowed in ln for ln in lines), (
            f"no line names {where!r} with value {value!r} and allowed {allowed!r}:\n{proc.stderr}"
        )
    assert f"{len(case.also) + 1} problem(s)" in lines[0] or not case.also, proc.stderr
    assert listing(folder) == before, "the command wrote or changed files"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_is_reported_not_crashed(case: Case, tmp_path: Path, simlib_cli):
    env = case_inputs(case, tmp_path)
    before = listing(tmp_path)
    assert_reported(case, simlib_cli(list(case.argv), tmp_path, **env), tmp_path, before)


# A few cases through the installed console script, in a process of its own: the exit code the
# shell sees, a traceback Python would print, the environment a user's command has.
SUBPROCESS_SMOKE = ("many-problems", "malformed-yaml", "unknown-command", "data-vietnamese-texts-missing")


@pytest.mark.parametrize("case", [c for c in CASES if c.id in SUBPROCESS_SMOKE], ids=lambda c: c.id)
def test_the_console_script_reports_bad_input_the_same(case: Case, tmp_path: Path):
    env = case_inputs(case, tmp_path)
    before = listing(tmp_path)
    assert_reported(case, run_simlib(list(case.argv), tmp_path, **env), tmp_path, before)


def test_every_smoke_case_is_in_the_catalogue():
    assert set(SUBPROCESS_SMOKE) <= {c.id for c in CASES}


def test_the_in_process_command_shows_a_crash_as_the_console_script_would(tmp_path: Path, simlib_cli, monkeypatch):
    """The catalogue's runner can fail a case: an exception escaping the command is exit 1 with its
    traceback on stderr, and the folder, environment and working directory are given back."""
    import os

    from simlib.cli import main as cli

    def broken(args):
        print("half a table")
        raise RuntimeError("a real bug")

    monkeypatch.setattr(cli, "cmd_levers", broken)
    monkeypatch.setenv("SIMLIB_DATA_DIR", "/somewhere/else")
    monkeypatch.delenv("SIMLIB_NOTEBOOKS_DIR", raising=False)
    here = Path.cwd()
    proc = simlib_cli(["levers"], tmp_path, SIMLIB_NOTEBOOKS_DIR="/nowhere")
    assert proc.returncode == 1 and proc.stdout == "half a table\n"
    assert "Traceback" in proc.stderr and "RuntimeError: a real bug" in proc.stderr
    assert Path.cwd() == here and os.environ["SIMLIB_DATA_DIR"] == "/somewhere/else"
    assert "SIMLIB_NOTEBOOKS_DIR" not in os.environ


# ---------------------------------------------------------------- faults beyond a bad file


def test_at_most_20_problems_listed_then_how_many_more(tmp_path: Path, simlib_cli):
    (tmp_path / SCEN).write_text("name: many\n" + "".join(f"unknown_{i}: {i}\n" for i in range(45)), encoding="utf-8")
    proc = simlib_cli(["project", SCEN], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == "error: 45 problem(s) in scenario.yaml:"
    assert sum(ln.startswith("  - ") for ln in lines) == 20
    assert lines[-1].strip() == "… and 25 more"


def test_a_long_value_is_shown_short(tmp_path: Path, simlib_cli):
    (tmp_path / SCEN).write_text(
        "name: " + "n" * 60_000 + "\nlevers: {simplification: [" + "0.5, " * 2000 + "]}\n", encoding="utf-8"
    )
    proc = simlib_cli(["project", SCEN], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr) < 1500, proc.stderr
    assert all(len(ln) < 400 for ln in proc.stderr.splitlines())
    assert "…" in proc.stderr


def test_a_required_year_is_not_described_as_optional(tmp_path: Path, simlib_cli):
    data_dir = copy_data(tmp_path / "data")
    set_cells(data_dir / "index_results.csv", 2, year="20x2")
    proc = simlib_cli(["field", "--index", "PAR", "--year", "2024"], tmp_path, SIMLIB_DATA_DIR=str(data_dir))
    line = next(ln for ln in proc.stderr.splitlines() if "column year" in ln)
    assert "or empty" not in line and "a whole number (required)" in line


def test_a_byte_order_mark_is_accepted_in_scenario_and_data_files(tmp_path: Path, simlib_cli):
    (tmp_path / SCEN).write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    data_dir = copy_data(tmp_path / "data")
    for name in ("index_results.csv", "levers.csv", "provinces.csv"):
        path = data_dir / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    proc = simlib_cli(["project", SCEN, "--format", "csv"], tmp_path, SIMLIB_DATA_DIR=str(data_dir))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("year,metric")


def test_an_unreadable_scenario_file_is_exit_2(tmp_path: Path, monkeypatch, capsys):
    """Tests run as root, who may read anything: the refusal a user would meet is simulated."""
    from simlib.cli import main as cli

    (tmp_path / SCEN).write_text(VALID, encoding="utf-8")
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self.name == SCEN:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert cli.main(["project", str(tmp_path / SCEN)]) == 2
    err = capsys.readouterr().err
    assert "unreadable (PermissionError: Permission denied)" in err and "a scenario YAML file you may read" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("run", SCEN, "--out", "/sys/simlib-readonly/report"),
        ("batch", SCEN, "--out", "/sys/simlib-readonly/batch"),
        ("grid", "--lever", "simplification=0.3:0.9:3", "--out", "/sys/simlib-readonly/grid"),
        ("sensitivity", SCEN, "--out", "/sys/simlib-readonly/sens"),
        ("target", "--prob", "0.5", "--par-rank", "3", "--out", "/sys/simlib-readonly/target"),
    ],
    ids=lambda a: a[0],
)
def test_a_read_only_out_is_refused_before_the_work(argv, tmp_path: Path, simlib_cli):
    """/sys refuses new files even to root: the closest thing to a read-only folder here."""
    (tmp_path / SCEN).write_text(VALID, encoding="utf-8")
    proc = simlib_cli(list(argv), tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert "--out" in proc.stderr and "a directory you may write in" in proc.stderr
    assert "evaluated" not in proc.stderr  # target did none of its computing


def test_stdout_to_a_full_disk_is_exit_2(tmp_path: Path):
    import subprocess

    from support import SIMLIB, simlib_env

    (tmp_path / SCEN).write_text(VALID, encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [str(SIMLIB), "project", SCEN],
            cwd=tmp_path,
            env=simlib_env(),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert proc.stderr.strip() == "error: could not write the output (standard output): No space left on device"


@pytest.mark.parametrize(
    "argv",
    [
        ("project", SCEN, "--draws", "100000"),
        ("grid", "--lever", "simplification=0:1:40", "--lever", "delegation=0:1:40", "--out", "g", "--draws", "2000"),
        ("sensitivity", SCEN, "--out", "s", "--base-samples", "4096"),
    ],
    ids=lambda a: a[0],
)
@pytest.mark.slow
def test_ctrl_c_is_one_line_and_exit_130(argv, tmp_path: Path):
    import signal
    import time

    from support import start_simlib

    (tmp_path / SCEN).write_text(VALID, encoding="utf-8")
    proc = start_simlib(list(argv), tmp_path)
    time.sleep(2.5)
    assert proc.poll() is None, "finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines()[-1].startswith("interrupted")
    assert len(err.strip().splitlines()) <= 2, err  # a progress line at most, then the one line


def test_out_of_another_kind_is_refused(tmp_path: Path, simlib_cli):
    """sensitivity --out into a report or grid folder would overwrite its manifest.json."""
    import json

    (tmp_path / SCEN).write_text(VALID, encoding="utf-8")
    for kind, folder in (("simlib-report", "report"), ("simlib-grid", "grid"), ("simlib-batch", "batch")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "manifest.json").write_text(json.dumps({"kind": kind}), encoding="utf-8")
    before = listing(tmp_path)
    for argv in (
        ("sensitivity", SCEN, "--out", "report"),
        ("sensitivity", SCEN, "--out", "grid"),
        ("grid", "--lever", "simplification=0.3:0.9:3", "--out", "report"),
        ("batch", SCEN, "--out", "grid"),
        ("run", SCEN, "--out", "batch"),
    ):
        proc = simlib_cli(list(argv), tmp_path)
        assert proc.returncode == 2, (argv, proc.stderr)
        assert "--out" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert listing(tmp_path) == before


def test_batch_records_an_unhashable_or_deep_scenario_as_failed(tmp_path: Path):
    from simlib.runs import batch

    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "good.yaml").write_text(VALID, encoding="utf-8")
    (folder / "unhashable.yaml").write_text("? [a, b]\n: 1\n", encoding="utf-8")
    (folder / "deep.yaml").write_text("levers: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    (folder / "bomb.yaml").write_text("a: &a [x, x]\nb: [*a, *a]\n", encoding="utf-8")
    items = {i.file.name: i for i in batch.plan([str(folder)], tmp_path / "out", "vi", None, None)}
    assert items["good.yaml"].scenario is not None
    for name, words in (
        ("unhashable.yaml", "a key that is a list"),
        ("deep.yaml", "nested more than"),
        ("bomb.yaml", "anchor or alias"),
    ):
        assert items[name].status == "failed" and items[name].scenario is None
        assert words in items[name].error["evalue"]


def test_summary_cells_never_start_a_spreadsheet_formula(tmp_path: Path):
    from simlib.runs import batch, batch_record

    names = ['=HYPERLINK("http://example.org","x")', "+1+2", "-3", "@SUM(A1)", "\tx", "\rx", "ok name"]
    items = [
        batch.Item(
            Path(f"{i}.yaml"),
            name,
            f"d{i}",
            status="failed",
            error={"ename": "ScenarioError", "evalue": "=1+1", "cell_index": None},
        )
        for i, name in enumerate(names)
    ]
    assert batch_record.write_summary(tmp_path, items) is None
    import csv

    with open(tmp_path / "summary.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["scenario"] for r in rows] == ["'" + n for n in names[:-2]] + [" x", "ok name"]
    from simlib.engine.csvfile import FORMULA_STARTS

    assert all(not r["error"].startswith(FORMULA_STARTS) for r in rows)


@pytest.mark.notebook
@pytest.mark.slow
def test_run_over_an_earlier_report_keeps_the_users_files(tmp_path: Path):
    from support import standin

    standin(tmp_path / "notebooks" / "scenario_report.ipynb")  # what is kept is the command's doing, not the notebook's
    env = {"SIMLIB_NOTEBOOKS_DIR": str(tmp_path / "notebooks")}
    (tmp_path / SCEN).write_text(VALID, encoding="utf-8")
    assert run_simlib(["run", SCEN, "--out", "report"], tmp_path, **env).returncode == 0
    (tmp_path / "report" / "NOTES.txt").write_text("my notes", encoding="utf-8")
    (tmp_path / "report" / "mydata").mkdir()
    (tmp_path / "report" / "mydata" / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    proc = run_simlib(["run", SCEN, "--out", "report", "--seed", "7"], tmp_path, **env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "report" / "NOTES.txt").read_text(encoding="utf-8") == "my notes"
    assert (tmp_path / "report" / "mydata" / "table.csv").read_text(encoding="utf-8") == "a,b\n1,2\n"
    import json

    manifest = json.loads((tmp_path / "report" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 7 and manifest["kept"] == ["NOTES.txt", "mydata"]
    assert "NOTES.txt" not in manifest["files"]


@pytest.mark.notebook
@pytest.mark.slow
def test_an_interrupted_batch_manifest_says_interrupted(tmp_path: Path):
    import json
    import signal
    import time

    from support import start_simlib

    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.yaml").write_text(f"name: {name}\ndraws: 50\n", encoding="utf-8")
    proc = start_simlib(["batch", "scenarios", "--out", "out", "--workers", "1"], tmp_path)
    manifest = tmp_path / "out" / "manifest.json"
    deadline = time.monotonic() + 120
    while not manifest.is_file() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    record = json.loads(manifest.read_text(encoding="utf-8"))
    assert record["status"] == "interrupted" and record["ended"]


# ---------------------------------------------------------------- progress and memory


def test_progress_lines_on_a_log_are_plain_and_spaced(monkeypatch):
    import io

    from simlib.runs import progress

    clock = iter([0.0, 0.5, 3.0, 4.0, 20.0, 30.0, 31.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    stream = io.StringIO()
    show = progress.Progress("sensitivity", "sample rows", stream=stream)  # started at t=0
    for done in (10, 100, 200, 600, 1000):  # t = 0.5 (quiet), 3, 4 (too soon), 20, 30
        show(done, 1000)
    show(5, 5)  # a short later stage: nothing
    lines = stream.getvalue().splitlines()
    # rate from the first call (t = 0.5, 10 rows): 90 rows in 2.5 s, then 590 rows in 19.5 s
    assert lines == [
        "sensitivity: 100 / 1,000 sample rows (10%), about 25 s left",
        "sensitivity: 600 / 1,000 sample rows (60%), about 13 s left",
        "sensitivity: 1,000 / 1,000 sample rows (100%)",
    ]
    assert "\r" not in stream.getvalue()


def test_sensitivity_and_grid_show_progress(tmp_path: Path, monkeypatch, capsys):
    from simlib.cli import main as cli
    from simlib.runs import progress

    monkeypatch.setattr(progress, "QUIET_S", 0.0)
    monkeypatch.setattr(progress, "EVERY_S_PLAIN", 0.0)
    (tmp_path / SCEN).write_text(VALID, encoding="utf-8")
    assert (
        cli.main(
            [
                "sensitivity",
                str(tmp_path / SCEN),
                "--out",
                str(tmp_path / "s"),
                "--base-samples",
                "8",
                "--draws",
                "16",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert re.search(r"^sensitivity: [\d,]+ / [\d,]+ sample rows \(\d+%\)", err, re.M), err
    from simlib.analysis import grid

    monkeypatch.setattr(grid, "chunk_size", lambda draws, years: 2)  # three engine calls
    assert cli.main(["grid", "--lever", "simplification=0:1:5", "--out", str(tmp_path / "g"), "--draws", "50"]) == 0
    assert "grid: 5 / 5 combinations (100%)" in capsys.readouterr().err


def test_a_sensitivity_run_that_would_not_fit_in_memory_is_refused(tmp_path: Path, monkeypatch, capsys):
    from simlib.cli import analysis
    from simlib.cli import main as cli

    monkeypatch.setattr(analysis, "available_memory", lambda: 600_000_000)
    (tmp_path / SCEN).write_text(VALID, encoding="utf-8")
    assert cli.main(["sensitivity", str(tmp_path / SCEN), "--out", str(tmp_path / "s"), "--base-samples", "65536"]) == 2
    err = capsys.readouterr().err
    assert "--base-samples: got 65536; allowed: a sample that fits in memory" in err
    assert "GB is available (try --base-samples " in err
    assert not (tmp_path / "s").exists()


def test_a_target_search_that_would_not_fit_in_memory_is_refused(tmp_path: Path, monkeypatch, capsys):
    """`target --draws 100000` had grown to 5 GB and been killed: now estimated first and refused (exit 2,
    nothing computed, nothing written) with the draws that fit."""
    from simlib.analysis import surface, target
    from simlib.cli import analysis
    from simlib.cli import main as cli

    monkeypatch.setattr(analysis, "available_memory", lambda: 1_000_000_000)
    monkeypatch.setattr(target, "run", lambda *a, **k: pytest.fail("computed although refused"))
    argv = ["target", "--par-rank", "3", "--prob", "0.8", "--draws", "100000", "--out", str(tmp_path / "t")]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    fits = surface.draws_that_fit(1_000_000_000)
    assert "--draws: got 100000; allowed: a number of draws that fits in memory: 100,000 draws need about" in err
    assert f"1.0 GB is available (try --draws {fits} or fewer)" in err and 0 < fits < 100_000
    assert surface.memory_estimate(fits) <= 0.8 * 1_000_000_000 < surface.memory_estimate(fits + 1)
    assert not (tmp_path / "t").exists()


@pytest.mark.slow
def test_a_target_search_stays_within_its_memory_estimate(tmp_path: Path):
    """The estimate is an upper bound of the peak resident memory a search reaches."""
    import subprocess
    import sys

    from support import SIMLIB, simlib_env

    from simlib.analysis import surface

    draws = 6000
    measure = (  # a fresh process whose only child is the search: its peak resident memory, in KB
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    argv = [str(SIMLIB), "target", "--par-rank", "3", "--prob", "0.8", "--draws", str(draws), "--format", "csv"]
    done = subprocess.run(
        [sys.executable, "-c", measure, *argv], cwd=tmp_path, env=simlib_env(), capture_output=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) * 1024 < surface.memory_estimate(draws)


def test_a_nan_in_any_output_is_a_data_error_not_a_blank(tmp_path: Path, monkeypatch, capsys):
    import numpy as np

    from simlib.cli import main as cli
    from simlib.engine import projection, simulate
    from simlib.engine.errors import DataError
    from simlib.engine.scenario import Scenario

    real = projection.outcome_arrays

    def with_nan(*args, **kwargs):
        out = real(*args, **kwargs)
        out["par_score"] = out["par_score"].copy()
        out["par_score"][:, :3] = np.nan
        return out

    monkeypatch.setattr(projection, "outcome_arrays", with_nan)
    with pytest.raises(DataError) as exc:
        simulate.run(Scenario.from_dict({"draws": 50}))
    assert any(i.where == "model output par_score" and "not finite" in str(i.value) for i in exc.value.issues)
    (tmp_path / SCEN).write_text(VALID, encoding="utf-8")
    assert cli.main(["project", str(tmp_path / SCEN)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "model output par_score" in captured.err and "data/parameters.csv" in captured.err


def test_grid_reports_a_data_problem_once(tmp_path: Path, simlib_cli):
    data_dir = copy_data(tmp_path / "data")
    set_cells(data_dir / "index_results.csv", 2, n_units="34")
    for argv in (
        ("grid", "--lever", "simplification=0.3:0.9:3", "--out", "g"),
        ("grid", "--lever", "simplification=0.3:0.9:3", "--out", "g", "--base", "nowhere.yaml"),
    ):
        proc = simlib_cli(list(argv), tmp_path, SIMLIB_DATA_DIR=str(data_dir))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        lines = [ln for ln in proc.stderr.splitlines() if "column n_units" in ln]
        assert len(lines) == 1, proc.stderr


def test_results_xlsx_holds_no_formula_from_a_scenario_name(tmp_path: Path):
    import zipfile

    from simlib.analysis import compare
    from simlib.engine.scenario import Scenario
    from simlib.engine.simulate import run_many
    from simlib.reports import excel

    name = '=HYPERLINK("http://example.org","x")'
    scenario = Scenario.from_dict({"name": name, "draws": 50})
    result, baseline = run_many([scenario, compare.baseline_of(scenario)])
    path = tmp_path / "results.xlsx"
    excel.write(result, path, baseline, None, "vi")
    with zipfile.ZipFile(path) as book:
        sheets = [book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in s for s in sheets)
    assert any("=HYPERLINK(&quot;http://example.org&quot;,&quot;x&quot;)" in s or name in s for s in sheets)


def test_a_long_projection_says_where_it_is(monkeypatch, capsys):
    """`simlib project` reports its two steps on stderr once a run lasts more than the quiet time;
    stdout keeps only the table."""
    from simlib.cli.main import main as simlib_main
    from simlib.runs import progress

    monkeypatch.setattr(progress, "QUIET_S", 0.0)
    assert (
        simlib_main(
            [
                "project",
                str(ROOT / "scenarios" / "baseline.yaml"),
                "--draws",
                "50",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    assert out.startswith("year,metric,mean,p05,p50,p95")
    steps = [ln for ln in err.splitlines() if ln.startswith("project: ")]
    assert steps and steps[-1].startswith("project: 2 / 2 steps") and "(100%)" in steps[-1]


def test_an_out_under_a_file_with_a_long_path_is_shown_short(tmp_path: Path):
    """An --out inside a file whose path is very long: the message names it, cut short at its
    beginning, so that the file's own name stays."""
    from simlib.engine.errors import MAX_VALUE_CHARS
    from simlib.engine.outfolder import write_problem

    deep = tmp_path / ("d" * 200)
    deep.mkdir()
    blocker = deep / ("f" * 200)
    blocker.write_text("x", encoding="utf-8")
    issue = write_problem(blocker / "out")
    assert issue is not None and "is a file" in issue.allowed
    assert len(issue.allowed) < 2 * MAX_VALUE_CHARS + 40
    assert "(…" in issue.allowed or "'…" in issue.allowed
    assert "f" * 40 + "' is a file" in issue.allowed


def test_a_write_error_on_a_very_long_path_shows_it_short(monkeypatch, capsys):
    """An output file that cannot be written: stderr names it on one line, the path cut short at its
    beginning, so that the file's name (results.csv) stays."""
    import errno

    from simlib.cli import main as cli_main
    from simlib.engine.errors import MAX_VALUE_CHARS

    name = "/tmp/" + "x" * 5000 + "/results.csv"

    def fails(args):
        raise OSError(errno.EROFS, "Read-only file system", name)

    monkeypatch.setattr(cli_main, "check_options", fails)
    monkeypatch.setattr(cli_main, "_silence_stdout", lambda: None)
    assert cli_main.main(["levers"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: could not write the output (") and err.endswith(": Read-only file system")
    assert "…" in err and len(err) < MAX_VALUE_CHARS + 80
    assert err.endswith("xxx/results.csv'): Read-only file system")


def test_the_app_script_reports_every_bad_setting_at_once_and_short():
    """`scripts/serve_app.sh` with two bad settings: exit 2, both named, a long value cut short,
    and no server started."""
    import os
    import subprocess

    root = ROOT
    if not (root / ".venv" / "bin" / "python").exists():
        pytest.skip("the script needs the project's .venv (make setup)")
    env = dict(os.environ, PORT="9" * 5 + "x" * 500, CULL="soon", MAX_KERNELS="4")
    done = subprocess.run(
        ["bash", str(root / "scripts" / "serve_app.sh")], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2
    assert "PORT must be a whole number" in done.stderr and "CULL must be a whole number, got 'soon'" in done.stderr
    assert "x" * 100 not in done.stderr and "…" in done.stderr
    assert "MAX_KERNELS" not in done.stderr and "lever explorer" not in done.stdout


def test_an_interrupt_a_library_turned_into_another_error_still_exits_130(monkeypatch, capsys):
    """NumPy turns a KeyboardInterrupt raised inside some operations (np.unique over rows) into a
    TypeError: once Ctrl-C was recorded, the command still ends as interrupted, in one line."""
    from simlib.cli import main as cli
    from simlib.engine import atomic

    def interrupted_inside_numpy(args):
        atomic.INTERRUPTED.set()
        raise TypeError("Cannot compare structured arrays unless they have a common dtype")

    monkeypatch.setattr(cli, "cmd_levers", interrupted_inside_numpy)
    assert cli.main(["levers"]) == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ["interrupted: nothing more was written"]


def test_a_type_error_without_an_interrupt_is_not_hidden(monkeypatch):
    from simlib.cli import main as cli

    def broken(args):
        raise TypeError("a real bug")

    monkeypatch.setattr(cli, "cmd_levers", broken)
    with pytest.raises(TypeError, match="a real bug"):
        cli.main(["levers"])
