"""The words and figures of the calibration notebook (``simlib.analysis.calibration`` computes the numbers)."""

from __future__ import annotations

import numpy as np

from ..analysis.calibration import BASELINE_YEAR, LAST_YEAR
from ..engine import data
from .i18n import say
from .numbers import localise_figure


def backtest_verdict(rows: list[dict], lang: str = "vi") -> str:
    """One sentence over all backtests: how often the model beats the naive forecast, and its coverage."""
    done = [r for r in rows if r["mae_model"] is not None]
    wins = sum(r["model_beats_naive"] for r in done)
    cover = float(np.mean([r["coverage_90"] for r in done])) if done else float("nan")
    return say("calibration.verdict", lang, wins=wins, done=len(done), cover=100 * cover)


def path_figure(rows: list[dict], lang: str = "vi"):
    """Hà Nội's published PAR and SIPAS 2022–24 against the projections from 2022 (median and 5–95%)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 5.0))
    axes = fig.subplots(1, 2)
    styles = {"no_levers": ("#7f8c8d", -0.12), "all_new": ("#1f5fa8", 0.0), "half_new": ("#16a085", 0.12)}
    for ax, index in zip(axes, data.INDICES):
        pub = [r for r in rows if r["index"] == index and r["variant"] == "published"]
        ax.plot(
            [r["year"] for r in pub],
            [r["score_p50"] for r in pub],
            "ko-",
            label=say("calibration.variant_published", lang),
            zorder=5,
        )
        for r in pub:
            if r["note"]:
                ax.vlines(r["year"], r["score_p05"], r["score_p95"], color="k", lw=1, linestyles=":")
        for variant, (colour, dx) in styles.items():
            sel = [r for r in rows if r["index"] == index and r["variant"] == variant]
            x = np.array([r["year"] for r in sel]) + dx
            mid = np.array([r["score_p50"] for r in sel])
            ax.errorbar(
                x,
                mid,
                yerr=[mid - np.array([r["score_p05"] for r in sel]), np.array([r["score_p95"] for r in sel]) - mid],
                fmt="s",
                color=colour,
                capsize=3,
                ms=5,
                label=say(f"calibration.variant_{variant}", lang),
            )
        ax.set_xticks(range(BASELINE_YEAR, LAST_YEAR + 1))
        ax.set_title(say("calibration.par_score" if index == "PAR" else "sipas_pct", lang), fontsize=10)
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8, frameon=False)
    fig.suptitle(say("calibration.path_title", lang), fontsize=10)
    fig.tight_layout(rect=(0, 0.14, 1, 1))
    return localise_figure(fig, lang)


def backtest_figure(rows: list[dict], lang: str = "vi"):
    """Mean absolute error of the model and of the naive forecast, per backtested year."""
    from matplotlib.figure import Figure

    done = [r for r in rows if r["mae_model"] is not None]
    fig = Figure(figsize=(8, 3.6))
    ax = fig.subplots()
    x = np.arange(len(done))
    ax.bar(x - 0.2, [r["mae_model"] for r in done], 0.4, color="#1f5fa8", label=say("calibration.model", lang))
    ax.bar(x + 0.2, [r["mae_naive"] for r in done], 0.4, color="#bdc3c7", label=say("calibration.naive", lang))
    ax.set_xticks(x, [f"{r['index']} {r['year']}" for r in done], fontsize=8)
    ax.set_ylabel(say("calibration.mae_axis", lang))
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return localise_figure(fig, lang)
