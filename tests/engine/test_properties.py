"""Properties that must hold for any valid scenario (hypothesis), and for any invalid one."""

from __future__ import annotations

import contextlib
import io
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import clear_caches

from simlib.cli import main as cli
from simlib.engine import data, levers, simulate
from simlib.engine.errors import ScenarioError
from simlib.engine.scenario import MAX_HORIZON, TOP_KEYS, Scenario, baseline_years, replace_levers

LEVERS = levers.names()
UNITS = sorted(data.load().units)
MERGED = sorted(p for p, row in data.load().provinces.items() if row["unit_2025_slug"] != p)
BASES = baseline_years()
FIELD_KEYS = ("others_fee_waiver_share", "others_fee_waiver_year")

FEW = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

shares = st.floats(0.0, 1.0, allow_nan=False)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)


@st.composite
def valid_scenarios(draw, max_draws: int = 200) -> dict:
    """A plain scenario dict that must validate: every form of lever, field and option."""
    base = draw(st.sampled_from(BASES))
    horizon = draw(st.integers(base + 1, MAX_HORIZON))
    target_year = draw(st.integers(base + 1, horizon))
    years = st.integers(base + 1, horizon)
    plans = {}
    for name in draw(st.sets(st.sampled_from(LEVERS))):
        form = draw(st.sampled_from(("plain", "ramp", "path")))
        if form == "plain":
            plans[name] = draw(shares)
        elif form == "ramp":
            plans[name] = {"target": draw(shares), "year": draw(years)}
        else:
            plans[name] = {"path": draw(st.dictionaries(years, shares, min_size=1, max_size=3))}
    raw = {
        "name": draw(names),
        "focal": draw(st.sampled_from(UNITS)),
        "baseline_year": base,
        "horizon": horizon,
        "target_year": target_year,
        "levers": plans,
        "draws": draw(st.integers(10, max_draws)),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }
    if draw(st.booleans()):
        raw["field"] = {"others_fee_waiver_share": draw(shares), "others_fee_waiver_year": draw(years)}
    return raw


# --------------------------------------------------------------------------- valid scenarios


@FEW
@given(valid_scenarios())
def test_ranks_are_always_within_the_field(raw):
    s = Scenario.from_dict(raw)
    r = simulate.run(s)
    for metric in ("par_rank", "sipas_rank"):
        ranks = r.arrays[metric]
        assert ranks.min() >= 1
        assert np.all(ranks <= r.n_units[None, :]), metric
    for metric in ("sipas_pct", "par_score"):
        assert np.all((0 <= r.arrays[metric]) & (r.arrays[metric] <= 100))


@FEW
@given(valid_scenarios(), st.sampled_from(LEVERS), st.floats(0.0, 1.0), st.floats(0.01, 1.0))
def test_more_of_a_lever_never_lowers_the_median_score(raw, lever, low, step):
    """Raising one lever's target (all else equal) never lowers a median score nor worsens a median rank."""
    s = Scenario.from_dict(raw)
    high = min(1.0, low + step)
    year = s.levers[lever].year if lever in s.levers and s.levers[lever].year else s.target_year
    less, more = simulate.run_many([replace_levers(s, {lever: low}, year), replace_levers(s, {lever: high}, year)])
    for metric in ("sipas_pct", "par_score"):
        assert np.all(np.median(more.arrays[metric], axis=0) >= np.median(less.arrays[metric], axis=0) - 1e-9), metric
    for metric in ("par_rank", "sipas_rank"):
        assert np.all(np.median(more.arrays[metric], axis=0) <= np.median(less.arrays[metric], axis=0)), metric


def _project_csv(path: Path, seed: int) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli.main(["project", str(path), "--format", "csv", "--seed", str(seed)]) == 0
    return buf.getvalue()


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_scenarios(max_draws=100))
@pytest.mark.slow
def test_same_seed_gives_byte_identical_output(raw):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_text(Scenario.from_dict(raw).to_yaml(), encoding="utf-8")
        clear_caches()
        first = _project_csv(path, raw["seed"])
        clear_caches()  # recompute every draw from scratch, not from the cache
        second = _project_csv(path, raw["seed"])
        other = _project_csv(path, (raw["seed"] + 1) % 2**32)
    assert first == second
    assert first != other


# --------------------------------------------------------------------------- invalid scenarios


def _bad_int(lo: int, hi: int):
    """Values that are not a whole number within lo..hi."""
    return st.one_of(
        st.integers(max_value=lo - 1),
        st.integers(min_value=hi + 1),
        st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()),
        st.sampled_from([math.nan, math.inf, -math.inf, True, False, None, "2027", "", [2027], {"y": 1}]),
    )


BAD_SHARE = st.one_of(
    st.floats(min_value=1.0, exclude_min=True, allow_nan=False),
    st.floats(max_value=0.0, exclude_max=True, allow_nan=False),
    st.sampled_from([math.nan, math.inf, -math.inf, True, False, None, "0.5", "half", [0.5]]),
)
BAD_TEXT = st.one_of(st.integers(), st.lists(st.integers(), max_size=2), st.booleans(), st.none())


