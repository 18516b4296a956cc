"""Levers, context assumptions and programme years: what a scenario may set.

Levers are programmes **on top of the baseline** (the calibrated current-policy path,
which already contains today's spending); every lever at zero is the baseline. Each
lever is active in the programme years ``start_year..end_year`` inclusive and zero
outside them. Context assumptions describe the world rather than the programme and
apply to every projection year (2024 on); at their defaults they are the baseline's.
Programme settings (years, the road class mix) say how
the programme is built; the counterfactual of a programme keeps them.

Years: the dashboard reports 2007-:data:`LAST_YEAR`; the model runs on to
:data:`HORIZON_YEAR` so that an appraisal can count each asset's benefits over its life
(:mod:`model.appraisal`). Programmes can run in 2024-:data:`LAST_YEAR` only.

The keys below are a public contract: they are the keys of scenario files, of the
dashboard's widgets and of share links. Never rename one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

FIRST_YEAR = 2007
LAST_HISTORY_YEAR = 2023
LAST_YEAR = 2040
HORIZON_YEAR = 2065
YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)
#: Every simulated year: the reported years and the appraisal's tail to 2065.
SIM_YEARS = np.arange(FIRST_YEAR, HORIZON_YEAR + 1)
FIRST_PROJECTION_YEAR = LAST_HISTORY_YEAR + 1


@dataclass(frozen=True)
class Setting:
    """A number a scenario may set, with its unit, bounds, default and slider step.

    ``group`` is where the dashboard shows it (sidebar section), not what kind of
    setting it is: that is which table holds it (levers, context, programme).
    """

    key: str
    unit: str
    low: float
    high: float
    default: float
    step: float
    group: str
    meaning: str

    @property
    def digits(self) -> int:
        """Decimals a value of this setting is shown with: as many as its step has."""
        return 0 if float(self.step).is_integer() else 1


LEVERS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "infrastructure_spend",
            "million som per year",
            0,
            5000,
            0,
            50,
            "roads",
            "Extra road construction and rehabilitation spending (trunk and local roads, "
            "split by the programme's trunk share)",
        ),
        Setting(
            "road_maintenance",
            "million som per year",
            0,
            1000,
            0,
            10,
            "roads",
            "Extra road maintenance spending",
        ),
        Setting(
            "irrigation_new_ha",
            "ha per year",
            0,
            5000,
            0,
            100,
            "irrigation",
            "New irrigated land started per year (arrives after the construction lag)",
        ),
        Setting(
            "irrigation_rehab_ha",
            "ha per year",
            0,
            10000,
            0,
            100,
            "irrigation",
            "Degraded irrigated land rehabilitated per year",
        ),
        Setting(
            "water_storage_mcm",
            "million m3 per year",
            0,
            50,
            0,
            1,
            "irrigation",
            "New reservoir storage built per year: carries its own cost and adds the "
            "water for more irrigated land (arrives after the construction lag)",
        ),
        Setting(
            "sme_support",
            "million som per year",
            0,
            1000,
            0,
            10,
            "sme",
            "Credit and grants for small businesses (individual entrepreneurs, farms, "
            "registered SMEs); loans are partly repaid",
        ),
    )
}

CONTEXT: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "apricot_price",
            "som per kg",
            10,
            80,
            30,
            1,
            "context",
            "Farm-gate price of fresh apricots",
        ),
        Setting(
            "water_availability",
            "% of normal",
            50,
            150,
            100,
            5,
            "context",
            "Irrigation water available, in % of a normal year (drought < 100; new storage > 100)",
        ),
        Setting(
            "mining_growth",
            "% per year",
            -10,
            10,
            2,
            0.5,
            "context",
            "Real growth of mining and industry output",
        ),
    )
}

PROGRAMME: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "start_year",
            "year",
            FIRST_PROJECTION_YEAR,
            LAST_YEAR,
            2027,
            1,
            "programme",
            "First year of programme spending",
        ),
        Setting(
            "end_year",
            "year",
            FIRST_PROJECTION_YEAR,
            LAST_YEAR,
            2036,
            1,
            "programme",
            "Last year of programme spending",
        ),
        Setting(
            "road_trunk_share",
            "% of road spending",
            0,
            100,
            50,
            5,
            "roads",
            "Share of the extra road spending that goes to trunk (international and "
            "republican) roads; the rest builds local roads",
        ),
    )
}

ALL_SETTINGS: dict[str, Setting] = {**LEVERS, **CONTEXT, **PROGRAMME}
#: Settings that are whole years (the rest are real numbers).
YEAR_KEYS: frozenset[str] = frozenset({"start_year", "end_year"})

# --- where: districts, river basins and the placement of each lever ---------------------

#: The oblast's units in the order of every district axis: the three districts (rayons) and
#: the three cities of oblast significance, as the National Statistical Committee
#: publishes them (``data/districts.csv``). Ids are a public contract (file, link keys).
DISTRICTS: tuple[str, ...] = (
    "batken",
    "kadamjay",
    "leilek",
    "batken_city",
    "kyzyl_kiya",
    "sulukta",
)
#: River basins that irrigate the oblast, in the order of every basin axis
#: (``data/basins.csv``).
BASINS: tuple[str, ...] = ("isfara", "sokh", "isfayram_shakhimardan", "khodzha_bakirgan")


def place_key(lever: str, district: str) -> str:
    """The setting key of one lever's share in one district, e.g.
    ``irrigation_new_ha.kadamjay``."""
    return f"{lever}.{district}"


def basin_water_key(basin: str) -> str:
    """The setting key of one basin's water, e.g. ``water_availability.sokh``."""
    return f"water_availability.{basin}"


