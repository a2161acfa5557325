"""Batches of rendered reports: planning, running them where the executor says, manifests, summary.

A batch directory holds one report directory per scenario, ``summary.csv`` (one row per
scenario, with status and error), ``index.html`` (the rendered comparison notebook, led by
links to every report) and ``manifest.json`` (the batch's record, every failure included).
One report is rendered by ``render``; ``executor`` decides where; ``index_page`` writes the page;
``batch_record`` writes the manifest and summary.csv.
Every scenario file is read and validated once, here (``plan``); its reports' jobs carry the
validated scenario to the workers.
"""

from __future__ import annotations

import csv
import errno
import io
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import atomic, outfolder
from ..engine.errors import InputError, Issue, ScenarioError, short
from ..engine.safetext import printable
from ..reports.provenance import package_versions
from . import batch_record, executor
from .progress import ReportProgress
from .remote import comparison_task, remote_report, task_spec, write_report
from .render import (
    MANIFEST_FORMAT,
    REPORT_FILES,
    REPORT_NOTEBOOK,
    ReportJob,
    comparison_notebook,
    dir_name,
    failure_record,
    job_inputs,
    now_iso,
    read_manifest,
    report_notebook,
)

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

# ----------------------------------------------------------------------------- batches


@dataclass
class Item:
    """One scenario file of a batch and what became of it."""

    file: Path
    name: str
    dir: str
    scenario: Scenario | None = None  # Scenario, or None if invalid
    inputs: dict = field(default_factory=dict)
    status: str = "pending"  # ok | failed
    resumed: bool = False
    error: dict | None = None
    manifest: dict | None = None
    unit: str | None = None  # the focal unit set by --all-units (None: the scenario's own)
    summary: dict | None = None  # its summary.csv numbers, read from its results.csv as it came back


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


def all_units() -> list[str]:
    """Slugs of the 34 units of the 2025 field, in the data's order."""
    from ..engine import data

    return list(data.load().units)


def plan(
    sources: list[str], out: Path, lang: str, draws, seed, notebook: str = "", units: list[str] | None = None
) -> list[Item]:
    """Validate every scenario up front; raise InputError for problems of the batch itself.

    An invalid scenario becomes an Item with status ``failed`` (it does not stop the
    others); two scenarios sharing a name, or an output that would overwrite foreign
    files, stop the batch before anything runs. ``units``: run each scenario once per unit
    as the focal unit, into ``<unit>/<scenario>/``.
    """
    issues = outfolder.problems(out, "simlib-batch", swap=False, probe=False)
    if issues:
        raise InputError(issues, context="command line")
    from .render import check_data

    check_data()  # a broken data file is the batch's problem, not each report's
    nb = Path(notebook) if notebook else report_notebook()
    if not nb.is_file():
        raise InputError(
            Issue(
                "report notebook",
                str(nb),
                f"an existing notebook (notebooks/{REPORT_NOTEBOOK}, or $SIMLIB_NOTEBOOKS_DIR/{REPORT_NOTEBOOK})",
            ),
            context="batch",
        )
    from ..engine.scenario import load_scenario

    items = []
    for path in collect(sources):
        read: Scenario | Exception
        try:
            read = load_scenario(path, draws, seed)  # the one reading of the file
        except Exception as exc:  # noqa: BLE001 - whatever goes wrong with one scenario fails it alone
            read = exc
        for unit in units or [None]:
            prefix = f"{unit}/" if unit else ""
            try:
                if isinstance(read, Exception):
                    raise read
                scenario = read.with_(focal=unit) if unit else read
                inputs = job_inputs(ReportJob(scenario, "", lang, notebook, str(path.resolve())))
            except Exception as exc:  # noqa: BLE001 - whatever goes wrong with one scenario fails it alone
                record = failure_record(exc) if isinstance(exc, ScenarioError) else error_record("validation", exc)
                items.append(
                    Item(path, path.stem, prefix + dir_name(path.stem), status="failed", error=record, unit=unit)
                )
                continue
            items.append(Item(path, scenario.name, prefix + dir_name(scenario.name), scenario, inputs, unit=unit))
    by_dir: dict[str, Item] = {}
    for item in items:
        if item.scenario is None:
            continue
        other = by_dir.setdefault(item.dir.lower(), item)
        if other is not item:
            issues.append(
                Issue(
                    str(item.file),
                    item.name,
                    f"a scenario name not used by another file of the "
                    f"batch ({short(Path(other.file))} is named {short(other.name)}); names become report folders",
                )
            )
        issues += outfolder.problems(out / item.dir, "simlib-report", str(out / item.dir), probe=False)
    if issues:
        raise InputError(issues, context="batch")
    return items


