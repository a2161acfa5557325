"""The arithmetic of a projection, behind the one door: business-as-usual field + lever effects → scores and ranks per draw.

Scenarios that share (baseline year, horizon, draws, seed) share every random
draw — the field's, the reconstruction's and the parameters' — so the difference
between two of them is the levers', not noise's (common random numbers). The
field's draws are cached per process: a second scenario costs only its effects.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

import numpy as np

from . import data, field, levers, model, params


@dataclass(eq=False)
class Context:
    """Everything a scenario's levers do not change, for one focal unit and draw set.

    Never changed once built (``with_start``, ``with_field`` make new contexts); the other
    units' scores under a fee-waiver assumption are kept in the explicit cache ``_FIELD_SCORES``.
    """

    focal: str
    baseline_year: int
    horizon: int
    draws: int
    seed: int
    years: np.ndarray
    p: dict
    fields: dict  # index -> ProjectedField
    bau: dict  # index -> (D, T) the focal unit's business-as-usual scores
    current: np.ndarray  # (L,) lever values going into the first projected year
    base_online: float

    def with_start(self, current: np.ndarray, base_online: float) -> Context:
        """The same draws with other lever values (L,) and online share (0–1) going into the first year."""
        return replace(self, current=np.asarray(current, dtype=float), base_online=float(base_online))

    def with_field(self, fields: dict, p: dict) -> Context:
        """The same unit and levers on other field draws: ``fields`` index → ProjectedField (e.g. re-projected
        under other field assumptions, several settings stacked along the draw axis) and parameter draws ``p``
        (name → (D',) arrays, D' the draws of those fields)."""
        first = next(iter(fields.values()))
        return replace(
            self,
            horizon=int(first.years[-1]),
            draws=int(first.scores[0].shape[0]),
            years=np.asarray(first.years),
            p=p,
            fields=dict(fields),
            bau=_bau(fields, self.focal),
        )

    def field_scores(self, index: str, share: float, year: int) -> list[np.ndarray]:
        """Every unit's score per year (D, units), the focal unit at business as usual,
        the others with their fee-waiver adoption (kept in ``_FIELD_SCORES``)."""
        cache = _FIELD_SCORES.setdefault(self, {})
        key = (index, round(share, 6), year)
        if key not in cache:
            cache[key] = _field_scores(self, index, share, year)
        return cache[key]

    def others(self, index: str, share: float, year: int) -> list[np.ndarray]:
        """Other units' scores per year (D, units − 1): the field without the focal unit."""
        pf = self.fields[index]
        return [
            np.delete(scores, pf.column(k, _slug_in(pf.slugs[k], self.focal)), axis=1)
            for k, scores in enumerate(self.field_scores(index, share, year))
        ]

    def rank(self, index: str, scores: np.ndarray, share: float, year: int) -> np.ndarray:
        """Rank (S, D, T) of the focal unit scoring ``scores`` (S, D, T): 1 + units scoring above.

        Counts over the whole field and takes out the focal unit's own business-as-usual
        column, which avoids copying the field without it.
        """
        fields = self.field_scores(index, share, year)
        bau = self.bau[index]
        return np.stack(
            [
                1 + (fields[k][None] > scores[:, :, k, None]).sum(-1) - (bau[None, :, k] > scores[:, :, k])
                for k in range(len(fields))
            ],
            axis=-1,
        )


# The other units' scores per (context, index, adoption share, adoption year): an explicit cache that
# forgets a context's entries with the context (and all of them in ``clear_caches``).
_FIELD_SCORES: weakref.WeakKeyDictionary[Context, dict] = weakref.WeakKeyDictionary()


def _field_scores(ctx: Context, index: str, share: float, year: int) -> list[np.ndarray]:
    pf = ctx.fields[index]
    adopt = _adoption_effect(ctx, index, share, year)
    if adopt is None:
        return list(pf.scores)
    eff, mask = adopt
    ref = ctx.p[f"{index.lower()}_headroom_ref"][:, None]
    out = []
    for k in range(len(pf.years)):
        scores = pf.scores[k]
        m = mask[:, : scores.shape[1]].copy()
        m[:, pf.column(k, _slug_in(pf.slugs[k], ctx.focal))] = 0.0
        out.append(scores + m * eff[:, k][:, None] * model.headroom(scores, ref))
    return out


def _bau(fields: dict, focal: str) -> dict:
    """index → (D, T) the focal unit's business-as-usual scores in projected fields."""
    return {
        ix: np.stack(
            [pf.scores[k][:, pf.column(k, _slug_in(pf.slugs[k], focal))] for k in range(len(pf.years))], axis=1
        )
        for ix, pf in fields.items()
    }


def _adoption_effect(ctx: Context, index: str, share: float, year: int):
    """Effect (D, T) of a zero online fee on a typical other unit, and who adopts (D, 34).

    The adopters move every lever marked ``copied_by_others`` in ``data/levers.csv`` (the online
    fee waiver) to its upper bound (a zero fee) from ``year``; None if no lever is marked.
    """
    copied = levers.with_role("copied_by_others")
    if share <= 0 or not copied:
        return None
    default = levers.current_values("*", ctx.baseline_year + 1)
    current = np.array([default[n].value for n in levers.names()])
    paths = np.broadcast_to(current, (1, len(ctx.years), len(current))).copy()
    j = model.lever_index()
    for name in copied:
        paths[0, ctx.years >= year, j[name]] = levers.get(name).max
    base_online = levers.baseline("*", "online_share", ctx.baseline_year + 1).value
    eff = model.effects(paths, current, base_online, ctx.p)
    if index == "SIPAS":
        per = eff["sipas_ref"][0]
    else:
        per = eff["par_ref"][0] + ctx.p["par_sipas_points"][:, None] * eff["sipas_ref"][0] / 100.0
    n_max = max(len(s) for s in ctx.fields[index].slugs)
    mask = params.stream(ctx.seed, f"adoption:{year}").random((ctx.draws, n_max)) < share
    return per, mask.astype(float)


@data.cached_per_dataset(maxsize=8)
def context(focal: str, baseline_year: int, horizon: int, draws: int, seed: int) -> Context:
    """The cached lever-independent part of a run."""
    p = params.draw(draws, seed)
    fields = {ix: field.project(ix, baseline_year, horizon, draws, seed) for ix in data.INDICES}
    bau = _bau(fields, focal)
    cur = levers.current_values(focal, baseline_year + 1)
    return Context(
        focal,
        baseline_year,
        horizon,
        draws,
        seed,
        np.arange(baseline_year + 1, horizon + 1),
        p,
        fields,
        bau,
        np.array([cur[n].value for n in levers.names()]),
        levers.baseline(focal, "online_share", baseline_year + 1).value,
    )


def _slug_in(slugs: tuple[str, ...], focal: str) -> str:
    """The focal unit's column in a year's field (a 2025 unit is its same-named province before 2025)."""
    if focal in slugs:
        return focal
    renamed = [m for m in data.load().members(focal) if m in slugs]  # e.g. hue ← thua-thien-hue
    if len(renamed) == 1:
        return renamed[0]
    raise KeyError(f"{focal} is not in the field")


def outcome_arrays(
    ctx: Context, paths: np.ndarray, share: float = 0.0, adopt_year: int = 2025, p: dict | None = None
) -> dict[str, np.ndarray]:
    """Per-draw outcomes for lever paths (S, T, L): arrays (S, D, T); ``p`` overrides the parameter
    draws. The engine's arithmetic behind ``simlib.engine.simulate.simulate`` (the one door)."""
    p = ctx.p if p is None else p
    eff = model.effects(paths, ctx.current, ctx.base_online, p)
    sipas, par, elements = model.index_scores(ctx.bau["SIPAS"], ctx.bau["PAR"], eff, p)
    out = {
        "sipas_pct": sipas,
        "par_score": par,
        "sipas_elements": elements,
        "online_share": eff["online_share"],
        "fee_forgone_bn_vnd": eff["fee_forgone_bn"],
    }
    out["par_rank"] = ctx.rank("PAR", par, share, adopt_year)
    out["sipas_rank"] = ctx.rank("SIPAS", sipas, share, adopt_year)
    return out


def clear_caches() -> None:
    """Forget every cached draw: reconstructions, field innovations and projections, run contexts."""
    from . import history

    for cached in (history.reconstruct, field.innovations, field.project, context):
        cached.cache_clear()
    _FIELD_SCORES.clear()


def n_units(years) -> np.ndarray:
    return np.array([len(data.load().units_in(int(y))) for y in years])
