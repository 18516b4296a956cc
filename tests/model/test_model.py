"""Model identities and invariants: zero levers are the baseline, levers only help,
returns diminish, programmes change nothing before they start, water caps land."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from model import (
    LEVERS,
    OUTPUTS,
    SECTORS,
    YEARS,
    ParameterSet,
    build_inputs,
    pert_draws,
    run_scenarios,
    simulate,
)
from model.levers import FIRST_PROJECTION_YEAR

LEVER_STEP = {
    "infrastructure_spend": 500.0,
    "road_maintenance": 200.0,
    "irrigation_new_ha": 1000.0,
    "irrigation_rehab_ha": 2000.0,
    "water_storage_mcm": 10.0,
    "sme_support": 200.0,
}
#: Where a lever only acts once something else binds: storage adds water, which only
#: matters when irrigated land outruns the water cap.
LEVER_WORLD: dict[str, dict[str, float]] = {
    "water_storage_mcm": {"irrigation_new_ha": 4000.0},
}


def grp(settings: dict) -> np.ndarray:
    return run_scenarios([settings]).scenario["grp"][0]


def lever_settings(lever: str, k: int) -> dict[str, float]:
    """``k`` steps of ``lever`` in the world where it acts."""
    return {**LEVER_WORLD.get(lever, {}), lever: k * LEVER_STEP[lever]}


def test_every_lever_has_a_monotonicity_step():
    """The tests below cover every lever the model has."""
    assert set(LEVER_STEP) == set(LEVERS)


def test_zero_levers_reproduce_the_baseline_exactly():
    """A scenario with every lever at zero is the baseline, to the last bit."""
    runs = run_scenarios([dict.fromkeys(LEVERS, 0.0), {}])
    for name in OUTPUTS:
        assert_array_equal(runs.scenario[name][0], runs.baseline[name][0], err_msg=name)
        assert_array_equal(runs.scenario[name][1], runs.baseline[name][1], err_msg=name)
    assert_array_equal(runs.appraisal.grp_gain, 0.0)
    assert_array_equal(runs.appraisal.pv_benefit, 0.0)


def test_grp_is_the_sum_of_sectors_and_2023_is_the_calibrated_level():
    """Accounting identity, and the baseline meets its 2023 anchor."""
    runs = run_scenarios([{"infrastructure_spend": 800, "irrigation_new_ha": 900}, {}])
    total = sum(runs.scenario[s] for s in SECTORS)
    assert_allclose(runs.scenario["grp"], total, rtol=1e-12)
    t2023 = int(np.searchsorted(YEARS, 2023))
    assert_allclose(
        runs.baseline["grp"][0, t2023], ParameterSet.central()["grp_2023_mln_som"][0, 0]
    )
    assert_allclose(
        runs.scenario["programme_cost_cumulative"],
        np.cumsum(runs.scenario["programme_cost"], axis=1),
    )


@pytest.mark.parametrize("lever", sorted(LEVER_STEP))
def test_more_of_a_lever_never_lowers_grp_in_any_year(lever):
    """GRP is non-decreasing in every lever, year by year."""
    paths = [grp(lever_settings(lever, k)) for k in range(4)]
    for lower, higher in itertools.pairwise(paths):
        assert np.all(higher >= lower - 1e-9), f"{lever}: more spending lowered GRP"
    assert paths[-1][-1] > paths[0][-1], f"{lever}: the lever has no effect by 2040"


@pytest.mark.parametrize("lever", sorted(LEVER_STEP))
def test_returns_diminish(lever):
    """The second equal increment of a lever adds no more cumulative GRP than the first."""
    g0, g1, g2 = (grp(lever_settings(lever, k)).sum() for k in range(3))
    first, second = g1 - g0, g2 - g1
    assert second <= first * (1 + 1e-9), f"{lever}: increasing returns ({first} then {second})"


@pytest.mark.parametrize("lever", sorted(LEVER_STEP))
def test_programme_changes_nothing_before_it_starts(lever):
    """A programme starting in 2031 leaves every output unchanged before 2031."""
    start = 2031
    runs = run_scenarios([{**lever_settings(lever, 3), "start_year": start, "end_year": 2035}])
    before = YEARS < start
    for name in OUTPUTS:
        assert_array_equal(
            runs.scenario[name][0, before], runs.baseline[name][0, before], err_msg=name
        )
    assert runs.scenario["grp"][0, ~before].max() > runs.baseline["grp"][0, ~before].max()


def test_water_cap_binds_when_irrigation_outruns_water():
    """Effective irrigated land stops at the water cap however much land is equipped."""
    runs = run_scenarios([{"irrigation_new_ha": 5000, "water_availability": 80}])
    s = runs.scenario
    cap = s["water_cap_ha"][0]
    assert np.all(s["irrigated_effective_ha"][0] <= cap + 1e-9)
    late = YEARS >= 2035
    assert np.all(s["irrigated_ha"][0, late] > cap[late]), "equipped land should outrun water"
    assert_allclose(s["irrigated_effective_ha"][0, late], cap[late])
    more = run_scenarios(
        [{"irrigation_new_ha": 5000, "water_availability": 80, "irrigation_rehab_ha": 5000}]
    )
    assert_allclose(more.scenario["irrigated_effective_ha"][0, late], cap[late])


def test_road_network_is_a_ceiling():
    """Good-condition km never exceed the network, even with the largest programme."""
    runs = run_scenarios(
        [
            {
                "infrastructure_spend": 5000,
                "road_maintenance": 1000,
                "start_year": 2024,
                "end_year": 2040,
            }
        ]
    )
    p = ParameterSet.central()
    for road in ("trunk", "local"):
        network = p[f"road_{road}_network_km"][0, 0]
        km = runs.scenario[f"road_{road}_km_good"]
        assert km.max() <= network + 1e-9, road
    assert_allclose(
        runs.scenario["road_km_good"],
        runs.scenario["road_trunk_km_good"] + runs.scenario["road_local_km_good"],
    )
    local_cap = p["road_local_network_km"][0, 0]
    assert runs.scenario["road_local_km_good"][0, -1] == pytest.approx(local_cap)


def test_unmaintained_roads_decay():
    """A build-only road programme decays after it ends; maintenance slows that."""
    build = {"infrastructure_spend": 2000, "start_year": 2025, "end_year": 2029}
    runs = run_scenarios([build, {**build, "road_maintenance": 500, "end_year": 2040}])
    t = lambda y: int(np.searchsorted(YEARS, y))  # noqa: E731
    km = runs.scenario["road_km_good"]
    assert km[0, t(2040)] < km[0, t(2033)], "roads without maintenance should decay"
    assert km[1, t(2040)] > km[0, t(2040)]


def test_runs_are_deterministic():
    """Same inputs, same numbers, in another process too (no hidden state, no hash-order
    dependence); same seed, same draws."""
    s = {"infrastructure_spend": 1200, "sme_support": 150}
    code = (
        "import sys, json, model; "
        "print(json.dumps(model.run_scenarios([json.loads(sys.argv[1])]).scenario['grp'][0]"
        ".tolist()))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, json.dumps(s)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    ).stdout
    assert_array_equal(grp(s), np.array(json.loads(other)))
    a, b = pert_draws(50, seed=7), pert_draws(50, seed=7)
    for k in a:
        assert_array_equal(a[k], b[k])
    assert not np.array_equal(pert_draws(50, seed=8)["infra_elasticity"], a["infra_elasticity"])


def test_vectorised_runs_equal_single_runs():
    """Many scenarios and draws in one call give the same rows as one call each."""
    settings = [{"infrastructure_spend": 300 * i, "irrigation_new_ha": 400 * i} for i in range(4)]
    together = run_scenarios(settings).scenario["grp"]
    for i, s in enumerate(settings):
        assert_allclose(together[i], grp(s), rtol=1e-12)
    draws = ParameterSet.from_draws(pert_draws(5, seed=3))
    x = build_inputs([settings[2]])
    batch = simulate(draws, x)["grp"]
    for i in range(5):
        one = ParameterSet({k: v[i : i + 1] for k, v in draws.items()})
        assert_allclose(batch[i], simulate(one, x)["grp"][0], rtol=1e-12)


def test_draws_stay_within_the_table_ranges():
    """PERT draws respect each parameter's low and high."""
    from model import parameter_table

    table = {p.name: p for p in parameter_table()}
    for name, values in pert_draws(2000, seed=1).items():
        assert values.min() >= table[name].low - 1e-12, name
        assert values.max() <= table[name].high + 1e-12, name


def test_context_applies_from_the_first_projection_year():
    """Drought hits projection years only; the recorded past is left alone."""
    runs = run_scenarios([{"water_availability": 70, "apricot_price": 20}])
    past = YEARS < FIRST_PROJECTION_YEAR
    assert_array_equal(runs.scenario["grp"][0, past], runs.baseline["grp"][0, past])
    assert np.all(runs.scenario["grp"][0, ~past] < runs.baseline["grp"][0, ~past])


def test_model_never_imports_streamlit():
    """The model package is pure: importing it (and running it) loads no streamlit."""
    code = (
        "import sys, model, model.calibration, scenarios; "
        "model.run_scenarios([{}]); "
        "sys.exit(1 if any(m.split('.')[0] == 'streamlit' for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
