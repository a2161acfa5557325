"""Scenario: lever paths per year, focal unit, horizon, the field's assumptions, draws and seed.

One scenario = one YAML file = one papermill parameter set = one widget state.
``Scenario.from_dict`` checks every field and raises one ScenarioError listing
every problem (field, value, what is allowed); unknown keys are rejected.

Lever forms accepted under ``levers:`` (shares as fractions 0–1):
  simplification: 0.6                      # reach 0.6 by target_year, linear ramp
  delegation: {target: 0.5, year: 2028}     # reach 0.5 by 2028, linear ramp
  online_fee_waiver: {path: {2026: 1.0, 2027: 0.0}}   # explicit; linear between, held after
A lever not given holds its current value (the focal unit's latest published figure).

A lever counted in procedures (``count_unit`` in data/levers.csv) may be given as a number of
procedures wherever a share goes, when the focal unit has a total (data/lever_totals.csv): it is
converted with the total (350 of Hà Nội's 708 → 0.4944), or refused with the total's range:
  simplification: {count: 350}              # 350 procedures by target_year
  delegation: {count: 900, year: 2028}      # by 2028
  simplification: {path: {2026: {count: 300}, 2028: 0.6}}

``costs:`` replaces unit costs of data/lever_costs.csv with the planner's own (a number, or
{low, central, high}), by lever or ``staff_day``: ``costs: {simplification: 30, staff_day: 0.7}``.

A file is read by ``scenariofile`` (its size, its text, its YAML, each refused in words) and validated here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypedDict

import numpy as np

from . import data, levers, safetext, scenariofile
from .errors import Issue, ScenarioError, short
from .levers import Baseline

MAX_HORIZON = 2030
MIN_DRAWS, MAX_DRAWS = 10, 100_000
MAX_SEED = 2**32 - 1
MAX_NAME_CHARS, MAX_TITLE_CHARS, MAX_DESCRIPTION_CHARS = 80, 120, 2000
TEXT_LANGS = ("vi", "en")  # a title or description may be one text, or {vi: ..., en: ...}


class _Defaults(TypedDict):
    focal: str
    horizon: int
    target_year: int
    draws: int
    seed: int


DEFAULTS: _Defaults = {"focal": "ha-noi", "horizon": 2030, "target_year": 2027, "draws": 2000, "seed": 2024}
# The baseline year's default is the newest year published for both indices (``default_baseline_year``):
# 2024 with the shipped data, the next year as soon as its results are added in the user folder.
OTHERS_EARLIEST_YEAR = 2025  # the national instruction to copy Hà Nội's zero fee (TB 56/TB-VPCP, CT 07/CT-TTg)
TOP_KEYS = {
    "name",
    "title",
    "description",
    "focal",
    "baseline_year",
    "horizon",
    "target_year",
    "levers",
    "field",
    "draws",
    "seed",
    "costs",
}
COST_LEVELS = ("low", "central", "high")
MAX_UNIT_COST = 1e7  # in the row's own unit (staff-days, million VND)
FIELD_KEYS = {"others_fee_waiver_share", "others_fee_waiver_year"}


@dataclass(frozen=True)
class LeverPlan:
    """How one lever moves: to ``target`` by ``year`` (ramp), or through explicit ``path`` points."""

    target: float | None = None
    year: int | None = None
    path: tuple[tuple[int, float], ...] = ()

    def to_plain(self) -> dict:
        if self.path:
            return {"path": {int(y): float(v) for y, v in self.path}}
        if self.target is None or self.year is None:
            raise ValueError("a lever plan has a path, or a target and a year")
        return {"target": float(self.target), "year": int(self.year)}


@dataclass(frozen=True)
class Scenario:
    name: str = "scenario"  # an identifier: report folders, tables, links
    description: str = ""  # one line on what the scenario assumes (Vietnamese, or any language)
    title: str = ""  # the heading readers see ('' = the name)
    title_en: str = ""  # the English title, if it differs
    description_en: str = ""  # the English description, if it differs
    focal: str = DEFAULTS["focal"]
    # last year of published results used (by default, or given as None: ``default_baseline_year()``)
    baseline_year: int = field(default_factory=lambda: default_baseline_year())
    horizon: int = DEFAULTS["horizon"]  # last projected year
    target_year: int = DEFAULTS["target_year"]  # year of the headline figures
    levers: dict = field(default_factory=dict)  # lever name -> LeverPlan
    others_fee_waiver_share: float = 0.0  # share of the other units that adopt a zero fee
    others_fee_waiver_year: int = 2025  # year they adopt it
    draws: int = DEFAULTS["draws"]
    seed: int = DEFAULTS["seed"]
    costs: dict = field(default_factory=dict)  # the planner's own unit costs: key -> (low, central, high)

    def __post_init__(self):
        if self.baseline_year is None:  # given as None (a notebook's parameter left unset)
            object.__setattr__(self, "baseline_year", default_baseline_year())

    @property
    def years(self) -> np.ndarray:
        """Projected years: baseline_year + 1 … horizon."""
        return np.arange(self.baseline_year + 1, self.horizon + 1)

    def current(self) -> dict[str, Baseline]:
        """The focal unit's lever values going into the first projected year."""
        return levers.current_values(self.focal, self.baseline_year + 1)

    def lever_paths(self) -> np.ndarray:
        """Lever values per projected year, shape (years, levers), fractions 0–1."""
        years = self.years
        current = self.current()
        out = np.empty((len(years), len(levers.names())))
        for j, name in enumerate(levers.names()):
            start = current[name].value
            plan = self.levers.get(name)
            if plan is None:
                out[:, j] = start
            elif plan.path:
                xs = [years[0]] + [y for y, _ in plan.path]
                ys = [start] + [v for _, v in plan.path]
                if plan.path[0][0] == years[0]:
                    xs, ys = xs[1:], ys[1:]
                out[:, j] = np.interp(years, xs, ys)
            else:
                out[:, j] = levers.ramp(start, plan.target, years, plan.year)
        return out

    def heading(self, lang: str = "vi") -> str:
        """The title readers see in ``lang``: its title there, else the other language's, else the name."""
        first, second = (self.title_en, self.title) if lang == "en" else (self.title, self.title_en)
        return first or second or self.name

    def summary(self, lang: str = "vi") -> str:
        """The one-line description in ``lang``: a description given per language is shown only in
        its own language (never a Vietnamese line in an English report); a single text in both."""
        if self.description_en:
            return self.description_en if lang == "en" else self.description
        return self.description

    def to_dict(self) -> dict:
        """Plain JSON/YAML types only (safe for papermill parameters)."""
        texts = {}
        if self.title or self.title_en:
            texts["title"] = {"vi": self.title, "en": self.title_en} if self.title_en else self.title
        return {
            "name": self.name,
            **texts,
            "description": (
                {"vi": self.description, "en": self.description_en} if self.description_en else self.description
            ),
            "focal": self.focal,
            "baseline_year": int(self.baseline_year),
            "horizon": int(self.horizon),
            "target_year": int(self.target_year),
            "levers": {k: v.to_plain() for k, v in self.levers.items()},
            "field": {
                "others_fee_waiver_share": float(self.others_fee_waiver_share),
                "others_fee_waiver_year": int(self.others_fee_waiver_year),
            },
            "draws": int(self.draws),
            "seed": int(self.seed),
            **({"costs": {k: _cost_plain(v) for k, v in self.costs.items()}} if self.costs else {}),
        }

    def to_yaml(self) -> str:
        """The scenario file: as ``to_dict``, with a lever counted in procedures written as a count
        where its value is a whole number of the focal unit's procedures ({count: 350})."""
        import yaml

        d = self.to_dict()
        for name, plan in d["levers"].items():
            total = levers.total(name, self.focal)
            if total is not None:
                d["levers"][name] = _counted_plain(plan, total)
        return yaml.safe_dump(d, allow_unicode=True, sort_keys=False)

    def with_(self, **changes) -> Scenario:
        """A copy with some fields changed, validated again."""
        d = self.to_dict()
        d.update(changes)
        return Scenario.from_dict(d)

    @classmethod
    def from_dict(cls, raw, source: str = "scenario") -> Scenario:
        return _parse(raw, source)

    @classmethod
    def from_yaml(cls, path: str | Path) -> Scenario:
        return load_yaml(path)


