"""Fixtures shared by the simlib tests (helpers live in support.py)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from support import clear_caches, copy_data, simlib_in_process

# Every test, and every process a test starts, sees an empty user data folder of its own unless the
# test points SIMLIB_USER_DIR elsewhere: results a developer added for real never reach the tests.
_USER_DIR = tempfile.mkdtemp(prefix="simlib-test-user-")
os.environ["SIMLIB_USER_DIR"] = _USER_DIR


@pytest.fixture(scope="session", autouse=True)
def _empty_user_folder():
    yield
    shutil.rmtree(_USER_DIR, ignore_errors=True)


@pytest.fixture
def user_folder(monkeypatch, tmp_path: Path, fresh_caches) -> Path:
    """Point simlib (in this process and those it starts) at a private, empty user data folder."""
    folder = tmp_path / "user"
    monkeypatch.setenv("SIMLIB_USER_DIR", str(folder))
    return folder


@pytest.fixture
def results_2025(user_folder, tmp_path: Path) -> Path:
    """The private user folder holding fabricated 2025 PAR and SIPAS tables of every unit: the newest
    published year, where projections start, is 2025."""
    from newyear_support import fabricated, write_csv

    from simlib.engine import data, resulttable, userdata

    for index in ("PAR", "SIPAS"):
        path = write_csv(tmp_path / f"{index}-2025.csv", fabricated(2025, index))
        userdata.add(resulttable.read(path, index, 2025), "test table")
    data.refresh()
    yield user_folder
    data.refresh()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data")


@pytest.fixture
def fresh_caches():
    """Run a test with no cached draws, and leave none of its own behind."""
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def other_data(monkeypatch, data_copy: Path, fresh_caches) -> Path:
    """Point simlib (in this process) at a private copy of data/ for the test's duration."""
    monkeypatch.setenv("SIMLIB_DATA_DIR", str(data_copy))
    return data_copy


@pytest.fixture
def simlib_cli(monkeypatch, capsys):
    """``simlib_cli(args, cwd, **env)``: the `simlib` command run in this process (``support.simlib_in_process``),
    returning exit code, stdout and stderr as ``support.run_simlib`` does for the console script."""

    def run(args: list, cwd: Path, **env: str):
        return simlib_in_process(args, cwd, monkeypatch, capsys, **env)

    return run


@pytest.fixture(scope="session")
def rendered_report(tmp_path_factory):
    """One report rendered by the `simlib` command as a user would (all_levers, English, 200 draws,
    seed 11), for the tests that only read it: (the finished process, its --out folder)."""
    from support import ROOT, SCENARIOS, run_simlib

    out = tmp_path_factory.mktemp("rendered") / "report"
    proc = run_simlib(
        ["run", SCENARIOS / "all_levers.yaml", "--out", out, "--draws", 200, "--seed", 11, "--lang", "en"], cwd=ROOT
    )
    return proc, out


# --------------------------------------------------------------------------- real-browser tests
# One chromium and one Voilà lever explorer for the whole run (tests/app/test_browser*.py,
# tests/runs/test_escaping.py), started when a test first asks for them; each test opens fresh pages
# cut off from every network but 127.0.0.1. Servers on free ports, stopped by PID also when a test fails.


@pytest.fixture(scope="session")
def browser():
    import browser_support as bs

    bs.require_browser()
    with bs.chromium() as b:
        yield b


@pytest.fixture(scope="session")
def voila(tmp_path_factory, browser):
    """The lever explorer served by Voilà (``simlib.app.server``); each test opens its own pages (and kernels)."""
    import browser_support as bs

    server = bs.voila_server(bs.LEVER_EXPLORER, tmp_path_factory.mktemp("voila-home"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def offline_page(browser):
    """A fresh page that reaches only 127.0.0.1, and the list of outside addresses it tried."""
    import browser_support as bs

    context, outside = bs.offline_context(browser)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page, outside
    finally:
        context.close()


@pytest.fixture
def page(offline_page):
    """An offline page (``offline_page``) with room for the planner's background sections' slower renders."""
    p, _outside = offline_page
    p.set_default_timeout(60_000)
    return p


# --------------------------------------------------------------------------- parallel runs (make test)
# `make test` runs the tests on two workers (pytest-xdist). A file's tests run on one worker (its module
# fixtures are made once), and the files whose tests open the session's chromium (the `browser` fixture,
# which the Voilà server's tests use too) all run on one worker, so one browser and one server serve them
# all and no two pages compete for the machine. The longest groups go first, so both workers end
# together: by the seconds each group took in a recorded run (tests/durations.json, written by
# `make durations`), else as estimated from its tests' marks.
BROWSER_FILES = (
    "tests/app/test_browser.py",
    "tests/app/test_browser_answers.py",
    "tests/app/test_browser_planner.py",
    "tests/app/test_server.py",
    "tests/runs/test_escaping.py",
)
HEAVY_MARKS = ("slow", "browser", "notebook", "dask")
DURATIONS = Path(__file__).with_name("durations.json")  # group -> seconds on two workers (`make durations`)
HEAVY_S, LIGHT_S = 5.0, 0.2  # a group not yet recorded: seconds per heavy test and per other test


def worker_group(nodeid: str) -> str:
    """The tests that run on one worker: the browser files together, any other file alone."""
    path = nodeid.split("::")[0]
    return "browser" if path in BROWSER_FILES else path


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False  # the workers' order (below), not xdist's by number of tests

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    return ByGroup(config, log)


def pytest_runtest_setup(item):
    path = item.nodeid.split("::")[0]
    if "browser" in getattr(item, "fixturenames", ()) and path not in BROWSER_FILES:
        pytest.fail(f"{path} uses the session's chromium: add it to BROWSER_FILES in tests/conftest.py", pytrace=False)


def recorded_durations() -> dict[str, float]:
    """The seconds each worker group took in the recorded run (empty without tests/durations.json)."""
    try:
        recorded = json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in recorded.items()} if isinstance(recorded, dict) else {}


def group_seconds(items, recorded: dict[str, float]) -> dict[str, float]:
    """Each worker group's expected seconds: as recorded, else estimated from its tests' marks."""
    estimate: dict[str, float] = {}
    for item in items:
        heavy = any(item.get_closest_marker(mark) for mark in HEAVY_MARKS)
        group = worker_group(item.nodeid)
        estimate[group] = estimate.get(group, 0.0) + (HEAVY_S if heavy else LIGHT_S)
    return {group: recorded.get(group, seconds) for group, seconds in estimate.items()}


def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):  # not a pytest-xdist worker: the usual order
        return
    seconds = group_seconds(items, recorded_durations())
    items.sort(key=lambda item: -seconds[worker_group(item.nodeid)])  # stable: a group keeps its own order


# `make durations` (pytest --store-durations): the controller adds up what each group took and stores it.
_spent: dict[str, float] | None = None


def pytest_addoption(parser):
    parser.addoption(
        "--store-durations",
        action="store_true",
        help="store each worker group's seconds in tests/durations.json (the order groups go to the workers)",
    )


def pytest_configure(config):
    global _spent
    if config.getoption("--store-durations") and not hasattr(config, "workerinput"):
        _spent = {}


def pytest_runtest_logreport(report):
    if _spent is not None:
        group = worker_group(report.nodeid)
        _spent[group] = _spent.get(group, 0.0) + report.duration


def pytest_sessionfinish(session, exitstatus):
    if _spent:
        from simlib.engine import atomic

        stored = {**recorded_durations(), **{group: round(s, 1) for group, s in _spent.items()}}
        atomic.write_text(DURATIONS, json.dumps(dict(sorted(stored.items())), indent=1) + "\n")
