"""A batch folder's record on disk: its ``manifest.json`` (every report's status, and the batch's own,
marked when it ends early) and ``summary.csv`` (one row per scenario, read from the reports' results).
The batch itself is ``batch``; ``items`` here are its ``batch.Item`` list (not imported: ``batch``
imports this module)."""

from __future__ import annotations

import csv
from pathlib import Path

from ..engine import atomic, csvfile
from .index_page import has_report
from .render import now_iso, one_line, read_manifest


def batch_manifest(record: dict, items: list, out: Path) -> dict:
    rows = []
    for item in items:
        m = item.manifest or {}
        rows.append(
            {
                "name": item.name,
                "unit": item.unit,
                "file": str(item.file),
                "dir": item.dir,
                "status": item.status,
                "resumed": item.resumed,
                "inputs_hash": item.inputs.get("inputs_hash"),
                "started": m.get("started"),
                "duration_s": m.get("duration_s"),
                "report": f"{item.dir}/report.html" if has_report(item, out) else None,
                "error": item.error,
            }
        )
    counts = {s: sum(1 for i in items if i.status == s) for s in ("ok", "failed", "pending")}
    counts["resumed"] = sum(1 for i in items if i.resumed)
    return {**record, "counts": counts, "scenarios": rows}


def summary_table(out: Path, items: list) -> tuple[list[str], list[dict]]:
    """(columns, rows) of summary.csv: ``compare.summary_row_of_tidy`` of each finished report, read
    from the results.csv its notebook wrote (nothing is computed again; a report of this run was
    read as it came back, ``Item.summary``), then status, error and report folder."""
    from ..analysis import compare

    ok = [i for i in items if i.status == "ok" and i.scenario is not None]
    metric_rows = [
        i.summary
        if i.summary is not None and not i.resumed
        else compare.summary_row_of_tidy(i.scenario, _read_tidy(out / i.dir / "results.csv"))
        for i in ok
    ]
    by_dir = {i.dir: r for i, r in zip(ok, metric_rows)}
    columns = compare.summary_columns()
    for r in metric_rows:
        columns += [c for c in r if c not in columns]
    columns += ["status", "error", "report_dir"]
    rows = []
    for item in items:
        row = dict(by_dir.get(item.dir, {"scenario": item.name}))
        err = item.error or {}
        where = f"cell {err['cell_index']}: " if err.get("cell_index") is not None else ""
        row.update(
            {
                "scenario": item.name,
                "status": item.status,
                "error": f"{where}{err.get('ename')}: {one_line(err.get('evalue'), 500)}" if item.error else "",
                "report_dir": item.dir if has_report(item, out) else "",
            }
        )
        rows.append(row)
    return columns, rows


def _read_tidy(path: Path) -> list[dict]:
    """The rows of a report's results.csv (scenario, year, metric, mean, p05, p50, p95)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mark_interrupted(out: Path) -> None:
    """An interrupted batch's manifest says so (``status: interrupted``), not ``running``."""
    mark_ended(out, "interrupted")


def mark_ended(out: Path, status: str, error: dict | None = None) -> None:
    """A batch that stopped early: its manifest's ``running`` becomes ``status`` (with ``error``).

    Rewritten whole where it can be; where it cannot (the disk is full, so no new file can be made)
    the word ``running`` is overwritten in place by ``"failed"`` — the same number of bytes, so no
    new block is needed and the file stays valid JSON — so no manifest is left saying ``running``."""
    path = Path(out) / "manifest.json"
    manifest = read_manifest(Path(out))
    if not (manifest and manifest.get("kind") == "simlib-batch" and manifest.get("status") == "running"):
        return
    manifest.update(status=status, ended=now_iso(), **({"batch_error": error} if error else {}))
    try:
        atomic.write_json(path, manifest)
    except OSError:
        _overwrite_running(path)


def _overwrite_running(path: Path) -> None:
    """``"status": "running"`` → ``"status": "failed" `` in place (9 bytes for 9 bytes)."""
    import os

    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return
    try:
        raw = os.pread(fd, os.fstat(fd).st_size, 0)
        at = raw.find(b'"status": "running"')
        if at >= 0:
            os.pwrite(fd, b'"failed" ', at + len(b'"status": '))
            os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_summary(out: Path, items: list) -> dict | None:
    """Write summary.csv; return the error instead of raising, so the index is written anyway."""
    try:
        columns, rows = summary_table(out, items)
    except Exception as exc:  # noqa: BLE001 - recorded in the batch manifest
        (out / "summary.csv").unlink(missing_ok=True)  # never leave an earlier run's table behind
        return {"ename": type(exc).__name__, "evalue": str(exc)[:2000]}
    csvfile.write(out / "summary.csv", columns, rows)  # a scenario named "=…" stays text in a spreadsheet
    return None
