r"""Scenario against baseline: GRP gain, net present values and benefit-cost ratio.

With :math:`\Delta_t = GRP^{scn}_t - GRP^{base}_t` (same parameters, same draws),
programme cost :math:`c_t`, discount rate :math:`r` and programme start year
:math:`t_s`, over the model horizon :math:`t_s \le t \le 2040`::

    NPV_gain = sum_t Delta_t / (1 + r)^(t - t_s)
    NPV_cost = sum_t c_t     / (1 + r)^(t - t_s)
    BCR      = NPV_gain / NPV_cost

The benefit is regional value added, the usual measure of regional impact models
(REMI, IMPLAN); it is not a full social cost-benefit analysis (no consumer surplus,
no financing cost). Benefits after 2040 are left out, so long-lived assets are
undervalued: the ratio is a lower bound for roads and canals.
"""

from __future__ import annotations

import numpy as np

from model.levers import YEARS


def discount_factors(start_year: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """``(1 + r)^-(t - t_s)`` for ``t >= t_s``, else 0; shape ``(n_runs, n_years)``."""
    start = np.asarray(start_year).reshape(-1, 1)
    elapsed = YEARS[None, :] - start
    return np.where(elapsed >= 0, (1.0 + rate) ** -np.maximum(elapsed, 0), 0.0)


def compare(
    scenario: dict[str, np.ndarray],
    baseline: dict[str, np.ndarray],
    start_year: np.ndarray,
    rate: np.ndarray,
) -> dict[str, np.ndarray]:
    """Appraise a scenario run against its baseline run.

    Args:
        scenario: outputs of :func:`model.core.simulate`.
        baseline: the same outputs for the baseline, same parameters (broadcastable).
        start_year: programme start year per run, shape ``(n_runs,)``.
        rate: discount rate per run, shape ``(n_runs, 1)`` or scalar.

    Returns:
        ``grp_gain`` (n, years), ``npv_gain``, ``npv_cost``, ``bcr`` (n,), the
        last two in million som (2020 prices); ``bcr`` is NaN where nothing is spent.
    """
    gain = scenario["grp"] - baseline["grp"]
    factors = discount_factors(start_year, rate)
    npv_gain = (gain * factors).sum(axis=1)
    npv_cost = (scenario["programme_cost"] * factors).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(npv_cost > 0, npv_gain / np.where(npv_cost > 0, npv_cost, 1.0), np.nan)
    return {"grp_gain": gain, "npv_gain": npv_gain, "npv_cost": npv_cost, "bcr": bcr}
