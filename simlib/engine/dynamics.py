"""The field's dynamics estimated by likelihood from the published figures up to a cutoff year.

On g = log(100 − score), with c_t = log(100 − national average):

* **Common part** — c is a random walk with drift: c_t − c_s ~ N(k·trend, k·shock_sd²) over
  k = t − s years. Every pair of successive published averages is one observation (a 2-year
  gap counts as two steps), in two segments: the ``MAX_PRE_YEARS`` years before the series
  start (a methodology break) and the years from it on; the step across the break is not one
  (a break moves the level, not the drift or the yearly shock). The drift's maximum-likelihood
  estimate is the segments' summed change over their summed years; the shock variance is the
  (unbiased) mean of the squared standardised residuals, pooled with its prior
  (``*_common_shock_sd``) weighted as ``shock_prior_weight`` pseudo-intervals. The drift's sd is
  shock_sd / √years. The trend prior is used only where no segment has two averages.
* **Each unit's part** — d_{i,t} = g_{i,t} − c_t follows d_t = persistence · d_{t−1} + noise.
  The noise is a scale mixture that nests plain persistence: in a given year a unit mostly
  **stays** (noise sd σ_stay, with probability 1 − π) and sometimes **jumps** (sd σ_jump =
  ratio · σ_stay, probability π). Every province published in two years t − k, t (k = 1 or 2,
  the nearest earlier year) is one observation d_t = φ^k d_{t−k} + e, e the sum of k yearly
  noises (for k = 2, four combinations of stay and jump); persistence and noise maximise the
  likelihood of all of them (``_max_likelihood`` for one normal noise, ``mixture`` for the
  mixture; measurement error of ranks published without a score included). The mixture's
  **shape** (π and the ratio) is common to both indices and estimated from both indices' pairs
  together (``noise_shape``); each index has its own persistence and scale. π = 0 is plain
  normal noise, and the estimate stays there when the pairs do not say otherwise. (Student-t noise
  with its degrees of freedom fitted by profile likelihood was tried and dropped: it did not
  lower the backtests' pooled CRPS — see data/README.md.) Persistence is then combined with its prior
  (``persistence_prior``, precision-weighted: published provinces are mostly the best, so
  the estimate alone may overstate it) and the noise's variance with its prior (``*_noise_prior``,
  weighted as ``min_pairs`` pseudo-pairs; the shape kept). Below ``min_pairs`` pairs the priors
  are used, with the shape of the other index's pairs where those suffice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from . import data, history, params, stats

MAX_PRE_YEARS = 4  # averages this many years before the series start tell the drift when the series has only one
MAX_GAP = 2  # years between two published scores of a province that still count as a pair


@dataclass(frozen=True)
class Common:
    trend: float  # per year, on log(100 − average); negative = scores rising
    trend_sd: float
    shock_sd: float  # sd of the yearly common shock
    note: str


@dataclass(frozen=True)
class Units:
    persistence: float
    persistence_sd: float
    noise_sd: float  # sd of the yearly unit noise on log(100 − score) (the mixture's overall sd)
    n_pairs: int
    note: str
    jump_prob: float = 0.0  # π: share of unit-years that jump
    stay_sd: float | None = None  # sd of a staying unit's noise (None: noise_sd, no mixture)
    jump_sd: float | None = None  # sd of a jumping unit's noise


def _row(name: str) -> dict:
    return next(r for r in data.load().parameters if r["name"] == name)


def break_year(index: str) -> int | None:
    """The index's methodology break ahead of the series (``{index}_break_year`` in data/parameters.csv:
    PAR 2025, QĐ 1187/QĐ-BNV), or None."""
    name = f"{index.lower()}_break_year"
    return int(params.central(name)) if any(r["name"] == name for r in data.load().parameters) else None


def segments(index: str, cutoff: int) -> tuple[list[int], ...]:
    """Years with a published average up to ``cutoff``: the ``MAX_PRE_YEARS`` years before the
    series start (a methodology break), and from the start on; once ``cutoff`` reaches the index's
    break year (``break_year``), the years from the start to it and from it on are two segments."""
    ds = data.load()
    start = int(params.central(f"{index.lower()}_series_start"))
    before = [y for y in range(start - MAX_PRE_YEARS, min(start, cutoff + 1)) if ds.average(index, y) is not None]
    after = [y for y in range(start, cutoff + 1) if ds.average(index, y) is not None]
    brk = break_year(index)
    if brk is None or cutoff < brk:
        return before, after
    return before, [y for y in after if y < brk], [y for y in after if y >= brk]


def common(index: str, cutoff: int) -> Common:
    """Drift and common shock of the national average, from published averages ≤ ``cutoff``.

    The averages before the series start and from it on are two segments of one random walk with
    one drift: the break moved the level (the step across it is not an observation), not the drift
    or the yearly shock. Every step within a segment is one observation.
    """
    ds = data.load()
    key = index.lower()
    start = int(params.central(f"{key}_series_start"))
    prior_sd = params.central(f"{key}_common_shock_sd")
    before, after, *since_break = segments(index, cutoff)
    k, d = [], []
    for seg in (before, after, *since_break):
        g = [float(history.loggap(ds.average(index, y))) for y in seg]
        k += [b - a for a, b in zip(seg, seg[1:])]
        d += [b - a for a, b in zip(g, g[1:])]
    if not k:
        prior = _row(f"{key}_trend_prior")
        return Common(
            prior["p1"],
            float(np.hypot(prior["p2"], prior_sd)),
            prior_sd,
            "prior (fewer than two published averages in the window)",
        )
    k, d = np.array(k, dtype=float), np.array(d)
    trend = float(d.sum() / k.sum())
    n0 = params.central("shock_prior_weight")
    ss = float(np.sum((d - k * trend) ** 2 / k))  # n − 1 degrees of freedom once the drift is estimated
    shock_sd = math.sqrt((ss + n0 * prior_sd**2) / (len(k) - 1 + n0))
    parts = []
    if len(before) >= 2:
        parts.append(f"{len(before)} before the {start} break ({', '.join(map(str, before))})")
    if len(after) >= 2:
        parts.append(f"{len(after)} from {start} on ({', '.join(map(str, after))})")
    for seg in since_break:  # the new criteria's level: a step across the break is not one
        brk = break_year(index)
        if len(seg) >= 2:
            parts.append(f"{len(seg)} from the {brk} break on ({', '.join(map(str, seg))})")
        elif seg:
            parts.append(f"not the step into {seg[0]} (new criteria from {brk}: a new level)")
    return Common(
        trend,
        shock_sd / math.sqrt(k.sum()),
        shock_sd,
        f"estimated from published averages: {' and '.join(parts)}; common shock sd {shock_sd:.3f} (with its prior)",
    )


RANK_DRAWS = 200  # reconstruction draws that give a rank published without its score a gap (median, variance)
RANK_SEED = 0


@data.cached_per_dataset(maxsize=64)
def _gaps(index: str, year: int, cutoff: int) -> tuple[tuple[str, float, float], ...]:
    ds = data.load()
    avg = ds.average(index, year)
    if avg is None:
        return ()
    centre = float(history.loggap(avg))
    out = {s: (float(history.loggap(v)) - centre, 0.0) for s, v in history.published_scores(index, year).items()}
    ranked_only = [s for s, p in ds.results.get((index, year), {}).items() if p.rank is not None and s not in out]
    if ranked_only and year in history.reconstructable_years(index):
        fd = history.reconstruct(index, year, RANK_DRAWS, RANK_SEED, cutoff)
        g = history.loggap(fd.scores[:, [fd.slugs.index(s) for s in ranked_only]]) - centre
        for s, med, var in zip(ranked_only, stats.median(g, axis=0), np.var(g, axis=0)):
            out[s] = (float(med), float(var))
    return tuple((s, d, v) for s, (d, v) in sorted(out.items()))


def gaps(index: str, year: int, cutoff: int) -> dict[str, tuple[float, float]]:
    """Each published province's gap to the average in ``year``, log(100 − score) − log(100 − average),
    with its measurement variance: 0 for a published score; for a rank published without its score,
    the median and variance over the year's reconstruction (data ≤ ``cutoff``) of the score on that rank."""
    return {s: (d, v) for s, d, v in _gaps(index, year, cutoff)}