def grid_file(path: str) -> str:
    """The grid.csv named by ``path`` (the file or its folder); InputError if there is none."""
    p = Path(path)
    p = p / "grid.csv" if p.is_dir() else p
    if not p.is_file():
        raise InputError(
            Issue("--grid", path, "a grid.csv written by `simlib grid`, or its folder"), context="command line"
        )
    return str(p.resolve())


def is_done(item: Item, out: Path) -> bool:
    """True if the item's report is complete with the same inputs (what ``--resume`` skips)."""
    d = out / item.dir
    manifest = read_manifest(d)
    return bool(
        manifest
        and manifest.get("status") == "ok"
        and manifest.get("inputs_hash") == item.inputs.get("inputs_hash")
        and all((d / f).is_file() for f in REPORT_FILES)
    )


def run_batch(
    sources: list[str],
    out,
    workers: int = 2,
    resume: bool = False,
    lang: str = "vi",
    draws: int | None = None,
    seed: int | None = None,
    progress=sys.stderr,
    notebook: str = "",
    grid: str = "",
    scheduler: str | None = None,
    every_unit: bool = False,
) -> dict:
    """Render every scenario's report into ``out`` and the batch's summary, index and manifest.

    ``grid``: a ``simlib grid`` output (grid.csv or its folder) for the comparison's heat map.
    ``scheduler``: a Dask scheduler's address to run the reports on (default: this machine,
    ``workers`` processes). ``every_unit``: each scenario for each of the 34 units, into
    ``<unit>/<scenario>/``, with a units × scenarios page (units.html).
    Returns the batch manifest (``status`` ok if every scenario succeeded). Raises
    InputError for problems of the batch itself (no scenario file, name clash, an output
    directory holding foreign files, a missing grid, a scheduler that does not answer).
    """
    out = Path(out)
    with atomic.output_lock(out):
        # the workers start (a pool) or warm up (a cluster) while the scenarios are validated
        connecting = _Connecting(scheduler) if scheduler else _early_pool(sources, workers, resume, every_unit)
        try:
            grid_csv = grid_file(grid) if grid else ""
            items = plan(sources, out, lang, draws, seed, notebook, all_units() if every_unit else None)
        except InputError as exc:
            if connecting is not None:
                exc = connecting.also_failed(exc)
            raise exc from None
        except BaseException:
            if connecting is not None:
                connecting.discard()
            raise
        show = ReportProgress(len(items), progress)
        try:
            try:
                todo = _skip_finished(items, out, resume, show)
                if every_unit:
                    todo = by_unit(todo)
                # InputError if the scheduler does not answer
                run = connecting.result() if connecting is not None else executor.make(workers, scheduler, len(todo))
            except BaseException:
                if connecting is not None:
                    connecting.discard()
                raise
            return _run(
                items,
                todo,
                run,
                out,
                show,
                grid_csv,
                every_unit,
                {
                    "workers": int(workers),
                    "scheduler": scheduler,
                    "resume": bool(resume),
                    "lang": lang,
                    "draws": draws,
                    "seed": seed,
                    "sources": [str(s) for s in sources],
                    "grid_csv": grid_csv or None,
                    "all_units": bool(every_unit),
                    "notebook": str(Path(notebook) if notebook else report_notebook()),
                },
            )
        finally:
            show.close()


class _Started:
    """An executor already made (``result``), or closed if the batch stops before using it."""

    def __init__(self, run):
        self._run = run

    def result(self):
        return self._run

    def discard(self) -> None:
        self._run.close(cancel=True)

    def also_failed(self, exc: InputError) -> InputError:
        self.discard()
        return exc


def _early_pool(sources: list[str], workers, resume: bool, every_unit: bool) -> _Started | None:
    """The embedded executor, started before the scenarios are validated (its workers import and
    start their kernels meanwhile), when the batch will very likely need all of it: at least two
    workers, as many scenario files (× units) as workers, and no ``--resume`` (which may leave
    fewer to run). None otherwise: ``executor.make`` decides once the reports to run are known."""
    try:
        n = len(collect(sources)) * (len(all_units()) if every_unit else 1)
        workers = int(workers)
    except (InputError, ValueError, TypeError):
        return None  # plan() reports the problem
    if resume or workers < 2 or n < workers:
        return None
    run = executor.make(workers, None, n)
    run.prestart()
    return _Started(run)


