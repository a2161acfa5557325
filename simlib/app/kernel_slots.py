"""The lever explorer server's kernels: a cap that holds under concurrent visits, and kernels freed
as soon as their page is gone.

**Slots.** Every kernel needs a slot, taken synchronously (no ``await`` between the check and the
taking, so two requests on the event loop cannot both pass a check made for one) *before* anything
starts: a visit that starts its own kernel takes one in the page handler, a pre-heated kernel takes
one when Voilà schedules it (its start is delayed by seconds, and until then nothing else would
count it). A slot is given back once its kernel is running (the kernel then counts itself) or will
never run. ``kernels_in_use()`` = the running kernels plus the slots whose kernel is not running yet,
never both for one kernel, so ``max_kernels`` is never exceeded.

**Pages.** A kernel handed to a page is stopped once the page is gone, and that page's slot is free
again within seconds: when the page says so (``pagehide`` beacon, ``simlib/close/<id>``), when its
websocket has been closed for ``PAGE_GONE_S`` (a closed tab, a crashed browser, a phone that killed
the tab), or when a page was sent but its script never connected within ``UNCLAIMED_S`` (a client
that does not run the page); the server may set both (``--page-gone``, ``--unclaimed``). A background
tab keeps its websocket open, so it keeps its kernel. Pre-heated kernels waiting for a visit are never
stopped.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from dataclasses import dataclass

PAGE_GONE_S = 5.0  # a page's websocket closed this long (and not reopened): the page is gone
UNCLAIMED_S = 30.0  # a page sent this long ago whose script never connected: nobody is using it
WATCH_INTERVAL_S = 1.0  # how often the pages are looked at


@dataclass(eq=False)
class Slot:
    """Room for one kernel, held from the decision to start it until it runs (or never will)."""

    why: str  # "visit" or "pre-heat" (for the log)
    kernel_id: str | None = None  # known once its start has begun


@dataclass(eq=False)
class Visit:
    """A page request being answered: which kernel it was given, once known."""

    kernel_id: str | None = None


@dataclass
class Page:
    """What the server knows of the page a kernel was given to (monotonic seconds)."""

    since: float  # when the kernel was given to the page
    served: float | None = None  # when the page was sent in full (None: still being sent)
    connected: bool = False  # whether the page's script ever connected to its kernel
    left: float | None = None  # when its last websocket closed (None: connected now, or never was)


SLOT: contextvars.ContextVar[Slot | None] = contextvars.ContextVar("simlib_kernel_slot", default=None)
VISIT: contextvars.ContextVar[Visit | None] = contextvars.ContextVar("simlib_page_visit", default=None)


def capped_kernel_manager(cap: int, page_gone_s: float = PAGE_GONE_S, unclaimed_s: float = UNCLAIMED_S):
    """The kernel manager class of the server: Jupyter's, with the slots and the page watch (at most
    ``cap`` kernels; a page is gone after ``page_gone_s`` seconds closed or ``unclaimed_s`` unclaimed)."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from tornado import web
    from tornado.ioloop import PeriodicCallback
    from traitlets import Int

    class CappedKernelManager(AsyncMappingKernelManager):
        """Starts no kernel beyond ``max_kernels`` (pre-heated included) and stops the kernels whose
        page is gone (see the module's docstring)."""

        max_kernels = Int(cap, help="Most kernels at once (pre-heated included).")

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._slots: set[Slot] = set()
            self._pages: dict[str, Page] = {}
            self._watch = None
            self._stopping = False

        # ---- slots

        def kernels_in_use(self) -> int:
            """Running kernels plus the slots held for kernels not running yet (each kernel once)."""
            running = set(self.list_kernel_ids())
            starting = {s.kernel_id for s in self._slots if s.kernel_id is not None}
            waiting = sum(1 for s in self._slots if s.kernel_id is None)
            return len(running | starting) + waiting

        def room(self) -> int:
            return self.max_kernels - self.kernels_in_use()

        def at_capacity(self) -> bool:
            return self.room() <= 0

        def take_slot(self, why: str) -> Slot | None:
            """A slot if there is room (None otherwise); check and take in one synchronous step."""
            if self._stopping or self.room() <= 0:
                return None
            slot = Slot(why)
            self._slots.add(slot)
            return slot

        def give_back(self, slot: Slot | None) -> None:
            """Return a slot (again is harmless): its kernel runs now, or never will."""
            if slot is not None:
                self._slots.discard(slot)

        async def start_kernel(self, *args, kernel_id: str | None = None, **kwargs):
            """Start a kernel in the slot its caller holds (``SLOT``), or in one taken now; HTTP 503
            when there is none. The kernel's id is chosen here so that it is counted once."""
            if kernel_id is not None and kernel_id in self:
                return await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
            slot = SLOT.get()
            if slot is None or slot.kernel_id is not None or slot not in self._slots:
                slot = self.take_slot("visit")
                if slot is None:
                    raise web.HTTPError(503, "server busy: %d of %d kernels in use", self.kernels_in_use(), cap)
            slot.kernel_id = kernel_id or self.new_kernel_id()
            visit = VISIT.get()
            if visit is not None and visit.kernel_id is None:
                visit.kernel_id = slot.kernel_id
                self._pages[slot.kernel_id] = Page(since=time.monotonic())
            self._start_watching()
            try:
                return await super().start_kernel(*args, kernel_id=slot.kernel_id, **kwargs)
            finally:
                self.give_back(slot)

        # ---- pages

        def page_taken(self, kernel_id: str) -> None:
            """A (pre-heated) kernel was given to the page being answered."""
            visit = VISIT.get()
            if visit is not None:
                visit.kernel_id = kernel_id
            self._pages[kernel_id] = Page(since=time.monotonic())
            self._start_watching()

        def page_sent(self, kernel_id: str | None) -> None:
            """The page of ``kernel_id`` has been sent in full (or its request ended)."""
            page = self._pages.get(kernel_id) if kernel_id else None
            if page is not None:
                page.served = time.monotonic()

        def notify_connect(self, kernel_id):
            super().notify_connect(kernel_id)
            page = self._pages.get(kernel_id)
            if page is not None:
                page.connected, page.left = True, None

        def notify_disconnect(self, kernel_id):
            super().notify_disconnect(kernel_id)
            page = self._pages.get(kernel_id)
            if page is not None and self._kernel_connections.get(kernel_id, 0) <= 0:
                page.left = time.monotonic()

        def gone_pages(self, now: float | None = None) -> list[str]:
            """Kernels whose page is gone: closed for ``page_gone_s``, or never connected within
            ``unclaimed_s`` of being sent."""
            now = time.monotonic() if now is None else now
            running = set(self.list_kernel_ids())
            gone = []
            for kernel_id, page in list(self._pages.items()):
                if kernel_id not in running:
                    continue
                if self._kernel_connections.get(kernel_id, 0) > 0 or page.served is None:
                    continue  # connected now, or its page still being sent
                if page.connected:
                    if page.left is not None and now - page.left >= page_gone_s:
                        gone.append(kernel_id)
                elif now - page.served >= unclaimed_s:
                    gone.append(kernel_id)
            return gone

        async def close_page(self, kernel_id: str, reason: str) -> bool:
            """Stop the kernel of a page that is gone; False if it is not a page's running kernel."""
            if kernel_id not in self._pages or kernel_id not in self:
                return False
            self._pages.pop(kernel_id, None)
            self.log.info("page gone (%s): stopping its kernel %s", reason, kernel_id)
            try:
                await self.shutdown_kernel(kernel_id)
            except Exception as exc:  # noqa: BLE001 - a kernel already gone is what was wanted
                self.log.info("kernel %s was already stopping: %s", kernel_id, exc)
            return True

        async def _stop_gone_pages(self) -> None:
            for kernel_id in self.gone_pages():
                await self.close_page(kernel_id, "no page connected")

        def _start_watching(self) -> None:
            if self._watch is None and not self._stopping:
                self._watch = PeriodicCallback(self._stop_gone_pages, 1000 * WATCH_INTERVAL_S)
                self._watch.start()

        async def cull_kernel_if_idle(self, kernel_id):
            """Jupyter's idle cull, leaving alone a kernel still starting: it has no activity time yet, and
            the cull raised on it (a traceback in the log while many visits started kernels at once)."""
            from traitlets import TraitError

            kernel = self._kernels.get(kernel_id)
            try:
                if kernel is None or kernel.last_activity is None:
                    return None
            except TraitError:
                return None
            return await super().cull_kernel_if_idle(kernel_id)

        # ---- stopping

        def remove_kernel(self, kernel_id):
            self._pages.pop(kernel_id, None)
            return super().remove_kernel(kernel_id)

        async def shutdown_kernel(self, kernel_id, *args, **kwargs):
            result = await super().shutdown_kernel(kernel_id, *args, **kwargs)
            self._pages.pop(kernel_id, None)
            self._refill()
            return result

        async def shutdown_all(self, *args, **kwargs):
            self._stopping = True
            if self._watch is not None:
                self._watch.stop()
            return await super().shutdown_all(*args, **kwargs)

        def _refill(self) -> None:
            """Top the pre-heated pool up again (a no-op without pre-heating)."""
            name = getattr(self, "notebook_path", None)
            if not self._stopping and name is not None and hasattr(self, "_pools") and not self._pools.get(name):
                self.fill_if_needed(delay=0, notebook_name=name)

    return CappedKernelManager


