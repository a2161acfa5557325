"""Speed of the simulation engine, against the targets of the engine's specification.

Measures, in one run:
  import    ``import simlib`` in a fresh interpreter (≤ 0.5 s), and that it pulls in no
            pandas, matplotlib, ipywidgets, papermill or Jupyter module;
  cold      one scenario (scenarios/all_levers.yaml, 10,000 draws to 2030) with the
            process caches cleared — the field is reconstructed and projected again;
            the data files are already loaded (≤ 150 ms);
  warm      a second scenario with other levers and the same draws and seed, reusing
            the field's draws (≤ 20 ms);
  grid      1,000 lever combinations (10 × 10 × 10 over three levers) × 2,000 draws,
            vectorised through ``simulate()`` in chunks of 100 scenarios, from
            cold caches, with a summary per combination (≤ 10 s); and the same grid
            through ``simlib.analysis.grid.sweep`` when that module exists, checked equal;
  loop      the same arithmetic as ``simulate()`` written as a plain per-draw
            Python loop over draws, years and units, on the same field and parameter
            draws; its results are checked equal to the engine's and its time per draw
            is compared with the engine's (≥ 100×).

Prints a table (measure, time, target, met) and writes it as JSON to
out/bench/engine.json. Run from the project root: ``make bench`` or
``.venv/bin/python benchmarks/bench_engine.py [--reps N]``.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from common import ROOT, display_path, fmt_load_average, fmt_seconds, machine, print_table, write_json

OUT = ROOT / "out" / "bench" / "engine.json"

# Modules that must not be loaded by ``import simlib`` (top-level package names).
HEAVY = (
    "pandas",
    "matplotlib",
    "ipywidgets",
    "papermill",
    "IPython",
    "ipykernel",
    "nbformat",
    "nbclient",
    "nbconvert",
    "voila",
    "notebook",
    "traitlets",
    "zmq",
)
HEAVY_PREFIXES = ("jupyter",)

IMPORT_PROBE = """
import json, sys, time
t0 = time.perf_counter()
import {module}
dt = time.perf_counter() - t0
heavy, prefixes = {heavy!r}, {prefixes!r}
loaded = sorted({{m.split(".")[0] for m in sys.modules}})
bad = [m for m in loaded if m in heavy or m.startswith(prefixes)]
print(json.dumps({{"seconds": dt, "heavy": bad, "numpy": "numpy" in loaded,
                  "scipy": "scipy" in loaded, "yaml": "yaml" in loaded}}))
