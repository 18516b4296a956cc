"""Response curves: each point is the ordinary run of the scenario with the lever there."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from model import ALL_SETTINGS, run_scenarios
from model.appraisal import DEFAULT_RATE
from model.sweep import lever_grid, response_curves

SCENARIO = {"infrastructure_spend": 1500.0, "irrigation_new_ha": 1000.0, "sme_support": 100.0}


def test_the_grid_is_every_slider_step_or_evenly_spaced_steps() -> None:
    spec = ALL_SETTINGS["infrastructure_spend"]
    every = lever_grid("infrastructure_spend")
    assert every[0] == spec.low and every[-1] == spec.high
    assert_allclose(np.diff(every), spec.step)
    some = lever_grid("infrastructure_spend", 41)
    assert len(some) == 41 and some[0] == spec.low and some[-1] == spec.high
    assert_allclose(np.mod(some - spec.low, spec.step), 0.0, atol=1e-9)


@pytest.mark.parametrize("key", ["infrastructure_spend", "water_availability", "end_year"])
def test_each_point_equals_a_separate_run_of_that_scenario(key: str) -> None:
    curve = response_curves(SCENARIO, [key], 2035, n_points=9)[key]
    rows = [{**SCENARIO, key: float(v)} for v in curve.values]
    runs = run_scenarios(rows)
    col = 2035 - 2007
    assert_allclose(curve.grp, runs.scenario["grp"][:, col], rtol=1e-12)
    assert_allclose(curve.gain, curve.grp - runs.baseline["grp"][:, col], rtol=1e-12)
    assert_allclose(curve.bcr, runs.appraisal.bcr, rtol=1e-12)
    assert_allclose(curve.eirr, runs.appraisal.eirr, rtol=1e-12)
    assert curve.current == SCENARIO.get(key, ALL_SETTINGS[key].default)


def test_the_water_cap_shows_as_a_kink() -> None:
    """With new irrigation running every year, the land the water can serve is reached
    near 2,100 ha a year (2040); beyond it the curve is flat and a kink is named."""
    curve = response_curves({"irrigation_new_ha": 5000.0}, ["irrigation_new_ha"], 2040)[
        "irrigation_new_ha"
    ]
    kinks = curve.kinks()
    assert len(kinks) == 1, f"expected one kink, got {kinks}"
    after = curve.values > kinks[0]
    slope_before = (curve.gain[5] - curve.gain[0]) / (curve.values[5] - curve.values[0])
    slope_after = np.diff(curve.gain[after]) / np.diff(curve.values[after])
    assert np.all(slope_after < 0.05 * slope_before), "the curve does not flatten past the cap"


def test_a_smooth_curve_has_no_kink_and_every_curve_comes_from_one_call() -> None:
    curves = response_curves(SCENARIO, list(ALL_SETTINGS), 2035, n_points=41)
    assert list(curves) == list(ALL_SETTINGS)
    assert sum(len(c.values) for c in curves.values()) > 300
    assert len(curves["sme_support"].kinks()) == 0


def test_a_year_outside_the_reported_years_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        response_curves(SCENARIO, ["sme_support"], 2050)


def test_step_points_equal_the_scenario_runs() -> None:
    from model.sweep import step_points

    rows = [{**SCENARIO, "sme_support": v} for v in (0.0, 250.0, 1000.0)]
    rows += [{**SCENARIO, "end_year": 2040.0}, {**SCENARIO, "start_year": 2033.0}]
    at_year, path, totals = step_points(
        rows, 2035, ["grp", "jobs"], "grp", 2024, ["programme_cost_cumulative"]
    )
    runs = run_scenarios(rows)
    # the whole programme's cost, as the appraisal counts it (the sidebar's answer)
    assert_allclose(
        totals["programme_cost_cumulative"], runs.appraisals[DEFAULT_RATE].cost, rtol=1e-12
    )
    assert len(set(np.round(totals["programme_cost_cumulative"]))) == len(rows)
    assert_allclose(at_year["grp"], runs.scenario["grp"][:, 2035 - 2007], rtol=1e-12)
    assert_allclose(at_year["jobs"], runs.scenario["jobs"][:, 2035 - 2007], rtol=1e-12)
    assert_allclose(path, runs.scenario["grp"][:, 2024 - 2007 :], rtol=1e-12)
