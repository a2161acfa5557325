"""Rendered scenario reports: one notebook run (papermill) → report directory, and batches of them.

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

A batch directory holds one report directory per scenario, ``summary.csv`` (one row per
scenario, with status and error), ``index.html`` (the rendered comparison notebook, led by
links to every report) and ``manifest.json`` (the batch's record, every failure included).
"""
from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..engine import atomic
from ..engine.errors import InputError, Issue, ScenarioError
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
            attempts: int = START_ATTEMPTS) -> int:
    """Run ``notebook`` with papermill into ``output``; return the number of attempts used.

    Kernel start-up failures (dead kernel, time-out, ZMQ port clash) are retried; a failing
    cell raises NotebookFailed at once with the cell, the error name and its message.
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
        try:
            pm.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name=KERNEL,
                                progress_bar=False, cwd=str(cwd), start_timeout=START_TIMEOUT_S,
                                execution_timeout=CELL_TIMEOUT_S, extra_arguments=list(KERNEL_ARGS))
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
    raise AssertionError("unreachable")  # pragma: no cover


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


def prepare(scenario_file, draws=None, seed=None):
    """The validated scenario of a job (ScenarioError lists every problem)."""
    from ..engine.scenario import load_yaml

    scenario = load_yaml(scenario_file)
    changes = {k: v for k, v in (("draws", draws), ("seed", seed)) if v is not None}
    return scenario.with_(**changes) if changes else scenario


def job_inputs(job: ReportJob) -> tuple[object, dict]:
    """(scenario, the manifest's input part) of a job; raises ScenarioError if invalid."""
    from ..engine import data

    scenario = prepare(job.scenario_file, job.draws, job.seed)
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


def run_report(job: ReportJob) -> dict:
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
        if not notebook.is_file():
            status, error = "failed", {"stage": "notebook", "cell_index": None, "execution_count": None,
                                       "ename": "FileNotFoundError", "evalue": f"no notebook at {notebook}"}
        else:
            try:
                attempts = execute(notebook, tmp / "report.ipynb", params, tmp)
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
    ours = set(REPORT_FILES) | {str(f) for f in (earlier.get("files") or [])}
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


# ----------------------------------------------------------------------------- batches

@dataclass
class Item:
    """One scenario file of a batch and what became of it."""

    file: Path
    name: str
    dir: str
    scenario: object = None  # Scenario, or None if invalid
    inputs: dict = field(default_factory=dict)
    status: str = "pending"  # ok | failed
    resumed: bool = False
    error: dict | None = None
    manifest: dict | None = None


def collect(sources: list[str]) -> list[Path]:
    """Scenario files named on the command line; folders give their ``*.yaml`` / ``*.yml``."""
    files, issues, seen = [], [], set()
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                issues.append(Issue(source, "a folder with no *.yaml file", "scenario files or folders of them"))
        elif path.is_file():
            found = [path]
        else:
            issues.append(Issue(source, "no such file or folder", "scenario files or folders of them"))
            found = []
        for p in found:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                files.append(p)
    if issues:
        raise InputError(issues, context="command line")
    return files


def _failure_record(exc: ScenarioError) -> dict:
    return {"stage": "validation", "cell_index": None, "execution_count": None, "ename": type(exc).__name__,
            "evalue": "; ".join(str(i) for i in exc.issues), "issues": [str(i) for i in exc.issues]}


def plan(sources: list[str], out: Path, lang: str, draws, seed, notebook: str = "") -> list[Item]:
    """Validate every scenario up front; raise InputError for problems of the batch itself.

    An invalid scenario becomes an Item with status ``failed`` (it does not stop the
    others); two scenarios sharing a name, or an output that would overwrite foreign
    files, stop the batch before anything runs.
    """
    issues = []
    problem = check_replaceable(out, "simlib-batch", "--out")
    if problem:
        raise InputError(problem, context="command line")
    nb = Path(notebook) if notebook else report_notebook()
    if not nb.is_file():
        raise InputError(Issue("report notebook", str(nb), "an existing notebook (notebooks/"
                               f"{REPORT_NOTEBOOK}, or $SIMLIB_NOTEBOOKS_DIR/{REPORT_NOTEBOOK})"), context="batch")
    items = []
    for path in collect(sources):
        job = ReportJob(str(path.resolve()), "", lang, draws, seed, notebook)
        try:
            scenario, inputs = job_inputs(job)
        except ScenarioError as exc:
            items.append(Item(path, path.stem, dir_name(path.stem), status="failed", error=_failure_record(exc)))
            continue
        items.append(Item(path, scenario.name, dir_name(scenario.name), scenario, inputs))
    by_dir: dict[str, Item] = {}
    for item in items:
        if item.scenario is None:
            continue
        other = by_dir.setdefault(item.dir.lower(), item)
        if other is not item:
            issues.append(Issue(str(item.file), item.name, f"a scenario name not used by another file of the "
                                f"batch ({other.file} is named {other.name!r}); names become report folders"))
        problem = check_replaceable(out / item.dir, "simlib-report", f"{out / item.dir}")
        if problem:
            issues.append(problem)
    if issues:
        raise InputError(issues, context="batch")
    return items


def grid_file(path: str) -> str:
    """The grid.csv named by ``path`` (the file or its folder); InputError if there is none."""
    p = Path(path)
    p = p / "grid.csv" if p.is_dir() else p
    if not p.is_file():
        raise InputError(Issue("--grid", path, "a grid.csv written by `simlib grid`, or its folder"),
                         context="command line")
    return str(p.resolve())


def is_done(item: Item, out: Path) -> bool:
    """True if the item's report is complete with the same inputs (what ``--resume`` skips)."""
    d = out / item.dir
    manifest = read_manifest(d)
    return bool(manifest and manifest.get("status") == "ok"
                and manifest.get("inputs_hash") == item.inputs.get("inputs_hash")
                and all((d / f).is_file() for f in REPORT_FILES))


def _warm_worker(parent_pid: int | None = None) -> None:
    """Pay the import tax (papermill, nbconvert, the engine) once per worker process.

    Workers ignore Ctrl-C: the batch process decides, and stops them (``_stop_workers``).
    With ``parent_pid``, the worker also stops on its own when that process dies (even by
    ``kill -9``), so no orphan goes on writing reports.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_pid is not None:
        stop_with_parent(parent_pid)
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from ..engine import simulate  # noqa: F401


PARENT_POLL_S = 0.25


def stop_with_parent(parent_pid: int, interval: float = PARENT_POLL_S) -> None:
    """Watch ``parent_pid`` from a daemon thread; when it is gone, kill this process's own
    children (notebook kernels) and exit at once, leaving any report under way as a
    temporary folder that the next run removes."""
    import threading

    def watch() -> None:
        while os.getppid() == parent_pid and atomic.alive(parent_pid):
            time.sleep(interval)
        _kill_children()
        os._exit(70)

    threading.Thread(target=watch, name="simlib-parent-watch", daemon=True).start()


def _kill_children() -> None:
    try:
        import psutil

        children = psutil.Process().children(recursive=True)
    except Exception:  # noqa: BLE001 - nothing more can be done from a dying worker
        return
    for child in children:
        try:
            child.kill()
        except Exception:  # noqa: BLE001
            pass


def _stop_workers(pool) -> None:
    """Stop a pool's worker processes now (an interrupted batch); their kernels exit with them.

    A report being written is left as a temporary folder, removed by the next run.
    """
    stop = getattr(pool, "terminate_workers", None)  # Python ≥ 3.14
    if stop is not None:
        stop()
    else:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _report_task(job: ReportJob) -> dict:
    try:
        return run_report(job)
    except ScenarioError as exc:  # the file changed since validation
        return {"status": "failed", "error": _failure_record(exc)}


def _comparison_task(out: str, lang: str, grid_csv: str = "") -> dict:
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


class Progress:
    """One line per finished scenario on stderr: ``[3/7] all_levers ok 4.1 s``."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.stream = total, 0, stream

    def __call__(self, item: Item, duration: float | None = None) -> None:
        self.done += 1
        if self.stream is None:
            return
        if item.resumed:
            tail = "skipped (done earlier, same inputs)"
        elif item.status == "ok":
            tail = f"ok {duration:.1f} s"
        else:
            err = item.error or {}
            where = f" in cell {err['cell_index']}" if err.get("cell_index") is not None else ""
            secs = f" {duration:.1f} s" if duration is not None else ""
            tail = f"failed{secs}{where}: {err.get('ename')}: {_one_line(err.get('evalue'))}"
        print(f"[{self.done}/{self.total}] {item.name} {tail}", file=self.stream, flush=True)


def _one_line(text, limit: int = 160) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def run_batch(sources: list[str], out, workers: int = 2, resume: bool = False, lang: str = "vi",
              draws: int | None = None, seed: int | None = None, progress=sys.stderr,
              notebook: str = "", grid: str = "") -> dict:
    """Render every scenario's report into ``out`` and the batch's summary, index and manifest.

    ``grid``: a ``simlib grid`` output (grid.csv or its folder) for the comparison's heat map.
    Returns the batch manifest (``status`` ok if every scenario succeeded). Raises
    InputError for problems of the batch itself (no scenario file, name clash, an output
    directory holding foreign files, a missing grid).
    """
    from ..engine import data

    out = Path(out)
    with atomic.output_lock(out):
        return _run_batch(sources, out, workers, resume, lang, draws, seed, progress, notebook, grid)


def _run_batch(sources, out: Path, workers, resume, lang, draws, seed, progress, notebook, grid) -> dict:
    from ..engine import data

    grid_csv = grid_file(grid) if grid else ""
    items = plan(sources, out, lang, draws, seed, notebook)
    out.mkdir(parents=True, exist_ok=True)
    atomic.clean_stale(out)
    started, t0 = now_iso(), time.perf_counter()
    record = {"kind": "simlib-batch", "format": MANIFEST_FORMAT, "started": started, "status": "running",
              "workers": int(workers), "resume": bool(resume), "lang": lang, "draws": draws, "seed": seed,
              "sources": [str(s) for s in sources], "grid_csv": grid_csv or None, "packages": package_versions(),
              "data_file_hashes": dict(data.load().file_hashes),
              "notebook": str(Path(notebook) if notebook else report_notebook())}
    show = Progress(len(items), progress)
    todo = []
    for item in items:
        if item.scenario is None:
            show(item)
        elif resume and is_done(item, out):
            item.status, item.resumed, item.manifest = "ok", True, read_manifest(out / item.dir)
            show(item)
        else:
            todo.append(item)

    def finish(item: Item, manifest: dict) -> None:
        item.manifest = manifest
        item.status = manifest.get("status", "failed")
        item.error = manifest.get("error")
        show(item, manifest.get("duration_s"))
        atomic.write_json(out / "manifest.json", _batch_manifest(record, items, out))

    jobs = {id(item): ReportJob(str(item.file.resolve()), str(out / item.dir), lang, draws, seed, notebook)
            for item in todo}
    atomic.write_json(out / "manifest.json", _batch_manifest(record, items, out))
    comparison = {"status": "missing", "error": None, "html": None}
    if workers <= 1 or len(todo) <= 1:
        for item in todo:
            finish(item, _report_task(jobs[id(item)]))
        summary_error = write_summary(out, items)
        comparison = _comparison_task(str(out), lang, grid_csv)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context,
                                   initializer=_warm_worker, initargs=(os.getpid(),))
        try:
            futures = {pool.submit(_report_task, jobs[id(item)]): item for item in todo}
            for future in as_completed(futures):
                item = futures[future]
                try:
                    manifest = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker that died
                    manifest = {"status": "failed", "error": {"stage": "worker", "cell_index": None,
                                "execution_count": None, "ename": type(exc).__name__, "evalue": str(exc)}}
                finish(item, manifest)
            summary_error = write_summary(out, items)
            try:
                comparison = pool.submit(_comparison_task, str(out), lang, grid_csv).result()
            except Exception as exc:  # noqa: BLE001
                comparison = {"status": "failed", "html": None,
                              "error": {"ename": type(exc).__name__, "evalue": str(exc)}}
        except BaseException:
            _stop_workers(pool)
            raise
        pool.shutdown()
    write_index(out, items, comparison, lang)
    record.update({"ended": now_iso(), "duration_s": round(time.perf_counter() - t0, 3),
                   "comparison": {k: comparison.get(k) for k in ("status", "error")},
                   "summary_error": summary_error})
    record["status"] = "ok" if all(i.status == "ok" for i in items) else "failed"
    manifest = _batch_manifest(record, items, out)
    atomic.write_json(out / "manifest.json", manifest)
    return manifest


