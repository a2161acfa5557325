"""`simlib grid`: an engine-only sweep over lever targets, one row per combination."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

from simlib.analysis import grid
from simlib.cli import main as cli
from simlib.engine.scenario import Scenario, replace_levers
from simlib.engine.simulate import run

DRAWS = 300


def base(**fields) -> Scenario:
    return Scenario.from_dict({"name": "grid_base", "draws": DRAWS, "seed": 5, **fields})


def test_rows_are_the_cartesian_product_of_the_steps():
    axes = grid.parse_specs(["simplification=0.3:0.9:3", "delegation=30%:60%:4", "full_process_online=0.7:0.9:2"])
    rows = grid.sweep(base(), axes)
    assert len(rows) == 3 * 4 * 2
    combos = {(r["simplification"], r["delegation"], r["full_process_online"]) for r in rows}
    assert len(combos) == len(rows)
    assert sorted({r["simplification"] for r in rows}) == [0.3, 0.6, 0.9]
    assert sorted({r["delegation"] for r in rows}) == [0.3, 0.4, 0.5, 0.6]
    assert set(rows[0]) == {"simplification", "delegation", "full_process_online", *grid.METRICS}


def test_p_par_top3_never_decreases_along_a_lever_axis():
    """Common random numbers: pushing one lever further never lowers the top-3 probability."""
    axes = grid.parse_specs(["simplification=0.3:0.9:5", "full_process_online=0.6:1:5"])
    rows = grid.sweep(base(), axes)
    table = np.array([r["p_par_top3"] for r in rows]).reshape(5, 5)  # first lever varies slowest
    assert (np.diff(table, axis=0) >= 0).all(), table
    assert (np.diff(table, axis=1) >= 0).all(), table
    assert table[-1, -1] > table[0, 0]  # the levers do move it
    ranks = np.array([r["par_rank_p50"] for r in rows]).reshape(5, 5)
    assert (np.diff(ranks, axis=0) <= 0).all() and (np.diff(ranks, axis=1) <= 0).all()


def test_a_grid_row_equals_the_run_of_the_same_scenario():
    b = base(levers={"online_fee_waiver": 1.0})
    rows = grid.sweep(b, grid.parse_specs(["simplification=0.4:0.8:3", "delegation=0.5:0.7:2"]))
    row = next(r for r in rows if math.isclose(r["simplification"], 0.8) and math.isclose(r["delegation"], 0.5))
    result = run(replace_levers(b, {"simplification": 0.8, "delegation": 0.5}))
    y = b.target_year
    assert row["p_par_top3"] == pytest.approx(result.at("p_par_top3", y)["mean"])
    assert row["par_p50"] == pytest.approx(result.at("par_score", y)["p50"])
    assert row["par_rank_p95"] == pytest.approx(result.at("par_rank", y)["p95"])
    assert row["sipas_p50"] == pytest.approx(result.at("sipas_pct", y)["p50"])
    assert row["fee_forgone_bn_vnd"] == pytest.approx(result.at("fee_forgone_bn_vnd", y)["mean"])


def test_small_chunks_give_the_same_rows():
    axes = grid.parse_specs(["delegation=0.3:0.9:7"])
    assert grid.sweep(base(), axes, chunk=2) == grid.sweep(base(), axes)


def test_cli_writes_grid_csv_and_manifest(tmp_path, capsys):
    out = tmp_path / "g"
    code = cli.main(
        [
            "grid",
            "--lever",
            "simplification=0.3:0.9:4",
            "--lever",
            "delegation=40%:60%:3",
            "--out",
            str(out),
            "--draws",
            str(DRAWS),
            "--seed",
            "3",
            "--year",
            "2028",
        ]
    )
    assert code == 0, capsys.readouterr().err
    with open(out / "grid.csv", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["simplification", "delegation", *grid.METRICS]
        rows = list(reader)
    assert len(rows) == 4 * 3
    assert {float(r["delegation"]) for r in rows} == {0.4, 0.5, 0.6}
    assert all(0 <= float(r["p_par_top3"]) <= float(r["p_par_top10"]) <= 1 for r in rows)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "simlib-grid" and manifest["combinations"] == 12
    assert manifest["year"] == 2028 and manifest["draws"] == DRAWS and manifest["seed"] == 3
    assert manifest["axes"]["simplification"] == [0.3, 0.5, 0.7, 0.9]
    assert manifest["data_file_hashes"]


@pytest.mark.parametrize(
    "spec, shown",
    [
        ("nosuchlever=0.1:0.5:3", "nosuchlever"),
        ("simplification=0.3:1.5:3", "1.5"),
        ("simplification=0.3:0.9:1", "STEPS"),
        ("simplification=0.3:0.9:102", "STEPS"),
        ("simplification=0.9:0.3:3", "START below STOP"),
        ("simplification:0.3:0.9:3", "NAME=START:STOP:STEPS"),
        ("delegation=lots:0.9:3", "lots"),
    ],
)
def test_a_bad_spec_exits_2_naming_it(tmp_path, capsys, spec, shown):
    out = tmp_path / "g"
    assert cli.main(["grid", "--lever", spec, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert spec in err and shown in err and "Traceback" not in err
    assert not out.exists()


def test_too_many_combinations_and_a_bad_year_are_reported_together(tmp_path, capsys):
    out = tmp_path / "g"
    code = cli.main(
        [
            "grid",
            "--lever",
            "simplification=0:1:101",
            "--lever",
            "delegation=0:1:101",
            "--lever",
            "full_process_online=0:1:3",
            "--out",
            str(out),
        ]
    )
    assert code == 2 and "30,603 combinations" in capsys.readouterr().err
    code = cli.main(
        [
            "grid",
            "--lever",
            "simplification=0.3:0.6:2",
            "--lever",
            "simplification=0.3:0.6:2",
            "--out",
            str(out),
            "--year",
            "2031",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "each lever at most once" in err and "--year" in err
    assert not out.exists()
