"""The ``simlib forecast`` commands: a registry of frozen forecasts, scored once the results are out.

    simlib forecast freeze --label NAME [--scenario FILE] [--draws N] [--seed S] [--lang vi|en]
    simlib forecast list [--format table|csv|json] [--lang vi|en]
    simlib forecast score --label NAME [--format table|csv|json] [--lang vi|en]

``freeze`` stores every unit's projection of both indices to the horizon in the user data folder
(median, 5–95% bands of score and rank, P(top 3/10), quantiles; the naive forecast and rank
persistence beside them) with the data fingerprint, package version and seed; a label is never
overwritten. ``score`` sets every year now published against it (CRPS, band coverage, rank error,
P(top 3) Brier score, beside naive and persistence) and ends with a verdict a leader can read.
``simlib run`` and ``simlib batch`` take ``--freeze LABEL`` to freeze the scenarios they render.
"""

from __future__ import annotations

import sys

from ..engine.errors import InputError, Issue
from .formats import FORMATS, render
from .localized import LANGS, speaking


def _lang(args, issues: list[Issue]) -> str:
    if args.lang not in LANGS:
        issues.append(Issue("--lang", args.lang, "vi or en"))
        args.lang = "en"
    return args.lang


def check_free(label: str) -> list[Issue]:
    """Problems with ``label`` for a new frozen forecast: its form, or a forecast already under it."""
    from ..analysis import forecasts

    issues = forecasts.check_label(label)
    if not issues and forecasts.folder(label).exists():
        meta = forecasts.read_meta(forecasts.folder(label)) or {}
        issues.append(
            Issue(
                "--label",
                label,
                f"a label not used yet: {label} was frozen on {str(meta.get('frozen_at', '?'))[:10]} "
                "(a frozen forecast is never overwritten; choose another label)",
            )
        )
    return issues


def freeze_and_save(scenario, label: str, extra: dict | None = None):
    """Freeze ``scenario`` under ``label`` in the user folder; (frozen, folder)."""
    from ..analysis import forecasts
    from ..reports import provenance

    frozen = forecasts.freeze(scenario, label)
    path = forecasts.save(frozen, {"simlib_code_sha256": provenance.code_sha256(), **(extra or {})})
    return frozen, path


@speaking
def cmd_freeze(args) -> int:
    from ..engine.scenario import Scenario, load_scenario
    from ..reports import forecast_report
    from ..runs.progress import Progress

    issues: list[Issue] = []
    lang = _lang(args, issues)
    issues += check_free(args.label)
    try:
        scenario = (
            load_scenario(args.scenario, args.draws, args.seed)
            if args.scenario
            else Scenario.from_dict(
                {"name": "default", **{k: v for k, v in (("draws", args.draws), ("seed", args.seed)) if v is not None}}
            )
        )
    except InputError as exc:
        issues += exc.issues
    if issues:
        raise InputError(issues, context="forecast freeze")
    show = Progress("freeze", "forecast (every unit's draws, then the store)")
    frozen, path = freeze_and_save(scenario, args.label, {"command": "forecast freeze"})
    show(1, 1)
    show.end()
    print("\n".join(forecast_report.frozen_lines(frozen, path, lang)))
    return 0


@speaking
def cmd_list(args) -> int:
    from ..reports import forecast_report
    from ..reports.i18n import say

    lang = _lang(args, [])
    rows = forecast_report.list_rows(lang)
    if not rows:
        print(say("forecast.none", lang), file=sys.stdout if args.format == "table" else sys.stderr)
        if args.format != "table":
            print(render([], list(forecast_report.LIST_COLUMNS), args.format))
        return 0
    columns = list(forecast_report.LIST_COLUMNS)
    if args.format == "table":
        headers = forecast_report.list_headers(lang)
        print(render([{headers[c]: r[c] for c in columns} for r in rows], [headers[c] for c in columns], "table"))
    else:
        print(render(rows, columns, args.format))
    return 0


@speaking
def cmd_score(args) -> int:
    from ..analysis import forecasts
    from ..reports import forecast_report

    issues: list[Issue] = []
    lang = _lang(args, issues)
    issues += forecasts.check_label(args.label)
    if issues:
        raise InputError(issues, context="forecast score")
    scoring = forecasts.score(forecasts.load(args.label))
    print(render(scoring.rows, list(forecasts.SCORE_COLUMNS), args.format, digits=3))
    lines = forecast_report.verdict_lines(scoring, lang)
    stream = sys.stdout if args.format == "table" else sys.stderr
    print("", file=stream)
    print("\n".join(lines), file=stream)
    return 0


def register(subparsers) -> None:
    """Add ``forecast`` (freeze, list, score) to the ``simlib`` command."""
    p = subparsers.add_parser("forecast", help="freeze every unit's forecast now; score it once the results are out")
    sub = p.add_subparsers(dest="forecast_command", required=True)
    a = sub.add_parser("freeze", help="store every unit's projection of both indices to the horizon (user data folder)")
    a.add_argument("--label", required=True, help="a name for it, e.g. plan-2026 (letters, digits, . _ -)")
    a.add_argument("--scenario", help="scenario YAML file (default: today's policies, Hà Nội focal)")
    a.add_argument("--draws", help="Monte-Carlo draws (10–100000; default: the scenario's)")
    a.add_argument("--seed", help="random seed (default: the scenario's)")
    a.add_argument("--lang", default="vi", help="vi (default) or en")
    a.set_defaults(func=cmd_freeze)
    b = sub.add_parser("list", help="the frozen forecasts, and which of their years are now published")
    b.add_argument("--format", choices=FORMATS, default="table")
    b.add_argument("--lang", default="vi", help="vi (default) or en")
    b.set_defaults(func=cmd_list)
    c = sub.add_parser("score", help="score a frozen forecast against every year of it now published")
    c.add_argument("--label", required=True, help="the frozen forecast's label (simlib forecast list)")
    c.add_argument("--format", choices=FORMATS, default="table")
    c.add_argument("--lang", default="vi", help="vi (default) or en")
    c.set_defaults(func=cmd_score)