def _as_units(gaps_by_slug: dict, ds) -> dict:
    """Gaps of the 63 provinces keyed as the 34 units: only a unit the merger left as one province
    (a merged unit's gap before 2025 is not a published figure)."""
    out = {}
    for unit in ds.units:
        members = ds.members(unit)
        if len(members) == 1 and members[0] in gaps_by_slug:
            out[unit] = gaps_by_slug[members[0]]
    return out


def pairs(index: str, cutoff: int, since: int | None = None, until: int | None = None) -> tuple[np.ndarray, ...]:
    """(earlier gap d_{t−k}, later gap d_t, k, their measurement variances) for every province
    published (score or rank) in two years ≤ cutoff (the earlier ≥ ``since``, the later ≤ ``until``
    where given). A pair across the index's break year is not one (new criteria); a pair across the
    2025 merger is one only for a unit that was a single province."""
    ds = data.load()
    start = int(params.central(f"{index.lower()}_series_start"))
    brk = break_year(index)
    x, y, k, mx, my = [], [], [], [], []
    by_year = {t: gaps(index, t, cutoff) for t in range(start, cutoff + 1)} if cutoff > start else {}
    for t in range(start + 1, min(cutoff, until or cutoff) + 1):
        g1 = by_year[t]

        def earlier(t0: int, t: int = t) -> dict:
            g = by_year[t0]
            return _as_units(g, ds) if t0 < data.MERGER_YEAR <= t else g

        for gap in range(1, MAX_GAP + 1):
            t0 = t - gap
            if t0 < start or (since is not None and t0 < since) or (brk is not None and t0 < brk <= t):
                continue
            g0 = earlier(t0)
            # a province counts once per year t: with its nearest earlier published year
            for slug in sorted(g0.keys() & g1.keys()):
                if gap > 1 and any(slug in earlier(t - j) for j in range(1, gap)):
                    continue
                x.append(g0[slug][0])
                y.append(g1[slug][0])
                mx.append(g0[slug][1])
                my.append(g1[slug][1])
                k.append(gap)
    return np.array(x), np.array(y), np.array(k, dtype=float), np.array(mx), np.array(my)


