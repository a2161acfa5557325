"""Fixtures shared by the simlib tests (helpers live in support.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from support import clear_caches, copy_data

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


# --------------------------------------------------------------------------- real-browser tests
# One chromium and one Voilà lever explorer per test module (tests/app/test_browser*.py), pages cut off
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
