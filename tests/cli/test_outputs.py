"""What the commands that write leave behind: one rule for every output folder (refuse a folder simlib
did not make, lock, write into a temporary folder, swap it in whole), one CSV writer, text fields that
can reach a file name, a terminal and a workbook, and a full disk."""

from __future__ import annotations

import csv
import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import ROOT, SIMLIB, leftovers, listing, run_simlib, simlib_env, standin, start_simlib

from simlib.cli import main as cli
from simlib.engine import atomic, csvfile, outfolder

SCEN = "scenario.yaml"
GRID = ("grid", "--lever", "simplification=0.3:0.9:3", "--draws", "50")
WRITERS = {  # every command that writes an output folder, quick enough for a test, and what it writes
    "grid": (GRID, ("grid.csv", "manifest.json")),
    "league": (("league", "--year", "2027", "--draws", "50", "--format", "csv"), ("league.csv", "rank_matrix.png")),
    "target": (
        ("target", "--par-rank", "3", "--prob", "0.5", "--draws", "60", "--format", "csv"),
        ("target.json", "tradeoff.csv", "tradeoff.png"),
    ),
    "sensitivity": (
        ("sensitivity", SCEN, "--base-samples", "4", "--draws", "16", "--format", "csv"),
        ("sensitivity.csv", "tornado.png"),
    ),
}


def _scenario(folder: Path) -> None:
    (folder / SCEN).write_text("name: ok\ndraws: 50\n", encoding="utf-8")


