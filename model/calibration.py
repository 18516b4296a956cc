r"""Calibration of the baseline to recorded Batken GRP, 2007-2023, and a back-test.

Four free parameters (rows of kind ``calibrated`` in ``data/parameters.csv``) are
fitted by nonlinear least squares (``scipy.optimize.least_squares``, trust-region
reflective within the table's bounds, started from the table's priors) on log GRP
at constant 2020 prices::

    e_t   = ln(GRP^model_t * (1 + b * [t < 2011])) - ln(GRP^recorded_t),  t = 2007..2023
    min   sum_t e_t^2

``b`` (``stat_break_pre2011``) is a measurement term: the NSC series has a +63% nominal
level jump from 2010 to 2011 that we treat as a change of statistical basis, not as
growth. Totals are fitted, not per-capita values (the NSC per-capita series changes
its population base in 2018).

Fit statistics (Sterman 1984, "Appropriate summary statistics for evaluating the
historical fit of system dynamics models")::

    MAPE = mean |m_t - d_t| / d_t,   RMSE = sqrt(mean (m_t - d_t)^2)
    U^M = (mean m - mean d)^2 / MSE, U^S = (s_m - s_d)^2 / MSE, U^C = 2 (1 - rho) s_m s_d / MSE

Parameter uncertainty of the fit (for the Monte Carlo): with :math:`J` the Jacobian of
the residuals at the optimum, :math:`n` years and :math:`k` free parameters,
``cov = s^2 (J^T J)^-1`` with ``s^2 = sum_t e_t^2 / (n - k)`` (the usual nonlinear
least-squares approximation; Seber & Wild 1989, *Nonlinear Regression*, 5.1).

Back-test: fit on 2007-2017 only with the 2020-21 shock held at zero (a forecaster in
2017 could not know COVID-19 or the 2021-22 border conflict), predict 2018-2023.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from model.core import simulate
from model.history import load_history
from model.levers import YEARS, build_inputs
from model.parameters import CALIBRATION_JSON, ParameterSet, parameter_table

BREAK_YEAR = 2011
BACKTEST_LAST_FIT_YEAR = 2017


def free_parameters() -> list[str]:
    """Names of the calibrated parameters, in table order."""
    return [p.name for p in parameter_table(False) if p.kind == "calibrated"]


def model_history(params: ParameterSet) -> np.ndarray:
    """Baseline GRP for 2007-2023 on the recorded series' basis, shape ``(n_runs, 17)``."""
    hist = load_history()
    grp = simulate(params, build_inputs([{}]))["grp"][:, : len(hist.years)]
    pre_break = (hist.years < BREAK_YEAR)[None, :]
    return grp * np.where(pre_break, 1.0 + params["stat_break_pre2011"], 1.0)


def fit_statistics(model: np.ndarray, data: np.ndarray) -> dict[str, float]:
    """MAPE (%), RMSE (million som) and Theil's decomposition of the MSE."""
    err = model - data
    mse = float(np.mean(err**2))
    sm, sd = float(np.std(model)), float(np.std(data))
    rho = float(np.corrcoef(model, data)[0, 1]) if len(data) > 2 else 1.0
    return {
        "mape_pct": float(np.mean(np.abs(err) / data) * 100),
        "rmse_mln_som": mse**0.5,
        "theil_um": (float(np.mean(model)) - float(np.mean(data))) ** 2 / mse if mse else 0.0,
        "theil_us": (sm - sd) ** 2 / mse if mse else 0.0,
        "theil_uc": 2 * (1 - rho) * sm * sd / mse if mse else 0.0,
    }


@dataclass(frozen=True)
class Fit:
    """Fitted values, the statistics of one calibration and the fit's covariance."""

    parameters: dict[str, float]
    in_sample: dict[str, float]
    years: list[int]
    covariance: list[list[float]]


def fit(last_year: int = 2023, hold: dict[str, float] | None = None) -> Fit:
    """Fit the free parameters to recorded GRP from 2007 to ``last_year``.

    Args:
        last_year: last recorded year used.
        hold: free parameters to hold at a value instead of fitting.

    Returns:
        The fit.
    """
    hold = hold or {}
    hist = load_history()
    mask = hist.years <= last_year
    table = {p.name: p for p in parameter_table(False)}
    names = [n for n in free_parameters() if n not in hold]
    x0 = np.array([table[n].value for n in names])
    lo = np.array([table[n].low for n in names])
    hi = np.array([table[n].high for n in names])
    base = ParameterSet.with_values(hold, use_calibration=False)

    def residuals(x: np.ndarray) -> np.ndarray:
        p = ParameterSet(base)
        for name, value in zip(names, x, strict=True):
            p[name] = np.full((1, 1), value)
        m = model_history(p)[0, mask]
        return np.log(m) - np.log(hist.grp_real[mask])

    sol = least_squares(residuals, x0, bounds=(lo, hi), x_scale="jac", method="trf")
    values = {**hold, **{n: float(v) for n, v in zip(names, sol.x, strict=True)}}
    p = ParameterSet.with_values(values, use_calibration=False)
    model = model_history(p)[0]
    dof = max(int(mask.sum()) - len(names), 1)
    s2 = float(np.sum(sol.fun**2)) / dof
    cov = s2 * np.linalg.pinv(sol.jac.T @ sol.jac)
    return Fit(
        values,
        fit_statistics(model[mask], hist.grp_real[mask]),
        hist.years[mask].tolist(),
        cov.tolist(),
    )


def calibrate() -> dict:
    """Run the full calibration and the back-test; return what ``calibration.json`` holds."""
    hist = load_history()
    full = fit()
    back = fit(BACKTEST_LAST_FIT_YEAR, hold={"covid_conflict_shock": 0.0})
    p_back = ParameterSet.with_values(back.parameters, use_calibration=False)
    predicted = model_history(p_back)[0]
    out_of_sample = hist.years > BACKTEST_LAST_FIT_YEAR
    p_full = ParameterSet.with_values(full.parameters, use_calibration=False)
    return {
        "description": (
            "Calibrated parameters of the Batken model (python -m model calibrate). "
            "GRP in million som at constant 2020 prices."
        ),
        "data": "data/grp.csv (NSC, SDG 1.5.2 table) deflated with data/deflator.csv",
        "method": "scipy.optimize.least_squares (trf) on log GRP, bounds from parameters.csv",
        "parameters": full.parameters,
        "covariance": {"names": free_parameters(), "matrix": full.covariance},
        "fit": {"years": [full.years[0], full.years[-1]], **full.in_sample},
        "backtest": {
            "fit_years": [back.years[0], back.years[-1]],
            "predict_years": [int(hist.years[out_of_sample][0]), int(hist.years[-1])],
            "parameters": back.parameters,
            **fit_statistics(predicted[out_of_sample], hist.grp_real[out_of_sample]),
        },
        "series": {
            "year": hist.years.tolist(),
            "recorded": np.round(hist.grp_real, 3).tolist(),
            "model": np.round(model_history(p_full)[0], 3).tolist(),
            "backtest_model": np.round(predicted, 3).tolist(),
        },
        "years_simulated": [int(YEARS[0]), int(YEARS[-1])],
    }


def write_calibration(result: dict) -> None:
    """Write ``data/calibration.json`` and drop the cached parameter table."""
    CALIBRATION_JSON.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    parameter_table.cache_clear()
