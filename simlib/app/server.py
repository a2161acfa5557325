"""Serve the lever explorer as a web page (Voilà) on this machine only, with bounded resources.

    python -m simlib.app.server [--port 8866] [--max-kernels 8] [--pool 1] [--cull 120]
                                [--page-gone 5] [--unclaimed 30] [NOTEBOOK]

What it adds to plain ``voila``:
  * local only: binds 127.0.0.1 and answers only requests whose ``Host`` is local (127.0.0.1,
    localhost, ::1) — a page elsewhere cannot reach it by DNS rebinding (403 otherwise);
  * offline: the "simlib" page template (``share/jupyter/voila/templates/simlib``) loads nothing
    from outside this server;
  * fast first paint: ``POOL`` pre-heated kernels have already imported simlib and drawn the
    panel at its defaults; a visit takes one and only applies its link's values; a visit while
    the first one is still being prepared waits for it (rather than start a second kernel beside
    it on a small machine);
  * bounded: at most ``MAX_KERNELS`` kernels (pre-heated ones included, about 135 MB each), the
    room for each taken before it starts, so concurrent visits cannot overrun it; a visit beyond
    that gets a clear "server busy" page (HTTP 503) instead of a new kernel;
  * live pages only: a page's kernel is stopped within seconds once the page is gone (it says so
    when it is hidden for good, or its websocket stays closed), so the cap counts pages in use
    (``simlib.app.kernel_slots``); a kernel is never restarted behind the page's back, so the page
    can tell it is gone (``simlib/kernel/<id>`` answers whether it is alive; the page shows a
    "disconnected — reload" banner); ``simlib/pool`` says how many pre-heated kernels are ready;
  * quiet and strict at the edges: error pages load nothing and leave no traceback in the log, a
    template asset path that is not one answers 404, a link cannot switch template or theme.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..engine import paths
from ..engine.errors import short
from .kernel_slots import PAGE_GONE_S, UNCLAIMED_S
from .links import KERNEL_PORT_VARIABLE

MAX_KERNELS = 8  # kernels at once, pre-heated included (≈ 135 MB each: ≈ 1.1 GB in all)
POOL = 1  # pre-heated kernels waiting for the next visit
# A kernel nobody is connected to is stopped after this many idle seconds: a backstop only, since a
# page's kernel is stopped within seconds of the page going (``kernel_slots``).
CULL_IDLE_S = 120
CULL_INTERVAL_S = 15
# A used pre-heated kernel is replaced this many seconds after the visit, not at once: on a
# small machine the replacement's start (imports, the panel drawn) would compete for the CPU
# with the page the visitor is loading.
REFILL_DELAY_S = 3
# JupyterLab extensions the page does not need (code highlighting, the lab preview button).
UNUSED_LAB_EXTENSIONS = ["jupyterlab_pygments", "@voila-dashboards/jupyterlab-preview"]
LOCAL_HOSTNAMES = ["localhost", "127.0.0.1", "::1"]
TEMPLATE = "simlib"
# With pre-heated kernels the page's address answers only once one is ready (a first visit is then
# as fast as any other); the kernels meanwhile reach the server on a port of their own (given them in
# ``links.KERNEL_PORT_VARIABLE``). After this many seconds the address answers anyway.
ANSWER_WITHIN_S = 180


def _app_class(max_kernels: int = MAX_KERNELS, page_gone_s: float = PAGE_GONE_S, unclaimed_s: float = UNCLAIMED_S):
    import asyncio
    import time

    import jinja2
    import voila.app as voila_app
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop
    from tornado.netutil import bind_sockets
    from voila.app import Voila
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.static_file_handler import TemplateStaticFileHandler
    from voila.tornado.handler import TornadoVoilaHandler

    from . import server_handlers as handlers
    from .kernel_slots import PoolSlots, capped_kernel_manager

    class LeverExplorerServer(Voila):
        """Voilà with the lever explorer's settings (see the module's docstring)."""

        _kernel_sockets: list = []

        def init_settings(self):
            if self.voila_configuration.preheat_kernel:
                # the kernels' own way in, open before the first one starts (see ANSWER_WITHIN_S)
                self._kernel_sockets = bind_sockets(0, "127.0.0.1")
                os.environ[KERNEL_PORT_VARIABLE] = str(self._kernel_sockets[0].getsockname()[1])
            self.voila_configuration.multi_kernel_manager_class = capped_kernel_manager(
                max_kernels, page_gone_s, unclaimed_s
            )
            # local Host headers only (Voilà's default answers any): no DNS rebinding
            self.tornado_settings = {
                **self.tornado_settings,
                "allow_remote_access": False,
                "local_hostnames": LOCAL_HOSTNAMES,
            }
            factory = voila_app.voila_kernel_manager_factory

            def with_pool_slots(base_class, preheat_kernel, *args, **kwargs):
                """Voilà's kernel manager, with the pre-heated kernels holding their slots."""
                cls = factory(base_class, preheat_kernel, *args, **kwargs)
                return type("LeverExplorerKernelManager", (PoolSlots, cls), {}) if preheat_kernel else cls

            voila_app.voila_kernel_manager_factory = with_pool_slots
            try:
                settings = super().init_settings()
            finally:
                voila_app.voila_kernel_manager_factory = factory
            errors = settings["jinja2_env"]
            errors.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"page.html": handlers.ERROR_PAGE}), errors.loader])
            return settings

        def init_handlers(self):
            replaced = {
                TornadoVoilaHandler: handlers.PageHandler,
                TemplateStaticFileHandler: handlers.TemplateAssetHandler,
                VoilaShutdownKernelHandler: handlers.ClosePageHandler,  # Voilà's own 'beforeunload' beacon
            }
            rules = [(rule[0], replaced.get(rule[1], rule[1]), *rule[2:]) for rule in super().init_handlers()]
            base = self.server_url.rstrip("/")
            return [
                (base + r"/simlib/pool", handlers.PoolHandler),
                (base + r"/simlib/kernel/(?P<kernel_id>[\w-]+)", handlers.KernelAliveHandler),
                (base + r"/simlib/close/(?P<kernel_id>[\w-]+)", handlers.ClosePageHandler),
                *rules,
            ]

        def listen(self):
            """Serve the kernels' port at once and the page's address once a pre-heated kernel is ready."""
            if not self._kernel_sockets:
                return super().listen()
            HTTPServer(self.app).add_sockets(self._kernel_sockets)
            self.ioloop = IOLoop.current()
            self.ioloop.add_callback(self._answer_once_warm)
            try:
                self.ioloop.start()
            except KeyboardInterrupt:
                self.log.info("Stopping...")
            finally:
                self.stop()

        async def _answer_once_warm(self) -> None:
            started = time.monotonic()
            while not handlers.pool_state(self.kernel_manager)["warm"]:
                if time.monotonic() - started > ANSWER_WITHIN_S:
                    self.log.warning("no pre-heated kernel within %d s: answering anyway", ANSWER_WITHIN_S)
                    break
                await asyncio.sleep(0.1)
            try:
                self.app.listen(self.port, self.ip)
            except OSError as exc:
                self.log.critical("the lever explorer cannot listen on %s:%d: %s", self.ip, self.port, exc)
                self.ioloop.stop()
                self.exit(1)
            self.log.info("ready after %.1f s: %s", time.monotonic() - started, self.display_url)

    return LeverExplorerServer


