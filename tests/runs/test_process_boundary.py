"""One contract across the process boundary: a scenario file is read once per report, the report's
kernel is given the validated scenario as data, kernels are sent only calls by name, and the
leaders' files are written by the report's kernel alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import SCENARIOS, standin

from simlib.engine import scenariofile
from simlib.runs import batch, kernel_state, kernels, leaders, render

DRAWS = 200


@pytest.fixture
def yaml_reads(monkeypatch) -> list[str]:
    """Every scenario file read (``scenariofile.parse_yaml``: the one place YAML text becomes a value), in
    order; the file is deleted once read, so a second reading anywhere (another process, a kernel)
    cannot succeed either."""
    read: list[str] = []
    real = scenariofile.parse_yaml

    def parse_once(text: str, where: str):
        read.append(where)
        value = real(text, where)
        Path(where).unlink()
        return value

    monkeypatch.setattr(scenariofile, "parse_yaml", parse_once)
    return read


def _copy(names: list[str], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes((SCENARIOS / name).read_bytes())
    return [folder / name for name in names]


def _injected(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "".join(
        "".join(c["source"]) for c in cells if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    )


# ----------------------------------------------------------------------------- calls by name


def test_a_kernel_is_sent_a_call_by_name_with_json_arguments(monkeypatch):
    """The line a kernel runs calls the kernel_state function by its name, with the arguments exactly
    as given (quotes, backslashes, Vietnamese), and leaves no name in the kernel's namespace."""
    calls = []

    def ready(cwd: str) -> None:
        calls.append(cwd)

    monkeypatch.setattr(kernel_state, "ready", ready)
    folder = "C:\\báo cáo\\'x' \"y\"\n"
    namespace: dict = {}
    exec(kernels.call_code(kernel_state.ready, cwd=folder), namespace)  # what the kernel does with it
    assert calls == [folder]
    assert set(namespace) == {"__builtins__"}
    assert kernels.call_code(kernel_state.reset) == "__import__('simlib.runs.kernel_state', fromlist=['_']).reset()"


def test_only_functions_of_kernel_state_can_be_sent():
    for function in (print, leaders.leader_files, render.publish):
        with pytest.raises(ValueError, match="not a function of simlib.runs.kernel_state"):
            kernels.call_code(function)
    with pytest.raises(ValueError):  # arguments are JSON: a value JSON cannot carry exactly is refused
        kernels.call_code(kernel_state.ready, cwd=float("nan"))


# ----------------------------------------------------------------------------- read once


def test_a_batch_reads_each_scenario_file_once_whatever_the_units(tmp_path, yaml_reads):
    """`simlib batch --all-units` validates each file once, then sets each unit as the focal unit."""
    files = _copy(["baseline.yaml", "delegation.yaml"], tmp_path / "scenarios")
    units = ["ha-noi", "hue", "da-nang"]
    items = batch.plan([str(tmp_path / "scenarios")], tmp_path / "out", "vi", DRAWS, 3, units=units)
    assert sorted(yaml_reads) == sorted(str(f) for f in files)
    assert [(i.unit, i.scenario.focal, i.scenario.draws, i.scenario.seed) for i in items] == [
        (u, u, DRAWS, 3) for _ in files for u in units
    ]
    assert {i.inputs["scenario_file"] for i in items} == {str(f.resolve()) for f in files}


@pytest.mark.notebook
@pytest.mark.slow
def test_simlib_run_reads_the_scenario_file_once_and_its_kernel_writes_the_leaders_files(
    tmp_path, yaml_reads, simlib_cli, monkeypatch
):
    """The file is read once (and is gone after): the report's kernel gets the scenario as data, and
    the one-pager and workbook are written by that kernel (never by this process)."""

    def not_here(*args, **kwargs):
        raise AssertionError("the leaders' files are written by the report's kernel")

    monkeypatch.setattr(leaders, "leader_files", not_here)
    standin(tmp_path / "notebooks" / render.REPORT_NOTEBOOK)  # what crosses the boundary, whatever the notebook
    (file,) = _copy(["all_levers.yaml"], tmp_path)
    proc = simlib_cli(
        ["run", file.name, "--out", "report", "--draws", DRAWS, "--seed", 5],
        tmp_path,
        SIMLIB_NOTEBOOKS_DIR=str(tmp_path / "notebooks"),
    )
    assert proc.returncode == 0, proc.stderr
    assert yaml_reads == [file.name] and not file.exists()
    manifest = json.loads((tmp_path / "report" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok" and manifest["scenario_file"] == str(file.resolve())
    assert manifest["leader_files"] == {"results.xlsx": "ok", "onepager.pdf": "ok"}
    assert {"onepager.pdf", "results.xlsx"} <= set(manifest["files"])
    injected = _injected(tmp_path / "report" / "report.ipynb")
    assert "scenario_data = {" in injected and "scenario_file" not in injected
    assert manifest["scenario"]["draws"] == DRAWS and manifest["scenario"]["seed"] == 5


@pytest.mark.notebook
@pytest.mark.slow
def test_a_batch_reads_each_file_once_and_sends_its_workers_the_scenario(tmp_path, yaml_reads, monkeypatch):
    """Each report of a batch: its file read once by the batch process; the task and the kernel are
    given the validated scenario (the files are gone before any report runs)."""
    notebooks = tmp_path / "notebooks"
    standin(notebooks / render.REPORT_NOTEBOOK)
    monkeypatch.setenv("SIMLIB_NOTEBOOKS_DIR", str(notebooks))
    files = _copy(["baseline.yaml", "delegation.yaml"], tmp_path / "scenarios")
    try:
        manifest = batch.run_batch([str(tmp_path / "scenarios")], tmp_path / "out", workers=1, draws=DRAWS)
    finally:
        kernels.release()
    assert sorted(yaml_reads) == sorted(str(f) for f in files)
    assert manifest["counts"]["ok"] == 2, manifest
    for name in ("baseline", "delegation"):
        report = json.loads((tmp_path / "out" / name / "manifest.json").read_text(encoding="utf-8"))
        assert report["leader_files"] == {"results.xlsx": "ok", "onepager.pdf": "ok"}
        assert "scenario_file" not in _injected(tmp_path / "out" / name / "report.ipynb")


@pytest.mark.notebook
@pytest.mark.slow
def test_leaders_files_the_kernel_did_not_write_are_recorded_as_failed(tmp_path, monkeypatch):
    """A kernel that stops before writing them: the report stands, and its manifest says why the
    one-pager and workbook are missing (nothing writes them in their place)."""
    notebooks = tmp_path / "notebooks"
    standin(notebooks / render.REPORT_NOTEBOOK)
    monkeypatch.setenv("SIMLIB_NOTEBOOKS_DIR", str(notebooks))
    monkeypatch.setattr(kernels, "call", lambda km, function, timeout, **arguments: "DeadKernelError: gone")
    job = render.job_for(SCENARIOS / "baseline.yaml", tmp_path / "report", "en", DRAWS, 1)
    manifest = render.run_report(job)
    assert manifest["status"] == "ok"
    assert manifest["leader_files"] == {
        "results.xlsx": "failed: the report's kernel did not write it",
        "onepager.pdf": "failed: the report's kernel did not write it",
    }
    assert not {"onepager.pdf", "results.xlsx"} & set(manifest["files"])
