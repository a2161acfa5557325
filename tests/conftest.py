"""Shared helpers for the simlib tests: the console script, data copies, small scenarios."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SCENARIOS = ROOT / "scenarios"
SIMLIB = Path(sys.executable).parent / "simlib"  # the console script of the venv running the tests
SMALL_DRAWS = 200


def simlib_env(**extra: str) -> dict[str, str]:
    """The environment of a `simlib` subprocess: ours, without a data override unless given."""
    env = {k: v for k, v in os.environ.items() if k != "SIMLIB_DATA_DIR"}
    env.update(extra)
    return env


def run_simlib(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """Run the installed `simlib` command as a user would, in ``cwd``."""
    return subprocess.run(
        [str(SIMLIB), *map(str, args)], cwd=cwd, env=simlib_env(**env), capture_output=True, text=True, timeout=300
    )


def listing(directory: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``directory`` with its size and modification time."""
    out = {}
    for path in sorted(directory.rglob("*")):
        st = path.stat()
        out[str(path.relative_to(directory))] = (st.st_size if path.is_file() else -1, st.st_mtime_ns)
    return out


def copy_data(target: Path) -> Path:
    """A private copy of data/ that a test may break."""
    shutil.copytree(DATA, target)
    return target


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def find_row(path: Path, **match: str) -> int:
    """File row number (header = 1) of the first data row whose columns equal ``match``."""
    header, rows = read_csv(path)
    for n, row in enumerate(rows, start=2):
        if all(row[header.index(k)] == v for k, v in match.items()):
            return n
    raise AssertionError(f"no row {match} in {path.name}")


def set_cells(path: Path, row: int, **cells: str) -> None:
    """Overwrite cells of file row ``row`` (header = 1), by column name."""
    header, rows = read_csv(path)
    for col, value in cells.items():
        rows[row - 2][header.index(col)] = value
    write_csv(path, header, rows)


def append_row(path: Path, **cells: str) -> None:
    """Add a data row; columns not given are left empty."""
    header, rows = read_csv(path)
    assert set(cells) <= set(header), set(cells) - set(header)
    write_csv(path, header, rows + [[cells.get(col, "") for col in header]])


def clear_caches() -> None:
    """Forget every cached dataset, reconstruction, field and run context."""
    from simlib.engine import data, projection

    data._cached.cache_clear()
    getattr(data, "_last_check", {}).clear()
    projection.clear_caches()


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


def small(**fields):
    """A validated scenario with few draws (defaults: Hà Nội, 2024 → 2030, seed 7)."""
    from simlib.engine.scenario import Scenario

    return Scenario.from_dict({"draws": SMALL_DRAWS, "seed": 7, **fields})


def write_batch_folder(folder: Path, results, summary, failed: str, error: str) -> None:
    """A batch output folder as `simlib batch` writes it: summary.csv (plus one failed
    scenario named ``failed``) and each result's results.csv in its own folder."""
    summary = summary.copy()
    summary.loc[len(summary)] = {**summary.iloc[0].to_dict(), "scenario": failed, "status": "failed", "error": error}
    summary.to_csv(folder / "summary.csv", index=False)
    for r in results:
        r.write_csv(folder / r.scenario.name / "results.csv")


# --------------------------------------------------------------------------- real-browser tests
# One chromium and one Voilà lever explorer per test module (tests/test_browser*.py), pages cut off
# from every network but 127.0.0.1; servers on free ports, stopped by PID also when a test fails.


@pytest.fixture(scope="module")
def browser():
    import browser_support as bs

    bs.require_browser()
    with bs.chromium() as b:
        yield b


@pytest.fixture(scope="module")
def voila(tmp_path_factory, browser):
    """The lever explorer served by Voilà (``simlib.app.server``) for this module's tests."""
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
