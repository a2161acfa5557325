"""A finished report's files for leaders: the one-page PDF (and its HTML) and the workbook."""
from __future__ import annotations

import time
from pathlib import Path


def leader_files(scenario, directory: Path, lang: str, steps: dict | None = None) -> dict[str, str]:
    """Beside report.html: onepager.pdf (and its .html) and results.xlsx; file → "ok" or why it is missing.
    ``steps``: seconds taken by each file are added to it (``xlsx``, ``onepager``).

    Neither is needed for the report to count as done: a machine without chromium still gets the
    report, and the manifest says why the PDF is missing.
    """
    from ..analysis import compare, decompose, league
    from ..engine.evaluate import run_many
    from . import excel, onepager

    out: dict[str, str] = {}
    steps = {} if steps is None else steps
    t = time.perf_counter()
    result, baseline = run_many([scenario, compare.baseline_of(scenario)])
    try:
        excel.write(result, directory / "results.xlsx", baseline, league.league(scenario), lang,
                    results_csv=(directory / "results.csv") if (directory / "results.csv").is_file() else None)
        out["results.xlsx"] = "ok"
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest
        out["results.xlsx"] = f"failed: {type(exc).__name__}: {str(exc)[:500]}"
    steps["xlsx"], t = time.perf_counter() - t, time.perf_counter()
    try:
        onepager.write(result, baseline, directory, lang, decompose.decompose(scenario))
        out["onepager.pdf"] = "ok"
    except Exception as exc:  # noqa: BLE001 - recorded in the manifest
        out["onepager.pdf"] = f"failed: {type(exc).__name__}: {str(exc)[:500]}"
    steps["onepager"] = time.perf_counter() - t
    return out