PHI_GRID = np.linspace(-0.5, 1.6, 2101)  # persistence values tried (step 0.001)
SD_RANGE = (0.001, 2.0)  # noise sds searched when some gaps carry measurement error
GOLDEN_STEPS = 40  # golden-section steps on log σ (the range shrinks ×0.618 per step)
PHI_COARSE = 10  # with measurement error, φ is searched on every 10th grid value, then finely around the best


def _max_likelihood(x, y, k, mx=None, my=None) -> tuple[float, float]:
    """(persistence, noise sd) maximising the normal likelihood of the published pairs.

    r = y − φ^k·x has variance σ²·v + my + φ^{2k}·mx, with v = 1 + φ² for 2-year pairs (1
    otherwise) and mx, my the gaps' measurement variances (ranks published without a score).
    Without measurement error the noise variance's maximum for a given φ is closed-form,
    σ²(φ) = mean(r² / v), and the profile log-likelihood −n/2·log σ²(φ) − ½·Σ log v is maximised
    over a fine grid of φ; with it, σ is found by golden-section search on log σ for every φ of a
    coarse grid at once, then of the fine grid around the best (plain numpy: no optimiser to import
    on the cold path).
    """
    if mx is None or my is None or not (np.any(mx) or np.any(my)):
        phi = PHI_GRID[:, None]
        v = np.where(k > 1, 1 + phi**2, 1.0)
        r = y - phi**k * x
        s2 = np.mean(r**2 / v, axis=1)
        loglik = -0.5 * len(x) * np.log(s2) - 0.5 * np.sum(np.log(v), axis=1)
        best = int(np.argmax(loglik))
        return float(PHI_GRID[best]), float(np.sqrt(s2[best]))
    coarse = _profile_sd(PHI_GRID[::PHI_COARSE], x, y, k, mx, my)
    centre = int(np.argmax(coarse[1])) * PHI_COARSE
    fine = PHI_GRID[max(0, centre - PHI_COARSE) : centre + PHI_COARSE + 1]  # around the coarse best
    sd, loglik = _profile_sd(fine, x, y, k, mx, my)
    best = int(np.argmax(loglik))
    return float(fine[best]), float(sd[best])