def _has_report(item: Item, out: Path) -> bool:
    """The item ran in this batch (or was resumed) and left a rendered page."""
    return item.scenario is not None and item.status != "pending" and (out / item.dir / "report.html").is_file()


def _batch_manifest(record: dict, items: list[Item], out: Path) -> dict:
    rows = []
    for item in items:
        m = item.manifest or {}
        rows.append({"name": item.name, "file": str(item.file), "dir": item.dir, "status": item.status,
                     "resumed": item.resumed, "inputs_hash": item.inputs.get("inputs_hash"),
                     "started": m.get("started"), "duration_s": m.get("duration_s"),
                     "report": f"{item.dir}/report.html" if _has_report(item, out) else None,
                     "error": item.error})
    counts = {s: sum(1 for i in items if i.status == s) for s in ("ok", "failed", "pending")}
    counts["resumed"] = sum(1 for i in items if i.resumed)
    return {**record, "counts": counts, "scenarios": rows}


# ----------------------------------------------------------------------------- summary and index

def summary_table(out: Path, items: list[Item]) -> tuple[list[str], list[dict]]:
    """(columns, rows) of summary.csv: ``compare.summary_row_of_tidy`` of each finished report, read
    from the results.csv its notebook wrote (nothing is computed again), then status, error and
    report folder."""
    from ..analysis import compare

    ok = [i for i in items if i.status == "ok" and i.scenario is not None]
    metric_rows = [compare.summary_row_of_tidy(i.scenario, _read_tidy(out / i.dir / "results.csv")) for i in ok]
    by_name = {i.name: r for i, r in zip(ok, metric_rows)}
    columns = compare.summary_columns()
    for r in metric_rows:
        columns += [c for c in r if c not in columns]
    columns += ["status", "error", "report_dir"]
    rows = []
    for item in items:
        row = dict(by_name.get(item.name, {"scenario": item.name}))
        err = item.error or {}
        where = f"cell {err['cell_index']}: " if err.get("cell_index") is not None else ""
        row.update({"scenario": item.name, "status": item.status,
                    "error": f"{where}{err.get('ename')}: {_one_line(err.get('evalue'), 500)}" if item.error else "",
                    "report_dir": item.dir if _has_report(item, out) else ""})
        rows.append(row)
    return columns, rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM``) gets a
    leading apostrophe, so it shows as text; a line break inside a text becomes a space (one row
    per scenario, whatever reads the file); numbers are left as numbers."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def mark_interrupted(out: Path) -> None:
    """An interrupted batch's manifest says so (``status: interrupted``), not ``running``."""
    manifest = read_manifest(Path(out))
    if manifest and manifest.get("kind") == "simlib-batch" and manifest.get("status") == "running":
        manifest.update(status="interrupted", ended=now_iso())
        atomic.write_json(Path(out) / "manifest.json", manifest)


