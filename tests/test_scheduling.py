"""How `make test` shares the tests between its two workers (tests/conftest.py): by group, the browser
files together, the longest groups first (tests/durations.json, else an estimate from the marks)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import conftest
import pytest


def item(nodeid: str, *marks: str):
    return SimpleNamespace(nodeid=nodeid, get_closest_marker=lambda name: name if name in marks else None)


def test_a_recorded_group_is_placed_by_its_seconds_and_a_new_one_by_its_marks():
    items = [
        item("tests/a.py::one"),
        item("tests/a.py::two"),
        item("tests/b.py::slow_one", "slow"),
        item("tests/app/test_browser.py::page", "browser"),
        item("tests/app/test_server.py::visit", "browser"),
    ]
    seconds = conftest.group_seconds(items, {"tests/a.py": 40.0, "browser": 300.0})
    assert seconds == {"tests/a.py": 40.0, "tests/b.py": conftest.HEAVY_S, "browser": 300.0}
    assert sorted(seconds, key=lambda g: -seconds[g]) == ["browser", "tests/a.py", "tests/b.py"]


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]"])
def test_a_missing_or_damaged_durations_file_leaves_the_estimates(tmp_path, monkeypatch, text):
    monkeypatch.setattr(conftest, "DURATIONS", tmp_path / "durations.json")
    assert conftest.recorded_durations() == {}
    (tmp_path / "durations.json").write_text(text, encoding="utf-8")
    assert conftest.recorded_durations() == {}


def test_the_stored_durations_name_groups_of_this_suite():
    """Every group in tests/durations.json is a test file or the browser group (a file renamed since
    would only be estimated again, but the stale name should go)."""
    from support import ROOT

    recorded = json.loads(conftest.DURATIONS.read_text(encoding="utf-8"))
    assert recorded and all(seconds >= 0 for seconds in recorded.values())
    for group in recorded:
        assert group == "browser" or (ROOT / group).is_file(), group
    assert all(group not in recorded for group in conftest.BROWSER_FILES)
