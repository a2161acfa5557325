"""``simlib run``, ``simlib batch`` and ``simlib grid``: rendered reports and lever sweeps.

Exit codes: 0 everything succeeded; 1 a report (or a scenario of a batch) failed — its
manifest says where and why; 2 bad input (nothing run, nothing written).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import atomic, csvfile, outfolder
from ..engine.errors import InputError, Issue
from ..runs.progress import Progress
from . import interrupted

if TYPE_CHECKING:
    from ..engine.scenario import Scenario
    from ..runs.render import ReportJob

LANGS = ("vi", "en")


def _common(p) -> None:
    p.add_argument("--lang", choices=LANGS, default="vi", help="language of the report (default vi)")
    p.add_argument("--draws", help="Monte-Carlo draws (10–100000; default: the scenario's)")
    p.add_argument("--seed", help="random seed (default: the scenario's)")
    p.add_argument(
        "--freeze",
        metavar="LABEL",
        help="also freeze every unit's forecast under LABEL (a batch: LABEL-<scenario>) in the user data folder, "
        "to score once the results are out (simlib forecast score)",
    )


def _scheduler(p) -> None:
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the tasks on this Dask cluster, e.g. "
        "tcp://host:8786 (workers need simlib and its data installed; results are written here); "
        "default: worker processes on this machine",
    )


def register(sub) -> None:
    p = sub.add_parser("run", help="render one scenario's report: notebook, HTML without code, results, manifest")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--out", required=True, help="report directory (created, or replaced if an earlier report)")
    _common(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("batch", help="render many scenarios' reports in parallel, with a comparison page")
    p.add_argument("sources", nargs="+", metavar="SCENARIO_OR_DIR", help="scenario YAML files or folders of them")
    p.add_argument("--out", required=True, help="batch directory")
    p.add_argument("--workers", default="2", help="parallel notebook runs (1–8; default 2)")
    p.add_argument("--resume", action="store_true", help="skip scenarios whose report is complete with the same inputs")
    p.add_argument(
        "--grid",
        default="",
        help="a `simlib grid` output (grid.csv or its folder) for the "
        "comparison's heat map (default: a small grid computed by the comparison)",
    )
    p.add_argument(
        "--all-units",
        action="store_true",
        help="run each scenario for each of the 34 units as the focal unit, into <unit>/<scenario>/, "
        "with a units × scenarios page (units.html)",
    )
    _scheduler(p)
    _common(p)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("grid", help="engine-only sweep over lever targets (no notebook per point)")
    p.add_argument(
        "--lever",
        action="append",
        default=[],
        metavar="NAME=START:STOP:STEPS",
        help="a swept lever, e.g. simplification=0.3:0.9:7 (shares; repeat for more levers)",
    )
    p.add_argument("--out", required=True, help="directory for grid.csv and manifest.json")
    p.add_argument("--base", help="scenario YAML supplying everything not swept (default: the defaults)")
    p.add_argument("--draws", help="Monte-Carlo draws (10–100000; default: the base scenario's)")
    p.add_argument("--seed", help="random seed (default: the base scenario's)")
    p.add_argument("--year", help="year of the metrics (default: the base scenario's target_year)")
    _scheduler(p)
    p.set_defaults(func=cmd_grid)


def cmd_run(args) -> int:
    from ..runs import render

    issues = []
    try:  # the one reading of the scenario file: the report is given the scenario it validated
        job = render.job_for(args.scenario, args.out, args.lang, args.draws, args.seed)
        render.check_data()
    except InputError as exc:
        issues += exc.issues
    if not render.report_notebook().is_file():
        issues.append(Issue("report notebook", str(render.report_notebook()), "an existing notebook"))
    if args.freeze is not None:
        from .forecast import check_free

        issues += check_free(args.freeze)
    issues += outfolder.problems(args.out, "simlib-report", probe=not issues)
    if issues:
        raise InputError(issues, context=args.scenario)
    out = Path(args.out)
    try:
        with atomic.output_lock(out):
            manifest = _one_report(job)
    except KeyboardInterrupt:
        print(f"interrupted: {out} was left as it was", file=sys.stderr)
        return interrupted.EXIT
    if manifest["status"] != "ok":
        err = manifest["error"] or {}
        where = f" in cell {err['cell_index']}" if err.get("cell_index") is not None else ""
        print(
            f"error: the report failed{where}: {err.get('ename')}: {err.get('evalue')}\n"
            f"  details: {out / 'manifest.json'}, executed notebook: {out / 'report.ipynb'}",
            file=sys.stderr,
        )
        return 1
    print(f"report: {out / 'report.html'}  ({manifest['duration_s']:.1f} s)")
    for missing in render.leader_failures(manifest):
        print(f"warning: not written: {missing}", file=sys.stderr)
    if args.freeze is not None:
        _freeze([(args.freeze, manifest["scenario"])], out, args.lang)
    return 0


def _freeze(todo: list[tuple[str, dict]], out: Path, lang: str) -> None:
    """Freeze each (label, scenario as a dict) of the reports just rendered (``--freeze``)."""
    from ..engine.scenario import Scenario
    from ..reports import forecast_report
    from .forecast import check_free, freeze_and_save

    for label, scenario in todo:
        taken = check_free(label)
        if taken:
            print(f"warning: not frozen: {taken[0]}", file=sys.stderr)
            continue
        frozen, path = freeze_and_save(Scenario.from_dict(scenario), label, {"command": "--freeze", "report": str(out)})
        print("\n".join(forecast_report.frozen_lines(frozen, path, lang)))


def cmd_batch(args) -> int:
    from ..runs import batch, batch_record, executor

    out = Path(args.out)
    problems = outfolder.problems(out, "simlib-batch", swap=False)
    if args.freeze is not None:
        from ..analysis import forecasts

        problems += forecasts.check_label(args.freeze)
    if problems:
        raise InputError(problems, context="command line")
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None
    try:
        manifest = batch.run_batch(
            args.sources,
            out,
            workers=args.workers,
            resume=args.resume,
            lang=args.lang,
            draws=args.draws,
            seed=args.seed,
            grid=args.grid,
            scheduler=args.scheduler,
            every_unit=args.all_units,
        )
    except KeyboardInterrupt:
        batch_record.mark_interrupted(out)
        print(
            f"interrupted: finished reports in {out} are kept; run the same command with --resume "
            "to complete the batch",
            file=sys.stderr,
        )
        return interrupted.EXIT
    except executor.ClusterLost as exc:
        print(f"error: {exc} with --resume; the finished reports in {out} are kept", file=sys.stderr)
        return 1
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    c = manifest["counts"]
    resumed = f", {c['resumed']} already done" if c["resumed"] else ""
    units = f"; units × scenarios: {out / 'units.html'}" if manifest.get("all_units") else ""
    print(
        f"{c['ok']} ok, {c['failed']} failed{resumed} in {manifest['duration_s']:.1f} s; "
        f"comparison: {out / 'index.html'}; summary: {out / 'summary.csv'}{units}"
    )
    if manifest.get("summary_error"):
        err = manifest["summary_error"]
        print(f"warning: summary.csv could not be written ({err['ename']}: {err['evalue']})", file=sys.stderr)
    if manifest.get("comparison", {}).get("status") == "failed":
        err = manifest["comparison"].get("error") or {}
        print(
            f"warning: the comparison notebook failed ({err.get('ename')}: {err.get('evalue')}); "
            f"index.html lists the reports and headline numbers; see {out / 'comparison.ipynb'}",
            file=sys.stderr,
        )
    if args.freeze is not None:
        _freeze_batch(args.freeze, manifest, out, args.lang)
    return 0 if manifest["status"] == "ok" else 1


def _freeze_batch(label: str, manifest: dict, out: Path, lang: str) -> None:
    """``batch --freeze LABEL``: each finished report's scenario frozen as LABEL-<its folder> (LABEL alone
    for a batch of one scenario)."""
    from ..runs import render

    done = [row for row in manifest.get("scenarios", []) if row.get("status") == "ok"]
    todo = []
    for row in done:
        report = render.read_manifest(out / row["dir"]) or {}
        if "scenario" in report:
            name = label if len(done) == 1 else f"{label}-{row['dir'].replace('/', '-')}"
            todo.append((name[:60], report["scenario"]))
    _freeze(todo, out, lang)


class on_cluster:
    """``with on_cluster(address) as run``: a Dask executor for ``--scheduler`` (None without one);
    an address that does not answer is an InputError (exit 2) before anything is written."""

    def __init__(self, address: str | None):
        self.address, self.run = address, None

    def __enter__(self):
        if not self.address:
            return None
        from ..runs import executor

        self.run = executor.DaskExecutor(self.address)
        print(f"running on {self.run.describe()}", file=sys.stderr, flush=True)
        return self.run

    def __exit__(self, *exc):
        if self.run is not None:
            self.run.close(cancel=exc[0] is not None)
        return False


def scheduler_probe(args):
    """A ``--scheduler`` asked at once whether it is a Dask scheduler (``executor.SchedulerProbe``), while
    the command checks its other inputs; its ``problems()`` are the command's, before anything is locked
    or computed."""
    from ..runs import executor

    return executor.SchedulerProbe(getattr(args, "scheduler", None))


def _interrupt(signum, frame):
    """SIGTERM stops a batch as Ctrl-C does: workers stopped, finished reports kept."""
    from ..engine import atomic

    atomic.interrupt(signum, frame)


def cmd_grid(args) -> int:
    from ..analysis import grid
    from ..engine.scenario import Scenario, load_scenario

    probe = scheduler_probe(args)
    issues = []
    try:
        axes = grid.parse_specs(args.lever)
    except InputError as exc:
        issues += exc.issues
    try:
        if args.base:
            base = load_scenario(args.base, args.draws, args.seed)
        else:
            changes = {k: v for k, v in (("draws", args.draws), ("seed", args.seed)) if v is not None}
            base = Scenario.from_dict({"name": "defaults", **changes})
    except InputError as exc:
        issues += exc.issues
        base = None
    out = Path(args.out)
    issues += outfolder.problems(out, "simlib-grid", probe=False)
    if base is not None and args.year is not None and args.year not in [int(y) for y in base.years]:
        issues.append(
            Issue(
                "--year",
                args.year,
                f"a projected year of the base scenario, {int(base.years[0])} to {int(base.years[-1])}",
            )
        )
    if not issues:
        issues += outfolder.problems(out, "simlib-grid")  # the write probe, once all else is fine
    issues += probe.problems()
    if issues:
        raise InputError(issues, context="grid")
    with outfolder.writing(out, "simlib-grid") as draft:
        return _grid(args, draft, base, axes)


def _grid(args, draft: outfolder.Draft, base: Scenario, axes: dict) -> int:
    from ..analysis import grid
    from ..reports import provenance
    from ..runs import render

    started, t0 = render.now_iso(), time.perf_counter()
    year = int(base.target_year if args.year is None else args.year)
    with on_cluster(getattr(args, "scheduler", None)) as run:
        show = Progress("grid", "combinations")
        rows = grid.sweep(
            base,
            axes,
            year,
            mapper=run.map if run else None,
            blocks=4 * run.parallelism() if run else None,
            progress=show,
        )
        show.end()
    columns = list(axes) + list(grid.METRICS)
    csvfile.write(draft.path / "grid.csv", columns, rows, number=_num)
    manifest = {
        "kind": "simlib-grid",
        "format": render.MANIFEST_FORMAT,
        "base": base.to_dict(),
        "base_file": str(Path(args.base).resolve()) if args.base else None,
        "axes": {n: [float(v) for v in vals] for n, vals in axes.items()},
        "year": year,
        "target_year": int(base.target_year),
        "draws": int(base.draws),
        "seed": int(base.seed),
        "combinations": len(rows),
        "columns": columns,
        "units": {**{n: "target share (0–1) reached by target_year" for n in axes}, **grid.UNITS},
        "packages": provenance.package_versions(),
        "data_file_hashes": provenance.data_hashes(),
        "started": started,
        "ended": render.now_iso(),
        "duration_s": round(time.perf_counter() - t0, 3),
        "status": "ok",
    }
    draft.publish(manifest)
    print(f"{len(rows)} combinations at {year} in {manifest['duration_s']:.1f} s: {draft.target / 'grid.csv'}")
    return 0


def _num(x: float) -> str:
    """Six decimals at most, no trailing zeros (0.3, 73.523054, 2.0)."""
    return repr(round(float(x), 6))


def _one_report(job: ReportJob) -> dict:
    """One report in a kernel kept for it (it also writes the leaders' files from what it computed)."""
    from ..reports import pdfprint
    from ..runs import kernels, render

    try:
        return render.run_report(job, warm=True)
    finally:
        kernels.release()
        pdfprint.close()
