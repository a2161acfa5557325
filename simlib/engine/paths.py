"""Where the project's folders are: the one place that knows the checkout's layout.

``SIMLIB_DATA_DIR`` and ``SIMLIB_NOTEBOOKS_DIR`` override the data and notebook folders
(tests use a temporary copy of ``data/``). ``SIMLIB_USER_DIR`` overrides the user data folder:
what a user adds (new years' results, frozen forecasts) lives there, never in ``data/``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # simlib/
ROOT = PACKAGE_DIR.parent  # the checkout: data/, notebooks/, scenarios/


def data_dir() -> Path:
    """The folder of the published figures and the model's parameters (CSV)."""
    override = os.environ.get("SIMLIB_DATA_DIR")
    return Path(override) if override else ROOT / "data"


def user_dir() -> Path:
    """The user data folder: added results, frozen forecasts and the track record refreshed from them.

    ``SIMLIB_USER_DIR``, else the user's data directory (``platformdirs``: ~/.local/share/simlib on
    Linux). The shipped ``data/`` is read-only at run time; loading merges the two."""
    override = os.environ.get("SIMLIB_USER_DIR")
    return Path(override) if override else _platform_user_dir()


@functools.cache
def _platform_user_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("simlib", appauthor=False))


def added_results_dir() -> Path:
    """The user folder's added result tables, one CSV per index and year (``simlib results add``)."""
    return user_dir() / "results"


def forecasts_dir() -> Path:
    """The user folder's frozen forecasts, one folder per label (``simlib forecast freeze``)."""
    return user_dir() / "forecasts"


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
    """The stored result of the evaluation harness (``simlib evaluate --write`` regenerates it): the
    shipped ``data/evaluation_summary.csv``, or once results have been added, its counterpart in the
    user folder (refreshed by ``simlib results add``), so the track record speaks of the data in use."""
    if any(added_results_dir().glob("*.csv")):
        return user_dir() / "evaluation_summary.csv"
    return data_dir() / "evaluation_summary.csv"
