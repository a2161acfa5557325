"""The ``simlib evaluate`` command: how good the model has been, out of sample.

    simlib evaluate [--index PAR|SIPAS] [--format table|csv|json] [--draws N] [--seed S]
                    [--lang vi|en] [--write]

By default prints the plain-language verdicts (per index and horizon, then the reconstruction)
and under them a compact table (the pooled rows, a screen wide). ``--all`` adds the full tidy
table (one row per index × horizon × year-or-pooled × method × cases: ``all`` cases; forecasts
again for those published or reconstructed at the origin, the reconstruction for hidden ranks in
the top 10, mid-field and bottom 10); ``--format csv`` or ``json`` prints that table alone.
``--write`` stores the table (both indices, the given draws and seed) as
``data/evaluation_summary.csv`` (or, while results added in the user data folder are in use, as its
counterpart there: ``paths.evaluation_summary``), which reports
read instead of rerunning the harness; a test fails when it no longer matches the data and
the model.
"""

from __future__ import annotations

import textwrap

from ..engine.errors import InputError, Issue
from .formats import FORMATS, render

MIN_DRAWS, MAX_DRAWS = 50, 20000
WIDTH = 100  # characters of a verdict's line


def _int(name: str, value, lo: int, hi: int, issues: list[Issue]) -> int | None:
    try:
        x = int(str(value))
    except ValueError:
        x = None
    if x is None or not lo <= x <= hi:
        issues.append(Issue(name, value, f"a whole number from {lo} to {hi}"))
        return None
    return x


def cmd_evaluate(args) -> int:
    from ..analysis import harness, summary_file
    from ..reports import evaluation
    from ..reports.i18n import say

    issues: list[Issue] = []
    draws = _int("--draws", args.eval_draws, MIN_DRAWS, MAX_DRAWS, issues)
    seed = _int("--seed", args.eval_seed, 0, 2**32 - 1, issues)
    if args.index is not None and args.index not in ("PAR", "SIPAS"):
        issues.append(Issue("--index", args.index, "PAR or SIPAS"))
    if args.write and args.index is not None:
        issues.append(Issue("--write", "with --index", "--write without --index (the stored table covers both)"))
    if args.lang not in ("vi", "en"):
        issues.append(Issue("--lang", args.lang, "vi or en"))
    if issues:
        raise InputError(issues, context="evaluate")
    indices = (args.index,) if args.index else ("PAR", "SIPAS")
    ev = harness.run(indices, draws, seed)
    if args.write:  # first: a reader that stops reading the output early must not lose the file
        summary_file.write_summary(ev)
    if args.format != "table":  # the table alone: what a machine reads
        print(render(ev.rows, list(harness.COLUMNS), args.format, digits=3))
        return 0
    for line in evaluation.verdict_lines(ev.rows, indices, args.lang):
        print(textwrap.fill(line, WIDTH, initial_indent="- ", subsequent_indent="  ", break_on_hyphens=False))
    for compact in evaluation.compact_tables(ev.rows, args.lang):
        print()
        print(render(compact.to_dict("records"), list(compact.columns), "table"))
    print()
    if args.all:
        print(render(ev.rows, list(harness.COLUMNS), "table", digits=3, lang=args.lang))
    else:
        print(say("evaluation.full_table", args.lang, rows=len(ev.rows)))
    if args.write:
        from ..engine import paths

        print(f"\nwrote {paths.evaluation_summary()}")
    return 0


def register(subparsers) -> None:
    """Add ``evaluate`` to the ``simlib`` command (``--draws``/``--seed`` have their own names so that
    they are checked here, with the other options, and every problem is reported at once)."""
    from ..analysis.harness import DEFAULT_DRAWS, DEFAULT_SEED

    p = subparsers.add_parser(
        "evaluate",
        help="how good the model has been: leave-future-out backtests 1–3 years "
        "ahead and cross-validated reconstruction, beside naive forecasts",
    )
    p.add_argument("--index", help="PAR or SIPAS (default both)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument(
        "--draws",
        dest="eval_draws",
        default=str(DEFAULT_DRAWS),
        help=f"Monte-Carlo draws per forecast (default {DEFAULT_DRAWS})",
    )
    p.add_argument("--seed", dest="eval_seed", default=str(DEFAULT_SEED), help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--lang", default="en", help="language of the verdicts: vi or en (default en)")
    p.add_argument(
        "--all", action="store_true", help="also print the full table (by year and group of cases) under the verdicts"
    )
    p.add_argument(
        "--write",
        action="store_true",
        help="store the table as data/evaluation_summary.csv, or in the user data folder while results added "
        "there are in use (read by the reports)",
    )
    p.set_defaults(func=cmd_evaluate)
