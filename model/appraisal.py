r"""Economic appraisal of a programme against the same world without it.

One convention, used by the dashboard's cost-benefit cards, the brief, the compare page,
the optimiser and ``python -m model appraise``:

* **What is compared.** The scenario against its counterfactual: the same context
  settings and programme design, every lever at zero, the same parameters (the same
  draws in a Monte Carlo).
* **Benefit: the lasting change in output, net.** With :math:`\Delta` scenario minus
  counterfactual, the yearly net benefit is::

      b_t = Delta GRP_t - Delta D_t - Delta O^road_t - Delta O^irr_t

  :math:`D_t` is construction-phase demand (local content x multiplier x the programme's
  own spending): real regional income while works last, reported apart as
  ``pv_construction_demand``, **never** counted as a benefit. :math:`O` are the running
  costs the programme creates: the maintenance bill of the extra road km at the
  baseline's coverage, and operation and maintenance of the extra irrigated land and
  storage (:mod:`model.core`, "Running costs"). What the land or the firms produced
  without the programme is already in the counterfactual (crop budgets net of rain-fed
  output, :mod:`model.crops`; business deadweight and displacement).
* **Cost**: programme outlays less loan repayments, :math:`c_t = x_t - \rho x_{t-n}`.
* **Base year and rate.** Everything is discounted to :math:`t_b` = 2024, the first
  projection year, whatever year the programme starts, at a real rate :math:`r` the
  planner chooses (:data:`RATES`: 6%, 9%, 12%; 12% is the usual development-bank
  hurdle, ADB used 12% until 2017 and 9% since; the World Bank often shows 6%).
  The rate is a policy choice, never drawn in a Monte Carlo.
* **Horizon: each asset's life after the programme.** Benefits count to
  :math:`T = t_{end} + L`, where :math:`L` is the longest appraisal life among the
  asset classes the programme uses (roads 20, irrigation 30, business support 10 years,
  ``*_asset_life_years``); shorter-lived parts wear out inside the model (road decay,
  land degradation, business exits). The model runs to 2065; where :math:`T` is later,
  a residual value holds the 2065 net benefit for the remaining years::

      delta_t   = (1 + r)^-(t - t_b)
      PV_B      = sum_{t=t_b..min(T,2065)} b_t delta_t + PV_res
      PV_res    = b_2065 * sum_{t=2066..T} delta_t                    (0 if T <= 2065)
      PV_C      = sum_t c_t delta_t
      NPV       = PV_B - PV_C,      BCR = PV_B / PV_C
      EIRR      : the r at which sum_t (b_t - c_t)(1 + r)^-(t - t_b) + PV_res(r) = 0

  Because the base year and the life after the programme are fixed, the same programme
  started :math:`k` years later scores the same ratio up to the growth of the world
  around it; only its NPV falls by about :math:`(1 + r)^{-k}`.

The benefit is regional value added at market prices. It is not a full social
cost-benefit analysis: no consumer surplus, no shadow prices, no financing cost (the
money is assumed to come from outside the oblast).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.levers import FIRST_PROJECTION_YEAR, HORIZON_YEAR, Inputs
from model.parameters import ParameterSet

#: Discount rates shown side by side (real, per year).
RATES: tuple[float, ...] = (0.06, 0.09, 0.12)
DEFAULT_RATE = 0.06
BASE_YEAR = FIRST_PROJECTION_YEAR
#: The keys of :meth:`Appraisal.summary` (and of ``python -m model appraise --json``).
SUMMARY_KEYS: tuple[str, ...] = (
    "base_year",
    "horizon",
    "rate",
    "pv_cost",
    "pv_benefit",
    "pv_residual",
    "pv_construction_demand",
    "npv",
    "bcr",
    "eirr",
    "cost",
)
#: Rates the EIRR search brackets on: fine where programmes earn, coarse beyond.
_EIRR_GRID = np.concatenate(
    [np.arange(-0.5, 0.5, 0.025), np.arange(0.5, 2.0, 0.1), np.array([3.0, 5.0, 10.0])]
)
_EIRR_STEPS = 30  # bisection halvings inside a 0.025-1.0 bracket: below 1e-9


@dataclass(frozen=True)
class Appraisal:
    """The appraisal of ``n`` programmes; every array has one entry (or row) per run.

    Money in million som at 2020 prices; ``horizon`` is the last year counted.
    """

    rate: float
    years: np.ndarray
    horizon: np.ndarray
    net_benefit: np.ndarray  # (n, years): b_t, before discounting
    net_cost: np.ndarray  # (n, years): c_t, before discounting
    construction_demand: np.ndarray  # (n, years): Delta D_t
    grp_gain: np.ndarray  # (n, years): Delta GRP_t, construction demand included
    pv_cost: np.ndarray
    pv_benefit: np.ndarray
    pv_residual: np.ndarray
    pv_construction_demand: np.ndarray
    npv: np.ndarray
    bcr: np.ndarray
    eirr: np.ndarray
    cost: np.ndarray

    def summary(self, row: int = 0) -> dict[str, float | int | None]:
        """The figures of one run under :data:`SUMMARY_KEYS`; NaN becomes None."""

        def num(a: np.ndarray) -> float | None:
            v = float(a[row])
            return v if np.isfinite(v) else None

        return {
            "base_year": BASE_YEAR,
            "horizon": int(self.horizon[row]),
            "rate": self.rate,
            "pv_cost": num(self.pv_cost),
            "pv_benefit": num(self.pv_benefit),
            "pv_residual": num(self.pv_residual),
            "pv_construction_demand": num(self.pv_construction_demand),
            "npv": num(self.npv),
            "bcr": num(self.bcr),
            "eirr": num(self.eirr),
            "cost": num(self.cost),
        }


def asset_life(x: Inputs, p: ParameterSet) -> np.ndarray:
    """Appraisal life ``L`` per run: the longest life of the asset classes used, 0 if none."""
    n = max(x.n_runs, p.n_runs)

    def used(*paths: np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.any([np.any(a > 0, axis=1) for a in paths], axis=0), (n,))

    lives = np.stack(
        [
            np.where(
                used(x.infrastructure_spend, x.road_maintenance),
                np.broadcast_to(p["road_asset_life_years"][:, 0], (n,)),
                0,
            ),
            np.where(
                used(x.irrigation_new_ha, x.irrigation_rehab_ha, x.water_storage_mcm),
                np.broadcast_to(p["irr_asset_life_years"][:, 0], (n,)),
                0,
            ),
            np.where(
                used(x.sme_support), np.broadcast_to(p["sme_asset_life_years"][:, 0], (n,)), 0
            ),
        ]
    )
    return np.round(lives.max(axis=0)).astype(int)


def _pv(flows: np.ndarray, years: np.ndarray, rate: np.ndarray) -> np.ndarray:
    return (flows * (1.0 + rate) ** -(years - BASE_YEAR)[None, :]).sum(axis=1)


def _residual_factor(last: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """``sum_{t=2066..T} (1+r)^-(t - t_b)`` (0 where ``T <= 2065``), in closed form:
    ``(1+r)^-(2065 - t_b) * (1 - (1+r)^-m) / r`` with ``m = T - 2065``; ``last`` is
    ``(n,)``, ``rate`` ``(n,)`` or ``(n, k)``."""
    m = np.maximum(last - HORIZON_YEAR, 0).astype(float)
    if rate.ndim == 2:
        m = m[:, None]
    g = 1.0 + rate
    head = g ** -float(HORIZON_YEAR - BASE_YEAR)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(np.abs(rate) > 1e-12, (1.0 - g**-m) / rate, m)
    return head * annuity


def eirr(
    net_benefit: np.ndarray, net_cost: np.ndarray, years: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """Economic internal rate of return per run: the highest rate in -50%..+1000% a year
    at which the NPV of ``b_t - c_t`` (with the residual value) is zero; NaN where there
    is none (e.g. benefits never cover the cost).

    Flows that turn negative again late (running costs after the water cap binds) can
    have two roots; the highest is the one that answers "what return does the money
    earn", so the search brackets the last sign change on a grid, then bisects.
    """
    flows = net_benefit - net_cost
    res_flow = net_benefit[:, -1]

    def npv(r: np.ndarray) -> np.ndarray:  # r: (n,) or (n, k)
        r2 = r if r.ndim == 2 else r[:, None]
        disc = (1.0 + r2[:, :, None]) ** -(years - BASE_YEAR)[None, None, :]
        pv = np.einsum("nkt,nt->nk", disc, flows)
        out = pv + res_flow[:, None] * _residual_factor(last, r2)
        return out if r.ndim == 2 else out[:, 0]

    n = flows.shape[0]
    grid = np.broadcast_to(_EIRR_GRID, (n, len(_EIRR_GRID)))
    values = npv(grid)
    change = np.sign(values[:, :-1]) != np.sign(values[:, 1:])
    defined = change.any(axis=1)
    last_change = len(_EIRR_GRID) - 2 - np.argmax(change[:, ::-1], axis=1)
    lo = _EIRR_GRID[last_change]
    hi = _EIRR_GRID[last_change + 1]
    f_lo = values[np.arange(n), last_change]
    for _ in range(_EIRR_STEPS):
        mid = 0.5 * (lo + hi)
        f_mid = npv(mid)
        left = np.sign(f_mid) == np.sign(f_lo)
        lo, f_lo = np.where(left, mid, lo), np.where(left, f_mid, f_lo)
        hi = np.where(left, hi, mid)
    return np.where(defined, 0.5 * (lo + hi), np.nan)


def appraise(
    scenario: dict[str, np.ndarray],
    counterfactual: dict[str, np.ndarray],
    x: Inputs,
    params: ParameterSet,
    rate: float = DEFAULT_RATE,
    eirr_values: np.ndarray | None = None,
    with_eirr: bool = True,
) -> Appraisal:
    """Appraise each scenario run against its counterfactual run.

    Args:
        scenario: outputs of :func:`model.core.simulate` run to 2065 (``x``'s years).
        counterfactual: the same for the counterfactual, same parameters.
        x: the scenario's inputs (programme years and which levers are used).
        params: the parameters of the runs (asset lives).
        rate: real discount rate per year, e.g. 0.06.
        eirr_values: the EIRR from an appraisal of the same runs at another rate (it
            does not depend on the rate); computed when None.
        with_eirr: compute the EIRR (an optimiser or a tornado that reads only the
            NPV skips it; ``eirr`` is then NaN).

    Returns:
        The appraisal (see the module text for every formula).
    """
    years_all = x.years
    if years_all[-1] != HORIZON_YEAR:
        raise ValueError(f"an appraisal needs runs to {HORIZON_YEAR}, got {years_all[-1]}")
    cols = years_all >= BASE_YEAR
    years = years_all[cols]

    def delta(key: str) -> np.ndarray:
        return (scenario[key] - counterfactual[key])[:, cols]

    demand = delta("va_construction_demand")
    grp_gain = delta("grp")
    running = delta("running_cost_roads") + delta("running_cost_irrigation")
    outlays = scenario["programme_cost"][:, cols]
    net_cost = outlays - scenario["loan_repayments"][:, cols]
    n = grp_gain.shape[0]
    last = np.broadcast_to(x.end_year, (n,)) + asset_life(x, params)
    horizon = np.minimum(last, HORIZON_YEAR)
    counted = years[None, :] <= horizon[:, None]
    net_benefit = np.where(counted, grp_gain - demand - running, 0.0)
    r = np.full(n, float(rate))
    pv_residual = net_benefit[:, -1] * _residual_factor(last, r)
    pv_benefit = _pv(net_benefit, years, r[:, None]) + pv_residual
    pv_cost = _pv(net_cost, years, r[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(pv_cost > 0, pv_benefit / np.where(pv_cost > 0, pv_cost, 1.0), np.nan)
    return Appraisal(
        rate=float(rate),
        years=years,
        horizon=horizon,
        net_benefit=net_benefit,
        net_cost=net_cost,
        construction_demand=demand,
        grp_gain=grp_gain,
        pv_cost=pv_cost,
        pv_benefit=pv_benefit,
        pv_residual=pv_residual,
        pv_construction_demand=_pv(np.where(counted, demand, 0.0), years, r[:, None]),
        npv=pv_benefit - pv_cost,
        bcr=bcr,
        eirr=(
            eirr_values
            if eirr_values is not None
            else np.where(outlays.sum(axis=1) > 0, eirr(net_benefit, net_cost, years, last), np.nan)
            if with_eirr
            else np.full(n, np.nan)
        ),
        cost=outlays.sum(axis=1),
    )
