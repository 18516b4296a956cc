"""Budget optimiser and goal-seek: bounds, budget, and no worse than a grid search."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose

from model import LEVERS, ParameterSet, run_scenarios
from model.levers import YEARS
from model.optimise import best_mix, cheapest_mix, programme_cost

START, END, TARGET = 2027, 2036, 2035
COL = TARGET - YEARS[0]
N_YEARS = END - START + 1
KEYS = list(LEVERS)
_P = ParameterSet.central()
UNIT = np.array(
    [
        {
            "irrigation_new_ha": _P["irr_cost_new_mln_som_per_ha"][0, 0],
            "irrigation_rehab_ha": _P["irr_cost_rehab_mln_som_per_ha"][0, 0],
            "water_storage_mcm": _P["storage_cost_mln_som_per_mcm"][0, 0],
        }.get(k, 1.0)
        for k in KEYS
    ]
)
UPPER = np.array([LEVERS[k].high for k in KEYS])


def as_settings(spend_per_year: np.ndarray) -> dict[str, float]:
    levers = np.minimum(spend_per_year / UNIT, UPPER)
    return {**dict(zip(KEYS, levers.tolist(), strict=True)), "start_year": START, "end_year": END}


def share_grid(step: float = 0.25) -> np.ndarray:
    m = round(1 / step)
    return (
        np.array([c for c in itertools.product(range(m + 1), repeat=len(KEYS)) if sum(c) == m]) / m
    )


def evaluate(settings_list, output: str) -> np.ndarray:
    runs = run_scenarios(settings_list)
    if output == "npv":  # the appraisal's NPV at 6%, as the dashboard's cards
        return runs.appraisal.npv
    return runs.scenario[output][:, COL]


def check_feasible(res, budget: float) -> None:
    levers = np.array([res.settings[k] for k in KEYS])
    assert np.all(levers >= 0) and np.all(levers <= UPPER + 1e-9)
    assert res.cost_total <= budget * (1 + 1e-9) + 1e-6
    assert programme_cost(res.settings) == pytest.approx(res.cost_total, rel=1e-9)
    runs = run_scenarios([res.settings])
    assert runs.scenario["programme_cost_cumulative"][0, -1] == pytest.approx(res.cost_total)


@pytest.mark.parametrize("objective, output", [("grp", "grp"), ("jobs", "jobs"), ("npv", "npv")])
def test_best_mix_respects_budget_and_beats_grid(objective, output):
    budget = 20000.0
    res = best_mix(budget, START, END, TARGET, objective)
    check_feasible(res, budget)
    assert res.settings["start_year"] == START and res.settings["end_year"] == END
    got = evaluate([res.settings], output)[0]
    assert got == pytest.approx(res.value, rel=1e-9)
    grid = [as_settings(w * budget / N_YEARS) for w in share_grid(0.25)]
    best_grid = evaluate(grid, output).max()
    assert got >= best_grid - 1e-9 * abs(best_grid)
    if objective == "npv":
        # NPV counts the money too: the optimum may leave some unspent, but spending the
        # whole budget in the same proportions must not do better
        scaled = as_settings(
            np.array([res.spend_per_year[k] for k in KEYS]) * budget / res.cost_total
        )
        assert evaluate([scaled], "npv")[0] <= got + 1e-9 * abs(got)
    else:
        assert res.budget_binding  # money has a use at this budget


def test_best_mix_small_budget_and_context():
    res = best_mix(1500.0, 2025, 2030, 2030, "grp", context={"water_availability": 70})
    assert res.settings["water_availability"] == 70
    levers = np.array([res.settings[k] for k in KEYS])
    assert np.all(levers >= 0) and np.all(levers <= UPPER + 1e-9)
    assert res.cost_total <= 1500.0 * (1 + 1e-9)
    assert res.value > res.counterfactual_value


def test_best_mix_zero_and_unlimited_budget():
    zero = best_mix(0.0, START, END, TARGET)
    assert all(zero.settings[k] == 0 for k in KEYS)
    assert zero.value == pytest.approx(zero.counterfactual_value)
    huge = best_mix(1e7, START, END, TARGET)
    # every lever raises GRP in a programme year, so an unlimited budget maxes all of them
    assert set(huge.levers_at_upper_bound) == set(KEYS)
    assert not huge.budget_binding
    out = run_scenarios([huge.settings]).scenario
    binds = out["irrigated_effective_ha"][0, COL] >= out["water_cap_ha"][0, COL] * (1 - 1e-9)
    assert huge.water_cap_binds == binds


@pytest.fixture(scope="module")
def baseline_pc() -> float:
    return float(run_scenarios([{}]).scenario["grp_per_capita"][0, COL])


def test_cheapest_mix_reaches_target_cheaper_than_grid(baseline_pc):
    target = baseline_pc * 1.10
    res = cheapest_mix(target, TARGET, START, END)
    assert res.reached
    check_feasible(res, res.cost_total)
    got = run_scenarios([res.settings]).scenario["grp_per_capita"][0, COL]
    assert got >= target * (1 - 1e-9)
    # coarse grid: shares x yearly budgets; the cheapest grid point that reaches the target
    shares = share_grid(0.25)
    budgets = np.linspace(250.0, 8000.0, 32)
    grid = [as_settings(w * b) for b in budgets for w in shares]
    pc = evaluate(grid, "grp_per_capita")
    costs = np.array([programme_cost(s) for s in grid])
    feasible = pc >= target
    assert feasible.any()
    assert res.cost_total <= costs[feasible].min() + 1e-6


def test_cheapest_mix_unreachable_is_flagged(baseline_pc):
    target = baseline_pc * 3
    res = cheapest_mix(target, TARGET, START, END)
    assert not res.reached
    assert res.grp_per_capita < target
    everything = {
        **dict(zip(KEYS, UPPER.tolist(), strict=True)),
        "start_year": START,
        "end_year": END,
    }
    best_possible = run_scenarios([everything]).scenario["grp_per_capita"][0, COL]
    assert_allclose(res.grp_per_capita, best_possible, rtol=1e-9)
    assert "No mix" in res.message


def test_cheapest_mix_already_reached(baseline_pc):
    res = cheapest_mix(baseline_pc * 0.9, TARGET, START, END)
    assert res.reached and res.cost_total == 0.0
