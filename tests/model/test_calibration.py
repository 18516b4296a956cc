"""Calibration: the stored fit is reproducible and meets its targets."""

from __future__ import annotations

import json

import numpy as np
from numpy.testing import assert_allclose

from model.calibration import calibrate, fit_statistics
from model.history import load_history
from model.parameters import CALIBRATION_JSON


def test_calibration_reproduces_the_stored_fit():
    """`python -m model calibrate` gives the parameters stored in data/calibration.json."""
    stored = json.loads(CALIBRATION_JSON.read_text(encoding="utf-8"))
    fresh = calibrate()
    for name, value in fresh["parameters"].items():
        assert_allclose(stored["parameters"][name], value, rtol=1e-6, atol=1e-9, err_msg=name)
    assert_allclose(stored["fit"]["mape_pct"], fresh["fit"]["mape_pct"], rtol=1e-6)
    assert_allclose(stored["backtest"]["mape_pct"], fresh["backtest"]["mape_pct"], rtol=1e-6)


def test_fit_meets_targets():
    """MAPE <= 10% in sample (2007-2023) and <= 15% in the 2018-2023 back-test."""
    stored = json.loads(CALIBRATION_JSON.read_text(encoding="utf-8"))
    assert stored["fit"]["mape_pct"] <= 10
    assert stored["backtest"]["mape_pct"] <= 15
    assert stored["backtest"]["predict_years"] == [2018, 2023]
    assert len(stored["parameters"]) <= 6


def test_history_is_deflated_with_the_2020_deflator():
    """Real GRP in 2020 equals nominal 2020 GRP; other years divide by the index."""
    h = load_history()
    i2020 = int(np.searchsorted(h.years, 2020))
    assert h.deflator_2020[i2020] == 1.0
    assert_allclose(h.grp_real, h.grp_nominal / h.deflator_2020)
    assert h.years[0] == 2007 and h.years[-1] == 2023


def test_fit_statistics_decompose_the_mse():
    """Theil's U^M + U^S + U^C = 1 for any series."""
    rng = np.random.default_rng(0)
    data = rng.uniform(10, 20, 17)
    model = data + rng.normal(0, 1, 17)
    s = fit_statistics(model, data)
    assert_allclose(s["theil_um"] + s["theil_us"] + s["theil_uc"], 1.0, rtol=1e-9)
    assert_allclose(s["rmse_mln_som"], np.sqrt(np.mean((model - data) ** 2)))
