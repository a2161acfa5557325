"""This process's kept notebook kernel: started ahead, warmed up once, reused report after report.

A papermill report spends most of its time starting a kernel and importing (pandas, matplotlib,
the engine, the data). A batch worker keeps one kernel: ``warm_up`` starts it and sends it the
imports (``kernel_state.prepare``) while the worker does other work; ``take`` hands it to the
next report once it is ready, with the client it was kept with (papermill runs the report on
that connection, not on a new one per report); ``give_back`` resets it (``kernel_state.reset``: empty namespace,
execution count 1, figures closed, settings restored) so the next report sees a kernel like a
fresh one, or, after a failed report or ``MAX_REPORTS`` reports, stops it and starts a new one.
``release`` stops it (end of a batch, or of the worker process).
"""

from __future__ import annotations

import threading
from pathlib import Path

KERNEL = "python3"
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]  # no kernel chatter (start-up, shutdown) on the terminal
START_TIMEOUT_S = 60
MAX_REPORTS = 40  # a kept kernel runs this many reports, then a new one is started
_STATE = "__import__('simlib.runs.kernel_state', fromlist=['_'])"
WARM_CODE = f"{_STATE}.prepare()"
WARM_CODE_NO_BROWSER = f"{_STATE}.prepare(browser=False)"  # a kernel for the comparison page only
RESET_CODE = f"{_STATE}.reset()"

_kept = None  # the _Kept kernel for the next report, or None
_lock = threading.Lock()
_released_at_exit = False


class _Kept:
    """A kernel, the client that sends it our silent code, and the reports it has run."""

    def __init__(self, km, kc):
        self.km, self.kc, self.reports = km, kc, 0
        self.warmed = False  # its warm-up is known to have finished (``wait_warm``)


def _manager():
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.manager import KernelManager
    from jupyter_client.session import new_id
    from traitlets import default

    class KeptClient(BlockingKernelClient):
        """The kept kernel's client, lent to each report as it is: its channels are started once
        (papermill starts the channels of the client it is given), and the kernel's readiness is
        not checked again right after ``take`` checked it (jupyter_client's check ends by waiting
        0.2 s for IOPub to fall silent, a fixed cost per report)."""

        checked = False  # ``take`` has just had an answer from the kernel on these channels

        def start_channels(self, *args, **kwargs):
            if not self.channels_running:
                super().start_channels(*args, **kwargs)

        def wait_for_ready(self, timeout=None):
            if self.checked and self.channels_running:
                self.checked = False
                return None
            return super().wait_for_ready(timeout=timeout)

    class TrackedKernelManager(KernelManager):
        """Gives every client its own session (the kernel routes replies by the session's id, and
        this kernel outlives many clients); lends the kept client to the report (``take``), whose
        channels are connected already: a new client would wait for its IOPub subscription (about
        0.2 s per report, jupyter_client's readiness check); remembers any other client papermill
        opens on it during a report, so they are closed after it."""

        @default("client_factory")
        def _kept_client_factory(self):
            return KeptClient

        def client(self, **kwargs):
            lent = self.__dict__.pop("_simlib_lend", None)
            if lent is not None and lent.channels_running:
                return lent
            kc = super().client(**kwargs)
            kc.session.session = new_id()
            if self.__dict__.get("_simlib_clients") is not None:
                self.__dict__["_simlib_clients"].append(kc)
            return kc

    return TrackedKernelManager(kernel_name=KERNEL)


def warm_up(browser: bool = True) -> None:
    """In a worker process: import what a report needs here and start the first report's kernel.
    ``browser=False``: a kernel that does not start the one-pagers' browser (for a notebook
    that prints none, such as the batch's comparison)."""
    if _kept is None:  # first: it starts and imports while this process imports
        start_next(WARM_CODE if browser else WARM_CODE_NO_BROWSER)
    from .nbimports import skip_iri_grammar

    skip_iri_grammar()
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from . import html_export  # noqa: F401


def wait_warm(timeout: float = START_TIMEOUT_S) -> bool:
    """Wait until the kept kernel has run its warm-up (``kernel_state.prepare``: imports, data
    tables; the one-pagers' browser goes on starting in its own thread): a kernel answers a request
    only after the ones sent before. True if it has; False if there is no kept
    kernel, or it did not answer within ``timeout`` seconds (it is then left to ``take`` to judge)."""
    with _lock:
        kept = _kept
    if kept is None:
        return False
    if not kept.warmed:
        try:
            reply = kept.kc.execute_interactive("", silent=True, store_history=False, timeout=timeout)
            kept.warmed = reply["content"]["status"] == "ok"
        except Exception:  # noqa: BLE001 - a kernel that died or hangs: ``take`` will not use it
            return False
    return kept.warmed