def _profile_sd(phis: np.ndarray, x, y, k, mx, my) -> tuple[np.ndarray, np.ndarray]:
    """For each persistence of ``phis``: the noise sd maximising the likelihood of the pairs with
    measurement error, found by golden-section search on log σ for all of them at once (the
    likelihood is unimodal in σ), and that maximum log-likelihood."""
    phi = phis[:, None]
    v = np.where(k > 1, 1 + phi**2, 1.0)  # (φ, pairs)
    r2 = (y - phi**k * x) ** 2
    m = my + phi ** (2 * k) * mx

    def loglik(log_sd):  # (φ,) → (φ,)
        var = np.exp(2 * log_sd)[:, None] * v + m
        return -0.5 * np.sum(np.log(var) + r2 / var, axis=1)

    lo, hi = np.full(phis.size, math.log(SD_RANGE[0])), np.full(phis.size, math.log(SD_RANGE[1]))
    ratio = (math.sqrt(5) - 1) / 2
    a_, b_ = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = loglik(a_), loglik(b_)
    for _ in range(GOLDEN_STEPS):
        left = fa > fb  # the maximum lies in [lo, b_]
        hi, lo = np.where(left, b_, hi), np.where(left, lo, a_)
        a_new, b_new = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        a_, b_ = np.where(left, a_new, b_), np.where(left, a_, b_new)
        fa, fb = np.where(left, loglik(a_new), fb), np.where(left, fa, loglik(b_new))
    log_sd = (lo + hi) / 2
    return np.exp(log_sd), loglik(log_sd)


@dataclass(frozen=True)
class Shape:
    """The unit noise's mixture shape: a unit-year jumps with probability ``jump_prob`` and its
    noise sd is then ``ratio`` times a staying unit's; (0, 1) is one normal noise."""

    jump_prob: float
    ratio: float
    n_pairs: int  # pairs of both indices it was estimated from

    def stay_share(self) -> float:
        """σ_stay² / overall variance: (1 − π) + π·ratio² is the overall variance in units of σ_stay²."""
        return 1.0 / ((1 - self.jump_prob) + self.jump_prob * self.ratio**2)


NORMAL = Shape(0.0, 1.0, 0)
JUMP_PROBS = np.round(np.arange(0.0, 0.501, 0.02), 2)  # π tried (a jump is the minority: most units stay)
JUMP_RATIOS = np.round(np.arange(1.0, 6.001, 0.25), 2)  # σ_jump / σ_stay tried
STAY_SDS = np.exp(np.linspace(math.log(0.005), math.log(0.5), 93))  # σ_stay tried (5% apart)
PAIR_CHUNK = 128  # pairs evaluated at once on the (π, ratio, σ_stay) grid (bounds the memory)


def _mixture_density(r2: np.ndarray, var: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * r2 / var) / np.sqrt(2 * np.pi * var)


def _pair_likelihood(r2, m, two, p2, pi, s2, j2) -> np.ndarray:
    """Likelihood of each pair's squared residual ``r2`` (broadcast with the other arrays): one yearly
    noise (stay, sd² ``s2``, or jump, ``j2``, with probability ``pi``), or for a 2-year pair (``two``)
    φ·e₁ + e₂ (``p2`` = φ²), four combinations; ``m`` the pair's measurement variance."""
    one = (1 - pi) * _mixture_density(r2, s2 + m) + pi * _mixture_density(r2, j2 + m)
    if not np.any(two):
        return one
    both = (1 - pi) ** 2 * _mixture_density(r2, s2 * (1 + p2) + m)
    both = both + pi * (1 - pi) * (_mixture_density(r2, s2 * p2 + j2 + m) + _mixture_density(r2, j2 * p2 + s2 + m))
    both = both + pi**2 * _mixture_density(r2, j2 * (1 + p2) + m)
    return np.where(two, both, one)


def _as_pairs(x, y, k, mx, my):
    x, y, k = (np.asarray(v, dtype=float) for v in (x, y, k))
    mx = np.zeros_like(x) if mx is None else np.asarray(mx, dtype=float)
    my = np.zeros_like(x) if my is None else np.asarray(my, dtype=float)
    return x, y, k, mx, my


