"""One rendered scenario report: a notebook run (papermill) → a report directory.

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
import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..engine import atomic
from ..engine.errors import Issue, ScenarioError
from .provenance import PACKAGES, code_sha256, file_sha256, package_versions  # noqa: F401 (PACKAGES: the manifest's)

REPORT_NOTEBOOK = "scenario_report.ipynb"
COMPARISON_NOTEBOOK = "batch_comparison.ipynb"
REPORT_FILES = ("report.ipynb", "report.html", "results.csv", "manifest.json")
LEADER_FILES = ("onepager.html", "onepager.pdf", "results.xlsx")  # beside them when the report is done
KERNEL = "python3"
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]  # no kernel chatter (start-up, shutdown) on the terminal
START_ATTEMPTS = 3  # a kernel start-up failure is retried twice
START_TIMEOUT_S = 60
CELL_TIMEOUT_S = 900
MANIFEST_FORMAT = 1


# ----------------------------------------------------------------------------- small helpers

from ..engine.paths import notebooks_dir  # noqa: E402


def report_notebook() -> Path:
    return notebooks_dir() / REPORT_NOTEBOOK


def comparison_notebook() -> Path:
    return notebooks_dir() / COMPARISON_NOTEBOOK


def now_iso() -> str:
    """Local time with its UTC offset, to the millisecond."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def inputs_hash(scenario: dict, draws: int, seed: int, lang: str, data_hashes: dict,
                notebook_hash: str, code_hash: str = "") -> str:
    """Everything a report's numbers and words depend on, as one sha256 (used by ``--resume``):
    the scenario, draws, seed, language, data files, notebook and simlib's code."""
    blob = json.dumps({"scenario": scenario, "draws": int(draws), "seed": int(seed), "lang": lang,
                       "data": data_hashes, "notebook": notebook_hash, "code": code_hash},
                      sort_keys=True, ensure_ascii=True)
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


def check_replaceable(target: Path, kind: str, where: str) -> Issue | None:
    """A problem if writing ``target`` could destroy something that is not an earlier output.

    ``kind`` is ``simlib-report`` or ``simlib-batch``: a directory may be replaced (report)
    or written into (batch) only if it is missing, empty, or an earlier output of that kind.
    """
    if not target.exists():
        return None
    if not target.is_dir():
        return Issue(where, str(target), "a directory path (this is a file)")
    if not any(target.iterdir()):
        return None
    manifest = read_manifest(target)
    if manifest and manifest.get("kind") == kind:
        return None
    what = "report" if kind == "simlib-report" else "batch"
    return Issue(where, str(target), f"a new or empty directory, or an earlier simlib {what} "
                 "directory (this one holds other files; nothing was changed)")


# ----------------------------------------------------------------------------- one notebook

class NotebookFailed(Exception):
    """A notebook run that did not complete; ``error`` is the manifest's error record."""

    def __init__(self, error: dict):
        self.error = error
        super().__init__(f"{error.get('ename')}: {error.get('evalue')}")


def _startup_errors() -> tuple[type, ...]:
    errors: list[type] = [RuntimeError, TimeoutError, ConnectionError]
    try:
        import zmq

        errors.append(zmq.ZMQError)
    except ImportError:  # pragma: no cover - zmq ships with jupyter_client
        pass
    return tuple(errors)