def _cost_plain(value: tuple[float, float, float]):
    low, central, high = (float(v) for v in value)
    return central if low == central == high else {"low": low, "central": central, "high": high}


def _whole_count(share: float, total: levers.Total) -> int | None:
    n = total.count(share)
    return int(round(n)) if abs(n - round(n)) < 1e-6 else None


def _counted_plain(plan: dict, total: levers.Total) -> dict:
    """A lever plan with its shares written as counts where they are whole numbers of procedures."""
    as_count = lambda v: {"count": n} if (n := _whole_count(v, total)) is not None else v
    if "path" in plan:
        return {"path": {y: as_count(v) for y, v in plan["path"].items()}}
    n = _whole_count(plan["target"], total)
    return plan if n is None else {"count": n, "year": plan["year"]}


def baseline_years() -> list[int]:
    """Years that can serve as a scenario's baseline: both indices' fields reconstructable."""
    from .history import reconstructable_years

    par, sipas = set(reconstructable_years("PAR")), set(reconstructable_years("SIPAS"))
    return sorted(par & sipas)


def default_baseline_year() -> int:
    """The newest year whose results are published for both indices (a scenario's default baseline):
    projections start from the latest published field."""
    return max(baseline_years())


def _is_int(x) -> bool:
    return (isinstance(x, int) and not isinstance(x, bool)) or (
        isinstance(x, float) and math.isfinite(x) and x.is_integer()
    )


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(float(x))


class _Checker:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, where: str, value, allowed: str) -> None:
        self.issues.append(Issue(where, value, allowed))

    def integer(self, raw: dict, key: str, lo: int, hi: int, default: int) -> int:
        value = raw.get(key, default)
        if not _is_int(value) or not lo <= int(value) <= hi:
            self.add(key, value, f"a whole number from {lo} to {hi}")
            return default if lo <= default <= hi else lo
        return int(value)

    def share(self, where: str, value, lever: levers.Lever | None = None) -> float | None:
        lo, hi = (lever.min, lever.max) if lever else (0.0, 1.0)
        if not _is_number(value) or not lo <= float(value) <= hi:
            self.add(where, value, f"a share from {lo:g} to {hi:g} (fraction, e.g. 0.6 = 60%)")
            return None
        return float(value)


def _parse(raw, source: str) -> Scenario:
    """Check every field of a scenario mapping; one ScenarioError lists every problem."""
    if not isinstance(raw, dict):
        raise ScenarioError(Issue(source, type(raw).__name__, "a mapping of scenario fields"), context=source)
    c = _Checker()
    for key in raw:
        if key not in TOP_KEYS:
            c.add(str(key) if str(key).strip() else repr(key), raw[key], "one of " + ", ".join(sorted(TOP_KEYS)))
    name, (title, title_en), (description, description_en) = _parse_text(c, raw, source)
    focal = _parse_focal(c, raw)
    base, horizon, target_year = _parse_years(c, raw)
    plans = _parse_levers(c, raw, base + 1, horizon, target_year, focal)
    share, adopt_year = _parse_field(c, raw, base, horizon)
    draws = c.integer(raw, "draws", MIN_DRAWS, MAX_DRAWS, DEFAULTS["draws"])
    seed = c.integer(raw, "seed", 0, MAX_SEED, DEFAULTS["seed"])
    costs = _parse_costs(c, raw)
    if c.issues:
        raise ScenarioError(c.issues, context=source)
    return Scenario(
        name=name,
        description=description,
        title=title,
        title_en=title_en,
        description_en=description_en,
        focal=focal,
        baseline_year=base,
        horizon=horizon,
        target_year=target_year,
        levers=plans,
        others_fee_waiver_share=share,
        others_fee_waiver_year=adopt_year,
        draws=draws,
        seed=seed,
        costs=costs,
    )


def _parse_text(c: _Checker, raw: dict, source: str) -> tuple[str, tuple[str, str], tuple[str, str]]:
    """(name, (title, title_en), (description, description_en)).

    The name is a short non-empty identifier (default: the file's stem); a title or description
    is one text, or a mapping {vi: text, en: text} (the Vietnamese one required).
    """
    given = "name" in raw
    name = raw.get("name", Path(source).stem if source.endswith((".yaml", ".yml")) else "scenario")
    where = "name" if given else "name (the file's name, as the scenario has no name:)"
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
        c.add(where, name, f"a non-empty text of at most {MAX_NAME_CHARS} characters")
        name = "scenario"
    elif problem := safetext.character_problem(name):
        c.add(where, name, problem)
        name = "scenario"
    title = _texts(c, "title", raw.get("title", ""), MAX_TITLE_CHARS)
    description = _texts(c, "description", raw.get("description", ""), MAX_DESCRIPTION_CHARS)
    return name.strip(), title, description


def _texts(c: _Checker, key: str, value, limit: int) -> tuple[str, str]:
    """(vi, en) of a text field given as one text or as {vi: text, en: text}; a description may hold
    line breaks, and no text a control character or a character UTF-8 cannot encode (``safetext``)."""
    allowed = f"a text of at most {limit} characters, or {{vi: text, en: text}}"
    multiline = key == "description"
    texts = {key: value} if isinstance(value, str) else value if isinstance(value, dict) else {}
    bad = False
    for where, text in texts.items():
        problem = safetext.character_problem(text, multiline) if isinstance(text, str) else None
        if problem:
            c.add(key if where == key else f"{key}.{where}", text, problem)
            bad = True
    if bad:
        return "", ""
    if isinstance(value, str):
        if len(value) > limit:
            c.add(key, value, allowed)
            return "", ""
        return value.strip(), ""
    if isinstance(value, dict):
        ok = (
            set(value) <= set(TEXT_LANGS)
            and "vi" in value
            and all(isinstance(v, str) and len(v) <= limit for v in value.values())
        )
        if ok:
            return value["vi"].strip(), value.get("en", "").strip()
    c.add(key, value, allowed)
    return "", ""


def _parse_focal(c: _Checker, raw: dict) -> str:
    """A unit of the 2025 field (a province merged on 1/7/2025 is named with its new unit)."""
    ds = data.load()
    focal = raw.get("focal", DEFAULTS["focal"])
    if isinstance(focal, str) and focal in ds.units:
        return focal
    if isinstance(focal, str) and focal in ds.provinces:
        unit = ds.provinces[focal]["unit_2025_slug"]
        c.add("focal", focal, f"a unit of the 2025 field: {focal} merged into {unit!r} on 1/7/2025")
    else:
        c.add("focal", focal, "a 2025 unit slug, one of " + ", ".join(sorted(ds.units)))
    return DEFAULTS["focal"]


def _parse_years(c: _Checker, raw: dict) -> tuple[int, int, int]:
    """(baseline_year, horizon, target_year), each within the range the others allow."""
    allowed_base = baseline_years()
    base = raw.get("baseline_year", max(allowed_base))
    if not _is_int(base) or int(base) not in allowed_base:
        c.add("baseline_year", base, "one of " + ", ".join(map(str, allowed_base)))
        base = max(allowed_base)
    base = int(base)
    horizon = c.integer(raw, "horizon", base + 1, MAX_HORIZON, DEFAULTS["horizon"])
    target_year = c.integer(raw, "target_year", base + 1, horizon, min(DEFAULTS["target_year"], horizon))
    return base, horizon, target_year


def _parse_levers(c: _Checker, raw: dict, first: int, horizon: int, target_year: int, focal: str) -> dict:
    """Lever name -> LeverPlan for every valid lever of ``levers:`` (counts converted with ``focal``'s totals)."""
    plans: dict[str, LeverPlan] = {}
    raw_levers = raw.get("levers", {}) or {}
    if not isinstance(raw_levers, dict):
        c.add("levers", raw_levers, "a mapping of lever name to target, {target, year} or {path}")
        return plans
    registry = {lever.name: lever for lever in levers.registry()}
    for lname, spec in raw_levers.items():
        if lname not in registry:
            c.add(f"levers.{lname}", spec, "a lever: one of " + ", ".join(registry))
            continue
        plan = _parse_lever(c, f"levers.{lname}", spec, registry[lname], first, horizon, target_year, focal)
        if plan is not None:
            plans[lname] = plan
    return plans


