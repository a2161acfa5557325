"""How good the model has been, in words: verdicts per index and horizon, and one line for leaders.

Numbers come from ``simlib.analysis.harness`` (run there, or read from its stored summary);
every word from ``i18n.EVALUATION``.
"""

from __future__ import annotations

from ..analysis import harness, summary_file
from .i18n import say
from .text import num, pct

MIN_CASES = 5  # fewer scored cases than this and no verdict is given
BAND_TARGET = (0.85, 0.95)  # the 90% band should hold 85–95% of published results


def _row(rows, index, horizon, method, cases="all"):
    """The pooled row of ``index`` × ``horizon`` × ``method`` for ``cases`` (a summary without the
    ``cases`` column holds ``all`` rows only)."""
    return next(
        (
            r
            for r in rows
            if (r["index"], r["horizon"], r["method"], r["year"], r.get("cases", "all"))
            == (index, horizon, method, "pooled", cases)
        ),
        None,
    )


def verdict(rows: list[dict], index: str, horizon: int, lang: str = "vi") -> str | None:
    """One sentence: does the model beat the naive forecast ``horizon`` years ahead, and are its bands right?"""
    model, naive = _row(rows, index, horizon, "model"), _row(rows, index, horizon, "naive")
    persist = _row(rows, index, horizon, "rank_persistence")
    if model is None:
        return None
    head = say("evaluation.horizon", lang, index=say(f"evaluation.index_{index}", lang), horizon=horizon)
    if not model["n_scores"] or model["n_scores"] < MIN_CASES or naive is None:
        return f"{head}: {say('evaluation.few', lang, n=model['n_scores'])}."
    beats = "beats" if model["crps"] < naive["crps"] else "loses"
    parts = [
        say(f"evaluation.{beats}", lang, model=num(model["crps"], 2, lang), naive=num(naive["crps"], 2, lang)),
        band_clause(model, lang),
    ]
    spread = _row(rows, index, horizon, harness.PERSISTENCE_SPREAD)
    if model["n_ranks"] and persist is not None:
        numbers = {
            "cover": pct(model["rank_coverage_90"], lang),
            "model": num(model["rank_crps"], 1, lang),
            "persist": num(persist["rank_crps"], 1, lang),
            "median": num(model["rank_mae"], 1, lang),
        }
        if spread is not None and spread["n_ranks"]:  # the fair baseline for a CRPS: persistence with a spread
            parts.append(say("evaluation.rank_band", lang, **numbers) + calibrated_clause(model, "rank_", lang))
            parts.append(say("evaluation.rank_scores", lang, spread=num(spread["rank_crps"], 1, lang), **numbers))
        else:  # a summary stored before it
            parts.append(say("evaluation.ranks", lang, **numbers) + calibrated_clause(model, "rank_", lang))
    return f"{head}: " + "; ".join(parts) + "."


def band_clause(row: dict, lang: str) -> str:
    """What the 90% band of the scores did, judged once: against the range a model with right bands
    would hold on these same cases (few, and moving together), where the row has it; else against the
    85–95% target, compared as the reader sees the share (whole %), so 85% is never "below 85–95%"."""
    cover, n = row["coverage_90"], row["n_scores"]
    bounds = calibrated_range(row)
    if bounds is not None:
        lo, hi = bounds
        where = "band_in" if lo - 1e-9 <= cover <= hi + 1e-9 else ("band_below" if cover < lo else "band_above")
        return say(f"evaluation.{where}", lang, cover=pct(cover, lang), n=n, lo=pct(lo, lang), hi=pct(hi, lang))
    shown = round(100 * cover)
    lo, hi = (round(100 * b) for b in BAND_TARGET)
    band = "band_ok" if lo <= shown <= hi else ("band_narrow" if shown < lo else "band_wide")
    return say(f"evaluation.{band}", lang, cover=pct(cover, lang), n=n)


def calibrated_range(row: dict, prefix: str = "", level: int = 90) -> tuple[float, float] | None:
    """The range of ``prefix`` (``""`` scores, ``"rank_"`` ranks) ``level``% band coverage a calibrated
    model would show on the row's cases (see ``harness``); None where the row has none (a point
    forecast, or a summary stored before the range existed)."""
    lo, hi = (row.get(f"{prefix}coverage_{level}_calibrated_{end}") for end in ("lo", "hi"))
    return None if lo is None or hi is None else (lo, hi)


def calibrated_clause(row: dict, prefix: str, lang: str) -> str:
    """The clause after a 90% band's coverage: what a model with right bands would hold on the row's
    cases and whether the coverage is inside that (" (a model whose bands were right would hold
    between 77% and 98% of these same cases, …: consistent with right bands)"); "" without a range."""
    bounds = calibrated_range(row, prefix)
    if bounds is None:
        return ""
    lo, hi = bounds
    held = row[f"{prefix}coverage_90"]
    fit = "calibrated_in" if lo - 1e-9 <= held <= hi + 1e-9 else "calibrated_out"
    return " (" + say(f"evaluation.{fit}", lang, lo=pct(lo, lang), hi=pct(hi, lang)) + ")"


