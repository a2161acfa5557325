"""Provenance of every output: package versions, data file hashes and one hash of simlib's code.

Manifests of reports, batches, grids, sensitivity analyses and target searches record these, so
a number can be traced to the code, data and libraries that made it (and ``--resume`` can tell a
stale report: another model code or data gives another hash).
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

# The libraries whose versions a manifest records (the Python version is added).
PACKAGES = ("simlib", "numpy", "pandas", "scipy", "SALib", "matplotlib", "papermill", "nbconvert", "ipywidgets")


def package_versions(packages: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    """name → installed version (None if not installed), and ``python``. Read once per process,
    like ``code_sha256`` (about 10 ms each time; a batch's worker records them in every report)."""
    return dict(_package_versions(tuple(packages)))


@functools.lru_cache(maxsize=4)
def _package_versions(packages: tuple[str, ...]) -> dict[str, str | None]:
    from importlib import metadata

    out = {}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    out["python"] = sys.version.split()[0]
    return out


def data_hashes() -> dict[str, str]:
    """file name → sha256 of every data file the model read."""
    from ..engine import data

    return dict(data.load().file_hashes)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.lru_cache(maxsize=1)
def code_sha256() -> str:
    """One hash of simlib's own source files (every ``.py`` of the package, found, not listed):
    a changed model makes earlier reports stale."""
    from ..engine.paths import PACKAGE_DIR, source_files

    digest = hashlib.sha256()
    for path in source_files():
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def record() -> dict:
    """The provenance part of a manifest: packages, data file hashes and the code hash."""
    return {"packages": package_versions(), "data_file_hashes": data_hashes(), "simlib_code_sha256": code_sha256()}
