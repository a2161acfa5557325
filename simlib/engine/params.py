"""Model parameters (``data/parameters.csv``): their table and their Monte-Carlo draws.

Each parameter gets its own random stream keyed by (seed, name), so adding a
parameter or changing another's prior never changes the draws of the rest, and
two scenarios run with one seed share every draw (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np

from . import data
from .errors import short


def table() -> list[dict]:
    """Rows of the parameter table: name, distribution, unit, meaning, basis, source."""
    return [{k: v for k, v in r.items() if k != "_row"} for r in data.load().parameters]


def describe(row: dict) -> str:
    """The prior as a planner reads it, e.g. 'lognormal, median 0.7, ×/÷ e^0.6'."""
    d, p1, p2 = row["dist"], row["p1"], row["p2"]
    if d == "fixed":
        return f"{p1:g}"
    if d == "normal":
        return f"normal, mean {p1:g}, sd {p2:g}"
    if d == "lognormal":
        return f"lognormal, median {p1:g}, log-sd {p2:g} (90%: {p1 * np.exp(-1.645 * p2):.3g}–{p1 * np.exp(1.645 * p2):.3g})"
    return f"uniform {p1:g}–{p2:g}"


def stream(seed: int, name: str) -> np.random.Generator:
    """The random stream of one named quantity under one seed."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


TWO_PI_32 = np.float32(2.0 * np.pi)


def normals(rng: np.random.Generator, shape, out: np.ndarray | None = None) -> np.ndarray:
    """Standard normal draws of ``shape`` (float32), by the Box–Muller transform of float32 uniforms.

    For the bulk of the draws (the field's yearly unit noise, the reconstruction's): about
    five times faster than ``rng.standard_normal`` and exactly normal in distribution, up to
    the uniforms' 2⁻²⁴ resolution (no draw beyond ±5.8, a tail of probability 10⁻⁸); the
    precision of float32 (7 digits) is far below the Monte-Carlo noise of any band or rank.
    ``out``: a float32 array of ``shape`` to fill instead of a new one.
    """
    shape = (shape,) if np.ndim(shape) == 0 else tuple(shape)
    n = int(np.prod(shape))
    half = (n + 1) // 2
    u = rng.random(2 * half, dtype=np.float32)  # in [0, 1): the first half radii, the second angles
    radius, angle = u[:half], u[half:]
    np.subtract(np.float32(1.0), radius, out=radius)  # in (0, 1]
    np.log(radius, out=radius)
    radius *= np.float32(-2.0)
    np.sqrt(radius, out=radius)
    angle *= TWO_PI_32
    flat = np.empty(2 * half, dtype=np.float32) if out is None or n % 2 else out.reshape(-1)
    np.cos(angle, out=flat[:half])
    np.sin(angle, out=flat[half:])
    flat[:half] *= radius
    flat[half:] *= radius
    if out is None:
        return flat[:n].reshape(shape)
    if n % 2:
        out.reshape(-1)[:] = flat[:n]
    return out


def draw_one(row: dict, draws: int, seed: int) -> np.ndarray:
    d, p1, p2 = row["dist"], row["p1"], row["p2"]
    if d == "fixed":
        return np.full(draws, float(p1))
    rng = stream(seed, "param:" + row["name"])
    if d == "normal":
        return rng.normal(p1, p2, draws)
    if d == "lognormal":
        return p1 * np.exp(rng.normal(0.0, p2, draws))
    return rng.uniform(p1, p2, draws)


def draw(draws: int, seed: int, overrides: dict[str, np.ndarray | float] | None = None) -> dict[str, np.ndarray]:
    """Every parameter as an array of ``draws`` values; ``overrides`` replace named ones."""
    out = {r["name"]: draw_one(r, draws, seed) for r in data.load().parameters}
    for name, value in (overrides or {}).items():
        if name not in out:
            raise KeyError(f"unknown parameter {short(name)}")
        out[name] = np.broadcast_to(np.asarray(value, dtype=float), (draws,)).copy()
    return out


def central(name: str) -> float:
    """A parameter's central value (median of its prior): for fixed settings such as min_pairs."""
    for r in data.load().parameters:
        if r["name"] == name:
            if r["dist"] == "uniform":
                return (r["p1"] + r["p2"]) / 2
            return float(r["p1"])
    raise KeyError(name)