def origin_verdict(rows: list[dict], index: str, horizon: int, lang: str = "vi") -> str | None:
    """One sentence: the model's 90% band coverage ``horizon`` years ahead, for provinces published at
    the origin beside those reconstructed there (scores, and ranks where published); None without subsets."""
    pub, rec = (_row(rows, index, horizon, "model", c) for c in harness.CASES[1:])
    if pub is None or rec is None:
        return None
    head = say("evaluation.horizon", lang, index=say(f"evaluation.index_{index}", lang), horizon=horizon)
    parts = []
    for kind, n, share in (("scores", "n_scores", "coverage_90"), ("ranks", "n_ranks", "rank_coverage_90")):
        if pub[n] and rec[n]:
            parts.append(
                say(
                    f"evaluation.by_origin_{kind}",
                    lang,
                    published=pct(pub[share], lang),
                    n_published=pub[n],
                    reconstructed=pct(rec[share], lang),
                    n_reconstructed=rec[n],
                )
            )
    return f"{head}, {say('evaluation.by_origin', lang)}: " + "; ".join(parts) + "." if parts else None


QUOTED_RECONSTRUCTION = harness.RECONSTRUCTIONS[1]  # province-year out: the most honest of the three


def reconstruction_verdict(rows: list[dict], index: str, lang: str = "vi") -> str | None:
    """One sentence on the reconstruction, cross-validated province-year out (a province's whole year
    hidden, both indices: the cross-validation closest to the values users meet), by where the hidden
    rank stood, and one value out's rank error beside it; a summary stored before province-year out
    gives one value out's alone."""
    method = QUOTED_RECONSTRUCTION if _row(rows, index, 0, QUOTED_RECONSTRUCTION) else harness.RECONSTRUCTIONS[0]
    r = _row(rows, index, 0, method)
    if r is None or not r["n_ranks"]:
        return None
    line = say(
        f"evaluation.{method}",
        lang,
        index=say(f"evaluation.index_{index}", lang),
        mae=num(r["mae"], 2, lang),
        rank_mae=num(r["rank_mae"], 1, lang),
        cover=pct(r["rank_coverage_90"], lang),
    ) + calibrated_clause(r, "rank_", lang)
    top, middle, bottom = (_row(rows, index, 0, method, c) for c in harness.STOOD)
    if top and middle and bottom and top["n_ranks"] and middle["n_ranks"] and bottom["n_ranks"]:
        line += "; " + say(
            "evaluation.reconstruction_by_stood",
            lang,
            places=harness.EXTREME_PLACES,
            middle=pct(middle["rank_coverage_90"], lang),
            n_middle=middle["n_ranks"],
            top=pct(top["rank_coverage_90"], lang),
            n_top=top["n_ranks"],
            bottom=pct(bottom["rank_coverage_90"], lang),
            n_bottom=bottom["n_ranks"],
        )
    one = _row(rows, index, 0, harness.RECONSTRUCTIONS[0])
    if method != harness.RECONSTRUCTIONS[0] and one is not None and one["n_ranks"]:
        line += "; " + say("evaluation.reconstruction_one_value", lang, rank_mae=num(one["rank_mae"], 1, lang))
    return line + "."


def verdict_lines(rows: list[dict], indices=("PAR", "SIPAS"), lang: str = "vi") -> list[str]:
    """Every verdict of the table: per index, each horizon (then its coverage by what was published at
    the origin), then the reconstruction."""
    out = []
    for index in indices:
        for h in harness.HORIZONS:
            out += [v for v in (verdict(rows, index, h, lang), origin_verdict(rows, index, h, lang)) if v]
        if v := reconstruction_verdict(rows, index, lang):
            out.append(v)
    return out


def published_at_latest_origin(unit: str, index: str) -> bool:
    """Was ``unit``'s ``index`` score published in the newest published year, where every forecast starts
    (``scenario.default_baseline_year``: 2024 with the shipped data, a newer year once it is added)?

    ``unit`` is a 2025 unit (before 2025, every province merged into it must have been published) or a
    pre-2025 province."""
    from ..engine import data, history
    from ..engine.scenario import default_baseline_year

    origin = default_baseline_year()
    published = history.published_scores(index, origin)
    members = [unit] if origin >= data.MERGER_YEAR else (data.load().members(unit) or [unit])
    return all(m in published for m in members)


def _origin_clause(rows: list[dict], index: str, horizon: int, lang: str) -> str | None:
    """How the 90% band did ``horizon`` years ahead for provinces published at the origin, beside those
    that were not, and how far the published ones' median rank missed beside keeping last year's rank."""
    pub, rec = (_row(rows, index, horizon, "model", c) for c in harness.CASES[1:])
    persist = _row(rows, index, horizon, "rank_persistence", harness.CASES[1])
    if pub is None or rec is None or min(pub["n_scores"], rec["n_scores"]) < MIN_CASES:
        return None
    line = say(
        "evaluation.track_record_published",
        lang,
        published=_times_in_ten(pub["coverage_90"], lang),
        reconstructed=_times_in_ten(rec["coverage_90"], lang),
    )
    if pub["n_ranks"] and persist is not None and persist["n_ranks"]:
        line = line[:-1] + say(
            "evaluation.track_record_published_ranks",
            lang,
            rank=num(pub["rank_mae"], 1, lang),
            persist=num(persist["rank_mae"], 1, lang),
        )
    return line


def _times_in_ten(share: float, lang: str) -> str:
    """A share in words a leader reads at a glance: "about 9 times in 10" (rounded to tenths)."""
    return say("evaluation.times_in_ten", lang, tenths=round(share * 10))


def horizon_of(years_ahead: int | None) -> int:
    """The horizon of the track record for a reader looking ``years_ahead`` years beyond the last
    published year: 1, 2 or 3 (3 stands for 3 or more: the longest the backtests reach); 1 without one."""
    return min(max(int(years_ahead or 1), 1), max(harness.HORIZONS))


def _ahead(horizon: int, asked: int, years_ahead: int | None, lang: str) -> str:
    """The horizon quoted, in words: "2 years ahead", "3 or more years ahead (tested 3 years ahead)",
    or where the index's backtests stop short of the reader's horizon, the longest one tested."""
    if horizon < asked:
        return say("evaluation.ahead_longest", lang, asked=asked, n=horizon)
    if (years_ahead or 1) > horizon:
        return say("evaluation.ahead_more", lang, n=horizon)
    return say("evaluation.ahead_1" if horizon == 1 else "evaluation.ahead_n", lang, n=horizon)


def track_record(
    lang: str = "vi",
    index: str = "PAR",
    rows: list[dict] | None = None,
    check_current: bool = False,
    unit: str | None = None,
    years_ahead: int | None = None,
) -> str:
    """The one line for leaders, from the stored summary (or ``rows``), at the horizon the reader is
    looking at (``years_ahead`` of the last published year: 1, 2, or 3 and more, ``horizon_of``; 1
    when not given): how often the 90% band held the real result, the typical score error beside
    last year's result plus the national trend, and the rank error beside keeping last year's rank;
    then plainly whether the model's median rank did better than last year's rank.

    With a focal ``unit`` whose score was published at the latest origin (the last year of the
    history), the line also says how the band and the median rank did for provinces published the
    year before the forecast year (the summary's ``published_at_origin`` rows, beside
    ``reconstructed_at_origin``): those are the cases that apply to the unit, and the verdict on the
    rank is theirs.

    ``check_current`` recomputes the summary's fingerprint and says so when it is stale (slower)."""
    if rows is None:
        stored = summary_file.stored_summary()
        if stored is None:
            return say("evaluation.track_record_missing", lang)
        rows, stamp = stored
        if check_current and stamp != summary_file.fingerprint():
            return say("evaluation.stale", lang)
    asked = horizon_of(years_ahead)
    tested = [h for h in harness.HORIZONS if h <= asked and (m := _row(rows, index, h, "model")) and m["n_scores"]]
    if not tested:
        return say("evaluation.track_record_missing", lang)
    h = tested[-1]
    model, naive, persist = (_row(rows, index, h, m) for m in ("model", "naive", "rank_persistence"))
    if naive is None or persist is None or not model["n_ranks"]:
        return say("evaluation.track_record_missing", lang)
    line = say(
        "evaluation.track_record",
        lang,
        ahead=_ahead(h, asked, years_ahead, lang),
        tenths=round(model["coverage_90"] * 10),
        index=say(f"evaluation.index_{index}", lang),
        model=num(model["mae"], 1, lang),
        naive=num(naive["mae"], 1, lang),
        rank=num(model["rank_mae"], 1, lang),
        persist=num(persist["rank_mae"], 1, lang),
    )
    cases = "all"
    if (
        unit is not None
        and published_at_latest_origin(unit, index)
        and (clause := _origin_clause(rows, index, h, lang))
    ):
        line, cases = f"{line} {clause}", harness.CASES[1]
    return f"{line} {say(_rank_verdict(rows, index, h, cases), lang)}"


def track_record_for(scenario, lang: str = "vi", index: str = "PAR") -> str:
    """The one line for a scenario's reader: for its focal unit, at the distance of its headline year
    (``target_year``) from its last published year (``baseline_year``)."""
    return track_record(lang, index, unit=scenario.focal, years_ahead=scenario.target_year - scenario.baseline_year)


