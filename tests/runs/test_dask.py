"""`simlib batch --scheduler`: a real Dask scheduler and two workers on 127.0.0.1.

The workers get the scenario and notebook texts with each task and render in a private
folder; only the batch process writes into --out. One worker is killed half-way through a
batch: the scheduler runs its tasks again on the other, and every report is there once,
complete. A scheduler that does not answer: exit 2, its address named, nothing written.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import ROOT, SIMLIB, leftovers, run_simlib, simlib_env, standin

from simlib.runs import batch, render

pytestmark = [pytest.mark.slow]

DASK = Path(sys.executable).parent / "dask"
DRAWS = 200
SCENARIOS = 6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(DASK), *args],
        cwd=ROOT,
        env=simlib_env(**env),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def wait_for_workers(address: str, n: int, timeout: float = 120) -> None:
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(n, timeout=timeout)


@contextlib.contextmanager
def two_worker_cluster():
    """A scheduler and two single-threaded workers without nannies (a killed worker stays dead), with
    the memory setting a nanny gives its worker (``distributed.nanny.pre-spawn-environ``); yields the
    address and the workers' processes, and stops them all by PID."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start(
        ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", f"127.0.0.1:{free_port()}"]
    )
    workers = []
    try:
        for _ in range(2):
            workers.append(
                start(
                    [
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--host",
                        "127.0.0.1",
                        "--dashboard-address",
                        f"127.0.0.1:{free_port()}",
                    ],
                    MALLOC_TRIM_THRESHOLD_="65536",
                )
            )
        wait_for_workers(address, 2)
        yield address, workers
    finally:
        for proc in [*workers, scheduler]:
            stop(proc)


@pytest.fixture
def cluster():
    """A cluster of this test's own: for a test that kills a worker or looks at fresh workers."""
    with two_worker_cluster() as started:
        yield started


@pytest.fixture(scope="module")
def shared_cluster():
    """One cluster for the tests that only send it work (no worker killed, no fresh state looked at):
    started once for the module, both workers alive at every test's start."""
    with two_worker_cluster() as started:
        yield started


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for i in range(SCENARIOS):
        (folder / f"s{i}.yaml").write_text(
            f"name: s{i}\ndraws: {DRAWS}\nlevers:\n  simplification: {0.3 + 0.1 * i:.1f}\n", encoding="utf-8"
        )
    return folder


@pytest.fixture
def notebook_dir(tmp_path):
    standin(tmp_path / "notebooks" / render.REPORT_NOTEBOOK)
    return tmp_path / "notebooks"


