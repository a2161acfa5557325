"""Every outcome the engine reports, declared once: name, unit, labels, how it is summarised.

Results, tables, figures, grids and the panel read these declarations; a new metric is one
``Outcome`` here (its computation, if new, is one entry in ``simulate``'s arrays).

Kinds and their summaries (see ``simlib.engine.stats``):
  score        a continuous quantity per draw: mean and linear 5th/50th/95th percentiles
  rank         a whole rank per draw (1 = best): percentiles are ranks a unit can hold
  probability  the share of draws meeting a target, with a 90% Wilson interval of that estimate
  count        a fixed number (no uncertainty), e.g. the units ranked
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from .errors import short

SIPAS_TARGET_PCT = 86.0  # Hà Nội's SIPAS target, % (CCHC plans 2022 and 2026)
KINDS = ("score", "rank", "probability", "count")


@dataclass(frozen=True)
class Outcome:
    name: str
    kind: str  # one of KINDS
    unit: str  # English, for CSV headers and manifests
    unit_vi: str
    label_en: str
    label_vi: str
    source: str = ""  # probability: the per-draw outcome it is computed from
    threshold: float | None = None  # probability: the target's threshold
    comparison: str = ""  # probability: "<=" or ">="
    short: str = ""  # prefix of its band columns in comparison tables (``sipas`` → sipas_p05, …)
    table: tuple[str, ...] = ()  # its statistics in comparison tables: "p05", "p50", "p95", "mean", "p"
    percent: bool = False  # a share 0–1 that figures draw in %
    digits: int = 1  # decimals shown in tables (probabilities are shown in whole %)

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en

    def unit_label(self, lang: str = "vi") -> str:
        return self.unit_vi if lang == "vi" else self.unit

    @property
    def whole(self) -> bool:
        """Whole-number draws (ranks): percentiles taken as actual values."""
        return self.kind == "rank"

    def column(self, stat: str) -> str:
        """The comparison-table column of one statistic: ``short_p50`` for a band, the name for a mean or
        a probability."""
        return f"{self.short or self.name}_{stat}" if stat in BAND_STATS else self.name

    def column_unit(self, stat: str) -> str:
        """What a comparison-table column holds, in English (manifests)."""
        if stat in BAND_STATS:
            whole = " (a whole rank, 1 = best)" if self.whole else ""
            return f"{self.label_en}, {_STAT_EN[stat]}{whole}"
        if stat == "mean":  # the label says so: "Fees forgone, mean (bn VND per year)"
            return self.label_en if ", mean" in self.label_en else f"{self.label_en}, mean"
        return f"{self.label_en} (0–1)"

    def test(self, values):
        """Per-draw booleans of a probability outcome: does the draw meet the target?"""
        if self.kind != "probability":
            raise TypeError(f"{self.name} is a {self.kind}, not a probability")
        return _COMPARE[self.comparison](values, self.threshold)


_COMPARE = {"<=": operator.le, ">=": operator.ge}
BAND_STATS = ("p05", "p50", "p95")
_STAT_EN = {"p05": "5th percentile", "p50": "median", "p95": "95th percentile"}
_RANK_UNIT = ("rank (1 = best)", "thứ hạng (1 = cao nhất)")
_PROB_UNIT = ("probability (0–1)", "xác suất (0–1)")

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("sipas_pct", "score", "%", "%", "SIPAS (%)", "Chỉ số SIPAS (%)", short="sipas", table=BAND_STATS),
    Outcome(
        "par_score",
        "score",
        "points of 100",
        "điểm /100",
        "PAR Index score (of 100)",
        "Điểm PAR Index (/100)",
        short="par",
        table=BAND_STATS,
    ),
    Outcome("par_rank", "rank", *_RANK_UNIT, "PAR Index rank", "Xếp hạng PAR Index", table=BAND_STATS, digits=0),
    Outcome("sipas_rank", "rank", *_RANK_UNIT, "SIPAS rank", "Xếp hạng SIPAS", digits=0),
    Outcome(
        "online_share",
        "score",
        "share of dossiers (0–1)",
        "tỷ lệ hồ sơ (0–1)",
        "Share of dossiers submitted online",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        percent=True,
    ),
    Outcome(
        "p_par_top3",
        "probability",
        *_PROB_UNIT,
        "Probability PAR in the top 3",
        "Xác suất PAR trong top 3",
        "par_rank",
        3,
        "<=",
        table=("p",),
        percent=True,
    ),
    Outcome(
        "p_par_top5",
        "probability",
        *_PROB_UNIT,
        "Probability PAR in the top 5",
        "Xác suất PAR trong top 5",
        "par_rank",
        5,
        "<=",
        percent=True,
    ),
    Outcome(
        "p_par_top10",
        "probability",
        *_PROB_UNIT,
        "Probability PAR in the top 10",
        "Xác suất PAR trong top 10",
        "par_rank",
        10,
        "<=",
        table=("p",),
        percent=True,
    ),
    Outcome(
        "p_sipas_ge_86",
        "probability",
        *_PROB_UNIT,
        "Probability SIPAS ≥ 86%",
        "Xác suất SIPAS ≥ 86%",
        "sipas_pct",
        SIPAS_TARGET_PCT,
        ">=",
        table=("p",),
        percent=True,
    ),
    Outcome(
        "fee_forgone_bn_vnd",
        "score",
        "bn VND per year",
        "tỷ đồng/năm",
        "Fees forgone, mean (bn VND per year)",
        "Phí, lệ phí miễn giảm, trung bình (tỷ đồng/năm)",
        table=("mean",),  # the one statistic of the fees forgone everywhere (simlib.analysis.fees)
    ),
    Outcome(
        "n_units", "count", "units ranked", "số địa phương", "Units ranked", "Số địa phương được xếp hạng", digits=0
    ),
)
# The columns of ``simlib grid`` (grid.csv), in their published order: a file format, so listed here
# rather than derived from the order of the declarations; each is a comparison-table column.
GRID_COLUMNS = (
    "par_p50",
    "par_rank_p50",
    "par_rank_p05",
    "par_rank_p95",
    "p_par_top3",
    "p_par_top10",
    "sipas_p50",
    "p_sipas_ge_86",
    "fee_forgone_bn_vnd",
)


def get(name: str) -> Outcome:
    """The declaration of one outcome; KeyError names the known ones."""
    for outcome in OUTCOMES:
        if outcome.name == name:
            return outcome
    raise KeyError(f"unknown outcome {short(name)}; known: {', '.join(names())}")


def names(kind: str | None = None) -> tuple[str, ...]:
    """Outcome names in declaration order, optionally of one kind."""
    return tuple(o.name for o in OUTCOMES if kind is None or o.kind == kind)


def distributions() -> tuple[str, ...]:
    """Outcomes drawn per draw (scores and ranks): summarised by mean and percentiles."""
    return tuple(o.name for o in OUTCOMES if o.kind in ("score", "rank"))


def probabilities() -> tuple[str, ...]:
    return names("probability")


def units() -> dict[str, str]:
    """name → English unit (CSV headers, manifests)."""
    return {o.name: o.unit for o in OUTCOMES}


def table_columns() -> tuple[tuple[str, Outcome, str], ...]:
    """(column, outcome, statistic) of every comparison-table column, in declaration order."""
    return tuple((o.column(stat), o, stat) for o in OUTCOMES for stat in o.table)


def column_units() -> dict[str, str]:
    """comparison-table column → what it holds (English)."""
    return {column: o.column_unit(stat) for column, o, stat in table_columns()}


def percent_metrics() -> tuple[str, ...]:
    """Outcomes that are shares 0–1, drawn in %."""
    return tuple(o.name for o in OUTCOMES if o.percent)


def labels() -> dict[str, tuple[str, str]]:
    """name → (Vietnamese, English) label of every outcome."""
    return {o.name: (o.label_vi, o.label_en) for o in OUTCOMES}


_missing = set(GRID_COLUMNS) - {column for column, _, _ in table_columns()}
assert not _missing, f"grid columns without a declared outcome statistic: {sorted(_missing)}"