#: Where each programme lever goes: one share per lever and district, in % of the lever.
#: All zero (the default) is the oblast-wide rule of :mod:`model.districts`; otherwise the
#: lever is split in proportion to the shares (they need not add up to 100).
PLACEMENT: dict[str, Setting] = {
    place_key(lever, d): Setting(
        place_key(lever, d),
        "% of the lever",
        0,
        100,
        0,
        5,
        "placement",
        f"Share of {lever} placed in {d} (all zero: spread oblast-wide by the stated rule)",
    )
    for lever in LEVERS
    for d in DISTRICTS
}
#: Water of each basin, in % of its normal year, on top of the oblast-wide water setting:
#: a drought can hit one river and not the others.
BASIN_WATER: dict[str, Setting] = {
    basin_water_key(b): Setting(
        basin_water_key(b),
        "% of normal",
        30,
        150,
        100,
        5,
        "basins",
        f"Irrigation water of the {b} basin in % of a normal year (times the oblast setting)",
    )
    for b in BASINS
}
#: Settings of place: not sidebar levers, but part of a scenario (files, links, model).
PLACE_SETTINGS: dict[str, Setting] = {**PLACEMENT, **BASIN_WATER}
#: Every setting a scenario may hold: the levers, context and programme, then the place.
EVERY_SETTING: dict[str, Setting] = {**ALL_SETTINGS, **PLACE_SETTINGS}
_ALL_KEYS = frozenset(ALL_SETTINGS)


@dataclass(frozen=True)
class Inputs:
    """Yearly input paths, each of shape ``(n_runs, n_years)`` from 2007 on.

    Lever paths are zero outside the programme years; context paths hold the
    baseline value in history years. ``road_trunk_share`` is ``(n_runs, 1)``.
    """

    infrastructure_spend: np.ndarray
    road_maintenance: np.ndarray
    irrigation_new_ha: np.ndarray
    irrigation_rehab_ha: np.ndarray
    water_storage_mcm: np.ndarray
    sme_support: np.ndarray
    apricot_price: np.ndarray
    water_availability: np.ndarray
    mining_growth: np.ndarray
    road_trunk_share: np.ndarray
    start_year: np.ndarray
    end_year: np.ndarray
    #: ``(n_runs, n_levers, n_districts)`` shares of each lever (rows add up to 1), in
    #: :data:`LEVERS` and :data:`DISTRICTS` order; None: every lever oblast-wide.
    placement: np.ndarray | None = None
    #: ``(n_runs, n_levers)`` True where the lever is placed by the planner, False where
    #: it follows the oblast-wide rule; None: all False.
    placed: np.ndarray | None = None
    #: ``(n_runs, n_basins)`` water of each basin as a fraction of its normal year (on top
    #: of ``water_availability``); None: every basin normal.
    basin_water: np.ndarray | None = None

    @property
    def n_runs(self) -> int:
        """Number of runs (rows)."""
        return self.infrastructure_spend.shape[0]

    @property
    def years(self) -> np.ndarray:
        """The years of the paths' columns."""
        return np.arange(FIRST_YEAR, FIRST_YEAR + self.infrastructure_spend.shape[1])


