"""The words of frozen forecasts: what was frozen, the registry's table, and the verdict a leader
reads once the results are out ("our frozen 2025 forecast put Hà Nội 3rd, 1–11; the result was …")."""

from __future__ import annotations

from ..analysis import forecasts
from ..engine import data
from .i18n import say
from .newresults import ordinal
from .numbers import num, pct
from .text import date_text, unit_name

MIN_UNITS = 10  # fewer published units and the verdict says the figures are too few to conclude


def frozen_lines(frozen, path, lang: str = "vi") -> list[str]:
    """What ``forecast freeze`` stored: the label, its years and provenance, the focal unit's headline."""
    m = frozen.meta
    years = frozen.years()
    units = len({r["unit_slug"] for r in frozen.rows if r["year"] == years[-1]})
    lines = [
        say(
            "forecast.frozen",
            lang,
            label=frozen.label,
            units=units,
            years=len(years),
            first=years[0],
            last=years[-1],
            base=m["baseline_year"],
            draws=m["draws"],
            seed=m["seed"],
            fingerprint=m["data_fingerprint"],
            version=m["simlib_version"],
        )
    ]
    target = m["scenario"].get("target_year", years[0])
    for year in dict.fromkeys((years[0], target)):
        row = next((r for r in frozen.rows if r["index"] == "PAR" and r["year"] == year and r["focal"]), None)
        if row is not None:
            lines.append(
                say(
                    "forecast.focal_line",
                    lang,
                    unit=unit_name(row["unit_slug"]),
                    year=year,
                    rank=ordinal(row["rank_p50"], lang),
                    lo=row["rank_p05"],
                    hi=row["rank_p95"],
                    n=row["n_units"],
                    p3=pct(row["p_top3"], lang),
                )
            )
    lines.append(say("forecast.stored", lang, path=str(path)))
    return lines


LIST_COLUMNS = ("label", "frozen_at", "baseline", "years", "focal", "scenario", "draws", "published", "fingerprint")


def list_rows(lang: str = "vi") -> list[dict]:
    """One row per frozen forecast in the user folder: when, from which data, which years are now published."""
    ds = data.load()
    out = []
    for m in forecasts.labels():
        first, last = int(m["baseline_year"]) + 1, int(m["horizon"])
        published = [y for y in range(first, last + 1) if any((ix, y) in ds.results for ix in data.INDICES)]
        out.append(
            {
                "label": m["label"],
                "frozen_at": frozen_on(m, lang),
                "baseline": m["baseline_year"],
                "years": f"{first}–{last}",
                "focal": unit_name(m["focal"]),
                "scenario": str(m.get("scenario", {}).get("name", ""))[:40],
                "draws": m["draws"],
                "published": ", ".join(map(str, published)),
                "fingerprint": m["data_fingerprint"],
            }
        )
    return out


def list_headers(lang: str = "vi") -> dict[str, str]:
    return {c: say(f"forecast.col_{c}", lang) for c in LIST_COLUMNS}


def _where(lo: int, hi: int, actual: int, lang: str) -> str:
    if lo <= actual <= hi:
        return say("forecast.inside", lang)
    return say("forecast.outside_better" if actual < lo else "forecast.outside_worse", lang)


def frozen_on(meta: dict, lang: str = "vi") -> str:
    """The day a forecast was frozen, as the reader writes dates."""
    import datetime as dt

    try:
        return date_text(dt.date.fromisoformat(str(meta.get("frozen_at", ""))[:10]), lang)
    except ValueError:
        return "?"


def verdict_lines(scoring, lang: str = "vi", brief: bool = False) -> list[str]:
    """The plain-language verdict of a scored frozen forecast, per index and published year: where it put
    the focal unit and where it landed, how often its bands held, and whether it beat the naive forecast
    (``brief``: without the Brier score, for the one-pager)."""
    frozen = scoring.frozen
    m = frozen.meta
    years = scoring.published_years()
    if not years:
        span = frozen.years()
        return [say("forecast.nothing_published", lang, label=frozen.label, years=f"{span[0]}–{span[-1]}")]
    lines = []
    for year in years:
        for index in data.INDICES:
            model = scoring.row(index, year, "model")
            if model is None:
                continue
            focal = next(
                (o for o in scoring.outcomes if o.index == index and o.year == year and o.forecast["focal"]), None
            )
            focal_row = next((r for r in frozen.rows if r["index"] == index and r["year"] == year and r["focal"]), None)
            if focal is not None and focal.rank is not None:
                f = focal.forecast
                lines.append(
                    say(
                        "forecast.verdict_focal",
                        lang,
                        label=frozen.label,
                        date=frozen_on(m, lang),
                        base=m["baseline_year"],
                        unit=unit_name(f["unit_slug"]),
                        rank=ordinal(f["rank_p50"], lang),
                        lo=f["rank_p05"],
                        hi=f["rank_p95"],
                        index=index,
                        year=year,
                        actual=ordinal(focal.rank, lang),
                        where=_where(f["rank_p05"], f["rank_p95"], focal.rank, lang),
                    )
                )
            elif focal_row is not None:
                lines.append(
                    say(
                        "forecast.verdict_focal_missing",
                        lang,
                        unit=unit_name(focal_row["unit_slug"]),
                        index=index,
                        year=year,
                    )
                )
            if frozen.hindcast(index, year):
                lines.append(say("forecast.hindcast", lang, index=index, year=year))
            persistence = scoring.row(index, year, "persistence") or {}
            naive = scoring.row(index, year, "naive") or {}
            n = max(model["n_scores"], model["n_ranks"])
            lines.append(
                say(
                    "forecast.verdict_field",
                    lang,
                    n=n,
                    k=round((model["coverage_90"] or 0) * model["n_scores"]),
                    share=pct(model["coverage_90"], lang),
                    kr=round((model["rank_coverage_90"] or 0) * model["n_ranks"]),
                    share_r=pct(model["rank_coverage_90"], lang),
                    mae=num(model["rank_mae"], 1, lang),
                    pmae=num(persistence.get("rank_mae"), 1, lang),
                )
            )
            if model["crps"] is not None and naive.get("crps") is not None:
                lines.append(
                    say(
                        "forecast.verdict_crps",
                        lang,
                        model=num(model["crps"], 2, lang),
                        naive=num(naive["crps"], 2, lang),
                        verdict=say("forecast.beats" if model["crps"] < naive["crps"] else "forecast.not_beats", lang),
                    )
                )
            if model["brier_top3"] is not None and not brief:
                lines.append(
                    say(
                        "forecast.verdict_brier",
                        lang,
                        model=num(model["brier_top3"], 3, lang),
                        naive=num(naive.get("brier_top3"), 3, lang),
                        persistence=num(persistence.get("brier_top3"), 3, lang),
                    )
                )
            if n < MIN_UNITS:
                lines.append(say("forecast.few_cases", lang, n=n))
    return lines
