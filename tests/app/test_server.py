"""The lever explorer's server under load and at its edges: the kernel cap under concurrent visits,
closed pages freeing their kernels, and requests an attacker would send (foreign Host headers, paths
with ``..``) answered plainly, without a traceback in the log.

Servers run on 127.0.0.1 on free ports (``browser_support``) and are stopped by their PID.
"""

from __future__ import annotations

import http.client
import json
import threading
import time

import browser_support as bs
import pytest

from simlib.app import kernel_slots

pytestmark = [pytest.mark.notebook, pytest.mark.slow]

NOTEBOOK = bs.LEVER_EXPLORER


def request(server, path: str = "/", host: str | None = None, method: str = "GET", headers=None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
    try:
        conn.request(method, path, headers={**({"Host": host} if host else {}), **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        conn.close()


def pool(server) -> dict:
    return json.loads(request(server, "/simlib/pool")[1])


def kernel_processes(server) -> int:
    """Kernels the server runs now, counted as processes (whatever the server believes)."""
    count = 0
    for pid in bs.descendants(server.pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                count += b"ipykernel" in handle.read()
        except OSError:
            pass
    return count


class Peak:
    """Samples the server's kernel processes and its own count in the background; keeps the largest."""

    def __init__(self, server):
        self.server, self.processes, self.in_use, self._stop = server, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.processes = max(self.processes, kernel_processes(self.server))
            try:
                self.in_use = max(self.in_use, pool(self.server)["in_use"])
            except (OSError, ValueError):
                pass
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def wait_until(condition, timeout: float, every: float = 0.2) -> float:
    """Seconds until ``condition()`` holds; AssertionError after ``timeout``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout:.0f} s")
        time.sleep(every)
    return time.monotonic() - started


def test_many_simultaneous_visits_never_run_more_kernels_than_the_cap(tmp_path):
    """16 page loads at once against a cap of 3 (one kernel pre-heated): at most 3 kernels ever run,
    each load gets the page (200) or the busy page (503), and pages nobody connects to (these
    loads run no script) give their kernels back after the server's --unclaimed seconds, so a
    later visit is served again."""
    cap, visits, unclaimed = 3, 16, 8
    server = bs.voila_server(NOTEBOOK, tmp_path / "home", max_kernels=cap, pool=1, cull=900, unclaimed=unclaimed)
    try:
        server.start()
        bs.wait_warm(server)
        statuses: list[int | None] = [None] * visits
        start = threading.Barrier(visits)

        def visit(i: int) -> None:
            start.wait()
            statuses[i] = request(server, f"/?seed={i}")[0]

        threads = [threading.Thread(target=visit, args=(i,)) for i in range(visits)]
        with Peak(server) as peak:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=600)
            time.sleep(2)  # a refill that would overrun the cap has had time to start
        print(f"\nstatuses {statuses}; most kernel processes {peak.processes}, most counted {peak.in_use}")
        assert set(statuses) <= {200, 503}, statuses
        assert 1 <= statuses.count(200) <= cap
        assert peak.processes <= cap and peak.in_use <= cap
        assert "Traceback" not in server.log_tail(400)
        # nobody uses those pages: their kernels are stopped, the pre-heated one comes back
        assert pool(server)["pages"] >= 1  # not before --unclaimed seconds
        wait_until(lambda: pool(server)["pages"] == 0, unclaimed + 60)
        bs.wait_warm(server)
        assert request(server, "/")[0] == 200
    finally:
        server.stop()


@pytest.mark.browser
def test_closed_pages_free_their_kernels_within_seconds(tmp_path, browser):
    """Tabs opened and closed one after another never leave the next visitor a busy server: a page
    that closes says so (its kernel stops at once), and a page that vanishes without a word (the tab
    crashed) loses its kernel once its websocket has been closed for a few seconds."""
    server = bs.voila_server(NOTEBOOK, tmp_path / "home", max_kernels=2, pool=1, cull=900)
    try:
        server.start()
        for round_ in range(2):  # a tab closed, then one that vanished: each frees the cap's second kernel
            bs.wait_warm(server)
            context, _ = bs.offline_context(browser)
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.goto(server.url + "/")
            page.wait_for_selector(".par-score-median", state="visible")
            assert pool(server)["pages"] == 1
            if round_ % 2 == 0:
                limit = 3.0  # the tab is closed: its 'pagehide' beacon stops the kernel at once
            else:
                # gone without a word (a crash, a phone killing the tab): its beacons never arrive,
                # only its websocket closes
                context.route("**/simlib/close/**", lambda route: route.abort())
                context.route("**/voila/api/shutdown/**", lambda route: route.abort())
                limit = kernel_slots.PAGE_GONE_S + 6.0
            page.close(run_before_unload=True)
            seconds = wait_until(lambda: pool(server)["pages"] == 0, limit)
            print(f"\nround {round_}: the closed page's kernel stopped after {seconds:.1f} s")
            context.close()
        status, body = request(server, "/")  # the cap counts live pages only: a fresh visit is served
        assert status == 200 and "server-busy" not in body
        assert "Traceback" not in server.log_tail(400)
    finally:
        server.stop()


def test_requests_from_elsewhere_and_odd_paths_get_plain_answers(tmp_path):
    """Foreign Host headers get 403 (the package's public files at most a 404), template paths that are not one get 404, a beacon
    from another site stops nothing, and none of it leaves a traceback in the log."""
    server = bs.voila_server(NOTEBOOK, tmp_path / "home", max_kernels=2, pool=1, cull=900)
    try:
        server.start()
        bs.wait_warm(server)
        for host in ("evil.example.com", f"evil.example.com:{server.port}", "10.0.0.5"):
            for path in ("/", "/?lang=en", "/simlib/pool", "/simlib/kernel/x", "/voila/api/themes/x"):
                status, _ = request(server, path, host=host)
                assert status == 403, (host, path, status)  # DNS rebinding gets nothing
            for path in ("/voila/templates/simlib/static/x", "/voila/static/x"):  # the package's public files
                assert request(server, path, host=host)[0] in (403, 404), (host, path)
        for path in (
            "/voila/templates/..%2f..%2f..%2fetc%2fpasswd",
            "/voila/templates/simlib/static/..%2f..%2fconf.json",
            "/voila/templates/lab/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/voila/templates/x",
            "/voila/templates/..%2fstatic%2fx",
        ):
            assert request(server, path)[0] == 404, path
        for path in ("/voila/static/..%2f..%2fapp.py", "/voila/files/..%2fREADME.md", "/voila/api/themes/..%2f..%2f"):
            assert request(server, path)[0] in (403, 404), path
        kernels = kernel_processes(server)
        for path in ("/simlib/close/x", "/voila/api/shutdown/x"):
            status, _ = request(server, path, method="POST", headers={"Origin": "http://evil.example.com"})
            assert status in (403, 404), (path, status)
        assert request(server, "/simlib/close/not-a-page", method="POST")[0] == 204  # nothing to stop
        assert kernel_processes(server) == kernels and pool(server)["warm"] == 1  # the pre-heated kernel stays
        log = server.log_tail(1000)
        assert "Traceback" not in log and " 500 " not in log, log
    finally:
        server.stop()
