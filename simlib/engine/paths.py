"""Where the project's folders are: the one place that knows the checkout's layout.

``SIMLIB_DATA_DIR`` and ``SIMLIB_NOTEBOOKS_DIR`` override the data and notebook folders
(tests use a temporary copy of ``data/``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # simlib/
ROOT = PACKAGE_DIR.parent  # the checkout: data/, notebooks/, scenarios/


def data_dir() -> Path:
    """The folder of the published figures and the model's parameters (CSV)."""
    override = os.environ.get("SIMLIB_DATA_DIR")
    return Path(override) if override else ROOT / "data"


def notebooks_dir() -> Path:
    """The folder of the notebooks that reports are rendered from."""
    override = os.environ.get("SIMLIB_NOTEBOOKS_DIR")
    return Path(override) if override else ROOT / "notebooks"


def scenarios_dir() -> Path:
    """The folder of the example scenario files."""
    return ROOT / "scenarios"


def jupyter_share_dir() -> Path:
    """The checkout's Jupyter data folder (on JUPYTER_PATH when the app is served): the
    lever explorer's Voilà page template is ``voila/templates/simlib`` in it."""
    return ROOT / "share" / "jupyter"


def source_files() -> list[Path]:
    """Every Python source file of simlib, sorted by its path inside the package."""
    return sorted(PACKAGE_DIR.rglob("*.py"), key=lambda p: p.relative_to(PACKAGE_DIR).as_posix())


def evaluation_summary() -> Path:
    """The stored result of the evaluation harness (``simlib evaluate --write`` regenerates it)."""
    return data_dir() / "evaluation_summary.csv"
