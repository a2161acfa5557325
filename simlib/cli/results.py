"""The ``simlib results`` commands: take in each new year's results.

    simlib results add FILE --index PAR|SIPAS --year YYYY --source TEXT [--partial] [--replace]
                       [--override-shipped] [--lang vi|en]
    simlib results list [--format table|csv|json] [--lang vi|en]
    simlib results whats-new --out DIR [--label NAME] [--focal UNIT] [--lang vi|en]

``add`` reads a CSV or XLSX table as typed or pasted from the ministry's announcement, checks it
(every problem at once, exit 2, nothing written), stores it in the user data folder with its file,
sha256, time and source, and refreshes the model's track record with the new year's cases. The
shipped ``data/`` is never modified. Words are Vietnamese by default (``--lang en`` for English).
"""

from __future__ import annotations

import sys
from datetime import date

from ..engine.errors import InputError, Issue
from .formats import FORMATS, render

LANGS = ("vi", "en")
FIRST_YEAR = 2012  # the first year of the PAR Index results in the data


class LocalizedInputError(InputError):
    """An InputError whose message is written in the reader's language (``newresults.error_message``)."""

    def __init__(self, exc: InputError, lang: str):
        self.lang = lang
        super().__init__(exc.issues, context=exc.context)

    def message(self) -> str:
        from ..reports.newresults import error_message

        return error_message(InputError(self.issues, context=self.context), self.lang)


def speaking(fn):
    """Decorate a command so that its input problems are written in ``args.lang``."""
    import functools

    @functools.wraps(fn)
    def wrapper(args):
        try:
            return fn(args)
        except LocalizedInputError:
            raise
        except InputError as exc:
            raise LocalizedInputError(exc, args.lang if args.lang in LANGS else "en") from None

    return wrapper


def _checks(args, issues: list[Issue]) -> tuple[str, int | None]:
    if args.lang not in LANGS:
        issues.append(Issue("--lang", args.lang, "vi or en"))
        args.lang = "en"
    index = str(args.index).upper()
    if index not in ("PAR", "SIPAS"):
        issues.append(Issue("--index", args.index, "PAR or SIPAS"))
    this_year = date.today().year
    try:
        year = int(str(args.year).strip())
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= this_year:
        issues.append(Issue("--year", args.year, f"a year from {FIRST_YEAR} to {this_year}"))
        year = None
    return index, year


@speaking
def cmd_add(args) -> int:
    from ..engine import data, resulttable, userdata
    from ..reports import newresults

    issues: list[Issue] = []
    index, year = _checks(args, issues)
    issues += userdata.check_source(args.source)
    table = None
    if not issues or (year is not None and index in ("PAR", "SIPAS")):
        try:
            table = resulttable.read(args.file, index, year, partial=args.partial)
        except InputError as exc:
            issues += exc.issues
    if issues:
        raise InputError(issues, context="results add")
    lang = args.lang
    added = userdata.add(table, args.source, replace_existing=args.replace, over_shipped=args.override_shipped)
    data.refresh()
    print("\n".join(newresults.added_lines(added, table, args.source, lang)))
    if added.outcome != "unchanged":
        print("\n".join(newresults.standing_lines(index, year, lang)))
    _refresh_track_record(index, year, lang, force=added.outcome != "unchanged")
    _next_steps(index, year, lang)
    return 0


def _refresh_track_record(index: str, year: int, lang: str, force: bool) -> None:
    """The user-side counterpart of data/evaluation_summary.csv, recomputed with the added results
    (the stale one is removed first, so a report never shows a track record of other data)."""
    from ..analysis import harness
    from ..engine import paths
    from ..reports.i18n import say

    path = paths.evaluation_summary()
    if not force and path.is_file():
        return
    path.unlink(missing_ok=True)
    try:
        ev = harness.run(data_indices(), harness.DEFAULT_DRAWS, harness.DEFAULT_SEED)
        harness.write_summary(ev, path)
    except (KeyboardInterrupt, InputError):
        raise
    except Exception as exc:  # noqa: BLE001 - the table is added; the track record can be refreshed later
        print(
            say("results.track_record_failed", lang, error=f"{type(exc).__name__}: {str(exc)[:200]}"), file=sys.stderr
        )
        return
    cases = len(
        {
            (r["slug"], r["horizon"])
            for r in ev.records
            if (r["index"], r["year"], r["method"]) == (index, year, "model")
        }
        - {(r["slug"], 0) for r in ev.records}
    )  # each published unit forecast 1, 2 and 3 years ahead
    print(say("results.track_record", lang, cases=cases, year=year, path=str(path)))


