"""Report tables: pandas DataFrames with headers in the chosen language and cells ready to read.

Cells are formatted text (numbers rounded, Vietnamese decimal commas, shares in %,
probabilities in whole %), so a table prints the same in a notebook, in HTML and in
a spreadsheet. The numbers themselves come from Result, params, levers, data,
history and field; nothing is computed here that those modules do not say.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..analysis import compare, fees
from ..engine import data, field, history, levers, params
from ..engine import outcomes as outcomes_mod
from ..engine.stats import band
from .i18n import clash_text, known, param_unit, say
from .numbers import fmt
from .text import (
    check_lang,
    fee_text,
    history_slug,
    lever_label,
    num,
    pct,
    rank_band,
    rank_text,
    share_pct,
    signed,
    vi_sort_key,
)

if TYPE_CHECKING:
    from ..engine.scenario import Scenario


def _frame(rows: list[dict], columns: list[str], lang: str) -> pd.DataFrame:
    """Rows keyed by label keys → DataFrame with translated headers, in ``columns`` order."""
    check_lang(lang)
    return pd.DataFrame(
        [[r.get(c, "") for c in columns] for r in rows],
        columns=[say(c, lang) if known(c) else c for c in columns],
        dtype=object,
    )


def _median_band(x: np.ndarray, digits: int, lang: str, suffix: str = "") -> str:
    lo, mid, hi = band(x)
    return f"{num(mid, digits, lang)}{suffix} ({num(lo, digits, lang)}–{num(hi, digits, lang)}{suffix})"


def _rank_median_band(x: np.ndarray, lang: str) -> str:
    lo, mid, hi = band(x, whole=True)
    return f"{rank_text(mid, lang)} ({rank_band(lo, hi, lang)})"


def _chance(p: float, draws: int, lang: str, margin: bool = True) -> str:
    """A probability in % and in plain words: '56% · in 558 of 1,000 simulated futures (…margin…)'."""
    from .plainwords import futures

    return f"{pct(p, lang)} · {futures(p, draws, lang, margin)}"


def _rank_difference(lo: float, mid: float, hi: float, lang: str) -> str:
    """A paired rank difference (after − before) in places: 'up 2 places (5–95%: down 1 place – up 5 places)'."""
    from .plainwords import places_moved

    return f"{places_moved(mid, lang)} (5–95%: {places_moved(hi, lang)} – {places_moved(lo, lang)})"


# ---------------------------------------------------------------- one scenario


def headline(result, lang: str = "vi", year: int | None = None) -> pd.DataFrame:
    """The scenario's headline in ``year`` (default: target year): medians with 5–95% bands,
    probabilities of the targets in %, and the fee forgone (mean and band, bn VND per year)."""
    check_lang(lang)
    year = int(year or result.scenario.target_year)
    k = compare.year_index(result, year)
    a, n = result.arrays, int(result.n_units[k])
    band_word = "5–95%"

    def medband(x, digits, suffix=""):
        lo, mid, hi = band(x)
        return (
            f"{say('median', lang).lower()} {num(mid, digits, lang)}{suffix} "
            f"({band_word}: {num(lo, digits, lang)}–{num(hi, digits, lang)}{suffix})"
        )

    def rankband(x):
        lo, mid, hi = band(x, whole=True)
        return f"{say('median', lang).lower()} {rank_text(mid, lang)} ({band_word}: {rank_band(lo, hi, lang)})"

    fee = fees.fee_cost(a["fee_forgone_bn_vnd"][:, k])
    rows = [
        (say("sipas_pct", lang), medband(a["sipas_pct"][:, k], 1, "%")),
        (say("par_score", lang), medband(a["par_score"][:, k], 1)),
        (say("rank_of", lang, index=say("par_name", lang), n=n), rankband(a["par_rank"][:, k])),
        (say("rank_of", lang, index=say("sipas_name", lang), n=n), rankband(a["sipas_rank"][:, k])),
        (say("p_par_top3", lang), _chance(result.probability("p_par_top3")[k], result.draws, lang)),
        (say("p_par_top10", lang), _chance(result.probability("p_par_top10")[k], result.draws, lang)),
        (say("p_sipas_ge_86", lang), _chance(result.probability("p_sipas_ge_86")[k], result.draws, lang)),
        (say("fee_forgone_bn_vnd", lang), fee_text(fee, lang)),
    ]
    return pd.DataFrame(rows, columns=[say("indicator", lang), f"{say('value', lang)} {year}"], dtype=object)


def lever_plan(scenario: Scenario, lang: str = "vi") -> pd.DataFrame:
    """Each lever: current value → target by year, and its value in every projected year (%)."""
    check_lang(lang)
    paths = scenario.lever_paths()
    current = scenario.current()
    years = [int(y) for y in scenario.years]
    rows = []
    for j, name in enumerate(levers.names()):
        plan = scenario.levers.get(name)
        if plan is None:
            target, by = "—", "—"
        elif plan.path:
            target, by = share_pct(plan.path[-1][1], lang, 0), str(plan.path[-1][0])
        else:
            target, by = share_pct(plan.target, lang, 0), str(plan.year)
        row = {
            "lever": lever_label(name, lang),
            "current_pct": f"{share_pct(current[name].value, lang)} ({current[name].year})",
            "target_pct": target,
            "by_year": by,
        }
        row.update({str(y): share_pct(paths[k, j], lang, 0) for k, y in enumerate(years)})
        rows.append(row)
    frame = _frame(rows, ["lever", "current_pct", "target_pct", "by_year", *map(str, years)], lang)
    return frame.rename(columns={str(y): say("path_pct", lang, year=y) for y in years})


def _shown(x: np.ndarray, o, lang: str) -> tuple[float, int, str]:
    """(the value as shown, its decimals, the cell) of one outcome's draws by its declared statistic:
    the median with its 5–95% band (a rank in whole ranks), or — for the fee — the mean and band."""
    lo, mid, hi = band(x, whole=o.whole)
    if "mean" in o.table:
        mid = float(np.mean(x))
    if o.whole:
        digits = 0 if abs(mid - round(mid)) < 1e-9 else 1
        return round(float(mid), digits), digits, f"{rank_text(mid, lang)} ({rank_band(lo, hi, lang)})"
    cell = f"{num(mid, o.digits, lang)} ({num(lo, o.digits, lang)}–{num(hi, o.digits, lang)})"
    return round(float(mid), o.digits), o.digits, cell


def comparison(result, baseline, lang: str = "vi", year: int | None = None, labels=None) -> pd.DataFrame:
    """The scenario beside the baseline in ``year``: each outcome by its declared statistic (median
    with its 5–95% band; the fee's mean, named in its row), the difference of the two values shown,
    and beside it the paired difference draw by draw (median and 5–95% band; the fee's mean and band).

    A median of differences need not equal the difference of two medians: the first difference
    column is what a reader gets by subtracting the table's values, the second its uncertainty.
    """
    check_lang(lang)
    year = int(year or result.scenario.target_year)
    k = compare.year_index(result, year)
    kb = compare.year_index(baseline, year)
    labels = labels or {}
    rows = []
    for o in _compared():
        a, a_digits, a_cell = _shown(result.arrays[o.name][:, k], o, lang)
        b, b_digits, b_cell = _shown(baseline.arrays[o.name][:, kb], o, lang)
        d = compare.difference(result, baseline, o.name, year)
        lo, mid, hi = band(d)
        if "mean" in o.table:
            mid = float(np.mean(d))
        label = say(o.name, lang)  # the fee's label says it is a mean
        digits = max(a_digits, b_digits)
        if o.whole:  # ranks: places up or down, never a signed number
            from .plainwords import places_moved

            shown, paired = places_moved(round(a - b, digits), lang, digits), _rank_difference(lo, mid, hi, lang)
        else:
            shown = signed(round(a - b, digits), digits, lang)
            paired = f"{signed(mid, o.digits, lang)} ({signed(lo, o.digits, lang)} – {signed(hi, o.digits, lang)})"
        rows.append([label, a_cell, b_cell, shown, paired])
    for o in _tabled("probability"):
        pa, pb = result.probability(o.name)[k], baseline.probability(o.name)[kb]
        whole = lambda p: float(pct(p, "en").strip("<>%"))  # the whole percent shown
        rows.append(
            [
                say(o.name, lang),
                _chance(pa, result.draws, lang, margin=False),
                _chance(pb, baseline.draws, lang, margin=False),
                f"{signed(whole(pa) - whole(pb), 0, lang)} {say('pp', lang)}",
                "—",
            ]
        )
    columns = [
        say("indicator", lang),
        labels.get(result.scenario.name, result.scenario.heading(lang)),
        labels.get(baseline.scenario.name, say("baseline", lang)),
        say("difference_shown", lang),
        say("paired_difference", lang),
    ]
    return pd.DataFrame(rows, columns=columns, dtype=object)


# ---------------------------------------------------------------- several scenarios


def outcomes(summary, lang: str = "vi", labels=None) -> pd.DataFrame:
    """One row per scenario from summary rows (``compare.summary_rows`` or a batch's summary.csv)."""
    check_lang(lang)
    rows = summary.to_dict("records") if isinstance(summary, pd.DataFrame) else list(summary)
    labels = labels or {}
    shown = _tabled()
    out = []
    for r in rows:
        row = {
            "scenario": labels.get(str(r["scenario"]), str(r["scenario"])),
            "target_year": str(int(r["target_year"])),
        }
        for o in shown:
            row[o.name] = _summary_cell(o, r, lang)
        out.append(row)
    frame = _frame(out, ["scenario", "target_year"] + [o.name for o in shown], lang)
    return frame.rename(
        columns={
            say(o.name, lang): say(o.name, lang) + " · " + say("median_band", lang).lower()
            for o in shown
            if "p50" in o.table
        }
    )


def _tabled(kind: str | None = None) -> list:
    """The declared outcomes that comparison tables show (``Outcome.table``), optionally of one kind."""
    return [o for o in outcomes_mod.OUTCOMES if o.table and (kind is None or o.kind == kind)]


def _compared() -> list:
    """Per-draw outcomes compared draw by draw with the baseline: those in tables, and the ranks."""
    return [o for o in outcomes_mod.OUTCOMES if o.kind in ("score", "rank") and (o.table or o.kind == "rank")]


def _summary_cell(o, r: dict, lang: str) -> str:
    """One outcome of a summary row as text: median (5–95%), a probability in %, or a mean."""
    if "p50" in o.table:
        lo, mid, hi = (r[o.column(s)] for s in ("p05", "p50", "p95"))
        if o.whole:
            return f"{rank_text(mid, lang)} ({rank_band(lo, hi, lang)})"
        return f"{num(mid, o.digits, lang)} ({num(lo, o.digits, lang)}–{num(hi, o.digits, lang)})"
    value = r[o.column(o.table[0])]
    if o.kind == "probability" and r.get("draws"):
        return _chance(float(value), int(r["draws"]), lang, margin=False)
    return pct(value, lang) if o.kind == "probability" else num(value, o.digits, lang)


def failures(summary, lang: str = "vi") -> pd.DataFrame:
    """Scenarios of a batch that did not complete, with their error."""
    check_lang(lang)
    rows = summary.to_dict("records") if isinstance(summary, pd.DataFrame) else list(summary)
    return _frame(
        [{"scenario": r["scenario"], "status": say("failed", lang), "note": r.get("error", "")} for r in rows],
        ["scenario", "status", "note"],
        lang,
    )


# ---------------------------------------------------------------- assumptions


def prior_text(row: dict, lang: str = "vi") -> str:
    """A parameter's value or prior in words (English: ``params.describe``)."""
    if lang == "en":
        return params.describe(row)
    d, p1, p2 = row["dist"], row["p1"], row["p2"]

    def g(x):  # a prior's number: whole numbers (years, counts) as they are, others to 3 significant digits
        if float(x).is_integer():
            return str(int(x)).replace("-", "−")
        return fmt(x, ".3g", "vi")

    if d == "fixed":
        return g(p1)
    if d == "normal":
        return f"phân phối chuẩn, trung bình {g(p1)}, độ lệch chuẩn {g(p2)}"
    if d == "lognormal":
        lo, hi = p1 * np.exp(-1.645 * p2), p1 * np.exp(1.645 * p2)
        return f"log-chuẩn, trung vị {g(p1)}, độ lệch log {g(p2)} (90%: {g(lo)}–{g(hi)})"
    return f"phân phối đều {g(p1)}–{g(p2)}"


def parameters(lang: str = "vi") -> pd.DataFrame:
    """Every model parameter: name, group, meaning, value or prior, unit, basis, source or reason."""
    rows = [
        {
            "name": r["name"],  # the name as in data/parameters.csv
            "group": say(f"group_{r['group']}", lang) if known(f"group_{r['group']}") else r["group"],
            "meaning": f"{r[f'label_{lang}']}: {r['meaning_vi' if lang == 'vi' else 'meaning']}",
            "prior": prior_text(r, lang),
            "unit": param_unit(r["unit"], lang),
            "basis": say(f"basis_{r['basis']}", lang),
            "source": r["source_vi" if lang == "vi" else "source"],
        }
        for r in params.table()
    ]
    return _frame(rows, ["name", "group", "meaning", "prior", "unit", "basis", "source"], lang)


def lever_effects(lang: str = "vi") -> pd.DataFrame:
    """The wiring (data/lever_effects.csv): each lever, what it acts on, through which parameter
    and in which form, with the basis and the source or reason."""
    from ..engine import model

    rows = [
        {
            "lever": lever_label(e.lever, lang),
            "acts_on": say(f"target_{e.target}", lang),
            "parameter": e.parameter,
            "form": say(f"form_{e.form}", lang),
            "basis": say(f"basis_{e.basis}", lang),
            "source": e.source_vi if lang == "vi" else e.source,
        }
        for e in model.effect_rows()
    ]
    return _frame(rows, ["lever", "acts_on", "parameter", "form", "basis", "source"], lang)


def lever_registry(focal: str = "ha-noi", lang: str = "vi", as_of: int = 2025) -> pd.DataFrame:
    """The lever registry with the focal unit's current values (%) and their sources."""
    rows = [
        {
            "lever": r[f"label_{lang}"],
            "unit": r["unit_vi" if lang == "vi" else "unit"],
            "range_pct": f"{num(r['min_pct'], 0, lang)}–{num(r['max_pct'], 0, lang)}",
            "current_pct": num(r["current_pct"], 1, lang),
            "current_as_of": str(r["current_year"]),
            "basis": say(f"status_{r['current_status']}", lang),
            "source": r["source_vi" if lang == "vi" else "source"],
        }
        for r in levers.registry_rows(focal, as_of)
    ]
    return _frame(rows, ["lever", "unit", "range_pct", "current_pct", "current_as_of", "basis", "source"], lang)


_CLASH = re.compile(r"^(PAR|SIPAS) (\d{4})[ :]\s*(.*)$", re.S)


_SLUG = re.compile(r"\b[a-z]+(?:-[a-z]+)*\b")


def clashes(lang: str = "vi") -> pd.DataFrame:
    """Every clash between sources found while loading the data, and the rule applied; provinces and
    units by their names (Sơn La), never their slugs (son-la)."""
    ds = data.load()
    rules_vi = {r["rule"]: r["rule_vi"] for r in ds.conflict_rules}
    names = {slug: row["name_vi"] for slug, row in {**ds.provinces, **ds.units}.items()}
    rows = []
    for line in ds.clashes:
        m = _CLASH.match(line)
        index, year, rest = (m.group(1), m.group(2), m.group(3)) if m else ("", "", line)
        text = clash_text(rest, lang, rules_vi)
        rows.append({"index": index, "year": year, "clash_rule": _SLUG.sub(lambda s: names.get(s[0], s[0]), text)})
    return _frame(rows, ["index", "year", "clash_rule"], lang)


def reconstruction(lang: str = "vi", draws: int = 500, seed: int = 2024) -> pd.DataFrame:
    """What the reconstruction of each year's field did (``history.reconstruct(...).notes``)."""
    rows = []
    for index in data.INDICES:
        for year in history.reconstructable_years(index):
            f = history.reconstruct(index, year, draws, seed)
            published = int(np.isfinite(f.published_score).sum())
            for note in f.notes:
                rows.append(
                    {
                        "index": index,
                        "year": str(year),
                        "score": f"{published}/{len(f.slugs)}",
                        "reconstruction_note": note,
                    }
                )
    frame = _frame(rows, ["index", "year", "score", "reconstruction_note"], lang)
    return frame.rename(columns={say("score", lang): say("published", lang) + " / " + say("n_units", lang).lower()})


def field_fit(lang: str = "vi", cutoff: int | None = None) -> pd.DataFrame:
    """The field's fitted dynamics per index: trend (also in points per year), persistence, noise."""
    from ..engine.scenario import default_baseline_year

    cutoff = int(cutoff or default_baseline_year())
    ds = data.load()
    rows = []
    for index in data.INDICES:
        f = field.fit(index, cutoff)
        avg = ds.average(index, cutoff)
        points = (100 - avg) * -np.expm1(f.trend) if avg is not None else None
        rows.append(
            {
                "index": index,
                "trend": f"{num(f.trend, 3, lang)} ± {num(f.trend_sd, 3, lang)}",
                "trend_points": signed(points, 2, lang) if points is not None else "—",
                "persistence": f"{num(f.persistence, 2, lang)} ± {num(f.persistence_sd, 2, lang)}",
                "noise_sd": num(f.noise_sd, 3, lang),
                "estimated_from": f"{f.trend_from}; {f.dynamics_from}",
            }
        )
    return _frame(rows, ["index", "trend", "trend_points", "persistence", "noise_sd", "estimated_from"], lang)


def effect_sizes(rows: list[dict], lang: str = "vi") -> pd.DataFrame:
    """Effect sizes (rows of ``report.effect_sizes``) in planner units."""
    out = []
    for r in rows:
        out.append(
            {
                "lever": lever_label(r["lever"], lang),
                "change_pp": f"{signed(100 * r['change'], 0, lang)} ({share_pct(r['current'], lang, 1)}% → "
                f"{share_pct(r['to'], lang, 1)}%)",
                "effect_sipas": f"{signed(r['sipas_p50'], 2, lang)} ({signed(r['sipas_p05'], 2, lang)} – "
                f"{signed(r['sipas_p95'], 2, lang)})",
                "effect_par": f"{signed(r['par_p50'], 2, lang)} ({signed(r['par_p05'], 2, lang)} – "
                f"{signed(r['par_p95'], 2, lang)})",
                "effect_fee": signed(r["fee_mean"], 1, lang),
                "years_to_90": "—" if r["years_to_90"] is None else str(r["years_to_90"]),
            }
        )
    return _frame(out, ["lever", "change_pp", "effect_sipas", "effect_par", "effect_fee", "years_to_90"], lang)


# ---------------------------------------------------------------- history


def published_history(focal: str = "ha-noi", lang: str = "vi") -> pd.DataFrame:
    """The focal unit's published scores and ranks per year beside the national average."""
    ds = data.load()
    focal = history_slug(focal)
    years = sorted(set(ds.years_with_results("PAR")) | set(ds.years_with_results("SIPAS")))
    rows = []
    for year in years:
        row = {"year": str(year), "n_units": str(len(ds.units_in(year)))}
        for index, key in (("PAR", "par"), ("SIPAS", "sipas")):
            p = ds.results.get((index, year), {}).get(focal)
            row[f"{key}_score"] = num(p.score, 2, lang) if p and p.score is not None else "—"
            row[f"{key}_rank"] = str(p.rank) if p and p.rank is not None else "—"
            avg = ds.average(index, year)
            row[f"{key}_avg"] = num(avg, 2, lang) if avg is not None else "—"
        rows.append(row)
    columns = {
        "year": say("year", lang),
        "par_score": say("par_score", lang),
        "par_rank": say("par_rank", lang),
        "par_avg": f"PAR · {say('national_average', lang)}",
        "sipas_score": say("sipas_pct", lang),
        "sipas_rank": say("sipas_rank", lang),
        "sipas_avg": f"SIPAS · {say('national_average', lang)}",
        "n_units": say("n_units", lang),
    }
    check_lang(lang)
    return pd.DataFrame([[r[c] for c in columns] for r in rows], columns=list(columns.values()), dtype=object)


def merger(lang: str = "vi") -> pd.DataFrame:
    """The 34 units of 1/7/2025 and the provinces that form each (merged units first)."""
    ds = data.load()
    rows = []
    for slug, unit in ds.units.items():
        members = ds.members(slug)
        names = [ds.provinces[m]["name_vi"] for m in members]
        rows.append(
            {
                "unit_2025": unit["name_vi"],
                "member_count": str(len(members)),
                "members": ", ".join(sorted(names, key=vi_sort_key)),
                "_n": len(members),
            }
        )
    rows.sort(key=lambda r: (-r["_n"], vi_sort_key(r["unit_2025"])))
    return _frame(rows, ["unit_2025", "member_count", "members"], lang)


def data_note(index: str, year: int, lang: str = "vi") -> str:
    """One sentence: how many of a year's scores were published and how many reconstructed."""
    f = history.reconstruct(index, year, 200, 2024)
    published = int(np.isfinite(f.published_score).sum())
    return say(
        "n_data",
        lang,
        year=year,
        published=published,
        total=len(f.slugs),
        index=index,
        reconstructed=len(f.slugs) - published,
    )
