"""Benchmark of the analysis layer: Monte Carlo, tornado, Sobol, optimiser, Shapley.

    python bench/benchmark_analysis.py

Prints median wall times; asserts nothing (speed is measured here, not in tests that
flake). Goals: 1,000 Monte Carlo draws of scenario and baseline <= 0.5 s;
each optimiser question <= 2 s.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import median_time

from model import run_scenarios
from model.attribution import shapley
from model.optimise import best_mix, cheapest_mix
from model.runtime import tune_allocator
from model.sensitivity import sobol, tornado, uncertain_parameters
from model.uncertainty import monte_carlo

SCENARIO = {
    "infrastructure_spend": 800.0,
    "road_maintenance": 150.0,
    "irrigation_new_ha": 1500.0,
    "irrigation_rehab_ha": 4000.0,
    "sme_support": 120.0,
}


def main() -> None:
    tune_allocator()  # as the dashboard runs the model (model/runtime.py)
    pc_2035 = float(run_scenarios([{}]).scenario["grp_per_capita"][0, 2035 - 2007])
    n = len(uncertain_parameters())
    cases: list[tuple[str, Callable[[], object], int, str]] = [
        (
            "Monte Carlo, 1,000 draws (scenario, counterfactual, baseline)",
            lambda: monte_carlo(SCENARIO, n_draws=1000),
            10,
            "<= 0.5 s",
        ),
        (
            f"Tornado, {n} parameters ({2 * n + 1} parameter sets)",
            lambda: tornado(SCENARIO, 2035),
            10,
            "",
        ),
        (
            f"Sobol, n_base 256, {n} parameters ({256 * (n + 2):,} runs)",
            lambda: sobol(SCENARIO, 2035, n_base=256),
            3,
            "on demand",
        ),
        (
            "best_mix, 20,000 mln som, GRP 2035",
            lambda: best_mix(20000, 2027, 2036, 2035, "grp"),
            3,
            "<= 2 s",
        ),
        (
            "best_mix, 20,000 mln som, jobs 2035",
            lambda: best_mix(20000, 2027, 2036, 2035, "jobs"),
            3,
            "<= 2 s",
        ),
        (
            "best_mix, 20,000 mln som, NPV at 6 % (appraisal)",
            lambda: best_mix(20000, 2027, 2036, 2035, "npv"),
            3,
            "<= 2 s",
        ),
        (
            "cheapest_mix, +10 % GRP per capita 2035",
            lambda: cheapest_mix(1.10 * pc_2035, 2035, 2027, 2036),
            3,
            "<= 2 s",
        ),
        (
            "cheapest_mix, +20 % GRP per capita 2035",
            lambda: cheapest_mix(1.20 * pc_2035, 2035, 2027, 2036),
            3,
            "<= 2 s",
        ),
        (
            "cheapest_mix, unreachable (x3)",
            lambda: cheapest_mix(3.0 * pc_2035, 2035, 2027, 2036),
            3,
            "<= 2 s",
        ),
        ("Shapley, 5 levers (32 runs)", lambda: shapley(SCENARIO), 20, ""),
        (
            "appraisal of one scenario at 6/9/12 % (with its runs to 2065)",
            lambda: run_scenarios([SCENARIO]),
            50,
            "",
        ),
    ]
    print(f"{'task':<66} {'median':>10}  goal")
    for name, fn, repeat, goal in cases:
        print(f"{name:<66} {median_time(fn, repeat) * 1e3:>8.1f} ms  {goal}")


if __name__ == "__main__":
    main()