def _source_cell_index(executed, cell_index: int) -> int:
    """Index in the source notebook of the executed notebook's cell ``cell_index``."""
    shift = sum(1 for c in executed.cells[:cell_index]
                if "injected-parameters" in c.get("metadata", {}).get("tags", []))
    return cell_index - shift


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell(s) tagged ``parameters`` (papermill's convention).

    Papermill only warns about a parameter the notebook does not declare; we refuse it.
    """
    import ast

    import nbformat

    names: set[str] = set()
    for cell in nbformat.read(str(notebook), as_version=4).cells:
        if cell.get("cell_type") != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AnnAssign) else []
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def execute(notebook: Path, output: Path, parameters: dict, cwd: Path,
            attempts: int = START_ATTEMPTS, warm: bool = False) -> int:
    """Run ``notebook`` with papermill into ``output``; return the number of attempts used.

    Kernel start-up failures (dead kernel, time-out, ZMQ port clash) are retried; a failing
    cell raises NotebookFailed at once with the cell, the error name and its message.
    ``warm``: the first attempt runs in this process's pre-started kernel (``warm_up``), and
    the next one is started at once, so it starts and imports while this notebook runs.
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    declared = declared_parameters(notebook)
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise NotebookFailed({"stage": "parameters", "cell_index": None, "execution_count": None,
                              "ename": "UnknownParameter",
                              "evalue": f"{notebook.name} declares no parameter {', '.join(unknown)}"})
    retry_on = _startup_errors()
    for attempt in range(1, attempts + 1):
        km = _take_spare(cwd) if warm and attempt == 1 else None
        if warm and attempt == 1:
            _start_spare()
        try:
            pm.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name=KERNEL,
                                progress_bar=False, cwd=str(cwd), start_timeout=START_TIMEOUT_S,
                                execution_timeout=CELL_TIMEOUT_S, extra_arguments=list(KERNEL_ARGS),
                                **({"km": km} if km is not None else {}))
            return attempt
        except PapermillExecutionError as exc:
            cell = exc.cell_index
            try:
                executed = nbformat.read(str(output), as_version=4)
                executed.cells = [c for c in executed.cells
                                  if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])]
                cell = _source_cell_index(executed, exc.cell_index)
            except (OSError, ValueError):
                pass
            first_line = next((ln for ln in str(exc.source).splitlines() if ln.strip()), "")
            raise NotebookFailed({"stage": "notebook", "cell_index": cell, "execution_count": exc.exec_count,
                                  "cell_source": first_line[:200], "ename": exc.ename,
                                  "evalue": str(exc.evalue)[:2000], "attempts": attempt}) from None
        except retry_on as exc:
            if attempt == attempts:
                raise NotebookFailed({"stage": "kernel", "cell_index": None, "execution_count": None,
                                      "ename": type(exc).__name__, "evalue": str(exc)[:2000],
                                      "attempts": attempt}) from None
            time.sleep(0.5 * attempt)
        finally:
            if km is not None:
                _shutdown(km)
    raise AssertionError("unreachable")  # pragma: no cover


# ----------------------------------------------------------------------------- warm kernels

# Run silently in a kernel started ahead of its report: the report notebook's imports and the
# data tables, so the report starts with them loaded. Nothing is left in the kernel's namespace
# and no execution count is used, so the executed notebook is the same as in a fresh kernel.
WARM_CODE = """def _simlib_warm():
    import simlib.analysis.compare, simlib.engine.evaluate, simlib.engine.scenario
    import simlib.reports.figures, simlib.reports.tables, simlib.reports.text
    import IPython.display
    from simlib.engine import data
    data.load()
_simlib_warm()
del _simlib_warm
"""
_spare = None  # (KernelManager, client) of the kernel started ahead, or None
_released_at_exit = False


def warm_up() -> None:
    """In a worker process: import what a report needs and start the first report's kernel."""
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from ..engine import simulate  # noqa: F401

    if _spare is None:
        _start_spare()


def _start_spare() -> None:
    """Start the next report's kernel and send it ``WARM_CODE`` (it runs while this process works)."""
    global _spare, _released_at_exit
    if not _released_at_exit:  # whatever process keeps a kernel ahead stops it when it exits
        import atexit

        atexit.register(release_spare)
        _released_at_exit = True
    try:
        from jupyter_client.manager import KernelManager

        km = KernelManager(kernel_name=KERNEL)
        km.start_kernel(extra_arguments=list(KERNEL_ARGS))
        kc = km.client()
        kc.start_channels()
        kc.execute(WARM_CODE, silent=True, store_history=False)
        _spare = (km, kc)
    except Exception:  # noqa: BLE001 - the report then starts its own kernel
        _spare = None


def _take_spare(cwd: Path):
    """The pre-started kernel, moved to ``cwd`` once its warm-up is done; None if there is none."""
    global _spare
    spare, _spare = _spare, None
    if spare is None:
        return None
    km, kc = spare
    try:
        reply = kc.execute_interactive(f"__import__('os').chdir({str(cwd)!r})", silent=True, store_history=False,
                                       timeout=START_TIMEOUT_S)
        ok = reply["content"]["status"] == "ok"
    except Exception:  # noqa: BLE001 - a kernel that died or hangs is not used
        ok = False
    finally:
        kc.stop_channels()
    if not ok:
        _shutdown(km)
        return None
    return km


def _shutdown(km) -> None:
    try:
        km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001
        pass


def release_spare() -> None:
    """Stop the kernel started ahead (at the end of a batch or of a worker process)."""
    global _spare
    spare, _spare = _spare, None
    if spare is not None:
        spare[1].stop_channels()
        _shutdown(spare[0])


PRINT_CSS = (  # the report on paper (A4): no margins wasted, figures and tables kept whole, colours kept
    "@page{size:A4;margin:14mm 12mm}"
    "body{font-size:10pt;background:#fff!important}"
    ".jp-Notebook,.jp-Cell,.jp-OutputArea{padding:0!important;margin:0!important}"
    "img{max-width:100%!important;page-break-inside:avoid;break-inside:avoid}"
    "table{page-break-inside:auto;font-size:8.5pt}tr,img,figure{page-break-inside:avoid;break-inside:avoid}"
    "h1,h2,h3{page-break-after:avoid;break-after:avoid}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "a{color:inherit;text-decoration:none}"
)
_TEMPLATE = """{%- extends "lab/index.html.j2" -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}<style media="print">""" + PRINT_CSS + """</style>{%- endblock extra_css -%}
"""


def to_html(notebook_file: Path, title: str, lang: str) -> str:
    """The executed notebook as a self-contained page: no code, no prompts, no stderr, no scripts.

    Figures are the notebook's inline PNGs (base64 in the page); the lab template's
    scripts from public CDNs (require.js, MathJax, mermaid, widget manager) are left out so
    the page opens offline without waiting on the network.
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook_file), as_version=4)
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    nb.metadata.pop("widgets", None)
    exporter = HTMLExporter(extra_loaders=[jinja2.DictLoader({"simlib_report.html.j2": _TEMPLATE})],
                            template_file="simlib_report.html.j2", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True, language_code=lang)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


# ----------------------------------------------------------------------------- one report

@dataclass(frozen=True)
class ReportJob:
    """One report to render: plain values only, so it can be sent to a worker process."""

    scenario_file: str  # absolute path of the scenario YAML
    out_dir: str  # the report directory
    lang: str = "vi"
    draws: int | None = None  # None = the scenario's
    seed: int | None = None
    notebook: str = ""  # '' = the project's scenario report notebook
    focal: str | None = None  # None = the scenario's focal unit (``--all-units`` sets each)


def prepare(scenario_file, draws=None, seed=None, focal=None):
    """The validated scenario of a job (ScenarioError lists every problem)."""
    from ..engine.scenario import load_yaml

    scenario = load_yaml(scenario_file)
    changes = {k: v for k, v in (("draws", draws), ("seed", seed), ("focal", focal)) if v is not None}
    return scenario.with_(**changes) if changes else scenario


def job_inputs(job: ReportJob) -> tuple[object, dict]:
    """(scenario, the manifest's input part) of a job; raises ScenarioError if invalid."""
    from ..engine import data

    scenario = prepare(job.scenario_file, job.draws, job.seed, job.focal)
    notebook = Path(job.notebook) if job.notebook else report_notebook()
    data_hashes = dict(data.load().file_hashes)
    nb_hash = file_sha256(notebook) if notebook.is_file() else ""
    sd = scenario.to_dict()
    return scenario, {
        "name": scenario.name, "scenario_file": str(job.scenario_file), "scenario": sd,
        "draws": int(scenario.draws), "seed": int(scenario.seed), "lang": job.lang,
        "notebook": str(notebook), "notebook_sha256": nb_hash, "data_file_hashes": data_hashes,
        "simlib_code_sha256": code_sha256(),
        "inputs_hash": inputs_hash(sd, scenario.draws, scenario.seed, job.lang, data_hashes, nb_hash,
                                   code_sha256()),
    }


def run_report(job: ReportJob, warm: bool = False) -> dict:
    """Render one report into ``job.out_dir`` (atomically); return its manifest.

    Raises ScenarioError (before writing anything) if the scenario is invalid; a notebook
    that fails is not an exception here: the manifest says ``status: failed`` and why.
    """
    from . import i18n

    scenario, inputs = job_inputs(job)
    notebook = Path(inputs["notebook"])
    target = Path(job.out_dir).resolve()
    atomic.clean_stale(target.parent, target.name)
    started, t0 = now_iso(), time.perf_counter()
    manifest = {"kind": "simlib-report", "format": MANIFEST_FORMAT, **inputs,
                "packages": package_versions(), "started": started}
    tmp = atomic.temp_dir(target)
    try:
        status, error, attempts = "ok", None, 0
        results = tmp / "results.csv"
        params = {"scenario_file": str(Path(job.scenario_file).resolve()), "draws": int(scenario.draws),
                  "seed": int(scenario.seed), "lang": str(job.lang), "results_csv": str(results)}
        if job.focal:
            params["focal"] = str(job.focal)
        if not notebook.is_file():
            status, error = "failed", {"stage": "notebook", "cell_index": None, "execution_count": None,
                                       "ename": "FileNotFoundError", "evalue": f"no notebook at {notebook}"}
        else:
            try:
                attempts = execute(notebook, tmp / "report.ipynb", params, tmp, warm=warm)
            except NotebookFailed as exc:
                status, error = "failed", exc.error
                attempts = exc.error.get("attempts", 1)
        if status == "ok" and not results.is_file():
            status, error = "failed", {"stage": "notebook", "cell_index": None, "execution_count": None,
                                       "ename": "MissingResults",
                                       "evalue": "the notebook did not write results_csv"}
        if (tmp / "report.ipynb").is_file():
            try:
                title = f"{i18n.t('report_title', job.lang)}: {scenario.heading(job.lang)}"
                (tmp / "report.html").write_text(to_html(tmp / "report.ipynb", title, job.lang), encoding="utf-8")
            except Exception as exc:  # noqa: BLE001 - any export failure is recorded, not raised
                if status == "ok":
                    status, error = "failed", {"stage": "html", "cell_index": None, "execution_count": None,
                                               "ename": type(exc).__name__, "evalue": str(exc)[:2000]}
        if status == "ok":
            manifest["leader_files"] = leader_files(scenario, tmp, job.lang)
        if status != "ok":
            results.unlink(missing_ok=True)
        for stray in tmp.glob(".*.tmp"):  # temporary files of an interrupted results_csv write
            stray.unlink(missing_ok=True)
        files = sorted(p.name for p in tmp.iterdir()) + ["manifest.json"]
        kept = carry_over(target, tmp)
        manifest.update({"ended": now_iso(), "duration_s": round(time.perf_counter() - t0, 3),
                         "attempts": attempts, "status": status, "error": error,
                         "files": files, "kept": kept})
        atomic.write_json(tmp / "manifest.json", manifest)
        atomic.move_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def carry_over(target: Path, tmp: Path) -> list[str]:
    """Copy into the new report folder ``tmp`` whatever the earlier report at ``target`` holds that
    simlib did not write (a user's NOTES.txt, a mydata/ folder), so replacing a report never
    deletes them; returns their names. Copies, not moves: until the new folder is in place the
    old one stays whole."""
    if not target.is_dir():
        return []
    earlier = read_manifest(target) or {}
    ours = set(REPORT_FILES) | set(LEADER_FILES) | {str(f) for f in (earlier.get("files") or [])}
    kept = []
    for entry in sorted(target.iterdir()):
        if entry.name in ours or (tmp / entry.name).exists() or entry.name.startswith(".simlib-"):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, tmp / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, tmp / entry.name, follow_symlinks=False)
        kept.append(entry.name)
    return kept