def mixture_loglik(x, y, k, mx, my, phi: float, pis=JUMP_PROBS, ratios=JUMP_RATIOS, sds=STAY_SDS) -> np.ndarray:
    """Log-likelihood of the pairs under d_t = φ^k·d_{t−k} + e on the grid (π, ratio, σ_stay): (P, R, S).

    A 1-year pair's e is one yearly noise (stay or jump); a 2-year pair's is φ·e₁ + e₂, four
    combinations; every variance also holds the pair's measurement variance my + φ^{2k}·mx."""
    x, y, k, mx, my = _as_pairs(x, y, k, mx, my)
    pi = np.asarray(pis, dtype=float)[:, None, None, None]
    ratio = np.asarray(ratios, dtype=float)[None, :, None, None]
    s2 = (np.asarray(sds, dtype=float) ** 2)[None, None, :, None]
    total = np.zeros((pi.shape[0], ratio.shape[1], s2.shape[2]))
    for lo in range(0, x.size, PAIR_CHUNK):
        part = slice(lo, lo + PAIR_CHUNK)
        r2 = (y[part] - phi ** k[part] * x[part]) ** 2
        m = my[part] + phi ** (2 * k[part]) * mx[part]
        like = _pair_likelihood(r2, m, k[part] > 1, phi * phi, pi, s2, s2 * ratio**2)
        total += np.log(np.maximum(like, 1e-300)).sum(axis=-1)
    return total


def _phi_loglik(x, y, k, mx, my, phis: np.ndarray, shape: Shape, stay_sd: float) -> np.ndarray:
    """Log-likelihood of the pairs for each persistence of ``phis``, the noise given."""
    phi = np.asarray(phis, dtype=float)[:, None]
    r2 = (y - phi**k * x) ** 2
    m = my + phi ** (2 * k) * mx
    s2 = stay_sd**2
    like = _pair_likelihood(r2, m, k > 1, phi * phi, shape.jump_prob, s2, s2 * shape.ratio**2)
    return np.log(np.maximum(like, 1e-300)).sum(axis=-1)


def mixture(x, y, k, mx=None, my=None, shape: Shape | None = None, rounds: int = 2) -> tuple[float, Shape, float]:
    """(persistence, shape, σ_stay) maximising the mixture likelihood of one index's pairs; with
    ``shape`` given, only persistence and σ_stay. Persistence starts from the normal estimate and
    is found again on its grid given the noise, ``rounds`` times (coordinate ascent)."""
    x, y, k, mx, my = _as_pairs(x, y, k, mx, my)
    phi, _ = _max_likelihood(x, y, k, mx, my)
    pis = JUMP_PROBS if shape is None else [shape.jump_prob]
    ratios = JUMP_RATIOS if shape is None else [shape.ratio]
    for _ in range(rounds):
        ll = mixture_loglik(x, y, k, mx, my, phi, pis, ratios)
        i, j, s_ = np.unravel_index(int(np.argmax(ll)), ll.shape)
        est, sd = Shape(float(pis[i]), float(ratios[j]), len(x)), float(STAY_SDS[s_])
        coarse = PHI_GRID[::PHI_COARSE]
        centre = int(np.argmax(_phi_loglik(x, y, k, mx, my, coarse, est, sd))) * PHI_COARSE
        fine = PHI_GRID[max(0, centre - PHI_COARSE) : centre + PHI_COARSE + 1]
        phi = float(fine[int(np.argmax(_phi_loglik(x, y, k, mx, my, fine, est, sd)))])
    return phi, est, sd


