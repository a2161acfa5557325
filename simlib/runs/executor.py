"""Where a batch's tasks run: in this process, in worker processes on this machine, or on a Dask cluster.

Every executor runs plain functions on plain values and hands back each result (or the
exception) as it completes. Report tasks (``remote.remote_report``) render into a private
folder of the worker and return the files; only the batch process writes into the output
folder (``remote.write_report``), so workers need no shared storage, and a worker that dies
half-way leaves nothing in it.

- ``InlineExecutor``: one task after the other in this process (``--workers 1``).
- ``PoolExecutor``: the embedded default, a pool of spawned worker processes that import
  papermill, nbconvert and the engine once and keep a pre-started kernel (``kernels.warm_up``);
  they stop on their own when the batch process dies, even by ``kill -9``.
- ``DaskExecutor``: a Dask cluster (``--scheduler tcp://HOST:PORT``), or a ``LocalCluster``
  of worker processes. A task whose worker dies is run again on another worker by the
  scheduler; its dashboard address is printed. Each worker is asked to warm up (kernel and
  imports) as soon as the batch connects, while the batch process still validates its
  scenarios; tasks of one group (a unit's reports) are sent to one worker (``place``).
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable, Iterator

from ..engine import atomic
from ..engine.errors import InputError, Issue

CONNECT_TIMEOUT_S = 10
PROBE_TIMEOUT_S = 5  # a --scheduler must say it is one within this; the command then ends within 10 s
DASK_ALLOWED_FAILURES = 3  # a task is given up after its worker died this many times


class ClusterLost(Exception):
    """The Dask scheduler stopped answering while tasks were running (killed, network gone): the
    command stops with words, finished work kept, instead of failing every task left."""

    def __init__(self, address: str | None, done: int = 0):
        self.address, self.done = address, done
        super().__init__(
            f"the Dask scheduler {address or ''} stopped answering after {done} finished task(s); "
            "start it again (and its workers) and run the same command"
        )


class Executor:
    """Runs tasks; ``results`` yields ``(key, value, exception)`` as tasks end, in any order."""

    name = "executor"
    dashboard: str | None = None
    shares_filesystem = True  # tasks that read the output folder may run here

    def submit(self, key, fn: Callable, *args, group=None) -> None:
        """Run ``fn(*args)``; ``group``: a name given by ``place`` (tasks that share it go to one
        worker where the executor can say so)."""
        raise NotImplementedError

    def place(self, groups: list) -> None:
        """Told before the tasks are submitted: the group of each task, in submission order."""

    def prestart(self) -> None:
        """Start the workers now, before any task (where they would start with the first)."""

    def results(self) -> Iterator[tuple[object, object, BaseException | None]]:
        raise NotImplementedError

    def run(self, fn: Callable, *args):
        """One task that reads the output folder, with its result (exceptions raised)."""
        return fn(*args)

    def map(self, fn: Callable, tasks: list[tuple], done: Callable[[int], None] | None = None) -> list:
        """``[fn(*args) for args in tasks]`` on the workers, in order; the first error is raised.
        ``done(n)`` is called as task ``n`` (its index in ``tasks``) ends, in the order they end."""
        for n, args in enumerate(tasks):
            self.submit(n, fn, *args)
        out: dict = {}
        for n, value, exc in self.results():
            if exc is not None:
                self.close(cancel=True)
                raise exc
            out[n] = value
            if done is not None:
                done(n)
        return [out[n] for n in range(len(tasks))]

    def parallelism(self) -> int:
        """How many tasks can run at once (for splitting work into blocks)."""
        return 1

    def close(self, cancel: bool = False) -> None:
        pass

    def describe(self) -> str:
        return self.name


class InlineExecutor(Executor):
    name = "this process"

    def __init__(self):
        self._queue: list = []

    def submit(self, key, fn, *args, group=None):
        self._queue.append((key, fn, args))

    def results(self):
        while self._queue:
            key, fn, args = self._queue.pop(0)
            try:
                yield key, fn(*args), None
            except Exception as exc:  # noqa: BLE001 - reported by the caller
                yield key, None, exc


class PoolExecutor(Executor):
    """Spawned worker processes on this machine (``concurrent.futures``)."""

    def __init__(self, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.name = f"{workers} local worker processes"
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_warm_worker,
            initargs=(os.getpid(),),
        )
        self._futures: dict = {}

    def submit(self, key, fn, *args, group=None):
        self._futures[self.pool.submit(fn, *args)] = key

    def prestart(self) -> None:
        """Start every worker process now (a pool starts them as tasks come): one empty task each,
        so their imports and kernels start while the batch process still validates."""
        for _ in range(self.workers):
            self.pool.submit(int)

    def results(self):
        from concurrent.futures import as_completed

        for future in as_completed(list(self._futures)):
            key = self._futures.pop(future)
            try:
                yield key, future.result(), None
            except Exception as exc:  # noqa: BLE001 - a worker that died, or the task's own error
                yield key, None, exc

    def run(self, fn, *args):
        return self.pool.submit(fn, *args).result()

    def parallelism(self) -> int:
        return self.workers

    def close(self, cancel: bool = False):
        if cancel:
            _stop_workers(self.pool)
        else:
            self.pool.shutdown()


class DaskExecutor(Executor):
    """A Dask distributed cluster: the scheduler at ``address``, or a LocalCluster of ``workers``.
    ``warm``: ask the workers to warm up at once (``warm_workers``), for a batch of reports."""

    def __init__(self, address: str | None = None, workers: int = 2, warm: bool = False):
        import dask
        from distributed import Client, LocalCluster

        dask.config.set(
            {
                "distributed.scheduler.allowed-failures": DASK_ALLOWED_FAILURES,
                "distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT_S}s",
            }
        )
        self.address, self.cluster = address, None
        quiet_dask_logs()
        if address:
            probe_scheduler(address)  # a Client to a service that is not a scheduler can hang for minutes
            try:
                self.client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise not_a_scheduler(address, exc) from None
            self.shares_filesystem = False
            self.name = f"Dask scheduler {address}"
        else:
            self.cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
            )
            self.client = Client(self.cluster, set_as_default=False)
            self.name = f"Dask LocalCluster of {workers} workers"
        self.dashboard = self.client.dashboard_link
        self._futures: dict = {}
        self._where: list = []  # (group, worker address) of each task still to submit, last first
        self._warming: list = []  # the warm-up tasks (never waited for; cancelled at the end)
        self._submitted = 0  # tasks submitted so far (their Dask priority: the first submitted runs first)
        if warm:
            self.warm_workers()

    def workers(self) -> dict[str, int]:
        """The workers connected now (address → threads), in the scheduler's order."""
        info = self.client.scheduler_info().get("workers", {})
        return {address: max(1, int(w.get("nthreads", 1))) for address, w in info.items()}

    def warm_workers(self) -> None:
        """Ask each worker connected now to start the kernel it keeps for its reports and import
        what they need (``warm_dask_worker``): one task per worker, ahead of the reports (higher
        priority), so that it runs while this process still validates and submits, not inside the
        first report. A worker that is already warm (an earlier batch) does nothing."""
        for address in self.workers():
            self._warming.append(
                self.client.submit(
                    warm_dask_worker, workers=[address], allow_other_workers=False, pure=False, priority=1
                )
            )

    def place(self, groups: list) -> None:
        """Send the tasks of one group (a unit's reports) to one worker, so the kept kernel there
        reuses what the group's first task drew (a unit's field figures). ``groups``: the group of
        each task about to be submitted, in order, a group's tasks next to each other. The grouped
        tasks are cut, in that order, into one run of consecutive tasks per worker, as long as its
        share of the threads: the work is balanced, and a group is split only where a cut falls
        (34 units × 2 reports on 2 workers: units 1–17 on one, 18–34 on the other). The restriction is
        loose (``allow_other_workers``): a task whose worker has died, or that Dask's work stealing
        moves to an idle worker, runs elsewhere. Only with two workers or more; tasks without a
        group are left to Dask's queue."""
        self._where = []
        workers = self.workers()
        grouped = sum(g is not None for g in groups)
        if len(workers) < 2 or not grouped:
            return
        threads = sum(workers.values())
        cuts, done = [], 0
        for address, n in workers.items():  # the first task index past each worker's run
            done += n
            cuts.append((round(grouped * done / threads), address))
        k = placed = 0
        for group in groups:
            if group is None:
                self._where.append((None, None))
                continue
            while k < len(cuts) - 1 and placed >= cuts[k][0]:
                k += 1
            self._where.append((group, cuts[k][1]))
            placed += 1
        self._where.reverse()  # popped from the end as the tasks are submitted

    def submit(self, key, fn, *args, group=None):
        where = None
        if self._where:
            placed_group, address = self._where.pop()
            where = address if placed_group == group and group is not None else None
        restriction = {"workers": [where], "allow_other_workers": True} if where else {}
        # a worker runs its tasks in the order they were submitted (Dask otherwise starts the newest
        # first): a unit's reports one after the other, as ``place`` and the batch's order intend
        self._submitted += 1
        # plain pickle: Dask's own serialisation of NumPy views (e.g. broadcast arrays) may not keep them
        future = self.client.submit(
            _run_pickled, pickle.dumps((fn, args), protocol=5), pure=False, priority=-self._submitted, **restriction
        )
        self._futures[future] = key

    def results(self):
        from distributed import as_completed

        done = 0
        for future in as_completed(list(self._futures), loop=self.client.loop):
            key = self._futures.pop(future)
            try:
                value = future.result()
            except Exception as exc:  # noqa: BLE001 - the task's error, or KilledWorker
                if self.lost(exc):
                    raise ClusterLost(self.address, done) from None
                yield key, None, exc
            else:
                yield key, value, None
            done += 1

    def lost(self, exc: BaseException) -> bool:
        """Whether ``exc`` says the scheduler is gone (rather than one task failing)."""
        if "scheduler-connection-lost" in str(exc) or type(exc).__name__ == "CommClosedError":
            return True
        return self.address is not None and self.client.status not in ("running", "connecting", "newly-created")

    def parallelism(self) -> int:
        info = self.client.scheduler_info().get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.values()))

    def close(self, cancel: bool = False):
        try:
            pending = [f for f in self._warming if not f.done()] + (list(self._futures) if cancel else [])
            if pending and self.client.status == "running":
                self.client.cancel(pending)
            self.client.close(timeout=CONNECT_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - a scheduler already gone: nothing left to close
            pass
        finally:
            if self.cluster is not None:
                self.cluster.close()

    def describe(self) -> str:
        return f"{self.name}; dashboard: {self.dashboard}" if self.dashboard else self.name


def quiet_dask_logs() -> None:
    """The command says in words what went wrong with a cluster (``ClusterLost``, failed reports): Dask's
    own log lines and tracebacks about lost connections are not printed beside them."""
    import logging

    for name in ("distributed.client", "distributed.comm", "distributed.core", "distributed.batched"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def not_a_scheduler(address: str, exc: BaseException | None = None) -> InputError:
    """The InputError of a ``--scheduler`` that is not a Dask scheduler answering in time (exit 2)."""
    import asyncio

    if exc is None or (isinstance(exc, (TimeoutError, asyncio.TimeoutError)) and not str(exc)):
        why = f"no Dask answer within {PROBE_TIMEOUT_S} s"
    else:
        why = f"{type(exc).__name__}: {str(exc)[:200]}"
    return InputError(
        Issue(
            "--scheduler",
            address,
            f"the address of a running Dask scheduler (tcp://HOST:PORT) that answers within {PROBE_TIMEOUT_S} s; "
            f"this one did not ({why}); nothing was written",
        ),
        context="command line",
    )


class SchedulerProbe:
    """``probe_scheduler(address)`` in a thread of its own, started at once, so that it runs while the
    command validates its other inputs; ``problems()`` waits for it (empty without an address)."""

    def __init__(self, address: str | None):
        import threading

        self.address, self._issues = address, []
        self._thread = None
        if address:
            self._thread = threading.Thread(target=self._probe, name="simlib-probe", daemon=True)
            self._thread.start()

    def _probe(self) -> None:
        try:
            probe_scheduler(self.address)
        except InputError as exc:
            self._issues = exc.issues
        except Exception as exc:  # noqa: BLE001 - said as a problem of the address
            self._issues = not_a_scheduler(self.address, exc).issues

    def problems(self) -> list[Issue]:
        if self._thread is not None:
            self._thread.join()
        return list(self._issues)


def run_apart(coroutine_function):
    """The result of ``coroutine_function()`` run to its end on an event loop of its own, in a thread of
    its own: the calling thread may already run a loop (a notebook's kernel, a browser driver's), where
    ``asyncio.run`` would refuse."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="simlib-probe") as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function())).result()


def probe_scheduler(address: str, timeout: float = PROBE_TIMEOUT_S) -> dict:
    """Ask ``address`` who it is, over Dask's own protocol, with a hard deadline of ``timeout`` seconds
    in all: its identity if it is a Dask scheduler; otherwise (a malformed address, nothing listening,
    a web server, a service that never answers) an InputError naming it, and no client left behind.
    A plain TCP connection comes first, so that a closed port is said at once (Dask retries it)."""
    import asyncio
    import socket

    from distributed.comm import connect
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls"):
            with socket.create_connection(parse_host_port(location), timeout=timeout):
                pass
    except Exception as exc:  # noqa: BLE001 - malformed, refused, unreachable: words, not a traceback
        raise not_a_scheduler(address, exc) from None

    async def ask():
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            await comm.close()

    async def within_deadline():
        return await asyncio.wait_for(ask(), timeout)

    try:
        identity = run_apart(within_deadline)
    except Exception as exc:  # noqa: BLE001 - whatever it is, the address is not a scheduler we can use
        raise not_a_scheduler(address, exc) from None
    if not isinstance(identity, dict) or identity.get("type") != "Scheduler":
        kind = identity.get("type") if isinstance(identity, dict) else type(identity).__name__
        raise not_a_scheduler(address, ValueError(f"it answered as {kind}, not as a scheduler"))
    return identity


WARMED: dict = {}  # on a worker: what ``warm_dask_worker`` did (kernel kept, rehearsal status)


def warm_dask_worker(rehearse: bool = False) -> dict:
    """On a Dask worker: start the kernel its reports use and import papermill and nbconvert
    (``kernels.warm_up``: the kernel imports while this process does); nothing if done already.
    ``rehearse`` (a worker warming up before it joins, ``dask_preload``): wait for the kernel's
    warm-up, then render one small report and throw it away (``render.rehearse``), so the batch's
    first report costs what the others do. Returns ``WARMED``: {"kernel": kept, "rehearsal":
    "ok" / "failed" / error name}. Never raises: a worker that cannot warm up starts its kernel
    in its first report."""
    try:
        from . import kernels
        from .remote import report_environment

        report_environment()
        kernels.warm_up()
        if rehearse and kernels.wait_warm() and "rehearsal" not in WARMED:
            from .render import rehearse as rehearse_report

            try:
                WARMED["rehearsal"] = rehearse_report()
            except Exception as exc:  # noqa: BLE001 - the batch's reports will say what is wrong
                WARMED["rehearsal"] = type(exc).__name__
        WARMED["kernel"] = kernels.kept()
    except Exception:  # noqa: BLE001
        WARMED["kernel"] = False
    return dict(WARMED)


def _run_pickled(blob: bytes):
    fn, args = pickle.loads(blob)
    return fn(*args)


EMBEDDED = "pool"  # the embedded default; benchmarks/bench_batch.py measures it against a LocalCluster


def make(workers: int, scheduler: str | None = None, tasks: int | None = None) -> Executor:
    """The executor for ``--workers`` / ``--scheduler``: a cluster if an address is given, else the
    embedded default for ``workers`` (inline when one worker or one task)."""
    if scheduler:
        return DaskExecutor(scheduler, warm=True)
    n = min(workers, tasks) if tasks is not None else workers
    if n <= 1:
        return InlineExecutor()
    if os.environ.get("SIMLIB_EXECUTOR") == "dask-local" or EMBEDDED == "dask-local":
        return DaskExecutor(None, n, warm=True)
    return PoolExecutor(n)


def _warm_worker(parent_pid: int | None = None) -> None:
    """Pay the import tax (papermill, nbconvert) once per worker process and start the kernel it
    keeps for its reports (which also keeps the browser that prints their one-pagers).

    Workers ignore Ctrl-C: the batch process decides, and stops them (``_stop_workers``).
    With ``parent_pid``, the worker also stops on its own when that process dies (even by
    ``kill -9``), so no orphan goes on working.
    """
    import atexit
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    atexit.register(_end_now)  # registered first, so it runs after the kernel and browser are stopped
    if parent_pid is not None:
        stop_with_parent(parent_pid)
    from . import kernels

    kernels.warm_up()


def _end_now() -> None:
    """A pool worker's last exit step, once its kernel and browser are stopped: end the process
    without the interpreter's teardown of every module (half a second that the batch waits for)."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass
    os._exit(0)


PARENT_POLL_S = 0.25


def stop_with_parent(parent_pid: int, interval: float = PARENT_POLL_S) -> None:
    """Watch ``parent_pid`` from a daemon thread; when it is gone, kill this process's own
    children (notebook kernels) and exit at once, leaving any report under way in the
    worker's private folder (removed by the next run)."""
    import threading

    def watch() -> None:
        while os.getppid() == parent_pid and atomic.alive(parent_pid):
            time.sleep(interval)
        kill_children()
        os._exit(70)

    threading.Thread(target=watch, name="simlib-parent-watch", daemon=True).start()


def kill_children() -> None:
    """Kill every process this one started (notebook kernels), e.g. before it exits."""
    try:
        import psutil

        children = psutil.Process().children(recursive=True)
    except Exception:  # noqa: BLE001 - nothing more can be done from a dying worker
        return
    for child in children:
        try:
            child.kill()
        except Exception:  # noqa: BLE001
            pass


def _stop_workers(pool) -> None:
    """Stop a pool's worker processes now (an interrupted batch); their kernels exit with them."""
    stop = getattr(pool, "terminate_workers", None)  # Python ≥ 3.14
    if stop is not None:
        stop()
    else:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
