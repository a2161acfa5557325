"""The ``simlib sensitivity`` and ``simlib target`` commands.

    simlib sensitivity SCENARIO.yaml --out DIR [--outcome par_rank|sipas_pct|p_par_top3] [--year Y]
                       [--base-samples N] [--seed S] [--method sobol|morris] [--draws D]
    simlib target --prob 0.8 [--par-rank 3] [--sipas 86] [--year 2027] [--budget BN_VND]
                  [--focal ha-noi] [--draws N] [--seed S] [--weights lever=w,...] [--out DIR]

Bad options exit with code 2 and one line per problem (option, value, what is allowed).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..engine import outfolder
from ..engine.errors import InputError, Issue
from ..runs.progress import Progress
from .formats import FORMATS, render

if TYPE_CHECKING:
    from ..engine.scenario import Scenario


SENSITIVITY_KIND, TARGET_KIND = "sensitivity", "simlib-target"  # the kind in each output's manifest.json


def _int_option(name: str, value, issues: list[Issue], allowed: str, check=lambda x: True):
    if value is None:
        return None
    try:
        x = int(str(value))
    except ValueError:
        issues.append(Issue(name, value, allowed))
        return None
    if not check(x):
        issues.append(Issue(name, value, allowed))
        return None
    return x


def _check_out(out: str, kind: str, issues: list[Issue]) -> None:
    """The one rule of an output folder (``outfolder.problems``), without the write probe."""
    issues += outfolder.problems(out, kind, probe=False)


def _check_writable(out: str | None, kind: str, issues: list[Issue]) -> None:
    """Checked last, once every other option is fine: the probe writes (and removes) a file."""
    if out is not None and not issues:
        issues += outfolder.problems(out, kind)


def available_memory() -> int | None:
    """Bytes of memory available now (MemAvailable of /proc/meminfo), None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _memory_problems(scenario: Scenario, method: str, base: int | None, draws: int, outcome: str) -> list[Issue]:
    """Refuse up front a sensitivity run whose estimated peak memory exceeds what is available."""
    from ..analysis import sensitivity

    rows, need = sensitivity.memory_estimate(scenario, method, base, draws, outcome)
    have = available_memory()
    if have is None or need <= 0.8 * have:
        return []
    fits = base or sensitivity.DEFAULT_SAMPLES[method]
    while fits > 2 and sensitivity.memory_estimate(scenario, method, fits, draws, outcome)[1] > 0.8 * have:
        fits //= 2
    return [
        Issue(
            "--base-samples",
            base if base is not None else fits,
            f"a sample that fits in memory: {rows:,} rows need about {need / 1e9:.1f} GB, "
            f"{have / 1e9:.1f} GB is available (try --base-samples {fits} or fewer --draws)",
        )
    ]


def _target_memory_problems(draws: int) -> list[Issue]:
    """Refuse up front a target search whose estimated peak memory exceeds what is available."""
    from ..analysis import surface

    need, have = surface.memory_estimate(draws), available_memory()
    if have is None or need <= 0.8 * have:
        return []
    fits = surface.draws_that_fit(have)
    return [
        Issue(
            "--draws",
            draws,
            f"a number of draws that fits in memory: {draws:,} draws need about {need / 1e9:.1f} GB, "
            f"{have / 1e9:.1f} GB is available (try --draws {fits} or fewer)",
        )
    ]


def _lang(value, issues: list[Issue]) -> str:
    if value not in ("vi", "en"):
        issues.append(Issue("--lang", value, "vi or en"))
        return "en"
    return value


def cmd_sensitivity(args) -> int:
    from ..analysis import sensitivity, sensitivity_engine
    from ..engine.scenario import load_scenario
    from .batch import scheduler_probe

    probe = scheduler_probe(args)
    issues: list[Issue] = []
    year = _int_option("--year", args.outcome_year, issues, "a projected year of the scenario (e.g. 2027)")
    base = _int_option(
        "--base-samples",
        args.base_samples,
        issues,
        f"a power of 2 from 2 to {sensitivity.MAX_SAMPLES} (e.g. 256, 1024, 4096)",
    )
    lang = _lang(args.lang, issues)
    _check_out(args.out, SENSITIVITY_KIND, issues)
    try:
        scenario = load_scenario(args.scenario)
    except InputError as exc:
        raise InputError(issues + exc.issues + probe.problems(), context=exc.context) from None
    draws = sensitivity_engine.DEFAULT_FIELD_DRAWS if args.draws is None else args.draws
    try:
        sensitivity.check(scenario, args.outcome, year, args.method, base, draws)
    except InputError as exc:
        issues.extend(exc.issues)
    if not issues:
        issues += _memory_problems(scenario, args.method, base, draws, args.outcome)
    _check_writable(args.out, SENSITIVITY_KIND, issues)
    issues += probe.problems()
    if issues:
        raise InputError(issues, context="sensitivity")
    with outfolder.writing(args.out, SENSITIVITY_KIND) as draft:
        return _sensitivity(args, draft, scenario, year, base, draws, lang)