"""


# ---------------------------------------------------------------- helpers


def median_time(fn, reps: int) -> tuple[float, list[float]]:
    """Median wall time of ``fn()`` over ``reps`` calls, and every time (s)."""
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def clear_engine_caches() -> None:
    """Forget every process-level cache of the field and the contexts (the data stay loaded)."""
    from simlib.engine import projection

    projection.clear_caches()


# ---------------------------------------------------------------- import


def bench_import(reps: int) -> dict:
    """``import simlib`` (and the engine's modules) in fresh interpreters."""
    out = {}
    for module in ("simlib", "simlib.engine.simulate, simlib.engine.scenario"):
        runs = []
        for _ in range(reps):
            code = IMPORT_PROBE.format(module=module, heavy=HEAVY, prefixes=HEAVY_PREFIXES)
            proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
            runs.append(json.loads(proc.stdout))
        out[module] = {
            "median_s": statistics.median(r["seconds"] for r in runs),
            "times_s": [r["seconds"] for r in runs],
            "heavy_modules": sorted({m for r in runs for m in r["heavy"]}),
            "loads_numpy": runs[0]["numpy"],
            "loads_scipy": runs[0]["scipy"],
            "loads_yaml": runs[0]["yaml"],
        }
    return out


# ---------------------------------------------------------------- one scenario


def scenarios(draws: int):
    """all_levers at ``draws`` draws and a second scenario with other levers, same draws and seed."""
    from simlib.engine import scenario

    first = scenario.load_yaml(ROOT / "scenarios" / "all_levers.yaml").with_(draws=draws)
    second = scenario.load_yaml(ROOT / "scenarios" / "simplification.yaml").with_(
        draws=draws, seed=first.seed, horizon=first.horizon, baseline_year=first.baseline_year, focal=first.focal
    )
    assert first.horizon == 2030, first.horizon
    assert first.lever_paths().tolist() != second.lever_paths().tolist()
    return first, second


def bench_scenario(draws: int, reps: int) -> dict:
    from simlib.engine import data, projection, simulate

    data.load()
    first, second = scenarios(draws)

    def cold():
        clear_engine_caches()
        simulate.run(first)

    cold()  # first call also pays one-off costs (lazy imports, allocator warm-up)
    cold_s, cold_times = median_time(cold, reps)

    # where the cold time goes: the lever-independent context vs the scenario itself
    def context_only():
        clear_engine_caches()
        simulate.context_of(first)

    context_s, _ = median_time(context_only, reps)

    clear_engine_caches()
    simulate.run(first)
    before = projection.context.cache_info()
    warm_s, warm_times = median_time(lambda: simulate.run(second), reps)
    after = projection.context.cache_info()
    reused = after.hits - before.hits == reps and after.misses == before.misses

    paths = second.lever_paths()[None]
    simulate_s, _ = median_time(lambda: simulate.simulate(second, paths), reps)
    return {
        "draws": draws,
        "years": [int(first.years[0]), int(first.years[-1])],
        "cold_median_s": cold_s,
        "cold_times_s": cold_times,
        "cold_context_median_s": context_s,
        "warm_median_s": warm_s,
        "warm_times_s": warm_times,
        "warm_reused_field_draws": reused,
        "warm_evaluate_median_s": simulate_s,
        "scenarios": [first.name, second.name],
    }


# ---------------------------------------------------------------- grid

GRID_LEVERS = ("simplification", "delegation", "full_process_online")


def grid_targets(points: int):
    """Targets (points³, 3) of the three grid levers, each spanning the lever's bounds."""
    import numpy as np

    from simlib.engine import levers

    axes = [np.linspace(levers.get(n).min, levers.get(n).max, points) for n in GRID_LEVERS]
    return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(GRID_LEVERS))


def bench_grid(draws: int, points: int, chunk: int) -> dict:
    import numpy as np

    from simlib.engine import data, simulate
    from simlib.engine.scenario import LeverPlan
    from simlib.engine.stats import band

    data.load()
    template, _ = scenarios(draws)
    mesh = grid_targets(points)
    # the door's ramps are the scenario's own ramps
    probe = 123 % len(mesh)
    plans = dict(template.levers)
    plans.update(
        {n: LeverPlan(target=float(mesh[probe, k]), year=template.target_year) for k, n in enumerate(GRID_LEVERS)}
    )
    door = simulate.lever_paths_from_targets(template, mesh[probe : probe + 1], GRID_LEVERS)[0]
    assert np.allclose(replace(template, levers=plans).lever_paths(), door)

    clear_engine_caches()
    t0 = time.perf_counter()
    simulate.context_of(template)
    t_context = time.perf_counter() - t0
    k = int(np.flatnonzero(template.years == template.target_year)[0])
    summary = {
        name: np.empty(len(mesh)) for name in ("sipas_p50", "par_p50", "par_rank_p50", "p_par_top3", "p_sipas_ge_86")
    }
    for lo in range(0, len(mesh), chunk):
        out = simulate.simulate(template, targets=mesh[lo : lo + chunk], levers=GRID_LEVERS).arrays
        sl = slice(lo, lo + len(out["par_score"]))
        summary["sipas_p50"][sl] = band(out["sipas_pct"][:, :, k], axis=1)[1]
        summary["par_p50"][sl] = band(out["par_score"][:, :, k], axis=1)[1]
        summary["par_rank_p50"][sl] = band(out["par_rank"][:, :, k], axis=1, whole=True)[1]
        summary["p_par_top3"][sl] = (out["par_rank"][:, :, k] <= 3).mean(axis=1)
        summary["p_sipas_ge_86"][sl] = (out["sipas_pct"][:, :, k] >= 86).mean(axis=1)
    total = time.perf_counter() - t0
    best = int(np.argmax(summary["p_par_top3"]))
    result = {
        "scenarios": len(mesh),
        "draws": draws,
        "chunk": chunk,
        "levers": list(GRID_LEVERS),
        "points_per_lever": points,
        "total_s": total,
        "context_s": t_context,
        "simulate_s": total - t_context,
        "best_p_par_top3": {
            **{n: float(mesh[best, i]) for i, n in enumerate(GRID_LEVERS)},
            "p_par_top3": float(summary["p_par_top3"][best]),
        },
        "sweep": sweep_of_grid_module(template, draws, points, summary),
    }
    return result


