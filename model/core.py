r"""The Batken regional model: yearly stocks and sector value added, 2007-2040.

Everything is an array of shape ``(n_runs, n_years)``: one call runs many scenarios
or many parameter draws at once. Money is million som at constant 2020 prices,
land hectares, people persons. Parameters (symbols below, names in
``data/parameters.csv``) are columns of shape ``(n_runs, 1)``.

Notation: :math:`t` a year, :math:`t_0 = 2023` the last recorded year,
:math:`Y_0` = ``grp_2023_mln_som``, :math:`s_i` the 2023 sector shares,
:math:`x^{\mathrm{lever}}_t` a programme lever (zero outside programme years).

**1. Roads** (km in good condition :math:`R`)::

    S_t        = road_spend_base + x^infra_t                      spending, mln som
    C_t        = eff / cost_km * (1/L) * sum_{k=1..L} S_{t-k}     km completed (L build years)
    m_t        = min(1, m0 + x^maint_t / (maint_km * R_t))         maintenance coverage
    d_t        = d_un - (d_un - d_m) * m_t                        decay rate
    R_{t+1}    = min(network_km, R_t (1 - d_t) + C_t)
    A_t        = R_t / R_{t0}                                     road-access index (1 in 2023)

**2. Irrigation** (equipped :math:`H`, in good condition :math:`G`, effective :math:`E`)::

    N_t        = new_base + x^new_{t - lag}                      ha arriving
    H_{t+1}    = H_t + N_t
    G_{t+1}    = min(H_{t+1}, G_t (1 - irr_decay) + N_t + rehab_base + x^rehab_{t-1})
    E_t        = min(G_t + q (H_t - G_t),  water_cap_ha * W_t)   water cap binds here
    Land_t     = E_t + rainfed_ha * min(1, W_t) / yield_ratio    irrigated-equivalent ha

**3. Agriculture** (apricots are a share :math:`a` of farm value added)::

    Y^A_t = Y_0 s_A (1+g_A)^{t-t0} (Land_t / Land_{t0})
            * (1 - a + a p_t / p_ref) * (1 + theta (A_t - 1))

**4. SMEs** (count :math:`F`; logistic with a programme push)::

    Fmax_t   = F*_2023 (Y^A_t / Y^A_{t0})^{e_farm} A_t^{e_acc}
    F_{t+1}  = F_t + r A_t^{e_entry} F_t (1 - F_t/Fmax_t)
                   + x^sme_t / cost_firm * max(0, 1 - F_t/Fmax_t)
    Y^S_t    = F_t va_firm (1+g_N)^{t-t0} A_t^{eps_G}

**5. Other sectors**::

    Y^P_t = (Y_0 s_P - Y^S_{t0}) (1+g_N)^{t-t0} (Pop_t/Pop_{t0}) A_t^{eps_G}  private non-farm
    Y^M_t = Y_0 s_M prod_{u=t0+1..t} (1 + g^M_u)                           mining, exogenous
    Y^C_t = Y_0 s_C (1+g_N)^{t-t0} Pop_t/Pop_{t0}  +  lc * mult * Inj_t      construction
    Y^G_t = Y_0 s_G Pop_t/Pop_{t0}                                          public services
    Inj_t = x^infra_t + x^maint_t + cost_new x^new_t + cost_rehab x^rehab_t

The regional multiplier ``mult`` applies only to the programme's local construction
injection (local content ``lc``), never on top of the supply effects, so no som is
counted twice (model-evidence.md, pitfall 1). :math:`s_P = 1 - s_A - s_M - s_C - s_G`.

**6. Totals**::

    GRP_t  = (Y^A + Y^M + Y^S + Y^P + Y^C + Y^G)_t * (1 + shock_t)
    Jobs_t = J^A Land_t/Land_{t0} + J^M Y^M_t/Y^M_{t0} + F_t jobs_firm
             + J^P (Y^P_t / ((1+g_N)^{t-t0} A_t^{eps_G})) / (...)_{t0}
             + J^C (Y^C_t / (1+g_N)^{t-t0}) / (...)_{t0} + J^G Pop_t/Pop_{t0}
    Income_t (som/person) = labour_share * GRP_t * 1e6 / Pop_t

``J^i`` are 2023 jobs by sector (``jobs_2023`` times the sector's job share; private
jobs net of SME jobs). Farm jobs follow land worked and private jobs follow output net
of productivity: better roads raise output per worker, they do not by themselves hire.
``shock_t`` is the fitted ``covid_conflict_shock`` in 2020-2021 and zero otherwise.
By construction the baseline reproduces :math:`Y_0` in 2023; the history before it is
the model's backcast, which calibration fits to recorded GRP.
"""

