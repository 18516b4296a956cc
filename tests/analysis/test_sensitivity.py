"""Tornado and Sobol sensitivity of the programme's GRP gain."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from model import ParameterSet, parameter_table, run_scenarios
from model.levers import YEARS
from model.sensitivity import sobol, tornado, uncertain_parameters

SCENARIO = {"infrastructure_spend": 500.0, "irrigation_rehab_ha": 3000.0, "sme_support": 100.0}
COL = 2035 - YEARS[0]


@pytest.fixture(scope="module")
def torn():
    return tornado(SCENARIO, 2035)


def test_tornado_covers_uncertain_parameters_with_metadata(torn):
    names = {p.name for p in uncertain_parameters()}
    assert {r.name for r in torn.rows} == names
    table = {p.name: p for p in parameter_table()}
    for r in torn.rows:
        assert (r.low, r.high, r.confidence, r.kind, r.unit) == (
            table[r.name].low,
            table[r.name].high,
            table[r.name].confidence,
            table[r.name].kind,
            table[r.name].unit,
        )
        assert r.weakly_sourced == (r.confidence == "L")


def test_tornado_sorted_and_stable(torn):
    swings = [r.swing for r in torn.rows]
    assert swings == sorted(swings, reverse=True)
    assert torn.rows[0].swing == max(swings)
    again = tornado(SCENARIO, 2035)
    assert [r.name for r in again.rows] == [r.name for r in torn.rows]
    assert_allclose([r.output_high for r in again.rows], [r.output_high for r in torn.rows])


def test_tornado_values_match_single_runs(torn):
    ref = run_scenarios([SCENARIO])
    assert torn.central_output == pytest.approx(ref.gain("grp")[0, COL], rel=1e-12)
    for r in torn.rows[:3]:
        for value, got in ((r.low, r.output_low), (r.high, r.output_high)):
            one = run_scenarios([SCENARIO], ParameterSet.central(**{r.name: value}))
            assert got == pytest.approx(one.gain("grp")[0, COL], rel=1e-10)
    # a parameter that cannot move the GRP gain has zero swing
    assert next(r for r in torn.rows if r.name == "labour_share").swing == 0.0


def test_tornado_other_metrics():
    jobs = tornado(SCENARIO, 2035, metric="jobs_gain", names=["sme_jobs_per_firm", "labour_share"])
    assert [r.name for r in jobs.rows] == ["sme_jobs_per_firm", "labour_share"]
    assert jobs.rows[0].swing > 0 and jobs.rows[1].swing == 0.0
    with pytest.raises(ValueError):
        tornado(SCENARIO, 2035, metric="happiness")


NAMES = ["irr_decay", "infra_elasticity", "road_trunk_cost_mln_som_per_km", "labour_share"]


def test_sobol_named_deterministic_and_reports_progress():
    seen: list[float] = []
    a = sobol(SCENARIO, 2035, n_base=64, names=NAMES, seed=3, progress=seen.append, chunk=100)
    b = sobol(SCENARIO, 2035, n_base=64, names=NAMES, seed=3)
    assert sorted(r.name for r in a.rows) == sorted(NAMES)
    assert a.n_evaluations == 64 * (len(NAMES) + 2)
    assert_allclose([r.ST for r in a.rows], [r.ST for r in b.rows])
    assert_allclose([r.S1 for r in a.rows], [r.S1 for r in b.rows])
    assert [r.name for r in a.rows] == [r.name for r in b.rows]
    sts = [r.ST for r in a.rows]
    assert sts == sorted(sts, reverse=True)
    # progress: one call per chunk, increasing, ending at 1
    assert len(seen) == int(np.ceil(a.n_evaluations / 100))
    assert np.all(np.diff(seen) > 0) and seen[-1] == 1.0
    st = {r.name: r.ST for r in a.rows}
    # the labour share does not enter the GRP gain; irrigation decay dominates it
    assert abs(st["labour_share"]) < 1e-12
    assert st["irr_decay"] > 0.3
    assert all(r.ST_conf >= 0 for r in a.rows)
