"""environment.yml and pyproject.toml must describe the same environment.

pyproject.toml is what pip installs (scripts/setup.sh); environment.yml is the conda-forge
equivalent for people who use conda. No conda is available here, so these tests check the
two files against each other and against the pip environment actually installed:

(a) every dependency of pyproject (runtime and `test` extras) is in environment.yml, with
    the same version bounds;
(b) environment.yml lists nothing that pyproject does not (python, pip and `-e .` aside);
(c) every entry of environment.yml is satisfied by the installed environment;
(d) environment.yml's python pin is the floor that requires-python allows.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"

# conda-forge package name -> PyPI distribution name, where they differ beyond case/`_`/`-`.
CONDA_TO_PYPI = {
    "playwright-python": "playwright",
}
# PyPI extras that conda-forge's package of the same name already includes.
EXTRAS_INCLUDED_IN_CONDA = {"dask": {"distributed"}}
# conda-forge packages that are not Python distributions and are not project dependencies.
CONDA_TOOLING = {"python", "pip"}
# Entries of environment.yml's pip section that install the project itself.
SELF_INSTALL = {"-e .", "-e ./", "--editable ."}


def norm(name: str) -> str:
    """Lowercase, `_`/`.` -> `-` (PEP 503), then map conda-only names to PyPI names."""
    n = canonicalize_name(name)
    return CONDA_TO_PYPI.get(n, n)


# --------------------------------------------------------------------------- parsing

_CONDA_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(.*?)\s*$")


def conda_spec_to_pep440(spec: str) -> SpecifierSet:
    """Translate a conda MatchSpec version part to a PEP 440 SpecifierSet.

    Handles what this project uses: `>=1.2,<3`, `==1.2`, and conda's fuzzy `=1.2`
    (meaning 1.2.*). A bare `1.2` is treated like `=1.2`. `|` (or) is rejected.
    """
    spec = spec.replace(" ", "")
    if not spec:
        return SpecifierSet()
    if "|" in spec:
        raise ValueError(f"conda 'or' specs are not supported here: {spec!r}")
    out = []
    for part in spec.split(","):
        if re.match(r"^=[^=]", part):  # conda fuzzy: =1.2 -> ==1.2.*
            ver = part[1:]
            out.append(f"=={ver}" if ver.endswith("*") else f"=={ver}.*")
        elif re.match(r"^[0-9]", part):  # bare version: same as =version
            out.append(f"=={part}" if part.endswith("*") else f"=={part}.*")
        else:
            out.append(part)
    return SpecifierSet(",".join(out))


def load_pyproject() -> dict:
    with PYPROJECT.open("rb") as f:
        return tomllib.load(f)


def load_environment() -> dict:
    with ENVIRONMENT.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def pyproject_requirements() -> tuple[dict[str, Requirement], dict[str, Requirement]]:
    """(runtime, test-extras) requirements keyed by normalised name."""
    project = load_pyproject()["project"]

    def keyed(reqs: list[str], where: str) -> dict[str, Requirement]:
        out: dict[str, Requirement] = {}
        for line in reqs:
            r = Requirement(line)
            key = norm(r.name)
            assert key not in out, f"{where}: {key} listed twice"
            out[key] = r
        return out

    runtime = keyed(project.get("dependencies", []), "pyproject dependencies")
    test = keyed(
        project.get("optional-dependencies", {}).get("test", []),
        "pyproject optional-dependencies.test",
    )
    return runtime, test


class EnvEntry:
    """One package of environment.yml, from the conda list or the pip section."""

    def __init__(self, raw: str, source: str):
        self.raw = raw
        self.source = source  # "conda" or "pip"
        if source == "pip":
            try:
                r = Requirement(raw)
            except InvalidRequirement as exc:
                raise AssertionError(f"environment.yml pip entry {raw!r} is not PEP 508: {exc}") from exc
            self.name, self.specifier = r.name, r.specifier
        else:
            m = _CONDA_SPEC.match(raw)
            assert m, f"cannot parse conda entry {raw!r} in environment.yml"
            self.name = m.group(1)
            self.specifier = conda_spec_to_pep440(m.group(2))
        self.key = norm(self.name)

    def __repr__(self) -> str:
        return f"{self.source}:{self.raw}"


def environment_entries() -> tuple[dict[str, EnvEntry], list[str]]:
    """(packages keyed by normalised name, self-install lines of the pip section)."""
    env = load_environment()
    entries: dict[str, EnvEntry] = {}
    self_install: list[str] = []

    def add(e: EnvEntry) -> None:
        assert e.key not in entries, f"environment.yml lists {e.key} twice: {entries[e.key]!r}, {e!r}"
        entries[e.key] = e

    for item in env.get("dependencies") or []:
        if isinstance(item, dict):
            assert set(item) == {"pip"}, f"unexpected mapping in dependencies: {item!r}"
            for line in item["pip"] or []:
                line = str(line).strip()
                if " ".join(line.split()) in SELF_INSTALL:
                    self_install.append(line)
                else:
                    add(EnvEntry(line, "pip"))
        else:
            add(EnvEntry(str(item), "conda"))
    return entries, self_install


# --------------------------------------------------------------------------- tests


def test_environment_file_shape():
    env = load_environment()
    assert env.get("name") == "simlib"
    assert env.get("channels") == ["conda-forge"], "conda-forge only: no defaults channel"
    entries, self_install = environment_entries()
    assert "python" in entries, "environment.yml must pin python"
    assert "pip" in entries, "environment.yml must list pip (it has a pip: section)"
    assert self_install == ["-e ."], "the pip: section must install the project itself with `-e .`"


def test_a_every_pyproject_dependency_is_in_environment_with_same_bounds():
    runtime, test = pyproject_requirements()
    entries, _ = environment_entries()
    missing, different = [], []
    for key, req in {**runtime, **test}.items():
        if key not in entries:
            missing.append(str(req))
            continue
        if entries[key].specifier != req.specifier:
            different.append(
                f"{key}: pyproject {str(req.specifier) or '(any)'} "
                f"!= environment.yml {str(entries[key].specifier) or '(any)'} ({entries[key].raw!r})"
            )
        assert not req.marker, f"{req}: markers are not mirrored in environment.yml"
        assert set(req.extras) <= EXTRAS_INCLUDED_IN_CONDA.get(key, set()), (
            f"{req}: extras are not mirrored in environment.yml"
        )
    assert not missing, f"in pyproject.toml but not in environment.yml: {missing}"
    assert not different, "version bounds differ:\n" + "\n".join(different)


def test_b_environment_lists_nothing_pyproject_does_not():
    runtime, test = pyproject_requirements()
    entries, _ = environment_entries()
    extra = [repr(e) for k, e in entries.items() if k not in CONDA_TOOLING and k not in runtime and k not in test]
    assert not extra, f"in environment.yml but not in pyproject.toml (dependencies or test extras): {extra}"


def _installed_version(key: str) -> str | None:
    """Installed version of a distribution, found by normalised name (PyYAML == pyyaml)."""
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and canonicalize_name(name) == key:
            return dist.version
    return None


def test_c_environment_is_satisfied_by_installed_packages():
    entries, _ = environment_entries()
    problems = []
    for key, e in entries.items():
        if key == "pip":
            continue
        if key == "python":
            have = ".".join(map(str, sys.version_info[:3]))
        else:
            have = _installed_version(key)
            if have is None:
                problems.append(f"{e.raw}: not installed")
                continue
        if not e.specifier.contains(have, prereleases=True):
            problems.append(f"{e.raw}: installed {have}")
    assert not problems, "environment.yml not satisfied by this environment:\n" + "\n".join(problems)


def test_c_project_itself_is_installed():
    import simlib

    have = _installed_version("simlib")
    assert have is not None, "simlib is not installed (run scripts/setup.sh)"
    assert have == simlib.__version__


# --------------------------------------------------------------------------- one version, pinned checks

CHECK_TOOLS = ("ruff", "mypy")  # what `make check` and CI run: the same version everywhere
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
CHANGELOG = ROOT / "CHANGELOG.md"


def test_the_version_is_written_once():
    """simlib.__version__ is the version: pyproject.toml has none of its own and reads that one, and
    the changelog's released versions are no newer."""
    import ast

    project = load_pyproject()["project"]
    assert "version" not in project and "version" in project.get("dynamic", [])
    dynamic = load_pyproject()["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "simlib.__version__"}
    init = ROOT / "simlib" / "__init__.py"
    written = [
        node.value.value
        for node in ast.parse(init.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__version__" for t in node.targets)
    ]
    assert len(written) == 1 and Version(written[0])
    headings = re.findall(r"^## \[([^\]]+)\]", CHANGELOG.read_text(encoding="utf-8"), flags=re.M)
    assert headings and headings[0] == "Unreleased", headings
    assert all(Version(v) <= Version(written[0]) for v in headings[1:]), headings


def test_the_checks_are_pinned_the_same_everywhere():
    """ruff and mypy: one exact version in the test extras (and so in environment.yml, test_a), the
    one installed, and ruff's the pre-commit hook's too."""
    _, test = pyproject_requirements()
    pins = {}
    for tool in CHECK_TOOLS:
        spec = list(test[tool].specifier)
        assert len(spec) == 1 and spec[0].operator == "==", f"{tool}: pin one version with == ({test[tool]})"
        pins[tool] = spec[0].version
        assert _installed_version(tool) == pins[tool], f"{tool} {pins[tool]} is pinned but not installed"
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    ruff_hooks = [r for r in config["repos"] if r["repo"].endswith("/ruff-pre-commit")]
    assert len(ruff_hooks) == 1 and ruff_hooks[0]["rev"] == f"v{pins['ruff']}", ruff_hooks
    assert {h["id"] for h in ruff_hooks[0]["hooks"]} == {"ruff-check", "ruff-format"}


def _floor(spec: SpecifierSet) -> Version:
    """The lowest release a SpecifierSet admits via its >=/==/~= clauses."""
    floors = []
    for s in spec:
        v = s.version.removesuffix(".*")
        if s.operator in (">=", "~=", "=="):
            floors.append(Version(v))
        elif s.operator == ">":
            raise AssertionError(f"use >= rather than > for python bounds: {spec}")
    assert floors, f"no lower bound in {spec!s}"
    return max(floors)


def test_d_python_pin_matches_requires_python():
    requires = SpecifierSet(load_pyproject()["project"]["requires-python"])
    entries, _ = environment_entries()
    env_spec = entries["python"].specifier
    req_floor, env_floor = _floor(requires), _floor(env_spec)
    assert env_floor.release[:2] == req_floor.release[:2], (
        f"environment.yml pins python {env_spec} but requires-python is {requires}: "
        "the conda env should test the oldest Python the package claims to support"
    )
    # Every Python the env pin allows must be allowed by requires-python too.
    for micro in range(0, 30):
        v = f"{env_floor.major}.{env_floor.minor}.{micro}"
        if env_spec.contains(v):
            assert requires.contains(v), f"python {v} allowed by environment.yml but not by requires-python {requires}"


@pytest.mark.parametrize(
    "conda, pep440",
    [
        ("", ""),
        (">=1.26", ">=1.26"),
        (">=2.2,<4", ">=2.2,<4"),
        ("=3.11", "==3.11.*"),
        ("3.11", "==3.11.*"),
        ("==1.2.3", "==1.2.3"),
        (" >=1.0, <2", ">=1.0,<2"),
    ],
)
def test_conda_spec_translation(conda, pep440):
    assert conda_spec_to_pep440(conda) == SpecifierSet(pep440)
