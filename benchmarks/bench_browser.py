"""In a real browser: how fast the Voilà page is ready, and how fast a slider release redraws it.

Starts the lever explorer's server (``python -m simlib.app.server``, as scripts/serve_app.sh
does: 127.0.0.1, a free port, one pre-heated kernel) and opens it in Debian's chromium with
the network cut off except 127.0.0.1.

Page ready: the time from ``goto`` until the panel's numbers and its figure are shown, for
``--visits`` fresh visits (default 7, each in a new browser context, the tab closed after),
each once the pool has a pre-heated kernel ready (the steady state of a server between
visits); target: median ≤ 1.5 s. Also the very first visit after the server starts, before
any kernel is warm (no target: the cold start).

For comparison in the same run (same load): ``--plain`` visits (default 3) to a server without
pre-heated kernels, where each visit starts its kernel and runs the notebook (Voilà's default).

Slider: drags the simplification slider's handle and releases it ``--moves`` times (default
20), alternating between two positions far apart. For each move the page itself records the
time of the mouse release and the time the projection figure's image is replaced (a
MutationObserver on its ``src``); target: median ≤ 0.5 s.

Prints the table and writes it, with every visit and move, to out/bench/browser.json. Run
from the project root on demand: ``.venv/bin/python benchmarks/bench_browser.py`` (or
``make bench``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, display_path, fmt_load_average, load_average, percentile, print_table, usable_cores, write_json

sys.path.insert(0, str(ROOT / "tests"))

import browser_support as bs  # noqa: E402  (the tests' server and browser helpers)

OUT = ROOT / "out" / "bench" / "browser.json"
NOTEBOOK = ROOT / "notebooks" / "lever_explorer.ipynb"
TARGET_MEDIAN_S = 0.5
TARGET_READY_S = 1.5  # median page-ready time with a pre-heated kernel

WATCH = """() => {
  window.__released = null; window.__drawn = null;
  document.addEventListener('mouseup', () => { window.__released = performance.now(); }, true);
  const img = document.querySelector('img.fig-projection');
  new MutationObserver(() => { window.__drawn = performance.now(); })
    .observe(img, {attributes: true, attributeFilter: ['src']});
}"""


def drag_to(page, fraction: float) -> None:
    """Drag the simplification handle to ``fraction`` of the track and release it."""
    track = page.locator(".lever-simplification .noUi-base").bounding_box()
    handle = page.locator(".lever-simplification .noUi-handle").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + fraction * track["width"], track["y"] + track["height"] / 2, steps=5)
    page.evaluate("() => { window.__drawn = null; window.__released = null; }")
    page.mouse.up()


def open_panel(page, url: str) -> float:
    """Seconds from navigation until the panel's numbers and its projection figure are shown."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".par-score-median", state="visible", timeout=120_000)
    page.wait_for_selector("img.fig-projection", state="visible", timeout=120_000)
    return time.perf_counter() - started


def plain_visits(browser, count: int) -> list[float]:
    """Page-ready times of a server without pre-heated kernels (each visit starts its own)."""
    times = []
    with tempfile.TemporaryDirectory() as home:
        server = bs.voila_server(NOTEBOOK, Path(home), max_kernels=8, pool=0, cull=30)
        try:
            server.start()
            for _ in range(count):
                context, _ = bs.offline_context(browser)
                times.append(open_panel(context.new_page(), server.url + "/"))
                context.close()
        finally:
            server.stop()
    return times


def measure(moves: int, visits: int, plain: int = 3) -> dict:
    bs.require_browser()
    outside: list[str] = []
    with tempfile.TemporaryDirectory() as home:
        server = bs.voila_server(NOTEBOOK, Path(home), max_kernels=8, pool=1, cull=60)
        try:
            server.start()
            with bs.chromium() as browser:
                context, seen = bs.offline_context(browser)
                cold = open_panel(context.new_page(), server.url + "/")
                outside += seen
                context.close()
                ready, waited = [], []
                for i in range(visits):
                    waited.append(bs.wait_warm(server))
                    context, seen = bs.offline_context(browser)
                    page = context.new_page()
                    ready.append(open_panel(page, server.url + ("/" if i % 2 == 0 else "/?simplification=0.6")))
                    outside += seen
                    if i < visits - 1:
                        context.close()
                page.evaluate(WATCH)
                times, values = [], []
                for i in range(moves):
                    drag_to(page, 0.4 if i % 2 == 0 else 0.75)
                    page.wait_for_function(
                        "() => window.__drawn !== null && window.__released !== null", timeout=30_000
                    )
                    times.append(page.evaluate("() => (window.__drawn - window.__released) / 1000"))
                    values.append(bs.text(page, bs.readout("simplification")))
                    page.wait_for_timeout(200)  # a planner's pause; lets the kernel go idle
                bs.screenshot(page, "bench_browser_last_move")
                context.close()
        finally:
            server.stop()
        with bs.chromium() as browser:
            plain_s = plain_visits(browser, plain) if plain else []
    return {
        "plain_ready_s": plain_s,
        "plain_ready_median_s": statistics.median(plain_s) if plain_s else None,
        "cold_ready_s": cold,
        "ready_s": ready,
        "ready_median_s": statistics.median(ready),
        "waited_for_warm_kernel_s": waited,
        "moves": moves,
        "times_s": times,
        "slider_values": values,
        "median_s": statistics.median(times),
        "p95_s": percentile(times, 95),
        "max_s": max(times),
        "outside_requests": outside,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--visits", type=int, default=7)
    parser.add_argument("--plain", type=int, default=3, help="visits without pre-heated kernels (0: skip)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    print(f"cores: {usable_cores()}, load average at start: {fmt_load_average(load_average())}")
    report = measure(args.moves, args.visits, args.plain)
    report["machine"] = {"cores": usable_cores(), "load_average": load_average()}
    print(f"load average at end: {fmt_load_average(report['machine']['load_average'])}")
    timings = [
        ("page ready (pre-heated kernel), median", report["ready_median_s"], TARGET_READY_S),
        ("page ready, slowest visit", max(report["ready_s"]), None),
        ("page ready, first visit after start (cold)", report["cold_ready_s"], None),
        *(
            [("page ready without pre-heated kernels, median", report["plain_ready_median_s"], None)]
            if report["plain_ready_s"]
            else []
        ),
        ("release → figure, median", report["median_s"], TARGET_MEDIAN_S),
        ("release → figure, 95th percentile", report["p95_s"], None),
        ("release → figure, slowest", report["max_s"], None),
    ]
    print_table(
        [
            {
                "measure": name,
                "shown": f"{seconds:.3f} s",
                "target": "" if target is None else f"≤ {target:g} s",
                "met": None if target is None else seconds <= target,
            }
            for name, seconds, target in timings
        ]
    )
    print(f"{args.visits} visits: " + ", ".join(f"{t:.2f}" for t in report["ready_s"]) + " s")
    print(f"{args.moves} moves: " + ", ".join(f"{1000 * t:.0f}" for t in report["times_s"]) + " ms")
    print(f"outside requests: {report['outside_requests'] or 'none'}")
    write_json(args.out, report)
    print(f"written: {display_path(args.out)}")
    return 0 if report["median_s"] <= TARGET_MEDIAN_S and report["ready_median_s"] <= TARGET_READY_S else 1


if __name__ == "__main__":
    sys.exit(main())
