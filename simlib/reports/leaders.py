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
    from . import excel, onepager, waterfall

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
        from .text import describe_figure

        decomposition = decompose.decompose(scenario)
        figure = waterfall.figure(decomposition, lang)
        onepager.write(result, baseline, directory, lang, decomposition, figure,
                       shown_png(directory / "report.ipynb", describe_figure(figure)))
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