def _read_tidy(path: Path) -> list[dict]:
    """The rows of a report's results.csv (scenario, year, metric, mean, p05, p50, p95)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_summary(out: Path, items: list[Item]) -> dict | None:
    """Write summary.csv; return the error instead of raising, so the index is written anyway."""
    import io

    try:
        columns, rows = summary_table(out, items)
    except Exception as exc:  # noqa: BLE001 - recorded in the batch manifest
        (out / "summary.csv").unlink(missing_ok=True)  # never leave an earlier run's table behind
        return {"ename": type(exc).__name__, "evalue": str(exc)[:2000]}
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({c: ("" if r.get(c) is None else spreadsheet_safe(r.get(c))) for c in columns})
    atomic.write_text(out / "summary.csv", buf.getvalue())
    return None


def _report_link(item: Item, out: Path, lang: str = "vi") -> str:
    """The scenario's title (its name if it has none), linked to its report when there is one."""
    label = html.escape(item.scenario.heading(lang) if item.scenario is not None else item.name)
    return f'<a href="{html.escape(item.dir)}/report.html">{label}</a>' if _has_report(item, out) else label


def _leader_links(item: Item, out: Path, lang: str) -> str:
    """Links to a report's one-page PDF and Excel workbook, where they were written."""
    from . import i18n

    links = []
    for name, key in (("onepager.pdf", "download_onepager"), ("results.xlsx", "download_excel")):
        if (out / item.dir / name).is_file():
            links.append(f'<a href="{html.escape(item.dir)}/{name}">{html.escape(i18n.phrase("planner", key, lang))}</a>')
    return " · ".join(links)


