r"""The Batken regional model: yearly stocks and sector value added, 2007-2040.

Everything is an array of shape ``(n_runs, n_years)``: one call runs many scenarios
or many parameter draws at once. Money is million som at constant 2020 prices,
land hectares, people persons. Parameters (symbols below, names in
``data/parameters.csv``) are columns of shape ``(n_runs, 1)``.

Notation: :math:`t` a year, :math:`t_0 = 2023` the last recorded year,
:math:`Y_0` = ``grp_2023_mln_som``, :math:`s_i` the 2023 sector shares,
:math:`x^{\mathrm{lever}}_t` a programme lever (zero outside programme years).

**1. Roads**, two classes :math:`k \in \{T, L\}` (trunk: international and republican;
local), km in good condition :math:`R^k`::

    S^T_t      = trunk_base + sigma x^infra_t                    spending, mln som
    S^L_t      = local_base + (1 - sigma) x^infra_t               (sigma = trunk share)
    C^T_t      = eff / cost_T * S^T_{t-L}                         a trunk section opens whole
    C^L_t      = eff / cost_L * (1/L) * sum_{k=1..L} S^L_{t-k}     local km spread over L years
    m_t        = min(1, m0 + x^maint_t / (mk_T R^T_t + mk_L R^L_t))   maintenance coverage
    d_t        = d_un - (d_un - d_m) * m_t                         decay rate
    R^k_{t+1}  = min(network_k, R^k_t (1 - d_t) + C^k_t)
    A_t        = w R^T_t / R^T_{t0} + (1 - w) R^L_t / R^L_{t0}     road-access index (1 in 2023)

A trunk section is a named link (an Osh-Batken-Isfana section): it changes access in
one step when it opens, ``L`` years after its money is spent.

**2. Irrigation** (equipped :math:`H`, in good condition :math:`G`, effective :math:`E`,
storage :math:`V` in million m³)::

    N_t        = new_base + x^new_{t - lag}                      ha arriving
    H_{t+1}    = H_t + N_t
    G_{t+1}    = min(H_{t+1}, G_t (1 - irr_decay) + N_t + rehab_base + x^rehab_{t-1})
    V_t        = sum_{u <= t - lag} x^storage_u                   new storage in use
    Cap_t      = (water_cap_ha + ha_per_mcm V_t) * W_t             water cap
    E_t        = min(G_t + q (H_t - G_t),  Cap_t)                  q: degraded land's share
    Land_t     = E_t + rainfed_ha * min(1, W_t) / yield_ratio      irrigated-equivalent ha

**3. Agriculture**: the 2023 level, with land valued at the margin by crop budgets
(:mod:`model.crops`; :math:`dV_t` the incremental value of an irrigated hectare over a
rain-fed one at apricot price :math:`p_t`, :math:`v_R` a rain-fed hectare)::

    Y^A_t = (1+g_A)^{t-t0} (1 + theta (A_t - 1))
            * ( Y_0 s_A (1 - a + a p_t / p_ref)
                + k dV_t (E_t - E_{t0}) + v_R rainfed_ha (min(1, W_t) - 1) )

**4. Businesses**: registered SMEs :math:`F` grow logistically with road access; a
support programme adds businesses :math:`B` (individual entrepreneurs, farms, small
firms) beyond those that would have started anyway (deadweight ``dw``), which close at
rate ``e``; a share ``disp`` of their value added is taken from other local firms::

    Fmax_t   = F*_2023 (Y^A_t / Y^A_{t0})^{e_farm} A_t^{e_acc}
    F_{t+1}  = F_t + r A_t^{e_entry} F_t (1 - F_t/Fmax_t)
    B_{t+1}  = B_t (1 - e) + (1 - dw) x^sme_t / loan_size
    Y^S_t    = (F_t va_firm + B_t va_supported (1 - disp)) (1+g_N)^{t-t0} A_t^{eps_G}

**5. Other sectors**::

    Y^P_t = (Y_0 s_P - Y^S_{t0}) (1+g_N)^{t-t0} (Pop_t/Pop_{t0}) A_t^{eps_G}  private non-farm
    Y^M_t = Y_0 s_M prod_{u=t0+1..t} (1 + g^M_u)                           mining, exogenous
    Y^C_t = Y_0 s_C (1+g_N)^{t-t0} Pop_t/Pop_{t0}  +  D_t                   construction
    D_t   = lc * mult * Inj_t                                  construction-phase demand
    Y^G_t = Y_0 s_G Pop_t/Pop_{t0}                                          public services
    Inj_t = x^infra_t + x^maint_t + c_new x^new_t + c_rehab x^rehab_t + c_store x^storage_t

``g^M_u`` is the mining-growth setting from 2024 on, so the 2024 level already grows at
it. The regional multiplier ``mult`` applies only to the programme's local construction
injection (local content ``lc``), never on top of the supply effects, so no som is
counted twice (model-evidence.md, pitfall 1). :math:`D_t` is real regional income while
the works last, but it is the programme's own spending coming back: the appraisal
(:mod:`model.appraisal`) reports it apart and never counts it as a benefit.
:math:`s_P = 1 - s_A - s_M - s_C - s_G`.

**6. Totals**::

    GRP_t  = (Y^A + Y^M + Y^S + Y^P + Y^C + Y^G)_t * (1 + shock_t)
    Jobs_t = J^A Land_t/Land_{t0} + J^M Y^M_t/Y^M_{t0} + F_t jobs_firm
             + B_t jobs_supported (1 - disp)
             + J^P (Y^P_t / ((1+g_N)^{t-t0} A_t^{eps_G})) / (...)_{t0}
             + J^C (Y^C_t / (1+g_N)^{t-t0}) / (...)_{t0} + J^G Pop_t/Pop_{t0}
    Income_t (som/person) = labour_share * GRP_t * 1e6 / Pop_t

``J^i`` are 2023 jobs by sector (``jobs_2023`` times the sector's job share; private
jobs net of SME jobs). Farm jobs follow land worked and private jobs follow output net
of productivity: better roads raise output per worker, they do not by themselves hire.
``shock_t`` is the fitted ``covid_conflict_shock`` in 2020-2021 and zero otherwise.
By construction the baseline reproduces :math:`Y_0` in 2023; the history before it is
the model's backcast, which calibration fits to recorded GRP.

**Running costs a programme creates** (outputs, charged in the appraisal)::

    O^road_t = m0 (mk_T R^T_t + mk_L R^L_t)        the baseline budget's maintenance bill
    O^irr_t  = om_ha H_t + om_share c_store V_t    canal and reservoir O&M
"""

