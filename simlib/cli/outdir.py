"""Checks of an ``--out`` folder made before any work: the right kind of folder, and writable.

Every command that writes a folder (run, batch, grid, sensitivity, target) asks here first,
so that a wrong or read-only ``--out`` is an exit 2 with a clear line — not a traceback
after minutes of computing, and never an overwritten manifest of another kind of output.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..engine.errors import Issue, short

KIND_WORDS = {
    "simlib-report": "report",
    "simlib-batch": "batch",
    "simlib-grid": "grid",
    "sensitivity": "sensitivity analysis",
}


def manifest_kind(folder: Path) -> str | None:
    """The ``kind`` of ``folder/manifest.json`` ('' if it is not a simlib manifest, None if none)."""
    path = folder / "manifest.json"
    if not path.exists():
        return None
    try:
        kind = json.loads(path.read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return ""
    return kind if isinstance(kind, str) else ""


def kind_problem(out: str | Path, kinds: tuple[str, ...], where: str = "--out") -> Issue | None:
    """A problem if ``out`` is a file, or a folder holding the manifest of another kind of output."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        return Issue(where, str(out), "a directory path (this is a file)")
    if not path.is_dir():
        return None
    kind = manifest_kind(path)
    if kind is None or kind in kinds:
        return None
    what = KIND_WORDS.get(kind, "other")
    wanted = " or ".join(KIND_WORDS.get(k, k) for k in kinds)
    return Issue(
        where,
        str(out),
        f"a new directory or an earlier {wanted} folder (this one holds a {what} "
        "output's manifest.json; nothing was changed)",
    )


def write_problem(out: str | Path, where: str = "--out") -> Issue | None:
    """A problem if nothing can be written at ``out`` (read-only folder or disk, no permission).

    Probes by creating and removing a temporary file in ``out``, or in its nearest existing
    parent when ``out`` does not exist yet (nothing is created there).
    """
    path = Path(out).absolute()
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        return Issue(where, str(out), f"a path inside a directory ({short(str(probe))} is a file)")
    try:
        handle, name = tempfile.mkstemp(dir=probe, prefix=".simlib-probe-")
        os.close(handle)
        os.unlink(name)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return Issue(where, str(out), f"a directory you may write in ({short(str(probe))}: {reason})")
    return None
