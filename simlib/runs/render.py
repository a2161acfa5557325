"""One rendered scenario report: a notebook run (papermill) → a report directory.

The steps live beside this module: ``notebook_run`` runs the notebook (in this process's kept
kernel, ``kernels``), ``html_export`` makes the page, ``leaders`` the one-pager and workbook
(written by the report's kernel), ``remote`` carries a report to and from a worker. Here: what a
report is (``ReportJob``), its inputs, and the one step that ends every report, ``publish``
(manifest written, folder swapped into place).

One contract across the process boundary: a scenario file is read and validated once, when its
job is made (``job_for``); the job carries the validated ``Scenario`` to the worker, and the
report's kernel is given it as plain data (the notebook's ``scenario_data`` parameter,
``Scenario.to_dict()``), so no file is read again.

A report directory holds
  report.ipynb    the executed notebook (kept for diagnosis)
  report.html     the same without code: figures embedded as PNG, no external script, so it
                  opens offline in any browser
  results.csv     the tidy summary the notebook wrote (scenario,year,metric,mean,p05,p50,p95)
  manifest.json   what was run and how it went: scenario, draws, seed, language, package
                  versions, data and notebook hashes, start/end time, status ok|failed, error

Atomic writes: a report is built in a hidden sibling ``.NAME.tmp-PID-XXXX`` and renamed into
place at the end, so an interrupted run never leaves a half-written report (only that
temporary directory, removed by the next run once its process is gone). A report whose
notebook fails is still moved into place, with status ``failed``, the error (cell index in
the source notebook, execution count, error name and message) in its manifest and the
executed notebook and its HTML for diagnosis; results.csv is left out so that partial numbers
are never taken for a finished report.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import atomic, outfolder
from ..engine.errors import ScenarioError
from ..engine.paths import notebooks_dir
from ..reports.provenance import code_sha256, file_sha256, package_versions
from . import kernel_state
from .html_export import to_html
from .leaders import FILES, kernel_record
from .notebook_run import NotebookFailed, execute

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

REPORT_NOTEBOOK = "scenario_report.ipynb"
COMPARISON_NOTEBOOK = "batch_comparison.ipynb"
REPORT_FILES = ("report.ipynb", "report.html", "results.csv", "manifest.json")
LEADER_FILES = ("onepager.html", "onepager.pdf", "results.xlsx")  # beside them when the report is done
MANIFEST_FORMAT = 1


# ----------------------------------------------------------------------------- small helpers


def report_notebook() -> Path:
    return notebooks_dir() / REPORT_NOTEBOOK


def comparison_notebook() -> Path:
    return notebooks_dir() / COMPARISON_NOTEBOOK


def now_iso() -> str:
    """Local time with its UTC offset, to the millisecond."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def inputs_hash(
    scenario: dict, draws: int, seed: int, lang: str, data_hashes: dict, notebook_hash: str, code_hash: str = ""
) -> str:
    """Everything a report's numbers and words depend on, as one sha256 (used by ``--resume``):
    the scenario, draws, seed, language, data files, notebook and simlib's code."""
    blob = json.dumps(
        {
            "scenario": scenario,
            "draws": int(draws),
            "seed": int(seed),
            "lang": lang,
            "data": data_hashes,
            "notebook": notebook_hash,
            "code": code_hash,
        },
        sort_keys=True,
        ensure_ascii=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def dir_name(name: str) -> str:
    """A scenario name as a portable directory name (diacritics dropped, other signs → ``-``)."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-.")
    return slug or "scenario"


def read_manifest(directory: Path) -> dict | None:
    try:
        return json.loads((Path(directory) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# ----------------------------------------------------------------------------- one report


@dataclass(frozen=True)
class ReportJob:
    """One report to render: its validated scenario and plain values, so it can be sent to a worker
    process. Made by ``job_for`` (the one reading of the scenario file), or from a ``Scenario``."""

    scenario: Scenario  # validated, with the command line's draws, seed and focal unit applied
    out_dir: str  # the report directory
    lang: str = "vi"
    notebook: str = ""  # '' = the project's scenario report notebook
    scenario_file: str = ""  # the file it was read from (absolute; the manifest names it), '' if none


def check_data() -> None:
    """The data a report reads beyond the model's (the stored evaluation summary), checked before any
    report runs: a DataError naming file, row and column, not a failed cell in every report."""
    from ..analysis import summary_file

    summary_file.stored_summary()


def job_for(
    scenario_file: str | Path,
    out_dir: str | Path,
    lang: str = "vi",
    draws: int | None = None,
    seed: int | None = None,
    focal: str | None = None,
    notebook: str = "",
) -> ReportJob:
    """The job of rendering ``scenario_file`` into ``out_dir``: the file read and validated here, once,
    with ``draws`` / ``seed`` / ``focal`` replaced where given; ScenarioError lists every problem."""
    from ..engine.scenario import load_scenario

    scenario = load_scenario(scenario_file, draws, seed, focal)
    return ReportJob(scenario, str(out_dir), lang, notebook, str(Path(scenario_file).resolve()))


def job_inputs(job: ReportJob) -> dict:
    """The manifest's input part of a job (what its report's numbers and words depend on)."""
    from ..engine import data

    scenario = job.scenario
    notebook = Path(job.notebook) if job.notebook else report_notebook()
    data_hashes = dict(data.load().file_hashes)
    nb_hash = file_sha256(notebook) if notebook.is_file() else ""
    sd = scenario.to_dict()
    return {
        "name": scenario.name,
        "scenario_file": job.scenario_file,
        "scenario": sd,
        "draws": int(scenario.draws),
        "seed": int(scenario.seed),
        "lang": job.lang,
        "notebook": str(notebook),
        "notebook_sha256": nb_hash,
        "data_file_hashes": data_hashes,
        "simlib_code_sha256": code_sha256(),
        "inputs_hash": inputs_hash(sd, scenario.draws, scenario.seed, job.lang, data_hashes, nb_hash, code_sha256()),
    }


def run_report(job: ReportJob, warm: bool = False) -> dict:
    """Render one report into ``job.out_dir`` (atomically); return its manifest.

    ``warm``: in this process's kept kernel (``kernels``), else in a kernel started for this report
    alone. A notebook that fails is not an exception here: the manifest says ``status: failed`` and why.
    """
    inputs = job_inputs(job)
    target = Path(job.out_dir).resolve()
    atomic.clean_stale(target.parent, target.name)
    tmp = atomic.temp_dir(target)
    try:
        return publish(tmp, target, render_into(tmp, job, inputs, warm))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


REHEARSAL_DRAWS = 200  # draws of the report a warming worker renders for itself and throws away


def rehearse(lang: str = "vi") -> str:
    """Render one small report (the default scenario, ``REHEARSAL_DRAWS`` draws) in this process's
    kept kernel, into a temporary folder that is then removed; return its status ("ok" or
    "failed"). What a report does only the first time in a process or kernel (the notebook's
    first figures and computations, the HTML exporter's templates, the workbook's and one-pager's
    first pages: ~1.2 s on a 2-core machine) is then done before a batch's first report."""
    import tempfile

    from ..engine.scenario import Scenario

    with tempfile.TemporaryDirectory(prefix="simlib-rehearsal-") as tmp:
        scenario = Scenario.from_dict({"name": "rehearsal", "draws": REHEARSAL_DRAWS})
        return str(run_report(ReportJob(scenario, str(Path(tmp) / "report"), lang), warm=True).get("status"))


