"""Throughput of ``simlib batch`` with 1 and 2 workers, and the time of one rendered report.

Measures, in one run, with the real commands in fresh processes and fresh output folders:
  single    ``simlib run scenarios/all_levers.yaml --out DIR`` in a new interpreter: the wall
            time a planner waits for one report, imports of papermill and nbconvert, kernel
            start and HTML export included (≤ 5 s);
  batch     ``simlib batch scenarios --out DIR --workers 1``, then the same with ``--workers 2``
            (never ``--resume``), the 7 example scenarios at ``--draws`` draws each: the wall
            time end to end (process start, validation, every report, summary.csv, the
            comparison notebook, index.html) and the report phase alone, from the first
            report's start to the last report's end as their own manifests record them;
  ratio     the 1-worker time over the 2-worker time, end to end and for the report phase
            (≥ 1.7× on 2 cores; only judged when the process may use at least 2 cores);
  report    the median of the reports' own durations (``duration_s`` in each report's
            manifest: notebook run in the worker's kept kernel, HTML export, workbook, one-pager
            PDF, manifest) in the 1-worker batch (≤ 2.5 s), and the median of each step
            (``steps_s``); the same in the 2-worker batch, where two reports share the cores;
  imports   ``import papermill, nbconvert`` in a fresh interpreter (median of 3): a cost paid
            inside the first report's clock by ``simlib run`` and by a 1-worker batch, and
            before any report starts by each worker of a 2-worker batch.

With n reports of equal length, 2 workers finish them in at best ceil(n / 2) report times,
so the report phase can speed up by at most n / ceil(n / 2) (1.75× for 7); the validation
before and the summary and comparison notebook after the reports run once either way.

The machine may be shared: the load average is printed at the start, before each run and at
the end, and the CPU time used by each command (its processes and kernels) is recorded.
Prints a table (measure, time, target, met) and writes it as JSON to out/bench/batch.json.
Run from the project root: ``.venv/bin/python benchmarks/bench_batch.py [--draws 2000]``.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import common
from common import ROOT, display_path, fmt_load_average, load_average, machine, print_table, stop_group, write_json

OUT = ROOT / "out" / "bench" / "batch.json"
SCENARIOS = ROOT / "scenarios"
SINGLE_SCENARIO = SCENARIOS / "all_levers.yaml"
TARGET_SPEEDUP = 1.7  # 2 workers over 1, on 2 cores
TARGET_REPORT_S = 5.0
TARGET_WARM_REPORT_S = 2.5  # a report in a batch's worker (its kept kernel, imports done)
STEP_ORDER = ["notebook", "html", "xlsx", "onepager"]  # a report's steps_s, in the order they run


# ---------------------------------------------------------------- helpers

# whole milliseconds: what is timed here lasts seconds
fmt_seconds = functools.partial(common.fmt_seconds, ms_digits=0)


def simlib_command() -> list[str]:
    """The ``simlib`` console script next to this interpreter, else ``python -m simlib``."""
    script = Path(sys.executable).parent / "simlib"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "simlib"]


def epoch(iso: str | None) -> float | None:
    """Seconds since the epoch of a manifest's ISO time (with its UTC offset)."""
    return datetime.fromisoformat(iso).timestamp() if iso else None


def children_cpu_s() -> float:
    """User + system CPU seconds of every finished child process (and of what they waited for)."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def code_root() -> Path:
    """Where the commands, workers and kernels start: the folder of the code before a change when
    ``PYTHONPATH`` names one (``--before``), else this checkout. A kernel runs ``python -m
    ipykernel_launcher``, which puts its working folder first on ``sys.path``: started in this
    checkout it would import this checkout's simlib whatever ``PYTHONPATH`` says."""
    import os

    before = os.environ.get("PYTHONPATH", "").split(os.pathsep)[0]
    return Path(before) if before else ROOT