@pytest.mark.notebook
@pytest.mark.dask
def test_a_batch_survives_a_worker_killed_half_way(cluster, sources, notebook_dir, tmp_path):
    address, workers = cluster
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [str(SIMLIB), "batch", str(sources), "--out", str(out), "--scheduler", address],
        cwd=ROOT,
        env=simlib_env(SIMLIB_NOTEBOOKS_DIR=str(notebook_dir)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while (
            proc.poll() is None
            and time.monotonic() < deadline
            and not any((out / f"s{i}" / "manifest.json").is_file() for i in range(SCENARIOS))
        ):
            time.sleep(0.05)
        done_before = [i for i in range(SCENARIOS) if (out / f"s{i}" / "manifest.json").is_file()]
        assert proc.poll() is None and len(done_before) < SCENARIOS, "the batch ended before a worker was killed"
        # the worker that rendered the first report is killed (the other one has rendered some by the end)
        first = json.loads((out / f"s{done_before[0]}" / "manifest.json").read_text(encoding="utf-8"))
        stop(next(w for w in workers if first["worker"].endswith(f":{w.pid}")))
        stdout, stderr = proc.communicate(timeout=400)
    finally:
        if proc.poll() is None:
            stop(proc)
    assert proc.returncode == 0, stderr
    assert address in stderr and "dashboard" in stderr
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert record["status"] == "ok" and record["counts"]["ok"] == SCENARIOS
    assert record["scheduler"] == address
    report_workers = set()
    for i in range(SCENARIOS):
        folder = out / f"s{i}"
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert m["status"] == "ok" and m["name"] == f"s{i}"
        assert m["scenario_file"] == str((sources / f"s{i}.yaml").resolve())  # this machine's, not the worker's
        assert sorted(m["files"]) == sorted(p.name for p in folder.iterdir())
        rows = (folder / "results.csv").read_text(encoding="utf-8").splitlines()
        assert rows[0].startswith("scenario,year,metric") and all(r.startswith(f"s{i},") for r in rows[1:])
        report_workers.add(m["worker"])
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [f"s{i}" for i in range(SCENARIOS)]
    assert not leftovers(out), "nothing half-written"
    assert len(report_workers) == 2  # both workers rendered reports before one was killed


@pytest.mark.notebook
@pytest.mark.dask
def test_a_resumed_batch_skips_reports_made_by_another_executor(shared_cluster, sources, notebook_dir, tmp_path):
    address, _ = shared_cluster
    out = tmp_path / "out"
    env = {"SIMLIB_NOTEBOOKS_DIR": str(notebook_dir)}
    first = run_simlib(
        ["batch", sources / "s0.yaml", sources / "s1.yaml", "--out", out, "--workers", 1], cwd=ROOT, **env
    )
    assert first.returncode == 0, first.stderr
    second = run_simlib(
        [
            "batch",
            sources / "s0.yaml",
            sources / "s1.yaml",
            sources / "s2.yaml",
            "--out",
            out,
            "--scheduler",
            address,
            "--resume",
        ],
        cwd=ROOT,
        **env,
    )
    assert second.returncode == 0, second.stderr
    assert "s0 skipped" in second.stderr and "s1 skipped" in second.stderr
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenarios"]
    assert [(r["name"], r["resumed"]) for r in rows] == [("s0", True), ("s1", True), ("s2", False)]


@pytest.fixture
def quick_refusal(monkeypatch):
    """The commands wait 1 s (not 10) for a scheduler that does not answer: what they say and write is the same."""
    from simlib.runs import executor

    monkeypatch.setattr(executor, "CONNECT_TIMEOUT_S", 1)


def test_an_unreachable_scheduler_exits_2_naming_it(sources, tmp_path, simlib_cli, quick_refusal):
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    out = tmp_path / "out"
    proc = simlib_cli(["batch", sources / "s0.yaml", "--out", out, "--scheduler", address], ROOT)
    assert proc.returncode == 2, proc.stderr
    assert address in proc.stderr and "--scheduler" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [sources]


@pytest.mark.notebook
@pytest.mark.dask
def test_grid_and_sensitivity_on_the_cluster_give_the_same_numbers(shared_cluster, tmp_path):
    address, _ = shared_cluster
    grid_args = ["grid", "--lever", "simplification=0.3:0.9:4", "--lever", "delegation=0.4:0.8:3", "--draws", 100]
    here = run_simlib([*grid_args, "--out", tmp_path / "g1"], cwd=ROOT)
    there = run_simlib([*grid_args, "--out", tmp_path / "g2", "--scheduler", address], cwd=ROOT)
    assert here.returncode == 0 and there.returncode == 0, there.stderr
    assert address in there.stderr
    assert (tmp_path / "g1" / "grid.csv").read_text() == (tmp_path / "g2" / "grid.csv").read_text()
    sens_args = [
        "sensitivity",
        ROOT / "scenarios" / "all_levers.yaml",
        "--base-samples",
        4,
        "--draws",
        40,
        "--format",
        "csv",
    ]
    here = run_simlib([*sens_args, "--out", tmp_path / "s1"], cwd=ROOT)
    there = run_simlib([*sens_args, "--out", tmp_path / "s2", "--scheduler", address], cwd=ROOT)
    assert here.returncode == 0 and there.returncode == 0, there.stderr
    assert (tmp_path / "s1" / "sensitivity.csv").read_text() == (tmp_path / "s2" / "sensitivity.csv").read_text()
    assert here.stdout == there.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["grid", "--lever", "simplification=0.3:0.9:2"],
        ["sensitivity", ROOT / "scenarios" / "all_levers.yaml", "--base-samples", 2],
    ],
    ids=["grid", "sensitivity"],
)
def test_grid_and_sensitivity_refuse_an_unreachable_scheduler(command, tmp_path, simlib_cli, quick_refusal):
    address = f"tcp://127.0.0.1:{free_port()}"
    proc = simlib_cli([*command, "--draws", 20, "--out", tmp_path / "out", "--scheduler", address], ROOT)
    assert proc.returncode == 2, proc.stderr
    assert address in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.notebook