def sweep_of_grid_module(template, draws: int, points: int, reference: dict) -> dict:
    """Time ``simlib.analysis.grid.sweep`` over the same grid from cold caches, when that module exists.

    Its P(PAR top 3) and median PAR per combination are compared with ``reference``
    (this benchmark's own chunked evaluation, same order: first lever slowest).
    """
    import numpy as np

    from simlib.engine import levers

    try:
        from simlib.analysis.grid import sweep
    except ImportError as e:
        return {"present": False, "why": str(e)}
    axes = {n: np.linspace(levers.get(n).min, levers.get(n).max, points) for n in GRID_LEVERS}
    base = template.with_(draws=draws)
    try:
        clear_engine_caches()
        t0 = time.perf_counter()
        rows = sweep(base, axes)
        seconds = time.perf_counter() - t0
    except Exception as e:  # an optional module: report, do not stop the benchmark
        return {"present": True, "timed": False, "why": f"{type(e).__name__}: {e}"}
    same = {
        m: bool(np.allclose([r[m] for r in rows], reference[m], rtol=0, atol=1e-6))
        for m in ("p_par_top3", "par_p50")
        if m in rows[0]
    }
    return {"present": True, "timed": True, "seconds": seconds, "rows": len(rows), "matches_engine_grid": same}


# ---------------------------------------------------------------- the per-draw loop


def loop_inputs(ctx, paths, share: float, adopt_year: int, draws: int) -> dict:
    """The engine's precomputed draws as plain Python floats (lists), for ``draws`` draws."""
    import numpy as np

    from simlib.engine import model

    _, weights = model.element_weights()
    p = {k: v[:draws].tolist() for k, v in ctx.p.items()}
    others = {ix: [o[:draws].tolist() for o in ctx.others(ix, share, adopt_year)] for ix in ("PAR", "SIPAS")}
    bau = {ix: ctx.bau[ix][:draws].tolist() for ix in ("PAR", "SIPAS")}
    lever_j = model.lever_index()
    return {
        "p": p,
        "others": others,
        "bau": bau,
        "paths": np.asarray(paths).tolist(),
        "current": ctx.current.tolist(),
        "base_online": float(ctx.base_online),
        "weights": weights.tolist(),
        "lever_j": lever_j,
        "draws": draws,
    }


def saturate(x: float) -> float:
    """1 − e^(−x) for gains, −(1 − e^(x)) for losses (as model.saturate)."""
    if x > 0:
        return -math.expm1(-x)
    if x < 0:
        return math.expm1(x)
    return 0.0


