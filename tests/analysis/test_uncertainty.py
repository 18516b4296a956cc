"""Monte Carlo bands: determinism, ordering, central run inside, common random numbers."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from model import ParameterSet, pert_draws, run_scenarios
from model.levers import YEARS
from model.uncertainty import BAND_OUTPUTS, monte_carlo

SCENARIO = {"infrastructure_spend": 500.0, "irrigation_rehab_ha": 3000.0, "sme_support": 100.0}
N = 300


@pytest.fixture(scope="module")
def mc():
    return monte_carlo(SCENARIO, n_draws=N, seed=7)


def test_same_seed_same_bands(mc):
    again = monte_carlo(SCENARIO, n_draws=N, seed=7)
    for out in BAND_OUTPUTS:
        assert_array_equal(again.scenario[out], mc.scenario[out])
        assert_array_equal(again.baseline[out], mc.baseline[out])
        assert_array_equal(again.gain[out], mc.gain[out])
    other = monte_carlo(SCENARIO, n_draws=N, seed=8)
    assert not np.array_equal(other.scenario["grp"], mc.scenario["grp"])


def test_bands_ordered_and_contain_central_run(mc):
    for bands, central in (
        (mc.scenario, mc.central),
        (mc.baseline, mc.central_baseline),
        (mc.gain, mc.central_gain),
    ):
        for out in BAND_OUTPUTS:
            b = bands[out]
            assert b.shape == (5, len(YEARS))
            assert np.all(np.diff(b, axis=0) >= 0), out
            assert np.all(b[0] <= central[out] + 1e-9), out
            assert np.all(central[out] <= b[-1] + 1e-9), out
    # the programme widens the gain band after it starts: real uncertainty, not zero
    col = 2035 - YEARS[0]
    assert mc.gain["grp"][-1, col] - mc.gain["grp"][0, col] > 0


def test_central_run_matches_run_scenarios(mc):
    ref = run_scenarios([SCENARIO])
    assert_allclose(mc.central["grp"], ref.scenario["grp"][0], rtol=1e-12)
    assert_allclose(mc.central_baseline["grp"], ref.baseline["grp"][0], rtol=1e-12)
    assert_allclose(mc.central_gain["grp"], ref.gain("grp")[0], rtol=1e-12, atol=1e-9)


def test_common_random_numbers_and_share_beating_baseline(mc):
    # independent path: the same draws through run_scenarios, one scenario per draw
    params = ParameterSet.from_draws(pert_draws(N, seed=7))
    ref = run_scenarios([SCENARIO] * N, params)
    col = 2035 - YEARS[0]
    assert_allclose(mc.grp_draws["scenario"], ref.scenario["grp"], rtol=1e-12)
    assert_allclose(mc.grp_draws["baseline"], ref.baseline["grp"], rtol=1e-12)
    expected = np.mean(ref.scenario["grp"][:, col] > ref.baseline["grp"][:, col])
    assert mc.share_beating_baseline(2035) == pytest.approx(expected)
    assert_allclose(mc.npv, ref.appraisal.npv, rtol=1e-10)
    assert_allclose(mc.bcr, ref.appraisal.bcr, rtol=1e-10)
    assert_allclose(
        np.quantile(ref.gain("grp"), [0.05, 0.5, 0.95], axis=0),
        mc.gain["grp"][[0, 2, 4]],
        rtol=1e-10,
        atol=1e-9,
    )


def test_share_beating_baseline_extremes():
    # no programme and the baseline context: never strictly above the baseline
    none = monte_carlo({}, n_draws=50, seed=1)
    assert none.share_beating_baseline(2035) == 0.0
    # a severe drought with no programme: below the baseline in every draw
    drought = monte_carlo({"water_availability": 50}, n_draws=50, seed=1)
    assert drought.share_beating_baseline(2035) == 0.0
    assert drought.share_positive_gain(2035) == 0.0
    assert np.all(
        drought.scenario["grp"][:, 2035 - YEARS[0]] < drought.baseline["grp"][-1, 2035 - YEARS[0]]
    )
    # a big programme: above the baseline in every draw by 2035, not before it starts
    big = monte_carlo({"infrastructure_spend": 3000, "irrigation_rehab_ha": 8000}, n_draws=50)
    assert big.share_beating_baseline(2035) == 1.0
    assert big.share_beating_baseline(2025) == 0.0
    with pytest.raises(ValueError):
        big.share_beating_baseline(2050)


def test_frame_columns(mc):
    f = mc.frame("grp")
    assert list(f["year"]) == list(YEARS)
    assert_allclose(f["p50"], mc.scenario["grp"][2])
    assert_allclose(f["baseline_p05"], mc.baseline["grp"][0])
