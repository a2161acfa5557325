"""Reports rendered on a worker (any executor's) and written here; the batch's comparison notebook.

A worker renders in a private folder and sends the files back (``remote_report``); only the
batch process writes into the output folder (``write_report``, through ``render.publish``), so
workers need no shared storage and a worker that dies half-way leaves nothing in it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..engine import atomic
from ..engine.errors import ScenarioError
from .html_export import to_html
from .notebook_run import NotebookFailed, declared_parameters, execute
from .render import (
    ReportJob,
    comparison_notebook,
    failure_record,
    job_inputs,
    publish,
    render_into,
    report_notebook,
    run_report,
)

WORKER_DIR_PREFIX = "simlib-report-"
# Set by Dask's nanny for its worker process (``distributed.nanny.pre-spawn-environ``: return freed
# memory to the system at once). Inherited by the kernels and browsers a worker starts, it makes every
# large NumPy array of a report a fresh ``mmap`` (engine runs measured 20–35% slower); not theirs.
WORKER_PROCESS_ONLY_ENV = ("MALLOC_TRIM_THRESHOLD_",)


def report_environment() -> None:
    """Before this worker starts a kernel: the environment a report has on any executor (without
    the variables a Dask nanny sets for the worker process itself, ``WORKER_PROCESS_ONLY_ENV``)."""
    for name in WORKER_PROCESS_ONLY_ENV:
        os.environ.pop(name, None)


def task_spec(job: ReportJob, expected_inputs_hash: str) -> dict:
    """What a worker needs to render ``job`` without this machine's files: the scenario's and the
    notebook's text (the worker has its own package and data; their hashes must match)."""
    notebook = Path(job.notebook) if job.notebook else report_notebook()
    return {
        "job": dict(job.__dict__),
        "scenario_name": Path(job.scenario_file).name,
        "scenario_yaml": Path(job.scenario_file).read_bytes(),
        "notebook_name": notebook.name,
        "notebook_ipynb": notebook.read_bytes() if notebook.is_file() else None,
        "inputs_hash": expected_inputs_hash,
    }


def remote_report(spec: dict) -> dict:
    """Render one report in a private folder of this worker; return its manifest and files.

    Runs on any executor's worker, in the worker's kept kernel (``kernels``). The worker writes
    nothing into the batch's output folder: the batch process writes the returned files
    (``write_report``). A worker whose data or simlib code differ from the batch process's gives
    a failed report saying so.
    """
    import socket
    import tempfile

    report_environment()
    base = Path(tempfile.gettempdir())
    for stale in base.glob(WORKER_DIR_PREFIX + "*"):  # left by workers that were killed
        pid = stale.name[len(WORKER_DIR_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not atomic.alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f"{WORKER_DIR_PREFIX}{os.getpid()}-"))
    try:
        scenario_file = work / "in" / spec["scenario_name"]
        scenario_file.parent.mkdir()
        scenario_file.write_bytes(spec["scenario_yaml"])
        notebook = work / "in" / spec["notebook_name"]
        if spec["notebook_ipynb"] is not None:
            notebook.write_bytes(spec["notebook_ipynb"])
        report = work / "report"
        job = ReportJob(
            **{**spec["job"], "scenario_file": str(scenario_file), "out_dir": str(report), "notebook": str(notebook)}
        )
        try:
            scenario, inputs = job_inputs(job)
        except ScenarioError as exc:
            return {"manifest": {"status": "failed", "error": failure_record(exc)}, "files": None}
        report.mkdir()
        manifest = render_into(report, job, scenario, inputs, warm=True)
        manifest["worker"] = f"{socket.gethostname()}:{os.getpid()}"
        if manifest.get("inputs_hash") != spec["inputs_hash"]:
            manifest.update(
                status="failed",
                error={
                    "stage": "worker",
                    "cell_index": None,
                    "execution_count": None,
                    "ename": "WorkerMismatch",
                    "evalue": "this worker's data files or simlib code differ from the batch's (inputs hash "
                    f"{str(manifest.get('inputs_hash'))[:12]} ≠ {str(spec['inputs_hash'])[:12]}): "
                    "install the same simlib and data on every worker",
                },
            )
        files = {p.relative_to(report).as_posix(): p.read_bytes() for p in sorted(report.rglob("*")) if p.is_file()}
        return {"manifest": manifest, "files": files}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_report(target: Path, result: dict, job: ReportJob) -> dict:
    """Write a report returned by ``remote_report`` into ``target`` at once (temporary folder, then
    ``render.publish``); the manifest names this machine's scenario file and notebook."""
    manifest = dict(result["manifest"])
    files = result.get("files")
    if not files:
        return manifest
    manifest["scenario_file"] = str(job.scenario_file)
    manifest["notebook"] = str(job.notebook or report_notebook())
    target = Path(target)
    atomic.clean_stale(target.parent, target.name)
    tmp = atomic.temp_dir(target)
    try:
        for name, data in files.items():
            if name == "manifest.json":
                continue
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                path.write_bytes(data)
            except OSError as exc:
                raise atomic.named(exc, target / name) from None
        return publish(tmp, target, manifest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def report_task(job: ReportJob) -> dict:
    try:
        return run_report(job)
    except ScenarioError as exc:  # the file changed since validation
        return {"status": "failed", "error": failure_record(exc)}


def comparison_task(out: str, lang: str, grid_csv: str = "", warm: bool = False) -> dict:
    """Execute the comparison notebook on a batch directory; returns {status, error, html}.

    ``grid_csv``: a ``simlib grid`` output for the notebook's heat map ('' = its own small grid).
    ``warm``: in this process's kept kernel if it has one (a worker's, or the batch process's after
    its reports).
    """
    from . import kernels

    notebook = comparison_notebook()
    if not notebook.is_file():
        return {"status": "missing", "error": None, "html": None}
    from ..reports import i18n

    out_dir = Path(out)
    params = {"batch_dir": str(out_dir.resolve())}
    declared = declared_parameters(notebook)
    if "lang" in declared:
        params["lang"] = lang
    if grid_csv and "grid_csv" in declared:
        params["grid_csv"] = str(Path(grid_csv).resolve())
    output = out_dir / "comparison.ipynb"
    tmp = atomic.temp_name(output, suffix=".ipynb")  # papermill wants .ipynb
    try:
        status, error = "ok", None
        try:
            execute(notebook, tmp, params, out_dir, warm=warm and kernels.kept())
        except NotebookFailed as exc:
            status, error = "failed", exc.error
        page = None
        if tmp.is_file():
            os.replace(tmp, output)
            if status == "ok":
                page = to_html(output, i18n.say("h_batch_title", lang), lang)
        return {"status": status, "error": error, "html": page}
    finally:
        tmp.unlink(missing_ok=True)