def clip(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def per_draw_loop(inp: dict) -> dict:
    """simulate() for one scenario, draw by draw, year by year, unit by unit.

    Returns lists [draw][year] of sipas_pct, par_score, online_share, fee_forgone_bn_vnd,
    par_rank, sipas_rank and [draw][year][element] of sipas_elements.
    """
    p, bau, others, paths = inp["p"], inp["bau"], inp["others"], inp["paths"]
    j = inp["lever_j"]
    js, jd, jf, jo = j["simplification"], j["delegation"], j["online_fee_waiver"], j["full_process_online"]
    weights, base_online = inp["weights"], inp["base_online"]
    n_elements = len(weights)
    n_years, n_levers = len(paths), len(paths[0])
    delta = [[paths[t][lv] - inp["current"][lv] for lv in range(n_levers)] for t in range(n_years)]
    out = {
        k: []
        for k in (
            "sipas_pct",
            "par_score",
            "online_share",
            "fee_forgone_bn_vnd",
            "par_rank",
            "sipas_rank",
            "sipas_elements",
        )
    }
    par_others, sipas_others = others["PAR"], others["SIPAS"]
    for d in range(inp["draws"]):
        lam = -math.expm1(math.log(0.5) / p["lag_halflife_years"][d])
        k_fee, k_full = p["online_k_fee"][d], p["online_k_full_process"][d]
        t_max, t_ks, t_kd = p["time_cut_max"][d], p["time_k_simplification"][d], p["time_k_delegation"][d]
        c_s = p["cost_cut_per_simplification"][d]
        a_online, a_time, a_cost = (
            p["sipas_per_online_share"][d],
            p["sipas_per_time_cut"][d],
            p["sipas_per_cost_cut"][d],
        )
        b_tthc, b_app = p["par_tthc_per_simplification"][d], p["par_apparatus_per_delegation"][d]
        b_dig, b_imp = p["par_digital_per_online_share"][d], p["par_impact_per_time_cut"][d]
        ref_s, ref_p = p["sipas_headroom_ref"][d], p["par_headroom_ref"][d]
        sipas_points, fee_rev = p["par_sipas_points"][d], p["fee_revenue_bn_per_online_share"][d]
        online_l = time_l = cost_l = 0.0
        lagged = [0.0] * n_levers
        rows = {k: [] for k in out}
        for t in range(n_years):
            dl = delta[t]
            # levers → drivers (targets), then partial adjustment toward them
            x_online = k_fee * dl[jf] + k_full * dl[jo]
            room = 1.0 - base_online if x_online >= 0 else base_online
            online_target = room * saturate(x_online)
            time_target = t_max * saturate(t_ks * dl[js] + t_kd * dl[jd])
            cost_target = clip(c_s * dl[js], -0.9, 0.95)
            online_l = online_l + lam * (online_target - online_l)
            time_l = time_l + lam * (time_target - time_l)
            cost_l = cost_l + lam * (cost_target - cost_l)
            for lv in range(n_levers):
                lagged[lv] = lagged[lv] + lam * (dl[lv] - lagged[lv])
            # drivers → SIPAS (per element) and PAR points at the reference headroom
            per_driver = (a_online * online_l, a_time * time_l, a_cost * cost_l)
            sipas_ref = per_driver[0] + per_driver[1] + per_driver[2]
            par_ref = b_tthc * lagged[js] + b_app * lagged[jd] + b_dig * online_l + b_imp * time_l
            # headroom and index scores
            bau_s, bau_p = bau["SIPAS"][d][t], bau["PAR"][d][t]
            h_s = clip((100.0 - bau_s) / ref_s, 0.0, 1.5)
            h_p = clip((100.0 - bau_p) / ref_p, 0.0, 1.5)
            sipas = clip(bau_s + sipas_ref * h_s, 0.0, 100.0)
            par = clip(bau_p + par_ref * h_p + sipas_points * (sipas - bau_s) / 100.0, 0.0, 100.0)
            elements = []
            for e in range(n_elements):
                w = weights[e]
                elements.append(n_elements * (per_driver[0] * w[0] + per_driver[1] * w[1] + per_driver[2] * w[2]) * h_s)
            online = clip(base_online + online_l, 0.0, 1.0)
            # rank: 1 + number of other units scoring above
            par_rank = 1
            for score in par_others[t][d]:
                if score > par:
                    par_rank += 1
            sipas_rank = 1
            for score in sipas_others[t][d]:
                if score > sipas:
                    sipas_rank += 1
            rows["sipas_pct"].append(sipas)
            rows["par_score"].append(par)
            rows["online_share"].append(online)
            rows["fee_forgone_bn_vnd"].append(paths[t][jf] * fee_rev * online)
            rows["par_rank"].append(par_rank)
            rows["sipas_rank"].append(sipas_rank)
            rows["sipas_elements"].append(elements)
        for k in out:
            out[k].append(rows[k])
    return out


def bench_loop(draws: int, loop_draws: int, vectorised_s: float, warm_run_s: float) -> dict:
    """The plain loop on ``loop_draws`` draws of the ``draws``-draw context, checked against the engine."""
    import numpy as np

    from simlib.engine import simulate

    first, _ = scenarios(draws)
    ctx = simulate.context_of(first)
    paths = first.lever_paths()
    share, year = first.others_fee_waiver_share, first.others_fee_waiver_year
    engine = simulate.simulate(first, paths, context=ctx).arrays
    inp = loop_inputs(ctx, paths, share, year, loop_draws)
    loop = per_draw_loop(inp)
    loop_s, loop_times = median_time(lambda: per_draw_loop(inp), 3)
    checks = {}
    for name in ("sipas_pct", "par_score", "online_share", "fee_forgone_bn_vnd", "sipas_elements"):
        checks[name] = bool(np.allclose(np.array(loop[name]), engine[name][0, :loop_draws], rtol=1e-9, atol=1e-9))
    for name in ("par_rank", "sipas_rank"):
        mismatches = int((np.array(loop[name]) != engine[name][0, :loop_draws]).sum())
        checks[name] = mismatches == 0
        if mismatches:
            checks[name + "_mismatches"] = mismatches
    per_draw = loop_s / loop_draws
    return {
        "loop_draws": loop_draws,
        "loop_s": loop_s,
        "loop_times_s": loop_times,
        "loop_per_draw_us": per_draw * 1e6,
        "loop_extrapolated_s": per_draw * draws,
        "vectorised_draws": draws,
        "vectorised_simulate_s": vectorised_s,
        "ratio": per_draw * draws / vectorised_s,
        "warm_run_s": warm_run_s,
        "ratio_to_warm_run": per_draw * draws / warm_run_s,
        "equal": all(v for k, v in checks.items() if not k.endswith("_mismatches")),
        "checks": checks,
    }


# ---------------------------------------------------------------- report


def rows_of(imp: dict, one: dict, grid: dict, loop: dict) -> list[dict]:
    plain = imp["simlib"]
    engine = imp["simlib.engine.simulate, simlib.engine.scenario"]
    heavy = sorted(set(plain["heavy_modules"]) | set(engine["heavy_modules"]))
    return [
        {
            "measure": "import simlib (fresh interpreter)",
            "value": plain["median_s"],
            "shown": fmt_seconds(plain["median_s"]),
            "target": "≤ 0.5 s",
            "met": plain["median_s"] <= 0.5,
        },
        {
            "measure": "import simlib.engine.simulate + scenario",
            "value": engine["median_s"],
            "shown": fmt_seconds(engine["median_s"]),
            "target": "≤ 0.5 s",
            "met": engine["median_s"] <= 0.5,
        },
        {
            "measure": "no pandas/matplotlib/Jupyter at import",
            "value": heavy,
            "shown": "none" if not heavy else ", ".join(heavy),
            "target": "none",
            "met": not heavy,
        },
        {
            "measure": f"one scenario, {one['draws']:,} draws, cold",
            "value": one["cold_median_s"],
            "shown": fmt_seconds(one["cold_median_s"]),
            "target": "≤ 150 ms",
            "met": one["cold_median_s"] <= 0.150,
        },
        {
            "measure": "  of which field + parameter draws (context)",
            "value": one["cold_context_median_s"],
            "shown": fmt_seconds(one["cold_context_median_s"]),
            "target": "",
            "met": None,
        },
        {
            "measure": f"one scenario, {one['draws']:,} draws, warm (field reused)",
            "value": one["warm_median_s"],
            "shown": fmt_seconds(one["warm_median_s"]),
            "target": "≤ 20 ms",
            "met": one["warm_median_s"] <= 0.020 and one["warm_reused_field_draws"],
        },
        {
            "measure": "  of which simulate()",
            "value": one["warm_evaluate_median_s"],
            "shown": fmt_seconds(one["warm_evaluate_median_s"]),
            "target": "",
            "met": None,
        },
        {
            "measure": f"grid {grid['scenarios']:,} scenarios × {grid['draws']:,} draws (cold)",
            "value": grid["total_s"],
            "shown": fmt_seconds(grid["total_s"]),
            "target": "≤ 10 s",
            "met": grid["total_s"] <= 10,
        },
        *(
            [
                {
                    "measure": "  the same grid through simlib.analysis.grid.sweep",
                    "value": grid["sweep"]["seconds"],
                    "shown": fmt_seconds(grid["sweep"]["seconds"]),
                    "target": "≤ 10 s",
                    "met": grid["sweep"]["seconds"] <= 10 and all(grid["sweep"]["matches_engine_grid"].values()),
                }
            ]
            if grid["sweep"].get("timed")
            else []
        ),
        {
            "measure": f"per-draw Python loop, {loop['vectorised_draws']:,} draws (from {loop['loop_draws']:,})",
            "value": loop["loop_extrapolated_s"],
            "shown": fmt_seconds(loop["loop_extrapolated_s"]),
            "target": "",
            "met": None,
        },
        {
            "measure": "loop results equal the engine's",
            "value": loop["equal"],
            "shown": "yes" if loop["equal"] else "NO",
            "target": "equal",
            "met": loop["equal"],
        },
        {
            "measure": "vectorised speed-up over the loop",
            "value": loop["ratio"],
            "shown": f"{loop['ratio']:.0f}×",
            "target": "≥ 100×",
            "met": loop["ratio"] >= 100 and loop["equal"],
        },
        {
            "measure": "  the same against the whole warm run()",
            "value": loop["ratio_to_warm_run"],
            "shown": f"{loop['ratio_to_warm_run']:.0f}×",
            "target": "",
            "met": None,
        },
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=10_000, help="draws of the one-scenario runs")
    ap.add_argument("--reps", type=int, default=7, help="repetitions (medians reported)")
    ap.add_argument("--grid-draws", type=int, default=2_000)
    ap.add_argument("--grid-points", type=int, default=10, help="targets per lever (points³ scenarios)")
    ap.add_argument("--chunk", type=int, default=100, help="scenarios per simulate() call in the grid")
    ap.add_argument("--loop-draws", type=int, default=2_000, help="draws run by the plain loop")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    import numpy as np

    info = machine(numpy=np.__version__)
    print(
        f"machine: {info['cores']} cores, Python {info['python']}, numpy {info['numpy']}, "
        f"load average {fmt_load_average(info['load_average_at_start'])}"
    )
    sys.path.insert(0, str(ROOT))
    imp = bench_import(max(3, args.reps // 2))
    one = bench_scenario(args.draws, args.reps)
    grid = bench_grid(args.grid_draws, args.grid_points, args.chunk)
    loop = bench_loop(args.draws, args.loop_draws, one["warm_evaluate_median_s"], one["warm_median_s"])
    rows = rows_of(imp, one, grid, loop)
    print()
    print_table(rows)
    print()
    print(
        f"cold runs (ms): {', '.join(f'{t * 1000:.0f}' for t in one['cold_times_s'])}; "
        f"warm runs (ms): {', '.join(f'{t * 1000:.1f}' for t in one['warm_times_s'])}"
    )
    print(
        f"grid: field draws {fmt_seconds(grid['context_s'])}, evaluation {fmt_seconds(grid['simulate_s'])} "
        f"({grid['simulate_s'] / grid['scenarios'] * 1000:.2f} ms per scenario); best P(PAR top 3) "
        f"{grid['best_p_par_top3']}"
    )
    sw = grid["sweep"]
    if sw.get("timed"):
        print(
            f"simlib.analysis.grid.sweep: {sw['rows']:,} rows in {fmt_seconds(sw['seconds'])}; "
            f"same results as the chunked evaluation: {sw['matches_engine_grid']}"
        )
    else:
        print(f"simlib.analysis.grid.sweep: not timed ({sw.get('why', 'absent')})")
    print(
        f"loop: {loop['loop_draws']:,} draws in {fmt_seconds(loop['loop_s'])} "
        f"({loop['loop_per_draw_us']:.0f} µs per draw) vs simulate() "
        f"{fmt_seconds(loop['vectorised_simulate_s'])} for {loop['vectorised_draws']:,} draws; "
        f"checks {loop['checks']}"
    )
    report = {
        "machine": info,
        "targets_met": all(r["met"] for r in rows if r["met"] is not None),
        "table": [{k: r[k] for k in ("measure", "value", "shown", "target", "met")} for r in rows],
        "import": imp,
        "scenario": one,
        "grid": grid,
        "loop": loop,
    }
    write_json(args.out, report)
    print(f"\nwritten: {display_path(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
