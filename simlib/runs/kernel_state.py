"""Run inside a report's notebook kernel (not in the batch process): warm it up, reset it between reports,
and write a finished report's leaders' files.

Each function is called by name from the process that keeps the kernel (``kernels.call_code``):
its arguments are plain JSON values, and nothing else is sent to a kernel.

A kept kernel (``kernels``) runs one report after the other. Between two reports ``reset``
puts it back in the state of a kernel that has just run ``prepare``: an empty namespace,
execution count 1, no open figure, matplotlib's settings and the warning filters as they
were — only the imported modules and the loaded data tables stay, which is the point.
``ready`` checks that and moves the kernel to the next report's folder. What ``prepare`` made
is frozen for the garbage collector (``gc.freeze``), so the collections between and during reports
walk only what reports made.
"""

from __future__ import annotations

import os
import warnings

_saved: dict = {}


def prepare(browser: bool = True) -> None:
    """Import what the report notebooks import and load the data tables; remember the settings.
    ``browser``: also start the browser that prints the one-pagers (not for the comparison page)."""
    import IPython.display  # noqa: F401
    import matplotlib

    import simlib.analysis.compare  # noqa: F401
    import simlib.engine.scenario  # noqa: F401
    import simlib.engine.simulate  # noqa: F401
    import simlib.reports.figures  # noqa: F401
    import simlib.reports.tables  # noqa: F401
    import simlib.reports.text  # noqa: F401
    from simlib.engine import data

    data.load()
    if browser:
        try:  # the browser that prints the one-pagers starts while this kernel waits for its first report
            from simlib.reports import onepager, pdfprint

            pdfprint.kept_browser(onepager.chromium())
        except Exception:  # noqa: BLE001 - no chromium: the report's manifest says so
            pass
    _saved["rc"] = dict(matplotlib.rcParams)
    _saved["filters"] = list(warnings.filters)
    _saved["clean"] = True
    _freeze()


def _freeze() -> None:
    """Leave what the warm-up made (modules, data tables: the kernel's whole life) out of the garbage
    collector's passes: the full collection of every reset (IPython's) then walks only what reports
    made since, and the collections during a report get cheaper too. Garbage is collected first."""
    import gc

    gc.collect()
    gc.freeze()


def reset() -> None:
    """Forget the last report: its names, its execution count, its figures, its settings."""
    import sys

    import matplotlib
    from IPython import get_ipython

    pyplot = sys.modules.get("matplotlib.pyplot")  # a fresh kernel has none until a notebook imports it
    if pyplot is not None:
        pyplot.close("all")
    if "rc" in _saved:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update({k: v for k, v in _saved["rc"].items() if k not in ("backend", "interactive")})
        if pyplot is not None:  # as importing pyplot left it in a fresh kernel (IPython's inline back end)
            matplotlib.interactive(True)
    if "filters" in _saved:
        warnings.filters[:] = _saved["filters"]
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:  # a warning shown in the last report is shown again in the next one
        mutated()
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True, aggressive=False)
    _saved["clean"] = True


def ready(cwd: str) -> None:
    """Check the kernel is fresh (``prepare``d, or ``reset`` since its last report) and move to ``cwd``."""
    if not _saved.get("clean"):
        raise RuntimeError("this kernel was not reset since its last report")
    _saved["clean"] = False
    os.chdir(cwd)


def write_leader_files(scenario: dict, lang: str, folder: str) -> None:
    """After a report: its leaders' files (``leaders.leader_files``) written into the report folder
    from what this kernel has already computed, and what became of them (``leaders.KERNEL_RECORD``).
    ``scenario``: the report's validated scenario as plain data (``Scenario.to_dict()``)."""
    from pathlib import Path

    from simlib.engine import atomic
    from simlib.engine.scenario import Scenario
    from simlib.runs import leaders

    steps: dict = {}
    where = Path(folder)
    try:
        files = leaders.leader_files(Scenario.from_dict(scenario), where, lang, steps)
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest, as a file's own failure is
        files = {name: f"failed: {type(exc).__name__}: {str(exc)[:500]}" for name in leaders.FILES}
    atomic.write_json(where / leaders.KERNEL_RECORD, {"files": files, "steps": steps})
