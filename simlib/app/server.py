"""Serve the lever explorer as a web page (Voilà) on this machine only, with bounded resources.

    python -m simlib.app.server [--port 8866] [--max-kernels 8] [--pool 1] [--cull 120] [NOTEBOOK]

What it adds to plain ``voila``:
  * local only: binds 127.0.0.1 and answers only requests whose ``Host`` is local (127.0.0.1,
    localhost, ::1) — a page elsewhere cannot reach it by DNS rebinding (403 otherwise);
  * offline: the "simlib" page template (``share/jupyter/voila/templates/simlib``) loads nothing
    from outside this server;
  * fast first paint: ``POOL`` pre-heated kernels have already imported simlib and drawn the
    panel at its defaults; a visit takes one and only applies its link's values;
  * bounded: at most ``MAX_KERNELS`` kernels (pre-heated ones included, about 135 MB each); a
    visit beyond that gets a clear "server busy" page (HTTP 503) instead of a new kernel;
    kernels whose page is closed are stopped after ``CULL_IDLE_S`` seconds idle (or at once when
    the page says it closes); a kernel is never restarted behind the page's back, so the page
    can tell it is gone (``simlib/kernel/<id>`` answers whether it is alive; the page shows a
    "disconnected — reload" banner); ``simlib/pool`` says how many pre-heated kernels are ready.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from pathlib import Path

from ..engine import paths
from ..reports import i18n

MAX_KERNELS = 8  # kernels at once, pre-heated included (≈ 135 MB each: ≈ 1.1 GB in all)
POOL = 1  # pre-heated kernels waiting for the next visit
CULL_IDLE_S = 120  # a kernel nobody is connected to is stopped after this many idle seconds
CULL_INTERVAL_S = 15
# A used pre-heated kernel is replaced this many seconds after the visit, not at once: on a
# small machine the replacement's start (imports, the panel drawn) would compete for the CPU
# with the page the visitor is loading.
REFILL_DELAY_S = 3
# JupyterLab extensions the page does not need (code highlighting, the lab preview button).
UNUSED_LAB_EXTENSIONS = ["jupyterlab_pygments", "@voila-dashboards/jupyterlab-preview"]
LOCAL_HOSTNAMES = ["localhost", "127.0.0.1", "::1"]
TEMPLATE = "simlib"
RETRY_AFTER_S = 30


def busy_page(limit: int) -> str:
    """The page shown when every kernel is taken: both languages, since the visitor's is unknown."""
    parts = []
    for lang in i18n.LANGS:
        title = i18n.say("panel.busy_title", lang)
        text = i18n.say("panel.busy_text", lang, limit=limit, seconds=RETRY_AFTER_S)
        parts.append(f'<section lang="{lang}"><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></section>')
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<meta http-equiv='refresh' content='{RETRY_AFTER_S}'>"
        f"<title>{html.escape(i18n.say('panel.busy_title', 'vi'))}</title>"
        "<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em;color:#222}"
        "h1{font-size:1.3em;color:#a01010}</style></head><body class='server-busy'>" + "".join(parts) + "</body></html>"
    )


def _kernel_manager_class(cap: int = MAX_KERNELS):
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from tornado import web
    from traitlets import Int

    class CappedKernelManager(AsyncMappingKernelManager):
        """A kernel manager that starts no kernel beyond ``max_kernels`` and refills the
        pre-heated pool when a kernel stops."""

        max_kernels = Int(cap, help="Most kernels at once (pre-heated included).")

        def kernels_in_use(self) -> int:
            """Running kernels, plus pre-heated ones still starting (counted once they may exist)."""
            starting = sum(1 for pool in getattr(self, "_pools", {}).values() for task in pool if not task.done())
            return len(self.list_kernel_ids()) + starting

        def at_capacity(self) -> bool:
            return self.kernels_in_use() >= self.max_kernels

        async def start_kernel(self, *args, **kwargs):
            if self.at_capacity():
                raise web.HTTPError(503, "server busy: %d kernels running", len(self.list_kernel_ids()))
            return await super().start_kernel(*args, **kwargs)

        async def shutdown_kernel(self, kernel_id, *args, **kwargs):
            result = await super().shutdown_kernel(kernel_id, *args, **kwargs)
            self._refill()
            return result

        async def shutdown_all(self, *args, **kwargs):
            self._stopping = True
            return await super().shutdown_all(*args, **kwargs)

        def _refill(self) -> None:
            """Top the pre-heated pool up again (it is not refilled while the cap is reached)."""
            name = getattr(self, "notebook_path", None)
            if getattr(self, "_stopping", False) or name is None or not hasattr(self, "_pools"):
                return
            if not self._pools.get(name) and not self.at_capacity():
                self.fill_if_needed(delay=0, notebook_name=name)

    return CappedKernelManager