@pytest.mark.dask
def test_grid_and_sensitivity_on_the_cluster_show_progress(shared_cluster, tmp_path, monkeypatch, capsys):
    """On a cluster, as here: the sample rows (combinations) done as the workers' blocks end, to the total."""
    import re

    from simlib.cli import main as cli
    from simlib.runs import progress

    address, _ = shared_cluster
    monkeypatch.setattr(progress, "QUIET_S", 0.0)
    monkeypatch.setattr(progress, "EVERY_S_PLAIN", 0.0)
    assert (
        cli.main(
            [
                "sensitivity",
                str(ROOT / "scenarios" / "all_levers.yaml"),
                "--base-samples",
                "4",
                "--draws",
                "40",
                "--format",
                "csv",
                "--out",
                str(tmp_path / "s"),
                "--scheduler",
                address,
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert address in err
    shown = [
        (int(d.replace(",", "")), int(t.replace(",", "")))
        for d, t in re.findall(r"^sensitivity: ([\d,]+) / ([\d,]+) sample rows \(\d+%\)", err, re.M)
    ]
    assert len(shown) >= 2, err  # several blocks (4 per worker thread), each reported as it ends
    stages = {}
    for d, t in shown:  # a stage per engine pass over a sample (its own total)
        stages.setdefault(t, []).append(d)
    for total, done in stages.items():
        assert done == sorted(done) and done[-1] == total and len(done) >= 2, (total, done)
    assert (
        cli.main(
            [
                "grid",
                "--lever",
                "simplification=0:1:9",
                "--draws",
                "50",
                "--out",
                str(tmp_path / "g"),
                "--scheduler",
                address,
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert re.search(r"^grid: \d / 9 combinations \(\d+%\)", err, re.M) and "grid: 9 / 9 combinations (100%)" in err, (
        err
    )


# ----------------------------------------------------------------------------- placement and warm-up

SLOW_WHERE = ["sh", "-c", "sleep 0.3; echo $PPID"]  # a task that takes a while and names its worker's PID


@pytest.mark.notebook
@pytest.mark.dask
def test_a_scheduler_is_recognised_from_a_notebook(shared_cluster):
    """In a notebook (a kernel whose thread already runs an event loop), the scheduler check still asks
    the scheduler who it is, rather than failing on 'asyncio.run() cannot be called from a running loop'."""
    from simlib.runs import executor

    address, _ = shared_cluster

    async def in_a_notebook_cell():
        return executor.probe_scheduler(address)  # called where a loop is running

    # the cell run on a loop of its own thread (this test's thread may run a browser driver's loop)
    assert executor.run_apart(in_a_notebook_cell)["type"] == "Scheduler"


def test_a_units_tasks_go_to_one_worker_and_the_work_is_shared(shared_cluster):
    """With both workers alive, the tasks of one group (a unit's reports) run on one worker, and the
    groups are shared out evenly (8 units × 2 tasks: 8 tasks each); each worker starts its tasks in
    the order they were submitted, so a unit's reports run one after the other."""
    from simlib.runs import executor

    address, workers = shared_cluster
    groups = [f"unit{i // 2}" for i in range(16)]  # the batch's order: a unit's reports one after the other
    run = executor.DaskExecutor(address)
    try:
        run.place(groups)
        for n, group in enumerate(groups):  # eval: a builtin, so the worker needs nothing of this file
            run.submit(n, eval, "(__import__('os').getpid(), __import__('time').time_ns())", group=group)
        done = {n: value for n, value, exc in run.results() if exc is None}
    finally:
        run.close()
    assert sorted(done) == list(range(16))
    ran = {n: pid for n, (pid, _) in done.items()}
    for worker in workers:
        mine = [n for n in range(16) if ran[n] == worker.pid]
        assert sorted(mine, key=lambda n: done[n][1]) == mine, "a worker ran its tasks out of order"
    by_group: dict = {}
    for n, group in enumerate(groups):
        by_group.setdefault(group, set()).add(ran[n])
    assert all(len(pids) == 1 for pids in by_group.values()), by_group
    assert sorted(list(ran.values()).count(w.pid) for w in workers) == [8, 8]


@pytest.mark.notebook
@pytest.mark.dask
def test_a_units_tasks_still_run_when_their_worker_is_killed(cluster):
    """The placement is a preference: the tasks sent to a worker that dies run on the other one,
    each result comes back once."""
    from simlib.runs import executor

    address, workers = cluster
    groups = [f"unit{i // 2}" for i in range(12)]
    run = executor.DaskExecutor(address)
    results = []
    try:
        run.place(groups)
        for n, group in enumerate(groups):
            run.submit(n, subprocess.check_output, SLOW_WHERE, group=group)
        for n, value, exc in run.results():
            assert exc is None, exc
            results.append((n, int(value)))
            if len(results) == 1:
                stop(next(w for w in workers if w.pid == results[0][1]))
    finally:
        run.close()
    assert sorted(n for n, _ in results) == list(range(12))
    killed = results[0][1]
    survivor = next(w.pid for w in workers if w.pid != killed)
    on_killed = [n for n, pid in results if pid == killed]
    assert len(on_killed) <= 2 and all(pid in (killed, survivor) for _, pid in results)  # killed after its first


@pytest.mark.notebook
@pytest.mark.dask
def test_the_workers_warm_up_as_the_batch_connects(cluster):
    """Connecting for a batch asks every worker to start the kernel its reports use (and import
    papermill) ahead of them; the kernel runs without the worker process's own memory setting."""
    import psutil

    from simlib.runs import executor, kernels

    address, workers = cluster
    run = executor.make(1, address)
    try:
        assert len(run._warming) == 2
        run.client.gather(run._warming)
        kept = run.client.run(kernels.kept)
        assert sorted(kept.values()) == [True, True], kept
        loaded = run.client.run(lambda: "papermill" in __import__("sys").modules)
        assert all(loaded.values()), loaded
    finally:
        run.close()
    for worker in workers:
        assert psutil.Process(worker.pid).environ().get("MALLOC_TRIM_THRESHOLD_") == "65536"
        kernel = [p for p in psutil.Process(worker.pid).children() if "ipykernel" in " ".join(p.cmdline())]
        assert len(kernel) == 1 and "MALLOC_TRIM_THRESHOLD_" not in kernel[0].environ()


@pytest.mark.notebook
@pytest.mark.dask
def test_a_worker_started_with_the_preload_joins_warm():
    """The README's worker command (``--preload simlib.runs.dask_preload``): the worker joins the
    scheduler only once its report kernel is started and done with its warm-up and it has rendered
    one small report for itself (thrown away: nothing left in the temporary folder), so a batch's
    first report on it starts no kernel and does nothing for the first time; the kernel runs
    without the worker process's memory setting."""
    import tempfile

    import psutil
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start(
        ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", f"127.0.0.1:{free_port()}"]
    )
    worker = start(
        [
            "worker",
            address,
            "--nthreads",
            "1",
            "--no-nanny",
            "--host",
            "127.0.0.1",
            "--dashboard-address",
            f"127.0.0.1:{free_port()}",
            "--preload",
            "simlib.runs.dask_preload",
        ],
        MALLOC_TRIM_THRESHOLD_="65536",
    )
    try:
        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(1, timeout=120)
            state = client.run(
                lambda: [
                    (k := __import__("simlib.runs.kernels", fromlist=["_"])).kept(),
                    k._kept is not None and k._kept.warmed,
                    "papermill" in __import__("sys").modules,
                    __import__("simlib.runs.executor", fromlist=["_"]).WARMED,
                ]
            )
        assert list(state.values()) == [[True, True, True, {"kernel": True, "rehearsal": "ok"}]], state
        assert not list(Path(tempfile.gettempdir()).glob("simlib-rehearsal-*"))
        kernel = [p for p in psutil.Process(worker.pid).children() if "ipykernel" in " ".join(p.cmdline())]
        assert len(kernel) == 1 and "MALLOC_TRIM_THRESHOLD_" not in kernel[0].environ()
    finally:
        for proc in (worker, scheduler):
            stop(proc)


def test_an_unreachable_scheduler_and_a_bad_scenario_are_reported_together(tmp_path, simlib_cli, quick_refusal):
    address = f"tcp://127.0.0.1:{free_port()}"
    proc = simlib_cli(["batch", tmp_path / "missing.yaml", "--out", tmp_path / "out", "--scheduler", address], ROOT)
    assert proc.returncode == 2, proc.stderr
    assert "2 problem(s)" in proc.stderr and address in proc.stderr and "missing.yaml" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()


@pytest.mark.notebook
@pytest.mark.dask
def test_the_comparison_runs_here_in_a_kernel_warmed_during_the_last_reports(
    shared_cluster, sources, notebook_dir, tmp_path, monkeypatch
):
    """On a cluster that does not see --out, the comparison notebook runs in the batch process: in a
    kernel started while the last report ran, stopped with the batch; its page is index.html."""
    import shutil

    import psutil

    from simlib.runs import kernels

    address, _ = shared_cluster
    shutil.copy(render.comparison_notebook(), notebook_dir / render.COMPARISON_NOTEBOOK)
    out = tmp_path / "out"
    monkeypatch.setenv("SIMLIB_NOTEBOOKS_DIR", str(notebook_dir))
    started = []
    real_warm_up = kernels.warm_up
    monkeypatch.setattr(kernels, "warm_up", lambda **kw: (started.append(kw), real_warm_up(**kw))[1])
    manifest = batch.run_batch(
        [str(sources / "s0.yaml"), str(sources / "s1.yaml")], out, scheduler=address, progress=None
    )
    assert manifest["status"] == "ok" and manifest["comparison"]["status"] == "ok", manifest["comparison"]
    assert started == [{"browser": False}]  # one kernel, without the one-pagers' browser
    assert (out / "comparison.ipynb").is_file() and "s1" in (out / "index.html").read_text(encoding="utf-8")
    assert not kernels.kept()
    own = [p for p in psutil.Process().children() if "ipykernel" in " ".join(p.cmdline())]  # not the workers'
    assert not own


# ---------------------------------------------------------------- a --scheduler that is not one


class _Service:
    """A TCP service on 127.0.0.1 that is not a Dask scheduler: ``silent`` accepts and never answers,
    ``web`` answers every request with an HTTP error."""

    def __init__(self, kind: str):
        import threading

        self.kind, self.sock, self.conns = kind, socket.socket(), []
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.address = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.kind == "web":
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        for conn in self.conns:
            conn.close()
        self.sock.close()


@pytest.mark.parametrize("kind", ["silent", "web"])
@pytest.mark.parametrize("command", ["grid", "batch"])
def test_a_service_that_is_not_a_scheduler_is_refused_in_words(kind, command, sources, tmp_path):
    """It had hung for 200 s and more: now the answer is awaited 5 s, then exit 2 in words."""
    service = _Service(kind)
    try:
        argv = (
            ["grid", "--lever", "simplification=0.3:0.9:2", "--draws", 20]
            if command == "grid"
            else ["batch", sources / "s0.yaml"]
        )
        done = subprocess.run(
            [str(SIMLIB), *map(str, argv), "--out", str(tmp_path / "out"), "--scheduler", service.address],
            cwd=ROOT,
            env=simlib_env(),
            capture_output=True,
            text=True,
            timeout=60,  # a hang fails here
        )
    finally:
        service.close()
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert f"--scheduler: got '{service.address}'; allowed: the address of a running Dask scheduler" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "address, why",
    [
        ("not an address", "missing port number"),
        ("http://127.0.0.1:8786", "unknown address scheme 'http'"),
        ("tcp://127.0.0.1:1", "Connection refused"),
    ],
)
def test_a_malformed_or_closed_scheduler_address_is_refused_at_once(address, why, tmp_path):
    """The right words, and no 20 s wait nor TimeoutError traceback after them."""
    done = subprocess.run(
        [
            str(SIMLIB),
            "grid",
            "--lever",
            "simplification=0.3:0.9:2",
            "--out",
            str(tmp_path / "g"),
            "--scheduler",
            address,
        ],
        cwd=ROOT,
        env=simlib_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2 and why in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


@pytest.mark.notebook
@pytest.mark.dask
def test_a_scheduler_killed_mid_batch_is_said_in_words(sources, notebook_dir, tmp_path):
    """The finished reports are kept, the manifest says failed (not running), one line says what happened
    and what to do; no Dask traceback or log line."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"])
    worker = start(["worker", address, "--nthreads", "1", "--no-dashboard"], SIMLIB_NOTEBOOKS_DIR=str(notebook_dir))
    try:
        wait_for_workers(address, 1)
        out = tmp_path / "out"
        proc = subprocess.Popen(
            [str(SIMLIB), "batch", str(sources), "--out", str(out), "--scheduler", address],
            cwd=ROOT,
            env=simlib_env(SIMLIB_NOTEBOOKS_DIR=str(notebook_dir)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not list(out.glob("*/report.html")) and proc.poll() is None:
            time.sleep(0.1)
        stop(scheduler)
        _, err = proc.communicate(timeout=120)
    finally:
        stop(worker)
        stop(scheduler)
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "distributed." not in err, err
    assert f"error: the Dask scheduler {address} stopped answering after" in err and "--resume" in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed" and manifest["counts"]["ok"] >= 1
    assert not leftovers(out)
