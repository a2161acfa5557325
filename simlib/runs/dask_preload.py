"""A Dask worker that joins its cluster ready for reports:
``dask worker tcp://SCHEDULER:8786 --nthreads 1 --preload simlib.runs.dask_preload``.

Dask runs a preload's ``dask_setup`` before the worker registers with the scheduler. This one
warms the worker up there (``executor.warm_dask_worker``: the kernel its reports use, started
and done with its imports and data; papermill and nbconvert imported; one small report rendered
and thrown away, so what a report does only the first time is done too). The worker joins some
5 s later, and a batch's first report on it costs what the others do, instead of every batch on
a fresh cluster paying the warm-up inside its first reports. The warm-up runs in the thread
that runs the worker's tasks (its reports use that kernel), off the worker's event loop. A
worker whose warm-up fails still joins; its first report starts a kernel if it needs one.
"""

from __future__ import annotations

import asyncio


async def dask_setup(worker) -> None:
    """Dask's preload hook: warm ``worker`` up before it joins (see the module's docstring)."""
    from .executor import warm_dask_worker

    pool = getattr(worker, "executors", {}).get("default")
    await asyncio.get_running_loop().run_in_executor(pool, warm_dask_worker, True)
