"""Benchmark of the model: one scenario run, 1,000 scenarios in one call, peak memory.

    python bench/benchmark_model.py

Prints figures; asserts nothing (speed is measured here, not in tests that flake).
Goals: one run <= 1 ms, 1,000 runs <= 20 ms, with the runs going to 2065 (the horizon an
appraisal needs; the dashboard shows 2007-2040).
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import median_time

from model import ParameterSet, build_inputs, run_scenarios, simulate, simulate_places
from model.levers import HORIZON_YEAR
from model.runtime import tune_allocator


def main() -> None:
    tune_allocator()  # as the dashboard runs the model (model/runtime.py)
    p1 = ParameterSet.central()
    one = build_inputs(
        [{"infrastructure_spend": 1000, "irrigation_new_ha": 1500}], last_year=HORIZON_YEAR
    )
    rng = np.random.default_rng(0)
    many_settings = [
        {"infrastructure_spend": float(a), "irrigation_new_ha": float(b), "sme_support": float(c)}
        for a, b, c in zip(
            rng.uniform(0, 5000, 1000),
            rng.uniform(0, 5000, 1000),
            rng.uniform(0, 1000, 1000),
            strict=True,
        )
    ]
    many = build_inputs(many_settings, last_year=HORIZON_YEAR)
    simulate(p1, one)  # warm caches (history file read once)

    t_one = median_time(lambda: simulate(p1, one), 200)
    t_many = median_time(lambda: simulate(p1, many), 30)
    t_build = median_time(lambda: build_inputs(many_settings, last_year=HORIZON_YEAR), 10)
    t_pair = median_time(lambda: run_scenarios([many_settings[0]]), 100)
    # where it happens: road and irrigation money placed by district (the stocks by
    # district and the basins in the loop), and the split by district and city
    placed = build_inputs(
        [
            {
                "infrastructure_spend": 1000,
                "irrigation_new_ha": 1500,
                "infrastructure_spend.leilek": 60,
                "infrastructure_spend.batken": 40,
                "irrigation_new_ha.kadamjay": 100,
                "water_availability.sokh": 80,
            }
        ],
        last_year=HORIZON_YEAR,
    )
    t_placed = median_time(lambda: simulate(p1, placed), 200)
    t_split = median_time(lambda: simulate_places(p1, placed), 100)
    t_pair_split = median_time(lambda: run_scenarios([many_settings[0]], by_district=True), 50)

    tracemalloc.start()
    simulate(p1, many)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print("Batken model benchmark (median wall time)")
    rows = [
        ("one scenario to 2065, simulate()", f"{t_one * 1e3:7.3f} ms", "(goal <= 1 ms)"),
        (
            "one scenario + counterfactual + baseline + appraisal at 6/9/12 %",
            f"{t_pair * 1e3:7.3f} ms",
            "",
        ),
        (
            "1,000 scenarios in one vectorised simulate()",
            f"{t_many * 1e3:7.3f} ms",
            "(goal <= 20 ms)",
        ),
        ("one placed scenario, simulate()", f"{t_placed * 1e3:7.3f} ms", "(goal <= 1 ms)"),
        ("the same with the split, simulate_places()", f"{t_split * 1e3:7.3f} ms", ""),
        (
            "run_scenarios(by_district=True): all three runs split",
            f"{t_pair_split * 1e3:7.3f} ms",
            "",
        ),
        ("building inputs for 1,000 scenarios", f"{t_build * 1e3:7.3f} ms", ""),
        ("peak memory of the 1,000-scenario call", f"{peak / 2**20:7.1f} MiB", ""),
    ]
    for label, value, goal in rows:
        print(f"  {label + ':':<56}{value}  {goal}")


if __name__ == "__main__":
    main()
