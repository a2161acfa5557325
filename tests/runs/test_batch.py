"""`simlib run` and `simlib batch`: rendered reports, failures on record, atomic output, --resume.

Notebook executions take seconds each, so each one is shared between assertions through
module-scoped fixtures. Where the report itself is checked, the project's report notebook
runs (a stand-in while notebooks/ has none); where only the machinery is (interruption, a
failing cell, retries), a minimal stand-in with the same parameters cell, written into a
temporary folder, keeps the run quick.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from support import FAILING_CELL, ROOT, SCENARIOS, SIMLIB, leftovers, listing, run_simlib, simlib_env, standin

from simlib.cli import main as cli
from simlib.engine import atomic, levers
from simlib.reports import provenance
from simlib.runs import batch, notebook_run, render

DRAWS = 200


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    """The folder of report notebooks the tests run: the project's, or a stand-in until it exists."""
    with pytest.MonkeyPatch.context() as mp:
        if (ROOT / "notebooks" / render.REPORT_NOTEBOOK).is_file():
            mp.delenv("SIMLIB_NOTEBOOKS_DIR", raising=False)
            yield ROOT / "notebooks"
        else:
            folder = tmp_path_factory.mktemp("notebooks")
            standin(folder / render.REPORT_NOTEBOOK)
            mp.setenv("SIMLIB_NOTEBOOKS_DIR", str(folder))
            yield folder


@pytest.fixture(scope="module")
def standin_notebooks(tmp_path_factory):
    """The stand-in report notebook alone (no comparison notebook): quick runs for tests of the machinery."""
    folder = tmp_path_factory.mktemp("standin_notebooks")
    standin(folder / render.REPORT_NOTEBOOK)
    return folder