def run_command(args: list[str], timeout: float) -> dict:
    """Run a simlib command in a new process group; its wall time, CPU time, exit code and output.

    On time-out the whole group (the command, its workers and kernels) is stopped.
    """
    load_before = load_average()
    cpu0 = children_cpu_s()
    launched = time.time()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        simlib_command() + args,
        cwd=code_root(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_group(proc)
        raise RuntimeError(f"`simlib {' '.join(args)}` ran out of time ({timeout:g} s)") from None
    except KeyboardInterrupt:
        stop_group(proc)
        raise
    wall = time.perf_counter() - t0
    return {
        "command": ["simlib", *args],
        "exit_code": proc.returncode,
        "wall_s": wall,
        "launched_epoch": launched,
        "cpu_s": children_cpu_s() - cpu0,
        "load_average_before": load_before,
        "stdout": stdout.strip(),
        "stderr": stderr.strip(),
    }


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


IMPORT_PROBE = "import time; t0 = time.perf_counter(); import papermill, nbconvert; print(time.perf_counter() - t0)"


def bench_imports(reps: int = 3) -> dict:
    """``import papermill, nbconvert`` in fresh interpreters: median and every time (s)."""
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", IMPORT_PROBE], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(reps)
    ]
    return {"median_s": statistics.median(times), "times_s": times}


# ---------------------------------------------------------------- one report


def bench_single(out_dir: Path, scenario: Path, draws: int, lang: str, timeout: float) -> dict:
    """``simlib run`` of one scenario in a fresh process, into a new folder."""
    run = run_command(["run", str(scenario), "--out", str(out_dir), "--draws", str(draws), "--lang", lang], timeout)
    manifest = read_json(out_dir / "manifest.json") or {}
    run.update(
        {
            "scenario": scenario.name,
            "status": manifest.get("status", "missing"),
            "report_duration_s": manifest.get("duration_s"),
            "attempts": manifest.get("attempts"),
            "error": manifest.get("error"),
        }
    )
    # before the report's own clock started: interpreter, simlib, validation (papermill and
    # nbconvert are imported later, inside the report's clock)
    started = epoch(manifest.get("started"))
    run["before_report_s"] = started - run["launched_epoch"] if started else None
    return run


# ---------------------------------------------------------------- one batch


def bench_batch(out_dir: Path, workers: int, draws: int, lang: str, timeout: float) -> dict:
    """``simlib batch scenarios --workers N`` into a new folder; wall time and its phases."""
    run = run_command(
        [
            "batch",
            str(SCENARIOS),
            "--out",
            str(out_dir),
            "--workers",
            str(workers),
            "--draws",
            str(draws),
            "--lang",
            lang,
        ],
        timeout,
    )
    manifest = read_json(out_dir / "manifest.json")
    if manifest is None:
        raise RuntimeError(
            f"the {workers}-worker batch wrote no manifest (exit {run['exit_code']}):\n{run['stderr'][-2000:]}"
        )
    reports = []
    for row in manifest.get("scenarios", []):
        own = read_json(out_dir / row["dir"] / "manifest.json") or {}
        start = epoch(own.get("started") or row.get("started"))
        duration = own.get("duration_s", row.get("duration_s"))
        end = epoch(own.get("ended")) or (start + duration if start is not None and duration is not None else None)
        reports.append(
            {
                "name": row["name"],
                "status": row["status"],
                "duration_s": duration,
                "start_epoch": start,
                "end_epoch": end,
                "attempts": own.get("attempts"),
                "steps_s": own.get("steps_s") or {},
                "error": row.get("error"),
            }
        )
    starts = [r["start_epoch"] for r in reports if r["start_epoch"] is not None]
    ends = [r["end_epoch"] for r in reports if r["end_epoch"] is not None]
    durations = [r["duration_s"] for r in reports if r["duration_s"] is not None]
    first, last = (min(starts), max(ends)) if starts and ends else (None, None)
    launched, finished = run["launched_epoch"], run["launched_epoch"] + run["wall_s"]
    run.update(
        {
            "workers": workers,
            "draws": draws,
            "status": manifest.get("status"),
            "counts": manifest.get("counts"),
            "manifest_duration_s": manifest.get("duration_s"),
            "comparison": manifest.get("comparison"),
            "summary_error": manifest.get("summary_error"),
            "reports": reports,
            "reports_phase_s": last - first if first is not None else None,
            "before_reports_s": first - launched if first is not None else None,
            "after_reports_s": finished - last if last is not None else None,
            "report_median_s": statistics.median(durations) if durations else None,
            "report_min_s": min(durations) if durations else None,
            "report_max_s": max(durations) if durations else None,
            "report_sum_s": sum(durations) if durations else None,
        }
    )
    return run