@st.composite
def invalid_scenarios(draw) -> tuple[dict, str]:
    """A valid scenario broken in one place, and the field the error must name."""
    raw = draw(valid_scenarios(max_draws=50))
    base, horizon = raw["baseline_year"], raw["horizon"]
    kind = draw(
        st.sampled_from(
            (
                "unknown_key",
                "baseline_year",
                "horizon",
                "target_year",
                "draws",
                "seed",
                "focal",
                "name",
                "description",
                "lever_plain",
                "lever_target",
                "lever_year",
                "lever_key",
                "unknown_lever",
                "path_value",
                "path_year",
                "field_share",
                "field_year",
                "field_key",
                "levers_type",
                "field_type",
            )
        )
    )
    lever = draw(st.sampled_from(LEVERS))
    year = draw(st.integers(base + 1, horizon))
    if kind == "unknown_key":
        key = draw(names.filter(lambda k: k not in TOP_KEYS))
        raw[key] = draw(st.one_of(shares, names))
        return raw, key
    if kind in ("baseline_year", "horizon", "target_year", "draws", "seed"):
        lo, hi = {
            "baseline_year": (min(BASES), max(BASES)),
            "horizon": (base + 1, MAX_HORIZON),
            "target_year": (base + 1, horizon),
            "draws": (10, 100_000),
            "seed": (0, 2**32 - 1),
        }[kind]
        bad = draw(_bad_int(lo, hi))
        raw[kind] = bad
        return raw, kind
    if kind == "focal":
        raw["focal"] = draw(st.one_of(st.sampled_from(MERGED), names.filter(lambda s: s not in UNITS), BAD_TEXT))
        return raw, "focal"
    if kind == "name":
        raw["name"] = draw(st.one_of(st.sampled_from(["", "   ", "x" * 81]), BAD_TEXT))
        return raw, "name"
    if kind == "description":
        raw["description"] = draw(BAD_TEXT)
        return raw, "description"
    if kind == "lever_plain":
        raw["levers"][lever] = draw(BAD_SHARE)
        return raw, f"levers.{lever}"
    if kind == "lever_target":
        raw["levers"][lever] = {"target": draw(BAD_SHARE), "year": year}
        return raw, f"levers.{lever}.target"
    if kind == "lever_year":
        raw["levers"][lever] = {"target": draw(shares), "year": draw(_bad_int(base + 1, horizon))}
        return raw, f"levers.{lever}.year"
    if kind == "lever_key":
        key = draw(names.filter(lambda k: k not in ("target", "year", "path")))
        raw["levers"][lever] = {"target": draw(shares), key: year}
        return raw, f"levers.{lever}"
    if kind == "unknown_lever":
        key = draw(names.filter(lambda k: k not in LEVERS))
        raw["levers"][key] = draw(shares)
        return raw, f"levers.{key}"
    if kind == "path_value":
        raw["levers"][lever] = {"path": {year: draw(BAD_SHARE)}}
        return raw, f"levers.{lever}.path.{year}"
    if kind == "path_year":
        bad = draw(st.one_of(st.integers(max_value=base), st.integers(min_value=horizon + 1), names))
        raw["levers"][lever] = {"path": {bad: draw(shares)}}
        return raw, f"levers.{lever}.path year"
    if kind == "field_share":
        raw["field"] = {"others_fee_waiver_share": draw(BAD_SHARE)}
        return raw, "field.others_fee_waiver_share"
    if kind == "field_year":
        raw["field"] = {"others_fee_waiver_year": draw(_bad_int(base + 1, horizon))}
        return raw, "field.others_fee_waiver_year"
    if kind == "field_key":
        key = draw(names.filter(lambda k: k not in FIELD_KEYS))
        raw["field"] = {key: draw(shares)}
        return raw, f"field.{key}"
    truthy_non_mapping = st.one_of(st.lists(names, min_size=1, max_size=2), names, st.integers(min_value=1))
    raw["levers" if kind == "levers_type" else "field"] = draw(truthy_non_mapping)
    return raw, "levers" if kind == "levers_type" else "field"


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_scenarios())
def test_generated_scenarios_are_valid(raw):
    """The generator of valid scenarios that the mutations start from is itself right."""
    s = Scenario.from_dict(raw)
    assert Scenario.from_dict(s.to_dict()) == s


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(invalid_scenarios())
def test_invalid_scenarios_always_raise_a_scenario_error_naming_the_field(case):
    raw, where = case
    with pytest.raises(ScenarioError) as err:  # any other exception fails the test
        Scenario.from_dict(raw)
    issues = err.value.issues
    assert where in [i.where for i in issues], (where, str(err.value))
    assert f"{where}: got " in str(err.value)
    assert all(i.allowed for i in issues)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), inner, max_size=3)
    ),
    max_leaves=8,
)
junk_scenarios = st.dictionaries(
    st.one_of(st.sampled_from(sorted(TOP_KEYS)), st.text(max_size=6)), json_values, max_size=6
)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(junk_scenarios, json_values))
def test_any_input_gives_a_scenario_or_a_scenario_error(raw):
    try:
        Scenario.from_dict(raw)
    except ScenarioError as exc:
        assert exc.issues and all(i.where and i.allowed for i in exc.issues)
