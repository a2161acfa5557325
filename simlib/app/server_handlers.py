"""The lever explorer server's request handlers (imported by ``simlib.app.server`` when it starts).

* ``PageHandler``: Voilà's page, admitted first: a visit takes a pre-heated kernel, or a slot for
  a kernel of its own (``kernel_slots``), or gets the "server busy" page (HTTP 503) — decided in one
  synchronous step, so concurrent visits cannot overrun the cap. While the first pre-heated kernel
  is still being prepared, a visit waits for it rather than start a second kernel beside it.
* ``KernelAliveHandler`` (``simlib/kernel/<id>``): is the page's kernel alive (the page's banner)?
* ``ClosePageHandler`` (``simlib/close/<id>``, POST): the page says it is going away (its
  ``pagehide`` beacon); its kernel is stopped at once.
* ``PoolHandler`` (``simlib/pool``): pre-heated kernels ready, kernels running, pages, the cap.
* ``TemplateAssetHandler``: Voilà's template assets, answering 404 (not 500) to a path that is not
  ``<template>/static/<file>`` (``..`` included).
* ``ERROR_PAGE``: the page Jupyter's error handler draws (403, 404, …) — plain, nothing loaded,
  never a traceback in the log for want of Jupyter's static files.
"""

from __future__ import annotations

import asyncio
import html
import posixpath

from jupyter_server.base.handlers import JupyterHandler
from tornado import web
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from ..reports import i18n
from .kernel_slots import SLOT, VISIT, Visit

RETRY_AFTER_S = 10  # the busy page reloads itself after this many seconds
WAIT_FOR_WARM_S = 120  # a visit during start-up waits at most this long for the first pre-heated kernel

# Jupyter's error pages extend "page.html", which links Jupyter's own static files (this server has
# none: rendering failed with a traceback in the log). This one links nothing.
ERROR_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{% block title %}{{ status_code }}{% endblock %}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em;color:#222}</style>
{% block stylesheet %}{% endblock stylesheet %}{% block meta %}{% endblock meta %}</head>
<body>{% block site %}{% endblock site %}{% block script %}{% endblock script %}</body></html>
"""


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


class PageHandler(TornadoVoilaHandler):
    """Voilà's page handler, which first makes sure the visit has a kernel (see the module's docstring)."""

    @web.authenticated
    async def get(self, path=None):
        km = self.kernel_manager
        warming = getattr(km, "warming", lambda _name: None)(self.notebook_path)
        if warming is not None:
            try:
                await asyncio.wait_for(asyncio.shield(warming), WAIT_FOR_WARM_S)
            except Exception:  # noqa: BLE001 - a failed or slow warm-up: this visit starts its own kernel
                pass
        slot = None
        if not self._takes_a_preheated_kernel():
            slot = km.take_slot("visit") if hasattr(km, "take_slot") else None
            if slot is None and hasattr(km, "take_slot"):
                self._busy()
                return
        visit = Visit()
        slot_token, visit_token = SLOT.set(slot), VISIT.set(visit)
        try:
            await super().get(path)
        except web.HTTPError as exc:
            if exc.status_code != 503 or self._headers_written:
                raise
            self._busy()
        finally:
            SLOT.reset(slot_token)
            VISIT.reset(visit_token)
            if hasattr(km, "give_back"):
                km.give_back(slot)
                km.page_sent(visit.kernel_id)

    def _takes_a_preheated_kernel(self) -> bool:
        """Whether Voilà will hand this visit a pre-heated kernel (its own test, with the same inputs)."""
        km = self.kernel_manager
        try:
            data = km.notebook_data.get(self.notebook_path, {})
            pooled = km.get_pool_size(self.notebook_path)
        except AttributeError:
            return False
        return bool(
            self.should_use_rendered_notebook(
                data,
                pooled,
                self.get_argument("template", None),
                self.get_argument("theme", None),
                self.request.arguments,
            )
        )

    def _busy(self) -> None:
        km = self.kernel_manager
        self.set_status(503)
        self.set_header("Retry-After", str(RETRY_AFTER_S))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(busy_page(getattr(km, "max_kernels", 0)))


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


class ClosePageHandler(JupyterHandler):
    """``POST simlib/close/<id>``: the page is going away (its ``pagehide`` beacon); its kernel stops.

    A beacon carries no XSRF token; a request from another site is refused by the origin check (the
    browser sends the page's Origin with a beacon), and a kernel id is known only to its page."""

    def check_xsrf_cookie(self) -> None:
        if not self.check_origin():
            raise web.HTTPError(403)

    @web.authenticated
    async def post(self, kernel_id):
        km = self.settings["kernel_manager"]
        if hasattr(km, "close_page"):
            await km.close_page(kernel_id, "the page closed")
        self.set_status(204)
        self.finish()


def pool_state(km) -> dict:
    """{"warm", "kernels", "pages", "in_use", "max_kernels"}: pre-heated kernels that have drawn the panel and
    wait for a visit, kernels running, kernels given to pages, kernels counted against the cap (running or
    starting), and the cap."""
    ready = set()
    for pool in getattr(km, "_pools", {}).values():
        for task in pool:
            if task.done() and not task.cancelled() and task.exception() is None:
                ready.add(task.result()["kernel_id"])
    return {
        "warm": len(ready & set(RequestInfoSocketHandler._waiters)),
        "kernels": len(km.list_kernel_ids()),
        "pages": len(getattr(km, "_pages", {})),
        "in_use": km.kernels_in_use() if hasattr(km, "kernels_in_use") else None,
        "max_kernels": getattr(km, "max_kernels", None),
    }


class PoolHandler(JupyterHandler):
    """``GET simlib/pool`` → ``pool_state`` (a health check)."""

    @web.authenticated
    async def get(self):
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(pool_state(self.settings["kernel_manager"]))


class TemplateAssetHandler(TemplateStaticFileHandler):
    """Voilà's template assets (``voila/templates/<template>/static/<file>``); 404 for anything else."""

    def parse_url_path(self, path):
        parts = path.split("/", 2)
        if len(parts) != 3 or parts[1] != "static" or parts[0] in ("", ".", "..") or not parts[2]:
            raise web.HTTPError(404)
        if any(part in ("", ".", "..") for part in parts[2].split("/")) or posixpath.isabs(parts[2]):
            raise web.HTTPError(404)
        if "\\" in path or "\x00" in path:
            raise web.HTTPError(404)
        return super().parse_url_path(path)
