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

Each road class is a stock per unit (district or city, :mod:`model.districts`) when a
scenario places road money by unit: ``R^k_d`` with its own network (the oblast's times
the unit's share), its own maintenance coverage ``m_d`` (its maintenance money over its
own bill) and the sums ``R^k = sum_d R^k_d`` in the access index. Spread by the
oblast-wide rules, every unit's stock is a fixed share of the oblast's and the sums are
the equations above.

**2. Irrigation, by river basin** :math:`b` (equipped :math:`H_b`, in good condition
:math:`G_b`, effective :math:`E_b`, storage :math:`V_b` in million m³; ``z^new_b`` the
basin's share of the lever, :mod:`model.districts`)::

    N_b,t      = new_base n_b + z^new_b x^new_{t - lag}          ha arriving
    H_b,t+1    = H_b,t + N_b,t
    G_b,t+1    = min(H_b,t+1, G_b,t (1 - irr_decay) + N_b,t
                     + rehab_base h_b + z^rehab_b x^rehab_{t-1})
    V_b,t      = z^store_b sum_{u <= t - lag} x^storage_u       new storage in use
    Cap_b,t    = (water_cap_ha c_b + ha_per_mcm V_b,t) W_t W_b,t   the basin's water cap
    E_t        = sum_b min(G_b,t + q (H_b,t - G_b,t),  Cap_b,t)    q: degraded land's share
    Land_t     = E_t + rainfed_ha * min(1, W_t) / yield_ratio      irrigated-equivalent ha

``n_b`` is where the baseline's new land goes (Burgondu on the Sokh, R-4 on the Isfara),
``h_b`` the basin's share of 2023 land, ``c_b`` its share of the water cap and ``W_b``
its own water setting (a drought can hit one river): water left over in one basin
cannot irrigate land in another.

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

from model import districts as geo
from model.crops import incremental_value_per_ha, rainfed_value_per_ha
from model.history import load_history
from model.levers import (
    BASINS,
    DISTRICTS,
    FIRST_PROJECTION_YEAR,
    FIRST_YEAR,
    LAST_HISTORY_YEAR,
    Inputs,
)
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

#: Equipped hectares of each cell (basin x unit, ``data/basin_districts.csv`` order), a key
#: of :func:`simulate_places`' basin outputs beside :data:`BASIN_OUTPUTS`.
CELL_OUTPUT = "cells_irrigated_ha"
#: Basin outputs of :func:`simulate_places` (arrays ``(n_runs, n_years, n_basins)``).
BASIN_OUTPUTS: dict[str, str] = {
    "irrigated_ha": "ha",
    "irrigated_served_ha": "ha",
    "irrigated_effective_ha": "ha",
    "water_cap_ha": "ha",
    "water_storage_mcm": "million m3",
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


def _irrigation(
    p: ParameterSet,
    e23: np.ndarray,
    base_new: np.ndarray,
    base_rehab: np.ndarray,
    z_new: np.ndarray,
    z_rehab: np.ndarray,
    z_store: np.ndarray,
    new_lag: np.ndarray,
    rehab_lag: np.ndarray,
    store_lag: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Equipped, good and storage stocks of irrigation groups (basins, or cells).

    ``e23`` (n|1, G) equipped ha in 2023; ``base_new`` and ``base_rehab`` (n|1, G) the
    baseline's ha per year; ``z_*`` (n|1, G) each group's share of a lever; ``*_lag``
    (n, nt) the lever paths already lagged. Returns (n, nt, G) arrays (section 2);
    storage is None when no storage is built.
    """
    n, nt = new_lag.shape
    # arrays are (n, G, nt) inside: years contiguous, so each operation runs over them
    steps = (np.arange(nt) - T0)[None, None, :]
    before = np.cumsum(new_lag, axis=1) - new_lag  # lever ha that arrived before year t
    before = before - before[:, T0 : T0 + 1]
    # H_t = H_2023 + new_base (t - 2023) + the lever's arrivals since 2023
    # (in place where the arrays are large: fresh temporaries cost page faults)
    equipped = np.multiply(z_new[:, :, None], before[:, None, :])
    equipped += e23[:, :, None] + base_new[:, :, None] * steps
    grow = np.multiply(z_new[:, :, None], new_lag[:, None, :])
    grow += (base_new + base_rehab)[:, :, None]
    if rehab_lag.any():
        grow += z_rehab[:, :, None] * rehab_lag[:, None, :]
    ng = equipped.shape[1]
    good = np.empty((n, ng, nt))
    g_t = np.broadcast_to(p["irr_good_share_2007"] * equipped[:, :, 0], (n, ng))
    keep = 1.0 - p["irr_decay"]
    for t in range(nt):
        good[:, :, t] = g_t
        if t + 1 < nt:
            g_t = np.minimum(equipped[:, :, t + 1], g_t * keep + grow[:, :, t])
    storage = None
    if store_lag.any():
        storage = z_store[:, :, None] * np.cumsum(store_lag, axis=1)[:, None, :]
    return equipped, good, storage


def _basin_served_fast(
    p: ParameterSet,
    e23: np.ndarray,
    base_new: np.ndarray,
    base_rehab: np.ndarray,
    z_new: np.ndarray,
    new_lag: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Served land by basin ``(n, B, nt)`` and the oblast's good land ``(n, nt)`` in
    closed form, or None where the closed form does not hold.

    Without rehabilitation by the programme, good land is a linear recursion whenever it
    stays below the equipped land (the ``min`` of section 2 never binds)::

        G_b,t = k^t G_b,0 + g_b (1 - k^t) / (1 - k) + z^new_b L_t,
        L_t   = sum_{u<t} k^{t-1-u} x^new_{u-lag}            (k = 1 - irr_decay)

    and since ``L_t <= sum_{u<t} x^new_{u-lag}`` (the lever's part of ``H``), the bound
    holds for every run as soon as it holds for the baseline's part. The result equals
    the year-by-year loop of :func:`_irrigation` (tested), in a few array operations
    instead of one small step per year.
    """
    nt = new_lag.shape[1]
    k = 1.0 - p["irr_decay"]  # (np, 1)
    t = np.arange(nt)[None, :]
    kt = k**t  # (np, nt)
    steps = (t - T0)[:, None, :]
    eq_base = e23[:, :, None] + base_new[:, :, None] * steps  # (np, B, nt)
    grow = (base_new + base_rehab)[:, :, None]
    g0 = p["irr_good_share_2007"][:, :, None] * eq_base[:, :, :1]
    good_base = kt[:, None, :] * g0 + grow * ((1.0 - kt) / (1.0 - k))[:, None, :]
    if (good_base > eq_base + 1e-9).any():
        return None
    # the lever's part: L_t = k^(t-1) sum_{u<t} x_u k^(-u)
    w = new_lag * k ** (-t)
    acc = np.cumsum(w, axis=1) - w
    lever_good = acc * k ** (t - 1)
    before = np.cumsum(new_lag, axis=1) - new_lag
    before = before - before[:, T0 : T0 + 1]
    q = p["degraded_irrigation_gain_share"]
    served_base = (1.0 - q)[:, :, None] * good_base + q[:, :, None] * eq_base
    lever_served = (1.0 - q) * lever_good + q * before  # (n, nt)
    served = np.multiply(z_new[:, :, None], lever_served[:, None, :])
    served += served_base
    good = good_base.sum(axis=1) + lever_good
    return served, good


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
    return _simulate(p, x, False)[0]


def simulate_places(
    p: ParameterSet, x: Inputs
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """:func:`simulate` with the split by unit and by basin (:mod:`model.districts`).

    Returns:
        ``(oblast, units, basins)``: the oblast outputs as :func:`simulate`; every output
        of :data:`OUTPUTS` by unit, ``(n_runs, n_years, n_units)`` in
        :data:`model.levers.DISTRICTS` order, whose additive outputs add up to the
        oblast's exactly; :data:`BASIN_OUTPUTS` by basin, ``(n_runs, n_years, n_basins)``,
        and :data:`CELL_OUTPUT` by cell, ``(n_runs, n_years, n_cells)``.
    """
    out, units, basins = _simulate(p, x, True)
    assert units is not None and basins is not None
    return out, units, basins


def _simulate(
    p: ParameterSet, x: Inputs, places: bool
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray] | None, dict[str, np.ndarray] | None]:
    n = max(p.n_runs, x.n_runs)
    if p.n_runs not in (1, n) or x.n_runs not in (1, n):
        raise ValueError(f"runs do not match: {p.n_runs} parameter rows, {x.n_runs} inputs")
    years = x.years
    nt = len(years)
    t_rel = (years - LAST_HISTORY_YEAR)[None, :]
    nd, nb = len(DISTRICTS), len(BASINS)
    g = geo.geography()
    sh = geo.shares(p)

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

    # --- 2. irrigation by basin: hectares and storage arriving after the lag
    lag = np.clip(np.round(p["irr_lag_years"]), 0, MAX_LAG)
    new_lag = _lagged(new_ha, lag)
    rehab_lag = _lagged(rehab_ha, np.ones((1, 1)))
    store_lag = _lagged(storage_built, lag)
    z_cells = {k: geo.cell_shares(sh, x, k, n) for k in geo.IRRIGATION_LEVERS}
    to_b = g.to_basin
    cell_ha = sh.cell_ha_2023  # (n|1, C): one row when the parameters are one row
    ha_share_cells = cell_ha / cell_ha.sum(axis=1, keepdims=True)
    base_new_cells = p["irr_new_ha_base"] * g.cell_base_new[None, :]
    base_rehab_cells = p["irr_rehab_base_ha"] * ha_share_cells
    basin_args = (
        p,
        cell_ha @ to_b,
        base_new_cells @ to_b,
        base_rehab_cells @ to_b,
        z_cells["irrigation_new_ha"] @ to_b,
        z_cells["irrigation_rehab_ha"] @ to_b,
        z_cells["water_storage_mcm"] @ to_b,
        new_lag,
        rehab_lag,
        store_lag,
    )
    fast = None
    if not places and not rehab_lag.any():
        fast = _basin_served_fast(*basin_args[:5], new_lag)
    storage_b: np.ndarray | None
    if fast is None:
        equipped_b, good_b, storage_b = _irrigation(*basin_args)
    else:
        storage_b = None
        if store_lag.any():
            storage_b = basin_args[6][:, :, None] * np.cumsum(store_lag, axis=1)[:, None, :]

    # --- the recursive road stocks: both classes in one array; each year is a handful of
    # numpy calls, whatever the number of runs (the model's hot path on every slider move)
    m0 = p["road_maint_coverage_base"][:, 0]
    mk_t = p["road_trunk_maint_cost_mln_som_per_km"]
    mk_l = p["road_local_maint_cost_mln_som_per_km"]
    d_m, d_un = p["road_decay_maintained"][:, 0], p["road_decay_unmaintained"][:, 0]
    by_unit = places or geo.roads_placed(x)
    roads_d: np.ndarray | None = None
    maint_d: np.ndarray | None = None
    if not by_unit:
        roads = np.empty((n, nt, 2))
        r_t = np.concatenate(
            [
                np.broadcast_to(p["road_trunk_good_km_2007"], (n, 1)),
                np.broadcast_to(p["road_local_good_km_2007"], (n, 1)),
            ],
            axis=1,
        )
        mk = np.broadcast_to(np.concatenate([mk_t, mk_l], axis=1), (n, 2))
        cap = np.broadcast_to(
            np.concatenate([p["road_trunk_network_km"], p["road_local_network_km"]], axis=1),
            (n, 2),
        )
        completed = np.stack([completed_trunk, completed_local], axis=2)
        for t in range(nt):
            roads[:, t] = r_t
            cover = np.minimum(1.0, m0 + maint[:, t] / (mk * r_t).sum(axis=1))
            r_t = np.minimum(
                cap, r_t * (1.0 - d_un + (d_un - d_m) * cover)[:, None] + completed[:, t]
            )
        trunk, local = roads[:, :, 0], roads[:, :, 1]
    else:
        roads_d, maint_d = _roads_by_unit(
            p, x, sh, n, nt, completed_trunk, completed_local, maint, m0, mk_t, mk_l, d_m, d_un
        )
        trunk, local = roads_d[:, :, 0].sum(axis=2), roads_d[:, :, 1].sum(axis=2)
    w_trunk = p["road_trunk_access_weight"]
    access = (
        w_trunk * trunk / trunk[:, T0 : T0 + 1] + (1.0 - w_trunk) * local / local[:, T0 : T0 + 1]
    )

    # the basins' water caps, (n, B, nt): each basin's share of the cap, its storage, the
    # oblast's water and the basin's own
    cap_b = np.multiply((p["water_cap_ha"] * sh.cap)[:, :, None], water[:, None, :])
    if storage_b is not None:
        cap_b += storage_b * (p["storage_ha_per_mcm"] * water)[:, None, :]
    if x.basin_water is not None:
        cap_b *= np.broadcast_to(x.basin_water, (n, nb))[:, :, None]
    storage = np.cumsum(store_lag, axis=1)
    if x.basin_water is None:  # the caps' sum without summing them
        water_cap = (p["water_cap_ha"] + p["storage_ha_per_mcm"] * storage) * water
    else:
        water_cap = cap_b.sum(axis=1)
    if fast is None:
        q = p["degraded_irrigation_gain_share"][:, :, None]
        served_b = np.subtract(equipped_b, good_b)
        served_b *= q
        served_b += good_b
        good_ha = good_b.sum(axis=1)
    else:
        served_b, good_ha = fast
    # in place where the arrays are large (fresh temporaries cost page faults)
    effective_b = np.minimum(served_b, cap_b, out=None if places else cap_b)
    effective = effective_b.sum(axis=1)
    # the oblast's stocks: the basins' shares of each lever add up to 1
    before_all = np.cumsum(new_lag, axis=1) - new_lag
    equipped = (
        p["irr_equipped_ha_2023"]
        + p["irr_new_ha_base"] * (np.arange(nt) - T0)[None, :]
        + (before_all - before_all[:, T0 : T0 + 1])
    )
    if storage_b is None:
        storage_b = np.zeros((1, nb, nt))
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
    va_constr_base = y0 * p["construction_share_2023"] * trend_n * pop_rel
    va_constr = va_constr_base + demand
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
    jobs_parts = [
        jobs_of(land * shock, jobs0 * p["agri_jobs_share_2023"]),
        jobs_of(sectors[1], jobs0 * p["mining_jobs_share_2023"]),
        sme_jobs,
        jobs_of(
            sectors[3] / (trend_n * infra_tfp),
            jobs0 * share_private_jobs - sme_jobs[:, T0 : T0 + 1],
        ),
        jobs_of(sectors[4] / trend_n, jobs0 * p["construction_jobs_share_2023"]),
        jobs_of(sectors[5], jobs0 * p["public_jobs_share_2023"]),
    ]
    jobs = sum(jobs_parts)

    term = np.clip(np.round(p["sme_loan_term_years"]), 0, MAX_LAG)
    repayments = p["sme_loan_recovery_share"] * _lagged(sme_support, term)
    cost = injection + sme_support
    road = trunk + local
    out = {
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
    if not places:
        return out, None, None

    # ================= the split by unit (model.districts) ==========================
    assert roads_d is not None and maint_d is not None
    to_d = g.to_district
    psi = sh.population[None, None, :]

    def per_unit(a: np.ndarray, share: np.ndarray) -> np.ndarray:
        """(n, nt) oblast series times (n, D) or (D,) shares -> (n, nt, D)."""
        s_ = share if share.ndim == 2 else share[None, :]
        return a[:, :, None] * s_[:, None, :]

    # irrigation cells: the same stocks cell by cell, each basin's effective land rationed
    # pro rata to the land its cells serve
    eq_c, good_c, store_c = _irrigation(
        p,
        cell_ha,
        base_new_cells,
        base_rehab_cells,
        z_cells["irrigation_new_ha"],
        z_cells["irrigation_rehab_ha"],
        z_cells["water_storage_mcm"],
        new_lag,
        rehab_lag,
        store_lag,
    )
    eq_c, good_c = eq_c.transpose(0, 2, 1), good_c.transpose(0, 2, 1)
    if store_c is not None:
        store_c = store_c.transpose(0, 2, 1)
    equipped_b, good_b, storage_b = (a.transpose(0, 2, 1) for a in (equipped_b, good_b, storage_b))
    served_b, effective_b, cap_b = (a.transpose(0, 2, 1) for a in (served_b, effective_b, cap_b))
    served_c = good_c + p["degraded_irrigation_gain_share"][:, :, None] * (eq_c - good_c)
    served_cb = served_c @ to_b  # the cells' own sum per basin
    basin_of = g.cell_basin
    ration = np.divide(
        served_c,
        served_cb[:, :, basin_of],
        out=np.zeros_like(served_c),
        where=served_cb[:, :, basin_of] > 0,
    )
    eff_c = ration * effective_b[:, :, basin_of]
    cap_c = ration * cap_b[:, :, basin_of]

    # the cells' equipped, good and storage stocks, rescaled so that they add up to the
    # basin's (they differ only where a cell's good land meets its equipped land)
    def to_basin_total(cells: np.ndarray, basin: np.ndarray) -> np.ndarray:
        tot = cells @ to_b
        scale = np.divide(basin, tot, out=np.ones_like(basin), where=tot > 0)
        return cells * scale[:, :, basin_of]

    eq_cells = to_basin_total(eq_c, equipped_b)
    eq_d = eq_cells @ to_d
    good_d = to_basin_total(good_c, good_b) @ to_d
    store_d = (
        np.zeros((n, nt, nd)) if store_c is None else to_basin_total(store_c, storage_b) @ to_d
    )
    eff_d = eff_c @ to_d
    cap_d = cap_c @ to_d
    rain_d = per_unit(rainfed_in_use, sh.rainfed)
    land_d = eff_d + rain_d / p["yield_ratio_irr"][:, :, None]
    land_share0 = land_d[:, T0, :] / land_d[:, T0, :].sum(axis=1, keepdims=True)

    va_agri_d = (trend_a * farm_price)[:, :, None] * (
        (y0 * p["agri_share_2023"] * apricot)[:, :, None] * land_share0[:, None, :]
        + marginal_ha[:, :, None] * (eff_d - eff_d[:, T0 : T0 + 1, :])
        + rainfed_value_per_ha()
        * (rain_d - p["rainfed_ha"][:, :, None] * sh.rainfed[None, None, :])
    )
    va_mining_d = per_unit(sectors[1], sh.mining)

    trunk_d, local_d = roads_d[:, :, 0, :], roads_d[:, :, 1, :]
    access_d = (w_trunk * trunk / trunk[:, T0 : T0 + 1])[:, :, None] + (1.0 - w_trunk)[
        :, :, None
    ] * local_d / local_d[:, T0 : T0 + 1, :]
    tfp_d = access_d ** p["infra_elasticity"][:, :, None]
    z_sme = geo.district_shares(sh, x, "sme_support", n)
    supported_d = per_unit(supported, z_sme)
    firms_d = per_unit(firms, sh.private)
    weight = (
        firms_d * p["sme_va_per_firm_mln_som"][:, :, None]
        + supported_d * (p["sme_supported_va_mln_som"] * net_share)[:, :, None]
    ) * tfp_d
    tot = weight.sum(axis=2, keepdims=True)
    va_sme_d = sectors[2][:, :, None] * np.divide(
        weight, tot, out=np.broadcast_to(sh.private[:, None, :], weight.shape).copy(), where=tot > 0
    )
    weight_p = sh.private[:, None, :] * tfp_d
    va_private_d = sectors[3][:, :, None] * weight_p / weight_p.sum(axis=2, keepdims=True)

    # what the programme spends in each unit (its construction demand and cost)
    z_trunk = geo.district_shares(sh, x, "infrastructure_spend", n)
    z_local = geo.local_road_shares(sh, x, n)
    infra_d = per_unit(trunk_share * infra, z_trunk) + per_unit(
        (1.0 - trunk_share) * infra, z_local
    )
    irr_cost_d = (
        per_unit(new_ha * p["irr_cost_new_mln_som_per_ha"], z_cells["irrigation_new_ha"] @ to_d)
        + per_unit(
            rehab_ha * p["irr_cost_rehab_mln_som_per_ha"], z_cells["irrigation_rehab_ha"] @ to_d
        )
        + per_unit(storage_cost, z_cells["water_storage_mcm"] @ to_d)
    )
    injection_d = infra_d + maint_d + irr_cost_d
    demand_d = (p["local_content_constr"] * p["regional_multiplier"])[:, :, None] * injection_d
    va_constr_d = va_constr_base[:, :, None] * psi + demand_d
    va_public_d = per_unit(va_public, sh.population)
    shock3 = shock[:, :, None] if shock.ndim == 2 else shock
    sectors_d = [
        va_agri_d * shock3,
        va_mining_d,
        va_sme_d,
        va_private_d,
        np.broadcast_to(va_constr_d * shock3, (n, nt, nd)),
        np.broadcast_to(va_public_d * shock3, (n, nt, nd)),
    ]
    grp_d = sum(sectors_d)
    pop_d = per_unit(pop, sh.population)
    sme_jobs_d = (
        firms_d * p["sme_jobs_per_firm"][:, :, None]
        + supported_d * (p["sme_supported_jobs"] * net_share)[:, :, None]
    )
    land_total0 = (land * shock)[:, T0 : T0 + 1, None]
    constr_driver0 = (sectors[4] / trend_n)[:, T0 : T0 + 1, None]
    jobs_d = (
        (jobs0 * p["agri_jobs_share_2023"])[:, :, None] * land_d * shock3 / land_total0
        + per_unit(jobs_parts[1], sh.mining)
        + sme_jobs_d
        + per_unit(jobs_parts[3], sh.private)
        + (jobs0 * p["construction_jobs_share_2023"])[:, :, None]
        * (sectors_d[4] / trend_n[:, :, None])
        / constr_driver0
        + per_unit(jobs_parts[5], sh.population)
    )
    cost_d = injection_d + per_unit(sme_support, z_sme)
    c_trunk_d, c_local_d = _completed_by_unit(p, sh, x, n, completed_trunk, completed_local)
    completed_d = c_trunk_d + c_local_d
    units = {
        "grp": grp_d,
        "grp_per_capita": grp_d * 1e6 / pop_d,
        "population": pop_d,
        "va_agriculture": sectors_d[0],
        "va_mining": sectors_d[1],
        "va_sme": sectors_d[2],
        "va_private_other": sectors_d[3],
        "va_construction": sectors_d[4],
        "va_public": sectors_d[5],
        "va_construction_demand": demand_d * shock3,
        "jobs": jobs_d,
        "sme_jobs": sme_jobs_d,
        "labour_income_per_capita": p["labour_share"][:, :, None] * grp_d * 1e6 / pop_d,
        "road_km_good": trunk_d + local_d,
        "road_trunk_km_good": trunk_d,
        "road_local_km_good": local_d,
        "road_km_completed": completed_d,
        "irrigated_ha": eq_d,
        "irrigated_good_ha": good_d,
        "irrigated_effective_ha": eff_d,
        "water_cap_ha": cap_d,
        "water_storage_mcm": store_d,
        "sme_count": firms_d + supported_d,
        "supported_businesses": supported_d,
        "programme_cost": cost_d,
        "programme_cost_cumulative": np.cumsum(cost_d, axis=1),
        "loan_repayments": per_unit(out["loan_repayments"], z_sme),
        "running_cost_roads": m0[:, None, None]
        * (mk_t[:, :, None] * trunk_d + mk_l[:, :, None] * local_d),
        "running_cost_irrigation": p["irr_om_cost_mln_som_per_ha"][:, :, None] * eq_d
        + (p["storage_om_share"] * p["storage_cost_mln_som_per_mcm"])[:, :, None] * store_d,
    }
    basins = {
        "irrigated_ha": equipped_b,
        "irrigated_served_ha": served_b,
        "irrigated_effective_ha": effective_b,
        "water_cap_ha": cap_b,
        "water_storage_mcm": np.broadcast_to(storage_b, (n, nt, nb)),
        CELL_OUTPUT: eq_cells,
    }
    return out, units, basins


def _completed_by_unit(
    p: ParameterSet,
    sh: geo.Shares,
    x: Inputs,
    n: int,
    completed_trunk: np.ndarray,
    completed_local: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(n, nt, D) trunk and local km completed in each unit: the baseline's by the rule
    shares, the programme's where it is placed."""
    eff = p["road_efficiency"]
    base_t = eff / p["road_trunk_cost_mln_som_per_km"] * p["road_trunk_spend_base_mln_som"]
    base_l = eff / p["road_local_cost_mln_som_per_km"] * p["road_local_spend_base_mln_som"]
    z_trunk = geo.district_shares(sh, x, "infrastructure_spend", n)
    z_local = geo.local_road_shares(sh, x, n)
    trunk = (
        np.broadcast_to(base_t, completed_trunk.shape)[:, :, None] * sh.trunk[None, None, :]
        + (completed_trunk - base_t)[:, :, None] * z_trunk[:, None, :]
    )
    local = (
        np.broadcast_to(base_l, completed_local.shape)[:, :, None] * sh.population[None, None, :]
        + (completed_local - base_l)[:, :, None] * z_local[:, None, :]
    )
    return trunk, local


def _roads_by_unit(
    p: ParameterSet,
    x: Inputs,
    sh: geo.Shares,
    n: int,
    nt: int,
    completed_trunk: np.ndarray,
    completed_local: np.ndarray,
    maint: np.ndarray,
    m0: np.ndarray,
    mk_t: np.ndarray,
    mk_l: np.ndarray,
    d_m: np.ndarray,
    d_un: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Road stocks by unit, ``(n, nt, 2, D)``, and the maintenance money of each unit,
    ``(n, nt, D)`` (section 1, by unit). Unplaced maintenance follows each unit's bill,
    so every unit's coverage is the oblast's."""
    nd = len(DISTRICTS)
    c_trunk, c_local = _completed_by_unit(p, sh, x, n, completed_trunk, completed_local)
    completed = np.stack([c_trunk, c_local], axis=2)  # (n, nt, 2, D)
    shares2 = np.stack([sh.trunk, sh.population])[None, :, :]  # (1, 2, D)
    r_t = (
        np.concatenate([p["road_trunk_good_km_2007"], p["road_local_good_km_2007"]], axis=1)[
            :, :, None
        ]
        * shares2
    )
    r_t = np.broadcast_to(r_t, (n, 2, nd))
    cap = (
        np.concatenate([p["road_trunk_network_km"], p["road_local_network_km"]], axis=1)[:, :, None]
        * shares2
    )
    mk = np.concatenate([mk_t, mk_l], axis=1)[:, :, None]  # (n|1, 2, 1)
    j = geo.LEVER_INDEX["road_maintenance"]
    placed = (
        np.zeros((n, 1), dtype=bool)
        if x.placed is None
        else np.broadcast_to(x.placed[:, j : j + 1], (n, 1))
    )
    w_placed = (
        np.zeros((n, nd)) if x.placement is None else np.broadcast_to(x.placement[:, j, :], (n, nd))
    )
    roads = np.empty((n, nt, 2, nd))
    k0, dd = (1.0 - d_un)[:, None], (d_un - d_m)[:, None]
    if not placed.any():
        # every unit's coverage is the oblast's: its maintenance follows its own bill
        for t in range(nt):
            roads[:, t] = r_t
            bill = (mk * r_t).sum(axis=(1, 2))
            cover = np.minimum(1.0, m0 + maint[:, t] / bill)[:, None, None]
            r_t = np.minimum(cap, r_t * (k0[:, :, None] + dd[:, :, None] * cover) + completed[:, t])
        bills = (mk[:, None] * roads).sum(axis=2)  # (n, nt, D)
        maint_d = maint[:, :, None] * bills / bills.sum(axis=2, keepdims=True)
        return roads, maint_d
    maint_d = np.empty((n, nt, nd))
    for t in range(nt):
        roads[:, t] = r_t
        bill = (mk * r_t).sum(axis=1)  # (n, D)
        a = np.where(placed, w_placed, bill / bill.sum(axis=1, keepdims=True))
        maint_d[:, t] = maint[:, t, None] * a
        cover = np.minimum(1.0, m0[:, None] + maint_d[:, t] / bill)
        r_t = np.minimum(cap, r_t * (k0 + dd * cover)[:, None, :] + completed[:, t])
    return roads, maint_d
