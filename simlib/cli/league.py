"""The ``simlib league`` command: every unit's score and rank in one year.

    simlib league --year 2027 [--scenario FILE.yaml] [--index PAR|SIPAS] [--draws N] [--seed S]
                  [--format table|csv|json] [--lang vi|en] [--out DIR]

CSV columns: ``league.COLUMNS`` (unit_slug, score_p05/p50/p95, rank_p05/p50/p95, p_top3, p_top10 with
their 90% Monte-Carlo intervals, status, status_year, published_score, focal), one row per unit of
that year. ``--out`` also writes league.csv and the rank-probability heat map rank_matrix.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..engine.errors import InputError, Issue
from .formats import FORMATS, render


def cmd_league(args) -> int:
    from ..analysis import league
    from ..engine.scenario import Scenario, load_scenario
    from ..engine.simulate import simulate

    issues: list[Issue] = []
    if args.lang not in ("vi", "en"):
        issues.append(Issue("--lang", args.lang, "vi or en"))
    if args.out is not None and Path(args.out).exists() and not Path(args.out).is_dir():
        issues.append(Issue("--out", args.out, "a directory (new or existing), not a file"))
    try:
        scenario = (
            load_scenario(args.scenario, args.draws, args.seed)
            if args.scenario
            else Scenario.from_dict({k: v for k, v in (("draws", args.draws), ("seed", args.seed)) if v is not None})
        )
    except InputError as exc:
        raise InputError(issues + exc.issues, context=exc.context) from None
    try:
        year = league.check(scenario, args.index, args.year)
    except InputError as exc:
        issues.extend(exc.issues)
    if issues:
        raise InputError(issues, context="league")
    table = league.from_outcomes(simulate(scenario), args.index, year)
    rows, columns = with_proxies(table)
    print(render(rows, columns if args.format != "table" else list(league.COLUMNS), args.format, digits=3))
    from ..reports import leaguetable

    lines = [leaguetable.title(table, args.lang), leaguetable.note(table, args.lang)]
    if args.out is not None:
        lines.append("wrote " + ", ".join(str(p) for p in write(table, args.out, args.lang).values()))
    stream = sys.stdout if args.format == "table" else sys.stderr
    print("", file=stream)
    print("\n".join(lines), file=stream)
    return 0


def with_proxies(table) -> tuple[list[dict], list[str]]:
    """The table's rows with the published proxies as extra columns (``league.rows_with_proxies``)."""
    from ..analysis import league

    return league.rows_with_proxies(table)


def write(table, out_dir, lang: str = "vi") -> dict:
    """DIR/league.csv and DIR/rank_matrix.png, each written atomically."""
    from ..engine import atomic
    from ..reports import leaguetable

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out / "league.csv", "png": out / "rank_matrix.png"}
    rows, columns = with_proxies(table)
    atomic.write_text(paths["csv"], render(rows, columns, "csv", digits=4) + "\n")
    fig = leaguetable.rank_matrix_figure(table, lang)
    atomic.write_with(
        paths["png"], lambda tmp: fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight"), suffix=".png"
    )
    return paths


def register(subparsers) -> None:
    """Add ``league`` to the ``simlib`` command."""
    p = subparsers.add_parser("league", help="every unit's score and rank in one year, with bands and P(top 3/10)")
    p.add_argument(
        "--year",
        required=True,
        help="a published year with a reconstructable field, or a projected year up to the scenario's horizon",
    )
    p.add_argument("--scenario", help="scenario YAML file (default: today's policies, Hà Nội focal)")
    p.add_argument("--index", default="PAR", help="PAR or SIPAS (default PAR)")
    p.add_argument("--draws", help="Monte-Carlo draws (10–100000)")
    p.add_argument("--seed", help="random seed")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--lang", default="en", help="language of the notes: vi or en")
    p.add_argument("--out", help="also write league.csv and rank_matrix.png there")
    p.set_defaults(func=cmd_league)