def render_into(folder: Path, job: ReportJob, inputs: dict, warm: bool = False) -> dict:
    """Render the report of ``job`` into the empty ``folder``; return its manifest (without the
    ``files`` and ``kept`` lists, which ``publish`` adds). ``warm``: in this process's kept kernel."""
    from ..reports import i18n

    scenario = job.scenario
    notebook = Path(inputs["notebook"])
    started, t0 = now_iso(), time.perf_counter()
    manifest = {
        "kind": "simlib-report",
        "format": MANIFEST_FORMAT,
        **inputs,
        "packages": package_versions(),
        "started": started,
    }
    status, error, attempts = "ok", None, 0
    steps: dict[str, float] = {}  # seconds per step, in the manifest (where a report's time goes)
    results = folder / "results.csv"
    # the scenario as plain data (draws, seed and focal unit in it): the kernel reads no file
    params = {"scenario_data": scenario.to_dict(), "lang": str(job.lang), "results_csv": str(results)}
    if not notebook.is_file():
        status, error = (
            "failed",
            {
                "stage": "notebook",
                "cell_index": None,
                "execution_count": None,
                "ename": "FileNotFoundError",
                "evalue": f"no notebook at {notebook}",
            },
        )
    else:
        t = time.perf_counter()
        try:
            attempts = execute(
                notebook,
                folder / "report.ipynb",
                params,
                folder,
                warm=warm,
                then=(
                    kernel_state.write_leader_files,
                    {"scenario": scenario.to_dict(), "lang": str(job.lang), "folder": str(folder)},
                ),
            )
        except NotebookFailed as exc:
            status, error = "failed", exc.error
            attempts = exc.error.get("attempts", 1)
        except OSError as exc:  # the executed notebook could not be written (a full disk): name it
            raise atomic.named(exc, folder / "report.ipynb") from None
        steps["notebook"] = time.perf_counter() - t
    if status == "ok" and not results.is_file():
        status, error = (
            "failed",
            {
                "stage": "notebook",
                "cell_index": None,
                "execution_count": None,
                "ename": "MissingResults",
                "evalue": "the notebook did not write results_csv",
            },
        )
    if (folder / "report.ipynb").is_file():
        t = time.perf_counter()
        try:
            title = f"{i18n.say('report_title', job.lang)}: {scenario.heading(job.lang)}"
            page = to_html(folder / "report.ipynb", title, job.lang)
            try:
                (folder / "report.html").write_text(page, encoding="utf-8")
            except OSError as exc:  # a full disk stops the report, naming the file
                raise atomic.named(exc, folder / "report.html") from None
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - any export failure is recorded, not raised
            if status == "ok":
                status, error = (
                    "failed",
                    {
                        "stage": "html",
                        "cell_index": None,
                        "execution_count": None,
                        "ename": type(exc).__name__,
                        "evalue": str(exc)[:2000],
                    },
                )
        steps["html"] = time.perf_counter() - t
    from_kernel = kernel_record(folder)  # written by the report's kernel, which had the numbers already
    if status == "ok" and from_kernel is not None:
        manifest["leader_files"] = from_kernel["files"]
        kernel_steps = from_kernel.get("steps") or {}
        steps["notebook"] = steps.get("notebook", 0.0) - sum(kernel_steps.values())  # they ran in its clock
        steps.update(kernel_steps)
    elif status == "ok":  # the kernel stopped or did not answer after the notebook: the report stands
        manifest["leader_files"] = {name: "failed: the report's kernel did not write it" for name in FILES}
    if status != "ok":
        results.unlink(missing_ok=True)
        for name in LEADER_FILES:  # only a finished report has them
            (folder / name).unlink(missing_ok=True)
    for stray in folder.glob(".*.tmp"):  # temporary files of an interrupted results_csv write
        stray.unlink(missing_ok=True)
    manifest.update(
        {
            "ended": now_iso(),
            "duration_s": round(time.perf_counter() - t0, 3),
            "steps_s": {k: round(v, 3) for k, v in steps.items()},
            "attempts": attempts,
            "status": status,
            "error": error,
        }
    )
    return manifest


