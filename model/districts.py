r"""Where it happens: the oblast's districts and cities, its river basins, and the split.

The oblast is six units (:data:`model.levers.DISTRICTS`): Batken, Kadamjay and Leilek
districts and the cities of oblast significance Batken, Kyzyl-Kiya and Sulukta, as the
National Statistical Committee publishes population (``data/districts.csv``). Irrigation
water comes from four river basins (:data:`model.levers.BASINS`, ``data/basins.csv``);
a *cell* is the land of one basin in one unit (``data/basin_districts.csv``), so a basin
serves several units and a unit may draw on several basins.

**Basins are part of the oblast answer** (:mod:`model.core`, section 2): irrigated land is
a stock per basin, each basin has its own water cap and its own water setting, and the
oblast's effective land is the sum over basins::

    E_t = sum_b min(G_b,t + q (H_b,t - G_b,t),  Cap_b,t)
    Cap_b,t = (water_cap_ha c_b + ha_per_mcm V_b,t) W_t W_b,t

with ``c_b`` the basin's share of the water cap (``water_cap_share_<b>``, normalised to 1)
and ``W_b`` the basin's water in % of normal (``water_availability.<b>``).

**Where a lever goes.** Each programme lever is placed by the planner (``<lever>.<unit>``
shares, normalised) or spread oblast-wide by a stated rule (:data:`RULES`):

* road construction: the trunk part by each unit's share of the trunk corridor
  (``trunk_road_share``), the local part by population;
* road maintenance: by each unit's share of the maintenance bill of its good km (so every
  unit's maintenance coverage is the oblast's);
* new and rehabilitated irrigation, reservoir storage: by each unit's irrigated land in
  2023; within a unit, to its basins by their land there;
* business support: by population.

Baseline new land goes where the current projects are (``baseline_new_ha_share``:
Burgondu on the Sokh, the R-4 canal on the Isfara).

**The split of the oblast's outputs** (:func:`split`), for unit ``d`` (population shares
:math:`\psi_d` of 2021, held in every year; irrigated-equivalent land ``Land_d``)::

    Pop_d       = psi_d Pop
    E_d         = sum_{c in d} served_c E_b(c) / sum_{c' in b(c)} served_c'   (rationed pro rata)
    Y^A_d       = trend fp ( Y_0 s_A apricot Land_d,t0 / Land_t0
                             + dV (E_d - E_d,t0) + v_R (rain_d,t - rain_d) )
    Y^M_d       = Y^M mu_d
    A_d         = w R^T / R^T_t0 + (1 - w) R^L_d / R^L_d,t0       (trunk access oblast-wide)
    Y^S_d       = Y^S (F phi_d va_f + B_d va_B (1-disp)) A_d^eps / sum_d'(...)
    Y^P_d       = Y^P pi_d A_d^eps / sum_d' pi_d' A_d'^eps
    Y^C_d       = (Y_0 s_C trend Pop_rel) psi_d + lc mult Inj_d
    Y^G_d       = Y^G psi_d
    GRP_d       = sum of the sectors (times the shock of 2020-2021)

``mu_d``: Kadamjay ``mining_share_kadamjay``, the rest by ``mining_weight``; ``pi_d`` and
``phi_d``: population, the cities' weighted by ``district_urban_weight``; ``B_d`` the
supported businesses of the unit's share of business support. Jobs follow the same
drivers as the oblast's (farm jobs land, mining output, private jobs population,
construction its value added, public population), each indexed to the *oblast's* 2023
level, so that every additive output of the units adds up to the oblast's exactly.

Roads raise output through the oblast's access index as before; where the km are decides
how that gain is shared (a unit's share of private and SME output moves with its own
local access to the power of the elasticity). Road placement changes the oblast total only
where a unit's network fills up or where placed maintenance gives a unit another coverage
than the oblast's; irrigation placement changes it through the basins. Within a basin,
short water is shared pro rata to the land each cell serves (no upstream priority).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from model.levers import BASINS, DISTRICTS, LEVERS, Inputs
from model.parameters import ParameterSet

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEVER_KEYS: tuple[str, ...] = tuple(LEVERS)
LEVER_INDEX = {k: i for i, k in enumerate(LEVER_KEYS)}

#: The irrigation levers (placed cell by cell).
IRRIGATION_LEVERS: tuple[str, ...] = (
    "irrigation_new_ha",
    "irrigation_rehab_ha",
    "water_storage_mcm",
)

#: The oblast-wide rule of each lever (what "not placed" means), in words.
RULES: dict[str, str] = {
    "infrastructure_spend": (
        "trunk part by the corridor's share in each unit, local part by population"
    ),
    "road_maintenance": "by each unit's share of the maintenance bill of its good road km",
    "irrigation_new_ha": "by each unit's irrigated land in 2023",
    "irrigation_rehab_ha": "by each unit's irrigated land in 2023",
    "water_storage_mcm": "by each unit's irrigated land in 2023",
    "sme_support": "by population",
}

#: Outputs of the units that add up to the oblast's (the rest are per person).
ADDITIVE_EXCLUDED = frozenset({"grp_per_capita", "labour_income_per_capita"})


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Geography:
    """The fixed tables: units, basins and cells (basin x unit), in model order."""

    names: dict[str, str]
    kind: dict[str, str]
    population_2021: np.ndarray  # (D,) persons
    population_2021_derived: tuple[bool, ...]
    trunk_share: np.ndarray  # (D,)
    mining_weight: np.ndarray  # (D,) of the mining outside Kadamjay
    rural_weight: np.ndarray  # (D,)
    city: np.ndarray  # (D,) bool
    basin_names: dict[str, str]
    cell_basin: np.ndarray  # (C,) basin index
    cell_district: np.ndarray  # (C,) unit index
    cell_ha: np.ndarray  # (C,) central 2023 hectares (weights within the basin)
    cell_base_new: np.ndarray  # (C,) share of the baseline's new land

    @property
    def n_cells(self) -> int:
        return len(self.cell_basin)

    @property
    def pop_share(self) -> np.ndarray:
        """(D,) each unit's share of the oblast's population (NSC 2021)."""
        return self.population_2021 / self.population_2021.sum()

    @property
    def to_basin(self) -> np.ndarray:
        """(C, B) one-hot: cell -> basin."""
        m = np.zeros((self.n_cells, len(BASINS)))
        m[np.arange(self.n_cells), self.cell_basin] = 1.0
        return m

    @property
    def to_district(self) -> np.ndarray:
        """(C, D) one-hot: cell -> unit."""
        m = np.zeros((self.n_cells, len(DISTRICTS)))
        m[np.arange(self.n_cells), self.cell_district] = 1.0
        return m


@cache
def geography() -> Geography:
    """Read ``data/districts.csv``, ``data/basins.csv`` and ``data/basin_districts.csv``."""
    units = {r["id"]: r for r in _rows("districts.csv")}
    basins = {r["id"]: r for r in _rows("basins.csv")}
    if tuple(units) != DISTRICTS or tuple(basins) != BASINS:
        raise ValueError("data/districts.csv or data/basins.csv do not match model.levers")
    cells = _rows("basin_districts.csv")
    base_new = np.array([float(c["baseline_new_ha_share"]) for c in cells])
    if abs(base_new.sum() - 1.0) > 1e-9:
        raise ValueError("baseline_new_ha_share of data/basin_districts.csv must add up to 1")
    return Geography(
        names={k: r["name"] for k, r in units.items()},
        kind={k: r["kind"] for k, r in units.items()},
        population_2021=np.array([float(units[d]["population_2021"]) for d in DISTRICTS]),
        population_2021_derived=tuple(
            units[d]["population_2021_confidence"] == "D" for d in DISTRICTS
        ),
        trunk_share=_norm(np.array([float(units[d]["trunk_road_share"]) for d in DISTRICTS])),
        mining_weight=np.array([float(units[d]["mining_weight"]) for d in DISTRICTS]),
        rural_weight=np.array([float(units[d]["rural_weight"]) for d in DISTRICTS]),
        city=np.array([units[d]["kind"] == "city" for d in DISTRICTS]),
        basin_names={k: r["name"] for k, r in basins.items()},
        cell_basin=np.array([BASINS.index(c["basin"]) for c in cells]),
        cell_district=np.array([DISTRICTS.index(c["district"]) for c in cells]),
        cell_ha=np.array([float(c["irrigated_ha_2023"]) for c in cells]),
        cell_base_new=base_new,
    )


def _norm(a: np.ndarray) -> np.ndarray:
    """Shares along the last axis (each row adds up to 1)."""
    return a / a.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class Shares:
    """The shares of one parameter set, ``(n_runs, ...)`` arrays (rows add up to 1)."""

    cell_ha_2023: np.ndarray  # (n, C) hectares equipped in 2023
    cap: np.ndarray  # (n, B) each basin's share of the water cap
    mining: np.ndarray  # (n, D)
    private: np.ndarray  # (n, D) private non-farm and registered SMEs
    population: np.ndarray  # (D,)
    rainfed: np.ndarray  # (D,)
    trunk: np.ndarray  # (D,)
    #: irrigation lever -> (n, C) where an unplaced lever goes (the rule), cell by cell
    rule_cells: dict[str, np.ndarray]

    @property
    def district_ha_2023(self) -> np.ndarray:
        """(n, D) each unit's irrigated land in 2023."""
        return self.cell_ha_2023 @ geography().to_district


