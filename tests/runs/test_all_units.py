"""`simlib batch --all-units`: each scenario for each of the 34 units, and the units × scenarios page;
the batch's progress on a terminal (a live bar) and in logs (plain lines)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from support import SCENARIOS

from simlib.engine import data
from simlib.runs import batch, batch_record, index_page, render
from simlib.runs.progress import ReportProgress


def test_every_scenario_is_planned_for_every_unit_in_unit_folders(tmp_path):
    files = [str(SCENARIOS / "all_levers.yaml"), str(SCENARIOS / "baseline.yaml")]
    units = batch.all_units()
    assert len(units) == 34 and units == list(data.load().units)
    items = batch.plan(files, tmp_path / "out", "vi", 50, 1, units=units)
    assert len(items) == 68
    assert {(i.unit, i.dir) for i in items} == {(u, f"{u}/{n}") for u in units for n in ("all_levers", "baseline")}
    for item in items:
        assert item.scenario.focal == item.unit and item.inputs["scenario"]["focal"] == item.unit
    assert len({i.inputs["inputs_hash"] for i in items}) == 68  # --resume tells every report apart


def _fake_report(out, item, p3, rank):
    folder = out / item.dir
    folder.mkdir(parents=True)
    year = int(item.scenario.target_year)
    rows = [
        ("p_par_top3", p3, p3, p3, p3),
        ("p_par_top5", 0.5, 0.5, 0.5, 0.5),
        ("p_par_top10", 0.9, 0.9, 0.9, 0.9),
        ("par_rank", rank, rank - 2, rank, rank + 3),
    ]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["scenario", "year", "metric", "mean", "p05", "p50", "p95"])
    for metric, mean, p05, p50, p95 in rows:
        w.writerow([item.name, year, metric, mean, p05, p50, p95])
    (folder / "results.csv").write_text(buf.getvalue(), encoding="utf-8")
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    item.status = "ok"


def test_the_units_page_shows_probabilities_ranks_and_links(tmp_path):
    out = tmp_path / "out"
    units = batch.all_units()
    items = batch.plan(
        [str(SCENARIOS / "all_levers.yaml"), str(SCENARIOS / "baseline.yaml")], out, "en", 1000, 1, units=units
    )
    done = [i for i in items if i.unit in units[:2]]
    for k, item in enumerate(done):
        _fake_report(out, item, 0.25 + 0.1 * k, 4 + k)
    index_page.write_units_page(out, items, "en")
    page = (out / "units.html").read_text(encoding="utf-8")
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    assert body.count("<tr>") == 34
    assert page.count("<th>") == 1 + 2  # the unit column and one per scenario
    first = done[0]
    assert f'href="{first.dir}/report.html"' in page
    assert re.search(r"top 3 25% \(\d+%–\d+%\) · top 5 50% \(\d+%–\d+%\) · top 10 90%", body)
    assert "median rank 4 (2–7)" in body
    assert body.count("did not run") == 2 * 32  # the units without a report say so


class _Tty(io.StringIO):
    def isatty(self):
        return True


class _Item:
    def __init__(self, name, status):
        self.name, self.status, self.resumed, self.error = (
            name,
            status,
            False,
            (None if status == "ok" else {"ename": "ValueError", "evalue": "bad", "cell_index": 2}),
        )


def test_progress_is_a_live_bar_on_a_terminal_and_plain_lines_elsewhere():
    tty = _Tty()
    bar = ReportProgress(3, tty)
    bar(_Item("a", "ok"), 1.0)
    bar(_Item("b", "failed"), 2.0)
    bar.close()
    text = tty.getvalue()
    assert "\r" in text and "2/3" in text and "ok 1, failed 1, left 1" in text  # redrawn in place, with counts
    assert "[2/3] b failed 2.0 s in cell 2: ValueError: bad" in text  # a failure also stays as a line
    log = io.StringIO()
    lines = ReportProgress(2, log)
    lines(_Item("a", "ok"), 1.0)
    lines(_Item("b", "ok"), 1.5)
    assert log.getvalue() == "[1/2] a ok 1.0 s\n[2/2] b ok 1.5 s\n"


@pytest.mark.slow
@pytest.mark.notebook
def test_an_all_units_batch_writes_unit_folders_and_the_units_page(tmp_path, monkeypatch):
    """The whole path with two units (34 would take minutes): <unit>/<scenario>/ reports, summary rows
    per unit, units.html linked from index.html."""
    import json

    from support import standin

    notebooks = tmp_path / "notebooks"
    standin(notebooks / render.REPORT_NOTEBOOK)
    monkeypatch.setenv("SIMLIB_NOTEBOOKS_DIR", str(notebooks))
    two = batch.all_units()[:2]
    monkeypatch.setattr(batch, "all_units", lambda: two)
    out = tmp_path / "out"
    manifest = batch.run_batch(
        [str(SCENARIOS / "all_levers.yaml")], out, workers=1, draws=50, every_unit=True, progress=None
    )
    assert manifest["status"] == "ok" and manifest["counts"]["ok"] == 2
    assert [(r["unit"], r["dir"]) for r in manifest["scenarios"]] == [(u, f"{u}/all_levers") for u in two]
    for unit in two:
        m = json.loads((out / unit / "all_levers" / "manifest.json").read_text(encoding="utf-8"))
        assert m["scenario"]["focal"] == unit
    with open(out / "summary.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["focal"], r["report_dir"]) for r in rows] == [(u, f"{u}/all_levers") for u in two]
    units_page = (out / "units.html").read_text(encoding="utf-8")
    assert all(f'href="{u}/all_levers/report.html"' in units_page for u in two)
    assert 'href="units.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert units_page.count("top 3 ") == 2


def test_a_units_scenarios_run_one_after_the_other_while_the_batch_keeps_its_order(tmp_path):
    """--all-units runs each unit's scenarios back to back (its kept kernel then draws that unit's
    field figures once), while the batch's summary and pages keep the scenario-by-scenario order."""
    files = [str(SCENARIOS / "baseline.yaml"), str(SCENARIOS / "all_levers.yaml")]
    units = batch.all_units()[:3]
    items = batch.plan(files, tmp_path / "out", "vi", 50, 1, units=units)
    assert [(i.unit, i.name) for i in items] == [(u, n) for n in ("baseline", "all_levers") for u in units]
    order = batch.by_unit(items)
    assert [(i.unit, i.name) for i in order] == [(u, n) for u in units for n in ("baseline", "all_levers")]
    assert [(i.unit, i.name) for i in items] == [(u, n) for n in ("baseline", "all_levers") for u in units]
    assert batch.by_unit(order[1:]) == order[1:]  # a resumed batch (one report done) keeps the rest in order


