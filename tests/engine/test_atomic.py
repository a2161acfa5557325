"""Output folders under concurrency: one writer per folder, and folder replacement that
several processes may do at once without errors or leftovers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support import ROOT, SCENARIOS, listing, run_simlib

from simlib.engine import atomic

WRITERS, MOVES = 4, 200

# One writer: MOVES finished folders (three files naming the writer and the move) moved onto
# the same target; prints every exception instead of stopping.
_MOVER = textwrap.dedent("""
    import os, sys, traceback
    from pathlib import Path
    from simlib.engine import atomic
    if sys.argv[3] == "fallback":
        atomic._RENAMEAT2 = None  # the two-rename path used where the filesystem cannot swap
    target, moves, errors = Path(sys.argv[1]), int(sys.argv[2]), 0
    for i in range(moves):
        tag = f"{os.getpid()}-{i}"
        try:
            tmp = atomic.temp_dir(target)
            for name in ("a.txt", "b.txt", "manifest.json"):
                (tmp / name).write_text(tag)
            atomic.move_into_place(tmp, target)
        except Exception:
            errors += 1
            traceback.print_exc()
    print("errors", errors)
""")


@pytest.mark.parametrize("mode", ["swap", "fallback"])
def test_move_into_place_under_four_concurrent_writers(tmp_path, mode):
    target = tmp_path / "report"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _MOVER, str(target), str(MOVES), mode],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WRITERS)
    ]
    outputs = [p.communicate(timeout=240) for p in procs]
    errors = [err for (out, err) in outputs if out.strip() != "errors 0"]
    assert not errors, f"{len(errors)} writer(s) failed:\n" + "\n".join(e[-3000:] for e in errors)
    assert all(p.returncode == 0 for p in procs)
    # the target is one writer's complete folder; nothing else is left beside it
    tags = {(target / n).read_text() for n in ("a.txt", "b.txt", "manifest.json")}
    assert len(tags) == 1 and re.fullmatch(r"\d+-\d+", tags.pop())
    assert sorted(p.name for p in target.iterdir()) == ["a.txt", "b.txt", "manifest.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_move_into_place_creates_and_replaces(tmp_path):
    target = tmp_path / "out"
    for tag in ("first", "second"):
        tmp = atomic.temp_dir(target)
        (tmp / "tag").write_text(tag)
        atomic.move_into_place(tmp, target)
        assert (target / "tag").read_text() == tag
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# ----------------------------------------------------------------------------- one writer per folder

_HOLDER = textwrap.dedent("""
    import sys, time
    from simlib.engine import atomic
    with atomic.lock_folder(sys.argv[1], command=["simlib", "batch", "held-by-test"]):
        print("locked", flush=True)
        time.sleep(120)