def leader_files(scenario, directory: Path, lang: str) -> dict[str, str]:
    """Beside report.html: onepager.pdf (and its .html) and results.xlsx; file → "ok" or why it is missing.

    Neither is needed for the report to count as done: a machine without chromium still gets the
    report, and the manifest says why the PDF is missing.
    """
    from ..analysis import compare, decompose, league
    from ..engine.evaluate import run_many
    from . import excel, onepager

    out: dict[str, str] = {}
    result, baseline = run_many([scenario, compare.baseline_of(scenario)])
    try:
        excel.write(result, directory / "results.xlsx", baseline, league.league(scenario), lang,
                    results_csv=(directory / "results.csv") if (directory / "results.csv").is_file() else None)
        out["results.xlsx"] = "ok"
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest
        out["results.xlsx"] = f"failed: {type(exc).__name__}: {str(exc)[:500]}"
    try:
        onepager.write(result, baseline, directory, lang, decompose.decompose(scenario))
        out["onepager.pdf"] = "ok"
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest
        out["onepager.pdf"] = f"failed: {type(exc).__name__}: {str(exc)[:500]}"
    return out


def failure_record(exc: ScenarioError) -> dict:
    """The manifest's error record of a scenario that failed validation."""
    return {"stage": "validation", "cell_index": None, "execution_count": None, "ename": type(exc).__name__,
            "evalue": "; ".join(str(i) for i in exc.issues), "issues": [str(i) for i in exc.issues]}