class _Connecting:
    """The Dask executor of ``--scheduler`` made in a thread of its own (``executor.make``: connect,
    ask the workers to warm up), while this one validates the batch's scenarios."""

    def __init__(self, address: str):
        import threading

        self._run, self._error = None, None
        self._thread = threading.Thread(target=self._connect, args=(address,), name="simlib-connect", daemon=True)
        self._thread.start()

    def _connect(self, address: str) -> None:
        try:
            self._run = executor.make(1, address)
        except BaseException as exc:  # noqa: BLE001 - raised in the batch's thread by ``result``
            self._error = exc

    def result(self):
        """The executor; the connection's error (InputError naming the address) raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._run

    def discard(self) -> None:
        """The batch stops before running anything: disconnect (the workers stay warm)."""
        self._thread.join()
        if self._run is not None:
            self._run.close(cancel=True)

    def also_failed(self, exc: InputError) -> InputError:
        """``exc`` (the batch's own problems) with the scheduler's, if it did not answer either:
        every problem of the command at once."""
        self.discard()
        if isinstance(self._error, InputError):
            return InputError(self._error.issues + exc.issues, context=exc.context)
        return exc


def _skip_finished(items: list[Item], out: Path, resume: bool, show) -> list[Item]:
    """The items to run: not invalid, and (with ``resume``) not already done with the same inputs."""
    todo = []
    for item in items:
        if item.scenario is None:
            show(item)
        elif resume and is_done(item, out):
            item.status, item.resumed, item.manifest = "ok", True, read_manifest(out / item.dir)
            show(item)
        else:
            todo.append(item)
    return todo


def by_unit(todo: list[Item]) -> list[Item]:
    """``todo`` in the order the reports run: a unit's scenarios one after the other (in the
    batch's order of scenarios), so a worker's kept kernel draws that unit's field figures once
    (``figures.field_figure_image``) and reuses them for its next scenario, instead of drawing
    every unit's again after all the other units. The batch's own order (summary, pages) stays."""
    first: dict = {}
    for item in todo:
        first.setdefault(item.unit, len(first))
    return sorted(todo, key=lambda item: first[item.unit])


def _run(items, todo, run, out: Path, show, grid_csv: str, every_unit: bool, options: dict) -> dict:
    """Run ``todo`` on executor ``run``, then the summary, the comparison and the pages."""
    from ..engine import data, outcomes

    out.mkdir(parents=True, exist_ok=True)
    atomic.clean_stale(out)
    started, t0 = now_iso(), time.perf_counter()
    record = {
        "kind": "simlib-batch",
        "format": MANIFEST_FORMAT,
        "started": started,
        "status": "running",
        **options,
        "executor": run.name,
        "dashboard": run.dashboard,
        "packages": package_versions(),
        "data_file_hashes": dict(data.load().file_hashes),
        "summary_units": outcomes.column_units(),  # what summary.csv's outcome columns hold (the fee: its mean)
    }
    if todo:
        show.note(f"running {len(todo)} report(s) on {run.describe()}")
    try:
        try:
            _run_reports(
                todo,
                run,
                out,
                lambda: atomic.write_json(out / "manifest.json", batch_record.batch_manifest(record, items, out)),
                show,
            )
            summary_error = batch_record.write_summary(out, items)
            comparison = _comparison(run, out, options["lang"], grid_csv)
        except BaseException:
            run.close(cancel=True)
            raise
        run.close()
        return _finish(record, items, out, run, comparison, summary_error, every_unit, options["lang"], t0)
    except Exception as exc:  # the batch itself stops (a full disk, …): its manifest says so, not "running"
        batch_record.mark_ended(out, "failed", error_record("batch", exc))
        raise


def _finish(record, items, out: Path, run, comparison, summary_error, every_unit: bool, lang: str, t0: float) -> dict:
    """After the reports: this process's kernel released, the pages written, the manifest completed."""
    if isinstance(run, executor.InlineExecutor) or not run.shares_filesystem:  # this process's own kernel
        from ..reports import pdfprint
        from . import kernels

        kernels.release()
        pdfprint.close()
    from . import index_page

    if every_unit:
        index_page.write_units_page(out, items, lang)
    index_page.write_index(out, items, comparison, lang)
    record.update(
        {
            "ended": now_iso(),
            "duration_s": round(time.perf_counter() - t0, 3),
            "comparison": {k: comparison.get(k) for k in ("status", "error")},
            "summary_error": summary_error,
        }
    )
    record["status"] = "ok" if all(i.status == "ok" for i in items) else "failed"
    manifest = batch_record.batch_manifest(record, items, out)
    atomic.write_json(out / "manifest.json", manifest)
    return manifest


def _run_reports(todo: list[Item], run, out: Path, save_manifest, show) -> None:
    """Submit every report, then write each one's files into ``out`` as it comes back (with its
    summary row). A unit's reports go to one worker where the executor can say so (``place``)."""
    jobs = {}
    run.place([item.unit for item in todo])
    for n, item in enumerate(todo):
        jobs[n] = ReportJob(
            item.scenario, str(out / item.dir), item.inputs["lang"], _notebook_of(item), str(item.file.resolve())
        )
        run.submit(n, remote_report, task_spec(jobs[n], item.inputs["inputs_hash"]), group=item.unit)
    save_manifest()
    remaining = len(todo)
    comparison_kernel = _ComparisonKernel(run)
    for n, result, exc in run.results():
        item = todo[n]
        if exc is not None:
            manifest = {"status": "failed", "error": error_record("worker", exc)}
        else:
            try:
                manifest = write_report(out / item.dir, result, jobs[n])
            except OSError as exc:
                if exc.errno in FATAL_WRITE_ERRORS:  # no report can be written: the batch stops, saying where
                    raise
                manifest = {"status": "failed", "error": error_record("write", exc)}
            except Exception as exc:  # noqa: BLE001 - one report that cannot be written fails alone
                manifest = {"status": "failed", "error": error_record("write", exc)}
        item.manifest, item.status, item.error = manifest, manifest.get("status", "failed"), manifest.get("error")
        item.summary = _summary_row(item, result) if item.status == "ok" else None
        show(item, manifest.get("duration_s"))
        save_manifest()
        remaining -= 1
        comparison_kernel.when(remaining)
    comparison_kernel.ready()


FATAL_WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)  # the disk is full or read-only: stop