def publish(tmp: Path, target: Path, manifest: dict) -> dict:
    """The last step of every report, here or from a worker: the files simlib wrote are listed,
    whatever the user kept in an earlier report at ``target`` is copied over (``carry_over``),
    manifest.json is written and ``tmp`` is swapped into place at once. Returns the manifest."""
    files = sorted(p.name for p in tmp.iterdir() if p.name != "manifest.json") + ["manifest.json"]
    manifest.update(files=files, kept=carry_over(target, tmp))
    atomic.write_json(tmp / "manifest.json", manifest)
    atomic.move_into_place(tmp, target)
    return manifest


def carry_over(target: Path, tmp: Path) -> list[str]:
    """Copy into the new report folder ``tmp`` what a user kept in the earlier report at ``target``
    (``outfolder.carry_over``); returns their names."""
    return outfolder.carry_over(target, tmp, REPORT_FILES + LEADER_FILES)


def failure_record(exc: ScenarioError) -> dict:
    """The manifest's error record of a scenario that failed validation."""
    return {
        "stage": "validation",
        "cell_index": None,
        "execution_count": None,
        "ename": type(exc).__name__,
        "evalue": "; ".join(str(i) for i in exc.issues),
        "issues": [str(i) for i in exc.issues],
    }


def leader_failures(manifest: dict | None) -> list[str]:
    """The leaders' files (workbook, one-pager) a finished report could not write, each as
    'results.xlsx: ErrorName: …', so that a report said to be ok never hides a missing file."""
    files = (manifest or {}).get("leader_files") or {}
    return [
        f"{name}: {one_line(str(status)[len('failed: ') :], 120)}"
        for name, status in files.items()
        if str(status).startswith("failed")
    ]


def one_line(text, limit: int = 160) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"