def voila_argv(notebook: Path, port: int, pool: int = POOL, cull: int = CULL_IDLE_S) -> list[str]:
    """Voilà's command-line settings for the lever explorer."""
    argv = [
        str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--show_tracebacks=False",
        f"--template={TEMPLATE}",
        f"--MappingKernelManager.cull_idle_timeout={cull}",
        f"--MappingKernelManager.cull_interval={min(CULL_INTERVAL_S, max(1, cull // 2))}",
        "--MappingKernelManager.cull_connected=False",
        "--KernelManager.autorestart=False",
        # a link cannot switch the page to another template or theme (each would bypass the
        # pre-heated kernels, and Voilà's own templates load from a CDN)
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
    ]
    argv += [f"--VoilaConfiguration.extension_denylist={extension}" for extension in UNUSED_LAB_EXTENSIONS]
    if pool > 0:
        argv += ["--preheat_kernel=True", f"--pool_size={pool}", f"--VoilaKernelManager.fill_delay={REFILL_DELAY_S}"]
    return argv


def _is_file(path: str) -> bool:
    """Whether ``path`` names an existing file (a name too long or unreadable for the system is not one)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", default=str(paths.notebooks_dir() / "lever_explorer.ipynb"))
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument(
        "--max-kernels",
        type=int,
        default=MAX_KERNELS,
        help=f"most kernels at once, pre-heated included (default {MAX_KERNELS})",
    )
    parser.add_argument("--pool", type=int, default=POOL, help=f"pre-heated kernels (default {POOL}; 0: none)")
    parser.add_argument(
        "--cull",
        type=int,
        default=CULL_IDLE_S,
        help=f"seconds before a kernel nobody is connected to is stopped (default {CULL_IDLE_S})",
    )
    parser.add_argument(
        "--page-gone",
        type=int,
        default=int(PAGE_GONE_S),
        help=f"seconds a page's connection may stay lost before its kernel is stopped (default {PAGE_GONE_S:g})",
    )
    parser.add_argument(
        "--unclaimed",
        type=int,
        default=int(UNCLAIMED_S),
        help=f"seconds a page sent but never opened by its browser keeps its kernel (default {UNCLAIMED_S:g})",
    )
    args = parser.parse_args(argv)
    problems = []
    if not 1 <= args.max_kernels <= 64:
        problems.append(f"--max-kernels: got {short(args.max_kernels, 20)}; allowed: a whole number from 1 to 64")
    if not 0 <= args.pool < args.max_kernels:
        problems.append(
            f"--pool: got {short(args.pool, 20)}; allowed: 0 to --max-kernels − 1 ({short(args.max_kernels - 1, 20)})"
        )
    if not 10 <= args.cull <= 86_400:
        problems.append(f"--cull: got {short(args.cull, 20)}; allowed: 10 to 86400 seconds")
    if not 1 <= args.page_gone <= 600:
        problems.append(f"--page-gone: got {short(args.page_gone, 20)}; allowed: 1 to 600 seconds")
    if not 1 <= args.unclaimed <= 3_600:
        problems.append(f"--unclaimed: got {short(args.unclaimed, 20)}; allowed: 1 to 3600 seconds")
    if not 1 <= args.port <= 65_535:
        problems.append(f"--port: got {short(args.port, 20)}; allowed: 1 to 65535")
    if not _is_file(args.notebook):
        problems.append(f"notebook: got {short(Path(args.notebook))}; allowed: an existing .ipynb file")
    if problems:
        print("\n".join(["[app] ERROR:"] + ["  - " + p for p in problems]), file=sys.stderr)
        return 2
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(paths.jupyter_share_dir())] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    )
    app = _app_class(args.max_kernels, args.page_gone, args.unclaimed)
    app.launch_instance(argv=voila_argv(Path(args.notebook), args.port, args.pool, args.cull))
    return 0


if __name__ == "__main__":
    sys.exit(main())
