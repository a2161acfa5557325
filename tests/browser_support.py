"""Support for the real-browser tests: servers started and stopped by PID, Debian's chromium.

Servers (Voilà, JupyterLab) bind to 127.0.0.1 on a free port, run with their own temporary
Jupyter config/data/runtime folders (nothing of the user's Jupyter set-up leaks in), and are
stopped by the PID recorded at start — with every process they started (kernels) — also
when a test fails. The browser is /usr/bin/chromium driven by Playwright; pages can be cut
off from the network so that only 127.0.0.1 (and file://, data:, blob:) is reachable.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from simlib.engine import atomic

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LEVER_EXPLORER = ROOT / "notebooks" / "lever_explorer.ipynb"  # the notebook the Voilà app serves
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LOGS = ROOT / "test-artifacts" / "logs"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# JupyterLab: no news or update pop-up over the notebook (written as the labconfig
# default_setting_overrides.json of the server's own JUPYTER_CONFIG_DIR).
LAB_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_browser() -> None:
    """Skip when chromium or Playwright is missing — except in CI, where that is a failure."""
    problems = []
    if not os.access(CHROMIUM, os.X_OK):
        problems.append(f"{CHROMIUM} is missing (run `bash scripts/install_browser.sh` as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the Python package playwright is missing (pip install -e '.[test]')")
    if problems:
        message = "browser tests cannot run: " + "; ".join(problems)
        if in_ci():
            pytest.fail(message + " — CI=true, so this is an error, not a skip", pytrace=False)
        pytest.skip(message)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children() -> dict[int, list[int]]:
    """Parent PID -> child PIDs, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read().decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(pid: int) -> list[int]:
    """Every process started (directly or not) by ``pid``."""
    tree, out, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


