"""HTML pages printed to PDF by headless chromium, in a browser kept warm for the whole process.

Starting chromium for every page costs about half a second and a handful of processes; a batch
worker prints one page per report, so it keeps one browser (Playwright driving Debian's
chromium) for its whole life and closes it when the process ends. Playwright's objects belong
to the thread that made them, so the browser lives in a thread of its own and any thread may
ask it for a page. Without Playwright, or when the kept browser fails, a page is printed by a
fresh ``chromium --print-to-pdf`` instead (``print_once``), so a report never fails for it.
"""

from __future__ import annotations

import queue
import subprocess
import tempfile
import threading
from pathlib import Path

TIMEOUT_S = 120  # to start the browser, and to print one page
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--hide-scrollbars",
)
ONCE_FLAGS = ("--headless", *FLAGS, "--no-pdf-header-footer")


class PdfError(RuntimeError):
    """The page could not be printed to PDF (no chromium, or chromium failed)."""


class _Request:
    def __init__(self, page_html: str):
        self.page_html, self.done = page_html, threading.Event()
        self.pdf: bytes | None = None
        self.error: BaseException | None = None


class KeptBrowser:
    """One headless chromium in its own thread, printing one page after the other."""

    def __init__(self, executable: str):
        self.executable = executable
        self._requests: queue.Queue = queue.Queue()
        self._ready = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, name="simlib-pdf-browser", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
        except BaseException as exc:  # noqa: BLE001 - reported to whoever asks for a page
            self.error = exc
            self._ready.set()
            return
        browser = None
        try:
            browser = playwright.chromium.launch(
                executable_path=self.executable, args=list(FLAGS), timeout=TIMEOUT_S * 1000
            )
            page = browser.new_page()
        except BaseException as exc:  # noqa: BLE001
            self.error = exc
        self._ready.set()
        try:
            while self.error is None:
                request = self._requests.get()
                if request is None:
                    break
                try:
                    page.set_content(request.page_html, wait_until="load", timeout=TIMEOUT_S * 1000)
                    request.pdf = page.pdf(prefer_css_page_size=True, print_background=True)
                except BaseException as exc:  # noqa: BLE001 - this browser is not used again
                    request.error = self.error = exc
                request.done.set()
        finally:
            for close in ((browser.close if browser is not None else None), playwright.stop):
                try:
                    if close is not None:
                        close()
                except Exception:  # noqa: BLE001 - the browser may be gone already
                    pass
            while not self._requests.empty():  # nobody waits for ever on a browser that is gone
                request = self._requests.get_nowait()
                if request is not None:
                    request.error = self.error or PdfError("the browser was closed")
                    request.done.set()

    def print(self, page_html: str) -> bytes:
        """The page as PDF bytes (A4 or whatever its CSS ``@page`` says); PdfError if it failed."""
        if not self._ready.wait(TIMEOUT_S) or self.error is not None:
            raise PdfError(f"the kept browser did not start: {self.error!r}")
        request = _Request(page_html)
        self._requests.put(request)
        if not request.done.wait(TIMEOUT_S):
            raise PdfError(f"chromium did not print the page within {TIMEOUT_S} s")
        if request.error is not None or not request.pdf:
            raise PdfError(f"chromium did not print the page: {request.error!r}")
        return request.pdf

    def close(self) -> None:
        self._requests.put(None)
        self._thread.join(10)


_browser: KeptBrowser | None = None
_lock = threading.Lock()
_closed_at_exit = False


def kept_browser(executable: str) -> KeptBrowser:
    """This process's kept browser (started on first use; closed when the process ends)."""
    global _browser, _closed_at_exit
    with _lock:
        if _browser is None or _browser.executable != executable or _browser.error is not None:
            if _browser is not None:
                _browser.close()
            if not _closed_at_exit:
                import atexit

                atexit.register(close)
                _closed_at_exit = True
            _browser = KeptBrowser(executable)
        return _browser


def close() -> None:
    """Close the kept browser (at the end of the process)."""
    global _browser
    with _lock:
        browser, _browser = _browser, None
    if browser is not None:
        browser.close()


def print_pdf(page_html: str, executable: str) -> bytes:
    """The page as PDF bytes: by the kept browser, or (if it cannot) by a fresh chromium."""
    try:
        return kept_browser(executable).print(page_html)
    except PdfError:
        return print_once(page_html, executable)


def print_once(page_html: str, executable: str) -> bytes:
    """The page as PDF bytes by a chromium started for it (``--print-to-pdf``)."""
    with tempfile.TemporaryDirectory(prefix="simlib-pdf-") as tmp:
        source, printed = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        source.write_text(page_html, encoding="utf-8")
        cmd = [
            executable,
            *ONCE_FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={printed}",
            source.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"chromium did not finish printing within {TIMEOUT_S} s") from exc
        if not printed.is_file() or printed.stat().st_size == 0:
            raise PdfError(f"chromium did not print the page (exit {proc.returncode}): {proc.stderr[-500:]}")
        return printed.read_bytes()