""")


@pytest.fixture
def held_lock(tmp_path):
    """An output folder locked by another live process (killed at the end)."""
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    yield out, proc.pid
    proc.kill()
    proc.wait(timeout=30)


def test_a_second_writer_is_refused_naming_the_holder(held_lock):
    out, pid = held_lock
    with pytest.raises(atomic.FolderLocked) as caught:
        with atomic.lock_folder(out):
            pass
    assert caught.value.pid == pid
    assert f"process {pid}" in caught.value.holder() and "held-by-test" in caught.value.holder()


def test_the_lock_of_a_dead_process_is_taken_over(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    proc.kill()  # dies holding it: the lock file stays, naming a dead PID
    proc.wait(timeout=30)
    lock = atomic.lock_path(out)
    assert json.loads(lock.read_text())["pid"] == proc.pid
    with atomic.lock_folder(out):
        assert json.loads(lock.read_text())["pid"] == os.getpid()
    assert not lock.exists(), "the lock file is removed when its writer ends"


def test_locks_of_different_folders_do_not_conflict(tmp_path):
    with atomic.lock_folder(tmp_path / "a"), atomic.lock_folder(tmp_path / "b"):
        pass


@pytest.mark.parametrize(
    "command",
    [
        ["run", SCENARIOS / "all_levers.yaml", "--draws", 50],
        ["batch", SCENARIOS / "all_levers.yaml", "--draws", 50],
        ["grid", "--lever", "simplification=0.3:0.9:2", "--draws", 50],
        ["sensitivity", SCENARIOS / "all_levers.yaml", "--base-samples", 2, "--draws", 50],
        ["target", "--par-rank", 3, "--prob", 0.5, "--draws", 50],
    ],
    ids=lambda c: str(c[0]),
)
def test_commands_refuse_an_output_folder_another_process_writes(held_lock, command):
    out, pid = held_lock
    before = listing(out.parent)
    proc = run_simlib([*command, "--out", out], cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    assert f"process {pid}" in proc.stderr and str(out) in proc.stderr and "Traceback" not in proc.stderr
    assert listing(out.parent) == before, "nothing may be written while another process holds the folder"


# ----------------------------------------------------------------------------- nothing outside --out

OUTPUT = ("new", "deeper", "out")  # --out new/deeper/out: two folders the command has to make


def outside(base: Path) -> list[str]:
    """What a command left under ``base`` outside its output folder, besides the folders holding it."""
    out = base.joinpath(*OUTPUT)
    holders = {base.joinpath(*OUTPUT[:i]) for i in range(1, len(OUTPUT))}
    return [str(p.relative_to(base)) for p in base.rglob("*") if p not in holders and p != out and out not in p.parents]


@pytest.fixture
def notebooks(tmp_path):
    """Stand-in report notebooks (one that works, one that fails) for run and batch."""
    from support import standin

    from simlib.runs import render

    ok, bad = tmp_path / "nb-ok", tmp_path / "nb-bad"
    standin(ok / render.REPORT_NOTEBOOK)
    standin(bad / render.REPORT_NOTEBOOK, fail=True)
    return ok, bad


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(
            ["run", SCENARIOS / "all_levers.yaml", "--draws", 50], marks=[pytest.mark.notebook, pytest.mark.slow]
        ),
        pytest.param(
            ["batch", SCENARIOS / "all_levers.yaml", "--draws", 50, "--workers", 1],
            marks=[pytest.mark.notebook, pytest.mark.slow],
        ),
        ["grid", "--lever", "simplification=0.3:0.9:2", "--draws", 50],
        pytest.param(
            ["sensitivity", SCENARIOS / "all_levers.yaml", "--base-samples", 2, "--draws", 50], marks=pytest.mark.slow
        ),
        ["target", "--par-rank", 3, "--prob", 0.5, "--draws", 50],
    ],
    ids=lambda c: str(c[0]),
)
def test_a_command_leaves_nothing_outside_its_output_folder(command, notebooks, tmp_path):
    """Done or failed, a command leaves no lock file or temporary beside --out (they are hidden
    siblings only while it runs), and no folder but the ones holding --out."""
    base = tmp_path / "work"
    base.mkdir()
    for notebook_dir, code in ((notebooks[0], 0), (notebooks[1], 1)):
        if command[0] not in ("run", "batch") and code == 1:
            continue  # no notebook: nothing to fail here
        proc = run_simlib([*command, "--out", Path(*OUTPUT)], cwd=base, SIMLIB_NOTEBOOKS_DIR=str(notebook_dir))
        assert proc.returncode == code, proc.stderr
        assert base.joinpath(*OUTPUT).is_dir()
        assert outside(base) == [], outside(base)


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_an_interrupted_command_leaves_nothing_at_all(how, tmp_path):
    """Ctrl-C or SIGTERM while computing: exit 130, and neither the lock file nor the folders made
    to hold it remain (the output was not written yet)."""
    import signal
    import time

    from support import start_simlib

    out = tmp_path.joinpath(*OUTPUT)
    grid = ["grid", "--lever", "simplification=0:1:40", "--lever", "delegation=0:1:40", "--draws", "2000"]
    proc = start_simlib([*grid, "--out", out], tmp_path)
    try:
        deadline = time.monotonic() + 60
        while not atomic.lock_path(out).exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert atomic.lock_path(out).exists() and proc.poll() is None, "the grid ended before it held its lock"
        time.sleep(0.5)
        proc.send_signal(getattr(signal, how))
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["batch", "no-such-scenario.yaml"],
        ["grid", "--lever", "simplification=0.3:nine:2"],
    ],
    ids=lambda c: str(c[0]),
)
def test_bad_input_makes_no_folder_for_the_output(command, tmp_path):
    proc = run_simlib([*command, "--out", Path(*OUTPUT)], cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []
