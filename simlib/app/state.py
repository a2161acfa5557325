"""The lever explorer's state and controller: plain Python, no widgets.

``ExplorerState`` holds what the panel shows — the scenario (lever plans, target year, focal
unit, what the other units do, draws, seed), the language, the values that could not be used
and the last computed ``Outcome`` — validates every change, and evaluates through the one
door (``simlib.engine.simulate.simulate``): the baseline (every lever held at today's value)
and the current settings in one call, so they share every random draw (common random
numbers) and their difference is the levers'. The widgets (``simlib.app.panel``) only turn
clicks into calls here and draw what ``outcome`` holds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from ..analysis import costing
from ..analysis.compare import baseline_of
from ..engine import levers, safetext
from ..engine.errors import InputError, Issue, ScenarioError
from ..engine.result import TARGETS, Result
from ..engine.scenario import (
    DEFAULTS,
    MAX_NAME_CHARS,
    LeverPlan,
    Scenario,
    default_baseline_year,
    replace_levers,
)
from ..engine.scenario_parameters import from_parameters
from ..engine.simulate import simulate
from ..engine.stats import band
from ..reports import i18n
from ..reports.i18n import say
from . import links
from .formatting import issue_text

DEFAULT_DRAWS = 2000
SUMMARISED = ("par_score", "par_rank", "sipas_pct", "sipas_rank", "fee_forgone_bn_vnd", "online_share")
DIFFERENCES = ("par_score", "sipas_pct", "par_rank", "sipas_rank", "fee_forgone_bn_vnd")
RANKS = ("par_rank", "sipas_rank")


@dataclass
class Outcome:
    """The baseline and the current settings evaluated on the same draws, with their summaries."""

    scenario: Scenario
    baseline: Result
    current: Result
    rows: dict  # (which, metric, year) -> summary row; which = "baseline" | "current"
    difference: dict  # metric -> paired difference (current − baseline) at the target year
    rank_shares: dict  # (which, metric) -> share of draws per rank 1..n at the target year
    cost: dict  # the settings' cost to the city beside the baseline (``analysis.costing.scenario_cost``)

    @property
    def year(self) -> int:
        return self.scenario.target_year

    def row(self, which: str, metric: str, year: int | None = None) -> dict:
        return self.rows[(which, metric, self.year if year is None else year)]


def compute(scenario: Scenario) -> Outcome:
    """Evaluate the baseline and ``scenario`` together (one call through the door, common random numbers)."""
    base = baseline_of(scenario)
    out = simulate(scenario, np.stack([base.lever_paths(), scenario.lever_paths()]))
    results = [out.result(0, base), out.result(1, scenario)]
    rows = {}
    for which, result in zip(("baseline", "current"), results):
        for row in result.rows():
            rows[(which, row["metric"], row["year"])] = row
    k = out.year_index(scenario.target_year)
    difference: dict = {}
    for metric in DIFFERENCES:
        d = results[1].arrays[metric][:, k] - results[0].arrays[metric][:, k]
        p05, p50, p95 = band(d)
        difference[metric] = {"mean": float(d.mean()), "p05": float(p05), "p50": float(p50), "p95": float(p95)}
    for metric in TARGETS:
        difference[metric] = float(results[1].probability(metric)[k] - results[0].probability(metric)[k])
    n = int(out.n_units[k])
    rank_shares = {}
    for which, result in zip(("baseline", "current"), results):
        for metric in RANKS:
            counts = np.bincount(result.arrays[metric][:, k].astype(int), minlength=n + 1)
            rank_shares[(which, metric)] = counts[1:] / result.draws
    cost = costing.scenario_cost(results[1], results[0])
    return Outcome(scenario, results[0], results[1], rows, difference, rank_shares, cost)


def scenario_name(title: str) -> str:
    """The scenario's name (an identifier: file and folder names) for a typed title: its first
    ``MAX_NAME_CHARS`` characters, or the default name when it is empty."""
    name = " ".join(str(title).split())[:MAX_NAME_CHARS].strip()
    return name or Scenario.name


def move_target_year(s: Scenario, year: int) -> Scenario:
    """The scenario with a new target year; levers ramped to the old target year now ramp to the new one."""
    checked = s.with_(target_year=year)  # validates the year
    plans = {
        name: (LeverPlan(target=plan.target, year=year) if not plan.path and plan.year == s.target_year else plan)
        for name, plan in s.levers.items()
    }
    return replace(checked, levers=plans, name=s.name)


def initial_scenario(wanted: dict) -> tuple[Scenario, list[Issue]]:
    """A valid scenario from the wanted values; each value that fails validation is dropped."""
    order = [
        "focal",
        "baseline_year",
        "horizon",
        "target_year",
        "draws",
        "seed",
        "others_fee_waiver_share",
        "others_fee_waiver_year",
    ]
    keys = [k for k in order if k in wanted] + [k for k in wanted if k not in order]
    accepted: dict = {}
    issues: list[Issue] = []
    for key in keys:
        value = wanted[key]
        if value is None:
            continue
        try:
            from_parameters(**accepted, **{key: value})
        except ScenarioError as exc:
            issues.extend(exc.issues)
            continue
        accepted[key] = value
    return from_parameters(**accepted), issues


class ExplorerState:
    """What the lever explorer shows, and every change to it, validated; no widgets.

    Parameters (plain values; None = today's value or the scenario default):
      focal        2025 unit slug (default ha-noi); lang 'vi' or 'en';
      draws, seed  Monte-Carlo draws (default 2000) and seed (default the scenario's);
      target_year  year the levers reach their values and the headline is reported;
      <lever>      one per lever of the registry: the share (0–1) reached by target_year;
      query        a URL query string (default: Voilà's, from $QUERY_STRING); its values
                   override the parameters above.
    Values that cannot be used are kept in ``issues`` (shown by the panel) and ignored.
    """

    def __init__(
        self,
        focal: str | None = None,
        lang: str = "vi",
        draws: int | None = DEFAULT_DRAWS,
        seed: int | None = None,
        target_year: int | None = None,
        query: str | None = None,
        **lever_values,
    ):
        wanted = {"focal": focal, "target_year": target_year, "draws": draws, "seed": seed, **lever_values}
        q_values, q_issues = links.parse_query(links.query_string() if query is None else query)
        lang = q_values.pop("lang", lang)
        issues = list(q_issues)
        if lang not in i18n.LANGS:
            issues.append(Issue("lang", lang, "one of " + ", ".join(i18n.LANGS)))
            lang = "vi"
        self.lang: str = lang
        for key, field in (("others_share", "others_fee_waiver_share"), ("others_year", "others_fee_waiver_year")):
            if key in q_values:
                wanted[field] = q_values.pop(key)
        title = q_values.get("title")
        if isinstance(title, str) and "name" not in q_values and safetext.character_problem(title) is None:
            q_values["name"] = scenario_name(title)  # a typed title names the scenario too
        wanted.update(q_values)
        self.scenario, more = initial_scenario(wanted)
        self.issues: list[Issue] = issues + more  # parameters and link values that were ignored
        self.error: tuple[str, list[str]] | None = None  # (heading, lines) of the last failed computation
        self.outcome: Outcome | None = None
        self.compute_ms: float | None = None

    # ---- reading

    def lever_values(self) -> dict[str, float]:
        """Each lever's value (fraction) in the target year under the current settings."""
        s = self.scenario
        k = int(np.searchsorted(s.years, s.target_year))
        return {name: float(v) for name, v in zip(levers.names(), s.lever_paths()[k])}

    def displayed(self) -> dict:
        """The numbers shown, unformatted (see ``LeverExplorer.displayed``)."""
        o = self.outcome
        if o is None:
            return {
                "year": self.scenario.target_year,
                "focal": self.scenario.focal,
                "lang": self.lang,
                "current": None,
                "baseline": None,
                "difference": None,
            }
        out = {"year": o.year, "focal": o.scenario.focal, "lang": self.lang, "difference": dict(o.difference)}
        for which in ("baseline", "current"):
            summary = {m: {k: o.row(which, m)[k] for k in ("mean", "p05", "p50", "p95")} for m in SUMMARISED}
            summary.update({m: o.row(which, m)["mean"] for m in TARGETS})
            out[which] = summary
        return out

    def messages(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) blocks: the values that were ignored, the last computing error."""
        blocks = []
        if self.issues:
            blocks.append((say("panel.ignored", self.lang), [issue_text(i, self.lang) for i in self.issues]))
        if self.error is not None:
            blocks.append(self.error)
        return blocks

    def share_values(self) -> dict:
        """Every setting as query-string values (``links.share_query`` writes them): a link with
        them reopens exactly this scenario — same lever plans (ramp years, per-year paths), field
        assumption, years, draws and seed — so it gives the same numbers."""
        s = self.scenario
        out: dict = {"focal": s.focal}
        if s.baseline_year != default_baseline_year():
            out["baseline_year"] = s.baseline_year
        if s.horizon != DEFAULTS["horizon"]:
            out["horizon"] = s.horizon
        out["target_year"] = s.target_year
        for name in levers.names():
            plan = s.levers.get(name)
            if plan is None:
                continue
            if plan.path:
                out[name] = {"path": {int(y): float(v) for y, v in plan.path}}
            elif plan.year == s.target_year:
                out[name] = float(plan.target)
            else:
                out[name] = {"target": float(plan.target), "year": int(plan.year)}
        if s.others_fee_waiver_share > 0:
            out["others_share"] = float(s.others_fee_waiver_share)
            out["others_year"] = int(s.others_fee_waiver_year)
        out.update(draws=s.draws, seed=s.seed, lang=self.lang)
        if s.name != Scenario.name and s.name != scenario_name(s.title):
            out["name"] = s.name
        for key, text in (("title", s.title), ("description", s.description)):
            if text:
                out[key] = text
        if s.costs:
            out["costs"] = {key: float(central) for key, (_low, central, _high) in s.costs.items()}
        return out

    # ---- changing (each checks everything before changing anything)

    def check_levers(self, values: dict) -> dict[str, float]:
        """Lever values (fractions) checked against the registry; ScenarioError naming every bad one."""
        registry = {lever.name: lever for lever in levers.registry()}
        issues = []
        for name, value in values.items():
            if name not in registry:
                issues.append(Issue(name, value, "a lever: one of " + ", ".join(registry)))
            elif (
                not isinstance(value, (int, float))
                or isinstance(value, bool)
                or not np.isfinite(value)
                or not registry[name].min <= value <= registry[name].max
            ):
                lever = registry[name]
                issues.append(Issue(name, value, f"a share from {lever.min:g} to {lever.max:g}"))
        if issues:
            raise ScenarioError(issues, context="set_levers")
        return {k: float(v) for k, v in values.items()}

    def set_levers(self, values: dict) -> None:
        """Set lever targets (fractions, reached by the target year); nothing changes if one is bad."""
        self.scenario = replace_levers(self.scenario, self.check_levers(values))

    def set(
        self,
        *,
        focal: str | None = None,
        target_year: int | None = None,
        others_copy: bool | None = None,
        lang: str | None = None,
    ) -> None:
        """Change the other settings (validated; ScenarioError on bad values, nothing changed)."""
        s = self.scenario
        if focal is not None:
            s = s.with_(focal=focal)
        if target_year is not None:
            s = move_target_year(s, target_year)
        if others_copy is not None:
            s = replace(s, others_fee_waiver_share=1.0 if others_copy else 0.0)
        if lang is not None and lang not in i18n.LANGS:
            raise ScenarioError(Issue("lang", lang, "one of " + ", ".join(i18n.LANGS)), context="set")
        self.scenario = s
        if lang is not None:
            self.lang = lang

    def set_texts(self, title: str | None = None, description: str | None = None) -> None:
        """The scenario's title (its name too) and description as typed in the panel, one text for both
        languages; checked as a scenario file's (length, control characters, UTF-8): ScenarioError on a bad
        one, nothing changed."""
        s = self.scenario
        changes: dict = {}
        if title is not None:
            changes.update(title=title, name=scenario_name(title))
        if description is not None:
            changes["description"] = description
        try:
            checked = s.with_(**changes)  # validates the texts as a scenario file's
        except ScenarioError as exc:  # a bad title is one problem, not also its name's
            titled = any(i.where == "title" for i in exc.issues)
            raise ScenarioError(
                [i for i in exc.issues if not (titled and i.where == "name")], context="set_texts"
            ) from None
        self.scenario = replace(
            checked,
            levers=s.levers,
            title_en="" if title is not None else s.title_en,
            description_en="" if description is not None else s.description_en,
        )
        if self.outcome is not None:  # the numbers do not depend on the words: the outcome takes the new ones
            o = self.outcome
            self.outcome = replace(o, scenario=self.scenario, current=replace(o.current, scenario=self.scenario))

    def set_costs(self, costs: dict[str, float | None]) -> None:
        """The planner's own unit costs ({key: value in the row's unit}, None = the data's value again),
        checked as a scenario file's ``costs``; nothing changes if one is bad."""
        own = dict(self.scenario.to_dict().get("costs", {}))
        for key, value in costs.items():
            if value is None:
                own.pop(key, None)
            else:
                own[key] = value
        self.scenario = replace(self.scenario, costs=self.scenario.with_(costs=own).costs)

    def recompute(self, raise_errors: bool = False) -> bool:
        """Evaluate the current scenario; on failure keep the error as text (or raise) and return False."""
        started = time.perf_counter()
        try:
            self.outcome = compute(self.scenario)
            self.error = None
        except InputError as exc:
            if raise_errors:
                raise
            self.error = (say("panel.compute_failed", self.lang), [issue_text(i, self.lang) for i in exc.issues])
            return False
        except Exception as exc:  # noqa: BLE001 - shown to the user as text
            if raise_errors:
                raise
            self.error = (say("panel.compute_failed", self.lang), [f"{type(exc).__name__}: {exc}"])
            return False
        finally:
            self.compute_ms = 1000 * (time.perf_counter() - started)
        return True

    def adopt(self, scenario: Scenario) -> None:
        """Switch to ``scenario`` (e.g. a loaded file) if it computes; else restore and raise."""
        previous = self.scenario
        self.scenario = scenario
        try:
            self.recompute(raise_errors=True)
        except Exception:
            self.scenario = previous
            self.recompute()
            raise
        self.issues = []  # what the link or the parameters asked for no longer applies
