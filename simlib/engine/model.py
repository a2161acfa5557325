"""Levers → drivers → components → index: the lever effects, vectorised over draws.

All functions are pure and work on arrays shaped (scenarios, draws, years[, ...]).
Effects are changes from business as usual, i.e. from holding every lever at its
current value; the field model (``field.py``) projects business as usual itself.

Drivers (what the levers change in the world):
  online_share  share of dossiers submitted online; rises with the fee waiver and
                full-process online handling, saturating toward 1.
  time_cut      fraction of processing time saved; saturates at ``time_cut_max``.
  cost_cut      fraction of citizens' compliance cost saved; linear in simplification.
Each driver follows its target with a lag (half of a change shows after
``lag_halflife_years``).

Components: the five SIPAS elements (weights in ``data/sipas_elements.csv``; SIPAS
is their mean) and the PAR fields moved by the levers (procedures, apparatus,
digital government, impact and leaders' survey), plus SIPAS's 10 points in PAR.
Effects scale with headroom: (100 − business-as-usual score) / reference headroom.
"""

from __future__ import annotations

import numpy as np

from . import data, levers, wiring

DRIVERS = wiring.DRIVERS


def saturate(x):
    """Symmetric saturating response: 1 − e^(−x) for gains, −(1 − e^(x)) for losses."""
    return np.sign(x) * -np.expm1(-np.abs(x))


def lag(targets: np.ndarray, halflife: np.ndarray) -> np.ndarray:
    """Partial adjustment along the year axis (axis 2): y_t = y_{t−1} + λ (x_t − y_{t−1}), y_{−1} = 0.

    ``targets`` (S, D, T, ...); ``halflife`` (D,) in years; λ = 1 − 0.5^(1/halflife).
    """
    lam = -np.expm1(np.log(0.5) / halflife)
    lam = lam.reshape((1, -1) + (1,) * (targets.ndim - 3))  # broadcast over one year slice
    out = np.empty_like(targets)
    level = np.zeros_like(targets[:, :, 0])
    for t in range(targets.shape[2]):
        level = level + lam * (targets[:, :, t] - level)
        out[:, :, t] = level
    return out


def lever_index() -> dict[str, int]:
    return {name: j for j, name in enumerate(levers.names())}


def effect_rows() -> tuple[wiring.Effect, ...]:
    """The lever → driver and lever → PAR field wiring (``data/lever_effects.csv``), in order."""
    return data.load().lever_effects


def _lever_terms(
    targets: tuple[str, ...],
    delta: np.ndarray | None,
    p: dict[str, np.ndarray],
    lagged: dict[str, np.ndarray] | None = None,
) -> np.ndarray | None:
    """Σ coefficient × lever change over the table's rows for ``targets``, in the table's order:
    (S, D, T), or None where no lever acts on them. ``lagged`` (lever → (S, D, T)) replaces the
    raw change ``delta`` (S, T, L) for the PAR fields, which see a lever with the lag."""
    j = lever_index()
    total = None
    for e in effect_rows():
        if e.target not in targets:
            continue
        if lagged is not None:
            change = lagged[e.lever]
        else:
            assert delta is not None, "a lever change is given, raw or lagged"
            change = delta[:, None, :, j[e.lever]]
        term = p[e.parameter][None, :, None] * change
        total = term if total is None else total + term
    return total