#: Parameters the shares depend on (the cache key of a one-run parameter set).
SHARE_PARAMETERS: tuple[str, ...] = (
    "irr_equipped_ha_2023",
    "mining_share_kadamjay",
    "district_urban_weight",
    *(f"irr_share_{b}" for b in BASINS),
    *(f"water_cap_share_{b}" for b in BASINS),
)
_SHARES_CACHE: dict[tuple[float, ...], Shares] = {}


def shares(p: ParameterSet) -> Shares:
    """Every split of parameter set ``p``: basin and cell land, water, mining, private.

    One-run sets are cached on their values (the shares cost as much as a tenth of a run).
    """
    if p.n_runs != 1:
        return _shares(p)
    key = tuple(float(p[k][0, 0]) for k in SHARE_PARAMETERS)
    found = _SHARES_CACHE.get(key)
    if found is None:
        if len(_SHARES_CACHE) > 64:
            _SHARES_CACHE.clear()
        found = _SHARES_CACHE[key] = _shares(p)
    return found


def _shares(p: ParameterSet) -> Shares:
    g = geography()
    basin = _norm(np.concatenate([p[f"irr_share_{b}"] for b in BASINS], axis=1))
    cap = _norm(np.concatenate([p[f"water_cap_share_{b}"] for b in BASINS], axis=1))
    within = g.cell_ha / (g.cell_ha @ g.to_basin @ g.to_basin.T)  # share of its basin
    cell_ha = p["irr_equipped_ha_2023"] * basin[:, g.cell_basin] * within[None, :]
    k = DISTRICTS.index("kadamjay")
    rest = g.mining_weight / g.mining_weight.sum()
    mining = (1.0 - p["mining_share_kadamjay"]) * rest[None, :]
    mining[:, k : k + 1] = p["mining_share_kadamjay"]
    private = _norm(g.population_2021[None, :] * np.where(g.city, p["district_urban_weight"], 1.0))
    unit_ha = cell_ha @ g.to_district
    of_unit = cell_ha / unit_ha[:, g.cell_district]
    rule = (unit_ha / unit_ha.sum(axis=1, keepdims=True))[:, g.cell_district] * of_unit
    return Shares(
        rule_cells=dict.fromkeys(IRRIGATION_LEVERS, rule),
        cell_ha_2023=cell_ha,
        cap=cap,
        mining=mining,
        private=private,
        population=g.pop_share,
        rainfed=_norm(g.population_2021 * g.rural_weight),
        trunk=g.trunk_share,
    )