from __future__ import annotations

import numpy as np

from model.crops import incremental_value_per_ha, rainfed_value_per_ha
from model.history import load_history
from model.levers import FIRST_PROJECTION_YEAR, FIRST_YEAR, LAST_HISTORY_YEAR, Inputs
from model.parameters import ParameterSet

T0 = LAST_HISTORY_YEAR - FIRST_YEAR  # column of 2023
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
    "va_construction_demand": "million som (2020 prices)",
    "jobs": "persons",
    "sme_jobs": "persons",
    "labour_income_per_capita": "som per person per year (2020 prices)",
    "road_km_good": "km",
    "road_trunk_km_good": "km",
    "road_local_km_good": "km",
    "road_km_completed": "km per year",
    "irrigated_ha": "ha",
    "irrigated_good_ha": "ha",
    "irrigated_effective_ha": "ha",
    "water_cap_ha": "ha",
    "water_storage_mcm": "million m3",
    "sme_count": "firms",
    "supported_businesses": "businesses",
    "programme_cost": "million som (2020 prices)",
    "programme_cost_cumulative": "million som (2020 prices)",
    "loan_repayments": "million som (2020 prices)",
    "running_cost_roads": "million som (2020 prices)",
    "running_cost_irrigation": "million som (2020 prices)",
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


def _population(p: ParameterSet, n: int, nt: int) -> np.ndarray:
    hist = load_history().population
    growth = (1.0 + p["population_growth"]) ** np.arange(1, nt - T0)[None, :]
    future = np.broadcast_to(hist[-1] * growth, (n, growth.shape[1]))
    return np.concatenate([np.broadcast_to(hist, (n, len(hist))), future], axis=1)


def _spread(spend: np.ndarray, base: np.ndarray, build_years: np.ndarray) -> np.ndarray:
    """``(1/L) sum_{k=1..L} S_{t-k}`` with ``S`` = ``base`` before the first year."""
    n, nt = spend.shape
    path = np.concatenate([np.broadcast_to(base, (n, MAX_LAG)), spend], axis=1)
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(path, axis=1)], axis=1)
    col = np.arange(nt)[None, :] + MAX_LAG  # position of year t in path
    window = np.take_along_axis(csum, np.broadcast_to(col, (n, nt)), axis=1) - np.take_along_axis(
        csum, (col - build_years).astype(int), axis=1
    )
    return window / build_years


