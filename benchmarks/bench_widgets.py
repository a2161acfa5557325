"""Python-side update time of the lever explorer panel after a slider change (no browser).

Builds ``simlib.widgets.LeverExplorer`` with the app's default 2,000 draws and sets slider
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
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out" / "bench" / "widgets.json"
TARGET_MS = 150.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - started)


def measure(moves: int, draws: int) -> dict:
    from simlib import levers
    from simlib.widgets import LeverExplorer

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
        "draws": draws, "build_ms": build_ms, "slider_ms": slider_ms,
        "slider_median_ms": statistics.median(slider_ms), "slider_p95_ms": percentile(slider_ms, 95),
        "lang_median_ms": statistics.median(lang_ms), "target_year_median_ms": statistics.median(year_ms),
        "focal_first_ms": focal_first_ms, "focal_cached_ms": focal_again_ms,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()}")
    r = measure(args.moves, args.draws)
    r["machine"] = {"cores": os.cpu_count(), "load_average": os.getloadavg()}
    rows = [("panel built (first render)", r["build_ms"], None),
            ("slider update, median", r["slider_median_ms"], TARGET_MS),
            ("slider update, 95th percentile", r["slider_p95_ms"], None),
            ("language switch, median", r["lang_median_ms"], None),
            ("target year change, median", r["target_year_median_ms"], None),
            ("focal unit change (new context)", r["focal_first_ms"], None),
            ("focal unit change (cached context)", r["focal_cached_ms"], None)]
    print(f"draws: {r['draws']}")
    print(f"{'measure':<38}{'time':>10}{'target':>10}  met")
    for name, value, target in rows:
        met = "" if target is None else ("yes" if value <= target else "NO")
        print(f"{name:<38}{value:>8.1f}ms{'' if target is None else f'{target:>8.0f}ms':>10}  {met}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(r, indent=2), encoding="utf-8")
    os.replace(tmp, args.out)
    print(f"written: {args.out}")
    return 0 if r["slider_median_ms"] <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