def drivers(delta: np.ndarray, base_online: float, p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Driver changes from lever changes.

    ``delta`` (S, T, L): lever path minus current value (fractions); ``base_online``:
    the unit's current online share. Returns arrays (S, D, T) after the lag. Which lever
    moves which driver, and by which parameter, is ``data/lever_effects.csv``.
    """
    shape = (delta.shape[0], p["lag_halflife_years"].shape[0], delta.shape[1])
    terms = {name: _lever_terms((name,), delta, p) for name in DRIVERS}
    x = {name: np.zeros(shape) if v is None else v for name, v in terms.items()}
    room = np.where(x["online_share"] >= 0, 1.0 - base_online, base_online)
    online = room * saturate(x["online_share"])
    time_cut = p["time_cut_max"][None, :, None] * saturate(x["time_cut"])
    cost_cut = np.clip(x["cost_cut"], -0.9, 0.95)
    stacked = lag(np.stack([online, time_cut, cost_cut], axis=-1), p["lag_halflife_years"])
    return {name: stacked[..., k] for k, name in enumerate(DRIVERS)}


def appraised_levers() -> tuple[str, ...]:
    """Levers the PAR appraisal scores directly (a row to a PAR field in the wiring table)."""
    return tuple(dict.fromkeys(e.lever for e in effect_rows() if not e.on_driver))


def lagged_levers(delta: np.ndarray, p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Changes of the appraised levers as the PAR appraisal sees them, with the same lag: (S, D, T) each."""
    j = lever_index()
    names = appraised_levers()
    if not names:
        return {}
    cols = delta[..., [j[name] for name in names]]  # (S, T, levers)
    draws = p["lag_halflife_years"].shape[0]
    lagged = lag(
        np.broadcast_to(cols[:, None], (cols.shape[0], draws) + cols.shape[1:]).copy(), p["lag_halflife_years"]
    )
    return {name: lagged[..., k] for k, name in enumerate(names)}


def element_weights() -> tuple[tuple[str, ...], np.ndarray]:
    """SIPAS elements and their (elements, drivers) allocation weights (columns sum to 1)."""
    rows = data.load().sipas_elements
    return tuple(r["element"] for r in rows), np.array([[r[d] for d in DRIVERS] for r in rows])


def sipas_effect(drv: dict[str, np.ndarray], p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """SIPAS points at the reference headroom: total (S, D, T) and per element (S, D, T, E).

    Each element moves by (number of elements) × its share of every driver's effect,
    so the mean over the elements — SIPAS — moves by the sum of the driver effects.
    """
    per_driver = np.stack(
        [
            p["sipas_per_online_share"][None, :, None] * drv["online_share"],
            p["sipas_per_time_cut"][None, :, None] * drv["time_cut"],
            p["sipas_per_cost_cut"][None, :, None] * drv["cost_cut"],
        ],
        axis=-1,
    )  # (S, D, T, drivers)
    _, weights = element_weights()
    # einsum sums the three drivers in a fixed order, so a scenario's numbers do not depend on
    # how many scenarios are evaluated with it (a BLAS product may block differently by size)
    elements = weights.shape[0] * np.einsum("...d,ed->...e", per_driver, weights)
    return per_driver.sum(axis=-1), elements


def par_effect(drv: dict[str, np.ndarray], lagged: dict[str, np.ndarray], p: dict[str, np.ndarray]) -> np.ndarray:
    """PAR appraisal and leaders'-survey points at the reference headroom (S, D, T), SIPAS excluded:
    the appraised levers' points (wiring table, in its order), then the drivers' fixed terms."""
    par = lambda name: p[name][None, :, None]
    levers_points = _lever_terms(wiring.PAR_FIELDS, None, p, lagged=lagged)
    digital = par("par_digital_per_online_share") * drv["online_share"]
    total = digital if levers_points is None else levers_points + digital  # summed in this order: the same bits
    return total + par("par_impact_per_time_cut") * drv["time_cut"]


def headroom(bau: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """How much of an effect a score can still take: (100 − score) / reference, within 0–1.5."""
    return np.clip((100.0 - bau) / reference, 0.0, 1.5)


def fee_forgone(paths: np.ndarray, online_share: np.ndarray, p: dict[str, np.ndarray]) -> np.ndarray:
    """Fee revenue forgone by the waiver, bn VND per year (S, D, T): the share of the fee waived
    (the levers marked ``fee_cost``, summed) × revenue per unit of online share × online share."""
    j = lever_index()
    waiver = None
    for name in levers.with_role("fee_cost"):  # data/levers.csv column fee_cost
        col = paths[:, None, :, j[name]]
        waiver = col if waiver is None else waiver + col
    if waiver is None:
        return np.zeros_like(online_share)
    return waiver * p["fee_revenue_bn_per_online_share"][None, :, None] * online_share


def effects(
    paths: np.ndarray, current: np.ndarray, base_online: float, p: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Everything the levers change, at the reference headroom.

    ``paths`` (S, T, L) lever values; ``current`` (L,) their current values.
    Returns sipas_ref, par_ref (S, D, T) points; sipas_elements_ref (S, D, T, E);
    online_share (S, D, T) level; time_cut, cost_cut (S, D, T); fee_forgone_bn (S, D, T).
    """
    delta = paths - current[None, None, :]
    drv = drivers(delta, base_online, p)
    sipas_ref, elements_ref = sipas_effect(drv, p)
    par_ref = par_effect(drv, lagged_levers(delta, p), p)
    online = np.clip(base_online + drv["online_share"], 0.0, 1.0)
    return {
        "sipas_ref": sipas_ref,
        "sipas_elements_ref": elements_ref,
        "par_ref": par_ref,
        "online_share": online,
        "time_cut": drv["time_cut"],
        "cost_cut": drv["cost_cut"],
        "fee_forgone_bn": fee_forgone(paths, online, p),
    }


def index_scores(
    bau_sipas: np.ndarray, bau_par: np.ndarray, eff: dict[str, np.ndarray], p: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SIPAS % and PAR points with lever effects: (S, D, T) each, plus SIPAS elements' change.

    ``bau_*`` (D, T): business-as-usual scores of the unit. SIPAS feeds
    ``par_sipas_points`` × SIPAS / 100 of the PAR total.
    """
    h_sipas = headroom(bau_sipas, p["sipas_headroom_ref"][:, None])[None]
    h_par = headroom(bau_par, p["par_headroom_ref"][:, None])[None]
    d_sipas = eff["sipas_ref"] * h_sipas
    sipas = np.clip(bau_sipas[None] + d_sipas, 0.0, 100.0)
    d_sipas = sipas - bau_sipas[None]
    par = np.clip(
        bau_par[None] + eff["par_ref"] * h_par + p["par_sipas_points"][None, :, None] * d_sipas / 100.0, 0.0, 100.0
    )
    return sipas, par, eff["sipas_elements_ref"] * h_sipas[..., None]
