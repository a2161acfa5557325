"""How good the model has been, in words: verdicts per index and horizon, and one line for leaders.

Numbers come from ``simlib.analysis.harness`` (run there, or read from its stored summary);
every word from ``i18n.EVALUATION``.
"""

from __future__ import annotations

from ..analysis import harness
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
    if model["n_ranks"] and persist is not None:
        parts.append(
            say(
                "evaluation.ranks",
                lang,
                cover=pct(model["rank_coverage_90"], lang),
                model=num(model["rank_crps"], 1, lang),
                persist=num(persist["rank_crps"], 1, lang),
                median=num(model["rank_mae"], 1, lang),
            )
            + calibrated_clause(model, "rank_", lang)
        )
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


def reconstruction_verdict(rows: list[dict], index: str, lang: str = "vi") -> str | None:
    r = _row(rows, index, 0, "reconstruction")
    if r is None or not r["n_ranks"]:
        return None
    line = say(
        "evaluation.reconstruction",
        lang,
        index=say(f"evaluation.index_{index}", lang),
        mae=num(r["mae"], 2, lang),
        rank_mae=num(r["rank_mae"], 1, lang),
        cover=pct(r["rank_coverage_90"], lang),
    ) + calibrated_clause(r, "rank_", lang)
    top, middle, bottom = (_row(rows, index, 0, "reconstruction", c) for c in harness.STOOD)
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
    """Was ``unit``'s ``index`` score published in the last year of the history, where every forecast starts?

    ``unit`` is a 2025 unit (every province merged into it must have been published) or a
    pre-2025 province."""
    from ..engine import data, history

    published = history.published_scores(index, history.HISTORY_END)
    members = data.load().members(unit) or [unit]
    return all(m in published for m in members)


def _origin_clause(rows: list[dict], index: str, lang: str) -> str | None:
    """How the 90% band did 1 year ahead for provinces published at the origin, beside those that were not."""
    pub, rec = (_row(rows, index, 1, "model", c) for c in harness.CASES[1:])
    if pub is None or rec is None or min(pub["n_scores"], rec["n_scores"]) < MIN_CASES:
        return None
    return say(
        "evaluation.track_record_published",
        lang,
        published=_times_in_ten(pub["coverage_90"], lang),
        reconstructed=_times_in_ten(rec["coverage_90"], lang),
    )


def _times_in_ten(share: float, lang: str) -> str:
    """A share in words a leader reads at a glance: "about 9 times in 10" (rounded to tenths)."""
    return say("evaluation.times_in_ten", lang, tenths=round(share * 10))


def track_record(
    lang: str = "vi",
    index: str = "PAR",
    rows: list[dict] | None = None,
    check_current: bool = False,
    unit: str | None = None,
) -> str:
    """The one line for leaders, from the stored summary (or ``rows``): how often the 90% band held
    the real result 1 year ahead, and the typical error beside carrying last year forward.

    With a focal ``unit`` whose score was published at the latest origin (the last year of the
    history), the line also says how the band did for provinces published the year before the
    forecast year, beside those that were not (the summary's ``published_at_origin`` and
    ``reconstructed_at_origin`` rows): that is the coverage that applies to the unit.

    ``check_current`` recomputes the summary's fingerprint and says so when it is stale (slower)."""
    if rows is None:
        stored = harness.stored_summary()
        if stored is None:
            return say("evaluation.track_record_missing", lang)
        rows, stamp = stored
        if check_current and stamp != harness.fingerprint():
            return say("evaluation.stale", lang)
    model, naive = _row(rows, index, 1, "model"), _row(rows, index, 1, "naive")
    if model is None or naive is None or not model["n_scores"]:
        return say("evaluation.track_record_missing", lang)
    line = say(
        "evaluation.track_record",
        lang,
        tenths=round(model["coverage_90"] * 10),
        index=say(f"evaluation.index_{index}", lang),
        model=num(model["mae"], 1, lang),
        naive=num(naive["mae"], 1, lang),
    )
    if unit is not None and published_at_latest_origin(unit, index) and (clause := _origin_clause(rows, index, lang)):
        line = f"{line} {clause}"
    return line


def stored_rows() -> list[dict]:
    """The stored summary's rows ([] when none is stored)."""
    stored = harness.stored_summary()
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
        table([r for r in pooled if r.get(count)], lang, columns)
        for count, columns in (("n_scores", SCORE_COLUMNS), ("n_ranks", RANK_COLUMNS))
    ]


def table(rows: list[dict] | None = None, lang: str = "vi", columns: tuple[str, ...] = TABLE_COLUMNS):
    """The pooled rows of the evaluation as a DataFrame with translated headers and words
    (shares in %, scores with two decimals); ``columns`` of ``TABLE_COLUMNS``."""
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
                v = say(f"evaluation.method_{v}", lang)
            elif c == "horizon" and v == 0:  # the cross-validated reconstruction looks at no year ahead
                v = "—"
            elif c.startswith(("coverage", "rank_coverage")):
                v = "" if v is None else pct(v, lang)
            elif isinstance(v, float):
                v = num(v, 2, lang)
            cells.append("" if v is None else v)
        out.append(cells)
    return pd.DataFrame(out, columns=[say(f"evaluation.col_{c}", lang) for c in columns], dtype=object)


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