@pytest.fixture(scope="module")
def failing_notebooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("failing_notebooks")
    standin(folder / render.REPORT_NOTEBOOK, fail=True)
    return folder


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory):
    """Two good scenarios and one whose lever is out of range."""
    folder = tmp_path_factory.mktemp("scenarios")
    for name in ("all_levers", "baseline"):
        (folder / f"{name}.yaml").write_text((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.yaml").write_text("name: broken\nlevers:\n  simplification: 1.7\n", encoding="utf-8")
    return folder


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# ----------------------------------------------------------------------------- simlib run


@pytest.fixture
def single_run(rendered_report):
    """`simlib run all_levers.yaml --draws 200 --seed 11 --lang en` (conftest: rendered once per test run)."""
    return rendered_report


@pytest.mark.notebook
@pytest.mark.slow
def test_run_writes_the_four_files_and_a_manifest(single_run):
    proc, out = single_run
    assert proc.returncode == 0, proc.stderr
    assert str(out / "report.html") in proc.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(render.REPORT_FILES + render.LEADER_FILES)
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "ok" and m["error"] is None
    assert (m["draws"], m["seed"], m["lang"]) == (DRAWS, 11, "en")
    assert m["scenario"]["name"] == "all_levers" and m["scenario"]["levers"]["delegation"]["target"] == 0.6
    assert set(provenance.PACKAGES) <= set(m["packages"]) and all(m["packages"][p] for p in provenance.PACKAGES)
    from simlib.engine import data

    assert m["data_file_hashes"] == data.load().file_hashes
    assert m["ended"] >= m["started"] and m["duration_s"] > 0
    assert not leftovers(out.parent)


@pytest.mark.notebook
@pytest.mark.slow
def test_run_writes_a_workbook_equal_to_results_csv(single_run):
    from simlib.reports import excel

    proc, out = single_run
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["leader_files"]["results.xlsx"] == "ok"
    rows = excel.read_yearly(out / "results.xlsx", "en")
    with open(out / "results.csv", newline="", encoding="utf-8") as handle:
        expected = list(csv.reader(handle))
    assert rows[0] == ["Year", "Indicator", "Unit", "Mean", "Median", "Low (5%)", "High (95%)"]
    assert len(rows) == len(expected)
    from simlib.engine import outcomes

    for got, want in zip(rows[1:], expected[1:]):  # results.csv: scenario, year, metric, mean, p05, p50, p95
        assert got[:2] == [int(want[1]), outcomes.get(want[2]).label("en")]
        # openpyxl writes 16 significant digits (Excel itself shows 15): equal to that precision
        mean, p05, p50, p95 = (float(x) for x in want[3:])
        assert got[3:] == pytest.approx([mean, p50, p05, p95], rel=1e-15, abs=1e-300)
    from openpyxl import load_workbook

    wb = load_workbook(out / "results.xlsx", read_only=True)
    assert wb.sheetnames == [
        "Read me",
        "Key figures",
        "Levers",
        "Yearly results",
        "League table",
        "Cost",
        "Cost and top 3",
        "Unit costs",
        "Assumptions",
    ]
    league_rows = list(wb["League table"].iter_rows(values_only=True))
    in_view = list(league_rows[0]).index("Unit in view")
    assert len(league_rows) == 35 and [r[in_view] for r in league_rows[1:]].count("yes") == 1
    wb.close()


@pytest.mark.notebook
@pytest.mark.browser
@pytest.mark.slow
def test_run_writes_a_one_page_pdf_with_the_headline_numbers(single_run):
    from pypdf import PdfReader

    from simlib.analysis import compare
    from simlib.engine.scenario import load_yaml
    from simlib.engine.simulate import run_many
    from simlib.reports import onepager

    proc, out = single_run
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["leader_files"]["onepager.pdf"] == "ok"
    reader = PdfReader(out / "onepager.pdf")
    assert len(reader.pages) == 1
    pdf_text = " ".join(reader.pages[0].extract_text().split())
    scenario = load_yaml(SCENARIOS / "all_levers.yaml").with_(draws=DRAWS, seed=11)
    result, base = run_many([scenario, compare.baseline_of(scenario)])
    for n in onepager.headline_numbers(result, base, "en"):
        assert n["label"] in pdf_text and f"{n['before']} → {n['after']}" in pdf_text


@pytest.mark.notebook
@pytest.mark.slow
def test_run_html_has_embedded_figures_and_no_code(single_run):
    _, out = single_run
    page = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r'<img[^>]+src="data:image/png;base64,', page)
    assert 'lang="en"' in page
    assert 'class="jp-InputArea' not in page and 'class="jp-CodeMirrorEditor' not in page
    source = json.loads((out / "report.ipynb").read_text(encoding="utf-8"))
    code_lines = {
        ln.strip()
        for c in source["cells"]
        if c["cell_type"] == "code"
        for ln in "".join(c["source"]).splitlines()
        if ln.startswith(("import ", "from "))
    }
    assert code_lines and not [ln for ln in code_lines if html.escape(ln, quote=False) in page]
    assert not re.search(r"<script[^>]*\ssrc=", page), "the page must not load scripts from the network"
    executed = json.loads((out / "report.ipynb").read_text(encoding="utf-8"))
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in executed["cells"])