def simulate(p: ParameterSet, x: Inputs) -> dict[str, np.ndarray]:
    """Run the model for every row of ``p`` and ``x``.

    Args:
        p: parameters, one row per run (see :class:`model.parameters.ParameterSet`).
        x: input paths, one row per run, or one row broadcast to every run of ``p``;
            their columns are years from 2007 (to 2040, or to 2065 for an appraisal).

    Returns:
        Output name -> array ``(n_runs, n_years)`` over ``x.years``; names and units
        in :data:`OUTPUTS`.
    """
    n = max(p.n_runs, x.n_runs)
    if p.n_runs not in (1, n) or x.n_runs not in (1, n):
        raise ValueError(f"runs do not match: {p.n_runs} parameter rows, {x.n_runs} inputs")
    years = x.years
    nt = len(years)
    t_rel = (years - LAST_HISTORY_YEAR)[None, :]

    def lever(a: np.ndarray) -> np.ndarray:
        return np.broadcast_to(a, (n, nt))

    infra, maint = lever(x.infrastructure_spend), lever(x.road_maintenance)
    new_ha, rehab_ha = lever(x.irrigation_new_ha), lever(x.irrigation_rehab_ha)
    storage_built = lever(x.water_storage_mcm)
    sme_support, water = lever(x.sme_support), lever(x.water_availability) / 100.0
    trunk_share = np.broadcast_to(x.road_trunk_share, (n, 1))

    # --- 1. roads: trunk sections open whole after the build years; local km spread
    build_years = np.clip(np.round(p["road_build_years"]), 1, MAX_LAG)
    eff = p["road_efficiency"]
    trunk_spend = p["road_trunk_spend_base_mln_som"] + trunk_share * infra
    local_spend = p["road_local_spend_base_mln_som"] + (1.0 - trunk_share) * infra
    trunk_hist = np.concatenate(
        [np.broadcast_to(p["road_trunk_spend_base_mln_som"], (n, MAX_LAG)), trunk_spend], axis=1
    )
    trunk_opened = _lagged(trunk_hist, build_years)[:, MAX_LAG:]
    completed_trunk = eff / p["road_trunk_cost_mln_som_per_km"] * trunk_opened
    completed_local = (
        eff
        / p["road_local_cost_mln_som_per_km"]
        * _spread(local_spend, p["road_local_spend_base_mln_som"], build_years)
    )

    # --- 2. irrigation: hectares and storage arriving after the lag
    lag = np.clip(np.round(p["irr_lag_years"]), 0, MAX_LAG)
    arriving = p["irr_new_ha_base"] + _lagged(new_ha, lag)
    rehab = p["irr_rehab_base_ha"] + _lagged(rehab_ha, np.ones((1, 1)))
    before = np.cumsum(arriving, axis=1) - arriving  # ha that arrived before year t
    equipped = p["irr_equipped_ha_2023"] + before - before[:, T0 : T0 + 1]
    storage = np.cumsum(_lagged(storage_built, lag), axis=1)

    # --- the recursive stocks: road km in good condition, irrigated land in good
    # condition, registered SMEs need the access index, so SMEs follow below
    # Both road classes in one (n, 2) array, and the hectares beside them: each year is
    # a handful of numpy calls, whatever the number of runs (this loop is the model's
    # hot path on every slider move).
    roads = np.empty((n, nt, 2))
    good_ha = np.empty((n, nt))
    r_t = np.concatenate(
        [
            np.broadcast_to(p["road_trunk_good_km_2007"], (n, 1)),
            np.broadcast_to(p["road_local_good_km_2007"], (n, 1)),
        ],
        axis=1,
    )
    g_t = (p["irr_good_share_2007"] * equipped[:, :1])[:, 0].copy()
    m0 = p["road_maint_coverage_base"][:, 0]
    mk_t = p["road_trunk_maint_cost_mln_som_per_km"]
    mk_l = p["road_local_maint_cost_mln_som_per_km"]
    mk = np.broadcast_to(np.concatenate([mk_t, mk_l], axis=1), (n, 2))
    d_m, d_un = p["road_decay_maintained"][:, 0], p["road_decay_unmaintained"][:, 0]
    cap = np.broadcast_to(
        np.concatenate([p["road_trunk_network_km"], p["road_local_network_km"]], axis=1), (n, 2)
    )
    completed = np.stack([completed_trunk, completed_local], axis=2)
    keep_irr = 1.0 - p["irr_decay"][:, 0]
    grow_irr = arriving + rehab
    for t in range(nt):
        roads[:, t], good_ha[:, t] = r_t, g_t
        cover = np.minimum(1.0, m0 + maint[:, t] / (mk * r_t).sum(axis=1))
        r_t = np.minimum(cap, r_t * (1.0 - d_un + (d_un - d_m) * cover)[:, None] + completed[:, t])
        if t + 1 < nt:
            g_t = np.minimum(equipped[:, t + 1], g_t * keep_irr + grow_irr[:, t])
    trunk, local = roads[:, :, 0], roads[:, :, 1]
    w_trunk = p["road_trunk_access_weight"]
    access = (
        w_trunk * trunk / trunk[:, T0 : T0 + 1] + (1.0 - w_trunk) * local / local[:, T0 : T0 + 1]
    )

    water_cap = (p["water_cap_ha"] + p["storage_ha_per_mcm"] * storage) * water
    served = good_ha + p["degraded_irrigation_gain_share"] * (equipped - good_ha)
    effective = np.minimum(served, water_cap)
    rainfed_in_use = p["rainfed_ha"] * np.minimum(1.0, water)
    land = effective + rainfed_in_use / p["yield_ratio_irr"]

    # --- 3. agriculture: the 2023 level, land changes valued at crop-budget margins
    y0 = p["grp_2023_mln_som"]
    g_a, g_n = p["agri_productivity_growth"], p["nonfarm_productivity_growth"]
    trend_a, trend_n = (1.0 + g_a) ** t_rel, (1.0 + g_n) ** t_rel
    price = lever(x.apricot_price)
    apricot = 1.0 - p["apricot_share_of_agri"] * (1.0 - price / p["apricot_price_ref_som_kg"])
    farm_price = 1.0 + p["access_price_effect"] * (access - 1.0)
    marginal_ha = p["crop_budget_factor"] * incremental_value_per_ha(price)
    va_agri = (
        trend_a
        * farm_price
        * (
            y0 * p["agri_share_2023"] * apricot
            + marginal_ha * (effective - effective[:, T0 : T0 + 1])
            + rainfed_value_per_ha() * (rainfed_in_use - p["rainfed_ha"])
        )
    )

    # --- 4. businesses: registered SMEs (logistic) and supported businesses
    ceiling = (
        p["sme_ceiling_2023"]
        * (va_agri / va_agri[:, T0 : T0 + 1]) ** p["sme_ceiling_farm_elasticity"]
        * access ** p["sme_ceiling_access_elasticity"]
    )
    entry_rate = p["sme_growth_rate"] * access ** p["sme_entry_access_elasticity"]
    new_biz = (1.0 - p["sme_deadweight"]) * sme_support / p["sme_loan_size_mln_som"]
    survive = 1.0 - p["sme_supported_exit_rate"][:, 0]
    firms = np.empty((n, nt))
    supported = np.empty((n, nt))
    f_t = np.broadcast_to(p["sme_count_2007"], (n, 1))[:, 0].copy()
    b_t = np.zeros(n)
    for t in range(nt):
        firms[:, t], supported[:, t] = f_t, b_t
        f_t = f_t + entry_rate[:, t] * f_t * (1.0 - f_t / ceiling[:, t])
        b_t = b_t * survive + new_biz[:, t]
    infra_tfp = access ** p["infra_elasticity"]
    net_share = 1.0 - p["sme_displacement"]
    va_sme = (
        (
            firms * p["sme_va_per_firm_mln_som"]
            + supported * p["sme_supported_va_mln_som"] * net_share
        )
        * trend_n
        * infra_tfp
    )

    # --- 5. other sectors
    pop = _population(p, n, nt)
    pop_rel = pop / pop[:, T0 : T0 + 1]
    s_private = 1.0 - (
        p["agri_share_2023"]
        + p["mining_share_2023"]
        + p["construction_share_2023"]
        + p["public_share_2023"]
    )
    va_sme_2023 = firms[:, T0 : T0 + 1] * p["sme_va_per_firm_mln_som"]
    va_private = (y0 * s_private - va_sme_2023) * trend_n * pop_rel * infra_tfp

    # growth of year t moves year t's level: index_t = prod_{u=t0+1..t} (1 + g_u)
    mining_g = np.where(
        years[None, :] >= FIRST_PROJECTION_YEAR,
        lever(x.mining_growth) / 100.0,
        p["mining_growth_base"],
    )
    mining_index = np.cumprod(1.0 + mining_g, axis=1)
    va_mining = y0 * p["mining_share_2023"] * mining_index / mining_index[:, T0 : T0 + 1]

    storage_cost = storage_built * p["storage_cost_mln_som_per_mcm"]
    injection = (
        infra
        + maint
        + new_ha * p["irr_cost_new_mln_som_per_ha"]
        + rehab_ha * p["irr_cost_rehab_mln_som_per_ha"]
        + storage_cost
    )
    shock = np.where(np.isin(years, SHOCK_YEARS)[None, :], 1.0 + p["covid_conflict_shock"], 1.0)
    demand = p["local_content_constr"] * p["regional_multiplier"] * injection
    va_constr = y0 * p["construction_share_2023"] * trend_n * pop_rel + demand
    va_public = y0 * p["public_share_2023"] * pop_rel

    # --- 6. totals
    sectors = [va_agri, va_mining, va_sme, va_private, va_constr, va_public]
    sectors = [np.broadcast_to(s * shock, (n, nt)) for s in sectors]
    grp = sum(sectors)

    jobs0 = p["jobs_2023"]
    supported_jobs = supported * p["sme_supported_jobs"] * net_share
    sme_jobs = firms * p["sme_jobs_per_firm"] + supported_jobs
    share_private_jobs = 1.0 - (
        p["agri_jobs_share_2023"]
        + p["mining_jobs_share_2023"]
        + p["construction_jobs_share_2023"]
        + p["public_jobs_share_2023"]
    )

    def jobs_of(driver: np.ndarray, jobs_2023: np.ndarray) -> np.ndarray:
        # jobs scale with the sector's physical driver, indexed to 2023
        return jobs_2023 * driver / driver[:, T0 : T0 + 1]

    # Farm jobs follow the land worked (prices raise income, not jobs); private jobs
    # follow value added net of productivity (roads raise output per worker, they do
    # not hire); construction jobs follow construction value added net of trend.
    jobs = (
        jobs_of(land * shock, jobs0 * p["agri_jobs_share_2023"])
        + jobs_of(sectors[1], jobs0 * p["mining_jobs_share_2023"])
        + sme_jobs
        + jobs_of(
            sectors[3] / (trend_n * infra_tfp),
            jobs0 * share_private_jobs - sme_jobs[:, T0 : T0 + 1],
        )
        + jobs_of(sectors[4] / trend_n, jobs0 * p["construction_jobs_share_2023"])
        + jobs_of(sectors[5], jobs0 * p["public_jobs_share_2023"])
    )

    term = np.clip(np.round(p["sme_loan_term_years"]), 0, MAX_LAG)
    repayments = p["sme_loan_recovery_share"] * _lagged(sme_support, term)
    cost = injection + sme_support
    road = trunk + local
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
        "va_construction_demand": np.broadcast_to(demand * shock, (n, nt)),
        "jobs": jobs,
        "sme_jobs": sme_jobs,
        "labour_income_per_capita": p["labour_share"] * grp * 1e6 / pop,
        "road_km_good": road,
        "road_trunk_km_good": trunk,
        "road_local_km_good": local,
        "road_km_completed": completed_trunk + completed_local,
        "irrigated_ha": np.broadcast_to(equipped, (n, nt)),
        "irrigated_good_ha": good_ha,
        "irrigated_effective_ha": effective,
        "water_cap_ha": np.broadcast_to(water_cap, (n, nt)),
        "water_storage_mcm": np.broadcast_to(storage, (n, nt)),
        "sme_count": firms + supported,
        "supported_businesses": np.broadcast_to(supported, (n, nt)),
        "programme_cost": cost,
        "programme_cost_cumulative": np.cumsum(cost, axis=1),
        "loan_repayments": np.broadcast_to(repayments, (n, nt)),
        "running_cost_roads": m0[:, None] * (mk_t * trunk + mk_l * local),
        "running_cost_irrigation": np.broadcast_to(
            p["irr_om_cost_mln_som_per_ha"] * equipped
            + p["storage_om_share"] * p["storage_cost_mln_som_per_mcm"] * storage,
            (n, nt),
        ),
    }
