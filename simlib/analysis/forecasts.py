"""Frozen forecasts: every unit's projection stored before the results are known, scored once they are.

``freeze(scenario)`` projects every unit of both indices from the scenario's baseline year to its
horizon (the focal unit at the scenario's levers, the others as the field: ``league``) and keeps,
per index, year and unit: the median and 5–95% band of the score and the rank, P(top 3) and
P(top 10), and 100 quantiles of each (levels 0.005 … 0.995, enough to score the whole
distribution later); beside them the naive forecast (the unit's baseline score, published or
the reconstruction's median, plus the national trend, with the spread of the naive forecast's own
past errors, ``harness.naive_spread``) and rank persistence (its baseline rank), both computed
from the same data, so all three are frozen together. ``save`` writes it into the user folder
(``forecasts/<label>/``: forecast.csv, quantiles.csv, forecast.json with the data fingerprint,
package version, seed and scenario); a label is never overwritten.

``score(frozen)`` sets every year now published against it: CRPS (from the quantiles), the 90%
band's coverage and the median's error, for scores and ranks, and the Brier score of P(top 3),
beside naive and persistence (rank error and Brier for persistence, whose forecast is a point).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..engine import atomic, csvfile, data, merger, outfolder, paths, stats
from ..engine.errors import InputError, Issue, short
from . import league as league_mod
from . import scores as sc
from .backtest import naive_trend
from .harness import naive_spread

if TYPE_CHECKING:
    from ..engine.scenario import Scenario

LEVELS = (np.arange(100) + 0.5) / 100  # the stored quantiles' levels
LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")
LABEL_RULE = "a label of 1–60 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. plan-2026)"
FORMAT = 1
KIND = "simlib-forecast"
NAIVE_DRAWS = 4000  # independent normal draws per unit giving the naive forecast's ranks and P(top 3)
COLUMNS = (
    "index",
    "year",
    "unit_slug",
    *league_mod.BAND_COLUMNS,
    "p_top3",
    "p_top10",
    "naive_score",
    "naive_sd",
    "naive_rank",
    "naive_p_top3",
    "persistence_rank",
    "n_units",
    "focal",
)
METHODS = ("model", "naive", "persistence")
SCORE_COLUMNS = (
    "index",
    "year",
    "method",
    "n_scores",
    "crps",
    "mae",
    "coverage_90",
    "n_ranks",
    "rank_crps",
    "rank_mae",
    "rank_coverage_90",
    "brier_top3",
)


def check_label(label) -> list[Issue]:
    if not isinstance(label, str) or not LABEL.fullmatch(label):
        return [Issue("--label", label, LABEL_RULE)]
    return []


def data_fingerprint(ds=None) -> str:
    """sha256 (16 hex digits) of every data file the numbers come from, shipped and added."""
    ds = ds or data.load()
    h = hashlib.sha256()
    for name, digest in sorted(ds.file_hashes.items()):
        h.update(f"{name}:{digest}\n".encode())
    return h.hexdigest()[:16]


@dataclass
class Frozen:
    """A frozen forecast: ``rows`` (``COLUMNS``), ``quantiles[(index, year, slug, "score"|"rank")]``
    (100 values at ``LEVELS``) and ``meta`` (label, time, scenario, data fingerprint, version, seed)."""

    meta: dict
    rows: list[dict]
    quantiles: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.meta["label"]

    @property
    def baseline_year(self) -> int:
        return int(self.meta["baseline_year"])

    def hindcast(self, index: str, year: int) -> bool:
        """Whether ``index``'s ``year`` results were already in the data when this was frozen (then it is
        no forecast of them, only a check after the fact)."""
        return int(year) in self.meta.get("published_at_freeze", {}).get(index, [])

    def years(self) -> list[int]:
        return sorted({int(r["year"]) for r in self.rows})

    def row(self, index: str, year: int, slug: str) -> dict | None:
        return next(
            (r for r in self.rows if (r["index"], int(r["year"]), r["unit_slug"]) == (index, int(year), slug)), None
        )


def freeze(scenario: Scenario, label: str) -> Frozen:
    """Every unit's projection of ``scenario`` for both indices, every year to its horizon (not saved)."""
    from ..engine.simulate import context_of, simulate

    ds = data.load()
    outcomes = simulate(scenario)
    ctx = context_of(scenario)
    rows, quantiles = [], {}
    for index in data.INDICES:
        for year in (int(y) for y in scenario.years):
            table = league_mod.from_outcomes(outcomes, index, year)
            naive = _naive(ctx.fields[index].base, index, scenario.baseline_year, year, table.slugs, scenario.seed)
            bands = table.bands()
            qs = stats.quantiles(table.scores, LEVELS)
            qr = stats.quantiles(table.ranks, LEVELS, whole=True)
            for i, slug in enumerate(table.slugs):
                quantiles[(index, year, slug, "score")] = qs[:, i]
                quantiles[(index, year, slug, "rank")] = qr[:, i].astype(float)
                rows.append(
                    {
                        "index": index,
                        "year": year,
                        "unit_slug": slug,
                        **bands[i],
                        "p_top3": float(table.p_top(3)[i]),
                        "p_top10": float(table.p_top(10)[i]),
                        **naive[slug],
                        "n_units": table.n_units,
                        "focal": int(slug == table.focal_slug),
                    }
                )
    meta = {
        "kind": KIND,
        "format": FORMAT,
        "label": label,
        "frozen_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "baseline_year": int(scenario.baseline_year),
        "horizon": int(scenario.horizon),
        "focal": scenario.focal,
        "scenario": scenario.to_dict(),
        "draws": int(scenario.draws),
        "seed": int(scenario.seed),
        "data_fingerprint": data_fingerprint(ds),
        "data_file_hashes": dict(ds.file_hashes),
        "added_results": [f"{t.label} ({t.source}, added {t.added_on})" for t in ds.added],
        "published_at_freeze": {ix: ds.years_with_results(ix) for ix in data.INDICES},  # what it could have seen
        "simlib_version": _version(),
        "quantile_levels": "0.005, 0.015, …, 0.995 (100)",
    }
    return Frozen(meta, rows, quantiles)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("simlib")
    except PackageNotFoundError:
        return "unknown"