def nav_html(items: list[Item], out: Path, lang: str) -> str:
    """One line of links to every report (relative, so the batch folder can be moved or zipped)."""
    from . import i18n

    links = " · ".join(_report_link(item, out, lang) for item in items)
    return f"<p><strong>{html.escape(i18n.t('scenario_reports', lang))}:</strong> {links}</p>"


def reports_table_html(items: list[Item], out: Path, lang: str) -> str:
    """Every scenario: link to its report, status, and the error of a failed one."""
    from . import i18n

    head = "".join(f"<th>{html.escape(i18n.t(k, lang))}</th>"
                   for k in ("scenario", "scenario_description", "status", "note"))
    rows = []
    for item in items:
        description = item.scenario.summary(lang) if item.scenario is not None else ""
        status = i18n.t("status_ok" if item.status == "ok" else "status_failed", lang)
        err = item.error or {}
        where = f"cell {err['cell_index']}: " if err.get("cell_index") is not None else ""
        note = f"{where}{err.get('ename')}: {_one_line(err.get('evalue'), 300)}" if item.error else ""
        rows.append(f"<tr><td>{_report_link(item, out, lang)}</td>"
                    f'<td class="simlib-description">{html.escape(_one_line(description, 300))}</td>'
                    f"<td>{html.escape(status)}</td>"
                    f"<td>{html.escape(note)}{_leader_links(item, out, lang)}</td></tr>")
    return (f"<h2>{html.escape(i18n.t('scenario_reports', lang))}</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n"
            "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")