@data.cached_per_dataset(maxsize=16)
def noise_shape(cutoff: int) -> Shape:
    """The noise mixture's shape from both indices' pairs ≤ ``cutoff`` (indices with at least
    ``min_pairs`` pairs): the (π, ratio) of the greatest summed likelihood, each index with its own
    persistence (its normal estimate) and σ_stay (profiled); one normal noise where none has enough."""
    n0 = params.central("min_pairs")
    total, n = None, 0
    for index in data.INDICES:
        x, y, k, mx, my = pairs(index, cutoff)
        if len(x) < n0:
            continue
        phi, _ = _max_likelihood(x, y, k, mx, my)
        ll = mixture_loglik(x, y, k, mx, my, phi).max(axis=-1)  # σ_stay profiled out: (P, R)
        total = ll if total is None else total + ll
        n += len(x)
    if total is None:
        return NORMAL
    i, j = np.unravel_index(int(np.argmax(total)), total.shape)
    if JUMP_PROBS[i] == 0.0 or JUMP_RATIOS[j] == 1.0:
        return Shape(0.0, 1.0, n)
    return Shape(float(JUMP_PROBS[i]), float(JUMP_RATIOS[j]), n)


def units(index: str, cutoff: int) -> Units:
    """Persistence and noise (with the mixture's shape, ``noise_shape``) of the units' gaps to the
    average, from published pairs.

    Once ``cutoff`` reaches the index's break year, the pairs after the break (the 34 units under
    the new criteria) are used where there are ``min_pairs`` of them; until then the pairs before
    it, and the note says so."""
    key = index.lower()
    brk = break_year(index)
    after_break = ""
    if brk is not None and cutoff >= brk:
        post = pairs(index, cutoff, since=brk)
        if len(post[0]) >= params.central("min_pairs"):
            x, y, k, mx, my = post
            after_break = f" after the {brk} break"
        else:
            x, y, k, mx, my = pairs(index, cutoff, until=brk - 1)
            after_break = (
                f" before the {brk} break ({len(post[0])} pairs after it, fewer than "
                f"{int(params.central('min_pairs'))}: the pre-break estimate)"
            )
    else:
        x, y, k, mx, my = pairs(index, cutoff)
    shown = brk - 1 if after_break.startswith(" before") else cutoff
    pp = _row("persistence_prior")
    noise_prior = params.central(f"{key}_noise_prior")
    n0 = params.central("min_pairs")
    shape = noise_shape(cutoff)
    if len(x) < n0:
        return _with_shape(
            Units(
                pp["p1"],
                pp["p2"],
                noise_prior,
                len(x),
                f"prior ({len(x)} published pairs{after_break}, fewer than {int(n0)})",
            ),
            shape,
        )
    if shape.jump_prob > 0:
        phi_hat, _, stay = mixture(x, y, k, mx, my, shape)
        sd_hat = stay / math.sqrt(shape.stay_share())  # the mixture's overall sd
    else:
        phi_hat, sd_hat = _max_likelihood(x, y, k, mx, my)
    se = sd_hat / math.sqrt(max(float(np.sum((phi_hat ** (k - 1) * k * x) ** 2)), 1e-12))
    w_prior, w_data = pp["p2"] ** -2, se**-2
    phi = float(np.clip((w_prior * pp["p1"] + w_data * phi_hat) / (w_prior + w_data), 0.0, 1.0))
    n = len(x)
    sd = math.sqrt((n * sd_hat**2 + n0 * noise_prior**2) / (n + n0))
    return _with_shape(
        Units(
            phi,
            float((w_prior + w_data) ** -0.5),
            sd,
            n,
            f"maximum likelihood on {n} provinces published in two years ≤ {shown}{after_break} "
            f"({int(np.sum((mx > 0) | (my > 0)))} of them with a rank but no score in one) "
            f"(persistence {phi_hat:.2f} ± {se:.2f}, noise sd {sd_hat:.3f}; each combined with its prior)",
        ),
        shape,
    )


def _with_shape(u: Units, shape: Shape) -> Units:
    """``u`` with its overall noise sd split by the mixture ``shape`` into σ_stay and σ_jump."""
    if shape.jump_prob == 0:
        return u
    stay = u.noise_sd * math.sqrt(shape.stay_share())
    return replace(
        u,
        jump_prob=shape.jump_prob,
        stay_sd=stay,
        jump_sd=stay * shape.ratio,
        note=f"{u.note}; noise a mixture: {shape.jump_prob:.0%} of unit-years jump (sd {stay * shape.ratio:.3f}), "
        f"the rest stay (sd {stay:.3f}), shape from {shape.n_pairs} pairs of both indices",
    )