def _naive(base, index: str, baseline: int, year: int, slugs, seed: int) -> dict[str, dict]:
    """Per unit: the naive forecast of ``year`` from ``baseline`` (mean, sd, its median rank and P(top 3))
    and rank persistence, from the baseline field ``base`` (merged into the 34 units for 2025 on)."""
    own_slugs, draws, published, published_rank = merger.origin_view(base, year)
    mid = np.where(np.isnan(published), stats.median(draws, axis=0), published)
    rank_mid = stats.median(sc.ranks_of(draws), axis=0, whole=True)
    rank_mid = np.where(published_rank > 0, published_rank, rank_mid)
    h = year - baseline
    mean = mid + naive_trend(index, baseline + 1) * h
    sd, _ = naive_spread(index, baseline, h)
    rng = np.random.default_rng([int(seed), h, len(index)])
    sims = mean[None, :] + sd * rng.standard_normal((NAIVE_DRAWS, mean.size))
    ranks = sc.ranks_of(sims)
    naive_rank = stats.median(ranks, axis=0, whole=True)
    p3 = (ranks <= 3).mean(axis=0)
    pos = {s: i for i, s in enumerate(own_slugs)}
    return {
        s: {
            "naive_score": float(mean[pos[s]]),
            "naive_sd": float(sd),
            "naive_rank": int(naive_rank[pos[s]]),
            "naive_p_top3": float(p3[pos[s]]),
            "persistence_rank": int(rank_mid[pos[s]]),
        }
        for s in slugs
    }


# ----------------------------------------------------------------------------- the registry


def folder(label: str) -> Path:
    return paths.forecasts_dir() / label


def save(frozen: Frozen, extra: dict | None = None) -> Path:
    """Write ``frozen`` into ``forecasts/<label>/`` by the one rule of an output folder (``outfolder``:
    locked, written aside, moved in whole);
    InputError (exit 2, nothing written) if the label is taken: a frozen forecast is a record."""
    issues = check_label(frozen.label)
    if issues:
        raise InputError(issues, context="forecast freeze")
    target = folder(frozen.label)
    with outfolder.writing(target, KIND, option="--label") as draft:
        if target.exists():
            meta = read_meta(target) or {}
            raise InputError(
                Issue(
                    "--label",
                    frozen.label,
                    f"a label not used yet: {frozen.label} was frozen on {str(meta.get('frozen_at', '?'))[:10]} "
                    "(a frozen forecast is never overwritten; choose another label)",
                ),
                context="forecast freeze",
            )
        meta = {**frozen.meta, **(extra or {})}
        atomic.write_json(draft.path / "forecast.json", meta)
        atomic.write_text(draft.path / "forecast.csv", _csv(list(COLUMNS), frozen.rows))
        qrows = [
            {
                "index": k[0],
                "year": k[1],
                "unit_slug": k[2],
                "kind": k[3],
                **{f"q{j:03d}": float(v) for j, v in enumerate(q)},
            }
            for k, q in frozen.quantiles.items()
        ]
        qcols = ["index", "year", "unit_slug", "kind"] + [f"q{j:03d}" for j in range(len(LEVELS))]
        atomic.write_text(draft.path / "quantiles.csv", _csv(qcols, qrows, digits=4))
        draft.swap(replace=False)
    return target


