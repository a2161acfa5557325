"""Python-side update time of the lever explorer panel after a slider change (no browser).

Builds ``simlib.app.panel.LeverExplorer`` with the app's default 2,000 draws and sets slider
values as a slider release does (``slider.value = …``), cycling through every lever;
each update recomputes the baseline and the current settings in one call on the cached
field draws, the summaries, the HTML and both figures. Also times a language switch
(labels and figures redrawn, nothing recomputed), a target-year change and a change of
focal unit (a new context: the field's draws for that unit, the first time).

Target: ≤ 150 ms per slider update (median). Prints a table and writes it to
out/bench/widgets.json. Run from the project root on demand:
``.venv/bin/python benchmarks/bench_widgets.py [--moves 40] [--draws 2000]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt_load_average, load_average, percentile, print_table, usable_cores, write_json

OUT = ROOT / "out" / "bench" / "widgets.json"
TARGET_MS = 150.0


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - started)


def measure(moves: int, draws: int) -> dict:
    from simlib.app.panel import LeverExplorer
    from simlib.engine import levers

    with tempfile.TemporaryDirectory() as root:
        built = time.perf_counter()
        panel = LeverExplorer(draws=draws, query="", root=root)
        build_ms = 1000 * (time.perf_counter() - built)
        names = levers.names()
        slider_ms = []
        for i in range(moves):
            slider = panel.sliders[names[i % len(names)]]
            value = slider.min + (slider.max - slider.min) * ((i * 37) % 100) / 100
            slider.value = round(value, 1)
            slider_ms.append(panel.update_ms)
        lang_ms = [timed(lambda v=v: setattr(panel.lang_toggle, "value", v)) for v in ("en", "vi") * 3]
        year_ms = [timed(lambda y=y: setattr(panel.year_slider, "value", y)) for y in (2028, 2029, 2026, 2027)]
        focal_first_ms = timed(lambda: setattr(panel.focal_dropdown, "value", "da-nang"))
        focal_again_ms = timed(lambda: setattr(panel.focal_dropdown, "value", "ha-noi"))
    return {
        "draws": draws,
        "build_ms": build_ms,
        "slider_ms": slider_ms,
        "slider_median_ms": statistics.median(slider_ms),
        "slider_p95_ms": percentile(slider_ms, 95),
        "lang_median_ms": statistics.median(lang_ms),
        "target_year_median_ms": statistics.median(year_ms),
        "focal_first_ms": focal_first_ms,
        "focal_cached_ms": focal_again_ms,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    print(f"cores: {usable_cores()}, load average at start: {fmt_load_average(load_average())}")
    r = measure(args.moves, args.draws)
    r["machine"] = {"cores": usable_cores(), "load_average": load_average()}
    timings = [
        ("panel built (first render)", r["build_ms"], None),
        ("slider update, median", r["slider_median_ms"], TARGET_MS),
        ("slider update, 95th percentile", r["slider_p95_ms"], None),
        ("language switch, median", r["lang_median_ms"], None),
        ("target year change, median", r["target_year_median_ms"], None),
        ("focal unit change (new context)", r["focal_first_ms"], None),
        ("focal unit change (cached context)", r["focal_cached_ms"], None),
    ]
    print(f"draws: {r['draws']}")
    print_table(
        [
            {
                "measure": name,
                "shown": f"{ms:.1f} ms",
                "target": "" if target is None else f"≤ {target:g} ms",
                "met": None if target is None else ms <= target,
            }
            for name, ms, target in timings
        ]
    )
    write_json(args.out, r)
    print(f"written: {args.out}")
    return 0 if r["slider_median_ms"] <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
