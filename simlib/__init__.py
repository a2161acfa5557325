"""simlib: where reform levers land a province on SIPAS and the PAR Index, with uncertainty.

Importing the package is cheap (no pandas, no Jupyter); the pieces load on use:

    >>> import simlib
    >>> s = simlib.Scenario.from_yaml("scenarios/all_levers.yaml")
    >>> simlib.run(s).frame()
"""
from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "Scenario": ("engine.scenario", "Scenario"),
    "load_scenario": ("engine.scenario", "load_yaml"),
    "run": ("engine.evaluate", "run"),
    "run_many": ("engine.evaluate", "run_many"),
    "evaluate": ("engine.evaluate", "evaluate"),
    "Result": ("engine.result", "Result"),
    "InputError": ("engine.errors", "InputError"),
    "ScenarioError": ("engine.errors", "ScenarioError"),
    "DataError": ("engine.errors", "DataError"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    raise AttributeError(f"module 'simlib' has no attribute {name!r}")