def _sensitivity(args, draft: outfolder.Draft, scenario: Scenario, year, base, draws, lang: str) -> int:
    from ..analysis import sensitivity
    from ..reports import sensitivity_report
    from ..reports.i18n import say
    from .batch import on_cluster

    seed = scenario.seed if args.seed is None else args.seed
    with on_cluster(getattr(args, "scheduler", None)) as run:
        show = Progress("sensitivity", say("progress_sample_rows", lang), lang=lang)
        analysis = sensitivity.run(
            scenario,
            args.outcome,
            year,
            args.method,
            base,
            seed,
            draws,
            mapper=run.map if run else None,
            chunks=4 * run.parallelism() if run else 1,
            progress=show,
        )
        show.end()
    options = {
        "scenario": str(args.scenario),
        "outcome": args.outcome,
        "year": analysis.year,
        "method": args.method,
        "base_samples": analysis.base_samples,
        "seed": seed,
        "draws": draws,
    }
    paths = sensitivity_report.write(
        analysis,
        draft,
        scenario,
        command=["simlib", "sensitivity"]
        + [f"--{k.replace('_', '-')}={v}" for k, v in options.items() if k != "scenario"]
        + [str(args.scenario)],
    )
    cols = ["factor", "kind", "low", "high"] + (
        ["S1", "S1_conf", "ST", "ST_conf"] if analysis.method == "sobol" else ["mu_star", "mu_star_conf", "sigma"]
    )
    print(render(analysis.rows, cols, args.format, digits=3, lang=lang))
    notes = sensitivity_report.summary_lines(analysis, lang) + [
        say(
            "sensitivity.evaluated",
            lang,
            rows=analysis.n_rows,
            draws=analysis.draws_per_row,
            runs=analysis.model_runs,
            seconds=analysis.seconds,
        ),
        say("wrote", lang, paths=", ".join(str(p) for p in paths.values())),
    ]
    stream = sys.stdout if args.format == "table" else sys.stderr
    print("", file=stream)
    print("\n".join(notes), file=stream)
    return 0


def cmd_target(args) -> int:
    from ..analysis import goals, surface
    from ..engine import levers

    issues: list[Issue] = []
    lang = _lang(args.lang, issues)
    names = levers.names()
    for option, value in (("--along", args.along), ("--solve-for", args.solve_for)):
        if value not in names:
            issues.append(Issue(option, value, "a lever: one of " + ", ".join(names)))
    if args.along == args.solve_for and args.along in names:
        issues.append(Issue("--solve-for", args.solve_for, "a lever other than --along"))
    if args.out is not None:
        _check_out(args.out, TARGET_KIND, issues)
    draws = surface.DEFAULT_DRAWS if args.draws is None else args.draws
    try:
        goals.check_target(
            args.par_rank,
            args.prob,
            args.sipas,
            args.target_year,
            args.budget,
            args.focal,
            weights=args.weights,
            draws=draws,
        )
    except InputError as exc:
        issues = exc.issues + issues
    if not issues:
        issues += _target_memory_problems(draws)
    _check_writable(args.out, TARGET_KIND, issues)
    if issues:
        raise InputError(issues, context="target")
    if args.out is not None:
        with outfolder.writing(args.out, TARGET_KIND) as draft:
            return _target(args, lang, draws, draft)
    return _target(args, lang, draws)


def _target(args, lang: str, draws: int, draft: outfolder.Draft | None = None) -> int:
    from ..analysis import target
    from ..reports import target_report
    from ..reports.i18n import say

    show = Progress("target", say("progress_lever_settings", lang), lang=lang)
    sol = target.run(
        args.par_rank,
        args.prob,
        args.sipas,
        args.target_year,
        args.budget,
        args.focal,
        draws,
        2024 if args.seed is None else args.seed,
        args.weights,
        args.along,
        args.solve_for,
        progress=show,
    )
    show.end()
    lines = target_report.summary_lines(sol, lang) + target_report.tradeoff_lines(sol.tradeoff, sol.labels, lang)
    method = say("target.method_grid_slsqp" if "SLSQP" in sol.method else "target.method_grid", lang)
    lines.append(say("target.evaluated", lang, n=sol.evaluations, draws=draws, seconds=sol.seconds, method=method))
    if draft is not None:
        written = ", ".join(str(p) for p in write_target(sol, draft, lang).values())
        lines.append(say("wrote", lang, paths=written))
    if args.format == "json":
        import json

        print(json.dumps(target_report.record(sol), ensure_ascii=False, indent=1))
        print("\n".join(lines), file=sys.stderr)
        return 0
    cols = ["lever", "label", "current_pct", "setting_pct", "change_pts"]
    headers = [say(f"target.col_{c}", lang) for c in cols]
    print(render(sol.rows(lang), cols, args.format, digits=1, lang=lang, headers=headers))
    if args.format == "csv":
        print("\n".join(lines), file=sys.stderr)
        return 0
    print()
    print("\n".join(lines))
    tr = sol.tradeoff
    rows = tr.rows()
    if any(r[f"{tr.solve_for}_pct"] is not None for r in rows):
        columns = list(rows[0])
        label = lambda name: sol.labels.get(name, (name, name))[0 if lang == "vi" else 1]  # noqa: E731
        headers = [
            say("target.col_lever_pct", lang, lever=label(c.removesuffix("_pct")))
            if c.endswith("_pct")
            else say(f"target.col_{c}", lang)
            for c in columns
        ]
        print()
        print(render(rows, columns, "table", digits=2, lang=lang, headers=headers))
    return 0


