"""The ``simlib results`` commands: take in each new year's results.

    simlib results add FILE --index PAR|SIPAS --year YYYY --source TEXT [--partial] [--replace]
                       [--override-shipped] [--lang vi|en]
    simlib results list [--format table|csv|json] [--lang vi|en]
    simlib results whats-new --out DIR [--label NAME] [--focal UNIT] [--lang vi|en]

``whats-new`` renders ``notebooks/whats_new.ipynb`` (papermill) into DIR/report.html (no code,
figures embedded, opens offline), DIR/onepager.html and onepager.pdf (one A4 page for leaders) and
manifest.json; the folder is written aside and swapped into place at the end, an earlier what's-new
folder is replaced (files the user put in it are kept), any other folder refused.

``add`` reads a CSV or XLSX table as typed or pasted from the ministry's announcement, checks it
(every problem at once, exit 2, nothing written), stores it in the user data folder with its file,
sha256, time and source, and refreshes the model's track record with the new year's cases. The
shipped ``data/`` is never modified. Words are Vietnamese by default (``--lang en`` for English).
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from ..engine import atomic, outfolder
from ..engine.errors import InputError, Issue
from .formats import FORMATS, render
from .localized import LANGS, speaking

FIRST_YEAR = 2012  # the first year of the PAR Index results in the data


def _checks(args, issues: list[Issue]) -> tuple[str, int | None]:
    if args.lang not in LANGS:
        issues.append(Issue("--lang", args.lang, "vi or en"))
        args.lang = "en"
    index = str(args.index).upper()
    if index not in ("PAR", "SIPAS"):
        issues.append(Issue("--index", args.index, "PAR or SIPAS"))
    this_year = date.today().year
    try:
        year = int(str(args.table_year).strip())
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= this_year:
        issues.append(Issue("--year", args.table_year, f"a year from {FIRST_YEAR} to {this_year}"))
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
    from ..analysis import harness, summary_file
    from ..engine import paths
    from ..reports.i18n import say

    path = paths.evaluation_summary()
    if not force and path.is_file():
        return
    path.unlink(missing_ok=True)
    try:
        ev = harness.run(data_indices(), harness.DEFAULT_DRAWS, harness.DEFAULT_SEED)
        summary_file.write_summary(ev, path)
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
    a.add_argument("--year", dest="table_year", required=True, help="the year the results are for (e.g. 2025)")
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
    register_whatsnew(sub)


# ----------------------------------------------------------------------------- whats-new

KIND = "simlib-whatsnew"
NOTEBOOK = "whats_new.ipynb"


@speaking
def cmd_whatsnew(args) -> int:
    from ..analysis import forecasts
    from ..engine import data, paths

    issues: list[Issue] = []
    if args.lang not in LANGS:
        issues.append(Issue("--lang", args.lang, "vi or en"))
        args.lang = "en"
    units = data.load().units
    if args.focal not in units:
        issues.append(Issue("--focal", args.focal, "a 2025 unit slug, one of " + ", ".join(sorted(units))))
    if args.label:
        try:
            forecasts.load(args.label)  # the label's form, and a forecast frozen under it
        except InputError as exc:
            issues += exc.issues
    years = sorted({y for ix in data.INDICES for y in data.load().years_with_results(ix)})
    year = None
    if args.report_year is not None:
        try:
            year = int(str(args.report_year))
        except ValueError:
            year = None
        if year not in years:
            issues.append(
                Issue("--year", args.report_year, f"a year with published results: {', '.join(map(str, years))}")
            )
    draws = 1000 if args.draws is None else args.draws
    out = Path(args.out)
    notebook = paths.notebooks_dir() / NOTEBOOK
    if not notebook.is_file():
        issues.append(Issue("report notebook", str(notebook), "an existing notebook"))
    issues += outfolder.problems(out, KIND, probe=not issues)  # the one rule of an output folder
    if issues:
        raise InputError(issues, context="results whats-new")
    with outfolder.writing(out, KIND) as draft:
        return _render(args, out, draft, notebook, year, draws)


def _render(args, out: Path, draft: outfolder.Draft, notebook: Path, year: int | None, draws: int) -> int:
    from ..engine import data
    from ..reports import provenance, whatsnew
    from ..reports.i18n import say
    from ..runs import render
    from ..runs.html_export import to_html
    from ..runs.notebook_run import NotebookFailed, execute

    tmp = draft.path
    started, t0 = render.now_iso(), time.perf_counter()
    params = {"focal": args.focal, "label": args.label or "", "year": year, "draws": int(draws), "lang": args.lang}
    manifest = {
        "kind": KIND,
        "format": render.MANIFEST_FORMAT,
        "parameters": params,
        "notebook": str(notebook),
        "notebook_sha256": provenance.file_sha256(notebook),
        "data_file_hashes": dict(data.load().file_hashes),
        "simlib_code_sha256": provenance.code_sha256(),
        "packages": provenance.package_versions(),
        "started": started,
    }
    status, error = "ok", None
    try:
        try:
            execute(notebook, tmp / "report.ipynb", params, tmp)
        except NotebookFailed as exc:
            status, error = "failed", exc.error
        if (tmp / "report.ipynb").is_file():
            news_year = year or whatsnew.newest_year()
            title = say("whatsnew.title", args.lang, year=news_year)
            atomic.write_text(tmp / "report.html", to_html(tmp / "report.ipynb", title, args.lang))
        if status == "ok":
            news = whatsnew.build(args.focal, args.label or None, year, draws)
            manifest["leader_files"] = whatsnew.write_onepager(news, tmp, args.lang)
        manifest.update(
            ended=render.now_iso(), duration_s=round(time.perf_counter() - t0, 3), status=status, error=error
        )
        draft.publish(manifest, ours=render.REPORT_FILES + render.LEADER_FILES)  # kept: what the user added
    finally:
        from ..reports import pdfprint

        pdfprint.close()
    if status != "ok":
        print(
            f"error: the report failed: {error.get('ename')}: {error.get('evalue')}\n"
            f"  details: {out / 'manifest.json'}, executed notebook: {out / 'report.ipynb'}",
            file=sys.stderr,
        )
        return 1
    print(f"report: {out / 'report.html'}  one-pager: {out / 'onepager.pdf'}  ({manifest['duration_s']:.1f} s)")
    return 0


def register_whatsnew(sub) -> None:
    p = sub.add_parser("whats-new", help="the “what's new” report: the new results against the frozen forecast")
    p.add_argument(
        "--out", required=True, help="report directory (created, or replaced if an earlier what's-new report)"
    )
    p.add_argument(
        "--label", help="the frozen forecast to set against the results (default: the latest frozen before them)"
    )
    p.add_argument("--focal", default="ha-noi", help="the unit the report is about (default ha-noi)")
    p.add_argument("--year", dest="report_year", help="the year of the results (default: the newest published)")
    p.add_argument("--draws", help="Monte-Carlo draws of the projection from the new data (default 1000)")
    p.add_argument("--lang", default="vi", help="vi (default) or en")
    p.set_defaults(func=cmd_whatsnew)
