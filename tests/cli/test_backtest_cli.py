"""The `simlib` command (project, field, backtest, levers), its output formats, backtest.py,
fieldtable.py and the words of i18n — as a user reads them."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from support import SCENARIOS, run_simlib

from simlib.analysis import backtest, fieldtable
from simlib.cli import main as cli
from simlib.cli.formats import FORMATS, render
from simlib.engine import data, levers
from simlib.engine.result import COLUMNS, DISTRIBUTIONS, TARGETS
from simlib.reports import i18n

REQUIRED = (
    "sipas_pct",
    "par_score",
    "par_rank",
    "sipas_rank",
    "p_par_top3",
    "p_par_top10",
    "p_sipas_ge_86",
    "online_share",
    "fee_forgone_bn_vnd",
)


def simlib(capsys, *argv: str) -> str:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    return out


def parse_table(text: str) -> list[list[str]]:
    lines = text.splitlines()
    assert set(lines[1].replace(" ", "")) == {"-"}
    return [lines[0].split()] + [ln.split() for ln in lines[2:]]


# --------------------------------------------------------------------------- simlib project


@pytest.fixture(scope="module")
def project_outputs():
    """The all-levers projection in the three formats (run in-process, 200 draws)."""
    import contextlib

    out = {}
    for fmt in FORMATS:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert (
                cli.main(
                    ["project", str(SCENARIOS / "all_levers.yaml"), "--draws", "200", "--seed", "3", "--format", fmt]
                )
                == 0
            )
        out[fmt] = buf.getvalue()
    return out


def test_project_csv_has_every_metric_for_every_year(project_outputs):
    rows = list(csv.DictReader(io.StringIO(project_outputs["csv"])))
    assert list(rows[0]) == list(COLUMNS)
    years = sorted({int(r["year"]) for r in rows})
    assert years == list(range(2025, 2031))
    for year in years:
        metrics = [r["metric"] for r in rows if int(r["year"]) == year]
        assert set(REQUIRED) <= set(metrics)
        assert len(metrics) == len(set(metrics))
    for r in rows:
        lo, mid, hi = float(r["p05"]), float(r["p50"]), float(r["p95"])
        assert lo <= mid <= hi


def test_project_formats_agree(project_outputs):
    as_csv = [[r[c] for c in COLUMNS] for r in csv.DictReader(io.StringIO(project_outputs["csv"]))]
    as_json = json.loads(project_outputs["json"])
    table = parse_table(project_outputs["table"])
    assert table[0] == list(COLUMNS)
    assert len(as_csv) == len(as_json) == len(table) - 1
    for c_row, j_row, t_row in zip(as_csv, as_json, table[1:]):
        assert list(j_row) == list(COLUMNS)
        assert int(c_row[0]) == j_row["year"] == int(t_row[0])
        assert c_row[1] == j_row["metric"] == t_row[1]
        for k, col in enumerate(COLUMNS[2:], start=2):
            assert float(c_row[k]) == pytest.approx(j_row[col], abs=5e-4)
            assert c_row[k] == t_row[k]


def test_project_cli_draws_and_seed_override_the_file(capsys):
    a = simlib(capsys, "project", str(SCENARIOS / "baseline.yaml"), "--draws", "100", "--seed", "1", "--format", "json")
    b = simlib(capsys, "project", str(SCENARIOS / "baseline.yaml"), "--draws", "100", "--seed", "2", "--format", "json")
    assert a != b
    p = json.loads(a)
    top3 = next(r for r in p if r["metric"] == "p_par_top3")
    assert top3["mean"] * 100 == pytest.approx(round(top3["mean"] * 100), abs=1e-9)  # a share of 100 draws


def test_console_script_runs_a_projection(tmp_path):
    """The installed `simlib` command, as the README tells a user to run it."""
    proc = run_simlib(["project", SCENARIOS / "baseline.yaml", "--draws", "50", "--format", "csv"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == ",".join(COLUMNS)
    assert list(tmp_path.iterdir()) == []  # prints, writes nothing


# --------------------------------------------------------------------------- simlib field


def test_field_csv(capsys):
    out = simlib(capsys, "field", "--index", "PAR", "--year", "2024", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["province_slug", "score", "rank", "status", "low", "high"]
    assert len(rows) == 63
    assert {r["province_slug"] for r in rows} == set(data.load().provinces)
    assert sorted(int(r["rank"]) for r in rows) == list(range(1, 64))
    assert {r["status"] for r in rows} == {"published", "reconstructed"}
    for r in rows:
        low, score, high = float(r["low"]), float(r["score"]), float(r["high"])
        assert low <= score <= high
        if r["status"] == "published":
            assert low == high == score
    # a reconstructed score has a band; one pressed against a published neighbour's score can be
    # narrower than the two decimals shown
    wide = [float(r["low"]) < float(r["high"]) for r in rows if r["status"] == "reconstructed"]
    assert sum(wide) >= 0.9 * len(wide)
    hn = next(r for r in rows if r["province_slug"] == "ha-noi")
    assert (hn["score"], hn["rank"], hn["status"]) == ("92.75", "3", "published")


@pytest.mark.parametrize("index", data.INDICES)
def test_field_rows_for_every_year(index):
    from simlib.engine import history

    for year in history.reconstructable_years(index):
        rows = fieldtable.rows(index, year, draws=100, seed=1)
        assert sorted(r["rank"] for r in rows) == list(range(1, 64))
        pub = {s: p for s, p in data.load().results[(index, year)].items()}
        for r in rows:
            p = pub.get(r["province_slug"])
            if p is not None and p.rank is not None:
                assert r["rank"] == p.rank
            if p is not None and p.score is not None:
                assert r["status"] == "published" and r["score"] == p.score


def test_field_table_is_ordered_by_rank(capsys):
    out = simlib(capsys, "field", "--index", "SIPAS", "--year", "2024")
    table = parse_table(out)
    assert table[0] == ["province_slug", "score", "rank", "status", "low", "high"]
    assert [int(r[2]) for r in table[1:]] == list(range(1, 64))


# --------------------------------------------------------------------------- simlib backtest


def test_backtest_prints_the_csv_alone_and_the_summary_on_stderr(capsys):
    from simlib.cli.main import main

    assert main(["backtest", "--index", "PAR", "--year", "2024", "--format", "csv"]) == 0
    table, summary = capsys.readouterr()
    assert "\n\n" not in table.strip()  # the CSV alone: pandas reads it as it is
    rows = list(csv.DictReader(io.StringIO(table)))
    assert list(rows[0]) == ["province_slug", "published", "p05", "p50", "p95", "naive"]
    assert len(rows) == 63
    published = [r for r in rows if r["published"]]
    assert 0 < len(published) < 63
    assert next(r for r in rows if r["province_slug"] == "ha-noi")["published"] == "92.75"
    for r in rows:
        assert float(r["p05"]) <= float(r["p50"]) <= float(r["p95"])
    lines = summary.strip().splitlines()
    assert any(ln.startswith("mean absolute error, model") and "points" in ln for ln in lines)
    assert any(ln.startswith("mean absolute error, naive") for ln in lines)
    assert any("coverage" in ln and "%" in ln for ln in lines)
    assert any(ln.startswith("verdict:") for ln in lines)
    assert f"published scores compared: {len(published)}" in lines


@pytest.mark.parametrize("index", data.INDICES)
def test_backtest_every_allowed_year(index):
    years = backtest.backtest_years(index)
    assert years and all(y < data.MERGER_YEAR for y in years)
    for year in years:
        bt = backtest.run(index, year, draws=200, seed=1)
        pub = [r for r in bt.rows if r["published"] is not None]
        assert bt.n_published == len(pub) > 0
        y = np.array([r["published"] for r in pub])
        assert bt.mae_model == pytest.approx(np.mean(np.abs(y - [r["p50"] for r in pub])))
        assert bt.mae_naive == pytest.approx(np.mean(np.abs(y - [r["naive"] for r in pub])))
        assert 0 <= bt.coverage_90 <= 1
        verdict = bt.summary_lines()[4]
        assert ("does NOT beat" in verdict) == (bt.mae_model >= bt.mae_naive)


def test_naive_forecast_is_last_year_plus_the_national_trend():
    assert backtest.naive_trend("PAR", 2024) == pytest.approx(86.98 - 84.79)  # averages known before 2024
    bt = backtest.run("PAR", 2024, draws=200, seed=1)
    hn = next(r for r in bt.rows if r["province_slug"] == "ha-noi")
    assert hn["naive"] == pytest.approx(91.43 + 86.98 - 84.79)


def test_backtest_checks_its_year():
    from simlib.engine.errors import InputError

    with pytest.raises(InputError) as err:
        backtest.run("PAR", 2025)
    assert err.value.issues[0].where == "--year"


# --------------------------------------------------------------------------- simlib levers


def test_levers_table(capsys):
    out = simlib(capsys, "levers", "--format", "json")
    rows = json.loads(out)
    assert [r["lever"] for r in rows] == list(levers.names())
    assert next(r for r in rows if r["lever"] == "simplification")["current_pct"] == 29.8
    other = json.loads(simlib(capsys, "levers", "--focal", "bac-ninh", "--format", "json"))
    assert all(r["current_status"] == "assumption" for r in other)


def test_help_exits_cleanly(capsys):
    with pytest.raises(SystemExit) as ex:
        cli.main(["--help"])
    assert ex.value.code == 0
    assert "project" in capsys.readouterr().out


# --------------------------------------------------------------------------- output.render


def test_render_formats():
    rows = [{"a": "x", "b": 1.23456, "c": None}, {"a": "long name", "b": float("nan"), "c": 3}]
    assert render(rows, ["a", "b", "c"], "csv", digits=2) == "a,b,c\nx,1.23,\nlong name,,3"
    assert json.loads(render(rows, ["a", "b"], "json")) == [{"a": "x", "b": 1.23456}, {"a": "long name", "b": None}]
    table = render(rows, ["a", "b", "c"], "table", digits=1).splitlines()
    assert len({len(line) for line in table}) == 1  # aligned columns
    assert table[0].startswith("a ") and table[2].startswith("x ")


def test_render_keeps_vietnamese_text():
    rows = [{"name": "Hà Nội"}]
    assert "Hà Nội" in render(rows, ["name"], "json")
    assert render(rows, ["name"], "csv") == "name\nHà Nội"


# --------------------------------------------------------------------------- i18n


def test_every_label_has_both_languages():
    for key, (vi, en) in i18n.LABELS.items():
        assert vi.strip() and en.strip(), key
        assert i18n.say(key, "vi") == vi and i18n.say(key, "en") == en
        assert i18n.say(key) == vi  # Vietnamese by default


def test_both_languages_fill_the_same_blanks():
    import string

    def blanks(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, (vi, en) in i18n.LABELS.items():
        assert blanks(vi) == blanks(en), key


def test_every_reported_metric_has_a_label():
    for key in (*DISTRIBUTIONS, *TARGETS, "n_units", "mean", "p05", "p50", "p95"):
        assert i18n.say(key, "en") and i18n.say(key, "vi")
    assert i18n.say("sipas_pct", "vi") != i18n.say("sipas_pct", "en")


def test_unknown_key_or_language():
    with pytest.raises(KeyError):
        i18n.say("no_such_label")
    with pytest.raises(ValueError, match="lang"):
        i18n.say("year", "fr")


def test_every_command_has_working_help(capsys):
    """`simlib COMMAND --help` prints its usage and exits 0 for every command."""
    from simlib.cli import main as cli

    parser = cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert {"levers", "project", "field", "backtest", "run", "batch", "grid", "sensitivity", "target"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as stop:
            cli.main([name, "--help"])
        assert stop.value.code == 0, name
        assert f"usage: simlib {name}" in capsys.readouterr().out
