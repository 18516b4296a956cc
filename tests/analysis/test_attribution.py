"""Shapley attribution of the GRP difference to the levers."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from model import run_scenarios
from model.attribution import shapley
from model.levers import YEARS

FIVE = {
    "infrastructure_spend": 800.0,
    "road_maintenance": 150.0,
    "irrigation_new_ha": 1500.0,
    "irrigation_rehab_ha": 4000.0,
    "sme_support": 120.0,
    "start_year": 2026,
    "end_year": 2034,
}


def test_contributions_add_up_to_total_exactly():
    res = shapley(FIVE)
    assert res.players == tuple(k for k in FIVE if k not in ("start_year", "end_year"))
    total = sum(res.contributions.values())
    scale = np.abs(res.total).max()
    assert scale > 100  # a real effect, so the check is not trivially 0 == 0
    assert_allclose(total, res.total, rtol=0, atol=1e-12 * scale)
    ref = run_scenarios([FIVE])
    assert_allclose(res.total, ref.gain("grp")[0], rtol=1e-12, atol=1e-9)
    standalone = sum(res.standalone.values())
    assert_allclose(res.interaction, res.total - standalone, rtol=0, atol=1e-9)
    # the waterfall of one year adds up as well
    row = res.at(2035)
    parts = sum(v for k, v in row.items() if k not in ("total", "interaction"))
    assert parts == pytest.approx(row["total"], rel=1e-12)


def test_one_lever_takes_the_whole_difference():
    res = shapley({"irrigation_rehab_ha": 5000.0})
    assert res.players == ("irrigation_rehab_ha",)
    assert_allclose(res.contributions["irrigation_rehab_ha"], res.total, rtol=0, atol=0)
    assert_allclose(res.interaction, 0.0, atol=0)
    assert np.abs(res.total).max() > 0


def test_two_levers_match_hand_computed_shapley():
    a, b = {"infrastructure_spend": 1500.0}, {"irrigation_new_ha": 3000.0}
    runs = run_scenarios([{}, a, b, {**a, **b}])
    g = runs.scenario["grp"]
    v_a, v_b, v_ab = g[1] - g[0], g[2] - g[0], g[3] - g[0]
    res = shapley({**a, **b})
    assert_allclose(
        res.contributions["infrastructure_spend"], 0.5 * (v_a + v_ab - v_b), rtol=1e-12, atol=1e-9
    )
    assert_allclose(
        res.contributions["irrigation_new_ha"], 0.5 * (v_b + v_ab - v_a), rtol=1e-12, atol=1e-9
    )
    assert_allclose(res.interaction, v_ab - v_a - v_b, rtol=1e-12, atol=1e-9)
    # roads raise farm prices on irrigated land: a real, positive interaction by 2035
    assert res.interaction[2035 - YEARS[0]] > 0


def test_against_baseline_includes_context():
    s = {**FIVE, "water_availability": 80.0}
    res = shapley(s, against="baseline")
    assert "water_availability" in res.players
    ref = run_scenarios([s])
    assert_allclose(
        res.total, ref.scenario["grp"][0] - ref.baseline["grp"][0], rtol=1e-12, atol=1e-9
    )
    assert_allclose(
        sum(res.contributions.values()), res.total, rtol=0, atol=1e-12 * np.abs(res.total).max()
    )
    assert res.contributions["water_availability"][2035 - YEARS[0]] < 0


def test_other_output_and_no_levers():
    jobs = shapley(FIVE, output="jobs")
    assert_allclose(
        sum(jobs.contributions.values()), jobs.total, rtol=0, atol=1e-12 * np.abs(jobs.total).max()
    )
    empty = shapley({})
    assert empty.players == () and np.all(empty.total == 0)
    with pytest.raises(ValueError):
        shapley(FIVE, output="happiness")