def data_indices() -> tuple[str, ...]:
    from ..engine import data

    return data.INDICES


def _next_steps(index: str, year: int, lang: str) -> None:
    from ..analysis import forecasts
    from ..engine.scenario import DEFAULTS, default_baseline_year
    from ..reports.i18n import say

    base = default_baseline_year()
    lines = [say("results.next", lang), say("results.next_league", lang, year=year)]
    lines.append(say("results.next_project", lang, year=base, target=max(DEFAULTS["target_year"], base + 1)))
    scorable = [m["label"] for m in forecasts.labels() if int(m["baseline_year"]) < year <= int(m["horizon"])]
    if scorable:
        lines.append(say("results.next_score", lang, label=scorable[-1]))
    lines.append(say("results.next_whatsnew", lang, out=f"out/whats-new-{year}"))
    print("\n".join(lines))


@speaking
def cmd_list(args) -> int:
    from ..engine import data, paths
    from ..reports import newresults
    from ..reports.i18n import say

    if args.lang not in LANGS:
        raise InputError(Issue("--lang", args.lang, "vi or en"), context="results list")
    lang = args.lang
    rows = newresults.list_rows(lang)
    columns = list(newresults.LIST_COLUMNS)
    if args.format == "table":
        headers = newresults.list_headers(lang)
        print(render([{headers[c]: r[c] for c in columns} for r in rows], [headers[c] for c in columns], "table"))
    else:
        print(render(rows, columns, args.format))
    from ..engine.scenario import default_baseline_year

    ds = data.load()
    lines = ["", say("results.list_folder", lang, path=str(paths.user_dir()))]
    if not ds.added:
        lines.append(say("results.list_none_added", lang))
    lines.append(say("results.list_latest", lang, year=default_baseline_year()))
    lines += [say("results.list_conflict", lang, text=c) for c in ds.clashes if "added table" in c]
    print("\n".join(lines), file=sys.stdout if args.format == "table" else sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add ``results`` (add, list, whats-new) to the ``simlib`` command."""
    p = subparsers.add_parser("results", help="take in a new year's results; list what is published and added")
    sub = p.add_subparsers(dest="results_command", required=True)  # a _Parser each, as the main command's
    a = sub.add_parser("add", help="add a year's results from a CSV or XLSX table (stored in the user data folder)")
    a.add_argument(
        "file", help="the table: CSV (UTF-8) or XLSX, columns unit, score, rank (or Tỉnh/thành phố, Điểm, Xếp hạng)"
    )
    a.add_argument("--index", required=True, help="PAR or SIPAS")
    a.add_argument("--year", required=True, help="the year the results are for (e.g. 2025)")
    a.add_argument("--source", required=True, help="where the figures come from (decision, announcement, page address)")
    a.add_argument(
        "--partial", action="store_true", help="the table lists only some units (the others are reconstructed)"
    )
    a.add_argument(
        "--replace", action="store_true", help="replace a table added before for this index and year (it is kept)"
    )
    a.add_argument(
        "--override-shipped",
        action="store_true",
        help="use the table where it differs from published figures shipped with simlib (each difference is listed)",
    )
    a.add_argument("--lang", default="vi", help="language of the messages: vi (default) or en")
    a.set_defaults(func=cmd_add)
    b = sub.add_parser("list", help="per index and year: published, partial or reconstructed, and from where")
    b.add_argument("--format", choices=FORMATS, default="table")
    b.add_argument("--lang", default="vi", help="vi (default) or en")
    b.set_defaults(func=cmd_list)
