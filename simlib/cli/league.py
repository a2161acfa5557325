"""The ``simlib league`` command: every unit's score and rank in one year.

    simlib league --year 2027 [--scenario FILE.yaml] [--index PAR|SIPAS] [--draws N] [--seed S]
                  [--format table|csv|json] [--lang vi|en] [--out DIR]

CSV columns: ``league.COLUMNS`` (unit_slug, score_p05/p50/p95, rank_p05/p50/p95, p_top3, p_top10 with
their 90% Monte-Carlo intervals, status, status_year, published_score, focal), one row per unit of
that year. ``--out`` also writes league.csv and the rank-probability heat map rank_matrix.png.
"""

from __future__ import annotations

import sys

from ..engine import outfolder
from ..engine.errors import InputError, Issue
from .formats import FORMATS, render

LEAGUE_KIND = "simlib-league"  # the kind in the manifest.json of a ``--out`` folder


def cmd_league(args) -> int:
    from ..analysis import league
    from ..engine.scenario import Scenario, load_scenario

    issues: list[Issue] = []
    if args.lang not in ("vi", "en"):
        issues.append(Issue("--lang", args.lang, "vi or en"))
    if args.out is not None:
        issues += outfolder.problems(args.out, LEAGUE_KIND, probe=False)
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
    if args.out is not None and not issues:
        issues += outfolder.problems(args.out, LEAGUE_KIND)  # the write probe, once all else is fine
    if issues:
        raise InputError(issues, context="league")
    if args.out is None:
        return _league(args, scenario, year)
    with outfolder.writing(args.out, LEAGUE_KIND) as draft:
        return _league(args, scenario, year, draft)


def _league(args, scenario, year: int, draft: outfolder.Draft | None = None) -> int:
    from ..analysis import league
    from ..engine.simulate import simulate

    table = league.from_outcomes(simulate(scenario), args.index, year)
    rows, columns = with_proxies(table)
    print(
        render(rows, columns if args.format != "table" else list(league.COLUMNS), args.format, digits=3, lang=args.lang)
    )
    from ..reports import leaguetable

    lines = [leaguetable.title(table, args.lang), leaguetable.note(table, args.lang)]
    if draft is not None:
        lines.append("wrote " + ", ".join(str(p) for p in write(table, draft, args.lang).values()))
    stream = sys.stdout if args.format == "table" else sys.stderr
    print("", file=stream)
    print("\n".join(lines), file=stream)
    return 0


def with_proxies(table) -> tuple[list[dict], list[str]]:
    """The table's rows with the published proxies as extra columns (``league.rows_with_proxies``)."""
    from ..analysis import league

    return league.rows_with_proxies(table)


def write(table, draft: outfolder.Draft, lang: str = "vi") -> dict:
    """league.csv, rank_matrix.png and manifest.json written into the draft of ``--out``, then swapped
    in whole (``outfolder``); returns where they now are."""
    from ..engine import atomic
    from ..reports import leaguetable, provenance
    from ..reports.text import crop

    names = {"csv": "league.csv", "png": "rank_matrix.png"}
    rows, columns = with_proxies(table)
    atomic.write_text(draft.path / names["csv"], render(rows, columns, "csv", digits=4) + "\n")
    fig = leaguetable.rank_matrix_figure(table, lang)
    atomic.write_with(
        draft.path / names["png"],
        lambda tmp: fig.savefig(tmp, format="png", dpi=110, bbox_inches=crop(fig)),
        suffix=".png",
    )
    draft.publish(
        {"kind": LEAGUE_KIND, "command": ["simlib", *sys.argv[1:]], "columns": columns, **provenance.record()}
    )
    return {k: draft.target / name for k, name in names.items()}


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
