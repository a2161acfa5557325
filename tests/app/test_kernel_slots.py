"""The app server's kernel manager without a server: what its idle cull does with a kernel still starting."""

from __future__ import annotations

import datetime

from simlib.app import kernel_slots
from simlib.runs.executor import run_apart  # the test's thread may run a browser driver's loop


def test_the_idle_cull_leaves_a_starting_kernel_alone_and_still_culls_an_idle_one():
    """A kernel still starting has no activity time: Jupyter's cull raised on it (a traceback in the log each
    time many visits started kernels at once). It is skipped now; an idle running kernel is still stopped."""
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    manager = kernel_slots.capped_kernel_manager(3)(cull_idle_timeout=1)
    stopped = []

    async def shutdown_kernel(kernel_id, *args, **kwargs):
        stopped.append(kernel_id)

    manager.shutdown_kernel = shutdown_kernel
    starting, idle = ServerKernelManager(), ServerKernelManager()
    idle.last_activity = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    idle.execution_state = "idle"
    manager._kernels.update({"starting": starting, "idle": idle})
    manager._kernel_connections.update({"starting": 0, "idle": 0})
    run_apart(lambda: manager.cull_kernel_if_idle("starting"))  # as the server's own loop would
    run_apart(lambda: manager.cull_kernel_if_idle("idle"))
    assert stopped == ["idle"]