def _csv(columns: list[str], rows: list[dict], digits: int = 4) -> str:
    """A frozen forecast's table through the one CSV writer (``csvfile``), numbers to ``digits`` decimals."""
    return csvfile.text(columns, rows, number=lambda x: f"{x:.{digits}f}")


def read_meta(target: Path) -> dict | None:
    try:
        meta = json.loads((Path(target) / "forecast.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("kind") == KIND else None


def labels() -> list[dict]:
    """The meta of every frozen forecast in the user folder, oldest first."""
    root = paths.forecasts_dir()
    if not root.is_dir():
        return []
    metas = [m for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".") and (m := read_meta(p))]
    return sorted(metas, key=lambda m: str(m.get("frozen_at", "")))


def load(label: str) -> Frozen:
    """The frozen forecast ``label``; InputError naming the labels there are if it is not there."""
    issues = check_label(label)
    target = folder(label) if not issues else None
    meta = read_meta(target) if target is not None else None
    if meta is None or target is None:
        known = [m["label"] for m in labels()]
        raise InputError(
            issues
            or [
                Issue(
                    "--label",
                    label,
                    "a frozen forecast: "
                    + (", ".join(short(k, 40) for k in known) if known else "none yet (simlib forecast freeze)"),
                )
            ],
            context="forecast",
        )
    try:
        with (target / "forecast.csv").open(encoding="utf-8", newline="") as handle:
            rows = [_typed(r) for r in csv.DictReader(handle)]
        quantiles = {}
        with (target / "quantiles.csv").open(encoding="utf-8", newline="") as handle:
            for r in csv.DictReader(handle):
                q = np.array([float(r[f"q{j:03d}"]) for j in range(len(LEVELS))])
                quantiles[(r["index"], int(r["year"]), r["unit_slug"], r["kind"])] = q
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(
            Issue(
                str(target), f"damaged ({type(exc).__name__})", "a frozen forecast written by simlib forecast freeze"
            ),
            context="forecast",
        ) from None
    return Frozen(meta, rows, quantiles)


INTS = ("year", "rank_p05", "rank_p50", "rank_p95", "naive_rank", "persistence_rank", "n_units", "focal")


def _typed(r: dict) -> dict:
    out = {}
    for k, v in r.items():
        if k in ("index", "unit_slug"):
            out[k] = v
        elif k in INTS:
            out[k] = int(v)
        else:
            out[k] = float(v) if v != "" else None
    return out


# ----------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Outcome:
    """One unit's published result beside the frozen forecast of it."""

    index: str
    year: int
    slug: str
    score: float | None
    rank: int | None  # as published (units tied share a rank)
    forecast: dict  # the frozen row


@dataclass
class Scoring:
    frozen: Frozen
    outcomes: list[Outcome]
    rows: list[dict]  # SCORE_COLUMNS, one per index × year × method (and pooled years)

    def row(self, index: str, year, method: str) -> dict | None:
        return next((r for r in self.rows if (r["index"], r["year"], r["method"]) == (index, year, method)), None)

    def published_years(self) -> list[int]:
        return sorted({o.year for o in self.outcomes})


def published_ranks(index: str, year: int) -> dict[str, tuple[float | None, int | None]]:
    """slug → (score, rank) as published in ``year``: an added table's own ranks (ties shared), else the data's."""
    ds = data.load()
    added = next((t for t in ds.added if (t.index, t.year) == (index, year)), None)
    out = {s: (p.score, p.rank) for s, p in ds.results.get((index, year), {}).items()}
    if added is not None:
        for r in added.rows:
            out[r.slug] = (r.score, r.rank)
    return out


def score(frozen: Frozen) -> Scoring:
    """Score ``frozen`` against every year of it now published."""
    outcomes = []
    for index in data.INDICES:
        for year in frozen.years():
            for slug, (s, r) in sorted(published_ranks(index, year).items()):
                row = frozen.row(index, year, slug)
                if row is not None and (s is not None or r is not None):
                    outcomes.append(Outcome(index, year, slug, s, r, row))
    records = []
    for o in outcomes:
        records += _records(frozen, o)
    rows = []
    groups: dict[tuple, list[dict]] = {}
    for rec in records:
        for group_year in (rec["year"], "pooled"):
            groups.setdefault((rec["index"], group_year, rec["method"]), []).append(rec)
    order = {m: i for i, m in enumerate(METHODS)}
    for (index, group_year, method), recs in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1] == "pooled", str(kv[0][1]), order[kv[0][2]])
    ):
        on_scores = [r for r in recs if r["kind"] == "score"]
        on_ranks = [r for r in recs if r["kind"] == "rank"]
        on_top3 = [r for r in recs if r["kind"] == "top3"]
        rows.append(
            {
                "index": index,
                "year": group_year,
                "method": method,
                "n_scores": len(on_scores),
                "crps": _mean(on_scores, "crps"),
                "mae": _mean(on_scores, "error"),
                "coverage_90": _mean(on_scores, "inside"),
                "n_ranks": len(on_ranks),
                "rank_crps": _mean(on_ranks, "crps"),
                "rank_mae": _mean(on_ranks, "error"),
                "rank_coverage_90": _mean(on_ranks, "inside"),
                "brier_top3": _mean(on_top3, "brier"),
            }
        )
    return Scoring(frozen, outcomes, rows)