def start_next(warm_code: str = WARM_CODE) -> None:
    """Start the next report's kernel and send it its warm-up (which runs while this process works)."""
    global _kept, _released_at_exit
    if not _released_at_exit:  # whatever process keeps a kernel stops it when it exits
        import atexit

        atexit.register(release)
        _released_at_exit = True
    try:
        km = _manager()
        km.start_kernel(extra_arguments=list(KERNEL_ARGS))
        kc = km.client()
        kc.start_channels()
        kc.execute(warm_code, silent=True, store_history=False)
        kept = _Kept(km, kc)
    except Exception:  # noqa: BLE001 - the report then starts its own kernel
        kept = None
    with _lock:
        old, _kept = _kept, kept
    if old is not None:
        _stop(old)


def _discard(msg) -> None:
    """The output hook of code run in a kept kernel for simlib's own bookkeeping: nothing is printed."""


def take(cwd: Path):
    """The kept kernel, ready (warm-up or reset done) and moved to ``cwd``; None if there is none."""
    global _kept
    with _lock:
        kept, _kept = _kept, None
    if kept is None:
        return None
    from . import kernel_state  # noqa: F401 - the name the kernel imports

    try:
        reply = kept.kc.execute_interactive(  # the kernel's own cwd differs from this process's: an absolute path
            f"{_STATE}.ready({str(Path(cwd).resolve())!r})",
            silent=True,
            store_history=False,
            timeout=START_TIMEOUT_S,
            output_hook=_discard,  # a failure here is not the user's to read: the kernel is replaced
        )
        ok = reply["content"]["status"] == "ok"
    except Exception:  # noqa: BLE001 - a kernel that died or hangs is not used
        ok = False
    if not ok:
        _stop(kept)
        return None
    kept.kc.checked = True
    kept.km.__dict__.update(_simlib_kept=kept, _simlib_clients=[], _simlib_lend=kept.kc)
    return kept.km


def run_silently(km, code: str, timeout: float) -> bool:
    """Run ``code`` in the kept kernel ``take`` gave (after its report, before ``give_back``): no
    output, no execution count; True if it ran without error."""
    kept = km.__dict__.get("_simlib_kept")
    if kept is None:
        return False
    try:
        reply = kept.kc.execute_interactive(
            code, silent=True, store_history=False, timeout=timeout, output_hook=_discard
        )
        return reply["content"]["status"] == "ok"
    except Exception:  # noqa: BLE001 - a kernel that died or hangs: the caller does it itself
        return False


def give_back(km, reuse: bool = True) -> None:
    """After a report in the kernel ``take`` gave: keep it for the next report (reset now, while
    this process writes the report), or stop it and start a new one."""
    global _kept
    kept = km.__dict__.pop("_simlib_kept", None)
    km.__dict__.pop("_simlib_lend", None)  # not taken: the report failed before it needed a client
    for kc in km.__dict__.pop("_simlib_clients", []):  # papermill's clients of this report
        try:
            kc.stop_channels()
        except Exception:  # noqa: BLE001
            pass
    if kept is None:
        _shutdown(km)
        return
    kept.reports += 1
    if reuse and kept.reports < MAX_REPORTS and km.is_alive():
        try:
            kept.kc.execute(RESET_CODE, silent=True, store_history=False)
        except Exception:  # noqa: BLE001
            reuse = False
        if reuse:
            with _lock:
                old, _kept = _kept, kept
            if old is not None:
                _stop(old)
            return
    _stop(kept)
    start_next()


def _stop(kept: _Kept) -> None:
    try:
        kept.kc.stop_channels()
    except Exception:  # noqa: BLE001
        pass
    _shutdown(kept.km)


def _shutdown(km) -> None:
    try:
        km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001
        pass


def release() -> None:
    """Stop the kept kernel (at the end of a batch or of a worker process)."""
    global _kept
    with _lock:
        kept, _kept = _kept, None
    if kept is not None:
        _stop(kept)


def kept() -> bool:
    """True if this process keeps a kernel for its next report."""
    return _kept is not None