def median_of(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


# ---------------------------------------------------------------- the table


def rows_of(single: dict, one: list[dict], two: list[dict], imports: dict, cores: int) -> list[dict]:
    judged = cores >= 2
    n_reports = len(one[0]["reports"])
    draws = one[0]["draws"]
    w1, w2 = median_of(one, "wall_s"), median_of(two, "wall_s")
    p1, p2 = median_of(one, "reports_phase_s"), median_of(two, "reports_phase_s")
    end_ratio = w1 / w2
    phase_ratio = p1 / p2 if p1 and p2 else None
    per_report = statistics.median(r["duration_s"] for b in one for r in b["reports"] if r["duration_s"] is not None)
    per_report_2 = statistics.median(r["duration_s"] for b in two for r in b["reports"] if r["duration_s"] is not None)
    all_ok = all(b["status"] == "ok" and b["exit_code"] == 0 for b in one + two) and single["status"] == "ok"
    speed_target = f"≥ {TARGET_SPEEDUP}×"
    rows = [
        {
            "measure": f"batch of {n_reports} × {draws:,} draws, 1 worker, end to end",
            "value": w1,
            "shown": fmt_seconds(w1),
            "target": "",
            "met": None,
        },
        {
            "measure": f"batch of {n_reports} × {draws:,} draws, 2 workers, end to end",
            "value": w2,
            "shown": fmt_seconds(w2),
            "target": "",
            "met": None,
        },
        {
            "measure": "throughput 2 vs 1 workers, end to end",
            "value": end_ratio,
            "shown": f"{end_ratio:.2f}×",
            "target": speed_target,
            "met": (end_ratio >= TARGET_SPEEDUP) if judged else None,
        },
        {
            "measure": "  report phase, 1 worker (first start → last end)",
            "value": p1,
            "shown": fmt_seconds(p1) if p1 else "n/a",
            "target": "",
            "met": None,
        },
        {
            "measure": "  report phase, 2 workers",
            "value": p2,
            "shown": fmt_seconds(p2) if p2 else "n/a",
            "target": "",
            "met": None,
        },
        {
            "measure": "throughput 2 vs 1 workers, report phase",
            "value": phase_ratio,
            "shown": f"{phase_ratio:.2f}×" if phase_ratio else "n/a",
            "target": speed_target,
            "met": (phase_ratio >= TARGET_SPEEDUP) if judged and phase_ratio else None,
        },
        {
            "measure": "time per report, median, 1-worker batch",
            "value": per_report,
            "shown": fmt_seconds(per_report),
            "target": f"≤ {TARGET_WARM_REPORT_S:g} s",
            "met": per_report <= TARGET_WARM_REPORT_S,
        },
        {
            "measure": "  the same in the 2-worker batch (two at once)",
            "value": per_report_2,
            "shown": fmt_seconds(per_report_2),
            "target": "",
            "met": None,
        },
        {
            "measure": f"`simlib run` one report, fresh process ({single['scenario']})",
            "value": single["wall_s"],
            "shown": fmt_seconds(single["wall_s"]),
            "target": f"≤ {TARGET_REPORT_S:g} s",
            "met": single["wall_s"] <= TARGET_REPORT_S and single["status"] == "ok",
        },
        {
            "measure": "  of which import papermill + nbconvert (fresh)",
            "value": imports["median_s"],
            "shown": fmt_seconds(imports["median_s"]),
            "target": "",
            "met": None,
        },
        {
            "measure": "every report and both batches ok",
            "value": all_ok,
            "shown": "yes" if all_ok else "NO",
            "target": "all ok",
            "met": all_ok,
        },
    ]
    return rows


def describe_batch(b: dict) -> str:
    def s(x):
        return "n/a" if x is None else f"{x:.1f} s"

    durations = ", ".join(f"{r['duration_s']:.1f}" for r in b["reports"] if r["duration_s"] is not None)
    names = sorted({k for r in b["reports"] for k in r.get("steps_s", {})}, key=STEP_ORDER.index)
    steps = ", ".join(
        f"{k} {statistics.median(r['steps_s'][k] for r in b['reports'] if k in r['steps_s']):.2f} s" for k in names
    )
    retried = [r["name"] for r in b["reports"] if (r.get("attempts") or 1) > 1]
    before = (
        "interpreter, validation, worker start and imports"
        if b["workers"] > 1
        else "interpreter, validation; papermill is imported inside the first report"
    )
    return (
        f"{b['workers']} worker(s): {b['wall_s']:.1f} s = {s(b['before_reports_s'])} before the first report "
        f"({before}) + "
        f"{s(b['reports_phase_s'])} reports + {s(b['after_reports_s'])} after (summary, comparison, index); "
        f"CPU {b['cpu_s']:.1f} s ({b['cpu_s'] / b['wall_s']:.2f} cores busy on average); "
        f"load before {b['load_average_before']}\n    report durations (s): {durations}"
        + (f"\n    median per step: {steps}" if steps else "")
        + (f"; kernel start retried for {', '.join(retried)}" if retried else "")
    )


# ---------------------------------------------------------------- executors (--executors)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PRELOAD = "simlib.runs.dask_preload"  # the README's worker command: a worker joins warm


def start_cluster(workers: int, preload: bool = True, env: dict | None = None) -> tuple[str, list[subprocess.Popen]]:
    """A `dask scheduler` and ``workers`` single-threaded `dask worker` processes on 127.0.0.1,
    started as the README says (``--preload``: each joins once warm), or plain (``preload=False``:
    each warms up when the batch connects, while it validates, and in its first report). ``env``:
    added to their environment (``PYTHONPATH`` of the code before a change, with ``--before``)."""
    import os

    dask = str(Path(sys.executable).parent / "dask")
    environ = {**os.environ, **(env or {})}
    cwd = Path(env["PYTHONPATH"].split(os.pathsep)[0]) if (env or {}).get("PYTHONPATH") else ROOT  # as code_root()
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--dashboard-address",
                f"127.0.0.1:{free_port()}",
            ],
            cwd=cwd,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    for _ in range(workers):
        procs.append(
            subprocess.Popen(
                [
                    dask,
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--host",
                    "127.0.0.1",
                    "--dashboard-address",
                    f"127.0.0.1:{free_port()}",
                    *(["--preload", PRELOAD] if preload else []),
                ],
                cwd=cwd,
                env=environ,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
    from distributed import Client

    with Client(address, timeout=60, set_as_default=False) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, procs


def bench_executor(
    label: str,
    out_dir: Path,
    sources: list[str],
    extra: list[str],
    draws: int,
    lang: str,
    timeout: float,
    env: dict | None = None,
) -> dict:
    """One batch on one executor: wall time, report durations, and the time not spent in reports."""
    import os

    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        run = run_command(
            ["batch", *sources, "--out", str(out_dir), "--draws", str(draws), "--lang", lang, *extra], timeout
        )
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    manifest = read_json(out_dir / "manifest.json") or {}
    durations, starts, ends, where = [], [], [], {}
    by_unit: dict[str, list[tuple[float, float]]] = {}  # unit folder -> (start, duration) of its reports
    steps: dict[str, list[float]] = {}
    for row in manifest.get("scenarios", []):
        own = read_json(out_dir / row["dir"] / "manifest.json") or {}
        if own.get("duration_s") is not None:
            durations.append(own["duration_s"])
            starts.append(epoch(own["started"]))
            ends.append(epoch(own["ended"]))
            for step, seconds in (own.get("steps_s") or {}).items():
                steps.setdefault(step, []).append(seconds)
            if "/" in row["dir"]:
                by_unit.setdefault(row["dir"].split("/")[0], []).append((starts[-1], own["duration_s"]))
            if row.get("unit") and own.get("worker"):
                where.setdefault(row["unit"], set()).add(own["worker"])
    # with --all-units: a unit's first report draws its field figures, the next ones reuse them
    first = [min(runs)[1] for runs in by_unit.values() if len(runs) > 1]
    later = [d for runs in by_unit.values() if len(runs) > 1 for d in [r[1] for r in sorted(runs)[1:]]]
    finished = run["launched_epoch"] + run["wall_s"]
    return {
        "label": label,
        "exit_code": run["exit_code"],
        "status": manifest.get("status"),
        "reports": len(durations),
        "wall_s": run["wall_s"],
        "cpu_s": run["cpu_s"],
        "report_median_s": statistics.median(durations) if durations else None,
        "first_of_unit_median_s": statistics.median(first) if first else None,
        "later_of_unit_median_s": statistics.median(later) if later else None,
        "step_median_s": {k: statistics.median(v) for k, v in steps.items()},
        "report_sum_s": sum(durations),
        "reports_phase_s": (max(ends) - min(starts)) if durations else None,
        # launch → first report's start (process start, validation, connecting, worker start-up), and
        # last report's end → exit (summary, comparison notebook, pages, closing the executor)
        "before_reports_s": (min(starts) - run["launched_epoch"]) if durations else None,
        "after_reports_s": (finished - max(ends)) if durations else None,
        # --all-units: units whose reports all ran on one worker, of the units with reports
        "units_on_one_worker": sum(len(w) == 1 for w in where.values()) if where else None,
        "units": len(where) or None,
        "load_average_before": run["load_average_before"],
        "stderr_tail": run["stderr"][-600:],
    }


def executors_main(args) -> int:
    """Embedded default vs a LocalCluster vs 1 and 2 `dask worker` processes, in one run."""

    sets = {"7 example scenarios": ([str(SCENARIOS)], [])}
    if args.units:
        sets["34 units × 2 scenarios"] = (
            [str(SCENARIOS / "all_levers.yaml"), str(SCENARIOS / "baseline.yaml")],
            ["--all-units"],
        )
    info = machine()
    info["dask_workers"] = "plain (cold)" if args.cold_workers else f"--preload {PRELOAD} (join warm)"
    print(
        f"machine: {info['cores']} cores usable, load average {fmt_load_average(info['load_average_at_start'])}; "
        f"dask workers started {info['dask_workers']}",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="simlib-bench-executors-"))
    results = []
    try:
        for set_name, (sources, extra) in sets.items():
            configs = [
                ("embedded default (local pool), 2 workers", ["--workers", "2"], None, 0),
                ("Dask LocalCluster, 2 workers", ["--workers", "2"], {"SIMLIB_EXECUTOR": "dask-local"}, 0),
                ("dask scheduler + 1 worker", [], None, 1),
                ("dask scheduler + 2 workers", [], None, 2),
            ]
            if args.dask_only:
                configs = [c for c in configs if c[3]]
            # with --before: each configuration once with the code before a change and once with this one
            codes = [("after", {})] + ([("before", {"PYTHONPATH": str(args.before)})] if args.before else [])
            for rep in range(args.reps):  # with --reps: the order alternates (…, 1, 2 worker(s); then 2, 1, …)
                for n, (label, more, env, cluster_workers) in enumerate(configs if rep % 2 == 0 else configs[::-1]):
                    for code, code_env in codes if rep % 2 == 0 else codes[::-1]:
                        procs = []
                        if cluster_workers:
                            address, procs = start_cluster(cluster_workers, preload=not args.cold_workers, env=code_env)
                            more = ["--scheduler", address]
                        shown = f" [{code}]" if args.before else ""
                        print(f"{set_name}: {label}{shown} (run {rep + 1} of {args.reps}) …", flush=True)
                        try:
                            r = bench_executor(
                                label,
                                work / f"{n}-{len(results)}",
                                sources,
                                extra + more,
                                args.draws,
                                args.lang,
                                args.timeout,
                                {**(env or {}), **code_env},
                            )
                        finally:
                            for proc in procs:
                                stop_group(proc)
                        r["set"], r["rep"], r["code"] = set_name, rep, code
                        results.append(r)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    info["load_average_at_end"] = load_average()
    print()
    if args.before:
        print_before_after(results, sets)
        results_after = [r for r in results if r["code"] == "after"]
    else:
        results_after = results
    results_all, results = results, results_after
    for set_name in sets:
        if args.reps > 1:  # each run's pair first: the machine's speed moves between runs
            pairs = [
                tuple(
                    next(r for r in results if r["set"] == set_name and r["rep"] == rep and r["label"] == label)
                    for label in ("dask scheduler + 1 worker", "dask scheduler + 2 workers")
                )
                for rep in range(args.reps)
            ]
            ratios = [one["wall_s"] / two["wall_s"] for one, two in pairs]
            print(
                f"{set_name}: 2 vs 1 dask workers, end to end, run by run: "
                + ", ".join(
                    f"{one['wall_s']:.1f} / {two['wall_s']:.1f} s = {x:.2f}×" for (one, two), x in zip(pairs, ratios)
                )
                + f"; median {statistics.median(ratios):.2f}× (target ≥ {TARGET_SPEEDUP}×); median report with "
                f"1 worker {statistics.median(one['report_median_s'] for one, _ in pairs):.2f} s"
            )
        rs = [r for r in results if r["set"] == set_name and r["rep"] == args.reps - 1]
        one = next(r for r in rs if r["label"] == "dask scheduler + 1 worker")
        two = next(r for r in rs if r["label"] == "dask scheduler + 2 workers")
        print(f"{set_name}, {args.draws} draws each" + (f" (the last run of {args.reps}):" if args.reps > 1 else ":"))
        for r in rs:
            med = f"{r['report_median_s']:.2f} s" if r["report_median_s"] else "n/a"
            print(
                f"  {r['label']:<44} end to end {r['wall_s']:7.1f} s   report median {med}   "
                f"exit {r['exit_code']}   load before {r['load_average_before']}"
            )
            if r["reports_phase_s"]:
                units = (
                    f"; a unit's reports on one worker: {r['units_on_one_worker']} of {r['units']} units"
                    if r.get("units")
                    else ""
                )
                print(
                    f"    {r['before_reports_s']:.1f} s before the first report + {r['reports_phase_s']:.1f} s "
                    f"reports (sum {r['report_sum_s']:.1f} s) + {r['after_reports_s']:.1f} s after the last{units}"
                )
        ratio = one["wall_s"] / two["wall_s"]
        # per task: what the workers spent in reports vs the time the cluster was busy with them
        overhead = (
            (two["reports_phase_s"] * 2 - two["report_sum_s"]) / max(two["reports"], 1)
            if two["reports_phase_s"]
            else None
        )
        print(f"  speed-up 2 vs 1 dask workers, end to end: {ratio:.2f}× (target ≥ {TARGET_SPEEDUP}×)")
        if one["reports_phase_s"] and two["reports_phase_s"]:
            print(
                f"  speed-up 2 vs 1 dask workers, report phase: {one['reports_phase_s'] / two['reports_phase_s']:.2f}×; "
                f"sum of report times 2 vs 1 workers: {two['report_sum_s'] / one['report_sum_s']:.2f}× "
                "(above 1: two reports at once slow each other down)"
            )
        print(f"  report median with 1 warm worker: {one['report_median_s']:.2f} s (target ≤ {TARGET_WARM_REPORT_S} s)")
        if one.get("first_of_unit_median_s") is not None:
            print(
                f"    a unit's first report {one['first_of_unit_median_s']:.2f} s, "
                f"its next ones {one['later_of_unit_median_s']:.2f} s"
            )
        if one.get("step_median_s"):
            print("    median steps: " + ", ".join(f"{k} {v:.3f} s" for k, v in one["step_median_s"].items()))
        if overhead is not None:
            print(f"  idle worker time per task (scheduling, transfer, waiting), 2 workers: {overhead:.2f} s")
        print(f"  fixed time outside the reports, 2 workers: {two['wall_s'] - (two['reports_phase_s'] or 0):.1f} s")
    print(f"load average at end: {fmt_load_average(info['load_average_at_end'])}")
    write_json(args.out.with_name("executors.json"), {"machine": info, "draws": args.draws, "results": results_all})
    return 0 if all(r["exit_code"] == 0 for r in results_all) else 1


def print_before_after(results: list[dict], sets) -> None:
    """``--before``: for each configuration, run by run, the median report with the code before the
    change and with this one (run back to back, so the pair shares the machine's load) and their ratio."""
    for set_name in sets:
        labels = list(dict.fromkeys(r["label"] for r in results if r["set"] == set_name))
        for label in labels:
            pairs = []
            for rep in sorted({r["rep"] for r in results}):
                got = {r["code"]: r for r in results if (r["set"], r["label"], r["rep"]) == (set_name, label, rep)}
                if (
                    {"before", "after"} <= set(got)
                    and got["before"]["report_median_s"]
                    and got["after"]["report_median_s"]
                ):
                    pairs.append((got["before"], got["after"]))
            if not pairs:
                continue
            ratios = [b["report_median_s"] / a["report_median_s"] for b, a in pairs]
            print(
                f"{set_name}, {label}: median report before / after the change, run by run: "
                + "; ".join(
                    f"{b['report_median_s']:.2f} / {a['report_median_s']:.2f} s = {x:.2f}× "
                    f"(load {b['load_average_before']} / {a['load_average_before']}; end to end "
                    f"{b['wall_s']:.1f} / {a['wall_s']:.1f} s)"
                    for (b, a), x in zip(pairs, ratios)
                )
                + f"; median {statistics.median(ratios):.2f}×"
            )


# ---------------------------------------------------------------- a kept kernel (--warm)


def warm_main(args) -> int:
    """One report after the other in this process, alternately in a fresh kernel and in a kernel
    kept for report after report (imports and data loaded once, reset between reports): the reports' own
    durations (their manifests' duration_s), median of each, and their ratio, in one run."""
    sys.path.insert(0, str(ROOT))
    from simlib.runs import kernels, render

    info = machine()
    print(
        f"machine: {info['cores']} cores usable, load average {fmt_load_average(info['load_average_at_start'])}",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="simlib-bench-warm-"))
    times = {"fresh kernel": [], "kept kernel": []}
    try:
        kernels.warm_up()
        for rep in range(args.reps_warm):
            for label, warm in (("fresh kernel", False), ("kept kernel", True)):
                job = render.ReportJob(str(SINGLE_SCENARIO), str(work / f"{rep}-{warm}"), args.lang, args.draws)
                manifest = render.run_report(job, warm=warm)
                times[label].append(manifest["duration_s"])
                print(f"  {label}: {manifest['duration_s']:.2f} s ({manifest['status']})", flush=True)
    finally:
        render.release_spare()
        shutil.rmtree(work, ignore_errors=True)
    cold, warm = (statistics.median(v) for v in times.values())
    print(
        f"median report: fresh kernel {cold:.2f} s, kept kernel {warm:.2f} s "
        f"(target ≤ {TARGET_WARM_REPORT_S} s); ratio {cold / warm:.2f}×; load average at end "
        f"{fmt_load_average(load_average())}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=2000, help="draws per scenario (default 2000, as the files)")
    ap.add_argument(
        "--reps",
        type=int,
        default=1,
        help="batches per worker count (medians reported; orders alternate 1,2 then 2,1); with "
        "--executors: runs of every configuration, each run's 2-vs-1 ratio and their median",
    )
    ap.add_argument("--lang", choices=("vi", "en"), default="vi")
    ap.add_argument("--timeout", type=float, default=600, help="seconds allowed per command")
    ap.add_argument("--keep", action="store_true", help="keep the output folders (their path is printed)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--executors",
        action="store_true",
        help="compare the embedded default, a Dask LocalCluster "
        "and 1 vs 2 `dask worker` processes instead (writes executors.json beside --out)",
    )
    ap.add_argument("--units", action="store_true", help="with --executors: also 34 units × 2 scenarios")
    ap.add_argument(
        "--dask-only",
        action="store_true",
        help="with --executors: only `dask scheduler` with 1 and "
        "2 workers (the 2-vs-1 speed-up), not the local pool and LocalCluster",
    )
    ap.add_argument(
        "--cold-workers",
        action="store_true",
        help="with --executors: start each `dask worker` "
        f"without --preload {PRELOAD} (it warms up when the batch connects and in its first report)",
    )
    ap.add_argument(
        "--warm",
        action="store_true",
        help="only: reports in a fresh kernel vs in the kept kernel, alternately in this process",
    )
    ap.add_argument("--reps-warm", type=int, default=3, help="with --warm: reports of each kind (default 3)")
    ap.add_argument(
        "--before",
        type=Path,
        help="with --executors: a folder holding the simlib package before a change (e.g. `git archive REV | tar "
        "-x -C DIR`); every configuration also runs with it first on PYTHONPATH, next to this checkout, "
        "and each run's before/after report median is printed",
    )
    args = ap.parse_args(argv)
    if args.warm:
        return warm_main(args)
    if args.executors:
        return executors_main(args)

    info = machine()
    print(
        f"machine: {info['cores']} cores usable ({info['cpu_count']} in all), Python {info['python']}, "
        f"load average {fmt_load_average(info['load_average_at_start'])}",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="simlib-bench-batch-"))
    try:
        print("import papermill, nbconvert …", flush=True)
        imports = bench_imports()
        print(f"simlib run {SINGLE_SCENARIO.name} …", flush=True)
        single = bench_single(work / "single", SINGLE_SCENARIO, args.draws, args.lang, args.timeout)
        one, two = [], []
        for rep in range(args.reps):
            for workers in (1, 2) if rep % 2 == 0 else (2, 1):
                print(f"simlib batch scenarios --workers {workers} (run {rep + 1} of {args.reps}) …", flush=True)
                result = bench_batch(work / f"batch-w{workers}-{rep + 1}", workers, args.draws, args.lang, args.timeout)
                (one if workers == 1 else two).append(result)
    finally:
        if args.keep:
            print(f"outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    info["load_average_at_end"] = load_average()

    rows = rows_of(single, one, two, imports, info["cores"])
    print()
    print_table(rows)
    print()
    print(
        f"simlib run: {single['wall_s']:.1f} s wall, of which {single['report_duration_s'] or 0:.1f} s the "
        f"report's own clock (papermill and nbconvert imports, kernel, notebook, HTML) and "
        f"{single['before_report_s'] or 0:.1f} s before it (interpreter, simlib, validation); CPU {single['cpu_s']:.1f} s; load before "
        f"{single['load_average_before']}"
    )
    for b in one + two:
        print(describe_batch(b))
    n = len(one[0]["reports"])
    bound = n / -(-n // 2)
    print(
        f"with {n} reports of equal length 2 workers need at best {-(-n // 2)} report times: "
        f"report phase ≤ {bound:.2f}× faster; one-off parts (validation; summary and comparison after) "
        f"do not divide"
    )
    print(
        f"load average at end: {info['load_average_at_end']}"
        + ("" if info["cores"] >= 2 else "; fewer than 2 usable cores: throughput not judged")
    )
    failed = [(b["workers"], r["name"], r["error"]) for b in one + two for r in b["reports"] if r["status"] != "ok"]
    for workers, name, error in failed:
        print(f"FAILED in the {workers}-worker batch: {name}: {error}")
    if single["status"] != "ok":
        print(f"FAILED: simlib run: exit {single['exit_code']}: {single['stderr'][-1000:]}")

    report = {
        "machine": info,
        "options": {"draws": args.draws, "reps": args.reps, "lang": args.lang},
        "targets_met": all(r["met"] for r in rows if r["met"] is not None),
        "table": [{k: r[k] for k in ("measure", "value", "shown", "target", "met")} for r in rows],
        "packing_bound": bound,
        "imports": imports,
        "single": single,
        "batches_1_worker": one,
        "batches_2_workers": two,
    }
    write_json(args.out, report)
    print(f"\nwritten: {display_path(args.out)}")
    return 0 if rows[-1]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
