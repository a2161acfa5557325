"""One notebook run with papermill: parameters checked, kernel start-up retried, a failing cell reported.

``execute`` runs a notebook into an output file. With ``warm=True`` it runs in this process's
kept kernel (``kernels``: started ahead, imports and data loaded, reset after each report) and
gives it back for the next report; a notebook that fails leaves that kernel stopped and a
fresh one starting for the next report. ``then``: a function of ``kernel_state`` the notebook's
kernel calls after a complete run (a report's leaders' files).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from . import kernels
from .kernels import KERNEL, KERNEL_ARGS, START_TIMEOUT_S
from .nbimports import skip_iri_grammar

START_ATTEMPTS = 3  # a kernel start-up failure is retried twice
CELL_TIMEOUT_S = 900


class NotebookFailed(Exception):
    """A notebook run that did not complete; ``error`` is the manifest's error record."""

    def __init__(self, error: dict):
        self.error = error
        super().__init__(f"{error.get('ename')}: {error.get('evalue')}")


def _startup_errors() -> tuple[type, ...]:
    errors: list[type] = [RuntimeError, TimeoutError, ConnectionError]
    try:
        import zmq

        errors.append(zmq.ZMQError)
    except ImportError:  # pragma: no cover - zmq ships with jupyter_client
        pass
    return tuple(errors)


def _source_cell_index(executed, cell_index: int) -> int:
    """Index in the source notebook of the executed notebook's cell ``cell_index``."""
    shift = sum(
        1 for c in executed.cells[:cell_index] if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    )
    return cell_index - shift


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell(s) tagged ``parameters`` (papermill's convention).

    Papermill only warns about a parameter the notebook does not declare; we refuse it.
    """
    import ast

    skip_iri_grammar()
    import nbformat

    names: set[str] = set()
    for cell in nbformat.read(str(notebook), as_version=4).cells:
        if cell.get("cell_type") != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def execute(
    notebook: Path,
    output: Path,
    parameters: dict,
    cwd: Path,
    attempts: int = START_ATTEMPTS,
    warm: bool = False,
    then: tuple[Callable, dict] | None = None,
) -> int:
    """Run ``notebook`` with papermill into ``output``; return the number of attempts used.

    Kernel start-up failures (dead kernel, time-out, ZMQ port clash) are retried; a failing
    cell raises NotebookFailed at once with the cell, the error name and its message.
    ``warm``: the notebook runs in this process's kept kernel (``kernels.take``; started now if
    there is none), which is given back after a complete run (reset, ready for the next report)
    or replaced after a failed one (the new one starts while this process writes the report).
    ``then``: (a function of ``kernel_state``, its arguments) that the notebook's kernel calls after
    a complete run, before it is reset; with ``then`` and without ``warm`` the notebook runs in a
    kernel started for it alone. Without either, papermill starts and stops the kernel.
    """
    skip_iri_grammar()
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    declared = declared_parameters(notebook)
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise NotebookFailed(
            {
                "stage": "parameters",
                "cell_index": None,
                "execution_count": None,
                "ename": "UnknownParameter",
                "evalue": f"{notebook.name} declares no parameter {', '.join(unknown)}",
            }
        )
    retry_on = _startup_errors()
    for attempt in range(1, attempts + 1):
        km = None
        complete = False
        try:
            if warm or then:
                km = kernels.take(cwd, keep=warm)
                if km is None:
                    raise RuntimeError("the notebook's kernel did not start")
            pm.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL,
                progress_bar=False,
                cwd=str(cwd),
                start_timeout=START_TIMEOUT_S,
                execution_timeout=CELL_TIMEOUT_S,
                extra_arguments=list(KERNEL_ARGS),
                request_save_on_cell_execute=False,  # written once, at the end (or at the failure)
                **({"km": km} if km is not None else {}),
            )
            complete = True
            if then:
                function, arguments = then
                kernels.call(km, function, CELL_TIMEOUT_S, **arguments)  # it records what it did
            return attempt
        except PapermillExecutionError as exc:
            cell = exc.cell_index
            try:
                executed = nbformat.read(str(output), as_version=4)
                executed.cells = [
                    c for c in executed.cells if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])
                ]
                cell = _source_cell_index(executed, exc.cell_index)
            except (OSError, ValueError):
                pass
            first_line = next((ln for ln in str(exc.source).splitlines() if ln.strip()), "")
            raise NotebookFailed(
                {
                    "stage": "notebook",
                    "cell_index": cell,
                    "execution_count": exc.exec_count,
                    "cell_source": first_line[:200],
                    "ename": exc.ename,
                    "evalue": str(exc.evalue)[:2000],
                    "attempts": attempt,
                }
            ) from None
        except retry_on as exc:
            if attempt == attempts:
                raise NotebookFailed(
                    {
                        "stage": "kernel",
                        "cell_index": None,
                        "execution_count": None,
                        "ename": type(exc).__name__,
                        "evalue": str(exc)[:2000],
                        "attempts": attempt,
                    }
                ) from None
            time.sleep(0.5 * attempt)
        finally:
            if km is not None:
                kernels.give_back(km, reuse=complete)
    raise AssertionError("unreachable")  # pragma: no cover
