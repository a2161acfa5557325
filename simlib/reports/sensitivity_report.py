"""The words, figure, table and files of a sensitivity analysis (``simlib.analysis.sensitivity``
computes the indices).

``headline`` and ``split_line`` say which factors decide the outcome; ``tornado_figure`` draws the
indices and the one-at-a-time swing; ``write`` writes sensitivity.csv, tornado.png and a manifest
with its provenance.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..analysis.sensitivity import CSV_COLUMNS, OUTCOME_UNITS, Analysis
from ..engine import atomic
from . import provenance
from .i18n import known, say
from .numbers import fmt

if TYPE_CHECKING:
    from ..engine.scenario import Scenario


def headline(analysis: Analysis, lang: str = "vi") -> str:
    """The plain-language line: 'the answer depends most on X (…), then Y and Z'."""
    rows = analysis.rows
    if not rows or not np.isfinite(analysis.importance(rows[0])) or analysis.importance(rows[0]) <= 1e-9:
        return say("sensitivity.flat", lang)

    def named(r):
        label = r["label_vi"] if lang == "vi" else r["label_en"]
        if analysis.method == "sobol":
            value = f"{fmt(r['ST'], '.2f', lang)} ± {fmt(r['ST_conf'], '.2f', lang)}"
            return f"{label} ({say('sensitivity.st', lang, value=value)})"
        return f"{label} ({say('sensitivity.mu', lang, value=fmt(r['mu_star'], '.3g', lang))})"

    top = [r for r in rows[:3] if analysis.importance(r) > 0.05 * analysis.importance(rows[0])]
    text = say("sensitivity.depends_most", lang, first=named(top[0]))
    if len(top) > 1:
        text += say("sensitivity.then", lang, rest=say("sensitivity.and", lang).join(named(r) for r in top[1:]))
    return text + "."


def split_line(analysis: Analysis, lang: str = "vi") -> str | None:
    """Sobol only: the first-order variance share of the levers vs the parameters."""
    if analysis.method != "sobol":
        return None
    s1 = lambda kind: sum(max(0.0, r["S1"]) for r in analysis.rows if r["kind"] == kind)
    pct = lambda x: f"{fmt(100 * min(1.0, x), '.0f', lang)}%"
    return say("sensitivity.split", lang, levers=pct(s1("lever")), parameters=pct(s1("parameter")))


def summary_lines(analysis: Analysis, lang: str = "en") -> list[str]:
    """The headline and, for Sobol, the levers' vs the assumptions' share."""
    split = split_line(analysis, lang)
    return [headline(analysis, lang)] + ([split] if split else [])


def excluded_reason(entry: dict, lang: str = "vi") -> str:
    """Why a parameter was left out of the analysis, in words."""
    return say(
        f"sensitivity.excluded_{entry['why']}",
        lang,
        index=entry.get("index", ""),
        year=entry.get("baseline_year", ""),
        group=entry.get("group", ""),
    )


def excluded_lines(analysis: Analysis, lang: str = "vi") -> str:
    """The parameters left out, one Markdown list item each (or a dash)."""
    return "\n".join(f"- `{e['factor']}`: {excluded_reason(e, lang)}" for e in analysis.excluded) or "—"


def tornado_figure(analysis: Analysis, top: int = 12):
    """Bar chart of the indices (left) and the one-at-a-time swing (right), bilingual labels."""
    from matplotlib.figure import Figure

    rows = analysis.rows[:top][::-1]
    labels = [f"{r['label_vi']}\n{r['label_en']}" for r in rows]
    y = np.arange(len(rows))
    has_swing = all("outcome_at_low" in r for r in rows) and analysis.central_outcome is not None
    fig = Figure(figsize=(13 if has_swing else 8.5, 0.62 * len(rows) + 1.8))
    axes = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1.1, 1]}) if has_swing else [fig.subplots()]
    ax = axes[0]
    colour = lambda r: "#1f5fa8" if r["kind"] == "lever" else "#c0622b"
    if analysis.method == "sobol":
        ax.barh(
            y + 0.18,
            [max(r["ST"], 0) for r in rows],
            0.36,
            xerr=[r["ST_conf"] for r in rows],
            color=[colour(r) for r in rows],
            ecolor="#444",
            capsize=2,
            label="ST",
        )
        ax.barh(
            y - 0.18,
            [max(r["S1"], 0) for r in rows],
            0.36,
            xerr=[r["S1_conf"] for r in rows],
            color=[colour(r) for r in rows],
            alpha=0.45,
            ecolor="#444",
            capsize=2,
            label="S1",
        )
        ax.set_xlabel(f"{say('sensitivity.st_axis', 'vi')}\n{say('sensitivity.st_axis', 'en')}", fontsize=8)
        ax.set_xlim(0, max(1.0, max(r["ST"] + r["ST_conf"] for r in rows) * 1.05) if rows else 1)
    else:
        ax.barh(
            y,
            [r["mu_star"] for r in rows],
            0.6,
            xerr=[r["mu_star_conf"] for r in rows],
            color=[colour(r) for r in rows],
            ecolor="#444",
            capsize=2,
        )
        ax.set_xlabel(f"{say('sensitivity.mu_axis', 'vi')}\n{say('sensitivity.mu_axis', 'en')}", fontsize=8)
    ax.set_yticks(y, labels, fontsize=7.5)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color="#1f5fa8", label=f"{say('sensitivity.lever', 'vi')} / {say('sensitivity.lever', 'en')}"),
            Patch(
                color="#c0622b", label=f"{say('sensitivity.parameter', 'vi')} / {say('sensitivity.parameter', 'en')}"
            ),
        ],
        loc="lower right",
        fontsize=7,
    )
    ax.grid(axis="x", alpha=0.3)
    if has_swing:
        ax2 = axes[1]
        c = analysis.central_outcome
        for yi, r in zip(y, rows):
            lo, hi = r["outcome_at_low"], r["outcome_at_high"]
            ax2.barh(yi, lo - c, 0.6, left=c, color="#9aa9bb")
            ax2.barh(yi, hi - c, 0.6, left=c, color=colour(r))
        ax2.axvline(c, color="#222", lw=0.8)
        ax2.set_title(f"{say('sensitivity.swing_title', 'vi')}\n{say('sensitivity.swing_title', 'en')}", fontsize=9)
        ax2.set_xlabel(
            f"{_outcome_label(analysis.outcome, 'vi')} / {_outcome_label(analysis.outcome, 'en')}", fontsize=8
        )
        ax2.legend(
            handles=[
                Patch(color="#9aa9bb", label=f"{say('sensitivity.low', 'vi')} / {say('sensitivity.low', 'en')}"),
                Patch(
                    color="#555555",
                    label=f"{say('sensitivity.high', 'vi')} / {say('sensitivity.high', 'en')} "
                    "(màu của loại yếu tố / colour of its kind)",
                ),
            ],
            loc="lower right",
            fontsize=7,
        )
        if analysis.outcome == "par_rank":
            ax2.invert_xaxis()  # better ranks to the right
        ax2.grid(axis="x", alpha=0.3)
    out_vi, out_en = _outcome_label(analysis.outcome, "vi"), _outcome_label(analysis.outcome, "en")
    key = "title_sobol" if analysis.method == "sobol" else "title_morris"
    fig.suptitle(
        f"{say(f'sensitivity.{key}', 'vi', outcome=out_vi, year=analysis.year)}\n"
        f"{say(f'sensitivity.{key}', 'en', outcome=out_en, year=analysis.year)}",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def _outcome_label(outcome: str, lang: str) -> str:
    return say(outcome, lang) if known(outcome) else outcome


def write_csv(rows: list[dict], columns, path: Path) -> None:
    """Rows as CSV, atomically (empty cell where a column does not apply), by the one CSV writer."""
    from ..engine import csvfile

    csvfile.write(path, columns, rows)


def write_json(obj, path: Path) -> None:
    def write(tmp):
        Path(tmp).write_text(json.dumps(obj, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")

    atomic.write_with(path, write)


def write_figure(fig, path: Path, dpi: int = 120) -> None:
    atomic.write_with(path, lambda tmp: fig.savefig(tmp, format="png", dpi=dpi, bbox_inches="tight"))


def manifest(analysis: Analysis, scenario: Scenario | None = None, command: list[str] | None = None) -> dict:
    """Provenance of an analysis: settings, factors and ranges, timing, versions, data hashes."""
    return {
        "kind": "sensitivity",
        "method": analysis.method,
        "outcome": analysis.outcome,
        "outcome_unit": OUTCOME_UNITS.get(analysis.outcome, ""),
        "year": analysis.year,
        "base_samples": analysis.base_samples,
        "seed": analysis.seed,
        "sample_rows": analysis.n_rows,
        "field_draws_per_row": analysis.draws_per_row,
        "model_runs": analysis.model_runs,
        "seconds": round(analysis.seconds, 3),
        "headline_vi": headline(analysis, "vi"),
        "headline_en": headline(analysis, "en"),
        "split_vi": split_line(analysis, "vi"),
        "split_en": split_line(analysis, "en"),
        "central_outcome": analysis.central_outcome,
        "factors": [{k: r[k] for k in ("factor", "kind", "low", "high", "unit")} for r in analysis.rows],
        "excluded": [
            {**e, "reason": excluded_reason(e, "en"), "reason_vi": excluded_reason(e, "vi")} for e in analysis.excluded
        ],
        "notes": analysis.notes,
        "design": (
            "Each sample row = one combination of lever targets (ramped from today's value to the "
            "target by the scenario's target year) and parameter values (uniform over their 5–95% "
            "prior range), evaluated on the same field draws for every row; the row's outcome is the "
            "mean over those draws."
        ),
        "scenario": scenario.to_dict() if scenario is not None else None,
        "command": command,
        **provenance.record(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def write(
    analysis: Analysis, draft, scenario: Scenario | None = None, command: list[str] | None = None
) -> dict[str, Path]:
    """sensitivity.csv, tornado.png and manifest.json, written into the draft of an output folder
    (``engine.outfolder.Draft``: its temporary folder, then swapped in whole). Returns where they are."""
    names = {"csv": "sensitivity.csv", "png": "tornado.png", "manifest": "manifest.json"}
    write_csv(analysis.rows, CSV_COLUMNS, draft.path / names["csv"])
    write_figure(tornado_figure(analysis), draft.path / names["png"])
    draft.publish(manifest(analysis, scenario, command))
    return {k: draft.target / name for k, name in names.items()}


def frame(analysis: Analysis, lang: str = "vi"):
    """The table a planner reads: factor label, kind, range and indices (pandas)."""
    import pandas as pd

    label = "label_vi" if lang == "vi" else "label_en"
    cols = [label, "kind", "low", "high"] + (
        ["S1", "S1_conf", "ST", "ST_conf"] if analysis.method == "sobol" else ["mu_star", "mu_star_conf", "sigma"]
    )
    cols += [c for c in ("outcome_at_low", "outcome_at_high") if c in analysis.rows[0]]
    f = pd.DataFrame(analysis.rows)[cols]
    f["kind"] = f["kind"].map(lambda k: say(f"sensitivity.{k}", lang))
    return f.round(3)