from __future__ import annotations

import numpy as np

from model.history import load_history
from model.levers import FIRST_PROJECTION_YEAR, LAST_HISTORY_YEAR, YEARS, Inputs
from model.parameters import ParameterSet

T0 = int(np.searchsorted(YEARS, LAST_HISTORY_YEAR))  # column of 2023
SHOCK_YEARS = (2020, 2021)
MAX_LAG = 8  # longest construction lag the parameter table allows (irr_lag_years high)

#: Output names and units, in the order of :func:`simulate`'s result.
OUTPUTS: dict[str, str] = {
    "grp": "million som (2020 prices)",
    "grp_per_capita": "som per person (2020 prices)",
    "population": "persons",
    "va_agriculture": "million som (2020 prices)",
    "va_mining": "million som (2020 prices)",
    "va_sme": "million som (2020 prices)",
    "va_private_other": "million som (2020 prices)",
    "va_construction": "million som (2020 prices)",
    "va_public": "million som (2020 prices)",
    "jobs": "persons",
    "sme_jobs": "persons",
    "labour_income_per_capita": "som per person per year (2020 prices)",
    "road_km_good": "km",
    "irrigated_ha": "ha",
    "irrigated_good_ha": "ha",
    "irrigated_effective_ha": "ha",
    "water_cap_ha": "ha",
    "sme_count": "firms",
    "programme_cost": "million som (2020 prices)",
    "programme_cost_cumulative": "million som (2020 prices)",
}

SECTORS = (
    "va_agriculture",
    "va_mining",
    "va_sme",
    "va_private_other",
    "va_construction",
    "va_public",
)


def _lagged(x: np.ndarray, lag: np.ndarray) -> np.ndarray:
    """``out[r, t] = x[r, t - lag[r]]`` (zero before the first year); ``lag`` is (n, 1)."""
    n, t = x.shape
    idx = np.arange(t)[None, :] - lag.astype(int)
    padded = np.concatenate([np.zeros((n, 1)), x], axis=1)
    return np.take_along_axis(padded, np.where(idx >= 0, idx + 1, 0), axis=1)


def _population(p: ParameterSet, n: int) -> np.ndarray:
    hist = load_history().population
    growth = (1.0 + p["population_growth"]) ** np.arange(1, len(YEARS) - T0)[None, :]
    future = np.broadcast_to(hist[-1] * growth, (n, growth.shape[1]))
    return np.concatenate([np.broadcast_to(hist, (n, len(hist))), future], axis=1)


