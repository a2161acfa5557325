"""A pre-heated kernel's wait for its visit (``simlib.app.links.wait_for_query``), against a stand-in for
the server's request-info websocket: the visit's values reach the kernel, an unreachable server is said and
the notebook's own parameters kept, and the wait never loads Voilà's server into the kernel."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from support import ROOT
from websockets.sync.server import serve

from simlib.app import links

VISIT = {"QUERY_STRING": "lang=en&simplification=0.6", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8866"}


class RequestInfoServer:
    """Sends ``payload`` to the first kernel that connects and records the path it asked for."""

    def __init__(self, payload: str):
        self.paths: list[str] = []

        def handler(socket):
            self.paths.append(socket.request.path)
            socket.send(payload)

        self.server = serve(handler, "127.0.0.1", 0)
        self.port = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


def preheated_kernel(port: int, kernel_id: str = "k-1", **extra: str) -> dict[str, str]:
    return {"VOILA_PREHEAT": "True", links.KERNEL_PORT_VARIABLE: str(port), "VOILA_KERNEL_ID": kernel_id, **extra}


def test_a_pre_heated_kernel_gets_its_visits_link_and_request():
    with RequestInfoServer(json.dumps(VISIT)) as server:
        environ = preheated_kernel(server.port, "kernel-42", VOILA_SERVER_URL="/app/")
        assert links.wait_for_query(environ) == "lang=en&simplification=0.6"
    assert server.paths == ["/app/voila/query/kernel-42"]
    assert environ["SERVER_PORT"] == "8866"
    assert links.page_address(environ) == "http://127.0.0.1:8866/"


def test_an_unreachable_server_is_said_and_the_notebooks_own_parameters_are_kept():
    with RequestInfoServer("{}") as server:
        port = server.port
    environ = preheated_kernel(port)
    with pytest.warns(UserWarning, match=f"no visit's request from ws://127.0.0.1:{port}/voila/query/k-1"):
        assert links.wait_for_query(environ) == ""


@pytest.mark.parametrize("message", ["not json {", '["a", "list"]'])
def test_a_garbled_request_is_said_and_the_notebooks_own_parameters_are_kept(message):
    with RequestInfoServer(message) as server:
        environ = preheated_kernel(server.port)
        with pytest.warns(UserWarning, match="is not a JSON object: ignored"):
            assert links.wait_for_query(environ) == ""
    assert "SERVER_NAME" not in environ


def test_a_kernel_that_was_not_pre_heated_reads_its_link_at_once():
    assert links.wait_for_query({"QUERY_STRING": "lang=en"}) == "lang=en"
    assert links.wait_for_query({"VOILA_PREHEAT": "False"}) == ""


def test_the_wait_does_not_load_the_jupyter_server_into_the_kernel():
    """Voilà's own helper imports Voilà's server with it (about 5 CPU-seconds in every pre-heated kernel)."""
    with RequestInfoServer(json.dumps(VISIT)) as server:
        code = (
            "import sys, json; from simlib.app import panel, links;"
            f"print(json.dumps([links.wait_for_query({preheated_kernel(server.port)!r}),"
            "sorted({m.split('.')[0] for m in sys.modules} & {'voila', 'jupyter_server', 'jupyterlab_server'})]))"
        )
        shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == ["lang=en&simplification=0.6", []]
