"""In a real browser: how fast the Voilà page is ready, and how fast a slider release redraws it.

Starts the lever explorer's server (``python -m simlib.app.server``, as scripts/serve_app.sh
does: 127.0.0.1, a free port, one pre-heated kernel) and opens it in Debian's chromium with
the network cut off except 127.0.0.1.

Page ready: the time from ``goto`` until the panel's numbers and its figure are shown, for
``--visits`` fresh visits (default 7, each in a new browser context, the tab closed after),
each once the pool has a pre-heated kernel ready (the steady state of a server between
visits); target: median ≤ 1.5 s. Also the very first visit after the server starts (target ≤ 5 s;
the server answers once its first kernel is pre-heated, and the time until then is shown beside it).

For comparison in the same run (same load): ``--plain`` visits (default 3) to a server without
pre-heated kernels, where each visit starts its kernel and runs the notebook (Voilà's default).

Slider: drags the simplification slider's handle and releases it ``--moves`` times (default
20), alternating between two positions far apart. For each move the page itself records the
time of the mouse release and the time the projection figure's image is replaced (a
MutationObserver on its ``src``); target: median ≤ 0.5 s.

With ``--before DIR`` (the project's files before a change, e.g. ``git archive main | tar -x -C DIR``),
every measure is taken twice in the same run, first with that code (its server, page template and
notebook, imported through ``PYTHONPATH``) and then with this one, and the ratios after / before are
printed beside the load average of each.

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
TARGET_FIRST_S = 5.0  # the first visit after the server starts (it answers once a kernel is pre-heated)

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


def server_of(code: Path | None, home: Path, **options) -> bs.Server:
    """The app's server with this project's code (``code`` None) or the code in folder ``code``: its server,
    template and notebook, imported first (``PYTHONPATH``, and run from that folder)."""
    if code is None:
        return bs.voila_server(NOTEBOOK, home, **options)
    server = bs.voila_server(code / "notebooks" / NOTEBOOK.name, home, **options)
    server.cwd = code
    server.env["PYTHONPATH"] = str(code)
    return server


def plain_visits(browser, count: int, code: Path | None = None) -> list[float]:
    """Page-ready times of a server without pre-heated kernels (each visit starts its own)."""
    times = []
    with tempfile.TemporaryDirectory() as home:
        server = server_of(code, Path(home), max_kernels=8, pool=0, cull=30)
        try:
            server.start()
            for _ in range(count):
                context, _ = bs.offline_context(browser)
                times.append(open_panel(context.new_page(), server.url + "/"))
                context.close()
        finally:
            server.stop()
    return times


def measure(moves: int, visits: int, plain: int = 3, code: Path | None = None) -> dict:
    bs.require_browser()
    outside: list[str] = []
    load_start = load_average()
    with tempfile.TemporaryDirectory() as home:
        server = server_of(code, Path(home), max_kernels=8, pool=1, cull=60)
        try:
            launched = time.perf_counter()
            server.start()
            answered = time.perf_counter() - launched
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
            plain_s = plain_visits(browser, plain, code) if plain else []
    return {
        "code": "this" if code is None else str(code),
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "server_answers_s": answered,
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


def timings_of(report: dict) -> list[tuple[str, str, float, float | None]]:
    """(key, measure, seconds, target) of one run, in the order printed."""
    return [
        ("ready", "page ready (pre-heated kernel), median", report["ready_median_s"], TARGET_READY_S),
        ("slowest", "page ready, slowest visit", max(report["ready_s"]), None),
        ("cold", "page ready, first visit after start", report["cold_ready_s"], TARGET_FIRST_S),
        ("answers", "server start → its address answers", report["server_answers_s"], None),
        *(
            [("plain", "page ready without pre-heated kernels, median", report["plain_ready_median_s"], None)]
            if report["plain_ready_s"]
            else []
        ),
        ("move", "release → figure, median", report["median_s"], TARGET_MEDIAN_S),
        ("move95", "release → figure, 95th percentile", report["p95_s"], None),
        ("movemax", "release → figure, slowest", report["max_s"], None),
    ]


def print_run(report: dict, visits: int, moves: int) -> None:
    print(
        f"code: {report['code']}; load average {fmt_load_average(report['load_average_start'])} at its start, "
        f"{fmt_load_average(report['load_average_end'])} at its end"
    )
    print_table(
        [
            {
                "measure": name,
                "shown": f"{seconds:.3f} s",
                "target": "" if target is None else f"≤ {target:g} s",
                "met": None if target is None else seconds <= target,
            }
            for _key, name, seconds, target in timings_of(report)
        ]
    )
    print(f"{visits} visits: " + ", ".join(f"{t:.2f}" for t in report["ready_s"]) + " s")
    print(f"{moves} moves: " + ", ".join(f"{1000 * t:.0f}" for t in report["times_s"]) + " ms")
    print(f"outside requests: {report['outside_requests'] or 'none'}")


def print_ratios(before: dict, after: dict) -> None:
    """Each measure before and after the change, measured in this run, and their ratio."""
    was = {key: seconds for key, _name, seconds, _t in timings_of(before)}
    print("before → after in this run (after / before):")
    for key, name, seconds, _target in timings_of(after):
        if key in was:
            ratio = f"{seconds / was[key]:.2f}" if was[key] else "—"
            print(f"  {name:<48} {was[key]:7.3f} s → {seconds:7.3f} s   ({ratio})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--visits", type=int, default=7)
    parser.add_argument("--plain", type=int, default=3, help="visits without pre-heated kernels (0: skip)")
    parser.add_argument("--before", type=Path, help="a folder with the project's files before a change")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.before is not None and not (args.before / "simlib" / "app" / "server.py").is_file():
        parser.error(f"--before: {args.before} holds no simlib/app/server.py (the project's files before a change)")
    print(f"cores: {usable_cores()}, load average at start: {fmt_load_average(load_average())}")
    runs = {}
    if args.before is not None:
        runs["before"] = measure(args.moves, args.visits, args.plain, args.before.resolve())
        print_run(runs["before"], args.visits, args.moves)
    report = runs["after"] = measure(args.moves, args.visits, args.plain)
    report["machine"] = {"cores": usable_cores(), "load_average": load_average()}
    print_run(report, args.visits, args.moves)
    if "before" in runs:
        print_ratios(runs["before"], report)
        report["before"] = runs["before"]
    write_json(args.out, report)
    print(f"written: {display_path(args.out)}")
    met = all(seconds <= target for _k, _n, seconds, target in timings_of(report) if target is not None)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
