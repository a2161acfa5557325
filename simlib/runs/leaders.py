"""A finished report's files for leaders: the one-page PDF (and its HTML) and the workbook.

They are written by the report's own kernel right after its notebook, and only there
(``kernel_state.write_leader_files``, called by ``notebook_run.execute``): that kernel has already
computed the scenario, its baseline, the decomposition and the league table, so nothing is
computed again in the process that renders the report. The kernel leaves a record of what it
wrote (``KERNEL_RECORD``), which the report's manifest takes over (``kernel_record``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

KERNEL_RECORD = ".leader_files.json"  # what the kernel wrote: {"files": {file: status}, "steps": {step: s}}
FILES = ("results.xlsx", "onepager.pdf")  # the leaders' files as the manifest lists them (with the one-pager's HTML)


def leader_files(scenario: Scenario, directory: Path, lang: str, steps: dict | None = None) -> dict[str, str]:
    """Beside report.html: onepager.pdf (and its .html) and results.xlsx; file → "ok" or why it is missing.
    ``steps``: seconds taken by each file are added to it (``xlsx``, ``onepager``).

    Neither is needed for the report to count as done: a machine without chromium still gets the
    report, and the manifest says why the PDF is missing.
    """
    from ..analysis import compare, costing, decompose, league
    from ..engine.simulate import run_many
    from ..reports import excel, onepager, waterfall

    out: dict[str, str] = {}
    steps = {} if steps is None else steps
    t = time.perf_counter()
    result, baseline = run_many([scenario, compare.baseline_of(scenario)])
    try:
        excel.write(
            result,
            directory / "results.xlsx",
            baseline,
            league.league(scenario),
            lang,
            results_csv=(directory / "results.csv") if (directory / "results.csv").is_file() else None,
            frontier=costing.frontier(scenario),  # the report's (kept per process: ``recent``)
        )
        out["results.xlsx"] = "ok"
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest
        out["results.xlsx"] = f"failed: {type(exc).__name__}: {str(exc)[:500]}"
    steps["xlsx"], t = time.perf_counter() - t, time.perf_counter()
    try:
        decomposition = decompose.decompose(scenario)  # the report's (kept per process: ``recent``)
        onepager.write(
            result,
            baseline,
            directory,
            lang,
            decomposition,
            png=shown_png(directory / "report.ipynb", waterfall.alt_text(decomposition, lang)),
        )
        out["onepager.pdf"] = "ok"
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest
        out["onepager.pdf"] = f"failed: {type(exc).__name__}: {str(exc)[:500]}"
    steps["onepager"] = time.perf_counter() - t
    return out


def shown_png(notebook: Path, alt: str) -> str | None:
    """The base64 PNG the executed report notebook showed with the text alternative ``alt``
    (``report.show``: 110 dpi, the one-pager's own), so the one-pager does not draw the same
    figure again; None if the notebook did not show it."""
    import html
    import json

    try:
        nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    want = html.escape(alt, quote=True)
    for cell in nb.get("cells", []):
        for output in cell.get("outputs") or []:
            data = output.get("data") or {}
            plain, png = data.get("text/plain"), data.get("image/png")
            if png and ("".join(plain) if isinstance(plain, list) else plain) == want:
                return "".join(("".join(png) if isinstance(png, list) else png).split())
    return None


def kernel_record(directory: Path) -> dict | None:
    """What the report's kernel recorded of the leaders' files in ``directory`` (the record is
    removed), or None if it recorded nothing (it stopped or did not answer)."""
    path = Path(directory) / KERNEL_RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    finally:
        path.unlink(missing_ok=True)
    return record if isinstance(record, dict) and isinstance(record.get("files"), dict) else None