@pytest.mark.notebook
@pytest.mark.slow
def test_run_results_equal_simlib_project(single_run, capsys):
    _, out = single_run
    assert (
        cli.main(
            ["project", str(SCENARIOS / "all_levers.yaml"), "--draws", str(DRAWS), "--seed", "11", "--format", "csv"]
        )
        == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    projected = list(csv.DictReader(lines))
    reported = read_csv(out / "results.csv")
    assert len(reported) == len(projected) > 0
    for r, p in zip(reported, projected):
        assert r["scenario"] == "all_levers" and (r["year"], r["metric"]) == (p["year"], p["metric"])
        for col in ("mean", "p05", "p50", "p95"):
            assert float(r[col]) == pytest.approx(float(p[col]), abs=6e-4), (r, p)


def test_run_with_an_invalid_scenario_exits_2_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("levers:\n  delegation: 2\ndraws: 3\n", encoding="utf-8")
    out = tmp_path / "report"
    assert cli.main(["run", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "levers.delegation" in err and "draws" in err
    assert list(tmp_path.iterdir()) == [bad]


def test_run_refuses_a_folder_of_other_files(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert cli.main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(out)]) == 2
    assert "--out" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


# ----------------------------------------------------------------------------- simlib batch


@pytest.fixture(scope="module")
def batch_run(notebooks, scenario_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "out"
    proc = run_simlib(["batch", scenario_dir, "--out", out, "--draws", DRAWS, "--workers", 2], cwd=ROOT)
    return proc, out


@pytest.mark.notebook
@pytest.mark.slow
def test_batch_finishes_the_good_scenarios_and_exits_1(batch_run):
    proc, out = batch_run
    assert proc.returncode == 1, proc.stderr
    for name in ("all_levers", "baseline"):
        m = json.loads((out / name / "manifest.json").read_text(encoding="utf-8"))
        assert m["status"] == "ok" and m["draws"] == DRAWS
        assert all((out / name / f).is_file() for f in render.REPORT_FILES)
    assert not (out / "broken").exists()
    progress = [ln for ln in proc.stderr.splitlines() if ln.startswith("[")]
    assert len(progress) == 3 and all(re.match(r"^\[[1-3]/3\] \S+ (ok \d+\.\d s|failed)", ln) for ln in progress)
    assert not leftovers(out)


@pytest.mark.notebook
@pytest.mark.slow
def test_batch_records_the_bad_scenario(batch_run):
    _, out = batch_run
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "failed" and m["counts"]["ok"] == 2 and m["counts"]["failed"] == 1
    bad = next(s for s in m["scenarios"] if s["name"] == "broken")
    assert bad["status"] == "failed" and bad["error"]["ename"] == "ScenarioError"
    assert "levers.simplification" in bad["error"]["evalue"] and "1.7" in bad["error"]["evalue"]
    rows = {r["scenario"]: r for r in read_csv(out / "summary.csv")}
    assert set(rows) == {"all_levers", "baseline", "broken"}
    assert rows["broken"]["status"] == "failed" and "levers.simplification" in rows["broken"]["error"]
    assert rows["all_levers"]["status"] == "ok" and rows["all_levers"]["error"] == ""
    assert float(rows["all_levers"]["p_par_top3"]) >= float(rows["baseline"]["p_par_top3"])
    for name in ("all_levers", "baseline"):  # the summary agrees with the report's own numbers
        year = rows[name]["target_year"]
        reported = {
            r["metric"]: r for r in read_csv(out / rows[name]["report_dir"] / "results.csv") if r["year"] == year
        }
        assert float(rows[name]["p_par_top3"]) == pytest.approx(float(reported["p_par_top3"]["mean"]))
        assert float(rows[name]["par_p50"]) == pytest.approx(float(reported["par_score"]["p50"]))


@pytest.mark.notebook
@pytest.mark.slow
def test_batch_index_links_every_report(batch_run):
    _, out = batch_run
    page = (out / "index.html").read_text(encoding="utf-8")
    for name in ("all_levers", "baseline"):
        assert f'href="{name}/report.html"' in page
    assert "broken" in page and "levers.simplification" in page


def test_batch_with_a_name_clash_exits_2_before_running(tmp_path, capsys):
    for stem in ("one", "two"):
        (tmp_path / f"{stem}.yaml").write_text("name: same\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["batch", str(tmp_path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "same" in err and "one.yaml" in err and "two.yaml" in err
    assert not out.exists()


def test_the_worker_pool_starts_while_the_scenarios_are_validated_and_stops_on_bad_input(tmp_path, monkeypatch, capsys):
    """With 2 workers and 2 scenario files the pool's workers are started before validation (their
    imports and kernels overlap it); when validation finds a problem they are stopped again and
    nothing is written. The workers are the pool's own processes (not multiprocessing's resource
    tracker, a child of this process too, which lives as long as it does); they are not waited for
    here (``os.waitpid``), or the pool would take them for alive for ever and this process would
    not exit."""
    import psutil

    from simlib.runs import executor

    started = []
    real_prestart = executor.PoolExecutor.prestart

    def prestart(self):
        real_prestart(self)
        deadline = time.monotonic() + 120  # a busy machine may take long to spawn them
        while len(self.pool._processes or {}) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        started.append([pid for pid in (self.pool._processes or {}) if psutil.pid_exists(pid)])

    monkeypatch.setattr(executor.PoolExecutor, "prestart", prestart)
    for stem in ("one", "two"):
        (tmp_path / f"{stem}.yaml").write_text("name: same\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["batch", str(tmp_path), "--out", str(out), "--workers", "2"]) == 2
    assert "same" in capsys.readouterr().err and not out.exists()
    assert len(started) == 1 and len(started[0]) == 2  # the workers ran before the name clash was found

    def running(pid: int) -> bool:  # looked at, never waited for: the pool reaps its own workers
        try:
            return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + 60
    while any(running(pid) for pid in started[0]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in started[0] if running(pid)], "every worker process stopped"


def test_batch_with_no_scenario_files_exits_2(tmp_path, capsys):
    assert cli.main(["batch", str(tmp_path), str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "no *.yaml" in err and "missing.yaml" in err


# ----------------------------------------------------------------------------- interruption and --resume


@pytest.mark.notebook
@pytest.mark.slow
def test_an_interrupted_batch_resumes_without_redoing_finished_work(standin_notebooks, tmp_path):
    sources = tmp_path / "scenarios"
    sources.mkdir()
    for name in ("all_levers", "delegation"):  # run in this order (sorted)
        (sources / f"{name}.yaml").write_text(
            (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    out = tmp_path / "out"
    args = [str(SIMLIB), "batch", str(sources), "--out", str(out), "--draws", str(DRAWS), "--workers", "1"]
    env = {"SIMLIB_NOTEBOOKS_DIR": str(standin_notebooks)}
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        env=simlib_env(**env),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        first = out / "all_levers" / "manifest.json"
        deadline = time.monotonic() + 180
        while not first.is_file() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first.is_file(), "the first report never completed"
        time.sleep(0.2)  # the second report is under way (its kernel takes longer than this to start)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert not (out / "delegation").exists(), "the second report must not appear half-written"
    assert not leftovers(out), "reports are rendered in a private folder and written whole: nothing half-written"
    started = json.loads(first.read_text(encoding="utf-8"))["started"]

    proc = run_simlib(["batch", sources, "--out", out, "--draws", DRAWS, "--workers", 1, "--resume"], cwd=ROOT, **env)
    assert proc.returncode == 0, proc.stderr
    assert "all_levers skipped" in proc.stderr
    assert json.loads(first.read_text(encoding="utf-8"))["started"] == started
    m = json.loads((out / "delegation" / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "ok"
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(s["name"], s["resumed"]) for s in record["scenarios"]] == [("all_levers", True), ("delegation", False)]
    assert not leftovers(out)
    assert 'href="delegation/report.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_resume_redoes_a_report_whose_inputs_changed(scenario_dir, notebooks):
    file = scenario_dir / "baseline.yaml"
    same = render.job_inputs(render.job_for(file, "", "vi", DRAWS, 1))
    hashes = {same["inputs_hash"]}
    for changed in (dict(lang="en"), dict(draws=DRAWS + 1), dict(seed=2)):
        inputs = render.job_inputs(render.job_for(file, "", **{"lang": "vi", "draws": DRAWS, "seed": 1, **changed}))
        hashes.add(inputs["inputs_hash"])
    assert render.job_inputs(render.job_for(file, "", "vi", DRAWS, 1))["inputs_hash"] == same["inputs_hash"]
    assert len(hashes) == 4


def test_resume_redoes_reports_made_by_other_model_code(scenario_dir, notebooks, monkeypatch):
    job = render.job_for(scenario_dir / "baseline.yaml", "", "vi", DRAWS, 1)
    before = render.job_inputs(job)
    assert before["simlib_code_sha256"] == provenance.code_sha256()
    monkeypatch.setattr(render, "code_sha256", lambda: "0" * 64)
    assert render.job_inputs(job)["inputs_hash"] != before["inputs_hash"]


def test_stale_temporaries_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".alpha.tmp-{dead.pid}-abcd"
    live = tmp_path / f".beta.tmp-{os.getpid()}-abcd"
    moved = tmp_path / f".gamma.old-{dead.pid}-abcd"
    for d in (stale, live, moved):
        d.mkdir()
    (moved / "manifest.json").write_text("{}", encoding="utf-8")
    atomic.clean_stale(tmp_path)
    assert not stale.exists() and live.exists()
    assert (tmp_path / "gamma" / "manifest.json").is_file()  # a report moved aside is put back


# ----------------------------------------------------------------------------- a failing notebook


@pytest.mark.notebook
@pytest.mark.slow
def test_a_failing_notebook_is_recorded_with_its_cell_and_error(failing_notebooks, scenario_dir, tmp_path):
    out = tmp_path / "out"
    proc = run_simlib(
        ["batch", scenario_dir / "baseline.yaml", "--out", out, "--draws", DRAWS],
        cwd=ROOT,
        SIMLIB_NOTEBOOKS_DIR=str(failing_notebooks),
    )
    assert proc.returncode == 1
    assert "baseline failed" in proc.stderr and f"cell {FAILING_CELL}" in proc.stderr
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    error = record["scenarios"][0]["error"]
    assert (error["cell_index"], error["ename"], error["evalue"]) == (FAILING_CELL, "ValueError", "stand-in failure")
    report = out / "baseline"
    m = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "failed" and m["error"]["cell_index"] == FAILING_CELL
    assert (report / "report.ipynb").is_file() and not (report / "results.csv").exists()
    row = read_csv(out / "summary.csv")[0]
    assert row["status"] == "failed" and f"cell {FAILING_CELL}: ValueError" in row["error"]
    assert 'href="baseline/report.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert not leftovers(out)


def test_kernel_start_up_failures_are_retried_and_cell_errors_are_not(monkeypatch, tmp_path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = tmp_path / "nb.ipynb"
    standin(notebook)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(kwargs["kernel_name"])
        if len(calls) < 3:
            raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    monkeypatch.setattr(batch.time, "sleep", lambda s: None)
    assert notebook_run.execute(notebook, tmp_path / "out.ipynb", {"draws": 10}, tmp_path) == 3
    assert calls == ["python3"] * 3

    calls.clear()

    def never_starts(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("ZMQ port in use")

    monkeypatch.setattr(papermill, "execute_notebook", never_starts)
    with pytest.raises(notebook_run.NotebookFailed) as failed:
        notebook_run.execute(notebook, tmp_path / "out.ipynb", {}, tmp_path)
    assert len(calls) == notebook_run.START_ATTEMPTS and failed.value.error["stage"] == "kernel"

    calls.clear()

    def cell_error(*args, **kwargs):
        calls.append(1)
        raise PapermillExecutionError(4, 3, "x = 1 / 0", "ZeroDivisionError", "division by zero", [])

    monkeypatch.setattr(papermill, "execute_notebook", cell_error)
    with pytest.raises(notebook_run.NotebookFailed) as failed:
        notebook_run.execute(notebook, tmp_path / "missing.ipynb", {}, tmp_path)
    assert len(calls) == 1 and failed.value.error["ename"] == "ZeroDivisionError"


def test_parameters_the_notebook_does_not_declare_are_refused(tmp_path):
    notebook = tmp_path / "nb.ipynb"
    standin(notebook)
    assert {
        "scenario_file",
        "draws",
        "seed",
        "lang",
        "results_csv",
        *levers.names(),
    } <= notebook_run.declared_parameters(notebook)
    with pytest.raises(notebook_run.NotebookFailed) as failed:
        notebook_run.execute(notebook, tmp_path / "out.ipynb", {"draw": 10}, tmp_path)
    assert failed.value.error["ename"] == "UnknownParameter" and "draw" in failed.value.error["evalue"]


def test_dir_names_are_portable():
    assert render.dir_name("all_levers") == "all_levers"
    assert render.dir_name("Đẩy mạnh ủy quyền 2027") == "Day-manh-uy-quyen-2027"
    assert render.dir_name("../x") == "x"


# ----------------------------------------------------------------------------- a killed batch leaves no orphans


@pytest.mark.notebook
@pytest.mark.slow
def test_workers_stop_when_the_batch_process_is_killed(standin_notebooks, tmp_path):
    """kill -9 of `simlib batch`: its workers, their kernels and the resource tracker end
    within seconds, and nothing more is written into the output folder."""
    import psutil

    sources = tmp_path / "scenarios"
    sources.mkdir()
    for i in range(6):
        (sources / f"s{i}.yaml").write_text(f"name: s{i}\ndraws: {DRAWS}\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [str(SIMLIB), "batch", str(sources), "--out", str(out), "--workers", "2"],
        cwd=ROOT,
        env=simlib_env(SIMLIB_NOTEBOOKS_DIR=str(standin_notebooks)),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    main = psutil.Process(proc.pid)
    try:
        deadline = time.monotonic() + 180
        while not (out / "s0" / "manifest.json").is_file() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (out / "s0" / "manifest.json").is_file(), "the first report never completed"
        family = main.children(recursive=True)

        def parent_of(p):  # a short-lived child may end between listing and asking
            try:
                return p.ppid()
            except psutil.NoSuchProcess:
                return None

        workers = [p for p in family if parent_of(p) == proc.pid]
        assert len(workers) >= 3, "two workers and the resource tracker should be running"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        gone, alive = psutil.wait_procs(family, timeout=10)

        def running(p):
            try:
                return p.status() != psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                return False

        assert not [p for p in alive if running(p)], (
            f"still running 10 s after the batch was killed: {[(p.pid, p.cmdline()[:3]) for p in alive]}"
        )
        before = listing(out)
        time.sleep(3)
        assert listing(out) == before, "nothing may be written after the batch process died"
        assert len([d for d in out.iterdir() if (d / "manifest.json").is_file()]) < 6
    finally:
        for p in [main, *main.children(recursive=True)] if main.is_running() else []:
            try:
                p.kill()
            except psutil.Error:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ----------------------------------------------------------------------------- a kernel started ahead


def _content(folder: Path) -> str:
    """report.html without papermill's random id of the injected-parameters cell."""
    page = (folder / "report.html").read_text(encoding="utf-8")
    return re.sub(r'id="cell-id=[0-9a-f-]+"', 'id="cell-id=X"', page)


def _cells(folder: Path) -> list:
    """Every code cell's execution count and outputs (figures, tables, text, stderr) of report.ipynb."""
    nb = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
    return [(c.get("execution_count"), c.get("outputs")) for c in nb["cells"] if c["cell_type"] == "code"]


ROUNDING_S = 0.003  # the steps and the duration of a manifest, each rounded to 1 ms


@pytest.mark.notebook
@pytest.mark.slow
def test_reports_in_a_kept_kernel_are_the_same_reports(notebooks, tmp_path):
    """A worker's kernel, warmed up once and reused report after report, changes nothing a reader
    sees: the same page, numbers, figures and execution counts as a report in a fresh kernel, also
    after another scenario ran in that kernel."""
    from simlib.runs import kernels

    job = lambda file, name: render.job_for(SCENARIOS / file, tmp_path / name, "vi", DRAWS, 5)
    try:
        kernels.warm_up()
        assert kernels.kept()
        first = kernels._kept
        warm = [render.run_report(job("all_levers.yaml", "warm1"), warm=True)]
        assert kernels._kept is first, "the kernel is kept for the next report"
        warm.append(render.run_report(job("delegation.yaml", "other"), warm=True))
        warm.append(render.run_report(job("all_levers.yaml", "warm2"), warm=True))
        assert kernels._kept is first and first.reports == 3
    finally:
        kernels.release()
    assert not kernels.kept()
    cold = render.run_report(job("all_levers.yaml", "cold"))
    assert [m["status"] for m in warm] == ["ok"] * 3 and cold["status"] == "ok"
    for m in warm + [cold]:  # where each report's time went, one step after the other
        assert set(m["steps_s"]) == {"notebook", "html", "xlsx", "onepager"}
        # each time is rounded to the millisecond in the manifest: a sum may pass its total by that much
        assert sum(m["steps_s"].values()) <= m["duration_s"] + ROUNDING_S
    for name in ("warm1", "warm2"):
        assert _content(tmp_path / name) == _content(tmp_path / "cold")
        assert (tmp_path / name / "results.csv").read_bytes() == (tmp_path / "cold" / "results.csv").read_bytes()
        assert _cells(tmp_path / name) == _cells(tmp_path / "cold")
    assert _content(tmp_path / "other") != _content(tmp_path / "cold")


@pytest.mark.notebook
@pytest.mark.slow
def test_a_page_that_cannot_be_exported_fails_the_report_in_a_kept_kernel_too(notebooks, tmp_path, monkeypatch):
    """An export of the page that fails fails the report (stage html, the error named, no results or
    leaders' files) and the next report in that kernel is whole."""
    from simlib.runs import kernels

    def broken(*args, **kwargs):
        raise ValueError("probe: no page")

    job = lambda name: render.job_for(SCENARIOS / "all_levers.yaml", tmp_path / name, "en", DRAWS, 5)
    try:
        kernels.warm_up()
        with monkeypatch.context() as patch:
            patch.setattr(render, "to_html", broken)
            failed = render.run_report(job("broken"), warm=True)
        good = render.run_report(job("good"), warm=True)
    finally:
        kernels.release()
    assert failed["status"] == "failed" and failed["error"]["stage"] == "html"
    assert failed["error"]["ename"] == "ValueError" and "no page" in failed["error"]["evalue"]
    assert not {"results.csv", "report.html", *render.LEADER_FILES} & set(failed["files"])
    assert good["status"] == "ok" and {"report.html", *render.LEADER_FILES} <= set(good["files"])


@pytest.mark.notebook
@pytest.mark.slow
def test_the_one_pager_takes_the_waterfall_the_report_drew(notebooks, tmp_path):
    """The one-pager's figure is the report notebook's waterfall, byte for byte what it would draw."""
    from simlib.analysis import decompose
    from simlib.reports import onepager, text, waterfall
    from simlib.runs import leaders

    job = render.job_for(SCENARIOS / "all_levers.yaml", tmp_path / "r", "en", DRAWS, 5)
    assert render.run_report(job)["leader_files"] == {"results.xlsx": "ok", "onepager.pdf": "ok"}
    figure = waterfall.figure(decompose.decompose(job.scenario), "en")
    png = leaders.shown_png(tmp_path / "r" / "report.ipynb", text.describe_figure(figure))
    assert png is not None and png == onepager._png(figure)
    assert f"base64,{png}" in (tmp_path / "r" / "onepager.html").read_text(encoding="utf-8")
    assert leaders.shown_png(tmp_path / "r" / "report.ipynb", "no such figure") is None


def _probe_notebook(path: Path, code: str) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(
        cells=[new_code_cell("x = None", metadata={"tags": ["parameters"]}), new_code_cell(code)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, str(path))
    return path


@pytest.mark.notebook
@pytest.mark.slow
def test_a_kept_kernel_forgets_the_last_notebook_and_a_failed_one_is_replaced(tmp_path):
    """Between notebooks the kept kernel is reset (names, execution count, figures, settings, warnings
    already shown); after a notebook that fails, the next one gets a new kernel."""
    from simlib.runs import kernels

    leave = _probe_notebook(
        tmp_path / "leave.ipynb",
        (
            "import warnings, matplotlib, matplotlib.pyplot as plt\nleft_behind = 1\nplt.figure()\n"
            "matplotlib.rcParams['lines.linewidth'] = 9\nwarnings.warn('shown every time', UserWarning)"
        ),
    )
    check = _probe_notebook(
        tmp_path / "check.ipynb",
        (
            "import matplotlib, matplotlib.pyplot as plt\nassert 'left_behind' not in dir(), 'a name was kept'\n"
            "assert not plt.get_fignums(), 'a figure was kept'\n"
            "assert matplotlib.rcParams['lines.linewidth'] != 9, 'a setting was kept'\n"
        ),
    )
    fail = _probe_notebook(tmp_path / "fail.ipynb", "raise ValueError('probe')")
    out = lambda name: tmp_path / f"{name}.out.ipynb"
    try:
        kernels.warm_up()
        first = kernels._kept
        for name, notebook in (("leave1", leave), ("check", check), ("leave2", leave)):
            notebook_run.execute(notebook, out(name), {}, tmp_path, warm=True)
            assert kernels._kept is first
        cells = {n: json.loads(out(n).read_text())["cells"] for n in ("leave1", "check", "leave2")}
        assert [c["execution_count"] for c in cells["check"]] == [1, 2]
        assert cells["leave1"][1]["outputs"] == cells["leave2"][1]["outputs"]  # the warning shown again
        assert "shown every time" in json.dumps(cells["leave2"][1]["outputs"])
        with pytest.raises(notebook_run.NotebookFailed):
            notebook_run.execute(fail, out("fail"), {}, tmp_path, warm=True)
        assert kernels.kept() and kernels._kept is not first and not first.km.is_alive()
        notebook_run.execute(check, out("check2"), {}, tmp_path, warm=True)
    finally:
        kernels.release()


@pytest.mark.notebook
@pytest.mark.slow
def test_a_kept_kernel_collects_a_reports_garbage_but_not_its_warm_up(tmp_path):
    """The kept kernel's warm-up (modules, data) is left out of the garbage collector's passes, while
    what a report leaves behind, even in reference cycles, is still collected."""
    from simlib.runs import kernels

    leave = _probe_notebook(
        tmp_path / "leave.ipynb",
        (
            "import sys, weakref\nclass Node:\n    pass\nnode = Node()\nnode.me = node\n"
            "sys.simlib_probe = weakref.ref(node)"
        ),
    )
    check = _probe_notebook(
        tmp_path / "check.ipynb",
        (
            "import gc, sys\ngc.collect()\nassert sys.simlib_probe() is None, 'a report left its garbage for good'\n"
            "assert gc.get_freeze_count() > 1000, 'the warm-up is walked by every collection'"
        ),
    )
    out = lambda name: tmp_path / f"{name}.out.ipynb"
    try:
        kernels.warm_up()
        first = kernels._kept
        for name, notebook in (("leave", leave), ("check", check)):
            notebook_run.execute(notebook, out(name), {}, tmp_path, warm=True)
            assert kernels._kept is first
    finally:
        kernels.release()


@pytest.mark.notebook
@pytest.mark.slow
def test_a_report_in_the_kept_kernel_talks_to_it_on_the_kept_connection(tmp_path, monkeypatch):
    """A report in the kept kernel uses the connection the kernel was kept with (already checked by
    ``take``), not a new one per report; its output and execution counts are those of a notebook
    run in a kernel of its own."""
    from jupyter_client.manager import KernelManager

    from simlib.runs import kernels

    probe = _probe_notebook(tmp_path / "probe.ipynb", "import os\nprint('in', os.path.basename(os.getcwd()))\n1 + 1")
    opened = []
    real_client = KernelManager.client
    monkeypatch.setattr(KernelManager, "client", lambda self, **kw: opened.append(1) or real_client(self, **kw))
    out = lambda name: tmp_path / f"{name}.out.ipynb"
    try:
        kernels.warm_up()
        first = kernels._kept
        before = len(opened)
        for name in ("one", "two", "three"):
            notebook_run.execute(probe, out(name), {"x": 1}, tmp_path, warm=True)
            assert kernels._kept is first and first.kc.channels_running
        assert len(opened) == before, "a report opened its own connection to the kept kernel"
    finally:
        kernels.release()
    notebook_run.execute(probe, out("fresh"), {"x": 1}, tmp_path)
    cells = {
        n: [
            (c.get("execution_count"), c.get("outputs"))
            for c in json.loads(out(n).read_text())["cells"]
            if c["cell_type"] == "code"
        ]
        for n in ("one", "three", "fresh")
    }
    assert cells["one"] == cells["three"] == cells["fresh"]
    assert "in " + tmp_path.name in json.dumps(cells["three"])


def test_two_scenarios_of_one_name_in_a_deep_folder_are_named_short(tmp_path: Path):
    """Two files with one scenario name: the error names the other file, its long path cut short."""
    from simlib.engine.errors import MAX_VALUE_CHARS, InputError

    deep = tmp_path / ("d" * 150) / ("e" * 150)
    deep.mkdir(parents=True)
    for stem in ("a", "b"):
        (deep / f"{stem}.yaml").write_text("name: same\ndraws: 50\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        batch.plan([str(deep)], tmp_path / "out", "vi", 50, 1)
    line = next(s for s in str(caught.value).splitlines() if "names become report folders" in s)
    assert "'same'" in line and "…" in line
    assert len(line) < 3 * MAX_VALUE_CHARS + 200


@pytest.mark.notebook
@pytest.mark.slow
def test_waiting_for_the_kept_kernels_warm_up(tmp_path):
    """``kernels.wait_warm`` (what a worker started with the Dask preload does before it joins)
    returns once the kept kernel has run its warm-up: the engine and the report's libraries are
    imported there; with no kept kernel it says so at once."""
    from simlib.runs import kernels

    kernels.release()
    assert kernels.wait_warm(timeout=1) is False
    probe = _probe_notebook(
        tmp_path / "probe.ipynb",
        ("import sys\nassert {'simlib.engine.data', 'matplotlib', 'pandas'} <= set(sys.modules), 'not warm'"),
    )
    try:
        kernels.warm_up(browser=False)
        assert kernels.wait_warm() is True and kernels._kept.warmed
        kept = kernels._kept
        notebook_run.execute(probe, tmp_path / "probe.out.ipynb", {}, tmp_path, warm=True)
        assert kernels._kept is kept  # the warmed kernel ran it, and is kept for the next report
    finally:
        kernels.release()
