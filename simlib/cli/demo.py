"""The main job: every example scenario as a batch of rendered reports, then where to find them.

    python -m simlib.demo              # scenarios/*.yaml → out/demo (2 workers, resumable)
    python -m simlib.demo --fresh      # redo every report even if its inputs did not change

First an engine-only sweep of simplification × delegation targets around the baseline
scenario (``simlib grid`` → out/demo-grid/grid.csv) for the comparison's heat map; then
``simlib batch``. Reports whose inputs (scenario, draws, seed, language, data files,
notebook) did not change since the last run are kept as they are (``--resume``).
Exit code: 0 all reports rendered, 1 some failed (see out/demo/manifest.json), 2 bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..engine.paths import ROOT, scenarios_dir

SCENARIOS = scenarios_dir()
OUT = ROOT / "out" / "demo"
GRID_LEVERS = ("simplification", "delegation")  # the comparison's heat map: targets 30–90%


def _shown(path: Path) -> str:
    """A path relative to the current folder when it is below it, else absolute."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    from ..runs import render
    from .main import main as simlib_main

    parser = argparse.ArgumentParser(prog="python -m simlib.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUT), help=f"batch directory (default {_shown(OUT)})")
    parser.add_argument("--workers", default="2", help="parallel notebook runs (default 2)")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    parser.add_argument("--fresh", action="store_true", help="redo every report")
    args = parser.parse_args(argv)
    out = Path(args.out)
    grid = out.with_name(out.name + "-grid")
    code = simlib_main(
        [
            "grid",
            "--base",
            str(SCENARIOS / "baseline.yaml"),
            "--out",
            str(grid),
            *[arg for lever in GRID_LEVERS for arg in ("--lever", f"{lever}=0.3:0.9:7")],
        ]
    )
    if code != 0:
        return code
    command = [
        "batch",
        str(SCENARIOS),
        "--out",
        str(out),
        "--workers",
        args.workers,
        "--lang",
        args.lang,
        "--grid",
        str(grid),
    ]
    if not args.fresh:
        command.append("--resume")
    code = simlib_main(command)
    if code == 2:
        return code
    manifest = render.read_manifest(out) or {}
    print()
    print("Rendered reports (open in a browser; no Python needed):")
    print(f"  comparison of all scenarios: {_shown(out / 'index.html')}")
    for row in manifest.get("scenarios", []):
        if row.get("report"):
            mark = "" if row["status"] == "ok" else f"   [{row['status']}]"
            print(f"  {row['name']:<24} {_shown(out / row['report'])}{mark}")
        else:
            print(f"  {row['name']:<24} (no report: {row['status']})")
    return code


if __name__ == "__main__":
    sys.exit(main())