def numbers_table_html(out: Path, lang: str) -> str:
    """The headline numbers of summary.csv (target year): medians with 5–95% bands, probabilities, cost."""
    from . import i18n

    try:
        with open(out / "summary.csv", newline="", encoding="utf-8") as handle:
            rows = [r for r in csv.DictReader(handle) if r.get("status") == "ok"]
    except OSError:
        return ""
    if not rows:
        return ""
    num = lambda x, d=1: f"{float(x):.{d}f}".replace(".", "," if lang == "vi" else ".")
    band = lambda r, p: f"{num(r[p + '_p50'])} ({num(r[p + '_p05'])}–{num(r[p + '_p95'])})"
    rank = lambda r: f"{num(r['par_rank_p50'], 0)} ({num(r['par_rank_p05'], 0)}–{num(r['par_rank_p95'], 0)})"
    pct = lambda x: f"{100 * float(x):.0f}%"
    columns = [("scenario", lambda r: html.escape(r["scenario"])), ("target_year", lambda r: r["target_year"]),
               ("sipas_pct", lambda r: band(r, "sipas")), ("par_score", lambda r: band(r, "par")),
               ("par_rank", rank), ("p_par_top3", lambda r: pct(r["p_par_top3"])),
               ("p_par_top10", lambda r: pct(r["p_par_top10"])), ("p_sipas_ge_86", lambda r: pct(r["p_sipas_ge_86"])),
               ("fee_forgone_bn_vnd", lambda r: num(r["fee_forgone_bn_vnd"], 0))]
    head = "".join(f"<th>{html.escape(i18n.t(key, lang))}</th>" for key, _ in columns)
    body = "\n".join("<tr>" + "".join(f"<td>{fmt(r)}</td>" for _, fmt in columns) + "</tr>" for r in rows)
    return (f"<h2>{html.escape(i18n.t('h_outcomes', lang))}</h2>\n"
            f"<p>{html.escape(i18n.t('median_band', lang))}</p>\n"
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>")


def _output_cell(inner: str) -> str:
    """HTML placed in the page like a notebook output (same fonts, tables and link colours)."""
    return ('<div class="jp-Cell jp-CodeCell jp-Notebook-cell jp-mod-noInput simlib-reports">\n'
            '<div class="jp-Cell-outputWrapper"><div class="jp-OutputArea jp-Cell-outputArea">'
            '<div class="jp-OutputArea-child"><div class="jp-RenderedHTMLCommon jp-OutputArea-output">\n'
            f"{inner}\n</div></div></div></div>\n</div>")


_PAGE_CSS = """body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;color:#222;max-width:72em}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{padding:.3em .8em;text-align:right;
border-bottom:1px solid #ddd}td{white-space:nowrap}td.simlib-description{white-space:normal;text-align:left}th:first-child,td:first-child{text-align:left}
thead th{border-bottom:2px solid #888}a{color:#1565c0}"""


def write_index(out: Path, items: list[Item], comparison: dict, lang: str) -> None:
    """index.html: the rendered comparison, with links to every report at its top and a table of
    every report (status, error) at its end; if the comparison is missing or failed, a page of
    its own with the reports and the headline numbers of summary.csv."""
    from . import i18n

    page = comparison.get("html")
    title = html.escape(i18n.t("h_batch_title", lang))
    if page:
        top = re.search(r"<main[^>]*>", page) or re.search(r"<body[^>]*>", page)
        end = page.rfind("</main>") if "</main>" in page else page.rfind("</body>")
        if top and end > top.end():
            page = (page[: top.end()] + "\n" + _output_cell(nav_html(items, out, lang)) + page[top.end(): end]
                    + _output_cell(reports_table_html(items, out, lang)) + "\n" + page[end:])
        else:
            page = None
    if not page:
        note = ""
        if comparison.get("status") == "failed":
            err = comparison.get("error") or {}
            note = (f"<p>{html.escape(i18n.t('comparison_failed', lang))} ({html.escape(str(err.get('ename')))}: "
                    f"{html.escape(_one_line(err.get('evalue'), 300))}; comparison.ipynb)</p>")
        page = (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n<title>{title}</title>\n'
                f"<style>{_PAGE_CSS}</style></head>\n<body>\n<h1>{title}</h1>\n{note}\n"
                f"{reports_table_html(items, out, lang)}\n{numbers_table_html(out, lang)}\n</body>\n</html>\n")
    atomic.write_text(out / "index.html", page)