# ----------------------------------------------------------------------------- a report on a worker

WORKER_DIR_PREFIX = "simlib-report-"


def task_spec(job: ReportJob, expected_inputs_hash: str) -> dict:
    """What a worker needs to render ``job`` without this machine's files: the scenario's and the
    notebook's text (the worker has its own package and data; their hashes must match)."""
    notebook = Path(job.notebook) if job.notebook else report_notebook()
    return {"job": dict(job.__dict__), "scenario_name": Path(job.scenario_file).name,
            "scenario_yaml": Path(job.scenario_file).read_bytes(), "notebook_name": notebook.name,
            "notebook_ipynb": notebook.read_bytes() if notebook.is_file() else None,
            "inputs_hash": expected_inputs_hash}


def remote_report(spec: dict) -> dict:
    """Render one report in a private folder of this worker; return its manifest and files.

    Runs on any executor's worker. The worker writes nothing into the batch's output folder:
    the batch process writes the returned files (``write_report``). A worker whose data or
    simlib code differ from the batch process's gives a failed report saying so.
    """
    import socket
    import tempfile

    base = Path(tempfile.gettempdir())
    for stale in base.glob(WORKER_DIR_PREFIX + "*"):  # left by workers that were killed
        pid = stale.name[len(WORKER_DIR_PREFIX):].split("-", 1)[0]
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
        job = ReportJob(**{**spec["job"], "scenario_file": str(scenario_file), "out_dir": str(work / "report"),
                           "notebook": str(notebook)})
        try:
            manifest = run_report(job, warm=True)
        except ScenarioError as exc:
            return {"manifest": {"status": "failed", "error": failure_record(exc)}, "files": None}
        manifest["worker"] = f"{socket.gethostname()}:{os.getpid()}"
        if manifest.get("inputs_hash") != spec["inputs_hash"]:
            manifest.update(status="failed", error={
                "stage": "worker", "cell_index": None, "execution_count": None, "ename": "WorkerMismatch",
                "evalue": "this worker's data files or simlib code differ from the batch's (inputs hash "
                          f"{str(manifest.get('inputs_hash'))[:12]} ≠ {str(spec['inputs_hash'])[:12]}): "
                          "install the same simlib and data on every worker"})
        files = {p.relative_to(work / "report").as_posix(): p.read_bytes()
                 for p in sorted((work / "report").rglob("*")) if p.is_file()}
        return {"manifest": manifest, "files": files}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_report(target: Path, result: dict, job: ReportJob) -> dict:
    """Write a report returned by ``remote_report`` into ``target`` at once (temporary folder, then
    swapped into place); the manifest names this machine's scenario file and notebook."""
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
            path.write_bytes(data)
        atomic.write_json(tmp / "manifest.json", manifest)
        atomic.move_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def report_task(job: ReportJob) -> dict:
    try:
        return run_report(job)
    except ScenarioError as exc:  # the file changed since validation
        return {"status": "failed", "error": failure_record(exc)}


def comparison_task(out: str, lang: str, grid_csv: str = "") -> dict:
    """Execute the comparison notebook on a batch directory; returns {status, error, html}.

    ``grid_csv``: a ``simlib grid`` output for the notebook's heat map ('' = its own small grid).
    """
    notebook = comparison_notebook()
    if not notebook.is_file():
        return {"status": "missing", "error": None, "html": None}
    from . import i18n

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
            execute(notebook, tmp, params, out_dir)
        except NotebookFailed as exc:
            status, error = "failed", exc.error
        page = None
        if tmp.is_file():
            os.replace(tmp, output)
            if status == "ok":
                page = to_html(output, i18n.t("h_batch_title", lang), lang)
        return {"status": status, "error": error, "html": page}
    finally:
        tmp.unlink(missing_ok=True)


def one_line(text, limit: int = 160) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"