def write_target(sol, draft: outfolder.Draft, lang: str = "vi") -> dict:
    """target.json, tradeoff.csv, tradeoff.png and manifest.json written into the draft of ``--out``,
    then swapped in whole (``outfolder``); returns where they now are."""
    from ..reports import provenance, sensitivity_report, target_report

    names = {"json": "target.json", "csv": "tradeoff.csv", "png": "tradeoff.png"}
    record = target_report.record(sol)
    record.update(packages=provenance.package_versions(), data_file_hashes=provenance.data_hashes())
    sensitivity_report.write_json(record, draft.path / names["json"])
    rows = sol.tradeoff.rows()
    sensitivity_report.write_csv(rows, list(rows[0]), draft.path / names["csv"])
    figure = target_report.tradeoff_figure(sol.tradeoff, sol.labels, lang, sol)
    sensitivity_report.write_figure(figure, draft.path / names["png"])
    draft.publish({"kind": TARGET_KIND, "command": ["simlib", *sys.argv[1:]], **provenance.record()})
    return {k: draft.target / name for k, name in names.items()}


def register(subparsers) -> None:
    """Add ``sensitivity`` and ``target`` to the ``simlib`` command."""
    from ..analysis.sensitivity import METHODS, OUTCOMES
    from ..analysis.sensitivity_engine import DEFAULT_FIELD_DRAWS

    p = subparsers.add_parser("sensitivity", help="which levers and assumptions decide an outcome (SALib)")
    p.add_argument("scenario", help="scenario YAML file (focal unit, years, field assumptions)")
    p.add_argument("--out", required=True, help="output directory: sensitivity.csv, tornado.png, manifest.json")
    p.add_argument("--outcome", default="par_rank", help=f"one of {', '.join(OUTCOMES)} (default par_rank)")
    p.add_argument("--year", dest="outcome_year", help="year of the outcome (default: the scenario's target year)")
    p.add_argument(
        "--base-samples", help="Sobol base samples, a power of 2 (default 256); Morris trajectories (default 32)"
    )
    p.add_argument("--seed", help="seed of the sample and of the field draws (default: the scenario's)")
    p.add_argument("--method", default="sobol", help=f"one of {', '.join(METHODS)} (default sobol)")
    p.add_argument("--draws", help=f"field draws each sample row is evaluated on (default {DEFAULT_FIELD_DRAWS})")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--lang", default="en", help="language of the summary line: vi or en")
    from .batch import _scheduler

    _scheduler(p)
    p.set_defaults(func=cmd_sensitivity)

    p = subparsers.add_parser("target", help="least-effort lever settings that reach a target with a probability")
    p.add_argument("--par-rank", help="PAR rank to reach or beat (1 = best)")
    p.add_argument("--prob", help="required probability, strictly between 0 and 1")
    p.add_argument("--sipas", help="SIPAS level to reach, in %% (0–100)")
    p.add_argument("--year", dest="target_year", default="2027", help="target year (default 2027)")
    p.add_argument("--budget", help="fees forgone allowed, bn VND per year (default: no limit)")
    p.add_argument("--focal", default="ha-noi", help="unit slug (default ha-noi)")
    p.add_argument("--draws", help="Monte-Carlo draws (default 1000)")
    p.add_argument("--seed", help="random seed (default 2024)")
    p.add_argument("--weights", help="effort per share point of each lever, e.g. simplification=1,delegation=2")
    p.add_argument("--along", default="delegation", help="trade-off curve: lever along the x axis")
    p.add_argument("--solve-for", default="simplification", help="trade-off curve: lever solved for")
    p.add_argument("--out", help="also write target.json, tradeoff.csv and tradeoff.png there")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--lang", default="en", help="language of the answer: vi or en")
    p.set_defaults(func=cmd_target)