def simulate(p: ParameterSet, x: Inputs) -> dict[str, np.ndarray]:
    """Run the model for every row of ``p`` and ``x``.

    Args:
        p: parameters, one row per run (see :class:`model.parameters.ParameterSet`).
        x: input paths, one row per run, or one row broadcast to every run of ``p``.

    Returns:
        Output name -> array ``(n_runs, n_years)`` over ``model.levers.YEARS``; names and
        units in :data:`OUTPUTS`.
    """
    n = max(p.n_runs, x.n_runs)
    if p.n_runs not in (1, n) or x.n_runs not in (1, n):
        raise ValueError(f"runs do not match: {p.n_runs} parameter rows, {x.n_runs} inputs")
    nt = len(YEARS)
    t_rel = (YEARS - LAST_HISTORY_YEAR)[None, :]

    def lever(a: np.ndarray) -> np.ndarray:
        return np.broadcast_to(a, (n, nt))

    infra, maint = lever(x.infrastructure_spend), lever(x.road_maintenance)
    new_ha, rehab_ha = lever(x.irrigation_new_ha), lever(x.irrigation_rehab_ha)
    sme_support, water = lever(x.sme_support), lever(x.water_availability) / 100.0

    # --- 1. roads: km completed is a moving average of past spending (no state needed)
    build_years = np.clip(np.round(p["road_build_years"]), 1, MAX_LAG)
    spend = p["road_spend_base_mln_som"]
    spend_path = np.concatenate([np.broadcast_to(spend, (n, MAX_LAG)), spend + infra], axis=1)
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(spend_path, axis=1)], axis=1)
    col = np.arange(nt)[None, :] + MAX_LAG  # position of year t in spend_path
    window = (
        np.take_along_axis(csum, np.broadcast_to(col, (n, nt)), axis=1)
        - np.take_along_axis(csum, (col - build_years).astype(int), axis=1)
    )
    completed = p["road_efficiency"] / p["road_cost_mln_som_per_km"] * window / build_years

    # --- 2. irrigation: hectares arriving after the lag
    lag = np.clip(np.round(p["irr_lag_years"]), 0, MAX_LAG)
    arriving = p["irr_new_ha_base"] + _lagged(new_ha, lag)
    rehab = p["irr_rehab_base_ha"] + _lagged(rehab_ha, np.ones((1, 1)))
    before = np.cumsum(arriving, axis=1) - arriving  # ha that arrived before year t
    equipped = p["irr_equipped_ha_2023"] + before - before[:, T0:T0 + 1]

    # --- the recursive stocks: roads in good condition and irrigated land in good condition
    road = np.empty((n, nt))
    good_ha = np.empty((n, nt))
    r_t = np.broadcast_to(p["road_good_km_2007"], (n, 1))[:, 0].copy()
    g_t = (p["irr_good_share_2007"] * equipped[:, :1])[:, 0].copy()
    m0, mk = p["road_maint_coverage_base"][:, 0], p["road_maint_cost_mln_som_per_km"][:, 0]
    d_m, d_un = p["road_decay_maintained"][:, 0], p["road_decay_unmaintained"][:, 0]
    cap = p["road_network_km"][:, 0]
    keep_irr = 1.0 - p["irr_decay"][:, 0]
    for t in range(nt):
        road[:, t] = r_t
        good_ha[:, t] = g_t
        cover = np.minimum(1.0, m0 + maint[:, t] / (mk * r_t))
        r_t = np.minimum(cap, r_t * (1.0 - d_un + (d_un - d_m) * cover) + completed[:, t])
        if t + 1 < nt:
            g_t = np.minimum(equipped[:, t + 1], g_t * keep_irr + arriving[:, t] + rehab[:, t])
    access = road / road[:, T0:T0 + 1]

    water_cap = p["water_cap_ha"] * water
    served = good_ha + p["poor_land_yield_share"] * (equipped - good_ha)
    effective = np.minimum(served, water_cap)
    land = effective + p["rainfed_ha"] * np.minimum(1.0, water) / p["yield_ratio_irr"]

    # --- 3. agriculture
    y0 = p["grp_2023_mln_som"]
    g_a, g_n = p["agri_productivity_growth"], p["nonfarm_productivity_growth"]
    trend_a, trend_n = (1.0 + g_a) ** t_rel, (1.0 + g_n) ** t_rel
    apricot = 1.0 - p["apricot_share_of_agri"] * (
        1.0 - lever(x.apricot_price) / p["apricot_price_ref_som_kg"]
    )
    farm_price = 1.0 + p["access_price_effect"] * (access - 1.0)
    va_agri = (
        y0 * p["agri_share_2023"] * trend_a * (land / land[:, T0:T0 + 1]) * apricot * farm_price
    )

    # --- 4. SMEs
    ceiling = (
        p["sme_ceiling_2023"]
        * (va_agri / va_agri[:, T0:T0 + 1]) ** p["sme_ceiling_farm_elasticity"]
        * access ** p["sme_ceiling_access_elasticity"]
    )
    entry_rate = p["sme_growth_rate"] * access ** p["sme_entry_access_elasticity"]
    push = sme_support / p["sme_cost_per_new_firm_mln_som"]
    firms = np.empty((n, nt))
    f_t = np.broadcast_to(p["sme_count_2007"], (n, 1))[:, 0].copy()
    for t in range(nt):
        firms[:, t] = f_t
        room = 1.0 - f_t / ceiling[:, t]
        f_t = f_t + entry_rate[:, t] * f_t * room + push[:, t] * np.maximum(room, 0.0)
    infra_tfp = access ** p["infra_elasticity"]
    va_sme = firms * p["sme_va_per_firm_mln_som"] * trend_n * infra_tfp

    # --- 5. other sectors
    pop = _population(p, n)
    pop_rel = pop / pop[:, T0:T0 + 1]
    s_private = 1.0 - (
        p["agri_share_2023"] + p["mining_share_2023"] + p["construction_share_2023"]
        + p["public_share_2023"]
    )
    va_private = (y0 * s_private - va_sme[:, T0:T0 + 1]) * trend_n * pop_rel * infra_tfp

    mining_g = np.where(
        YEARS[None, :] >= FIRST_PROJECTION_YEAR, lever(x.mining_growth) / 100.0,
        p["mining_growth_base"],
    )
    mining_index = np.cumprod(1.0 + mining_g, axis=1) / (1.0 + mining_g)
    va_mining = y0 * p["mining_share_2023"] * mining_index / mining_index[:, T0:T0 + 1]

    injection = (
        infra + maint
        + new_ha * p["irr_cost_new_mln_som_per_ha"]
        + rehab_ha * p["irr_cost_rehab_mln_som_per_ha"]
    )
    va_constr_base = y0 * p["construction_share_2023"] * trend_n * pop_rel
    va_constr = va_constr_base + p["local_content_constr"] * p["regional_multiplier"] * injection
    va_public = y0 * p["public_share_2023"] * pop_rel

    # --- 6. totals
    shock = np.where(np.isin(YEARS, SHOCK_YEARS)[None, :], 1.0 + p["covid_conflict_shock"], 1.0)
    sectors = [va_agri, va_mining, va_sme, va_private, va_constr, va_public]
    sectors = [np.broadcast_to(s * shock, (n, nt)) for s in sectors]
    grp = sum(sectors)

    jobs0 = p["jobs_2023"]
    sme_jobs = firms * p["sme_jobs_per_firm"]
    share_private_jobs = 1.0 - (
        p["agri_jobs_share_2023"] + p["mining_jobs_share_2023"]
        + p["construction_jobs_share_2023"] + p["public_jobs_share_2023"]
    )

    def jobs_of(driver: np.ndarray, jobs_2023: np.ndarray) -> np.ndarray:
        # jobs scale with the sector's physical driver, indexed to 2023
        return jobs_2023 * driver / driver[:, T0:T0 + 1]

    # Farm jobs follow the land worked (prices raise income, not jobs); private jobs
    # follow value added net of productivity (roads raise output per worker, they do
    # not hire); construction jobs follow construction value added net of trend.
    jobs = (
        jobs_of(land * shock, jobs0 * p["agri_jobs_share_2023"])
        + jobs_of(sectors[1], jobs0 * p["mining_jobs_share_2023"])
        + sme_jobs
        + jobs_of(sectors[3] / (trend_n * infra_tfp),
                  jobs0 * share_private_jobs - sme_jobs[:, T0:T0 + 1])
        + jobs_of(sectors[4] / trend_n, jobs0 * p["construction_jobs_share_2023"])
        + jobs_of(sectors[5], jobs0 * p["public_jobs_share_2023"])
    )

    cost = injection + sme_support
    return {
        "grp": grp,
        "grp_per_capita": grp * 1e6 / pop,
        "population": pop,
        "va_agriculture": sectors[0],
        "va_mining": sectors[1],
        "va_sme": sectors[2],
        "va_private_other": sectors[3],
        "va_construction": sectors[4],
        "va_public": sectors[5],
        "jobs": jobs,
        "sme_jobs": sme_jobs,
        "labour_income_per_capita": p["labour_share"] * grp * 1e6 / pop,
        "road_km_good": road,
        "irrigated_ha": np.broadcast_to(equipped, (n, nt)),
        "irrigated_good_ha": good_ha,
        "irrigated_effective_ha": effective,
        "water_cap_ha": np.broadcast_to(water_cap, (n, nt)),
        "sme_count": firms,
        "programme_cost": cost,
        "programme_cost_cumulative": np.cumsum(cost, axis=1),
    }