def _parse_costs(c: _Checker, raw: dict) -> dict:
    """The planner's own unit costs: {key: (low, central, high)} in each row's own unit (data/lever_costs.csv)."""
    from . import costs

    given = raw.get("costs", {}) or {}
    allowed_keys = costs.overridable()
    if not isinstance(given, dict):
        c.add("costs", given, "a mapping of lever (or staff_day) to a unit cost")
        return {}
    out = {}
    for key, value in given.items():
        where = f"costs.{key}"
        row = allowed_keys.get(key)
        if row is None:
            c.add(where, value, "a unit cost of one of " + ", ".join(allowed_keys))
            continue
        unit = f"{row.amount_unit} per {row.per}".replace("_", " ").lower()
        number = lambda x: _is_number(x) and 0 <= float(x) <= MAX_UNIT_COST
        if number(value):
            out[key] = (float(value),) * 3
        elif (
            isinstance(value, dict)
            and set(value) == set(COST_LEVELS)
            and all(number(value[k]) for k in COST_LEVELS)
            and float(value["low"]) <= float(value["central"]) <= float(value["high"])
        ):
            low, central, high = (float(value[k]) for k in COST_LEVELS)
            out[key] = (low, central, high)
        else:
            c.add(
                where,
                value,
                f"a cost from 0 to {MAX_UNIT_COST:,.0f} ({unit}), or {{low, central, high}} with low ≤ central ≤ high",
            )
    return out


def _parse_field(c: _Checker, raw: dict, base: int, horizon: int) -> tuple[float, int]:
    """(share of the other units adopting a zero online fee, the year they adopt it)."""
    field_raw = raw.get("field", {}) or {}
    # the default year lies within the horizon, so to_dict() re-validates
    share, adopt_year = 0.0, min(max(OTHERS_EARLIEST_YEAR, base + 1), horizon)
    if not isinstance(field_raw, dict):
        c.add("field", field_raw, "a mapping with " + ", ".join(sorted(FIELD_KEYS)))
        return share, adopt_year
    for key in field_raw:
        if key not in FIELD_KEYS:
            c.add(f"field.{key}", field_raw[key], "one of " + ", ".join(sorted(FIELD_KEYS)))
    if "others_fee_waiver_share" in field_raw:
        share = c.share("field.others_fee_waiver_share", field_raw["others_fee_waiver_share"]) or 0.0
    if "others_fee_waiver_year" in field_raw:
        y = field_raw["others_fee_waiver_year"]
        first = min(base + 1, OTHERS_EARLIEST_YEAR)  # a year already published: adopted before the projection starts
        if not _is_int(y) or not first <= int(y) <= horizon:
            c.add("field.others_fee_waiver_year", y, f"a year from {first} to {horizon}")
        else:
            adopt_year = int(y)
    return share, adopt_year


def _is_count(value) -> bool:
    return isinstance(value, dict) and set(value) == {"count"}


def _count_share(c: _Checker, where: str, count, lever, focal: str) -> float | None:
    """A number of procedures as the share of the focal unit's total; an issue saying why not."""
    total = levers.total(lever.name, focal) if lever.counted else None
    if total is None:
        if not lever.counted:
            why = "this lever is a share, not counted in procedures"
        else:
            known = ", ".join(levers.units_with_totals(lever.name)) or "none"
            why = f"{focal} has no published total of {lever.count_unit} for it (totals known for: {known})"
        c.add(where, count, f"a share from {lever.min:g} to {lever.max:g} ({why})")
        return None
    lo, hi = math.ceil(lever.min * total.total - 1e-9), math.floor(lever.max * total.total + 1e-9)
    if not _is_int(count) or not lo <= int(count) <= hi:
        c.add(
            where,
            count,
            f"a whole number of {lever.count_unit} from {lo} to {hi} "
            f"({focal}'s total: {total.total:,} {lever.count_unit}, {total.year})",
        )
        return None
    return total.share(int(count))


