"""What every benchmark script needs: durations as text, the machine's description, the
results table, the JSON report written atomically, percentiles and stopping a process group.

The scripts run from the project root as ``python benchmarks/bench_x.py``, so this folder
is first on ``sys.path`` and they import from here with ``from common import ...``.
(``run_all.py`` only runs ``bench_*.py``, so this module is never run as a benchmark.)
"""

from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project root


# ---------------------------------------------------------------- text


def fmt_seconds(s: float, ms_digits: int = 1) -> str:
    """A duration ``s`` in seconds as text: in milliseconds with ``ms_digits`` decimals below
    1 s ("12.3 ms"), else in seconds with 2 decimals ("1.23 s")."""
    return f"{s * 1000:.{ms_digits}f} ms" if s < 1 else f"{s:.2f} s"


def fmt_load_average(load: list[float] | None) -> str:
    """Load averages (runnable processes) as "0.53, 1.13, 1.52"; "" when there are none."""
    return ", ".join(f"{x:.2f}" for x in load or [])


def display_path(path: Path) -> Path:
    """``path`` relative to the project root when it lies inside it, else as given."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


# ---------------------------------------------------------------- the machine


def load_average() -> list[float] | None:
    """The 1-, 5- and 15-minute load averages (mean number of runnable processes, rounded to
    2 decimals); None where the system does not report them."""
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def usable_cores() -> int:
    """The number of CPU cores this process may run on (its affinity), else all the machine's."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def machine(**versions: str) -> dict:
    """The machine a benchmark runs on: usable ``cores`` and ``cpu_count`` (all cores), the
    ``python`` version, then ``versions`` (package name → version), ``platform``,
    ``processor`` and ``load_average_at_start`` (as :func:`load_average`)."""
    return {
        "cores": usable_cores(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        **versions,
        "platform": platform.platform(),
        "processor": platform.processor(),
        "load_average_at_start": load_average(),
    }


# ---------------------------------------------------------------- results


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (q in 0–100) of ``values``, in their unit, with linear
    interpolation between neighbours, as numpy computes it by default."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def print_table(rows: list[dict]) -> None:
    """Print the columns measure, time, target and met of ``rows`` (dicts with ``measure``,
    ``shown`` (the time as text, unit included), ``target`` (text, "" for none) and ``met``
    (True, False, or None when not judged))."""
    width = max(len(r["measure"]) for r in rows)
    print(f"{'measure':<{width}}  {'time':>10}  {'target':>8}  met")
    for r in rows:
        met = "" if r["met"] is None else ("yes" if r["met"] else "NO")
        print(f"{r['measure']:<{width}}  {r['shown']:>10}  {r['target']:>8}  {met}")


def write_json(path: Path, report: dict) -> None:
    """Write ``report`` to ``path`` as indented UTF-8 JSON, atomically: to a temporary file in
    the same folder, then moved into place, so a previous report is never half-overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- processes


def stop_group(proc: subprocess.Popen, grace_s: float = 5.0) -> None:
    """Stop ``proc`` and every process of its group (started with ``start_new_session=True``):
    SIGTERM, then SIGKILL if the process is still running after ``grace_s`` seconds."""
    for sig, wait in ((signal.SIGTERM, grace_s), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