def build_inputs(settings: Sequence[Mapping[str, float]], last_year: int = LAST_YEAR) -> Inputs:
    """Turn flat scenario settings into yearly input paths, one row per scenario.

    Args:
        settings: one mapping per scenario from keys of :data:`ALL_SETTINGS` to
            values; a missing key takes its default.
        last_year: last year of the paths: :data:`LAST_YEAR` for what the dashboard
            shows, :data:`HORIZON_YEAR` for an appraisal.

    Returns:
        The paths. ``programme[t] = lever`` for ``start_year <= t <= end_year``, else 0;
        ``context[t] = value`` for ``t >= 2024``, else the default; programme settings
        ``road_trunk_share`` as a ``(n, 1)`` column of fractions. Settings of place
        (:data:`PLACE_SETTINGS`) become ``placement`` (each placed lever's district shares,
        normalised to add up to 1), ``placed`` and ``basin_water`` (fractions); when no
        scenario names one, the three are None (every lever oblast-wide, every basin
        normal).
    """
    n = len(settings)
    if n == 0:
        raise ValueError("build_inputs needs at least one scenario")
    values = {k: np.empty(n) for k in ALL_SETTINGS}
    place = np.zeros((n, len(LEVERS), len(DISTRICTS)))
    water_b = np.ones((n, len(BASINS)))
    any_place = False
    known = set(EVERY_SETTING)
    for i, s in enumerate(settings):
        unknown = set(s) - known
        if unknown:
            raise KeyError(f"unknown setting(s): {sorted(unknown)}")
        for k, spec in ALL_SETTINGS.items():
            values[k][i] = float(s.get(k, spec.default))
        if not _ALL_KEYS.issuperset(s):
            for j, lever in enumerate(LEVERS):
                for d, district in enumerate(DISTRICTS):
                    place[i, j, d] = float(s.get(place_key(lever, district), 0.0))
            for b, basin in enumerate(BASINS):
                water_b[i, b] = float(s.get(basin_water_key(basin), 100.0)) / 100.0
            any_place = any_place or bool(place[i].any() or (water_b[i] != 1.0).any())
    if not LAST_YEAR <= last_year <= HORIZON_YEAR:
        raise ValueError(f"last_year {last_year} outside {LAST_YEAR}-{HORIZON_YEAR}")
    years = np.arange(FIRST_YEAR, last_year + 1)[None, :]
    active = (years >= values["start_year"][:, None]) & (years <= values["end_year"][:, None])
    projection = np.broadcast_to(years >= FIRST_PROJECTION_YEAR, active.shape)
    paths = {k: np.where(active, values[k][:, None], 0.0) for k in LEVERS}
    for k, spec in CONTEXT.items():
        paths[k] = np.where(projection, values[k][:, None], spec.default)
    placed = None
    placement = None
    basin_water = None
    if any_place:
        total = place.sum(axis=2)
        placed = total > 0
        placement = place / np.where(placed, total, 1.0)[:, :, None]
        basin_water = water_b
    return Inputs(
        **paths,
        start_year=values["start_year"].astype(int),
        end_year=values["end_year"].astype(int),
        road_trunk_share=values["road_trunk_share"][:, None] / 100.0,
        placement=placement,
        placed=placed,
        basin_water=basin_water,
    )