def _share_or_count(c: _Checker, where: str, value, lever, focal: str) -> float | None:
    """A share, or {count: N} converted with the focal unit's total."""
    if _is_count(value):
        return _count_share(c, f"{where}.count", value["count"], lever, focal)
    return c.share(where, value, lever)


def _parse_lever(c: _Checker, where: str, spec, lever, first: int, horizon: int, target_year: int, focal: str):
    if _is_number(spec) or isinstance(spec, bool) or spec is None or isinstance(spec, str) or _is_count(spec):
        value = _share_or_count(c, where, spec, lever, focal)
        return None if value is None else LeverPlan(target=value, year=target_year)
    if not isinstance(spec, dict):
        c.add(where, spec, "a share, {count: N}, {target, year} or {path: {year: share}}")
        return None
    keys = set(spec)
    if keys == {"count", "year"}:
        spec = {"target": {"count": spec["count"]}, "year": spec["year"]}
        keys = set(spec)
    if keys - {"target", "year", "path"} or ("path" in keys and keys != {"path"}) or not keys:
        c.add(
            where,
            spec,
            "either {target: share, year: year}, {count: N, year: year} or {path: {year: share or {count: N}, ...}}",
        )
        return None
    if "path" in spec:
        path = spec["path"]
        if not isinstance(path, dict) or not path:
            c.add(f"{where}.path", path, "a non-empty mapping of year to share")
            return None
        points: list[tuple[int, float]] = []
        seen: dict[int, object] = {}  # year → the key it was given as (2026 or "2026")
        ok = True
        for y, v in path.items():
            yi = int(y) if isinstance(y, str) and y.strip().isdigit() else y
            if not _is_int(yi) or not first <= int(yi) <= horizon:
                c.add(f"{where}.path year", y, f"a year from {first} to {horizon}")
                ok = False
                continue
            if int(yi) in seen:  # 2026 and "2026": one year given twice, one value would be lost
                c.add(
                    f"{where}.path year", y, f"each year once ({short(seen[int(yi)])} and {short(y)} are the same year)"
                )
                ok = False
                continue
            seen[int(yi)] = y
            value = _share_or_count(c, f"{where}.path.{int(yi)}", v, lever, focal)
            if value is None:
                ok = False
            else:
                points.append((int(yi), value))
        return LeverPlan(path=tuple(sorted(points))) if ok else None
    target = _share_or_count(c, f"{where}.target", spec.get("target"), lever, focal) if "target" in spec else None
    if "target" not in spec:
        c.add(f"{where}.target", None, f"a share from {lever.min:g} to {lever.max:g}")
    year = spec.get("year", target_year)
    if not _is_int(year) or not first <= int(year) <= horizon:
        c.add(f"{where}.year", year, f"a year from {first} to {horizon}")
        return None
    return None if target is None else LeverPlan(target=target, year=int(year))


def load_yaml(path: str | Path) -> Scenario:
    """Read and validate a scenario file; every problem is reported in one ScenarioError."""
    path = Path(path)
    where = str(path)
    raw = scenariofile.parse_yaml(scenariofile.read_text(path, where), where)
    if raw is None:
        raw = {}
    if isinstance(raw, dict) and "name" not in raw:
        raw = {"name": path.stem, **raw}
    return _parse(raw, where)


def load_scenario(
    path: str | Path, draws: int | None = None, seed: int | None = None, focal: str | None = None
) -> Scenario:
    """A scenario file, validated, with ``draws`` / ``seed`` / ``focal`` replaced where given (the
    command line's --draws and --seed, a batch's --all-units); the one way a scenario file is read."""
    scenario = load_yaml(path)
    changes = {k: v for k, v in (("draws", draws), ("seed", seed), ("focal", focal)) if v is not None}
    return scenario.with_(**changes) if changes else scenario


def replace_levers(scenario: Scenario, targets: dict[str, float], year: int | None = None) -> Scenario:
    """Same scenario with some levers ramped to new targets (already validated shares)."""
    plans = dict(scenario.levers)
    for name, value in targets.items():
        plans[name] = LeverPlan(target=float(value), year=int(year or scenario.target_year))
    return replace(scenario, levers=plans)
