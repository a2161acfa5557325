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


def test_a_page_is_gone_after_the_servers_own_seconds():
    """--page-gone and --unclaimed reach the page watch: a page closed for longer than page_gone_s, or
    sent and never opened for longer than unclaimed_s, is gone; a page inside either wait is not."""
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    manager = kernel_slots.capped_kernel_manager(4, page_gone_s=2, unclaimed_s=10)()
    for kernel_id in ("closed-long", "closed-just-now", "never-opened-long", "never-opened-just-now"):
        manager._kernels[kernel_id] = ServerKernelManager()
        manager._kernel_connections[kernel_id] = 0
    now = 1000.0
    manager._pages.update(
        {
            "closed-long": kernel_slots.Page(since=900, served=901, connected=True, left=now - 3),
            "closed-just-now": kernel_slots.Page(since=900, served=901, connected=True, left=now - 1),
            "never-opened-long": kernel_slots.Page(since=900, served=now - 11),
            "never-opened-just-now": kernel_slots.Page(since=900, served=now - 9),
        }
    )
    assert sorted(manager.gone_pages(now)) == ["closed-long", "never-opened-long"]


def test_bad_server_settings_are_all_named_at_once(capsys):
    from simlib.app import server

    code = server.main(["--max-kernels", "0", "--page-gone", "0", "--unclaimed", "99999", "--cull", "5"])
    err = capsys.readouterr().err
    assert code == 2
    for field, allowed in (
        ("--max-kernels: got 0", "1 to 64"),
        ("--page-gone: got 0", "1 to 600 seconds"),
        ("--unclaimed: got 99999", "1 to 3600 seconds"),
        ("--cull: got 5", "10 to 86400 seconds"),
    ):
        assert field in err and allowed in err, err


def test_a_huge_server_setting_or_notebook_path_is_shown_short(capsys, tmp_path):
    from simlib.app import server

    code = server.main(["--cull", "9" * 4000, str(tmp_path / ("x" * 3000) / "lever_explorer.ipynb")])
    err = capsys.readouterr().err
    assert code == 2 and "--cull: got 9999" in err and "…" in err and "lever_explorer.ipynb" in err
    assert len(err) < 600, len(err)
