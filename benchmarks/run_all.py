"""Run every benchmarks/bench_*.py, each in its own interpreter, and say which passed.

Each script runs as a subprocess (so its import times are its own) from the project
root, with a time limit; its output is printed as it comes. A script that fails or
runs out of time is reported and the next one runs. Exit code 1 if any failed.

    .venv/bin/python benchmarks/run_all.py                # all of them (``make bench``)
    .venv/bin/python benchmarks/run_all.py engine grid    # only names containing these words
    .venv/bin/python benchmarks/run_all.py --timeout 900
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, stop_group

HERE = Path(__file__).resolve().parent
DEFAULT_TIMEOUT_S = 600


def scripts(words: list[str]) -> list[Path]:
    """The benchmark scripts, by name; only those whose name contains one of ``words`` if any."""
    found = sorted(HERE.glob("bench_*.py"))
    return [p for p in found if not words or any(w in p.stem for w in words)]


def run_one(path: Path, timeout: float) -> tuple[str, float]:
    """Run one script; returns its status (ok, failed (exit N), timed out) and its wall time (s)."""
    start = time.perf_counter()
    # its own process group, so a time-out also stops what the script started (kernels, probes)
    proc = subprocess.Popen([sys.executable, str(path)], cwd=ROOT, start_new_session=True)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_group(proc)
        return f"timed out after {timeout:g} s", time.perf_counter() - start
    except KeyboardInterrupt:
        stop_group(proc)
        raise
    status = "ok" if code == 0 else f"failed (exit {code})"
    return status, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run every benchmarks/bench_*.py.")
    ap.add_argument("only", nargs="*", help="run only scripts whose name contains one of these")
    ap.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds allowed per script (default {DEFAULT_TIMEOUT_S})",
    )
    args = ap.parse_args(argv)
    todo = scripts(args.only)
    if not todo:
        print("no benchmark script matched", file=sys.stderr)
        return 1
    results = []
    for path in todo:
        print(f"==> {path.name}", flush=True)
        status, seconds = run_one(path, args.timeout)
        results.append((path.name, status, seconds))
        print(f"<== {path.name}: {status} in {seconds:.1f} s\n", flush=True)
    width = max(len(name) for name, _, _ in results)
    print("summary")
    for name, status, seconds in results:
        print(f"  {name:<{width}}  {status:<24} {seconds:7.1f} s")
    return 0 if all(status == "ok" for _, status, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