def _mean(recs: list[dict], key: str) -> float | None:
    vals = [r[key] for r in recs if r.get(key) is not None]
    return float(np.mean(vals)) if vals else None


def _records(frozen: Frozen, o: Outcome) -> list[dict]:
    from scipy.stats import norm

    f, base = o.forecast, {"index": o.index, "year": o.year, "slug": o.slug}
    out = []
    if o.score is not None:
        q = frozen.quantiles.get((o.index, o.year, o.slug, "score"))
        out.append(
            {
                **base,
                "method": "model",
                "kind": "score",
                "crps": float(sc.crps_sample(q, o.score)) if q is not None else None,
                "error": abs(f["score_p50"] - o.score),
                "inside": float(f["score_p05"] <= o.score <= f["score_p95"]),
            }
        )
        half = norm.ppf(0.95) * f["naive_sd"]
        out.append(
            {
                **base,
                "method": "naive",
                "kind": "score",
                "crps": float(sc.crps_normal(f["naive_score"], f["naive_sd"], o.score)),
                "error": abs(f["naive_score"] - o.score),
                "inside": float(f["naive_score"] - half <= o.score <= f["naive_score"] + half),
            }
        )
    if o.rank is not None:
        q = frozen.quantiles.get((o.index, o.year, o.slug, "rank"))
        top = float(o.rank <= 3)
        out += [
            {
                **base,
                "method": "model",
                "kind": "rank",
                "crps": float(sc.crps_sample(q, o.rank)) if q is not None else None,
                "error": abs(f["rank_p50"] - o.rank),
                "inside": float(f["rank_p05"] <= o.rank <= f["rank_p95"]),
            },
            {**base, "method": "naive", "kind": "rank", "error": abs(f["naive_rank"] - o.rank)},
            {
                **base,
                "method": "persistence",
                "kind": "rank",
                "crps": abs(f["persistence_rank"] - o.rank),  # a point forecast: its CRPS is its error
                "error": abs(f["persistence_rank"] - o.rank),
            },
            {**base, "method": "model", "kind": "top3", "brier": (f["p_top3"] - top) ** 2},
            {**base, "method": "naive", "kind": "top3", "brier": (f["naive_p_top3"] - top) ** 2},
            {**base, "method": "persistence", "kind": "top3", "brier": (float(f["persistence_rank"] <= 3) - top) ** 2},
        ]
    return out


def unit_rows(scoring: Scoring) -> list[dict]:
    """One row per unit and published year: the result beside the frozen forecast (for tables)."""
    out = []
    for o in scoring.outcomes:
        f = o.forecast
        out.append(
            {
                "index": o.index,
                "year": o.year,
                "unit_slug": o.slug,
                "published_score": o.score,
                "published_rank": o.rank,
                "score_p05": f["score_p05"],
                "score_p50": f["score_p50"],
                "score_p95": f["score_p95"],
                "rank_p05": f["rank_p05"],
                "rank_p50": f["rank_p50"],
                "rank_p95": f["rank_p95"],
                "p_top3": f["p_top3"],
                "score_inside_90": None if o.score is None else int(f["score_p05"] <= o.score <= f["score_p95"]),
                "rank_inside_90": None if o.rank is None else int(f["rank_p05"] <= o.rank <= f["rank_p95"]),
                "rank_move": None if o.rank is None else f["rank_p50"] - o.rank,  # > 0: better than forecast
                "persistence_rank": f["persistence_rank"],
                "naive_score": f["naive_score"],
                "focal": f["focal"],
            }
        )
    return out