class PoolSlots:
    """Mixed in above Voilà's pre-heating kernel manager: a pre-heated kernel holds its slot from the
    moment it is scheduled, and the pool is only topped up while there is room for it."""

    _filling: list[Slot] | None = None

    def pool_size(self, notebook_name: str | None) -> int:
        default = self.kernel_pools_config.get("default", {})
        return int(self.kernel_pools_config.get(notebook_name, default).get("pool_size", default.get("pool_size", 1)))

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs) -> None:
        wanted = self.pool_size(notebook_name) - len(self._pools.get(notebook_name, []))
        if wanted <= 0 or self._stopping:
            return
        if self.room() < wanted:
            self.log.info("kernel cap (%d) reached: no pre-heated kernel for now", self.max_kernels)
            return
        self._filling = []
        try:
            super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kwargs)
        finally:
            slots, self._filling = self._filling, None
        tasks = self._pools.get(notebook_name, [])[-len(slots) :] if slots else []
        for task, slot in zip(tasks, slots):
            task.add_done_callback(lambda _task, slot=slot: self.give_back(slot))

    def _initialize(self, notebook_path, kernel_id=None, **kwargs):
        """Voilà's start of a pre-heated kernel, in a slot taken now (when it is scheduled)."""
        start = super()._initialize
        if kernel_id is not None or self._filling is None:
            return start(notebook_path, kernel_id, **kwargs)
        slot = self.take_slot("pre-heat")
        if slot is not None:
            self._filling.append(slot)

        async def in_slot():
            from tornado import web

            if slot is None:
                raise web.HTTPError(503, "server busy")
            SLOT.set(slot)  # this task's own context: its start uses the slot
            VISIT.set(None)  # not the page whose request scheduled the refill
            return await start(notebook_path, None, **kwargs)

        return in_slot()

    async def get_rendered_notebook(self, notebook_name, *args, **kwargs):
        """Voilà's hand-over of a pre-heated kernel to a page, noted as that page's."""
        render_task, rendered, kernel_id = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
        self.page_taken(kernel_id)
        return render_task, rendered, kernel_id

    def warming(self, notebook_name: str | None) -> asyncio.Future | None:
        """The pre-heated kernel being prepared when none is ready yet (None if one is ready or none is coming)."""
        pool = self._pools.get(notebook_name, [])
        if not pool or any(task.done() for task in pool) or notebook_name in (self.notebook_data or {}):
            return None
        return pool[0]


__all__ = ["PAGE_GONE_S", "UNCLAIMED_S", "SLOT", "VISIT", "Slot", "Visit", "Page", "capped_kernel_manager", "PoolSlots"]
