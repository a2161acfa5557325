"""A scenario from a notebook's ``parameters`` cell or the panel's widgets (plain JSON types): a scenario
file or a scenario as data to start from, with fields and levers given one by one over it; checked as
a scenario file is (``scenario``), every problem in one ScenarioError."""

from __future__ import annotations

from . import levers
from .errors import Issue, ScenarioError
from .scenario import FIELD_KEYS, TOP_KEYS, Scenario, load_yaml

# The parameters of the scenario report notebook, in its `parameters` cell. Every lever of
# the registry is one of them (a target share reached by target_year); None = the scenario
# file's (or data's) value, or the default when there is neither.
NOTEBOOK_PARAMETERS = (
    "scenario_file",
    "scenario_data",
    "focal",
    "baseline_year",
    "horizon",
    "target_year",
    "lever_targets",
    "others_fee_waiver_share",
    "others_fee_waiver_year",
    "draws",
    "seed",
)


def from_parameters(
    scenario_file: str = "", lever_targets: dict | None = None, scenario_data: dict | None = None, **values
) -> Scenario:
    """Build a scenario from notebook / widget parameters (plain JSON types).

    ``scenario_file``: a YAML file to start from ('' = defaults). ``scenario_data``: instead of a
    file, a scenario as plain data (``Scenario.to_dict()``: how ``simlib run`` and ``simlib batch``
    give a report the scenario they read and validated, so its kernel reads no file); it is checked
    as any parameter is. ``lever_targets``: {lever: target share reached by target_year} for any
    lever of the registry (the notebooks' one lever parameter, so a lever added in data/levers.csv
    needs no new parameter). Other keys: scenario fields and lever names (a lever value is a target
    share reached by target_year); None leaves the file's (or data's) or the default value. Unknown
    keys are rejected.
    """
    if scenario_file and scenario_data is not None:
        raise ScenarioError(
            Issue("scenario_data", scenario_data, "either a scenario file or scenario data, not both"),
            context="parameters",
        )
    if scenario_data is not None and not isinstance(scenario_data, dict):
        raise ScenarioError(
            Issue("scenario_data", scenario_data, "a mapping of scenario fields (Scenario.to_dict())"),
            context="parameters",
        )
    base = load_yaml(scenario_file).to_dict() if scenario_file else dict(scenario_data or {})
    raw = dict(base)
    issues: list[Issue] = []
    lever_names = set(levers.names())
    if lever_targets is not None and not isinstance(lever_targets, dict):
        issues.append(Issue("lever_targets", lever_targets, "a mapping {lever: target share 0–1}"))
    for key, value in (lever_targets or {}).items() if isinstance(lever_targets, dict) else ():
        if key not in lever_names:
            issues.append(Issue(f"lever_targets.{key}", value, "a lever: one of " + ", ".join(levers.names())))
        elif key in values and values[key] is not None:
            issues.append(Issue(f"lever_targets.{key}", value, f"one value per lever ({key} is also given alone)"))
        else:
            values[key] = value
    for key, value in values.items():
        if value is None:
            continue
        if key in lever_names:
            raw.setdefault("levers", {})
            raw["levers"] = dict(raw["levers"])
            raw["levers"][key] = value
        elif key in ("others_fee_waiver_share", "others_fee_waiver_year"):
            raw["field"] = dict(raw.get("field", {}), **{key: value})
        elif key in TOP_KEYS - {"levers", "field"}:
            raw[key] = value
        else:
            issues.append(
                Issue(
                    key,
                    value,
                    "a scenario field or lever: one of "
                    + ", ".join(sorted((TOP_KEYS - {"levers", "field"}) | lever_names | FIELD_KEYS)),
                )
            )
    if issues:
        raise ScenarioError(issues, context="parameters")
    if base and "target_year" in values and values["target_year"] is not None:
        # a new target year moves the ramps of levers given as plain targets
        for name, plan in list(raw.get("levers", {}).items()):
            if isinstance(plan, dict) and set(plan) == {"target", "year"} and plan["year"] == base.get("target_year"):
                raw["levers"][name] = {"target": plan["target"], "year": values["target_year"]}
    return Scenario.from_dict(raw, scenario_file or ("scenario_data" if scenario_data is not None else "parameters"))