_alive = atomic.alive  # a zombie counts as gone


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _wait_gone(pids: list[int], timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = [p for p in pids if _alive(p)]
        if not pids:
            return []
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


def jupyter_env(home: Path) -> dict[str, str]:
    """Environment for a server with its own Jupyter folders under ``home`` (created here)."""
    env = dict(os.environ)
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
        ("IPYTHONDIR", "ipython"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    labconfig = home / "config" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "default_setting_overrides.json").write_text(json.dumps(LAB_OVERRIDES), encoding="utf-8")
    env.pop("QUERY_STRING", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["MPLBACKEND"] = "Agg"
    return env


class Server:
    """A server process on 127.0.0.1:``port``, stopped by its PID (and its children's)."""

    def __init__(
        self, name: str, argv: list[str], port: int, cwd: Path, env: dict[str, str], start_timeout: float = 60.0
    ):
        self.name, self.argv, self.port, self.cwd, self.env = name, argv, port, cwd, env
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.pid: int | None = None
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log_path = LOGS / f"{name}-{port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float | None = None) -> Server:
        """Start the server and wait until its port answers (at most ``timeout`` s, default ``start_timeout``)."""
        timeout = self.start_timeout if timeout is None else timeout
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            log.close()
        self.pid = self.proc.pid
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with code {self.proc.returncode} before listening:\n" + self.log_tail()
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"{self.name} did not listen on port {self.port} within {timeout:.0f} s:\n" + self.log_tail()
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the server by its PID (SIGTERM, then SIGKILL), then any process it left behind."""
        if self.pid is None:
            return
        children = descendants(self.pid)
        _signal(self.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal(self.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        left = _wait_gone(children, 3)
        for pid in left:
            _signal(pid, signal.SIGTERM)
        for pid in _wait_gone(left, 5):
            _signal(pid, signal.SIGKILL)
        self.pid = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def voila_server(
    notebook: Path,
    home: Path,
    port: int | None = None,
    max_kernels: int = 4,
    pool: int = 1,
    cull: int = 20,
    unclaimed: int | None = None,
) -> Server:
    """The lever explorer's Voilà server (``python -m simlib.app.server``, as scripts/serve_app.sh
    runs it) on 127.0.0.1 (not started yet): pre-heated kernels, a kernel cap, a short cull, and the
    server's own wait for a page nobody opens unless ``unclaimed`` (seconds) is given. With
    pre-heated kernels its address answers once the first one is ready (``start`` waits for that)."""
    port = port or free_port()
    argv = [
        sys.executable,
        "-m",
        "simlib.app.server",
        str(notebook),
        f"--port={port}",
        f"--max-kernels={max_kernels}",
        f"--pool={pool}",
        f"--cull={cull}",
        *([f"--unclaimed={unclaimed}"] if unclaimed is not None else []),
    ]
    return Server("voila", argv, port, ROOT, jupyter_env(home), start_timeout=240.0 if pool else 60.0)


def wait_warm(server: Server, timeout: float = 180.0) -> float:
    """Wait until the app has a pre-heated kernel ready for the next visit; return the seconds waited."""
    import urllib.request

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(f"{server.url}/simlib/pool", timeout=10) as response:
                if json.loads(response.read()).get("warm", 0) >= 1:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no pre-heated kernel within {timeout:.0f} s:\n" + server.log_tail())


def lab_server(root_dir: Path, home: Path, port: int | None = None) -> Server:
    """JupyterLab on 127.0.0.1 with no token, serving ``root_dir`` (not started yet)."""
    port = port or free_port()
    argv = [
        str(VENV_BIN / "jupyter"),
        "lab",
        "--allow-root",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.open_browser=False",
    ]
    return Server("jupyterlab", argv, port, root_dir, jupyter_env(home))


@contextmanager
def chromium():
    """A headless Debian chromium driven by Playwright; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def offline_context(browser, viewport=(1280, 1800), hold: bool = False):
    """A browser context in which no request leaves 127.0.0.1 (file:/data:/blob: allowed).

    An outside request is refused at once (``hold=False``) or held open and never answered
    (``hold=True``, as a proxy that drops traffic silently). Returns (context, outside), where
    ``outside`` lists every outside URL the page asked for.
    """
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        locale="vi-VN",
        service_workers="block",
        accept_downloads=True,
    )
    outside: list[str] = []

    def route(r):
        url = r.request.url
        parts = urlsplit(url)
        if parts.scheme in ("file", "data", "blob") or parts.hostname in LOCAL_HOSTS:
            r.continue_()
            return
        outside.append(url)
        if not hold:
            r.abort("internetdisconnected")
        # held: never continued, fulfilled or aborted — the request hangs like a dropped packet

    context.route("**/*", route)
    return context, outside


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# ---- ipywidgets 8 in the page


def readout(lever: str) -> str:
    """A lever's value box (the % typed or shown beside its slider)."""
    return f".value-{lever} input"


def type_slider(page, lever: str, percent: float | str) -> None:
    """Type a value (in %) into a lever's value box and press Enter."""
    box = page.locator(readout(lever))
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(percent if isinstance(percent, str) else f"{percent:g}")
    page.keyboard.press("Enter")