def district_shares(sh: Shares, x: Inputs, lever: str, n: int) -> np.ndarray:
    """(n, D) where ``lever`` goes: the planner's shares, else the oblast-wide rule.

    The maintenance rule depends on the year (the bill of the good km), so for it this
    returns the population shares and :mod:`model.core` applies the bill rule itself.
    """
    if lever in ("irrigation_new_ha", "irrigation_rehab_ha", "water_storage_mcm"):
        rule = _norm(sh.district_ha_2023)
    elif lever == "infrastructure_spend":
        rule = np.broadcast_to(sh.trunk, (1, len(DISTRICTS)))  # trunk part; local by population
    else:
        rule = np.broadcast_to(sh.population, (1, len(DISTRICTS)))
    rule = np.broadcast_to(rule, (n, len(DISTRICTS)))
    if x.placement is None or x.placed is None:
        return rule
    j = LEVER_INDEX[lever]
    placed = np.broadcast_to(x.placed[:, j : j + 1], (n, 1))
    return np.where(placed, np.broadcast_to(x.placement[:, j, :], (n, len(DISTRICTS))), rule)


def local_road_shares(sh: Shares, x: Inputs, n: int) -> np.ndarray:
    """(n, D) where the local part of road construction goes (placed, else population)."""
    rule = np.broadcast_to(sh.population, (n, len(DISTRICTS)))
    if x.placement is None or x.placed is None:
        return rule
    j = LEVER_INDEX["infrastructure_spend"]
    return np.where(x.placed[:, j : j + 1], x.placement[:, j, :], rule)


def cell_shares(sh: Shares, x: Inputs, lever: str, n: int) -> np.ndarray:
    """(n, C) where an irrigation lever's hectares (or storage) go, cell by cell: each
    unit's share, then within the unit by its cells' land in 2023."""
    g = geography()
    if x.placement is None:
        return sh.rule_cells[lever]
    d_share = district_shares(sh, x, lever, n)
    cell_ha = np.broadcast_to(sh.cell_ha_2023, (n, g.n_cells))
    of_unit = cell_ha / (cell_ha @ g.to_district)[:, g.cell_district]
    return d_share[:, g.cell_district] * of_unit


def roads_placed(x: Inputs) -> bool:
    """True when any run places road construction or maintenance by unit."""
    if x.placed is None:
        return False
    return bool(
        x.placed[:, LEVER_INDEX["infrastructure_spend"]].any()
        or x.placed[:, LEVER_INDEX["road_maintenance"]].any()
    )


def place_from_settings(settings: dict[str, float]) -> dict[str, dict[str, float]]:
    """The placed levers of flat settings: lever -> {unit: share in %} (unplaced left out)."""
    from model.levers import place_key

    out: dict[str, dict[str, float]] = {}
    for lever in LEVER_KEYS:
        values = {d: float(settings.get(place_key(lever, d), 0.0)) for d in DISTRICTS}
        if sum(values.values()) > 0:
            out[lever] = values
    return out
