"""Speed of the sensitivity analysis and of the target search.

Measures, in one run:
  sobol     a Sobol analysis of Hà Nội's mean PAR rank in 2027 (scenarios/baseline.yaml):
            2^12 base samples × (factors + 2) sample rows (+ the one-at-a-time swing), each row
            evaluated on 64 field draws through ``simulate()``; wall time, engine
            calls, model runs (rows × draws) and model runs per second;
  morris    a Morris screen of the same outcome (64 trajectories);
  target    one target search: PAR top-3 and SIPAS ≥ 86% in 2027 with probability 0.8,
            1,000 draws, with its trade-off curve (delegation vs simplification);
  cheapest  the panel's goal-seek: the cheapest mix (cost to the city, every lever priced for Hà Nội)
            reaching PAR top 3 in 2027 with probability 0.5, on the panel's 2,000 draws;
  frontier  the report's cost vs P(top 3) frontier (4 settings per lever, 1,000 draws).

Prints a table and the answers, and writes them as JSON to out/bench/analysis.json.
Run from the project root: ``.venv/bin/python benchmarks/bench_analysis.py`` (or
``make bench``); options ``--base-samples``, ``--field-draws``, ``--target-draws``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common import ROOT, fmt_load_average, load_average, usable_cores, write_json

sys.path.insert(0, str(ROOT))
OUT = ROOT / "out" / "bench" / "analysis.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-samples", type=int, default=2**12, help="Sobol base samples (power of 2)")
    ap.add_argument("--field-draws", type=int, default=64, help="field draws per sample row")
    ap.add_argument("--target-draws", type=int, default=1000, help="draws of the target search")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    print(f"cores: {usable_cores()}, load average at start: {fmt_load_average(load_average())}")

    from simlib.analysis import sensitivity, target
    from simlib.engine.scenario import load_yaml
    from simlib.reports import sensitivity_report, target_report

    scenario = load_yaml(ROOT / "scenarios" / "baseline.yaml")
    sensitivity.run(scenario, "par_rank", base_samples=2, field_draws=args.field_draws)  # warm the caches
    results = []
    for method, n in (("sobol", args.base_samples), ("morris", 64)):
        started = time.perf_counter()
        analysis = sensitivity.run(scenario, "par_rank", method=method, base_samples=n, field_draws=args.field_draws)
        seconds = time.perf_counter() - started
        results.append(
            {
                "measure": f"{method} ({n} {'base samples' if method == 'sobol' else 'trajectories'})",
                "seconds": seconds,
                "sample_rows": analysis.n_rows,
                "model_runs": analysis.model_runs,
                "runs_per_second": analysis.model_runs / seconds,
                "answer": sensitivity_report.summary_lines(analysis, "en"),
                "top": [(r["factor"], round(analysis.importance(r), 3)) for r in analysis.rows[:5]],
            }
        )
    started = time.perf_counter()
    sol = target.run(par_rank=3, prob=0.8, sipas=86, year=2027, draws=args.target_draws)
    seconds = time.perf_counter() - started
    results.append(
        {
            "measure": f"target search ({args.target_draws} draws, with trade-off curve)",
            "seconds": seconds,
            "sample_rows": sol.evaluations,
            "model_runs": sol.evaluations * args.target_draws,
            "runs_per_second": sol.evaluations * args.target_draws / seconds,
            "answer": target_report.summary_lines(sol, "en")
            + target_report.tradeoff_lines(sol.tradeoff, sol.labels, "en"),
        }
    )

    from simlib.analysis import costing
    from simlib.app import goalseek

    started = time.perf_counter()
    sol = goalseek.goal_seek(scenario, 3, 0.5, 2027, draws=goalseek.GOAL_DRAWS)
    seconds = time.perf_counter() - started
    results.append(
        {
            "measure": f"cheapest mix, panel goal-seek ({goalseek.GOAL_DRAWS} draws, minimised: {sol.objective})",
            "seconds": seconds,
            "sample_rows": sol.evaluations,
            "model_runs": sol.evaluations * goalseek.GOAL_DRAWS,
            "runs_per_second": sol.evaluations * goalseek.GOAL_DRAWS / seconds,
            "answer": target_report.summary_lines(sol, "en"),
        }
    )
    started = time.perf_counter()
    f = costing.frontier(scenario.with_(draws=costing.FRONTIER_DRAWS))
    seconds = time.perf_counter() - started
    results.append(
        {
            "measure": f"cost vs P(top 3) frontier ({len(f.X)} mixes × {f.draws} draws)",
            "seconds": seconds,
            "sample_rows": len(f.X),
            "model_runs": len(f.X) * f.draws,
            "runs_per_second": len(f.X) * f.draws / seconds,
            "answer": [f"{len(f.efficient)} mixes on the frontier, against {f.measure}"],
        }
    )

    width = max(len(r["measure"]) for r in results)
    print(f"{'measure':<{width}}  {'seconds':>8}  {'settings':>9}  {'model runs':>11}  {'runs/s':>10}")
    for r in results:
        print(
            f"{r['measure']:<{width}}  {r['seconds']:8.1f}  {r['sample_rows']:9d}  {r['model_runs']:11d}  "
            f"{r['runs_per_second']:10.0f}"
        )
    for r in results:
        print(f"\n{r['measure']}:")
        for line in r["answer"]:
            print("  " + line)
    out = Path(args.out)
    write_json(out, {"load_average": load_average(), "cores": usable_cores(), "results": results})
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