def _rank_verdict(rows: list[dict], index: str, horizon: int, cases: str) -> str:
    """The words' key saying whether the model's median rank missed by less than keeping last year's rank."""
    model, persist = (_row(rows, index, horizon, m, cases) for m in ("model", "rank_persistence"))
    better = model and persist and model["n_ranks"] and model["rank_mae"] < persist["rank_mae"]
    return "evaluation.rank_better" if better else "evaluation.rank_no_better"


def stored_rows() -> list[dict]:
    """The stored summary's rows ([] when none is stored)."""
    stored = summary_file.stored_summary()
    return stored[0] if stored else []


TABLE_COLUMNS = (
    "index",
    "horizon",
    "method",
    "n_scores",
    "crps",
    "mae",
    "coverage_50",
    "coverage_90",
    "coverage_90_calibrated",
    "interval_score_90",
    "n_ranks",
    "rank_crps",
    "rank_mae",
    "rank_coverage_90",
    "rank_coverage_90_calibrated",
)


# ``simlib evaluate``'s two tables under its verdicts, each a screen wide: scores, then ranks
SCORE_COLUMNS = ("index", "horizon", "method", "n_scores", "crps", "coverage_90", "coverage_90_calibrated")
RANK_COLUMNS = ("index", "horizon", "method", "n_ranks", "rank_crps", "rank_coverage_90", "rank_coverage_90_calibrated")


def compact_tables(rows: list[dict], lang: str = "vi") -> list:
    """The pooled rows as two short tables (DataFrames): the scores' (methods that forecast a score)
    and the ranks' (methods that forecast a rank)."""
    pooled = [r for r in rows if r["year"] == "pooled" and r.get("cases", "all") == "all"]
    return [
        table([r for r in pooled if r.get(count)], lang, columns, short=True)
        for count, columns in (("n_scores", SCORE_COLUMNS), ("n_ranks", RANK_COLUMNS))
    ]


def table(
    rows: list[dict] | None = None, lang: str = "vi", columns: tuple[str, ...] = TABLE_COLUMNS, short: bool = False
):
    """The pooled rows of the evaluation as a DataFrame with translated headers and words
    (shares in %, scores with two decimals); ``columns`` of ``TABLE_COLUMNS``; ``short``: the methods'
    short names (the tables under ``simlib evaluate``'s verdicts)."""
    import pandas as pd

    rows = stored_rows() if rows is None else rows
    out = []
    for r in rows:
        if r["year"] != "pooled" or r.get("cases", "all") != "all":
            continue
        cells = []
        for c in columns:
            if c.endswith("_calibrated"):  # "77–98%": the range a calibrated model would show
                bounds = calibrated_range(r, "rank_" if c.startswith("rank_") else "")
                cells.append("" if bounds is None else f"{pct(bounds[0], lang)}–{pct(bounds[1], lang)}")
                continue
            v = r[c]
            if c == "index":
                v = say(f"evaluation.index_{v}", lang)
            elif c == "method":
                v = say(f"evaluation.method_{'short_' if short else ''}{v}", lang)
            elif c == "horizon" and v == 0:  # the cross-validated reconstruction looks at no year ahead
                v = "—"
            elif c.startswith(("coverage", "rank_coverage")):
                v = "" if v is None else pct(v, lang)
            elif isinstance(v, float):
                v = num(v, 2, lang)
            cells.append("" if v is None else v)
        out.append(cells)
    headers = [
        say(f"evaluation.col_{'short_' if short and f'col_short_{c}' in SHORT_HEADERS else ''}{c}", lang)
        for c in columns
    ]
    return pd.DataFrame(out, columns=headers, dtype=object)


# columns with a shorter header in the tables under ``simlib evaluate``'s verdicts
SHORT_HEADERS = frozenset(
    f"col_short_{c}"
    for c in ("horizon", "n_scores", "n_ranks", "rank_crps", "rank_coverage_90", "rank_coverage_90_calibrated")
)


def changes_table(lang: str = "vi"):
    """The model changes judged by the harness (``data/model_changes.csv``): kept or dropped, with numbers."""
    import pandas as pd

    from ..engine import data

    cols = ("change", "kept", "measure", "before", "after", "source")
    out = [
        [
            r["note_vi" if lang == "vi" else "note_en"],
            say(f"evaluation.{r['kept']}", lang),
            r["measure_vi" if lang == "vi" else "measure"],
            r.get("before") or "",
            r["after"],
            r["source"],
        ]
        for r in data.load().model_changes
    ]
    return pd.DataFrame(out, columns=[say(f"evaluation.col_{c}", lang) for c in cols], dtype=object)
