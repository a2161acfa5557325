"""simlib/__init__.py: every public name resolves and is documented, functions before modules."""

from __future__ import annotations

import re
import types

import simlib


def listed(text: str) -> set[str]:
    """The names an API listing gives: the first column of its indented entries (before two spaces)."""
    names = set()
    for line in text.splitlines():
        if line.startswith("    ") and line.strip() and not line.strip().startswith(">>>"):
            names.update(re.findall(r"[A-Za-z_]\w*", line.strip().split("  ")[0]))
    return names


def test_every_public_name_resolves_and_is_documented():
    assert set(simlib.__all__) - listed(simlib.__doc__) == set()
    for name in simlib.__all__:
        assert getattr(simlib, name) is not None


def test_functions_are_listed_before_modules():
    functions, found, modules = simlib.__doc__.partition("\nModules\n")
    assert found, "the docstring has a Modules part"
    for name in simlib.__all__:
        is_module = isinstance(getattr(simlib, name), types.ModuleType)
        assert name in listed(modules if is_module else functions), name
        assert name not in listed(functions if is_module else modules), name
