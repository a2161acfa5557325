"""Catalogue of bad inputs to the `simlib` command: each is a user error, never a crash.

Every case runs the installed console script in an empty folder holding only the
case's inputs, and checks what a user sees: exit code 2, nothing on stdout, no
traceback, one line of stderr naming the field, the bad value and what is allowed,
and no file written or changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import DATA, append_row, copy_data, listing, read_csv, run_simlib, set_cells, write_csv

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
    Case("lever-target-above-1", ("levers.simplification.target", "1.5", SHARE),
         lever("simplification: {target: 1.5, year: 2027}")),
    Case("lever-plain-negative", ("levers.delegation", "-0.2", SHARE), lever("delegation: -0.2")),
    Case("lever-percent-not-fraction", ("levers.simplification", "60", SHARE), lever("simplification: 60")),
    Case("lever-string", ("levers.online_fee_waiver", "'lots'", SHARE), lever("online_fee_waiver: lots")),
    Case("lever-bool", ("levers.full_process_online", "True", SHARE), lever("full_process_online: true")),
    Case("lever-null", ("levers.delegation", "None", SHARE), lever("delegation: null")),
    Case("lever-nan", ("levers.simplification", "nan", "a share"), lever("simplification: .nan")),
    Case("lever-target-inf", ("levers.delegation.target", "inf", SHARE), lever("delegation: {target: .inf}")),
    Case("lever-target-minus-inf", ("levers.delegation.target", "-inf", SHARE),
         lever("delegation: {target: -.inf, year: 2027}")),
    Case("lever-target-string", ("levers.simplification.target", "'0.6'", SHARE),
         lever("simplification: {target: '0.6', year: 2027}")),
    Case("lever-target-missing", ("levers.delegation.target", "None", SHARE), lever("delegation: {year: 2027}")),
    Case("lever-list", ("levers.delegation", "[0.5, 0.6]", "{target, year}"), lever("delegation: [0.5, 0.6]")),
    Case("path-value-above-1", ("levers.online_fee_waiver.path.2026", "1.2", SHARE),
         lever("online_fee_waiver: {path: {2026: 1.2}}")),
    Case("path-value-nan", ("levers.online_fee_waiver.path.2027", "nan", SHARE),
         lever("online_fee_waiver: {path: {2026: 0.5, 2027: .nan}}")),
    Case("path-empty", ("levers.simplification.path", "{}", "a non-empty mapping of year to share"),
         lever("simplification: {path: {}}")),
    # ---- lever years outside the horizon
    Case("lever-year-after-horizon", ("levers.delegation.year", "2031", HORIZON_YEARS),
         lever("delegation: {target: 0.5, year: 2031}")),
    Case("lever-year-before-projection", ("levers.delegation.year", "2024", HORIZON_YEARS),
         lever("delegation: {target: 0.5, year: 2024}")),
    Case("lever-year-string", ("levers.delegation.year", "'soon'", HORIZON_YEARS),
         lever("delegation: {target: 0.5, year: soon}")),
    Case("path-year-after-horizon", ("levers.simplification.path year", "2035", HORIZON_YEARS),
         lever("simplification: {path: {2035: 0.5}}")),
    Case("path-year-in-the-past", ("levers.simplification.path year", "2020", HORIZON_YEARS),
         lever("simplification: {path: {2020: 0.5}}")),
    # ---- unknown keys at every level
    Case("unknown-top-key", ("budget", "5", "one of baseline_year, description, draws"),
         "name: bad\nbudget: 5\n"),
    Case("unknown-lever", ("levers.teleport", "0.5", "a lever: one of simplification"), lever("teleport: 0.5")),
    Case("unknown-lever-key", ("levers.simplification", "'when'", "{target: share, year: year}"),
         lever("simplification: {target: 0.5, when: 2027}")),
    Case("path-with-target", ("levers.simplification", "'path'", "either {target: share, year: year} or {path"),
         lever("simplification: {target: 0.5, path: {2026: 0.5}}")),
    Case("unknown-field-key", ("field.others_copy", "True", "one of others_fee_waiver_share, others_fee_waiver_year"),
         "name: bad\nfield: {others_copy: true}\n"),
    # ---- the rest of the field
    Case("field-share-above-1", ("field.others_fee_waiver_share", "2", SHARE),
         "name: bad\nfield: {others_fee_waiver_share: 2}\n"),
    Case("field-share-bool", ("field.others_fee_waiver_share", "True", SHARE),
         "name: bad\nfield: {others_fee_waiver_share: yes}\n"),
    Case("field-year-after-horizon", ("field.others_fee_waiver_year", "2040", HORIZON_YEARS),
         "name: bad\nfield: {others_fee_waiver_year: 2040}\n"),
    Case("field-not-a-mapping", ("field", "['all']", "a mapping with others_fee_waiver_share"),
         "name: bad\nfield: [all]\n"),
    Case("levers-not-a-mapping", ("levers", "['simplification']", "a mapping of lever name"),
         "name: bad\nlevers: [simplification]\n"),
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
    Case("target-year-beyond-horizon", ("target_year", "2029", "a whole number from 2025 to 2027"),
         "horizon: 2027\ntarget_year: 2029\n"),
    Case("target-year-fraction", ("target_year", "2027.5", "a whole number from 2025 to 2030"), "target_year: 2027.5\n"),
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
    Case("malformed-yaml-tab", (f"{SCEN} line 3 column 1", "cannot start any token", "valid YAML"), "name: x\nlevers:\n\tsimplification: 0.5\n"),
    Case("yaml-python-tag", (f"{SCEN} line 1", "could not determine a constructor", "valid YAML"),
         'name: !!python/object/apply:os.system ["echo hi"]\n'),
    Case("yaml-duplicate-key", (f"{SCEN} line 5 column 3", "duplicate key 'simplification'", "valid YAML"),
         lever("simplification: 0.5\n  simplification: 0.7")),
    Case("yaml-is-a-list", (SCEN, "'list'", "a mapping of scenario fields"), "- simplification\n- delegation\n"),
    Case("yaml-is-a-string", (SCEN, "'str'", "a mapping of scenario fields"), "just some words\n"),
    Case("not-utf8", (SCEN, "not UTF-8 text", "a UTF-8 YAML file"), "name: Hà Nam\n".encode("latin-1")),
    Case("missing-file", ("nowhere.yaml", "missing file", "an existing scenario YAML file"),
         None, ("project", "nowhere.yaml")),
    Case("scenario-is-a-folder", (".", "missing file", "an existing scenario YAML file"), None, ("project", ".")),
    # ---- command-line options
    Case("option-draws-zero", ("--draws", "'0'", "a whole number from 10 to 100000"), argv=("project", SCEN, "--draws", "0")),
    Case("option-draws-negative", ("--draws", "'-5'", "a whole number from 10 to 100000"),
         argv=("project", SCEN, "--draws=-5")),
    Case("option-draws-huge", ("--draws", "'1000000000'", "a whole number from 10 to 100000"),
         argv=("project", SCEN, "--draws", "1000000000")),
    Case("option-draws-float", ("--draws", "'1e3'", "a whole number"), argv=("project", SCEN, "--draws", "1e3")),
    Case("option-seed-word", ("--seed", "'abc'", "a whole number from 0 to 4294967295"),
         argv=("project", SCEN, "--seed", "abc")),
    Case("option-seed-negative", ("--seed", "'-1'", "a whole number from 0 to 4294967295"),
         argv=("project", SCEN, "--seed=-1")),
    Case("option-format", ("--format", "'xml'", "'table', 'csv', 'json'"), argv=("project", SCEN, "--format", "xml")),
    Case("unknown-option", ("unrecognized arguments", "--colour", "--help"), argv=("project", SCEN, "--colour", "red")),
    Case("unknown-command", ("simlib", "'simulate'", "'project'"), argv=("simulate", SCEN)),
    Case("levers-unknown-focal", ("--focal", "'atlantis'", "a 2025 unit slug"), argv=("levers", "--focal", "atlantis")),
    Case("levers-merged-focal", ("--focal", "'hai-duong'", "merged into 'hai-phong'"),
         argv=("levers", "--focal", "hai-duong")),
    # ---- field and backtest: index and year
    Case("field-index", ("--index", "'XYZ'", "'PAR', 'SIPAS'"), argv=("field", "--index", "XYZ", "--year", "2024")),
    Case("field-index-lowercase", ("--index", "'par'", "'PAR', 'SIPAS'"), argv=("field", "--index", "par", "--year", "2024")),
    Case("field-year-unpublished", ("--year", "2017", "one of 2018, 2019, 2021, 2022, 2023, 2024"),
         argv=("field", "--index", "PAR", "--year", "2017")),
    Case("field-year-after-merger", ("--year", "2025", "one of 2021, 2022, 2023, 2024"),
         argv=("field", "--index", "SIPAS", "--year", "2025")),
    Case("field-year-word", ("--year", "'last'", "a whole number from 1900 to 2100"),
         argv=("field", "--index", "PAR", "--year", "last")),
    Case("backtest-year-first", ("--year", "2021", "one of 2022, 2023, 2024"),
         argv=("backtest", "--index", "SIPAS", "--year", "2021")),
    Case("backtest-year-future", ("--year", "2030", "one of 2019, 2022, 2023, 2024"),
         argv=("backtest", "--index", "PAR", "--year", "2030")),
    Case("backtest-index", ("--index", "'CPI'", "'PAR', 'SIPAS'"), argv=("backtest", "--index", "CPI", "--year", "2024")),
    # ---- data files: missing or corrupted (a copy of data/ through SIMLIB_DATA_DIR)
    Case("data-file-missing", ("data/levers.csv", "missing file", "a CSV file at data/levers.csv"),
         data=remove("levers.csv")),
    Case("data-folder-missing", ("data/units_2025.csv", "missing file", "a CSV file"),
         data=lambda d: [p.unlink() for p in d.iterdir()]),
    Case("data-cell-not-a-number", ("data/index_results.csv row 2 column score_pct", "'abc'", "a decimal number"),
         data=cells("index_results.csv", 2, score_pct="abc")),
    Case("data-cell-nan", ("data/index_results.csv row 2 column score_pct", "'nan'", "a finite number"),
         data=cells("index_results.csv", 2, score_pct="nan")),
    Case("data-score-out-of-range", ("data/index_results.csv row 2 column score_pct", "'182.79'", "a number from 0 to 100"),
         data=cells("index_results.csv", 2, score_pct="182.79")),
    Case("data-unknown-province", ("data/index_results.csv row 2 column province_slug", "'atlantis'",
                                   "a known province slug"),
         data=cells("index_results.csv", 2, province_slug="atlantis")),
    Case("data-lever-bound", ("data/levers.csv row 2 column max", "'1.5'", "a number from 0 to 1"),
         data=cells("levers.csv", 2, max="1.5")),
    Case("data-header", ("data/index_results.csv header", "idx", "a column named 'index'"),
         data=rename_column("index_results.csv", "index", "idx")),
    Case("data-short-row", ("data/provinces.csv row 65", "2 fields", "fields as in the header"),
         data=append("provinces.csv", "ha-noi-2,Hà Nội 2\n")),
    Case("data-not-utf8", ("data/provinces.csv", "UnicodeDecodeError", "a UTF-8 CSV file"),
         data=append("provinces.csv", b"\xff\xfe\n")),
    Case("data-empty-file", ("data/units_2025.csv", "empty file", "a header row and data rows"),
         data=lambda d: (d / "units_2025.csv").write_bytes(b"")),
    Case("data-duplicate-province", ("data/provinces.csv row 65 column province_slug", "'ha-noi'", "a slug used once"),
         data=add_row("provinces.csv", province_slug="ha-noi", name_vi="Hà Nội", unit_2025_slug="ha-noi",
                      source="https://example.org")),
    Case("data-parameter-prior", ("data/parameters.csv row 2 column p1", "-0.7", "a positive median for lognormal"),
         data=cells("parameters.csv", 2, dist="lognormal", p1="-0.7", p2="0.5")),
    Case("data-parameter-dist", ("data/parameters.csv row 3 column dist", "'gamma'", "one of fixed, normal"),
         data=cells("parameters.csv", 3, dist="gamma")),
    Case("data-element-weights", ("data/sipas_elements.csv column online_share", ELEMENTS_TOTAL, "sum to 1"),
         data=cells("sipas_elements.csv", 2, online_share="0.9")),
    Case("data-parameter-missing", ("data/parameters.csv", "lag_halflife_years", "row"),
         data=drop_lines("parameters.csv", "lag_halflife_years,")),
    Case("data-baseline-missing", ("data/baselines.csv", "simplification", "*"),
         data=lambda d: (drop_lines("baselines.csv", "*,simplification,")(d),
                         drop_lines("baselines.csv", "ha-noi,simplification,")(d))),
    Case("data-broken-for-field", ("data/index_results.csv row 2 column year", "'20x2'", "a whole number"),
         argv=("field", "--index", "PAR", "--year", "2024"),
         data=cells("index_results.csv", 2, year="20x2")),
    # ---- several problems at once: every one reported
    Case("many-problems",
         ("levers.simplification.target", "1.5", SHARE),
         "name: many\nfocal: hai-duong\nextra: 1\nhorizon: 2031\ndraws: 0\nseed: -3\n"
         "levers:\n  simplification: {target: 1.5, year: 2027}\n  delegation: lots\n  foo: 0.3\n"
         "  full_process_online: {target: .inf}\n"
         "field: {others_fee_waiver_share: true, bar: 2}\n",
         also=(("focal", "'hai-duong'", "merged into 'hai-phong'"),
               ("extra", "1", "one of baseline_year"),
               ("horizon", "2031", "a whole number from 2025 to 2030"),
               ("draws", "0", "a whole number from 10 to 100000"),
               ("seed", "-3", "a whole number from 0 to 4294967295"),
               ("levers.delegation", "'lots'", SHARE),
               ("levers.foo", "0.3", "a lever: one of"),
               ("levers.full_process_online.target", "inf", SHARE),
               ("field.bar", "2", "one of others_fee_waiver_share"),
               ("field.others_fee_waiver_share", "True", SHARE))),
    Case("many-options", ("--draws", "'0'", "a whole number from 10 to 100000"),
         argv=("project", SCEN, "--draws", "0", "--seed", "x"),
         also=(("--seed", "'x'", "a whole number from 0 to 4294967295"),)),
]


def _case(p):
    return p.values[0] if hasattr(p, "values") else p


def test_catalogue_is_large_enough():
    assert len(CASES) >= 35
    assert len({_case(p).id for p in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_is_reported_not_crashed(case: Case, tmp_path: Path):
    env = {}
    if case.yaml is not None:
        content = case.yaml if isinstance(case.yaml, bytes) else case.yaml.encode("utf-8")
        (tmp_path / SCEN).write_bytes(content)
    if case.data is not None:
        data_dir = copy_data(tmp_path / "data")
        case.data(data_dir)
        env["SIMLIB_DATA_DIR"] = str(data_dir)
    before = listing(tmp_path)

    proc = run_simlib(list(case.argv), tmp_path, **env)

    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    for where, value, allowed in (case.expect,) + case.also:
        assert any(where in ln and value in ln and allowed in ln for ln in lines), (
            f"no line names {where!r} with value {value!r} and allowed {allowed!r}:\n{proc.stderr}")
    assert f"{len(case.also) + 1} problem(s)" in lines[0] or not case.also, proc.stderr
    assert listing(tmp_path) == before, "the command wrote or changed files"