def press_slider(page, lever: str, key: str = "ArrowRight", times: int = 1) -> None:
    """Focus a lever slider's handle and press a key (ArrowRight moves it one step)."""
    handle = page.locator(f".lever-{lever} .noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def text(page, selector: str) -> str:
    """What an element shows: an input's value, else its text."""
    return page.locator(selector).first.evaluate("e => (e.tagName === 'INPUT' ? e.value : e.innerText).trim()")


def wait_text_change(page, selector: str, before: str, timeout: float = 15_000) -> str:
    """Wait until the first element matching ``selector`` shows text other than ``before``."""
    page.wait_for_function(
        "([sel, before]) => { const e = document.querySelector(sel);"
        " return e && (e.tagName === 'INPUT' ? e.value : e.innerText).trim() !== before; }",
        arg=[selector, before],
        timeout=timeout,
    )
    return text(page, selector)


def wait_background_sections(page, timeout: float = 90_000) -> None:
    """Wait until the planner's sections drawn in the background show the page's own settings: the
    league table is there and no section is marked as still computing newer settings."""
    page.wait_for_selector(".panel-league tr.focal", state="visible", timeout=timeout)
    page.wait_for_selector(".panel-waterfall .why-sentence", state="visible", timeout=timeout)
    page.wait_for_function("() => !document.querySelector('.section-updating')", timeout=timeout)


def open_costs(page) -> None:
    """Unfold "our own unit costs" (an ipywidgets Accordion) by clicking its title."""
    page.locator(".own-costs").get_by_text(re.compile("unit costs|Đơn giá của bạn")).first.click()
    page.wait_for_selector(".cost-simplification input", state="visible")


def number(shown: str) -> float:
    """A number as the page writes it (92,81 or 92.81, '−' for minus) as a float."""
    return float(shown.strip().replace("−", "-").replace(",", "."))


# ---- layout: every control on screen, none over another, no text cut off

LAYOUT_PROBLEMS = r"""(rootSelector) => {
  const W = document.documentElement.clientWidth;
  const root = document.querySelector(rootSelector) || document.body;
  const CONTROLS = 'input:not([type=hidden]):not([type=file]), select, textarea, button, .noUi-target, ' +
    '.widget-label, .widget-label-basic, .widget-readout, a';
  const shown = e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && !e.closest('[hidden]');
  };
  const name = e => {
    const cls = typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).slice(0, 3).join('.') : '';
    const words = (e.innerText || e.value || e.getAttribute('title') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${e.tagName.toLowerCase()}${cls} «${words}»`;
  };
  const scroller = e => {  // the box a wide table scrolls inside, if the element is in one (only tables may)
    const table = e.closest('table');
    if (!table) { return null; }
    for (let p = table.parentElement; p && p !== document.body; p = p.parentElement) {
      if (/(auto|scroll)/.test(getComputedStyle(p).overflowX) && p.scrollWidth > p.clientWidth + 1) { return p; }
    }
    return null;
  };
  const problems = [];
  // everything that shows something: controls, and elements with text of their own or an image
  const leaves = [...root.querySelectorAll('*')].filter(e => shown(e) && (
    e.matches(CONTROLS) || ['IMG', 'SVG', 'CANVAS'].includes(e.tagName) ||
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())));
  for (const e of leaves) {
    const r = e.getBoundingClientRect(), box = scroller(e);
    const edge = box ? box.getBoundingClientRect() : {left: 0, right: W};
    if (box && (edge.left < -1 || edge.right > W + 1)) { problems.push(`off-screen scroll box: ${name(box)}`); }
    if (!box && (r.left < -1 || r.right > W + 1)) {
      problems.push(`off-screen: ${name(e)} spans ${Math.round(r.left)}–${Math.round(r.right)} px of ${W}`);
    }
    if (e.matches('.widget-label, .widget-label-basic, button, .jupyter-button') && e.scrollWidth > e.clientWidth + 1) {
      problems.push(`text cut off: ${name(e)}`);
    }
  }
  const controls = leaves.filter(e => e.matches(CONTROLS));
  // a box per line for text that wraps (a long link), so the button after it on its last line is not "under" it
  const boxes = controls.map(e => [...e.getClientRects()].filter(r => r.width > 0 && r.height > 0));
  const meet = (r, s) => Math.min(r.right, s.right) - Math.max(r.left, s.left) > 2 &&
    Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 2;
  for (let i = 0; i < controls.length; i++) {
    for (let j = i + 1; j < controls.length; j++) {
      const a = controls[i], b = controls[j];
      if (a.contains(b) || b.contains(a)) { continue; }
      if (boxes[i].some(r => boxes[j].some(s => meet(r, s)))) { problems.push(`overlap: ${name(a)} × ${name(b)}`); }
    }
  }
  return problems;
}"""


def layout_problems(page, root: str = ".lever-explorer") -> list[str]:
    """What is wrong with the page's layout at its current width: a control or text off-screen (only a
    table may be wider than the screen, inside a box of its own that scrolls), two controls (inputs, buttons, sliders, labels, links) over each other, a
    label or button whose text is cut off. Empty when every control can be seen and used."""
    return page.evaluate(LAYOUT_PROBLEMS, root)
