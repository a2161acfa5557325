"""How the levers reach the model: the table ``data/lever_effects.csv`` and the terms it feeds.

A lever acts through rows of ``data/lever_effects.csv``, one per (lever, target):

  target         form        meaning of the row's parameter (a row of ``data/parameters.csv``)
  online_share   saturating  rate k: the online share gains room · (1 − e^(−Σ k·Δlever))
  time_cut       saturating  rate k: time_cut_max · (1 − e^(−Σ k·Δlever))
  cost_cut       linear      cost cut per unit share: Σ c·Δlever, kept within −0.9…0.95
  par_<field>    linear      PAR points per unit share, as the appraisal sees the lever (lagged)

Δlever is the lever's change from its current value (a fraction); a driver's terms are summed
in the order of the table, then the driver follows its target with the common lag. Everything
after the drivers — drivers → SIPAS elements and PAR fields, headroom, SIPAS's points in PAR,
the fee revenue forgone — is the model's fixed structure; its parameters are ``MODEL_TERMS``.
The field and the reconstruction read ``FIELD_TERMS``. Together with the table's parameters they
are every parameter the model reads (``required_parameters``): each must have a row in
``data/parameters.csv``.

This module reads nothing itself (``data`` calls ``check`` while loading), so it sits below
``data`` in the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Issue

# drivers and the form of their response to the sum of their levers' terms
DRIVER_FORMS = {"online_share": "saturating", "time_cut": "saturating", "cost_cut": "linear"}
DRIVERS = tuple(DRIVER_FORMS)
# PAR fields a lever may be scored in directly by the appraisal (linear, after the lag)
PAR_FIELDS = ("par_procedures", "par_apparatus", "par_digital", "par_impact")
TARGETS = DRIVERS + PAR_FIELDS
FORMS = ("saturating", "linear")

MODEL_TERMS = (  # the fixed structure after the drivers (model.py, projection.py)
    "time_cut_max",
    "lag_halflife_years",
    "sipas_per_online_share",
    "sipas_per_time_cut",
    "sipas_per_cost_cut",
    "sipas_headroom_ref",
    "par_digital_per_online_share",
    "par_impact_per_time_cut",
    "par_sipas_points",
    "par_headroom_ref",
    "fee_revenue_bn_per_online_share",
)
FIELD_TERMS = (  # the field's dynamics (field.py) and the reconstruction (history.py)
    "par_trend_prior",
    "sipas_trend_prior",
    "trend_continuation",
    "shock_prior_weight",
    "par_break_year",
    "par_break_shock_sd",
    "par_break_noise_sd",
    "par_common_shock_sd",
    "sipas_common_shock_sd",
    "persistence_prior",
    "par_noise_prior",
    "sipas_noise_prior",
    "min_pairs",
    "par_series_start",
    "sipas_series_start",
    "recon_position_sd",
    "recon_slot_sd",
)


@dataclass(frozen=True)
class Effect:
    """One row of ``data/lever_effects.csv``: ``lever`` moves ``target`` with coefficient ``parameter``."""

    lever: str
    target: str  # a driver (DRIVERS) or a PAR field (PAR_FIELDS)
    parameter: str  # a row of data/parameters.csv
    form: str  # saturating | linear, as the target requires
    basis: str  # source | assumption
    source: str  # where the effect is documented, or the reason for the assumption
    source_vi: str  # the same in Vietnamese (official names, document numbers and addresses as they are)

    @property
    def on_driver(self) -> bool:
        return self.target in DRIVER_FORMS


def form_of(target: str) -> str:
    """The form a row for ``target`` must state (PAR fields are linear)."""
    return DRIVER_FORMS.get(target, "linear")


def check(rows: list[dict], lever_names: list[str], display: str = "data/lever_effects.csv") -> list[Issue]:
    """Every problem of the effect rows (read with their ``_row`` numbers) as Issues.

    A row must name a lever of the registry and a known target, state the form that target
    has, and not repeat a (lever, target) pair; a parameter may serve one row only, so that
    changing one coefficient never silently changes another effect.
    """
    issues = []
    seen_pairs: dict[tuple[str, str], int] = {}
    seen_params: dict[str, int] = {}
    for r in rows:
        where = f"{display} row {r['_row']}"
        if r["lever"] not in lever_names:
            issues.append(
                Issue(f"{where} column lever", r["lever"], "a lever of data/levers.csv: " + ", ".join(lever_names))
            )
        if r["target"] not in TARGETS:
            issues.append(Issue(f"{where} column target", r["target"], "one of " + ", ".join(TARGETS)))
        elif r["form"] != form_of(r["target"]):
            issues.append(
                Issue(f"{where} column form", r["form"], f"{form_of(r['target'])} (the form of {r['target']})")
            )
        pair = (r["lever"], r["target"])
        if pair in seen_pairs:
            issues.append(
                Issue(
                    f"{where} columns lever, target",
                    f"{pair[0]}, {pair[1]}",
                    f"a pair used once (already in row {seen_pairs[pair]})",
                )
            )
        seen_pairs.setdefault(pair, r["_row"])
        if r["parameter"] in seen_params:
            issues.append(
                Issue(
                    f"{where} column parameter",
                    r["parameter"],
                    f"a parameter used by one row only (already in row {seen_params[r['parameter']]})",
                )
            )
        if r["parameter"] in MODEL_TERMS or r["parameter"] in FIELD_TERMS:
            issues.append(
                Issue(
                    f"{where} column parameter",
                    r["parameter"],
                    "a parameter of its own (this one is a fixed term of the model)",
                )
            )
        seen_params.setdefault(r["parameter"], r["_row"])
    return issues


def effects_of(rows: list[dict]) -> tuple[Effect, ...]:
    """The checked rows as Effects, in the table's order."""
    return tuple(
        Effect(r["lever"], r["target"], r["parameter"], r["form"], r["basis"], r["source"], r["source_vi"])
        for r in rows
    )


def required_parameters(effects) -> tuple[str, ...]:
    """Every parameter the model reads: the table's coefficients, then the fixed terms."""
    return tuple(dict.fromkeys([e.parameter for e in effects] + list(MODEL_TERMS) + list(FIELD_TERMS)))
