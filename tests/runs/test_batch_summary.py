"""A batch computes each scenario once: summary.csv is read from the reports' results.csv."""

from __future__ import annotations

import csv

import pytest
from support import small

from simlib.analysis import compare
from simlib.engine import simulate
from simlib.runs import batch, batch_record


def test_summary_is_read_from_each_reports_results_not_computed_again(tmp_path, monkeypatch):
    scenarios = [small(name="plain"), small(name="pushed", levers={"simplification": 0.9, "delegation": 0.8})]
    results = simulate.run_many(scenarios)
    items = []
    for s, r in zip(scenarios, results):
        (tmp_path / s.name).mkdir()
        r.write_csv(tmp_path / s.name / "results.csv")
        (tmp_path / s.name / "report.html").write_text("<html></html>", encoding="utf-8")
        items.append(batch.Item(tmp_path / f"{s.name}.yaml", s.name, s.name, s, status="ok"))
    items.append(
        batch.Item(
            tmp_path / "bad.yaml",
            "bad",
            "bad",
            None,
            status="failed",
            error={"ename": "ScenarioError", "evalue": "draws: 3"},
        )
    )

    def no_engine(*args, **kwargs):
        raise AssertionError("the summary evaluated a scenario again")

    monkeypatch.setattr(simulate, "simulate", no_engine)
    monkeypatch.setattr(simulate, "run_many", no_engine)
    assert batch_record.write_summary(tmp_path, items) is None
    with open(tmp_path / "summary.csv", encoding="utf-8", newline="") as handle:
        rows = {r["scenario"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {"plain", "pushed", "bad"}
    assert rows["bad"]["status"] == "failed" and "ScenarioError" in rows["bad"]["error"]
    for r in results:
        expected = compare.summary_row(r)
        got = rows[r.scenario.name]
        assert got["status"] == "ok" and got["report_dir"] == r.scenario.name
        for column in compare.summary_columns():
            value = expected[column]
            if isinstance(value, float):
                assert float(got[column]) == pytest.approx(value, rel=1e-12, abs=1e-12), column
            else:
                assert got[column] == str(value), column


def test_a_report_without_results_is_recorded_as_a_summary_error(tmp_path):
    s = small(name="plain")
    (tmp_path / "plain").mkdir()
    error = batch_record.write_summary(
        tmp_path, [batch.Item(tmp_path / "plain.yaml", "plain", "plain", s, status="ok")]
    )
    assert error is not None and "results.csv" in error["evalue"]
    assert not (tmp_path / "summary.csv").exists()