def error_record(stage: str, exc: BaseException) -> dict:
    """A manifest's error record of an exception of any type at ``stage`` (validation, worker, write)."""
    return {
        "stage": stage,
        "cell_index": None,
        "execution_count": None,
        "ename": type(exc).__name__,
        "evalue": printable(str(exc))[:2000],
    }


class _ComparisonKernel:
    """Where the comparison notebook runs in this process (a cluster that does not see the output
    folder), its kernel is started and warmed up here while the last reports run on the workers
    (once no more than ``max(1, workers - 1)`` are left, so a worker's core is free for it)."""

    def __init__(self, run):
        self.wanted = not run.shares_filesystem and comparison_notebook().is_file()
        self.threshold = max(1, run.parallelism() - 1) if self.wanted else 0
        self._thread = None

    def when(self, remaining: int) -> None:
        if self.wanted and self._thread is None and 0 < remaining <= self.threshold:
            import threading

            from . import kernels

            self._thread = threading.Thread(
                target=kernels.warm_up, kwargs={"browser": False}, name="simlib-comparison-kernel", daemon=True
            )
            self._thread.start()

    def ready(self) -> None:
        if self._thread is not None:
            self._thread.join()


def _summary_row(item: Item, result) -> dict | None:
    """The item's summary.csv numbers from the results.csv its worker sent back (None if they
    cannot be read: ``batch_record.summary_table`` reads the file written, and reports why)."""
    from ..analysis import compare

    try:
        text = result["files"]["results.csv"].decode("utf-8")
        return compare.summary_row_of_tidy(item.scenario, list(csv.DictReader(io.StringIO(text, newline=""))))
    except Exception:  # noqa: BLE001
        return None


def _notebook_of(item: Item) -> str:
    nb = item.inputs.get("notebook") or ""
    return "" if nb == str(report_notebook()) else nb


def _comparison(run, out: Path, lang: str, grid_csv: str) -> dict:
    """The comparison notebook on the batch folder: on a worker that sees it, else here (in the
    kernel warmed up during the last reports, if it started)."""
    try:
        if run.shares_filesystem:
            return run.run(comparison_task, str(out), lang, grid_csv, True)
        return comparison_task(str(out), lang, grid_csv, True)
    except Exception as exc:  # noqa: BLE001 - recorded; index.html is written anyway
        return {"status": "failed", "html": None, "error": {"ename": type(exc).__name__, "evalue": str(exc)}}
