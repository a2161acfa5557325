"""simlib: where reform levers land a province on SIPAS and the PAR Index, with uncertainty.

The public API a notebook author uses. Importing the package is cheap (no numpy work, no pandas,
no Jupyter): every name below loads its module on first use.

Functions and classes
    Scenario                 a scenario: focal unit, years, lever plans, what the other units do, draws, seed
    load_scenario(path, draws=None, seed=None)   a scenario YAML file, validated (the command line's too)
    from_parameters(scenario_file="", **values)  a scenario from a notebook's parameters cell
    simulate(base, paths=None, *, targets=None, levers=(), year=None, params=None, field=None, context=None)
                             THE ONE DOOR into the engine: every declared outcome of S lever settings as
                             arrays (settings, draws, years) on common random numbers → Outcomes
    Outcomes                 what ``simulate`` returns: the arrays, the years, the lever paths; ``result(i)``
    run(scenario) / run_many(scenarios)          one Result per scenario (shared draws where they can)
    Result                   a scenario's draws and its tidy summary (``rows()``, ``frame()``, ``write_csv``)
    say(key, lang="vi", **fields)   the one way to words: a label, or "section.key" for a sentence;
                             the words as written without fields, filled in with them
    InputError, ScenarioError, DataError         bad input, each naming the field, the value and what is allowed

Modules
  the engine (``simlib.engine``: one door, outcomes declared once)
    outcomes       the declarations: name, kind, unit, labels, how each is summarised
  analyses (``simlib.analysis``: numbers only)
    compare        summary rows, paired differences, baselines, batch outputs, two-lever grids
    grid           the lever sweep behind ``simlib grid``
    sensitivity    which levers and assumptions decide an outcome (Sobol, Morris)
    target         the least-effort lever settings reaching a goal with a required probability
    calibration    backtests, reconstruction and Hà Nội's 2022 → 2024 path
    backtest       one published year projected from the years before it
    league         where every unit stands: the focal unit among the whole field
    decompose      why the rank moves: merger, own trend, other units, levers
    costing        what a scenario costs the city; the cost vs P(top 3) frontier of lever mixes
    forecasts      frozen forecasts: every unit's projection stored now, scored once the results are out
  reports (``simlib.reports``: words, tables and figures, Vietnamese by default)
    text           number and word formatting, headings, notes, summaries; ``show``, ``show_table``
    tables         report tables (pandas, cells ready to read)
    figures        report figures (matplotlib)
    sensitivity_report, target_report, calibration_report   the words and figures of those analyses
    leaguetable, waterfall         the league table and the why-the-rank-moves waterfall
    plainwords     probabilities and rank changes in plain words ("in k of n simulated futures")
    evaluation     how good the model has been (the evaluation harness's track record, in words)
    costing_report    counts beside shares, costs and the frontier in words, tables and a figure
    forecast_report   a frozen forecast's registry and verdict, in words
    whatsnew       the "what's new" report: a new year's results against the frozen forecast
    provenance     package versions, data hashes, code hash of every output

Rendering reports and batches (``simlib.runs``) is for the ``simlib`` command and the app, not listed here.

    >>> import simlib
    >>> s = simlib.load_scenario("scenarios/all_levers.yaml", draws=2000)
    >>> result, baseline = simlib.run_many([s, simlib.compare.baseline_of(s)])
    >>> simlib.text.summary_text(result, "en", baseline=baseline)
"""

from __future__ import annotations

__version__ = "0.1.0"

_ATTRIBUTES = {  # module → its public names
    "engine.scenario": ("Scenario", "load_scenario"),
    "engine.scenario_parameters": ("from_parameters",),
    "engine.simulate": ("simulate", "run", "run_many", "Outcomes"),
    "engine.result": ("Result",),
    "engine.errors": ("InputError", "ScenarioError", "DataError"),
    "reports.i18n": ("say",),
}
_MODULES = {  # subpackage → its modules offered under their own names
    "engine": ("outcomes",),
    "analysis": (
        "compare",
        "grid",
        "sensitivity",
        "target",
        "calibration",
        "backtest",
        "league",
        "decompose",
        "costing",
        "forecasts",
    ),
    "reports": (
        "text",
        "tables",
        "figures",
        "sensitivity_report",
        "target_report",
        "calibration_report",
        "provenance",
        "leaguetable",
        "waterfall",
        "plainwords",
        "evaluation",
        "costing_report",
        "forecast_report",
        "whatsnew",
    ),
}
_LAZY = {  # public name → (module, attribute or None for the module itself)
    **{name: (module, name) for module, names in _ATTRIBUTES.items() for name in names},
    **{name: (f"{package}.{name}", None) for package, names in _MODULES.items() for name in names},
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        loaded = importlib.import_module(f"{__name__}.{module}")
        return loaded if attr is None else getattr(loaded, attr)
    raise AttributeError(f"module 'simlib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