def _app_class(max_kernels: int = MAX_KERNELS):
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    class BusyAwareVoilaHandler(TornadoVoilaHandler):
        """Voilà's page handler, which first checks that a kernel can be had."""

        @web.authenticated
        async def get(self, path=None):
            km = self.kernel_manager
            name = getattr(km, "notebook_path", None)
            pooled = km.get_pool_size(name) if hasattr(km, "get_pool_size") and name else 0
            if not pooled and getattr(km, "at_capacity", lambda: False)():
                self.set_status(503)
                self.set_header("Retry-After", str(RETRY_AFTER_S))
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(busy_page(km.max_kernels))
                return
            await super().get(path)

    class KernelAliveHandler(JupyterHandler):
        """``GET simlib/kernel/<id>`` → {"alive": bool}: is the page's kernel still running?"""

        @web.authenticated
        async def get(self, kernel_id):
            km = self.settings["kernel_manager"]
            alive = False
            if kernel_id in km.list_kernel_ids():
                try:
                    alive = bool(await km.get_kernel(kernel_id).is_alive())
                except Exception:  # noqa: BLE001 - a kernel that cannot say is not alive
                    alive = False
            self.set_header("Content-Type", "application/json")
            self.set_header("Cache-Control", "no-store")
            self.finish({"alive": alive})

    class PoolHandler(JupyterHandler):
        """``GET simlib/pool`` → {"warm", "kernels", "max_kernels"}: how many pre-heated kernels have
        drawn the panel and wait for a visit, how many kernels run, and the cap (a health check)."""

        @web.authenticated
        async def get(self):
            from voila.request_info_handler import RequestInfoSocketHandler

            km = self.settings["kernel_manager"]
            ready = set()
            for pool in getattr(km, "_pools", {}).values():
                for task in pool:
                    if task.done() and not task.cancelled() and task.exception() is None:
                        ready.add(task.result()["kernel_id"])
            warm = len(ready & set(RequestInfoSocketHandler._waiters))
            self.set_header("Content-Type", "application/json")
            self.set_header("Cache-Control", "no-store")
            self.finish(
                {"warm": warm, "kernels": len(km.list_kernel_ids()), "max_kernels": getattr(km, "max_kernels", None)}
            )

    class LeverExplorerServer(Voila):
        """Voilà with the lever explorer's settings (see the module's docstring)."""

        def init_settings(self):
            self.voila_configuration.multi_kernel_manager_class = _kernel_manager_class(max_kernels)
            # local Host headers only (Voilà's default answers any): no DNS rebinding
            self.tornado_settings = {
                **self.tornado_settings,
                "allow_remote_access": False,
                "local_hostnames": LOCAL_HOSTNAMES,
            }
            settings = super().init_settings()
            km = self.kernel_manager
            if hasattr(km, "fill_if_needed"):
                fill = km.fill_if_needed

                def fill_below_the_cap(*args, **kwargs):
                    """Pre-heat another kernel only while the cap leaves room for it."""
                    if km.at_capacity():
                        self.log.info("kernel cap (%d) reached: no pre-heated kernel for now", km.max_kernels)
                        return
                    fill(*args, **kwargs)

                km.fill_if_needed = fill_below_the_cap
            return settings

        def init_handlers(self):
            handlers = []
            for rule in super().init_handlers():
                if len(rule) > 1 and rule[1] is TornadoVoilaHandler:
                    rule = (rule[0], BusyAwareVoilaHandler, *rule[2:])
                handlers.append(rule)
            kernel = r"/simlib/kernel/(?P<kernel_id>[\w-]+)"
            handlers.insert(0, (self.server_url.rstrip("/") + kernel, KernelAliveHandler))
            handlers.insert(0, (self.server_url.rstrip("/") + "/simlib/pool", PoolHandler))
            return handlers

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
    ]
    argv += [f"--VoilaConfiguration.extension_denylist={extension}" for extension in UNUSED_LAB_EXTENSIONS]
    if pool > 0:
        argv += ["--preheat_kernel=True", f"--pool_size={pool}", f"--VoilaKernelManager.fill_delay={REFILL_DELAY_S}"]
    return argv


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
    args = parser.parse_args(argv)
    problems = []
    if not 1 <= args.max_kernels <= 64:
        problems.append(f"--max-kernels: got {args.max_kernels}; allowed: a whole number from 1 to 64")
    if not 0 <= args.pool < args.max_kernels:
        problems.append(f"--pool: got {args.pool}; allowed: 0 to --max-kernels − 1 ({args.max_kernels - 1})")
    if not 10 <= args.cull <= 86_400:
        problems.append(f"--cull: got {args.cull}; allowed: 10 to 86400 seconds")
    if not 1 <= args.port <= 65_535:
        problems.append(f"--port: got {args.port}; allowed: 1 to 65535")
    if not Path(args.notebook).is_file():
        problems.append(f"notebook: got {args.notebook!r}; allowed: an existing .ipynb file")
    if problems:
        print("\n".join(["[app] ERROR:"] + ["  - " + p for p in problems]), file=sys.stderr)
        return 2
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(paths.jupyter_share_dir())] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    )
    app = _app_class(args.max_kernels)
    app.launch_instance(argv=voila_argv(Path(args.notebook), args.port, args.pool, args.cull))
    return 0


if __name__ == "__main__":
    sys.exit(main())