def test_the_units_page_shows_the_interval_the_run_wrote(tmp_path):
    """The Monte-Carlo interval of each probability is the one in the report's results.csv (90% Wilson)."""
    out = tmp_path / "out"
    units = batch.all_units()
    items = batch.plan([str(SCENARIOS / "baseline.yaml")], out, "en", 1000, 1, units=units)
    item = items[0]
    _fake_report(out, item, 0.25, 4)
    path = out / item.dir / "results.csv"
    text = path.read_text(encoding="utf-8").replace("p_par_top3,0.25,0.25,0.25,0.25", "p_par_top3,0.25,0.2,0.25,0.31")
    path.write_text(text, encoding="utf-8")
    index_page.write_units_page(out, items, "en")
    page = (out / "units.html").read_text(encoding="utf-8")
    assert "top 3 25% (20%–31%) · top 5 50% (50%–50%) · top 10 90% (90%–90%)" in page
    assert "90% Monte-Carlo interval" in page


def test_the_index_numbers_are_written_as_every_other_page_writes_them(tmp_path):
    """summary.csv's numbers on index.html: the project's separators, '<1%' escaped, a title escaped."""
    cols = [
        "scenario",
        "status",
        "target_year",
        "sipas_p05",
        "sipas_p50",
        "sipas_p95",
        "par_p05",
        "par_p50",
        "par_p95",
        "par_rank_p05",
        "par_rank_p50",
        "par_rank_p95",
        "p_par_top3",
        "p_par_top10",
        "p_sipas_ge_86",
        "fee_forgone_bn_vnd",
    ]
    values = [
        "<script>x</script>",
        "ok",
        "2030",
        "80.1",
        "85.25",
        "90.3",
        "70",
        "75",
        "80",
        "2",
        "4",
        "7",
        "0.002",
        "0.5",
        "0.999",
        "12345.6",
    ]
    with open(tmp_path / "summary.csv", "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(cols)
        w.writerow(values)
    vi = index_page.numbers_table_html(tmp_path, "vi")
    assert "<script>" not in vi and "&lt;script&gt;x&lt;/script&gt;" in vi
    assert "<td>12.345,6</td>" in vi and "<td>&lt;1%</td>" in vi and "<td>50%</td>" in vi  # the fee: one decimal
    assert "85,2" in vi or "85,3" in vi
    en = index_page.numbers_table_html(tmp_path, "en")
    assert "<td>12,345.6</td>" in en and "<td>&gt;99%</td>" in en


@pytest.mark.slow
@pytest.mark.notebook
def test_an_all_units_batch_asks_for_each_units_reports_on_one_worker(tmp_path, monkeypatch):
    """The executor is told each report's unit (``place``, then ``submit(group=…)``), in the order the
    reports run, so a cluster can keep a unit's reports on one worker; each report's summary row is
    read from the results it sent back (results.csv is not read again for summary.csv)."""
    from support import standin

    from simlib.runs import executor

    notebooks = tmp_path / "notebooks"
    standin(notebooks / render.REPORT_NOTEBOOK)
    monkeypatch.setenv("SIMLIB_NOTEBOOKS_DIR", str(notebooks))
    two = batch.all_units()[:2]
    monkeypatch.setattr(batch, "all_units", lambda: two)
    seen: dict = {"submit": []}

    class Recording(executor.InlineExecutor):
        def place(self, groups):
            seen["place"] = list(groups)

        def submit(self, key, fn, *args, group=None):
            seen["submit"].append(group)
            super().submit(key, fn, *args, group=group)

    monkeypatch.setattr(executor, "make", lambda *args, **kwargs: Recording())
    reads = []
    real_read = batch_record._read_tidy
    monkeypatch.setattr(batch_record, "_read_tidy", lambda path: (reads.append(path), real_read(path))[1])
    files = [str(SCENARIOS / "baseline.yaml"), str(SCENARIOS / "all_levers.yaml")]
    out = tmp_path / "out"
    manifest = batch.run_batch(files, out, workers=2, draws=50, every_unit=True, progress=None)
    assert manifest["status"] == "ok" and manifest["counts"]["ok"] == 4
    assert seen["place"] == seen["submit"] == [two[0], two[0], two[1], two[1]]
    assert reads == []
    with open(out / "summary.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["focal"], r["scenario"]) for r in rows] == [(u, n) for n in ("baseline", "all_levers") for u in two]
    for r in rows:  # the numbers are those of the report's own results.csv
        tidy = real_read(out / r["report_dir"] / "results.csv")
        p50 = next(t for t in tidy if t["metric"] == "par_score" and t["year"] == r["target_year"])["p50"]
        assert float(r["par_p50"]) == float(p50)