# ---------------------------------------------------------------- 1. refuse a folder simlib did not make


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_folder_of_a_users_files_is_refused_and_left_alone(command: str, tmp_path: Path):
    argv, files = WRITERS[command]
    _scenario(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    for name in files:  # the user's own files of the same names
        (mine / name).write_text("the user's own\n", encoding="utf-8")
    before = listing(tmp_path)
    proc = run_simlib([*argv, "--out", "mine"], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "--out: got 'mine'; allowed: a new or empty folder" in proc.stderr
    assert "holds files simlib did not write; nothing was changed" in proc.stderr
    assert listing(tmp_path) == before


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_every_writer_replaces_its_earlier_output_whole_and_keeps_what_the_user_added(command: str, tmp_path: Path):
    argv, files = WRITERS[command]
    _scenario(tmp_path)
    first = run_simlib([*argv, "--out", "out"], tmp_path)
    assert first.returncode == 0, first.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] in outfolder.KIND_WORDS and set(files) <= set(manifest["files"])
    (tmp_path / "out" / "NOTES.txt").write_text("my notes", encoding="utf-8")
    second = run_simlib([*argv, "--out", "out", "--seed", "9"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "out" / "NOTES.txt").read_text(encoding="utf-8") == "my notes"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kept"] == ["NOTES.txt"] and "NOTES.txt" not in manifest["files"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(manifest["files"] + ["NOTES.txt"])
    assert not leftovers(tmp_path) and not list(tmp_path.glob(".*"))  # no temporary folder, no lock file


def test_the_rule_says_why_for_each_kind_of_wrong_out(tmp_path: Path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "manifest.json").write_text('{"kind": "simlib-report"}', encoding="utf-8")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "empty").mkdir()
    allowed = lambda out: [i.allowed for i in outfolder.problems(out, "simlib-grid")]  # noqa: E731
    assert allowed(tmp_path / "file") == ["a directory path (this is a file)"]
    assert "this one holds a report output's manifest.json" in allowed(tmp_path / "report")[0]
    assert "not a symbolic link" in allowed(tmp_path / "link")[0]
    assert "not the root of the file system" in allowed("/")[0]
    assert allowed(tmp_path / "empty") == [] and allowed(tmp_path / "new" / "deeper") == []


# ---------------------------------------------------------------- 2. the lock: one writer, nothing nested


def _hold_lock(folder: Path) -> subprocess.Popen:
    """Another process holding the lock of ``folder`` (as a running command does) until it is stopped."""
    code = (
        "import sys, time\nfrom simlib.engine import atomic\n"
        "with atomic.lock_folder(sys.argv[1], ['simlib', 'batch', '--out', sys.argv[1]]):\n"
        "    print('locked', flush=True)\n    time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True, env=simlib_env()
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_no_command_writes_inside_or_around_a_folder_being_written(tmp_path: Path):
    """A report folder inside a running batch's folder (or a batch around a running report) is refused:
    `run --out B/delegation` during `batch --out B` had replaced the batch's report."""
    batch_folder = tmp_path / "B"
    batch_folder.mkdir()
    (batch_folder / "manifest.json").write_text('{"kind": "simlib-batch", "status": "running"}', encoding="utf-8")
    holder = _hold_lock(batch_folder)
    try:
        proc = run_simlib([*GRID, "--out", "B/delegation"], tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert f"the folder around it, {batch_folder}, is being written by process {holder.pid}" in proc.stderr
        assert "--out: got 'B/delegation'" in proc.stderr  # the folder as the user typed it
        assert not (batch_folder / "delegation").exists()
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    inner = tmp_path / "G" / "inner"
    inner.parent.mkdir()
    (inner.parent / "manifest.json").write_text('{"kind": "simlib-grid"}', encoding="utf-8")  # an earlier grid
    holder = _hold_lock(inner)
    try:
        proc = run_simlib([*GRID, "--out", "G"], tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert f"a folder inside it, {inner}, is being written by process {holder.pid}" in proc.stderr
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    assert run_simlib([*GRID, "--out", "B/delegation"], tmp_path).returncode == 0  # once the holder is gone


# ---------------------------------------------------------------- 3–4. a temporary folder, swapped in whole


def _grid_is_whole(folder: Path) -> int:
    """The grid folder's manifest and grid.csv are of one run: its combinations and levels; returns them."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    with open(folder / "grid.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == manifest["combinations"]
    assert sorted({float(r["simplification"]) for r in rows}) == manifest["axes"]["simplification"]
    return manifest["combinations"]


@pytest.mark.parametrize("late_step", ["csv", "manifest", "swap"])
def test_an_interrupt_during_the_final_writes_leaves_the_earlier_output_whole(tmp_path: Path, monkeypatch, late_step):
    """Ctrl-C while grid, sensitivity or target write their files: the earlier output, untouched."""
    out = tmp_path / "g"
    assert cli.main([*GRID, "--out", str(out)]) == 0
    before = listing(tmp_path)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    target = {"csv": (csvfile, "write"), "manifest": (atomic, "write_json"), "swap": (atomic, "move_into_place")}
    monkeypatch.setattr(*target[late_step], interrupted)
    monkeypatch.setattr(cli, "_silence_stdout", lambda: None)
    assert cli.main(["grid", "--lever", "simplification=0.1:0.9:5", "--draws", "50", "--out", str(out)]) == 130
    assert listing(tmp_path) == before and _grid_is_whole(out) == 3
    assert not leftovers(tmp_path)


def interrupted_after(delay: float, args: list[str], cwd: Path) -> tuple[subprocess.Popen, bytes, bytes]:
    """Start `simlib` with ``args``, send it SIGINT after ``delay`` seconds, wait for its end:
    (the process, its stdout, its stderr)."""
    proc = start_simlib(args, cwd, text=False)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return proc, out, err


def test_ctrl_c_while_the_command_is_still_loading_is_an_interruption(monkeypatch, capsys):
    """The console script's own imports take half a second (more on a busy machine): Ctrl-C then ends the
    command like Ctrl-C later, with one line and exit code 130, not a traceback."""
    from simlib.cli import entry

    class CtrlCDuringImport:
        def find_spec(self, name, path=None, target=None):
            if name == "simlib.cli.main":
                raise KeyboardInterrupt

    monkeypatch.delitem(sys.modules, "simlib.cli.main")
    monkeypatch.setattr(sys, "meta_path", [CtrlCDuringImport(), *sys.meta_path])
    assert entry.main() == 130
    assert capsys.readouterr().err == "interrupted: nothing more was written\n"


def test_ctrl_c_just_after_the_command_starts_prints_no_traceback(tmp_path: Path):
    """SIGINT within the first moments of `simlib grid` (Python starting, then loading the command): the
    process ends by the signal or with 130, and says nothing but the one line. A signal that lands while
    the interpreter is still importing its own ``site`` module, before any code of the command runs,
    ends in Python's own fatal start-up error, as for any Python program: that moment is not the
    command's, and most of the moments must reach it."""
    reached = 0
    for delay in (0.05, 0.1, 0.2, 0.3, 0.5):
        proc, _, err = interrupted_after(delay, [*GRID, "--out", str(tmp_path / "g")], tmp_path)
        if err.startswith(b"Fatal Python error: init_import_site"):
            continue
        reached += 1
        assert b"Traceback" not in err, (delay, err)
        assert proc.returncode in (0, 130, -signal.SIGINT), (delay, proc.returncode, err)
        assert err in (b"", b"interrupted: nothing more was written\n") or proc.returncode == 0, (delay, err)
    assert reached >= 3


@pytest.mark.slow
def test_sigint_at_any_moment_leaves_one_whole_grid(tmp_path: Path):
    """`simlib grid` interrupted by SIGINT at many moments of a run: the folder always holds one run's
    grid.csv and manifest, the earlier one or the new one, and no temporary folder is left."""
    out = tmp_path / "g"
    assert run_simlib([*GRID, "--out", out], tmp_path).returncode == 0
    argv = ["grid", "--lever", "simplification=0.05:0.95:10", "--lever", "delegation=0.4:0.9:4"]
    seen = set()
    for delay in (0.4, 0.8, 1.1, 1.3, 1.5, 1.7, 1.9, 2.2, 2.6, 3.2):
        proc, done, err = interrupted_after(delay, [*argv, "--draws", "300", "--out", str(out)], tmp_path)
        assert b"Traceback" not in err, err
        # A signal that lands while the interpreter shuts down, after the command said it was done,
        # ends the process by SIGINT itself; anything earlier must exit 0 or 130.
        finished_then_killed = proc.returncode == -signal.SIGINT and b"combinations at" in done
        assert proc.returncode in (0, 130) or finished_then_killed, (proc.returncode, done, err)
        seen.add(_grid_is_whole(out))
        assert not leftovers(tmp_path) and not list(tmp_path.glob(".*"))
    assert seen <= {3, 40}


# ---------------------------------------------------------------- one CSV writer


def test_every_csv_is_written_by_the_one_writer():
    """No module writes CSV but ``engine.csvfile``: every CSV a user may open is protected."""
    for path in (ROOT / "simlib").rglob("*.py"):
        if path.name == "csvfile.py":
            continue
        source = path.read_text(encoding="utf-8")
        for call in ("csv.writer(", "csv.DictWriter(", ".to_csv("):
            assert call not in source, f"{path.relative_to(ROOT)} writes CSV with {call}"


def test_results_csv_keeps_a_formula_name_as_text(tmp_path: Path):
    from dataclasses import replace

    from simlib.engine.scenario import Scenario
    from simlib.engine.simulate import run

    for name in ('=HYPERLINK("http://example.org","x")', "+1", "-2", "@SUM(A1)"):
        result = run(Scenario.from_dict({"draws": 20}))
        result = replace(result, scenario=replace(result.scenario, name=name))
        result.write_csv(tmp_path / "results.csv")
        with open(tmp_path / "results.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert {r["scenario"] for r in rows} == {"'" + name}
        assert any(float(r["mean"]) < 0 or r["mean"][0].isdigit() for r in rows)  # numbers stay numbers


def test_csv_cells_text_is_neutralised_and_numbers_are_not():
    text = csvfile.text(["name", "x"], [{"name": "=1+1", "x": -2.5}, ["line\nbreak", float("nan")], ["@a", 3]])
    assert text.splitlines() == ["name,x", "'=1+1,-2.5", "line break,", "'@a,3"]


# ---------------------------------------------------------------- text fields reach files, terminals and workbooks


@pytest.mark.slow
@pytest.mark.notebook
def test_a_batch_with_hostile_names_finishes_the_others_and_prints_no_escape(tmp_path: Path):
    """A lone surrogate, an ESC sequence and a NUL in names: each scenario fails alone, the good ones are
    written, the terminal gets no raw control character, and the exit code says one failed."""
    notebooks = tmp_path / "notebooks"
    from simlib.runs import render

    standin(notebooks / render.REPORT_NOTEBOOK)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "good.yaml").write_text("name: good\ndraws: 30\n", encoding="utf-8")
    (folder / "surrogate.yaml").write_text('name: "\\ud800x"\ndraws: 30\n', encoding="utf-8")
    (folder / "escape.yaml").write_text('name: "\\e]0;pwned\\a"\ndraws: 30\n', encoding="utf-8")
    (folder / "nul.yaml").write_text('name: "a\\0b"\ndraws: 30\n', encoding="utf-8")
    (folder / "\x1b[31mfile.yaml").write_text("draws: 30\n", encoding="utf-8")  # named by its file: ESC
    proc = run_simlib(
        ["batch", "scenarios", "--out", "out", "--workers", "1"], tmp_path, SIMLIB_NOTEBOOKS_DIR=str(notebooks)
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "\x1b" not in proc.stderr + proc.stdout and "\x00" not in proc.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["ok"] == 1 and manifest["counts"]["failed"] == 4
    assert (tmp_path / "out" / "good" / "report.html").is_file()
    with open(tmp_path / "out" / "summary.csv", newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 5


def test_a_batch_isolates_a_failure_of_any_type(tmp_path: Path, monkeypatch):
    """Whatever one scenario raises while it is read, or while its report is written, fails it alone."""
    from simlib.runs import batch

    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.yaml").write_text(f"name: {name}\ndraws: 30\n", encoding="utf-8")
    real = batch.job_inputs

    def broken_for_b(job):
        if job.scenario_file.endswith("b.yaml"):
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real(job)

    monkeypatch.setattr(batch, "job_inputs", broken_for_b)
    items = {i.file.name: i for i in batch.plan([str(folder)], tmp_path / "out", "vi", None, None)}
    assert items["a.yaml"].scenario is not None and items["c.yaml"].scenario is not None
    assert items["b.yaml"].status == "failed" and items["b.yaml"].error["ename"] == "UnicodeEncodeError"


def test_a_workbook_never_loses_a_sheet_to_a_control_character(tmp_path: Path):
    from dataclasses import replace

    from openpyxl import load_workbook

    from simlib.engine.scenario import Scenario
    from simlib.engine.simulate import run
    from simlib.reports import excel

    result = run(Scenario.from_dict({"draws": 20}))
    result = replace(result, scenario=replace(result.scenario, name="a\x00b\x1bc"))  # past validation
    excel.write(result, tmp_path / "r.xlsx", lang="en")
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    names = {excel.sheet_name(key, "en"): key for key in excel.SHEETS}
    assert {"readme", "key", "levers", "yearly"} <= {names[n] for n in book.sheetnames}  # no sheet lost
    cells = [c for name in book.sheetnames for r in book[name].iter_rows(values_only=True) for c in r]
    assert "abc" in cells  # the scenario's name on the read-me sheet, without its control characters
    assert not any(isinstance(c, str) and ("\x1b" in c or "\x00" in c) for c in cells)


# ---------------------------------------------------------------- a full disk


def _shown_path(stderr: str) -> str:
    """The path a "could not write the output ('…')" message names, as shown (a long one is cut at its
    beginning, marked "…", so that the file's own name stays)."""
    import re

    found = re.search(r"could not write the output \('(.*?)'\)", stderr)
    assert found, stderr
    return found[1]


def _is(shown: str, path: Path) -> bool:
    """``shown`` is ``path``, whole or cut at its beginning."""
    return shown == str(path) or (shown.startswith("…") and str(path).endswith(shown[1:]))


def _is_inside(shown: str, folder: Path) -> bool:
    """``shown`` is a path inside ``folder``, whole or cut at its beginning (inside the folder's path)."""
    head = str(folder) + "/"
    if not shown.startswith("…"):
        return shown.startswith(head) and len(shown) > len(head)
    tail = shown[1:]
    return any(head.endswith(tail[:i]) for i in range(len(folder.name) + 1, len(tail)))


def test_a_full_disk_names_the_file_in_out_not_standard_output(tmp_path: Path, monkeypatch, capsys):
    real = csvfile.write

    def disk_full(path, *args, **kwargs):
        def write(tmp):
            raise OSError(errno.ENOSPC, "No space left on device")  # as a write() that fails half-way

        atomic.write_with(path, write)

    monkeypatch.setattr(csvfile, "write", disk_full)
    monkeypatch.setattr(cli, "_silence_stdout", lambda: None)
    assert cli.main([*GRID, "--out", str(tmp_path / "g")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: could not write the output (") and err.endswith("'): No space left on device")
    assert _is(_shown_path(err), tmp_path / "g" / "grid.csv"), err
    assert not (tmp_path / "g").exists() and not leftovers(tmp_path)
    monkeypatch.setattr(csvfile, "write", real)


def test_standard_output_to_a_full_device_is_named_as_such():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [str(SIMLIB), "levers", "--format", "csv"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "error: could not write the output (standard output): No space left on device"


def test_a_batch_that_cannot_write_says_so_in_its_manifest(tmp_path: Path):
    """When even the manifest cannot be written again (a full disk), ``running`` becomes ``failed``
    in place: the manifest stays valid JSON and never claims to be running."""
    from simlib.runs import batch_record

    (tmp_path / "manifest.json").write_text(
        json.dumps({"kind": "simlib-batch", "status": "running", "scenarios": []}, indent=1) + "\n", encoding="utf-8"
    )

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(atomic, "write_json", disk_full)
        batch_record.mark_ended(tmp_path, "failed", {"ename": "OSError"})
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["status"] == "failed"
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "simlib-batch", "status": "running"}), encoding="utf-8")
    batch_record.mark_ended(tmp_path, "interrupted")
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["status"] == "interrupted"


def _small_disk(path: Path, size: str):
    """A small tmpfs mounted at ``path`` (root only; None where it cannot be mounted)."""
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    return path if done.returncode == 0 else None


@pytest.mark.slow
@pytest.mark.notebook
def test_a_batch_on_a_full_disk_names_the_file_and_is_not_left_running(tmp_path: Path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    disk = _small_disk(tmp_path / "disk", "400k")
    if disk is None:
        pytest.skip("cannot mount a tmpfs here")
    try:
        notebooks = tmp_path / "notebooks"
        from simlib.runs import render

        standin(notebooks / render.REPORT_NOTEBOOK)
        folder = tmp_path / "scenarios"
        folder.mkdir()
        for i in range(4):
            (folder / f"s{i}.yaml").write_text(f"name: s{i}\ndraws: 30\n", encoding="utf-8")
        proc = run_simlib(
            ["batch", "scenarios", "--out", disk / "out", "--workers", "1"],
            tmp_path,
            SIMLIB_NOTEBOOKS_DIR=str(notebooks),
        )
        assert proc.returncode in (1, 2), proc.stderr
        assert "Traceback" not in proc.stderr and "standard output" not in proc.stderr, proc.stderr
        manifest = json.loads((disk / "out" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["status"] != "running"
        if proc.returncode == 2:
            assert _is_inside(_shown_path(proc.stderr), disk / "out"), proc.stderr
    finally:
        subprocess.run(["umount", str(tmp_path / "disk")], capture_output=True)


@pytest.mark.slow
def test_grid_on_a_full_disk_names_the_file_and_keeps_the_earlier_grid(tmp_path: Path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    disk = _small_disk(tmp_path / "disk", "64k")
    if disk is None:
        pytest.skip("cannot mount a tmpfs here")
    try:
        assert run_simlib([*GRID, "--out", disk / "g"], tmp_path).returncode == 0
        before = listing(disk)
        big = ["grid", "--lever", "simplification=0:1:40", "--lever", "delegation=0.35:1:40", "--draws", "20"]
        proc = run_simlib([*big, "--out", disk / "g"], tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.strip().endswith("No space left on device")
        assert _is_inside(_shown_path(proc.stderr), disk / "g"), proc.stderr
        assert listing(disk) == before
    finally:
        subprocess.run(["umount", str(tmp_path / "disk")], capture_output=True)


# ---------------------------------------------------------------- --format csv is CSV only


MACHINE_FORMATS = [
    ("levers",),
    ("project", SCEN),
    ("field", "--index", "PAR", "--year", "2024"),
    ("backtest", "--index", "SIPAS", "--year", "2024"),
    ("league", "--year", "2027", "--draws", "50"),
    ("evaluate", "--index", "SIPAS", "--draws", "50"),
    ("target", "--par-rank", "3", "--prob", "0.5", "--draws", "60"),
    ("sensitivity", SCEN, "--out", "s", "--base-samples", "4", "--draws", "16"),
    ("results", "list"),
    ("forecast", "list"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv", MACHINE_FORMATS, ids=lambda a: "-".join(a[:2]) if a[0] in ("results", "forecast") else a[0]
)
def test_format_csv_and_json_print_the_table_alone(argv, tmp_path: Path):
    """What `--format csv` prints reads into pandas as it is, every line a row of the header's width;
    `--format json` is one JSON document. Words go to stderr."""
    import io

    import pandas as pd

    _scenario(tmp_path)
    proc = run_simlib([*argv, "--format", "csv"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and all(lines), "a blank line in the CSV"
    widths = {len(row) for row in csv.reader(io.StringIO(proc.stdout))}
    assert len(widths) == 1, widths
    frame = pd.read_csv(io.StringIO(proc.stdout))
    assert len(frame) == len(lines) - 1 and list(frame.columns) == next(csv.reader([lines[0]]))
    if argv[0] == "sensitivity":
        return  # its --out exists now; json is the same table
    proc = run_simlib([*argv, "--format", "json"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)


# ---------------------------------------------------------------- every number a Vietnamese reader sees


VI_COMMANDS = [
    ("target", "--par-rank", "3", "--prob", "0.5", "--draws", "60", "--lang", "vi", "--out", "t"),
    ("target", "--par-rank", "1", "--prob", "0.95", "--sipas", "90", "--draws", "60", "--lang", "vi"),
    ("league", "--year", "2027", "--draws", "50", "--lang", "vi"),
    ("sensitivity", SCEN, "--out", "s", "--base-samples", "4", "--draws", "16", "--lang", "vi"),
    ("evaluate", "--index", "PAR", "--draws", "50", "--lang", "vi", "--all"),
]


@pytest.mark.slow
@pytest.mark.parametrize("argv", VI_COMMANDS, ids=lambda a: f"{a[0]}-{a[2]}")
def test_a_command_in_vietnamese_writes_no_decimal_point(argv, tmp_path: Path, monkeypatch, capsys):
    """`simlib target --lang vi` had printed "0.60 < 0.80", an English progress line and English headers:
    every number of the table, the answer and the progress line goes through the one formatter."""
    from support import decimal_points

    from simlib.runs import progress

    monkeypatch.setattr(progress, "QUIET_S", 0.0)  # every progress line shown
    monkeypatch.setattr(progress, "EVERY_S_PLAIN", 0.0)
    from simlib.analysis import surface

    monkeypatch.setattr(surface, "CHUNK_CELLS", 30_000)  # several engine calls, so the search shows progress
    monkeypatch.chdir(tmp_path)
    _scenario(tmp_path)
    assert cli.main(list(argv)) == 0
    out, err = capsys.readouterr()
    assert not decimal_points(out + err), decimal_points(out + err)
    if argv[0] == "target":
        assert "Đòn bẩy" in out and "lever " not in out.splitlines()[0]  # the headers in Vietnamese
        assert "thiết lập đòn bẩy" in err  # the progress line too


@pytest.mark.slow
@pytest.mark.notebook
def test_run_on_a_full_disk_names_the_report_file_and_prints_no_thread_traceback(tmp_path: Path):
    """A report whose notebook cannot be written: the file is named, no ZMQ thread traceback, nothing left."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    disk = _small_disk(tmp_path / "disk", "300k")
    if disk is None:
        pytest.skip("cannot mount a tmpfs here")
    try:
        proc = run_simlib(["run", ROOT / "scenarios" / "baseline.yaml", "--out", disk / "r", "--draws", 200], tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and "ZMQ" not in proc.stderr, proc.stderr
        assert _is_inside(_shown_path(proc.stderr), disk / "r"), proc.stderr
        assert proc.stderr.strip().endswith("No space left on device")
        assert list(disk.iterdir()) == []
    finally:
        subprocess.run(["umount", str(tmp_path / "disk")], capture_output=True)


def test_a_report_whose_workbook_failed_is_not_shown_as_plainly_ok():
    """results.xlsx had gone missing while the batch said ok: the line says which file was not written."""
    import io

    from simlib.runs.batch import Item
    from simlib.runs.progress import ReportProgress

    stream = io.StringIO()
    show = ReportProgress(2, stream, live=False)
    ok = Item(Path("a.yaml"), "a", "a", status="ok")
    ok.manifest = {"leader_files": {"results.xlsx": "failed: IllegalCharacterError: \x1b[31m", "onepager.pdf": "ok"}}
    show(ok, 1.5)
    line = stream.getvalue().strip()
    assert line.startswith("[1/2] a ok 1.5 s (not written: results.xlsx: IllegalCharacterError:")
    assert "\x1b" not in line
